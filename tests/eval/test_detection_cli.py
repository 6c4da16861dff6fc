"""``python -m claimx.eval --gold <corpus JSONL>`` prints the detection report side by side.

Runs live against the SYNTHETIC server of :mod:`tests.fake_openai_server` (regex
cut-outs, not a model): this tests the wiring of the command, not extraction quality.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.eval.cli import app
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article


@pytest.fixture(autouse=True)
def _shipped() -> None:
    """Not the shipped versions: a live run of the fixture prompts (tests/prompts)."""


def corpus_gold(path: Path) -> Path:
    lines = []
    for i in range(2):
        text = synthetic_article(i, paragraphs=4)
        claims = []
        for m in re.finditer(r'(?P<source>[A-Z]\w+ [A-Z]\w+) said: "(?P<quote>[^"]+)"', text):
            claims.append(
                {"quote": m["quote"], "start": m.start("quote"), "end": m.end("quote"),
                 "source": m["source"], "source_start": m.start("source"),
                 "source_end": m.end("source")}
            )  # fmt: skip
        lines.append(json.dumps({"id": f"a{i}", "text": text, "claims": claims}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_detection_report_side_by_side_with_intervals(tmp_path: Path) -> None:
    gold = corpus_gold(tmp_path / "corpus.jsonl")
    out = tmp_path / "report.json"
    with FakeOpenAIServer(max_seconds=60) as server:
        args = [
            "--gold", str(gold), "--prompt", "toy@v1", "--prompt", "toy@v2",
            "--live", "--base-url", server.base_url, "--model", "synthetic",
            "--json", str(out), "--markdown", str(tmp_path / "r.md"),
        ]  # fmt: skip
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Detection" in result.output and "token>=0.8" in result.output
    assert "toy@v2 vs toy@v1" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["systems"] == []  # corpus gold: no claim metrics
    v4 = report["detection"]["systems"]["toy@v2"]
    assert v4["gold"] == 4 and v4["articles"] == 2
    assert v4["stage_one_recall"] == 1.0
    assert set(report["detection"]["comparisons"][0]["f1_intervals"]) == {
        "any", "token>=0.3", "token>=0.8", "exact",
    }  # fmt: skip
    assert "## Detection" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert report["detection"]["about"]["toy@v2"].startswith("synthetic, toy@v2 (hash")


def test_a_live_run_answers_from_the_response_cache(tmp_path: Path) -> None:
    gold = corpus_gold(tmp_path / "corpus.jsonl")
    common = ["--gold", str(gold), "--prompt", "toy@v2", "--model", "synthetic", "--live"]
    cache = ["--cache-dir", str(tmp_path / "cache")]
    with FakeOpenAIServer(max_seconds=60) as server:
        first = CliRunner().invoke(app, [*common, "--base-url", server.base_url, *cache])
    assert first.exit_code == 0, first.output
    # The server is gone (its endpoint, part of the cache key, stays): every answer
    # must come from the cache.
    again = CliRunner().invoke(app, [*common, "--base-url", server.base_url, *cache])
    assert again.exit_code == 0, again.output
    assert "articles (failed)" in again.output and "2 (0)" in again.output
