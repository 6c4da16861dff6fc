"""``--oracle evidence|claim`` end to end: record, replay, report.

Recorded against the SYNTHETIC server of :mod:`tests.fake_openai_server` (its
"claims" are cut out of the request by a regular expression: good for the
machinery, never for quality), into a temporary cassette folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from .test_eval_cli import invoke


@pytest.fixture(autouse=True)
def _shipped() -> None:
    """Not the shipped versions: the fixture prompts (tests/prompts), recorded here."""


SAID = re.compile(r'(?P<speaker>[A-Z][a-z]+ [A-Z][a-z]+) said: "(?P<quote>[^"]+)"')


def _gold(tmp_path: Path) -> Path:
    from tests.fake_openai_server import synthetic_article

    text = synthetic_article(0, paragraphs=6)
    claims = []
    for m in SAID.finditer(text):
        quote = m.group("quote")
        start = m.start("quote")
        claims.append(
            {"claim": f"{quote}.", "speaker": m.group("speaker"), "stance": "supports",
             "quote": quote, "start": start, "end": start + len(quote), "direct": True}
        )  # fmt: skip
    assert len(claims) >= 2
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "s0", "text": text, "claims": claims}) + "\n", "utf-8")
    return gold


def test_record_then_replay_the_oracle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.fake_openai_server import FakeOpenAIServer

    gold = _gold(tmp_path)
    n_spans = len(json.loads(gold.read_text("utf-8"))["claims"])
    cassettes = tmp_path / "cassettes"
    prompts = ["--prompt", "toy@v1", "--prompt", "toy@v2"]
    common = [*prompts, "--gold", str(gold), "--cassettes", str(cassettes), "--model", "synthetic"]
    with FakeOpenAIServer(max_seconds=60) as server:
        record = ["--record", "--base-url", server.base_url, *common, "--no-report"]
        code, _, err = invoke(record, capsys)  # the end-to-end recordings
        assert code == 0, err
        manifest_path = cassettes / "synthetic" / "manifest.json"
        before = json.loads(manifest_path.read_text("utf-8"))
        e2e_cassette = (cassettes / "synthetic" / "toy@v2" / "s0.yaml").read_text("utf-8")
        code, out, err = invoke([*record, "--oracle", "evidence"], capsys)
        assert code == 0, err
    assert out.startswith("RECORDED")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    key = "toy@v2+oracle-evidence"
    assert set(manifest["prompts"]) == {"toy@v1", "toy@v2", key}
    assert manifest["prompts"]["toy@v2"] == before["prompts"]["toy@v2"], "left as it was"
    assert list(manifest["prompts"][key]["seconds"]) == ["s0"]
    # the end-to-end recordings were replayed, not recorded again
    assert (cassettes / "synthetic" / "toy@v2" / "s0.yaml").read_text("utf-8") == e2e_cassette
    assert not (cassettes / "synthetic" / "toy@v1+oracle-evidence").exists()
    recorded = yaml.safe_load((cassettes / "synthetic" / key / "s0.yaml").read_text("utf-8"))
    assert len(recorded["interactions"]) == n_spans  # one request per distinct gold span

    out_json = tmp_path / "evidence.json"
    page, md = tmp_path / "r.html", tmp_path / "r.md"
    args = [*common, "--oracle", "evidence", "--json", str(out_json), "--html", str(page)]
    code, out, err = invoke([*args, "--markdown", str(md)], capsys)
    assert code == 0, err
    for report_text in (out, page.read_text("utf-8"), md.read_text("utf-8")):
        shown = " ".join(report_text.split())  # the terminal wraps the notes
        assert "Where joint F1 is lost" in shown and "n/a (single pass)" in shown
        assert "not given the proposition" in shown
    report = json.loads(out_json.read_text("utf-8"))
    assert [s["label"] for s in report["systems"]] == [key]
    rows = {r["prompt"]: r for r in report["oracle"]["rows"]}
    assert rows["toy@v1"]["applicable"] is False and rows["toy@v1"]["claim"] is None
    staged = rows["toy@v2"]
    assert staged["applicable"] and staged["evidence_label"] == key
    assert staged["claim"]["n"] == n_spans
    assert staged["evidence_joint_f1"] == report["systems"][0]["metrics"]["joint_f1"]
    assert sum(staged["where_lost"].values()) == pytest.approx(
        1 - staged["end_to_end_joint_f1"], abs=1e-3
    )
    assert report["oracle"]["baselines"][0]["n"] == n_spans

    claim_json = tmp_path / "claim.json"
    code, out, err = invoke([*common, "--oracle", "claim", "--json", str(claim_json)], capsys)
    assert code == 0, err
    assert "not given the proposition" in " ".join(out.split())
    claim_report = json.loads(claim_json.read_text("utf-8"))
    assert claim_report["systems"] == []  # speaker and stance only
    assert claim_report["oracle"]["rows"] == report["oracle"]["rows"]
