"""Viterbi decoding in integers: the same best label sequence on every CPU.

Scores are ``int64`` sums of ``int32`` weights (:mod:`claimx.tagging.model`),
so every comparison is exact: no float rounding, fused multiply-add or
summation order can flip a label, and ties are broken by a written rule (the
lowest label index, for the previous label and for the last one), not by
whatever order a float reduction happened to take.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["IntArray", "max_marginals", "near_attribution", "viterbi"]

IntArray = npt.NDArray[np.int64]


def viterbi(emissions: IntArray, transitions: IntArray) -> list[int]:
    """The label indices of the best-scoring sequence.

    ``emissions[t, y]`` is the score of label ``y`` at token ``t``,
    ``transitions[x, y]`` that of label ``y`` right after ``x``; a sequence's
    score is the sum of its emissions and transitions. Ties go to the lowest
    label index (``argmax`` returns the first maximum).
    """
    n, n_labels = emissions.shape
    if n == 0:
        return []
    back = np.zeros((n, n_labels), dtype=np.int64)
    score = emissions[0].copy()
    columns = np.arange(n_labels)
    for t in range(1, n):
        candidates = score[:, None] + transitions  # [previous label, label]
        best = candidates.argmax(axis=0)
        back[t] = best
        score = candidates[best, columns] + emissions[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    return path


def max_marginals(emissions: IntArray, transitions: IntArray) -> IntArray:
    """``[t, y]``: the score of the best sequence that gives token ``t`` label ``y``.

    Its maximum over ``y`` is the best sequence's score at every ``t``; how far
    a label falls short of it says how near the model came to choosing it
    (the stage one's signal, :func:`claimx.tagging.tagger.stage_one`). A
    forward and a backward max-product pass, in integers like :func:`viterbi`.
    """
    n, n_labels = emissions.shape
    forward = np.zeros((n, n_labels), dtype=np.int64)
    backward = np.zeros((n, n_labels), dtype=np.int64)
    if n == 0:
        return forward
    forward[0] = emissions[0]
    for t in range(1, n):
        forward[t] = (forward[t - 1][:, None] + transitions).max(axis=0) + emissions[t]
    for t in range(n - 2, -1, -1):
        backward[t] = (transitions + (emissions[t + 1] + backward[t + 1])[None, :]).max(axis=1)
    return forward + backward


def near_attribution(
    emissions: IntArray, transitions: IntArray, outside: int, slack: int
) -> npt.NDArray[np.bool_]:
    """Per token: whether its best labelling inside an attribution (any label but
    ``outside``) scores within ``slack`` of the best labelling of all (the stage one's
    "nearly tagged", from :func:`max_marginals`)."""
    marginals = max_marginals(emissions, transitions)
    best = marginals.max(axis=1)
    inside = np.delete(marginals, outside, axis=1).max(axis=1)
    return np.asarray(inside >= best - slack)
