"""Given spans in place of stage one: the eval's oracle (``--oracle evidence``).

Not chosen in a prompt file: a caller hands spans to
:meth:`claimx.extraction.pipeline.Pipeline.drafts`, and they replace the
prompt's own finder (when it is :attr:`~claimx.extraction.stages.registry.Finder.replaceable`).
Each distinct span is one candidate, itself the evidence; its paragraph is
the one(s) it lies in, its window the sentence(s) it overlaps, so a quote the
model trims or widens a little still grounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimx.errors import PromptError
from claimx.extraction.records import Candidate
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["given_candidates"]


def given_candidates(text: str, spans: Sequence[Span]) -> list[Candidate]:
    """One candidate per distinct span of ``spans``, in article order."""
    body = paragraphs(text)
    out = []
    for span in sorted(set(spans)):
        if span.end > len(text) or span.length == 0:
            raise PromptError(
                f"evidence span {span.start}-{span.end} is empty or outside the article"
                f" ({len(text)} characters): give spans of this text"
            )
        holding = [p for p in body if p.overlaps(span)]
        if not holding:  # only whitespace: the span alone
            out.append(Candidate(span, paragraph=span, window=span, exact=True))
            continue
        paragraph = Span(holding[0].start, holding[-1].end)
        inside = [s for p in holding for s in sentences(text, p) if s.overlaps(span)]
        window = Span(inside[0].start, inside[-1].end) if inside else paragraph
        out.append(Candidate(span, paragraph=paragraph, window=window, exact=True))
    return out
