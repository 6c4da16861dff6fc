"""Rebuild the shipped files from FNC-1's tune part: ``python -m claimx.targeted.train PATH``.

What it does, on the tune part only (:mod:`claimx.datasets.fnc1`; the report
part is never read here):

1. the IDF table from the tune bodies (:class:`~claimx.targeted.lexical.Idf`);
2. the features of every tune pair (:mod:`claimx.targeted.features`);
3. the screen's threshold: at most
   :data:`~claimx.targeted.screen.MAX_RELATED_LOSS` of related pairs below it;
4. the baseline's thresholds (:func:`~claimx.targeted.baseline.tune_rule`);
5. the classifier, on the pairs the screen lets through: the L2 strength and
   whether to add squared features are chosen by 3-fold cross-validation
   (folds by body, so no body is on both sides), macro-F1 over the four
   classes; squares are added only if they gain at least
   :data:`SQUARES_MIN_GAIN` (twice the inputs for less is not worth it); then
   the chosen setting is fitted on all of them.

It writes ``idf.tsv`` and ``targeted.json`` (:mod:`claimx.targeted.shipped`)
into ``--out`` (default: the package's ``data`` folder) and prints what it
measured. The same checkout always gives the same files. About a minute on
one core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claimx.datasets.fnc1 import Fnc1, Pair, load
from claimx.models import ArticleStance
from claimx.targeted.baseline import BaselineRule, tune_rule
from claimx.targeted.classifier import LogisticModel, fit
from claimx.targeted.features import FEATURES, pair_features
from claimx.targeted.lexical import ArticleView, Idf, view, view_once
from claimx.targeted.metrics import score
from claimx.targeted.screen import MAX_RELATED_LOSS, threshold_for_loss
from claimx.targeted.shipped import IDF_FILE, SETTINGS_FILE

__all__ = ["CV_FOLDS", "L2_GRID", "SQUARES_MIN_GAIN", "Trained", "main", "pair_rows", "train"]

L2_GRID = (1e-4, 1e-3, 1e-2, 1e-1)
SQUARES_MIN_GAIN = 0.01
CV_FOLDS = 3
DEFAULT_OUT = Path(__file__).parent / "data"


def pair_rows(pairs: Sequence[Pair], bodies: dict[int, str], idf: Idf) -> list[dict[str, float]]:
    """The features of each pair (each body split into sentences once)."""
    views: dict[int, ArticleView] = {}
    return [
        pair_features(pair.headline, view_once(views, pair.body_id, bodies[pair.body_id]), idf)
        for pair in pairs
    ]


def _fold(body_id: int) -> int:
    return int(hashlib.sha256(f"claimx-fnc1-cv:{body_id}".encode()).hexdigest()[:8], 16) % CV_FOLDS


def _cross_validated(
    x: np.ndarray[Any, Any],
    labels: list[ArticleStance],
    folds: np.ndarray[Any, Any],
    l2: float,
    squares: bool,
) -> float:
    predicted: list[ArticleStance] = ["unrelated"] * len(labels)
    for k in range(CV_FOLDS):
        train_idx = np.flatnonzero(folds != k)
        model = fit(x[train_idx], [labels[i] for i in train_idx], FEATURES, l2=l2, squares=squares)
        test_idx = np.flatnonzero(folds == k)
        best = model.probabilities(x[test_idx]).argmax(axis=1)
        for i, c in zip(test_idx, best, strict=True):
            predicted[i] = model.classes[c]
    return score(labels, predicted).macro_f1


class Trained:
    """What :func:`train` produced, and the figures it measured on the tune part."""

    def __init__(
        self,
        idf: Idf,
        threshold: float,
        rule: BaselineRule,
        classifier: LogisticModel,
        figures: dict[str, Any],
    ) -> None:
        self.idf = idf
        self.threshold = threshold
        self.rule = rule
        self.classifier = classifier
        self.figures = figures

    def settings(self, source: str) -> dict[str, Any]:
        """``targeted.json``'s content."""
        return {
            "source": source,
            "screen": {"threshold": round(self.threshold, 6), "max_related_loss": MAX_RELATED_LOSS},
            "baseline": self.rule.as_dict(),
            "classifier": self.classifier.to_dict(),
            "tune": self.figures,
        }


