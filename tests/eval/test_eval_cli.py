"""python -m claimx.eval end to end, offline, on the committed recordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.eval.__main__ import app
from claimx.models import GoldArticle

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.cassette


def test_ab_report_offline_in_every_format(tmp_path: Path) -> None:
    args = ["--prompt", "extract@v1", "--prompt", "extract@v2"]
    args += ["--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
    args += ["--html", str(tmp_path / "r.html"), "--save-predictions", str(tmp_path / "pred")]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == 1
    assert {s["source"] for s in report["systems"]} == {"replayed"}
    assert "Qwen2.5" in report["meta"]["recorded_model"]
    labels = [s["label"] for s in report["systems"]]
    assert labels == ["extract@v1", "extract@v2"]
    for system in report["systems"]:
        assert 0.0 <= system["metrics"]["claim_f1"] <= 1.0
        assert system["metrics"]["prompt_tokens"] > 0
        assert system["metrics"]["latency_s"] > 10  # recorded wall time, not replay time
    (comparison,) = report["comparisons"]
    interval = comparison["intervals"]["joint_f1"]
    assert interval["low"] <= interval["point"] <= interval["high"]
    assert "REPLAYED" in (tmp_path / "r.md").read_text(encoding="utf-8")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'class="matched' in page and 'class="missed' in page
    gold_ids = sorted(p.stem for p in (ROOT / "eval" / "gold").glob("*.json"))
    for label in labels:
        saved = sorted((tmp_path / "pred" / label).glob("*.json"))
        assert [p.stem for p in saved] == gold_ids
        for path in saved:
            article = GoldArticle.model_validate_json(path.read_text(encoding="utf-8"))
            text = (ROOT / "eval" / "articles" / f"{path.stem}.txt").read_text(encoding="utf-8")
            assert all(text[c.start : c.end] == c.quote for c in article.claims)


def test_missing_recording_names_the_record_command(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, ["--prompt", "extract@v1", "--cassettes", str(tmp_path)])
    assert run.exit_code == 2
    assert "python -m claimx.eval --record --prompt extract@v1" in run.output


def test_bring_your_own_gold_as_jsonl(tmp_path: Path) -> None:
    gold_file = ROOT / "eval" / "gold" / "004_4d66385c9602c10b.json"
    gold = GoldArticle.model_validate_json(gold_file.read_text(encoding="utf-8"))
    text = (ROOT / "eval" / "articles" / "004_4d66385c9602c10b.txt").read_text(encoding="utf-8")
    line = {"id": gold.article_id, "text": text, "claims": [c.model_dump() for c in gold.claims]}
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    run = CliRunner().invoke(
        app, ["--prompt", "extract@v2", "--gold", str(mine), "--json", str(out)]
    )
    assert run.exit_code == 0, run.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [a["article_id"] for a in report["systems"][0]["articles"]] == [gold.article_id]
