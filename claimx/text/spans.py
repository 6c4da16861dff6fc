"""Character spans: the one type for "where in the article" (:class:`Span`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Span", "Spanned"]


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """The characters ``text[start:end]`` of some text; ``0 <= start <= end``.

    Every module that holds offsets (candidates, chunks, grounding hits,
    furniture lines, a draft's window) holds a Span, so shifting a span found
    in a window back into the article, or asking whether two spans overlap, is
    written once, here. The public pydantic models keep plain ``start``/``end``
    fields (a data format); :attr:`claimx.models.Claim.span` gives their Span.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"not a span: [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        """Number of characters."""
        return self.end - self.start

    def slice(self, text: str) -> str:
        """``text[start:end]``."""
        return text[self.start : self.end]

    def shift(self, offset: int) -> Span:
        """The span moved by ``offset``: a span found in a window, in the window's text."""
        return Span(self.start + offset, self.end + offset)

    def overlaps(self, other: Span) -> bool:
        """At least one character in common."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        """``other`` lies inside this span."""
        return self.start <= other.start and other.end <= self.end

    def shared(self, other: Span) -> int:
        """How many characters the two spans have in common (0 when disjoint)."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))


class Spanned:
    """A record that holds a :class:`Span` as ``span``, read as ``start``/``end`` too."""

    span: Span

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end
