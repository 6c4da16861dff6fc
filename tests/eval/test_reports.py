"""The four renderers: what each must show, and the JSON's stable keys."""

from __future__ import annotations

import io
import json
import re

from rich.console import Console

from claimx.eval.compare import Report, build_report
from claimx.eval.metrics import METRICS
from claimx.eval.reports import (
    JSON_SCHEMA_VERSION,
    render_json,
    render_markdown,
    render_terminal,
)
from claimx.eval.results import ReportMeta

from .factory import GOLD, perfect, pred, system

META = ReportMeta(
    date="2026-01-01 00:00 UTC",
    gold="eval/gold",
    claimx_version="9.9.9",
    responses="recorded cassettes in eval/cassettes",
    recorded_model="Qwen2.5-Coder-1.5B-Instruct",
    recorded_at="2026-11-23",
    seed=1,
    resamples=500,
)
NASTY = "Kirby said <script>alert(1)</script> | and “more”."


def make_report() -> Report:
    base = system(
        "extract@v1",
        [
            [
                pred(GOLD[0], stance="supports"),  # matched, stance wrong
                pred(GOLD[1], speaker="John Kirby"),  # matched, speaker wrong
                pred(GOLD[3], claim=NASTY),  # spurious: another proposition
            ],
            None,  # a failed article
        ],
    )
    new = system("extract@v2", [perfect(), perfect()])
    return build_report([base, new], META)


REPORT = make_report()


def test_terminal_shows_provenance_metrics_articles_and_ab() -> None:
    buffer = io.StringIO()
    render_terminal(REPORT, Console(file=buffer, width=220, color_system=None))
    out = buffer.getvalue()
    for expected in (
        "REPLAYED responses of Qwen2.5-Coder-1.5B-Instruct",
        "9.9.9",
        "abc123",  # prompt hash
        "extract@v1",
        "Δ extract@v2",
        "joint F1",
        "FAILED",
        "more than noise",
        "stance supports",  # how v1 got the Kirby claim wrong
    ):
        assert expected in out, expected
    for info in METRICS:
        assert info.label in out
    assert "n/a" in out  # the local model has no price: not a misleading $0


def test_markdown_has_tables_and_escapes_pipes() -> None:
    md = render_markdown(REPORT)
    assert md.startswith("# claimx evaluation")
    assert "| claim F1 |" in md and "| --- | ---: | ---: | ---: |" in md
    assert "**failed**: ExtractionError" in md
    assert "REPLAYED" in md and "`abc123`" in md
    # Every table row has the same number of unescaped cells as its header.
    for table in re.findall(r"((?:^\|.*\|\n)+)", md, flags=re.M):
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


def test_json_keys_are_stable() -> None:
    data = json.loads(render_json(REPORT))
    assert data["schema_version"] == JSON_SCHEMA_VERSION == 1
    assert list(data) == ["schema_version", "meta", "systems", "comparisons"]
    assert set(data["meta"]) == {
        "date", "gold", "claimx_version", "responses", "recorded_model", "recorded_at",
        "command", "bootstrap", "matching",
    }  # fmt: skip
    system = data["systems"][0]
    assert list(system) == [
        "label", "prompt", "prompt_hash", "model", "strategy", "source", "metrics", "counts",
        "stance_confusion", "articles",
    ]  # fmt: skip
    assert list(system["metrics"]) == [m.key for m in METRICS]
    article = system["articles"][0]
    assert list(article) == [
        "article_id", "error", "metrics", "counts", "pairs", "missed", "spurious",
    ]  # fmt: skip
    assert set(article["pairs"][0]) == {
        "gold", "pred", "similarity", "overlap", "speaker_ok", "stance_ok", "joint_ok",
    }  # fmt: skip
    assert system["articles"][1]["error"].startswith("ExtractionError")
    comparison = data["comparisons"][0]
    assert list(comparison) == [
        "baseline", "system", "deltas", "intervals", "claim_intervals", "diffs",
    ]  # fmt: skip
    assert set(comparison["intervals"]["joint_f1"]) == {
        "unit", "point", "low", "high", "more_than_noise",
    }  # fmt: skip
    assert system["stance_confusion"]["refutes"]["supports"] == 1
    assert render_json(REPORT) == render_json(make_report())  # deterministic
