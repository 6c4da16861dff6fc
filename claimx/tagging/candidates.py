"""Stage one from tagged attributions: the sentences a pipeline asks a model about.

A candidate is a run of consecutive sentences of one paragraph each holding
part of a tagged attribution (its source, cue or content): the sentences of
one quotation and its "he said" go together, and a paragraph of three
attributed sentences is one request rather than three. Paragraphs are never
merged: they are the tagger's unit, and a run stops at their end.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimx.tagging.attribution import TaggedAttribution
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["candidates"]


def candidates(text: str, attributions: Sequence[TaggedAttribution]) -> list[Span]:
    """The candidate spans of ``text`` (module doc), in text order."""
    spans = [
        s
        for att in attributions
        for s in (*att.content, att.cue, *([att.source] if att.source else []))
    ]
    out: list[Span] = []
    for para in paragraphs(text):
        run: Span | None = None
        for sentence in sentences(text, para):
            if any(sentence.overlaps(s) for s in spans):
                run = sentence if run is None else Span(run.start, sentence.end)
            elif run is not None:
                out.append(run)
                run = None
        if run is not None:
            out.append(run)
    return out
