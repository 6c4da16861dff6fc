"""The lexical baseline: an article's position from overlap and cue counts, by three thresholds.

The rule (:meth:`BaselineRule.decide`), over :mod:`claimx.targeted.features`:

1. ``best < related_at`` (the best sentence covers too little of the claim):
   ``unrelated``;
2. else ``top_refute >= refute_at`` (refuting cues in the best-matching
   sentences): ``refutes``;
3. else ``top_hedge >= hedge_at`` (hedging cues there): ``uncertain``;
4. else ``supports``.

It is the floor the final system's agree (supports) and disagree (refutes)
F1 must clear: what counting cue words near the claim already gets.
:func:`tune_rule` picks the three thresholds on the FNC-1 tune part by
macro-F1 over the four classes (a grid, every combination tried); the
shipped values are in ``data/targeted.json`` (``baseline``), set by
:mod:`claimx.targeted.train`. ``related_at`` is the baseline's own cut for
relatedness, at its best accuracy, not the screen's conservative one.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from claimx.models import ARTICLE_STANCES, ArticleStance
from claimx.targeted.metrics import scores_from_confusion

__all__ = ["BaselineRule", "tune_rule"]

_RELATED_GRID = tuple(round(float(x), 2) for x in np.arange(0.10, 0.62, 0.02))
_REFUTE_GRID = (1, 2, 3)
_HEDGE_GRID = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True)
class BaselineRule:
    """The baseline's three thresholds (module docstring)."""

    related_at: float
    refute_at: int
    hedge_at: int

    def decide(self, features: Mapping[str, float]) -> ArticleStance:
        """The article's position by the rule of the module docstring."""
        if features["best"] < self.related_at:
            return "unrelated"
        if features["top_refute"] >= self.refute_at:
            return "refutes"
        if features["top_hedge"] >= self.hedge_at:
            return "uncertain"
        return "supports"

    def as_dict(self) -> dict[str, float]:
        """The thresholds by name (for ``data/targeted.json``)."""
        return asdict(self)


def tune_rule(rows: Sequence[Mapping[str, float]], gold: Sequence[ArticleStance]) -> BaselineRule:
    """The thresholds with the best four-class macro-F1 on these pairs (ties: the first in
    grid order, smallest thresholds first)."""
    labels = list(ARTICLE_STANCES)
    best_cov = np.array([r["best"] for r in rows])
    refute = np.array([r["top_refute"] for r in rows])
    hedge = np.array([r["top_hedge"] for r in rows])
    truth = np.array([labels.index(g) for g in gold])
    k = len(labels)
    found: tuple[float, BaselineRule] | None = None
    # Vectorised (468 rules x ~38,000 tune pairs); decide() states the same rule per pair.
    for related, refute_at, hedge_at in itertools.product(_RELATED_GRID, _REFUTE_GRID, _HEDGE_GRID):
        predicted = np.where(
            best_cov < related,
            labels.index("unrelated"),
            np.where(
                refute >= refute_at,
                labels.index("refutes"),
                np.where(hedge >= hedge_at, labels.index("uncertain"), labels.index("supports")),
            ),
        )
        matrix = np.bincount(truth * k + predicted, minlength=k * k).reshape(k, k)
        macro = scores_from_confusion(matrix, labels).macro_f1
        if found is None or macro > found[0]:
            found = (macro, BaselineRule(related, refute_at, hedge_at))
    if found is None:
        raise ValueError("no rule tried")
    return found[1]
