"""``find: tagger``: the attributions the learned tagger finds; each content is the evidence.

Stage one by the CPU attribution tagger trained on PolNeAR train
(:mod:`claimx.tagging`): every tagged attribution is a candidate whose span is
its content (from the first to the last character of its pieces), exact by
construction, carrying its source and cue as written. The model is then asked
only what rules cannot do (the self-contained proposition, a stance opinion);
the speaker stage may resolve the written source (``speaker: tagged``).
"""

from __future__ import annotations

from claimx.extraction.records import Candidate
from claimx.extraction.stages.registry import Finder, register
from claimx.tagging import tag
from claimx.text.segments import paragraphs
from claimx.text.spans import Span


@register
class Tagger(Finder):
    """Tagged attributions, each with its sentences as window."""

    name = "tagger"

    def find(self, text: str) -> list[Candidate]:
        body = paragraphs(text)
        out = []
        for attribution in tag(text):
            span = attribution.span
            holding = [p for p in body if p.overlaps(span)] or [span]
            paragraph = Span(holding[0].start, holding[-1].end)
            out.append(
                Candidate(
                    span,
                    paragraph=paragraph,
                    window=attribution.sentence(text),
                    exact=True,
                    source=attribution.source,
                    cue=attribution.cue,
                )
            )
        return out
