"""Integer Viterbi: the best sequence, checked against brute force, ties broken by rule."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from claimx.tagging.viterbi import max_marginals, viterbi


def _score(emissions: np.ndarray, transitions: np.ndarray, path: Sequence[int]) -> int:
    score = sum(int(emissions[t, y]) for t, y in enumerate(path))
    return score + sum(int(transitions[a, b]) for a, b in itertools.pairwise(path))


def _best_paths(emissions: np.ndarray, transitions: np.ndarray) -> list[list[int]]:
    n, k = emissions.shape
    paths = [list(p) for p in itertools.product(range(k), repeat=n)]
    scores = [_score(emissions, transitions, p) for p in paths]
    return [p for p, s in zip(paths, scores, strict=True) if s == max(scores)]


@pytest.mark.parametrize("seed", range(40))
def test_viterbi_finds_a_brute_force_best(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 6)), int(rng.integers(2, 4))
    # Small integers: ties are frequent, so they are exercised too.
    emissions = rng.integers(-3, 4, size=(n, k)).astype(np.int64)
    transitions = rng.integers(-3, 4, size=(k, k)).astype(np.int64)
    best = _best_paths(emissions, transitions)
    found = viterbi(emissions, transitions)
    assert found in best
    if len(best) == 1:
        assert found == best[0]
    assert viterbi(emissions.copy(), transitions.copy()) == found  # the tie rule is fixed


def test_ties_go_to_the_lowest_label() -> None:
    flat = np.zeros((3, 4), dtype=np.int64)
    assert viterbi(flat, np.zeros((4, 4), dtype=np.int64)) == [0, 0, 0]


def test_empty_sequence() -> None:
    assert viterbi(np.zeros((0, 3), dtype=np.int64), np.zeros((3, 3), dtype=np.int64)) == []


def test_scores_far_beyond_float_precision_still_decide_exactly() -> None:
    big = 2**60
    emissions = np.array([[big, big + 1]], dtype=np.int64)  # equal as float64
    assert float(emissions[0, 0]) == float(emissions[0, 1])
    assert viterbi(emissions, np.zeros((2, 2), dtype=np.int64)) == [1]


@pytest.mark.parametrize("seed", range(20))
def test_max_marginals_are_the_best_score_through_each_label(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, k = int(rng.integers(1, 5)), int(rng.integers(2, 4))
    emissions = rng.integers(-5, 6, size=(n, k)).astype(np.int64)
    transitions = rng.integers(-5, 6, size=(k, k)).astype(np.int64)
    paths = list(itertools.product(range(k), repeat=n))
    got = max_marginals(emissions, transitions)
    for t in range(n):
        for y in range(k):
            want = max(_score(emissions, transitions, p) for p in paths if p[t] == y)
            assert got[t, y] == want
    best = viterbi(emissions, transitions)
    assert (got.max(axis=1) == _score(emissions, transitions, best)).all()
