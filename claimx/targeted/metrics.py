"""Targeted-stance scores: accuracy, per-class P/R/F1, macro-F1, confusion; pure functions.

* :func:`score`: gold and predicted labels -> :class:`StanceScores`. Rows of
  the confusion matrix are gold classes, columns predicted ones. Precision of
  a class never predicted is 0, recall of a class absent from the gold is 0,
  and F1 is ``2TP / (2TP + FP + FN)``. **Macro-F1** is the unweighted mean of
  the per-class F1 over the classes that occur in the gold or the predictions
  (a class that neither has says nothing about the system: the five-article
  gold, for instance, has no article that refutes one of its claims).
* :func:`reweight`: the confusion matrix of a balanced sample rescaled to
  another class mix (each gold row multiplied so that the rows are in the
  mix's proportions). Recall is unchanged; precision becomes what it would be
  at that mix. The FNC-1 report sample is balanced for the sake of macro-F1's
  rare classes (:mod:`claimx.datasets.fnc1`); reweighting to the report part's
  own mix gives the figures at FNC-1's natural distribution.
* :func:`class_f1_intervals` and :func:`macro_f1_interval`: paired bootstrap of
  the difference between two systems on the same pairs. The per-class F1s
  are pooled counts, so they go through the eval's own
  :func:`claimx.eval.bootstrap.f1_difference_intervals`; macro-F1 is a mean
  of four F1s, which that function does not compute, so it is resampled here
  the same way (pairs drawn with replacement, the same draw for both systems,
  percentile interval, ``numpy.random.default_rng(seed)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from claimx.eval.bootstrap import CONFIDENCE, RESAMPLES, Interval, f1_difference_intervals
from claimx.models import ARTICLE_STANCES

__all__ = [
    "ClassScore",
    "StanceScores",
    "class_f1_intervals",
    "confusion",
    "macro_f1_interval",
    "reweight",
    "score",
    "scores_from_confusion",
]


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of one class."""

    label: str
    precision: float
    recall: float
    f1: float
    support: float  # gold items of the class (a float once reweighted)
    predicted: float


@dataclass(frozen=True)
class StanceScores:
    """Every figure of one system on one set of items."""

    labels: tuple[str, ...]
    confusion: tuple[tuple[float, ...], ...]  # [gold][predicted]
    accuracy: float
    per_class: tuple[ClassScore, ...]
    macro_f1: float
    macro_labels: tuple[str, ...]  # the classes macro-F1 averages over

    def of(self, label: str) -> ClassScore:
        """The scores of one class."""
        return self.per_class[self.labels.index(label)]

    @property
    def total(self) -> float:
        """Items scored."""
        return float(sum(map(sum, self.confusion)))


