"""A metric is a row: what it is computed from, how, and how reports show it.

Every figure of the eval is a :class:`Metric`: the claim metrics
(:data:`claimx.eval.metrics.METRICS`) and the detection metrics
(:data:`claimx.eval.detection.DETECTION_METRICS`) alike. A row says

* ``counts``: the counts it is computed from, read off one **unit** (an
  article's counts, or one gold claim's), as a tuple. Counts add up, so the
  counts of a set of units are the sum of theirs: that is what makes every
  total a micro average, and what lets the paired bootstrap
  (:mod:`claimx.eval.bootstrap`) resample units and recompute any row;
* ``value``: the metric from summed counts, on the last axis of an array, so
  one call computes it for every resample at once; NaN where it is undefined
  (reported as None, printed "–");
* how reports show it (``label``, ``kind``, ``higher_is_better``) and whether
  the A/B comparisons give it a bootstrap interval (``compared``).

So a new metric is one row in its table (a :class:`MetricTable`): the bootstrap,
the A/B comparison and every report (terminal, markdown, HTML, JSON) read the
table when they run, never a copy taken at import, so a row added to it
(:meth:`MetricTable.add`) is everywhere at once. The value
functions below (:func:`precision`, :func:`recall`, :func:`f1`, :func:`share`)
are the shapes most rows need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

__all__ = ["Metric", "MetricTable", "Values", "f1", "precision", "recall", "share"]

C = TypeVar("C")
"""The counts a unit holds: :class:`claimx.eval.metrics.Counts` or
:class:`claimx.eval.detection.DetectionCounts`."""

Values = NDArray[np.float64]
"""Counts summed over units, on the last axis; or metric values, one per leading index."""


@dataclass(frozen=True)
class Metric(Generic[C]):
    """One metric (module doc). ``key`` is its name in the JSON report and in intervals."""

    key: str
    label: str
    counts: Callable[[C], Sequence[float]]
    value: Callable[[Values], Values]
    kind: str = "ratio"  # "ratio" (0..1) | "tokens" | "calls" | "seconds" | "usd" | other
    higher_is_better: bool = True
    compared: bool = False  # the A/B gives it a paired bootstrap interval

    def of(self, counts: C) -> float | None:
        """The metric of one set of counts; None where undefined."""
        return self.of_sum(np.asarray(self.counts(counts), dtype=np.float64))

    def of_sum(self, summed: Values) -> float | None:
        """The metric of counts already summed (one vector); None where undefined."""
        value = float(self.value(summed))
        return None if np.isnan(value) else value

    def per_unit(self, units: Sequence[C]) -> Values:
        """Every unit's counts: one row per unit, one column per count."""
        return np.array([self.counts(u) for u in units], dtype=np.float64).reshape(len(units), -1)


M = TypeVar("M", bound=Metric[Any])


class MetricTable(Generic[M]):
    """The rows of one family of metrics, in report order; looked up by key."""

    def __init__(self, rows: Iterable[M]) -> None:
        self._rows: list[M] = []
        for row in rows:
            self.add(row)

    def __iter__(self) -> Iterator[M]:
        return iter(list(self._rows))

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, key: str) -> M:
        for row in self._rows:
            if row.key == key:
                return row
        raise KeyError(f"no metric {key!r}; the metrics are {', '.join(self.keys())}")

    def __contains__(self, key: object) -> bool:
        return any(row.key == key for row in self._rows)

    def keys(self) -> list[str]:
        """Every row's key, in order."""
        return [row.key for row in self._rows]

    def compared(self) -> list[M]:
        """The rows the A/B comparisons give a bootstrap interval, in order."""
        return [row for row in self._rows if row.compared]

    def add(self, row: M) -> M:
        """Append ``row`` (a new metric); ValueError if its key is taken."""
        if row.key in self:
            raise ValueError(f"a metric {row.key!r} is already in the table")
        self._rows.append(row)
        return row

    def remove(self, key: str) -> None:
        """Take the row ``key`` out of the table."""
        self._rows.remove(self[key])

    @contextmanager
    def added(self, row: M) -> Iterator[M]:
        """The table with ``row`` in it for the ``with`` block (a trial metric, a test)."""
        self.add(row)
        try:
            yield row
        finally:
            self.remove(row.key)


def share(c: Values) -> Values:
    """``c[0] / c[1]``; NaN when ``c[1]`` is 0 (nothing to take a share of)."""
    num, den = c[..., 0], c[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def precision(c: Values) -> Values:
    """From (true positives, predictions, gold): TP / predictions; 1 with neither, 0 with
    no prediction (nothing wrongly found only counts when there was nothing to find)."""
    tp, pred, gold = c[..., 0], c[..., 1], c[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pred > 0, tp / pred, np.where(gold > 0, 0.0, 1.0))


def recall(c: Values) -> Values:
    """From (true positives, predictions, gold): TP / gold; 1 with neither, 0 with no gold."""
    tp, pred, gold = c[..., 0], c[..., 1], c[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(gold > 0, tp / gold, np.where(pred > 0, 0.0, 1.0))


def f1(c: Values) -> Values:
    """From (true positives, predictions, gold): 2·TP / (predictions + gold), the harmonic
    mean of P and R; 1 with neither."""
    tp, pred, gold = c[..., 0], c[..., 1], c[..., 2]
    den = pred + gold
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 2 * tp / den, 1.0)
