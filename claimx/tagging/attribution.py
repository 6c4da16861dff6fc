"""What the tagger returns: :class:`TaggedAttribution`, one attribution in article offsets."""

from __future__ import annotations

from dataclasses import dataclass

from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["TaggedAttribution"]


@dataclass(frozen=True, slots=True)
class TaggedAttribution:
    """One attribution found by the tagger: who (``source``), the cue, and what (``content``).

    ``content`` holds one span, or several when the content is discontinuous
    ("Her failings, it said, are ..."), in text order. ``source`` is None when
    no source is written ("..., according to a poll" has one; "It is
    expected that ..." has none).
    """

    source: Span | None
    cue: Span
    content: tuple[Span, ...]

    def __post_init__(self) -> None:
        if not self.content:
            raise ValueError("an attribution has at least one content span")

    @property
    def span(self) -> Span:
        """The content from its first to its last character (the evidence span)."""
        return Span(self.content[0].start, self.content[-1].end)

    @property
    def extent(self) -> Span:
        """From the first to the last character of any of its spans, source and cue included."""
        spans = [*self.content, self.cue, *([self.source] if self.source else [])]
        return Span(min(s.start for s in spans), max(s.end for s in spans))

    def sentence(self, text: str) -> Span:
        """The sentences of ``text`` that hold the attribution, from the first to the last
        (the unit a pipeline shows a model)."""
        extent = self.extent
        inside = [
            s
            for para in paragraphs(text)
            if para.overlaps(extent)
            for s in sentences(text, para)
            if s.overlaps(extent)
        ]
        if not inside:
            return extent
        return Span(min(inside[0].start, extent.start), max(inside[-1].end, extent.end))

    def texts(self, text: str) -> tuple[str | None, str, str]:
        """Source (or None), cue and content as written in ``text`` (content pieces joined)."""
        source = self.source.slice(text) if self.source else None
        return source, self.cue.slice(text), " ".join(s.slice(text) for s in self.content)
