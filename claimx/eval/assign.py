"""The one optimal one-to-one assignment every scorer pairs things with.

Claim matching (gold claims x predictions, :mod:`claimx.eval.matching`), the
speaker sets (gold sources x predicted sources, :mod:`claimx.eval.metrics`) and
detection (gold evidence x predicted spans under each overlap rule,
:mod:`claimx.eval.detection`) all ask the same question: given a score for each
pair that may match, which pairs to keep so that each row and each column is
used at most once. The answer here, for all of them:

1. **Candidates.** A pair is a candidate when its score is not ``None`` (the
   caller's own conditions say no) and at least ``minimum``.
2. **The most pairs first.** Among all one-to-one pairings of candidates, only
   those with the largest number of pairs are considered: every candidate
   carries a bonus larger than the summed scores of any pairing, so no score
   difference can buy one pair fewer.
3. **Then the largest summed score** (``scipy.optimize.linear_sum_assignment``,
   not greedy: a greedy pass takes the best pair first and can strand a
   prediction that only one gold item could have taken). Ties are the caller's
   to break inside its score: matching adds 0.001 for a right speaker and for a
   right stance; detection ranks by token overlap.
4. **What is still exactly tied goes in article order**: a prediction that two
   gold items would take at the same score goes to the earlier one (and a gold
   item to the earlier of two such predictions), and two pairs never cross
   (earlier gold with later prediction and later gold with earlier prediction)
   when uncrossing them keeps their sum. Rule-4 splits of the annotation standard
   make such ties common: a prediction stating "does not encourage or enable"
   scores the same against the gold "encourages" and the gold "enables". The
   solver alone would pick one by the rounding of its sums, which changes with
   any change to how a score is added up.

Scores must be finite and non-negative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

__all__ = ["Pair", "PairScore", "assign", "assign_matrix"]

PairScore = Callable[[int, int], float | None]
"""``score(row, column)``: the pair's score, or None when it may not match."""


@dataclass(frozen=True)
class Pair:
    """A kept pair: row index, column index and its score (without the bonus)."""

    row: int
    col: int
    score: float


def assign_matrix(scores: NDArray[np.float64], *, minimum: float = 0.0) -> list[Pair]:
    """The optimal one-to-one pairs of a score matrix (module doc); NaN is no candidate.

    Pairs are returned by row index.
    """
    if scores.size == 0:
        return []
    candidate = ~np.isnan(scores) & (np.nan_to_num(scores, nan=-np.inf) >= minimum)
    if not candidate.any():
        return []
    values = np.where(candidate, scores, 0.0)
    if (values < 0).any() or not np.isfinite(values).all():
        raise ValueError("pair scores must be finite and non-negative")
    # Larger than any pairing's summed score (at most min(rows, cols) pairs, each at most
    # the largest score), so one pair more always outweighs any difference of scores.
    bonus = 1.0 + min(scores.shape) * float(values.max())
    rows, cols = linear_sum_assignment(np.where(candidate, bonus + values, 0.0), maximize=True)
    kept = {int(i): int(j) for i, j in zip(rows, cols, strict=True) if candidate[i, j]}
    while _settle_one_tie(kept, values, candidate):
        pass
    return [Pair(i, j, float(values[i, j])) for i, j in sorted(kept.items())]


def assign(rows: int, cols: int, score: PairScore, *, minimum: float = 0.0) -> list[Pair]:
    """The optimal one-to-one pairs of ``rows`` x ``cols`` items scored by ``score``.

    ``score`` is asked about every pair once; None says the pair may not match.
    Pairs are returned by row index.
    """
    matrix = np.full((rows, cols), np.nan)
    for i in range(rows):
        for j in range(cols):
            value = score(i, j)
            if value is not None:
                matrix[i, j] = value
    return assign_matrix(matrix, minimum=minimum)


def _settle_one_tie(
    kept: dict[int, int], values: NDArray[np.float64], candidate: NDArray[np.bool_]
) -> bool:
    """Make one move of rule 4 of the module doc in ``kept`` (row -> column); False if none.

    Each move keeps the number of pairs and every sum: a column goes to an earlier free
    row scoring the same with it, a row to an earlier free column, or two crossing pairs
    are uncrossed. The first two lower the summed indices of the pairs and the third,
    keeping them, the number of crossings, so repeating it ends.
    """
    taken = set(kept.values())
    for i, j in sorted(kept.items()):
        same = values[i, j]
        for r in range(i):
            if r not in kept and candidate[r, j] and values[r, j] == same:
                del kept[i]
                kept[r] = j
                return True
        for c in range(j):
            if c not in taken and candidate[i, c] and values[i, c] == same:
                kept[i] = c
                return True
    pairs = sorted(kept.items())
    for k, (i1, j1) in enumerate(pairs):
        for i2, j2 in pairs[k + 1 :]:
            if (
                j2 < j1
                and candidate[i1, j2]
                and candidate[i2, j1]
                and values[i1, j2] + values[i2, j1] == values[i1, j1] + values[i2, j2]
            ):
                kept[i1], kept[i2] = j2, j1
                return True
    return False
