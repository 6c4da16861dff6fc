"""The one assignment: most pairs first, then the largest sum, exact ties in article order."""

from __future__ import annotations

import numpy as np
import pytest

from claimx.eval.assign import assign, assign_matrix

NO = np.nan


def pairs(matrix: list[list[float]], minimum: float = 0.0) -> list[tuple[int, int]]:
    return [(p.row, p.col) for p in assign_matrix(np.array(matrix), minimum=minimum)]


def test_the_optimum_is_not_greedy() -> None:
    # Greedy takes (0, 0) = 0.9 first and strands row 1, which only column 0 fits.
    assert pairs([[0.9, 0.8], [0.7, NO]]) == [(0, 1), (1, 0)]


def test_more_pairs_beat_any_score_even_when_scores_are_large() -> None:
    # A chain of three pairs against two pairs worth far more: three pairs win.
    big = [[100.0, 1.0, NO], [NO, 100.0, 1.0], [NO, NO, NO], [1.0, NO, NO]]
    assert len(pairs(big)) == 3
    assert sorted(pairs(big)) == [(0, 1), (1, 2), (3, 0)]


def test_candidates_are_what_the_caller_allows_and_at_least_the_minimum() -> None:
    scores = {(0, 0): 0.2, (0, 1): 0.5, (1, 1): None}
    found = assign(2, 2, lambda i, j: scores.get((i, j)), minimum=0.3)
    assert [(p.row, p.col, p.score) for p in found] == [(0, 1, 0.5)]
    assert assign(0, 3, lambda i, j: 1.0) == [] and pairs([[NO, NO]]) == []


def test_an_exact_tie_goes_to_the_earlier_gold_item() -> None:
    # One prediction that two gold items would take at the same score (a rule-4 split:
    # "does not encourage or enable" against "encourages" and "enables").
    assert pairs([[NO], [0.8], [0.8]]) == [(1, 0)]
    assert pairs([[0.8, 0.8]]) == [(0, 0)]


def test_tied_pairs_do_not_cross() -> None:
    # Two gold items scoring the same against each of two predictions.
    same = [[0.3, 0.7], [0.3, 0.7]]
    assert pairs(same) == [(0, 0), (1, 1)]
    # Not when uncrossing costs score: then the optimum crosses.
    assert pairs([[0.1, 0.9], [0.9, 0.1]]) == [(0, 1), (1, 0)]


@pytest.mark.parametrize("bad", [-0.1, np.inf])
def test_candidates_must_score_finite_and_non_negative(bad: float) -> None:
    # The bonus that puts more pairs first is only larger than any sum of such scores.
    with pytest.raises(ValueError, match="finite and non-negative"):
        assign_matrix(np.array([[bad, 0.5]]), minimum=-1.0)
    assert pairs([[-0.1, 0.5]]) == [(0, 1)]  # below the default minimum: no candidate
