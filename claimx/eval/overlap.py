"""How much two pieces of evidence overlap: the one set of measures every scorer uses.

Evidence is a tuple of :class:`~claimx.text.spans.Span` (:data:`Pieces`): one
span for a claim, several for a discontinuous corpus attribution ("Her failings,
it said, are ..."). Three measures, each for one question:

* :func:`char_overlap`: shared characters over the characters of the **shorter**
  evidence. Claim matching (:mod:`claimx.eval.matching`) ranks candidate pairs
  by it: a prediction that quotes only part of a long gold quote still sits
  wholly on it.
* :func:`token_overlap`: shared word tokens (``\\w+`` runs, by their position in
  the article, so the same word elsewhere does not count) over the tokens of
  the **longer** evidence: at least *t* of each. Detection's ``token>=t`` rules.
* :func:`same_trimmed`: the same text after trimming spaces and punctuation at
  both ends (and joining pieces with one space). Detection's ``exact`` rule.

:func:`shared_chars` is their common precondition: pieces with no character in
common never match under any rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from claimx.text.spans import Span

__all__ = ["Pieces", "char_overlap", "same_trimmed", "shared_chars", "token_overlap"]

Pieces = Sequence[Span]
"""Evidence as its character spans, in article order (one for a contiguous span)."""

_TOKEN = re.compile(r"\w+")
# Spaces, sentence punctuation, quotation marks and brackets at either end are not
# part of what was said: "the budget would pass." is the gold "the budget would pass".
_TRIM = ' \t\n.,;:!?—–-"“”‘’«»()'


def shared_chars(a: Pieces, b: Pieces) -> int:
    """Characters ``a`` and ``b`` have in common."""
    return sum(x.shared(y) for x in a for y in b)


def char_overlap(a: Pieces, b: Pieces) -> float:
    """Shared characters over the shorter evidence's characters (0 when disjoint)."""
    shared = shared_chars(a, b)
    if shared <= 0:
        return 0.0
    return shared / max(1, min(sum(x.length for x in a), sum(y.length for y in b)))


@lru_cache(maxsize=64)
def _token_starts(text: str) -> NDArray[np.int64]:
    return np.array([m.start() for m in _TOKEN.finditer(text)], dtype=np.int64)


def _tokens(text: str, pieces: Pieces) -> set[int]:
    """Indices of the article's tokens that start inside ``pieces``."""
    starts = _token_starts(text)
    out: set[int] = set()
    for piece in pieces:
        lo, hi = np.searchsorted(starts, piece.start), np.searchsorted(starts, piece.end)
        out.update(range(int(lo), int(hi)))
    return out


def token_overlap(text: str, a: Pieces, b: Pieces) -> float:
    """Shared word tokens over the tokens of the longer evidence (0 when either has none)."""
    ta, tb = _tokens(text, a), _tokens(text, b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


def _trimmed(text: str, pieces: Pieces) -> str:
    return " ".join(" ".join(p.slice(text) for p in pieces).strip(_TRIM).split())


def same_trimmed(text: str, a: Pieces, b: Pieces) -> bool:
    """The same words after trimming spaces and punctuation at both ends."""
    return _trimmed(text, a) == _trimmed(text, b)
