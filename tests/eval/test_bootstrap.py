"""The paired bootstrap: deterministic, paired, and able to see a real difference."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from claimx.eval.bootstrap import (
    Interval,
    Resampling,
    Unit,
    draw_intervals,
    paired_bootstraps,
    paired_units,
)
from claimx.eval.metrics import METRICS, ClaimMetric, Counts, SystemScore, score_system
from claimx.models import ExtractedClaim

from .factory import GOLD, perfect, pred, system


def scored(label: str, per_article: list[list[ExtractedClaim] | None]) -> SystemScore:
    return score_system(system(label, per_article))


def paired_bootstrap(
    a: SystemScore,
    b: SystemScore,
    *,
    metric: ClaimMetric = METRICS["claim_f1"],
    unit: Unit = "article",
    seed: int = 0,
    resamples: int = 10_000,
) -> Interval:
    """The interval of one metric."""
    draws = Resampling(resamples, seed)
    found = paired_bootstraps(a, b, metrics=[metric], unit=unit, draws=draws)
    return found[metric.key]


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
    iv = paired_bootstrap(POOR, GOOD, metric=METRICS["claim_f1"], seed=0)
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


def test_one_recording_each_gives_the_article_interval_bit_for_bit() -> None:
    draws = Resampling(2_000, 5)
    assert draw_intervals([POOR], [MIXED], draws=draws) == {
        k: replace(iv, unit="article+draw")
        for k, iv in paired_bootstraps(POOR, MIXED, draws=draws).items()
    }


def test_recordings_that_disagree_widen_the_interval_and_pool_in_the_point() -> None:
    # Two recordings of one system: one scores like GOOD, the other like POOR.
    draws = Resampling(2_000, 0)
    one = draw_intervals([POOR], [GOOD], draws=draws)["claim_f1"]
    two = draw_intervals([POOR, POOR], [GOOD, POOR], draws=draws)["claim_f1"]
    assert one.low == one.high == pytest.approx(0.6)  # every article improves alike
    # Pooled: GOOD's and POOR's counts summed, F1 = 2*25/(25+40) against POOR's 0.4.
    assert two.point == pytest.approx(50 / 65 - 0.4)
    assert two.low < one.low and two.high == pytest.approx(0.6)
    # The same recording twice is one recording.
    assert draw_intervals([POOR, POOR], [GOOD, GOOD], draws=draws)["claim_f1"] == one


def test_recordings_of_other_articles_cannot_be_pooled() -> None:
    with pytest.raises(ValueError, match="same articles"):
        draw_intervals([POOR], [POOR, scored("short", [perfect()] * 4)])
    with pytest.raises(ValueError, match="one draw"):
        draw_intervals([], [POOR])


def test_identical_systems_differ_by_exactly_zero() -> None:
    iv = paired_bootstrap(MIXED, MIXED, metric=METRICS["joint_f1"], unit="claim", seed=3)
    assert (iv.point, iv.low, iv.high) == (0.0, 0.0, 0.0) and not iv.more_than_noise


def test_claim_units_add_up_to_the_counts() -> None:
    units_a, units_b = paired_units(POOR, MIXED, "claim")
    assert len(units_a) == len(units_b)
    pooled_a, pooled_b = sum(units_a, Counts()), sum(units_b, Counts())
    # Every field a by-claim metric reads adds up to the system's own counts.
    for scored_system, pooled in ((POOR, pooled_a), (MIXED, pooled_b)):
        for m in METRICS:
            if m.by_claim:
                assert m.counts(pooled) == m.counts(scored_system.total), m.key
    articles_a, articles_b = paired_units(POOR, MIXED, "article")
    assert len(articles_a) == 5 and [u.n_gold for u in articles_b] == [4] * 5


def test_many_metrics_at_once_equal_one_at_a_time() -> None:
    rows = [METRICS[k] for k in ("claim_f1", "joint_f1", "speaker_accuracy", "stance_macro_f1")]
    draws = Resampling(2000, seed=5)
    together = paired_bootstraps(POOR, MIXED, metrics=rows, unit="claim", draws=draws)
    for row in rows:
        alone = paired_bootstrap(POOR, MIXED, metric=row, unit="claim", seed=5, resamples=2000)
        assert together[row.key] == alone


def test_any_row_is_resampled_and_a_claim_interval_needs_per_claim_counts() -> None:
    tokens = METRICS["prompt_tokens"]
    (iv,) = paired_bootstraps(POOR, GOOD, metrics=[tokens], draws=Resampling(200)).values()
    assert iv.metric == "prompt_tokens" and iv.low <= iv.point <= iv.high
    with pytest.raises(ValueError, match="prompt_tokens"):
        paired_bootstraps(POOR, GOOD, metrics=[tokens], unit="claim")


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
    ivs = paired_bootstraps(big_a, big_b, unit="claim", draws=Resampling(10_000, seed=0))
    assert time.perf_counter() - start < 1.5
    assert len(paired_units(big_a, big_b, "claim")[0]) >= 240
    assert all(np.isfinite([iv.low, iv.high]).all() for iv in ivs.values())
