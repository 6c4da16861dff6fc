"""``python -m claimx.eval`` on targeted-stance gold: the hook, recording and replaying,
the FNC-1 path with the response cache, the report. Answers come from the SYNTHETIC server
(tests/fake_openai_server.py) with SCRIPTED targeted answers (tests/targeted/synthetic.py):
these tests measure the machinery, the recordings of the real model measure the prompt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app as claimx_app
from claimx.errors import ConfigError
from claimx.eval.cli import app, select_prompts
from claimx.eval.recordings import Manifest, model_folder
from claimx.eval.targeted_report import summary_lines
from claimx.eval.targeted_run import (
    BASELINE_LABEL,
    CLASSIFIER_LABEL,
    ENCODER_LABEL,
    is_targeted,
    is_targeted_gold,
)
from claimx.models import TargetedAnswer
from claimx.prompts import PromptRegistry
from claimx.tasks import prompt_hash
from tests.conftest import ROOT
from tests.fake_openai_server import FakeOpenAIServer
from tests.targeted.sample import write_fnc1
from tests.targeted.synthetic import scripted_answer

GOLD = ROOT / "eval" / "targeted" / "gold.jsonl"


def eval_cli(args: list[str]) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, args)
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return done.exit_code, done.stdout, done.stderr


def test_the_hook_knows_a_targeted_eval_by_its_gold_or_its_prompt(shipped_prompts: Path) -> None:
    assert is_targeted_gold(GOLD) and not is_targeted_gold(ROOT / "eval" / "gold")
    assert is_targeted(GOLD, []) and is_targeted(None, ["targeted@v1"])
    assert not is_targeted(None, []) and not is_targeted(None, ["extract@v9"])
    with pytest.raises(ConfigError, match="targeted and extraction prompts together"):
        is_targeted(None, ["targeted@v1", "extract@v9"])
    # The extraction eval's own selection never runs a targeted prompt, recorded or not.
    assert all(s.task_name == "extraction" for s in select_prompts([]).specs)


def test_record_then_replay_the_five_articles(shipped_prompts: Path, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    with FakeOpenAIServer(answer=scripted_answer) as server:
        args = ["--record", "--prompt", "targeted@v1", "--model", "local"]
        args += ["--base-url", server.base_url, "--cassettes", str(cassettes)]
        code, _, err = eval_cli([*args, "--runs", str(tmp_path / "recorded")])
        asked = server.requests
    assert code == 0, err
    assert asked == 25  # every pair of the five-article gold passes the screen
    folder = model_folder(cassettes, "local")
    assert sorted(p.name for p in (folder / "targeted@v1").iterdir()) == sorted(
        f"{p.stem}.yaml" for p in (ROOT / "eval" / "articles").glob("*.txt")
    )
    manifest = Manifest.load(folder)
    assert manifest is not None
    entry = manifest.prompts["targeted@v1"]
    spec = PromptRegistry(shipped_prompts).get("targeted@v1")
    assert entry.hash == prompt_hash(spec) and len(entry.seconds) == 25
    assert "T-US/001_542e584fe1452441" in entry.seconds

    code, out, err = eval_cli(
        ["--prompt", "targeted@v1", "--cassettes", str(cassettes), "--runs", str(tmp_path / "re")]
    )
    assert code == 0, err
    assert out.splitlines()[0].startswith("REPLAYED")
    recorded = (tmp_path / "recorded" / "targeted@v1.jsonl").read_text().splitlines()
    replayed = (tmp_path / "re" / "targeted@v1.jsonl").read_text().splitlines()
    again = [TargetedAnswer.model_validate_json(line) for line in replayed]
    first = [TargetedAnswer.model_validate_json(line) for line in recorded]
    assert [(a.stance, a.sources) for a in again] == [(a.stance, a.sources) for a in first]
    # A replay reports the seconds the recording took, not its own.
    seconds = sorted(entry.seconds.values())
    assert sorted(a.latency_s for a in again) == seconds
    assert {a.prompt_hash for a in again} == {entry.hash}


def test_a_replay_without_recordings_names_the_record_command(
    shipped_prompts: Path, tmp_path: Path
) -> None:
    code, _, err = eval_cli(["--gold", str(GOLD), "--cassettes", str(tmp_path)])
    assert code == 1
    assert "python -m claimx.eval --record --prompt targeted@v1 --model local" in err


@pytest.mark.parametrize(
    "extra", [["--html", "x.html"], ["--oracle", "evidence"], ["--save-predictions", "p"]]
)
def test_the_extraction_eval_options_are_refused(
    shipped_prompts: Path, tmp_path: Path, extra: list[str]
) -> None:
    code, _, err = eval_cli(["--gold", str(GOLD), *extra])
    assert code == 2 and extra[0] in err and "targeted" in err


def test_fnc1_report_live_with_the_cache_then_again_with_no_call(
    shipped_prompts: Path, tmp_path: Path
) -> None:
    checkout = write_fnc1(tmp_path / "fnc-1")
    report = tmp_path / "report.jsonl"
    convert = ["datasets", "convert", "fnc1", str(checkout), "--part", "report", "--all"]
    done = CliRunner().invoke(claimx_app, [*convert, "-o", str(report)])
    assert done.exit_code == 0, done.output
    pairs = len(report.read_text().splitlines())
    with FakeOpenAIServer(answer=scripted_answer) as server:
        args = ["--gold", str(report), "--prompt", "targeted@v1", "--live", "--model", "local"]
        args += ["--base-url", server.base_url, "--cache-dir", str(tmp_path / "cache")]
        code, out, err = eval_cli([*args, "--json", str(tmp_path / "r.json")])
        first = server.requests
        code2, _, err2 = eval_cli([*args, "--json", str(tmp_path / "again.json")])
        second = server.requests - first
    assert code == 0 and code2 == 0, err + err2
    assert out.splitlines()[0].startswith("LIVE")
    data = json.loads((tmp_path / "r.json").read_text())
    labels = [s["label"] for s in data["systems"]]
    assert labels == [BASELINE_LABEL, CLASSIFIER_LABEL, ENCODER_LABEL, "targeted@v1"]
    model = next(s for s in data["systems"] if s["label"] == "targeted@v1")
    assert data["pairs"] == pairs and model["cost"]["calls"] == first > 0
    # Only the pairs the screen let through were asked, one call each.
    assert model["cost"]["related"] == first == pairs - model["decided_by"].get("screen", 0)
    assert model["sources"] is None  # FNC-1 labels pairs, not sources
    assert {c["b"] for c in data["comparisons"]} == {ENCODER_LABEL, "targeted@v1"}
    assert set(data["comparisons"][0]["intervals"]) >= {"macro_f1", "f1_refutes", "accuracy"}
    assert second == 0  # the cache answered every request
    again = json.loads((tmp_path / "again.json").read_text())["systems"][3]
    assert again["cost"]["cached"] == first and again["scores"] == model["scores"]


def test_the_summary_fits_80_columns(shipped_prompts: Path, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    with FakeOpenAIServer(answer=scripted_answer) as server:
        args = ["--record", "--prompt", "targeted@v1", "--model", "local"]
        args += ["--base-url", server.base_url, "--cassettes", str(cassettes)]
        code, out, err = eval_cli([*args, "--json", str(tmp_path / "r.json")])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("RECORDED") and all(len(line) <= 80 for line in lines)
    assert any(line.startswith("targeted@v1 - lexical baseline") for line in lines)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["annotated"] == 25 and report["gold_sources"] == 39
    assert summary_lines  # the summary the terminal printed is this module's


def test_saved_extraction_results_are_matched_first_and_replay_the_same_requests(
    shipped_prompts: Path, tmp_path: Path
) -> None:
    cassettes = tmp_path / "cassettes"
    with FakeOpenAIServer(answer=scripted_answer) as server:
        args = ["--record", "--prompt", "targeted@v1", "--model", "local"]
        code, _, err = eval_cli(
            [*args, "--base-url", server.base_url, "--cassettes", str(cassettes)]
        )
        assert code == 0, err
        # Recording with saved results would rewrite the cassettes with fewer requests.
        code, _, err = eval_cli(
            [*args, "--base-url", server.base_url, "--cassettes", str(cassettes)]
            + ["--predictions", f"gold={ROOT / 'eval' / 'gold'}"]
        )
        assert code == 2 and "--record" in err
    # The claim gold stands in for saved `claimx extract` results (the upper bound).
    code, _, err = eval_cli(
        [
            "--prompt",
            "targeted@v1",
            "--cassettes",
            str(cassettes),
            "--json",
            str(tmp_path / "r.json"),
        ]
        + ["--predictions", f"gold={ROOT / 'eval' / 'gold'}", "--runs", str(tmp_path / "runs")]
    )
    assert code == 0, err  # a replay: every request asked was recorded
    systems = {s["label"]: s for s in json.loads((tmp_path / "r.json").read_text())["systems"]}
    alone, reused = systems["targeted@v1"], systems["targeted@v1 + gold"]
    matched = reused["decided_by"]["sources"]
    assert matched > 0 and alone["decided_by"] == {"model": 25}
    # Pairs the saved claims decide cost no call; the others ask what the prompt asked.
    assert reused["cost"]["calls"] == 25 - matched == reused["decided_by"]["model"]
    lines = (tmp_path / "runs" / "targeted@v1_+_gold.jsonl").read_text().splitlines()
    answers = [TargetedAnswer.model_validate_json(line) for line in lines]
    for a in answers:
        if a.decided_by == "sources":
            assert a.usage.calls == 0 and all(s.proposition for s in a.sources)
    assert reused["sources"]["stance_accuracy"] > alone["sources"]["stance_accuracy"]


def test_saved_results_must_name_an_existing_path(shipped_prompts: Path, tmp_path: Path) -> None:
    code, _, err = eval_cli(["--gold", str(GOLD), "--predictions", f"x={tmp_path / 'none'}"])
    assert code == 2 and "LABEL=RESULTS" in err
