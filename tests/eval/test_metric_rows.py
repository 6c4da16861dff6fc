"""A new metric is one row: the bootstrap, the A/B and every report pick it up."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from claimx.eval.compare import build_report
from claimx.eval.detection import DETECTION_METRICS, DetectionMetric, detection_report
from claimx.eval.metric import share
from claimx.eval.metrics import METRICS, ClaimMetric
from claimx.eval.reports import render_html, render_json, render_markdown, render_terminal
from claimx.eval.reports.detection import detection_dict, print_detection
from claimx.eval.results import ReportMeta

from .factory import GOLD, perfect, pred, system
from .test_detection import GOLD as DETECTION_GOLD
from .test_detection import predicted, result

META = ReportMeta(date="d", gold="g", claimx_version="0", responses="r", resamples=300)

# A toy metric, declared here and nowhere else: the share of gold claims whose stance
# a matched prediction got right.
TOY = ClaimMetric(
    "toy_stance_of_gold", "toy: stance right / gold", lambda c: (c.stance_ok, c.n_gold),
    share, compared=True, by_claim=True,
)  # fmt: skip


def test_a_claim_metric_row_reaches_the_bootstrap_the_ab_and_every_report() -> None:
    base = system("extract@v1", [[pred(GOLD[0], stance="supports"), pred(GOLD[1])]] * 3)
    new = system("extract@v2", [perfect()] * 3)
    with METRICS.added(TOY):
        report = build_report([base, new], META)
        (comp,) = report.comparisons
        # base: 1 of 4 gold claims with the right stance per article; new: all 4
        assert report.systems[0].metrics[TOY.key] == pytest.approx(0.25)
        assert comp.intervals[TOY.key].point == pytest.approx(0.75)
        assert comp.claim_intervals[TOY.key].unit == "claim"
        data = json.loads(render_json(report))
        assert data["systems"][1]["metrics"][TOY.key] == 1.0
        assert data["comparisons"][0]["deltas"][TOY.key] == 0.75
        assert data["comparisons"][0]["intervals"][TOY.key]["point"] == 0.75
        full = io.StringIO()
        render_terminal(report, Console(file=full, width=160))
        for shown in (full.getvalue(), render_markdown(report), render_html(report)):
            assert TOY.label in shown
    # Out of the table, out of every report made after.
    assert TOY.key not in METRICS
    assert TOY.key not in render_json(build_report([base, new], META))


def test_a_detection_metric_row_reaches_the_bootstrap_and_the_reports() -> None:
    toy = DetectionMetric(
        "toy exact of any", "toy: exact / any", lambda c: (c.matched_exact, c.matched_any),
        share, compared=True, rule="exact of any", json=("toy", "exact_of_any"),
    )  # fmt: skip
    good = result(predicted("the budget would pass next week", "Jane Doe"))
    loose = result(predicted("the budget would pass", "Jane Doe"))
    with DETECTION_METRICS.added(toy):
        report = detection_report(
            [DETECTION_GOLD], {"a": {"a1": loose}, "b": {"a1": good}}, resamples=50
        )
        assert report.comparisons[0].intervals[toy.key].point == 1.0
        data = detection_dict(report)
        assert data["systems"]["a"]["toy"] == {"exact_of_any": 0.0}
        assert data["comparisons"][0]["f1_intervals"][toy.key]["point"] == 1.0
        console = Console(record=True, width=200)
        print_detection(report, console)
        assert "toy: exact / any" in console.export_text()
    assert toy.key not in DETECTION_METRICS


def test_a_row_is_refused_twice() -> None:
    with pytest.raises(ValueError, match="already"):
        METRICS.add(METRICS["claim_f1"])
