"""Is a difference between two systems more than noise? The paired bootstrap.

Both systems were scored on the same gold articles. A resample draws scoring
units with replacement, the **same draw for both systems** (that is what makes
it paired: an easy article helps both), recomputes each system's pooled metric
and keeps the difference ``metric(b) - metric(a)``. Any metric row
(:class:`claimx.eval.metric.Metric`) can be resampled: its counts add up over
units, and its value is recomputed from each resample's sums. The reports use
the rows marked ``compared`` (claim F1 and joint F1; detection's evidence F1
under each overlap rule). Over :data:`RESAMPLES` resamples
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
  either system, pooled over all articles (rows whose counts add up over
  single claims only: ``by_claim``). Far more units, so a narrower
  interval, but it treats claims as independent, which they are not, so it
  overstates certainty; a difference that only this interval calls real is
  a lead to follow up on more articles, not a result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from claimx.eval.metric import Metric, Values, f1
from claimx.eval.metrics import METRICS, ClaimMetric, Counts, SystemScore

__all__ = [
    "CONFIDENCE",
    "RESAMPLES",
    "Interval",
    "Resampling",
    "Unit",
    "draw_intervals",
    "f1_difference_intervals",
    "paired_bootstraps",
    "paired_intervals",
    "paired_units",
]

RESAMPLES = 10_000
CONFIDENCE = 0.95
Unit = Literal["article", "claim"]
_CHUNK = 2_000  # resamples drawn at once: bounds memory for the claim-level units

C = TypeVar("C")


@dataclass(frozen=True)
class Resampling:
    """How many resamples, drawn from which seed, and the interval's confidence."""

    resamples: int = RESAMPLES
    seed: int = 0
    confidence: float = CONFIDENCE


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


