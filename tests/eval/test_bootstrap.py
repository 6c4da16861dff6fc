"""The paired bootstrap: deterministic, paired, and able to see a real difference."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from claimx.eval.bootstrap import paired_bootstrap, paired_bootstraps, paired_units
from claimx.eval.metrics import SystemScore, score_system
from claimx.models import ExtractedClaim

from .factory import GOLD, perfect, pred, system


def scored(label: str, per_article: list[list[ExtractedClaim] | None]) -> SystemScore:
    return score_system(system(label, per_article))


POOR = scored("poor", [[pred(GOLD[0])]] * 5)
GOOD = scored("good", [perfect()] * 5)
# Better on two articles, worse on one, equal on two: a difference noise could make.
MIXED = scored("mixed", [perfect(), perfect(), [], [pred(GOLD[0])], [pred(GOLD[0])]])


def test_same_seed_same_interval_other_seed_other_draws() -> None:
    one = paired_bootstrap(POOR, MIXED, seed=7)
    assert one == paired_bootstrap(POOR, MIXED, seed=7)
    other = paired_bootstrap(POOR, MIXED, seed=8, unit="claim")
    assert other != paired_bootstrap(POOR, MIXED, seed=7, unit="claim")


def test_a_consistent_improvement_is_more_than_noise() -> None:
    iv = paired_bootstrap(POOR, GOOD, metric="claim_f1", seed=0)
    # poor: 1 of 4 found per article, no false positive -> F1 = 2*5/(5+20) = 0.4
    assert iv.point == pytest.approx(1.0 - 0.4)
    # Every article improves by the same amount, so every resample does too.
    assert iv.low == pytest.approx(0.6) and iv.high == pytest.approx(0.6)
    assert iv.more_than_noise and iv.verdict == "more than noise"
    assert paired_bootstrap(GOOD, POOR, seed=0).high < 0  # and the reverse is a loss


def test_an_inconsistent_difference_is_within_noise() -> None:
    iv = paired_bootstrap(POOR, MIXED, seed=0)
    assert iv.low < 0 < iv.high and not iv.more_than_noise
    assert iv.low <= iv.point <= iv.high


def test_identical_systems_differ_by_exactly_zero() -> None:
    iv = paired_bootstrap(MIXED, MIXED, metric="joint_f1", unit="claim", seed=3)
    assert (iv.point, iv.low, iv.high) == (0.0, 0.0, 0.0) and not iv.more_than_noise


def test_claim_units_add_up_to_the_counts() -> None:
    units = paired_units(POOR, MIXED, "claim_f1", "claim")
    tp_a, pred_a, tp_b, pred_b, gold = units.sum(axis=0)
    assert (tp_a, pred_a, gold) == (POOR.total.matched, POOR.total.n_pred, POOR.total.n_gold)
    assert (tp_b, pred_b) == (MIXED.total.matched, MIXED.total.n_pred)
    articles = paired_units(POOR, MIXED, "joint_f1", "article")
    assert articles.shape == (5, 5) and articles[:, 4].tolist() == [4] * 5


def test_many_metrics_at_once_equal_one_at_a_time() -> None:
    both = paired_bootstraps(POOR, MIXED, unit="claim", seed=5, resamples=2000)
    for metric in ("claim_f1", "joint_f1"):
        alone = paired_bootstrap(POOR, MIXED, metric=metric, unit="claim", seed=5, resamples=2000)
        assert both[metric] == alone


def test_different_articles_or_gold_cannot_be_paired() -> None:
    other = scored("other", [perfect()] * 4)
    with pytest.raises(ValueError, match="same articles"):
        paired_bootstrap(POOR, other)
    run = system("regolded", [perfect()] * 5)
    regolded = replace(run, articles=[replace(run.articles[0], gold=GOLD[:2]), *run.articles[1:]])
    with pytest.raises(ValueError, match=r"different gold: \['a0'\]"):
        paired_bootstrap(POOR, score_system(regolded))


def test_ten_thousand_resamples_of_hundreds_of_claims_are_fast() -> None:
    big_a = scored("a", [[pred(GOLD[0])]] * 60)
    big_b = scored("b", [perfect()[:3]] * 30 + [[pred(GOLD[1])]] * 30)
    start = time.perf_counter()
    ivs = paired_bootstraps(big_a, big_b, unit="claim", resamples=10_000, seed=0)
    assert time.perf_counter() - start < 1.5
    assert len(paired_units(big_a, big_b, "claim_f1", "claim")) >= 240
    assert all(np.isfinite([iv.low, iv.high]).all() for iv in ivs.values())
