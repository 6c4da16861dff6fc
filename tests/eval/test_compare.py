"""A/B comparison: deltas, intervals and the per-claim differences."""

from __future__ import annotations

import pytest

from claimx.eval.compare import build_report, compare
from claimx.eval.metrics import score_system
from claimx.eval.results import ReportMeta

from .factory import GOLD, perfect, pred, system

META = ReportMeta(date="2026-01-01 00:00 UTC", gold="g", claimx_version="0", responses="test")


def test_deltas_intervals_and_claims_right_in_only_one_system() -> None:
    base = system("base", [[pred(GOLD[0]), pred(GOLD[1], stance="refutes")], perfect()])
    new = system("new", [[pred(GOLD[1]), pred(GOLD[2])], None])
    comp = compare(score_system(base), score_system(new), seed=0, resamples=500)
    assert (comp.baseline, comp.system) == ("base", "new")
    # base: 6 matched of 6 predicted, 8 gold, one stance wrong; new: 2 of 2.
    assert comp.deltas["claim_recall"] == pytest.approx(2 / 8 - 6 / 8)
    assert comp.deltas["claim_precision"] == 0.0
    assert comp.deltas["stance_accuracy"] == pytest.approx(1 - 5 / 6)
    assert set(comp.intervals) == set(comp.claim_intervals) == {"claim_f1", "joint_f1"}
    assert comp.intervals["claim_f1"].unit == "article"
    assert comp.claim_intervals["claim_f1"].unit == "claim"

    got = {(d.right_in, d.article_id, d.gold_index, d.wrong_how) for d in comp.diffs}
    assert got == {
        # new gets a0's "targets" right where base had the stance wrong, and "means".
        ("new", "a0", 1, "stance refutes"),
        ("new", "a0", 2, "missed"),
        # base gets a0's first claim and all of a1, where new failed.
        ("base", "a0", 0, "missed"),
        *(("base", "a1", i, "article failed") for i in range(4)),
    }
    first = comp.diffs[0]
    assert (first.right_in, first.wrong_in) == ("new", "base")
    assert first.speaker == "Dmitry Peskov" and first.claim == GOLD[1].claim


def test_build_report_compares_every_system_with_the_first() -> None:
    runs = [system(name, [perfect(), []]) for name in ("a", "b", "c")]
    report = build_report(runs, META)
    assert [s.label for s in report.systems] == ["a", "b", "c"]
    assert [(c.baseline, c.system) for c in report.comparisons] == [("a", "b"), ("a", "c")]
    assert all(c.diffs == [] and c.deltas["claim_f1"] == 0 for c in report.comparisons)


def test_labels_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        build_report([system("a", [perfect()]), system("a", [[]])], META)
