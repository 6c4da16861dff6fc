"""Stage one from tagged attributions: the sentences a pipeline asks a model about.

A candidate is a run of consecutive sentences of one paragraph each holding
part of a tagged attribution (its source, cue or content): the sentences of
one quotation and its "he said" go together, and a paragraph of three
attributed sentences is one request rather than three. Paragraphs are never
merged: they are the tagger's unit, and a run stops at their end.

``context`` widens every run by that many sentences on each side (within its
paragraph) before runs that touch are merged: the tagger misses some
attributions next to those it finds (a second quotation of the same
speaker, a belief in the following sentence), and a wider run asks about
them at little cost, since runs that come to touch merge into one.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimx.tagging.attribution import TaggedAttribution
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["candidates"]


def candidates(
    text: str,
    attributions: Sequence[TaggedAttribution],
    *,
    context: int = 0,
    near: Sequence[Span] = (),
) -> list[Span]:
    """The candidate spans of ``text`` (module doc), in text order.

    ``near``: more spans whose sentences are candidates too (the tokens the
    model nearly put in an attribution: :func:`claimx.tagging.tagger.stage_one`).
    """
    spans = [
        s
        for att in attributions
        for s in (*att.content, att.cue, *([att.source] if att.source else []))
    ]
    spans.extend(near)
    out: list[Span] = []
    for para in paragraphs(text):
        sents = sentences(text, para)
        marked = [any(sentence.overlaps(s) for s in spans) for sentence in sents]
        wide = [any(marked[max(0, i - context) : i + context + 1]) for i in range(len(sents))]
        run: Span | None = None
        for sentence, keep in zip(sents, wide, strict=True):
            if keep:
                run = sentence if run is None else Span(run.start, sentence.end)
            elif run is not None:
                out.append(run)
                run = None
        if run is not None:
            out.append(run)
    return out