def train(data: Fnc1, log: Any = sys.stderr) -> Trained:
    """Every shipped part from the tune pairs of ``data`` (module docstring)."""
    started = time.perf_counter()
    pairs = data.part("tune")
    tune_bodies = sorted({p.body_id for p in pairs})
    idf = Idf.build(view(data.bodies[b]) for b in tune_bodies)
    rows = pair_rows(pairs, data.bodies, idf)
    labels = [p.stance for p in pairs]
    print(f"{len(pairs)} tune pairs, {len(tune_bodies)} bodies, features", file=log)

    related = [r["best"] for r, y in zip(rows, labels, strict=True) if y != "unrelated"]
    unrelated = [r["best"] for r, y in zip(rows, labels, strict=True) if y == "unrelated"]
    threshold = threshold_for_loss(related)
    screen_figures = {
        "related_screened": round(sum(s < threshold for s in related) / len(related), 4),
        "unrelated_screened": round(sum(s < threshold for s in unrelated) / len(unrelated), 4),
    }
    print(f"screen: threshold {threshold:.4f}, {screen_figures}", file=log)

    rule = tune_rule(rows, labels)
    baseline_macro = score(labels, [rule.decide(r) for r in rows]).macro_f1
    print(f"baseline: {rule}, tune macro-F1 {baseline_macro:.3f}", file=log)

    kept = [i for i, r in enumerate(rows) if r["best"] >= threshold]
    x = np.array([[rows[i][f] for f in FEATURES] for i in kept], dtype=np.float64)
    y = [labels[i] for i in kept]
    folds = np.array([_fold(pairs[i].body_id) for i in kept])
    cv: dict[str, float] = {}
    best: dict[bool, tuple[float, float]] = {}  # squares -> (CV macro-F1, l2), first best l2
    for squares in (False, True):
        for l2 in L2_GRID:
            macro = round(_cross_validated(x, y, folds, l2, squares), 4)
            cv[f"l2={l2:g},squares={squares}"] = macro
            if squares not in best or macro > best[squares][0]:
                best[squares] = (macro, l2)
    squares = best[True][0] >= best[False][0] + SQUARES_MIN_GAIN
    l2 = best[squares][1]
    print(f"classifier CV macro-F1: {cv}; chosen l2={l2:g}, squares={squares}", file=log)
    classifier = fit(x, y, FEATURES, l2=l2, squares=squares)

    figures = {
        "pairs": len(pairs),
        "bodies": len(tune_bodies),
        "screen": screen_figures,
        "baseline_macro_f1": round(baseline_macro, 4),
        "classifier_cv_macro_f1": cv,
        "classifier_pairs": len(kept),
    }
    print(f"done in {time.perf_counter() - started:.0f} s", file=log)
    return Trained(idf, threshold, rule, classifier, figures)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m claimx.targeted.train", description=__doc__.split("\n")[0]
    )
    parser.add_argument("path", type=Path, help="your FNC-1 checkout (its train files)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    args = parser.parse_args(argv)
    trained = train(load(args.path))
    source = "FNC-1 train_stances.csv + train_bodies.csv, tune part (claimx.datasets.fnc1)"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / IDF_FILE).write_text(trained.idf.dumps(source), encoding="utf-8")
    settings = json.dumps(trained.settings(source), indent=1, sort_keys=True) + "\n"
    (args.out / SETTINGS_FILE).write_text(settings, encoding="utf-8")
    print(f"wrote {args.out / IDF_FILE} and {args.out / SETTINGS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
