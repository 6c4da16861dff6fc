"""The labelling scheme: BIO over the three roles of an attribution.

Each token is outside every attribution (``O``) or begins (``B-``) or
continues (``I-``) a source (``SRC``), cue (``CUE``) or content (``CON``)
span: PolNeAR's annotation is univocal enough for one label per token (its
README says so). ``B-`` marks where one span ends and the next begins when
two spans of one role touch ("“...” “...”", two contents). Where the
annotation nests (an attribution inside the content of another, "X said
that Y believes Z"), :func:`encode` keeps the **outer**
attribution's spans: painting the inner one over it would cut the outer
content in pieces and the outer attribution would be lost as well.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from claimx.tagging.tokens import Token
from claimx.text.spans import Span

__all__ = ["LABELS", "OUTSIDE", "ROLES", "Role", "Segment", "RoleSpans", "encode", "segments"]

Role = Literal["SRC", "CUE", "CON"]
ROLES: tuple[Role, ...] = ("SRC", "CUE", "CON")
OUTSIDE = "O"
LABELS: tuple[str, ...] = (OUTSIDE, *(f"{p}-{r}" for r in ROLES for p in "BI"))
"""Every label, in the order of the weight matrices' columns."""
_ROLE_OF: dict[str, Role] = {r: r for r in ROLES}


@dataclass(frozen=True, slots=True)
class RoleSpans:
    """One attribution's spans as a corpus gives them (for :func:`encode`)."""

    content: tuple[Span, ...]
    cue: Span | None
    source: Span | None

    @property
    def extent(self) -> Span:
        """From the first to the last character of any of its spans."""
        spans = [*self.content, *(s for s in (self.cue, self.source) if s is not None)]
        return Span(min(s.start for s in spans), max(s.end for s in spans))


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of tokens ``[first, last]`` (indices in the paragraph) labelled with one role."""

    role: Role
    first: int
    last: int


def encode(tokens: Sequence[Token], attributions: Sequence[RoleSpans]) -> list[str]:
    """The gold label of each token (module doc: the outer attribution wins).

    A token belongs to a span when its first character lies inside it.
    """
    starts = [tok.span.start for tok in tokens]
    # Which span owns each token: (attribution, role, piece) tells two touching
    # spans of one role apart.
    owner: list[tuple[int, Role, int] | None] = [None] * len(tokens)
    # Largest extent painted last, so it wins where attributions nest.
    ordered = sorted(attributions, key=lambda a: (a.extent.length, a.extent.start))
    for number, att in enumerate(ordered):
        roles: list[tuple[Role, tuple[Span, ...]]] = [
            ("CON", att.content),
            ("CUE", (att.cue,) if att.cue else ()),
            ("SRC", (att.source,) if att.source else ()),
        ]
        for role, spans in roles:
            for piece, span in enumerate(spans):
                lo, hi = bisect_left(starts, span.start), bisect_left(starts, span.end)
                for i in range(lo, hi):
                    owner[i] = (number, role, piece)
    labels: list[str] = []
    previous: tuple[int, Role, int] | None = None
    for own in owner:
        labels.append(OUTSIDE if own is None else ("I-" if own == previous else "B-") + own[1])
        previous = own
    return labels


def segments(labels: Sequence[str]) -> list[Segment]:
    """The role spans of a label sequence.

    Read leniently, as a tagger's output may be ill-formed: an ``I-`` label
    that follows another role starts a segment as ``B-`` would.
    """
    out: list[Segment] = []
    role: Role | None = None
    first = 0
    for i, label in enumerate([*labels, OUTSIDE]):
        new_role = _ROLE_OF.get(label[2:])
        if role is not None and (new_role != role or label.startswith("B-")):
            out.append(Segment(role, first, i - 1))
            role = None
        if new_role is not None and role is None:
            role, first = new_role, i
    return out