def confusion(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = ARTICLE_STANCES
) -> NDArray[np.int64]:
    """Counts ``[gold][predicted]`` over ``labels``; a label outside them is an error."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, predicted, strict=True):
        for label in (g, p):
            if label not in index:
                raise ValueError(f"label {label!r} is not one of {', '.join(labels)}")
        matrix[index[g], index[p]] += 1
    return matrix


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else 0.0


def scores_from_confusion(
    matrix: NDArray[np.int64] | NDArray[np.float64], labels: Sequence[str] = ARTICLE_STANCES
) -> StanceScores:
    """Every figure of a confusion matrix (module docstring)."""
    m = np.asarray(matrix, dtype=np.float64)
    per_class, macro = [], []
    for i, label in enumerate(labels):
        tp, gold, pred = m[i, i], m[i, :].sum(), m[:, i].sum()
        f1 = _ratio(2 * tp, gold + pred)
        per_class.append(
            ClassScore(label, _ratio(tp, pred), _ratio(tp, gold), f1, float(gold), float(pred))
        )
        if gold + pred > 0:
            macro.append((label, f1))
    return StanceScores(
        labels=tuple(labels),
        confusion=tuple(tuple(float(x) for x in row) for row in m),
        accuracy=_ratio(float(np.trace(m)), float(m.sum())),
        per_class=tuple(per_class),
        macro_f1=float(np.mean([f for _, f in macro])) if macro else 0.0,
        macro_labels=tuple(label for label, _ in macro),
    )


def score(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = ARTICLE_STANCES
) -> StanceScores:
    """Accuracy, per-class P/R/F1, macro-F1 and the confusion matrix."""
    return scores_from_confusion(confusion(gold, predicted, labels), labels)


def reweight(
    matrix: NDArray[np.int64] | NDArray[np.float64], mix: Sequence[float]
) -> NDArray[np.float64]:
    """The confusion matrix with each gold row rescaled to the class ``mix`` (module docstring).

    ``mix`` gives one weight per class (counts or shares); the result keeps the
    matrix's total. A class of the mix with no gold row to scale is an error.
    """
    m = np.asarray(matrix, dtype=np.float64)
    want = np.asarray(mix, dtype=np.float64)
    rows = m.sum(axis=1)
    if want.shape != rows.shape:
        raise ValueError(f"{len(want)} class weights for {len(rows)} classes")
    if np.any((want > 0) & (rows == 0)):
        raise ValueError("a class of the mix has no gold items to rescale")
    target = want / want.sum() * m.sum()
    scale: NDArray[np.float64] = np.divide(target, rows, out=np.zeros_like(rows), where=rows > 0)
    out: NDArray[np.float64] = m * scale[:, None]
    return out


def _units(
    gold: Sequence[str], a: Sequence[str], b: Sequence[str], label: str
) -> NDArray[np.int64]:
    # The eval's unit columns: TP of a, predictions of a, TP of b, predictions of b, gold.
    rows = [
        [int(g == label and x == label), int(x == label), int(g == label and y == label)]
        + [int(y == label), int(g == label)]
        for g, x, y in zip(gold, a, b, strict=True)
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


def class_f1_intervals(
    gold: Sequence[str],
    a: Sequence[str],
    b: Sequence[str],
    labels: Sequence[str] = ARTICLE_STANCES,
    *,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> dict[str, Interval]:
    """Paired-bootstrap intervals of ``F1_b - F1_a`` for each class, over the same items."""
    units = [_units(gold, a, b, label) for label in labels]
    names = [f"f1_{label}" for label in labels]
    found = f1_difference_intervals(units, names, unit="pair", resamples=resamples, seed=seed)
    return {label: found[name] for label, name in zip(labels, names, strict=True)}


def macro_f1_interval(
    gold: Sequence[str],
    a: Sequence[str],
    b: Sequence[str],
    labels: Sequence[str] = ARTICLE_STANCES,
    *,
    resamples: int = RESAMPLES,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> Interval:
    """Paired-bootstrap interval of ``macro-F1(b) - macro-F1(a)`` (module docstring)."""
    index = {label: i for i, label in enumerate(labels)}
    g = np.array([index[x] for x in gold])
    pa = np.array([index[x] for x in a])
    pb = np.array([index[x] for x in b])
    point = score(gold, b, labels).macro_f1 - score(gold, a, labels).macro_f1
    n, k = len(g), len(labels)
    if n == 0:
        return Interval("macro_f1", "pair", point, point, point, resamples, seed, confidence)
    rng = np.random.default_rng(seed)
    diffs = np.empty(resamples)
    for r in range(resamples):
        idx = rng.integers(0, n, size=n)
        diffs[r] = _macro(g[idx], pb[idx], k) - _macro(g[idx], pa[idx], k)
    alpha = (1 - confidence) / 2
    low, high = np.percentile(diffs, [100 * alpha, 100 * (1 - alpha)])
    return Interval(
        "macro_f1", "pair", round(point, 6), round(float(low), 6), round(float(high), 6),
        resamples, seed, confidence,
    )  # fmt: skip


def _macro(gold: NDArray[np.int64], pred: NDArray[np.int64], k: int) -> float:
    m = np.bincount(gold * k + pred, minlength=k * k).reshape(k, k)
    tp = np.diag(m)
    den = m.sum(axis=0) + m.sum(axis=1)
    present = den > 0
    return float(np.mean(2 * tp[present] / den[present])) if present.any() else 0.0
