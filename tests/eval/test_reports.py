"""The four renderers: what each must show, and the JSON's stable keys."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from claimx.eval.compare import Report, build_report
from claimx.eval.metrics import METRICS
from claimx.eval.reports import (
    JSON_SCHEMA_VERSION,
    render_json,
    render_markdown,
    render_summary,
    render_terminal,
)
from claimx.eval.reports.common import AB_NOISE_NOTE, fmt_delta, fmt_interval
from claimx.eval.results import ReportMeta, SystemRun
from claimx.models import ExtractedClaim

from .factory import GOLD, article, perfect, pred, system

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
        "Δ v2−v1",  # says against what
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
    assert AB_NOISE_NOTE in md  # under the A/B table
    # Every table row has the same number of unescaped cells as its header.
    for table in re.findall(r"((?:^\|.*\|\n)+)", md, flags=re.M):
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


def test_json_keys_are_stable() -> None:
    data = json.loads(render_json(REPORT))
    assert data["schema_version"] == JSON_SCHEMA_VERSION == 1
    assert list(data) == [
        "schema_version", "meta", "systems", "comparisons", "reliability", "oracle"
    ]  # fmt: skip
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


def wide_report() -> Report:
    """Five systems with real-length labels, models and article ids (like the main job's)."""
    ids = ["001_542e584fe1452441", "002_9c1d2e3f4a5b6c7d", "003_0f1e2d3c4b5a6978"]
    variants: list[list[ExtractedClaim] | None] = [
        [pred(GOLD[0], stance="supports"), pred(GOLD[1], speaker="John Kirby")],
        perfect(),
        None,
    ]
    systems = []
    labels = ["extract@v1", "extract@v2", "extract@v3", "extract@v4", "langextract"]
    for n, label in enumerate(labels):
        articles = [article(variants[(n + i) % 3], article_id) for i, article_id in enumerate(ids)]
        model = "Qwen2.5-Coder-1.5B-Instruct" if n < 4 else "gemini-2.5-flash"
        strategy = "staged_sentences" if n == 3 else "single_pass"
        systems.append(
            SystemRun(label, label, "3f9a1c2b7d4e", model, strategy, "replayed", articles)
        )
    meta = ReportMeta(**{**META.__dict__, "command": "python -m claimx.eval " + "--prompt x " * 12})
    return build_report(systems, meta)


@pytest.mark.parametrize("width", [80, 160])
def test_terminal_fits_80_and_160_columns_without_cutting_labels(width: int) -> None:
    report = wide_report()
    buffer = io.StringIO()
    render_terminal(report, Console(file=buffer, width=width, color_system=None))
    out = buffer.getvalue()
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in out, "nothing ellipsized"
    one_line = {line.strip("│┃| ") for line in lines}
    for s in report.systems:
        assert any(s.label in line for line in lines), s.label  # whole, on one line
    for label in ("Δ v2−v1", "Δ v4−v1", "Δ langextract − extract@v1"):
        assert label in out, label
    for info in METRICS:
        assert any(info.label in line for line in one_line), info.label
    for article_id in ("001_542e584fe1452441", "003_0f1e2d3c4b5a6978"):
        assert article_id in out
    for cell in ("0.67 / 0.00  (2/2 of 4)", "1.00 / 1.00  (4/4 of 4)"):
        assert cell in out, cell  # per-article scores are never wrapped


def test_deltas_never_print_as_negative_zero() -> None:
    assert fmt_delta("ratio", -0.0) == "0.00" and fmt_delta("ratio", -0.004) == "0.00"
    assert fmt_delta("ratio", 0.004) == "0.00" and fmt_delta("ratio", -0.006) == "-0.01"
    assert fmt_delta("ratio", 0.25) == "+0.25" and fmt_delta("tokens", -0.3) == "0"
    assert fmt_delta("tokens", -1234.0) == "-1,234" and fmt_delta("usd", -0.00001) == "0.0000"
    assert fmt_interval(-0.0004, 0.0) == "[0.000, 0.000]"
    same = build_report(
        [system("extract@v1", [perfect()]), system("extract@v2", [perfect()])], META
    )
    out = render_markdown(same) + render_json(same)
    buffer = io.StringIO()
    render_terminal(same, Console(file=buffer, width=200, color_system=None))
    assert "-0.0" not in out + buffer.getvalue()
    assert "| Δ v2−v1 |" in render_markdown(same)


def test_summary_fits_80_columns_names_the_best_and_the_verdicts() -> None:
    report = wide_report()
    buffer = io.StringIO()
    render_summary(report, Console(file=buffer, width=80, color_system=None),
                   full_report=["Every table: --full."])  # fmt: skip
    lines = buffer.getvalue().splitlines()
    out = "\n".join(lines)
    assert max(len(line) for line in lines) <= 80 and len(lines) < 50
    assert "…" not in out
    best = max(report.systems, key=lambda s: s.metrics["joint_f1"] or 0.0)
    assert f"Best: {best.label}" in out
    row = next(line for line in lines if line.startswith(best.label))
    assert row.rstrip().endswith("best")
    for comp in report.comparisons:
        assert any(line.startswith(comp.system) and "[" in line for line in lines), comp.system
    assert lines[-1] == "Every table: --full."
    assert "Stance on matched pairs" not in out, "the full tables are --full's"
    # The A/B caption says what its interval leaves out (the model's run-to-run answers).
    assert AB_NOISE_NOTE in " ".join(out.split())
