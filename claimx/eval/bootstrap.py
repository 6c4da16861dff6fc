"""Is a difference between two systems more than noise? The paired bootstrap.

Both systems were scored on the same gold articles. A resample draws scoring
units with replacement, the **same draw for both systems** (that is what makes
it paired: an easy article helps both), recomputes each system's pooled F1
and keeps the difference ``F1(b) - F1(a)``. Over :data:`RESAMPLES` resamples
the 2.5th and 97.5th percentiles of the differences are the 95% interval;
a difference is **more than noise** when that interval excludes 0. The draws
come from ``numpy.random.default_rng(seed)``: the same seed gives the same
interval, bit for bit.

Two kinds of units:

* ``"article"`` (what the reports use for the verdict): each unit is one
  article with its summed counts. Articles are the independent units here:
  claims of one article share its writing, its speakers and the model's one
  response, so they succeed or fail together. With five articles there are
  only 126 distinct resamples and the interval is wide; that width is the
  honest statement of how little five articles can show.
* ``"claim"`` (reported beside it, for reference): each unit is one gold claim
  (with the prediction matched to it, if any) or one unmatched prediction of
  either system, pooled over all articles. Far more units, so a narrower
  interval, but it treats claims as independent, which they are not, so it
  overstates certainty; a difference that only this interval calls real is
  a lead to follow up on more articles, not a result.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from claimx.eval.metrics import ArticleScore, SystemScore

__all__ = [
    "CONFIDENCE",
    "RESAMPLES",
    "Interval",
    "Metric",
    "Unit",
    "f1_difference_intervals",
    "paired_bootstrap",
    "paired_bootstraps",
    "paired_units",
]

RESAMPLES = 10_000
CONFIDENCE = 0.95
Metric = Literal["claim_f1", "joint_f1"]
Unit = Literal["article", "claim"]
_CHUNK = 2_000  # resamples drawn at once: bounds memory for the claim-level units

# Columns of a unit array: true positives, predictions, gold claims, for a then b.
_TP_A, _PRED_A, _TP_B, _PRED_B, _GOLD = range(5)


@dataclass(frozen=True)
class Interval:
    """A bootstrap interval of ``metric(b) - metric(a)``."""

    metric: str
    unit: str
    point: float  # the observed difference on all units
    low: float
    high: float
    resamples: int
    seed: int
    confidence: float = CONFIDENCE

    @property
    def more_than_noise(self) -> bool:
        """True when the interval excludes 0."""
        return self.low > 0 or self.high < 0

    @property
    def verdict(self) -> str:
        """Either "more than noise" or "within noise", for reports."""
        return "more than noise" if self.more_than_noise else "within noise"


def _article_rows(a: ArticleScore, b: ArticleScore, metric: Metric) -> Iterator[list[int]]:
    tp = "matched" if metric == "claim_f1" else "joint_ok"
    yield [
        getattr(a.counts, tp),
        a.counts.n_pred,
        getattr(b.counts, tp),
        b.counts.n_pred,
        a.counts.n_gold,
    ]


def _claim_rows(a: ArticleScore, b: ArticleScore, metric: Metric) -> Iterator[list[int]]:
    def right(art: ArticleScore) -> dict[int, bool]:
        # gold index -> counts as a true positive; present when a prediction took it
        return {p.gold: (True if metric == "claim_f1" else p.joint_ok) for p in art.pairs}

    ra, rb = right(a), right(b)
    for i in range(len(a.run.gold)):
        yield [int(ra.get(i, False)), int(i in ra), int(rb.get(i, False)), int(i in rb), 1]
    for _ in a.spurious:
        yield [0, 1, 0, 0, 0]
    for _ in b.spurious:
        yield [0, 0, 0, 1, 0]


def paired_units(a: SystemScore, b: SystemScore, metric: Metric, unit: Unit) -> NDArray[np.int64]:
    """The units both systems are resampled over: shape (n, 5), see the column constants.

    Raises ValueError when the systems were not run on the same articles with the same gold.
    """
    ids_a = [x.article_id for x in a.articles]
    ids_b = {x.article_id: x for x in b.articles}
    if sorted(ids_a) != sorted(ids_b):
        raise ValueError(
            f"{a.label} and {b.label} were not run on the same articles;"
            " a paired comparison needs the same gold for both"
        )
    changed = [x.article_id for x in a.articles if x.run.gold != ids_b[x.article_id].run.gold]
    if changed:
        raise ValueError(f"{a.label} and {b.label} were scored against different gold: {changed}")
    rows_of = _article_rows if unit == "article" else _claim_rows
    rows = [row for x in a.articles for row in rows_of(x, ids_b[x.article_id], metric)]
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


def _f1(
    tp: NDArray[np.float64], pred: NDArray[np.float64], gold: NDArray[np.float64]
) -> NDArray[np.float64]:
    # 2TP / (predictions + gold) is F1; with neither, F1 is 1 as in metrics.compute_metrics.
    den = pred + gold
    return np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), 1.0)


def _diff(sums: NDArray[np.float64]) -> NDArray[np.float64]:
    f_a = _f1(sums[..., _TP_A], sums[..., _PRED_A], sums[..., _GOLD])
    f_b = _f1(sums[..., _TP_B], sums[..., _PRED_B], sums[..., _GOLD])
    return f_b - f_a


def paired_bootstraps(
    a: SystemScore,
    b: SystemScore,
    *,
    metrics: Sequence[Metric] = ("claim_f1", "joint_f1"),
    unit: Unit = "article",
    resamples: int = RESAMPLES,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> dict[Metric, Interval]:
    """Intervals of several metrics' differences from one set of resamples (module doc).

    Each metric gets exactly the interval :func:`paired_bootstrap` gives it with
    the same seed: the draws depend only on the seed and the number of units.
    """
    units = [paired_units(a, b, m, unit) for m in metrics]
    found = f1_difference_intervals(
        units, metrics, unit=unit, resamples=resamples, seed=seed, confidence=confidence
    )
    return {m: found[m] for m in metrics}


def f1_difference_intervals(
    units: Sequence[NDArray[np.int64]],
    metrics: Sequence[str],
    *,
    unit: str,
    resamples: int = RESAMPLES,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> dict[str, Interval]:
    """Paired-bootstrap intervals of F1 differences, one per metric, from unit arrays.

    ``units[i]`` has one row per unit (the same units, in the same order, for
    every metric) and five columns: true positives, predictions of a, then of b,
    and gold items. Any F1 over pooled counts fits, such as the claim matching's
    or :mod:`claimx.eval.detection`'s span rules.
    """
    # Units of every metric side by side: same rows, five columns per metric.
    stacked = np.hstack(list(units)).astype(np.float64)
    n, k = len(stacked), len(metrics)
    points = [float(_diff(stacked[:, 5 * i : 5 * i + 5].sum(axis=0))) for i in range(k)]
    if n == 0:
        return {
            m: Interval(m, unit, p, p, p, resamples, seed, confidence)
            for m, p in zip(metrics, points, strict=True)
        }
    rng = np.random.default_rng(seed)
    chunks = []
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        idx = rng.integers(0, n, size=(size, n))
        # How often each unit was drawn in each resample; one matrix product then
        # gives every resample's summed counts, for every metric at once.
        offsets = (np.arange(size) * n)[:, None]
        weights = np.bincount((idx + offsets).ravel(), minlength=size * n).reshape(size, n)
        chunks.append(weights @ stacked)
    sums = np.concatenate(chunks)
    alpha = (1 - confidence) / 2
    out = {}
    for i, metric in enumerate(metrics):
        diffs = _diff(sums[:, 5 * i : 5 * i + 5])
        low, high = np.percentile(diffs, [100 * alpha, 100 * (1 - alpha)])
        out[metric] = Interval(
            metric, unit, round(points[i], 6), round(float(low), 6), round(float(high), 6),
            resamples, seed, confidence,
        )  # fmt: skip
    return out


def paired_bootstrap(
    a: SystemScore,
    b: SystemScore,
    *,
    metric: Metric = "claim_f1",
    unit: Unit = "article",
    resamples: int = RESAMPLES,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> Interval:
    """Percentile interval of ``metric(b) - metric(a)`` by paired bootstrap (module doc)."""
    return paired_bootstraps(
        a, b, metrics=(metric,), unit=unit, resamples=resamples, seed=seed, confidence=confidence
    )[metric]
