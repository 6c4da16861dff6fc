"""The lexical baseline's rule and tuning; the logistic-regression classifier."""

from __future__ import annotations

import numpy as np
import pytest

from claimx.models import ArticleStance
from claimx.targeted.baseline import BaselineRule, tune_rule
from claimx.targeted.classifier import LogisticModel, fit


def row(best: float, refute: float = 0, hedge: float = 0) -> dict[str, float]:
    return {"best": best, "top_refute": refute, "top_hedge": hedge}


def test_the_rule_decides_in_order() -> None:
    rule = BaselineRule(related_at=0.3, refute_at=1, hedge_at=2)
    assert rule.decide(row(0.2, refute=5)) == "unrelated"
    assert rule.decide(row(0.5, refute=1, hedge=9)) == "refutes"
    assert rule.decide(row(0.5, hedge=2)) == "uncertain"
    assert rule.decide(row(0.5, hedge=1)) == "supports"


def test_tuning_finds_the_thresholds_that_separate_the_classes() -> None:
    rows = [row(0.1)] * 4 + [row(0.5, refute=2)] * 4 + [row(0.5, hedge=3)] * 4 + [row(0.5)] * 4
    rows += [row(0.5, hedge=1)] * 2 + [row(0.5, refute=1)] * 2  # one cue word: still supports
    gold: list[ArticleStance] = ["unrelated"] * 4 + ["refutes"] * 4 + ["uncertain"] * 4
    gold += ["supports"] * 8
    rule = tune_rule(rows, gold)
    assert [rule.decide(r) for r in rows] == gold  # the vectorised search and decide() agree
    assert rule.refute_at == 2 and rule.hedge_at == 2  # ties go to the smallest threshold
    assert 0.1 < rule.related_at <= 0.5 and type(rule.related_at) is float


def test_the_classifier_learns_separable_classes_and_round_trips() -> None:
    rng = np.random.default_rng(0)
    centres = {"supports": (2, 0), "refutes": (0, 2), "uncertain": (-2, 0), "unrelated": (0, -2)}
    labels: list[ArticleStance] = [c for c in centres for _ in range(30)]
    x = np.array([centres[c] for c in labels], dtype=float) + rng.normal(0, 0.3, (120, 2))
    model = fit(x, labels, ("a", "b"), l2=1e-3)
    items = [{"a": a, "b": b} for a, b in x]
    assert model.predict(items) == labels
    assert model.probabilities(x).sum(axis=1) == pytest.approx(np.ones(120))
    again = LogisticModel.from_dict(model.to_dict())
    assert again.predict(items) == labels
    squared = fit(x, labels, ("a", "b"), squares=True)
    assert len(squared.weights) == 2 * 2 + 1 and squared.predict(items) == labels


def test_rare_classes_weigh_as_much_as_common_ones() -> None:
    # 95 supports around 0, 5 refutes a little apart: unweighted, refutes would be lost.
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(0, 1, (95, 1)), rng.normal(1.5, 0.3, (5, 1))])
    labels: list[ArticleStance] = ["supports"] * 95 + ["refutes"] * 5
    model = fit(x, labels, ("a",))
    assert model.classes == ("supports", "refutes")  # only the classes seen
    assert model.predict([{"a": 1.5}]) == ["refutes"]


def test_a_model_file_with_the_wrong_shape_is_refused() -> None:
    data = fit(np.array([[0.0], [1.0]]), ["supports", "refutes"], ("a",)).to_dict()
    data["weights"] = data["weights"][:1]
    with pytest.raises(ValueError, match="weights are not 2 x 2"):
        LogisticModel.from_dict(data)
    with pytest.raises(ValueError, match="no training items"):
        fit(np.array([[0.0]]), ["supports"], ("a",), classes=("supports", "refutes"))
