"""Quotation state: is each token inside a quotation, and which marks open and close one.

Content spans follow quotation marks closely ("“We had nothing to do with
this,” said ..."), so the features say for every token whether it is inside
a quotation. Curly marks say which way they face; a straight ``"`` opens
when no quotation is open and closes one otherwise. Single marks are left
alone: ``’`` is far more often an apostrophe. The state starts closed at
each paragraph: news reopens a quotation that runs on into the next
paragraph with a fresh opening mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

__all__ = ["QuoteState", "quote_states"]

QuoteState = Literal["out", "in", "open", "close"]
"""Outside, inside, the opening mark, the closing mark."""

_OPEN = frozenset("“«„")
_CLOSE = frozenset("”»")
_STRAIGHT = '"'


def quote_states(words: Sequence[str]) -> list[QuoteState]:
    """The quotation state of each token of one paragraph (module doc)."""
    out: list[QuoteState] = []
    inside = False
    for word in words:
        if word in _OPEN or (word == _STRAIGHT and not inside):
            inside = True
            out.append("open")
        elif word in _CLOSE or (word == _STRAIGHT and inside):
            inside = False
            out.append("close")
        else:
            out.append("in" if inside else "out")
    return out