def paired_units(a: SystemScore, b: SystemScore, unit: Unit) -> tuple[list[Counts], list[Counts]]:
    """The units both systems are resampled over: the i-th of each list is one unit.

    ``"article"``: each article's counts (in ``a``'s order). ``"claim"``: per
    article, each gold claim (with either system's prediction matched to it),
    then ``a``'s unmatched predictions, then ``b``'s (the other system has
    nothing in such a unit).

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
    units_a: list[Counts] = []
    units_b: list[Counts] = []
    for x in a.articles:
        y = ids_b[x.article_id]
        if unit == "article":
            units_a.append(x.counts)
            units_b.append(y.counts)
            continue
        (gold_a, extra_a), (gold_b, extra_b) = x.claim_counts(), y.claim_counts()
        units_a += gold_a + extra_a + [Counts()] * len(extra_b)
        units_b += gold_b + [Counts()] * len(extra_a) + extra_b
    return units_a, units_b


def paired_intervals(
    metrics: Sequence[Metric[C]],
    a: Sequence[C],
    b: Sequence[C],
    *,
    unit: str,
    draws: Resampling = Resampling(),
) -> dict[str, Interval]:
    """Paired-bootstrap intervals of each metric's difference ``b - a`` (module doc).

    ``a[i]`` and ``b[i]`` are the two systems' counts of the i-th unit. One set of
    draws serves every metric, and depends only on the seed and the number of
    units, so a metric gets the same interval alone or with others. A metric
    undefined on all units (no point difference) gets no interval.
    """
    if len(a) != len(b):
        raise ValueError(f"paired units must pair up: {len(a)} against {len(b)}")
    tables = [(m.per_unit(a), m.per_unit(b)) for m in metrics]
    return _intervals(tables, [m.value for m in metrics], [m.key for m in metrics], unit, draws)


def paired_bootstraps(
    a: SystemScore,
    b: SystemScore,
    *,
    metrics: Sequence[ClaimMetric] | None = None,
    unit: Unit = "article",
    draws: Resampling = Resampling(),
) -> dict[str, Interval]:
    """Intervals of several claim metrics' differences (default: the ``compared`` rows).

    Raises ValueError for a claim-level interval of a metric whose counts do not add
    up over single claims (not ``by_claim``).
    """
    rows = list(METRICS.compared() if metrics is None else metrics)
    if unit == "claim" and (wrong := [m.key for m in rows if not m.by_claim]):
        raise ValueError(f"not computed per claim, so no claim-level interval: {wrong}")
    units_a, units_b = paired_units(a, b, unit)
    return paired_intervals(rows, units_a, units_b, unit=unit, draws=draws)


def draw_intervals(
    a: Sequence[SystemScore],
    b: Sequence[SystemScore],
    *,
    metrics: Sequence[ClaimMetric] | None = None,
    draws: Resampling = Resampling(),
) -> dict[str, Interval]:
    """Intervals of ``b - a`` over several **recordings** (draws) of each system.

    ``a`` and ``b`` hold one :class:`SystemScore` per draw: the same requests,
    recorded from the model server in different states (a server at temperature 0
    answers alike from the same state only: :mod:`claimx.eval.draws`). The point difference pools
    each system's draws (its counts summed over draws and articles). A resample
    draws the articles with replacement, as :func:`paired_bootstraps` does (the
    same article draws, from the same seed), and then, for each drawn article and
    each system on its own, one of that system's draws at random: the interval
    holds the spread of the model's answers as well as that of the articles. With
    one draw each it is :func:`paired_bootstraps`' article interval.

    Raises ValueError when a system has no draw, or two draws were not run on the
    same articles with the same gold.
    """
    if not a or not b:
        raise ValueError("each system needs one draw at least")
    rows = list(METRICS.compared() if metrics is None else metrics)
    per_draw_a = [paired_units(a[0], x, "article")[1] for x in a]
    per_draw_b = [paired_units(a[0], x, "article")[1] for x in b]
    n = len(per_draw_a[0])
    rng = np.random.default_rng(draws.seed)
    # The draws' own generator: the article draws stay those of paired_bootstraps.
    pick = np.random.default_rng([draws.seed, 1])
    articles, from_a, from_b = [], [], []
    for start in range(0, draws.resamples, _CHUNK):
        size = min(_CHUNK, draws.resamples - start)
        articles.append(rng.integers(0, n, size=(size, n)))
        from_a.append(pick.integers(0, len(a), size=(size, n)))
        from_b.append(pick.integers(0, len(b), size=(size, n)))
    idx, which_a, which_b = (np.concatenate(x) for x in (articles, from_a, from_b))
    alpha = (1 - draws.confidence) / 2
    out = {}
    for metric in rows:
        table_a = np.stack([metric.per_unit(u) for u in per_draw_a])  # draws x articles x counts
        table_b = np.stack([metric.per_unit(u) for u in per_draw_b])
        point = float(
            metric.value(table_b.sum(axis=(0, 1))) - metric.value(table_a.sum(axis=(0, 1)))
        )
        if np.isnan(point):
            continue
        if n == 0:
            out[metric.key] = Interval(
                metric.key, "article+draw", point, point, point,
                draws.resamples, draws.seed, draws.confidence,
            )  # fmt: skip
            continue
        sums_a = table_a[which_a, idx].sum(axis=1)
        sums_b = table_b[which_b, idx].sum(axis=1)
        spread = metric.value(sums_b) - metric.value(sums_a)
        if np.isnan(spread).all():
            continue
        low, high = np.nanpercentile(spread, [100 * alpha, 100 * (1 - alpha)])
        out[metric.key] = Interval(
            metric.key, "article+draw", round(point, 6), round(float(low), 6),
            round(float(high), 6), draws.resamples, draws.seed, draws.confidence,
        )  # fmt: skip
    return out


# Columns of f1_difference_intervals' unit arrays: true positives, predictions, gold.
_A_COLUMNS, _B_COLUMNS = [0, 1, 4], [2, 3, 4]


def f1_difference_intervals(
    units: Sequence[NDArray[np.int64]],
    metrics: Sequence[str],
    *,
    unit: str,
    resamples: int = RESAMPLES,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> dict[str, Interval]:
    """Paired-bootstrap intervals of F1 differences from ready-made unit arrays.

    ``units[i]`` has one row per unit (the same units, in the same order, for
    every metric) and five columns: true positives and predictions of a, then of b,
    and gold items. For callers with their own units, such as
    :mod:`claimx.targeted.metrics`' per-class F1; the same resampling as
    :func:`paired_intervals`.
    """
    tables = [(u[:, _A_COLUMNS].astype(np.float64), u[:, _B_COLUMNS].astype(np.float64))
              for u in units]  # fmt: skip
    draws = Resampling(resamples, seed, confidence)
    return _intervals(tables, [f1] * len(tables), list(metrics), unit, draws)


def _intervals(
    tables: Sequence[tuple[Values, Values]],
    values: Sequence[Callable[[Values], Values]],
    keys: Sequence[str],
    unit: str,
    draws: Resampling,
) -> dict[str, Interval]:
    """The bootstrap itself: ``tables[i]`` holds metric i's counts per unit, for a and b."""
    widths = [t.shape[1] for pair in tables for t in pair]
    stacked = np.hstack([t for pair in tables for t in pair]) if tables else np.zeros((0, 0))
    n = len(stacked)
    edges = np.cumsum([0, *widths])

    def diffs(sums: Values) -> list[Values]:
        # Metric i's columns for a are block 2i, for b block 2i + 1.
        out = []
        for i, value in enumerate(values):
            a = sums[..., edges[2 * i] : edges[2 * i + 1]]
            b = sums[..., edges[2 * i + 1] : edges[2 * i + 2]]
            out.append(value(b) - value(a))
        return out

    resamples, seed, confidence = draws.resamples, draws.seed, draws.confidence
    points = [float(d) for d in diffs(stacked.sum(axis=0))]
    if n == 0:
        return {
            k: Interval(k, unit, p, p, p, resamples, seed, confidence)
            for k, p in zip(keys, points, strict=True)
            if not np.isnan(p)
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
    resampled = diffs(np.concatenate(chunks))
    alpha = (1 - confidence) / 2
    out = {}
    for key, point, spread in zip(keys, points, resampled, strict=True):
        if np.isnan(point) or np.isnan(spread).all():
            continue
        # A resample on which the metric is undefined (a share of nothing) says nothing.
        low, high = np.nanpercentile(spread, [100 * alpha, 100 * (1 - alpha)])
        out[key] = Interval(
            key, unit, round(point, 6), round(float(low), 6), round(float(high), 6),
            resamples, seed, confidence,
        )  # fmt: skip
    return out
