"""Targeted-stance scores and the paired bootstrap."""

from __future__ import annotations

import numpy as np
import pytest

from claimx.targeted.metrics import (
    class_f1_intervals,
    confusion,
    macro_f1_interval,
    reweight,
    score,
)

GOLD = ["supports", "supports", "refutes", "uncertain", "unrelated", "unrelated"]
PRED = ["supports", "refutes", "refutes", "supports", "unrelated", "unrelated"]


def test_scores_by_hand() -> None:
    s = score(GOLD, PRED)
    assert s.accuracy == pytest.approx(4 / 6)
    assert s.of("supports").precision == 0.5 and s.of("supports").recall == 0.5
    assert s.of("refutes").f1 == pytest.approx(2 / 3)
    assert s.of("uncertain").f1 == 0.0 and s.of("unrelated").f1 == 1.0
    assert s.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0 + 1) / 4)
    assert s.confusion[0] == (1.0, 1.0, 0.0, 0.0)
    assert s.total == 6


def test_macro_f1_leaves_out_classes_neither_gold_nor_predicted() -> None:
    s = score(["supports", "uncertain"], ["supports", "uncertain"])
    assert s.macro_labels == ("supports", "uncertain") and s.macro_f1 == 1.0


def test_unknown_labels_and_length_mismatch_are_errors() -> None:
    with pytest.raises(ValueError, match="not one of"):
        confusion(["agree"], ["supports"])
    with pytest.raises(ValueError, match="1 gold labels but 2"):
        confusion(["supports"], ["supports", "refutes"])


def test_reweighting_keeps_recall_and_moves_precision() -> None:
    balanced = confusion(
        ["supports"] * 10 + ["refutes"] * 10, ["supports"] * 8 + ["refutes"] * 2 + ["refutes"] * 10
    )
    natural = reweight(balanced, [90, 10, 0, 0])
    assert natural.sum() == pytest.approx(balanced.sum())
    before = score(["supports"] * 10 + ["refutes"] * 10, ["supports"] * 8 + ["refutes"] * 12)
    from claimx.targeted.metrics import scores_from_confusion

    after = scores_from_confusion(natural)
    assert after.of("refutes").recall == before.of("refutes").recall == 1.0
    # 2 of every 10 supports go to refutes: at 9 supports per refutes that swamps precision.
    assert after.of("refutes").precision == pytest.approx(1 / (1 + 9 * 0.2))
    with pytest.raises(ValueError, match="no gold items"):
        reweight(balanced, [1, 1, 1, 0])


def test_paired_bootstrap_sees_a_real_difference_and_no_difference() -> None:
    rng = np.random.default_rng(3)
    gold = list(rng.choice(["supports", "refutes", "uncertain", "unrelated"], size=200))
    better = [g if rng.random() < 0.9 else "supports" for g in gold]
    worse = [g if rng.random() < 0.5 else "supports" for g in gold]
    same = macro_f1_interval(gold, better, better, resamples=500)
    assert same.point == same.low == same.high == 0.0
    gain = macro_f1_interval(gold, worse, better, resamples=500)
    assert gain.more_than_noise and gain.low > 0
    assert gain == macro_f1_interval(gold, worse, better, resamples=500)  # seeded
    per_class = class_f1_intervals(gold, worse, better, resamples=500)
    assert set(per_class) == {"supports", "refutes", "uncertain", "unrelated"}
    assert per_class["refutes"].point > 0 and per_class["refutes"].more_than_noise
