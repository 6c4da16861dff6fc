"""``find: whole_text``: no stage one; the model is shown the whole article."""

from __future__ import annotations

from claimx.extraction.records import Candidate
from claimx.extraction.stages.registry import Finder, register
from claimx.text.spans import Span


@register
class WholeText(Finder):
    """One candidate, the whole text: a single request asks for every claim."""

    name = "whole_text"
    #: the whole article is in the request: a long one must be chunked to fit
    chunkable = True
    #: no stage one: nothing for given spans to replace
    replaceable = False

    def find(self, text: str) -> list[Candidate]:
        whole = Span(0, len(text))
        return [Candidate(whole, paragraph=whole, window=None)]
