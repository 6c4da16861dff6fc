"""``python -m claimx.eval`` / ``claimx eval`` end to end, offline, on the committed recordings."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from claimx.cli_errors import run
from claimx.eval.cli import app
from claimx.models import GoldArticle
from claimx.prompts import get_prompt

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "eval" / "cassettes"
pytestmark = pytest.mark.cassette

LATEST = get_prompt("latest").ref


def invoke(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the eval CLI as a user does (errors as one line): exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as info:
        run(app, argv=args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_ab_report_offline_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--prompt", "extract@v1", "--prompt", "extract@v2"]
    args += ["--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
    args += ["--html", str(tmp_path / "r.html"), "--save-predictions", str(tmp_path / "pred")]
    code, out, err = invoke(args, capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith("REPLAYED"), "the first line says no model was called"
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == 1
    assert {s["source"] for s in report["systems"]} == {"replayed"}
    assert "qwen2.5-coder-1.5b" in report["meta"]["recorded_model"]
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


def test_saved_runs_score_to_the_same_report_without_model_or_cassettes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs"
    args = ["--prompt", "extract@v1", "--prompt", "extract@v2", "--no-report"]
    code, _, err = invoke([*args, "--runs", str(runs), "--json", str(tmp_path / "a.json")], capsys)
    assert code == 0, err
    files = sorted(runs.glob("extract@*.jsonl"))
    assert [f.name for f in files if not f.name.endswith(".errors.jsonl")] == [
        "extract@v1.jsonl",
        "extract@v2.jsonl",
    ]
    code, out, err = invoke(
        ["score", *map(str, files), "--json", str(tmp_path / "b.json"), "--no-report",
         "--gold", str(ROOT / "eval" / "gold")],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("SCORED")
    first = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    again = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert first["systems"] == again["systems"] and first["comparisons"] == again["comparisons"]
    assert first["meta"]["recorded_model"] == again["meta"]["recorded_model"]


def test_two_saved_files_of_one_prompt_are_told_apart_by_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs"
    code, _, err = invoke(["--prompt", "extract@v1", "--no-report", "--runs", str(runs)], capsys)
    assert code == 0, err
    copy = tmp_path / "again.jsonl"
    copy.write_text((runs / "extract@v1.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = invoke(
        ["score", str(copy), str(runs / "extract@v1.jsonl"), "--json", str(tmp_path / "r.json"),
         "--no-report", "--gold", str(ROOT / "eval" / "gold")],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    labels = [s["label"] for s in report["systems"]]
    assert labels == ["extract@v1 (again.jsonl)", "extract@v1 (extract@v1.jsonl)"]


def test_missing_recording_gives_the_whole_record_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(["--prompt", "extract@v1", "--cassettes", str(tmp_path)], capsys)
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("error: extract@v1 has no recordings of model 'local'")
    command = line.split("record them with: ", 1)[1]
    assert command == (
        "scripts/local-llm.sh start && python -m claimx.eval --record --prompt extract@v1"
        f" --model local --base-url http://127.0.0.1:8011/v1 --cassettes {tmp_path}"
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--prompt", "latest", "--prompt", LATEST], f"both {LATEST}"),
        (["--seed", "-5"], "--seed"),
        (["--gold", "/nonexistent/gold"], "/nonexistent/gold"),
        (["--live", "--record"], "exclude each other"),
        (["--base-url", "http://127.0.0.1:9/v1"], "--live"),
        (["--record", "--base-url", "http://127.0.0.1:9/v1"], "--record needs --model"),
        (["--predictions", "x=/nonexistent"], "LABEL=DIR"),
    ],
    ids=["same-prompt-twice", "negative-seed", "no-gold", "live-and-record", "base-url-alone",
         "record-without-model", "bad-predictions"],
)  # fmt: skip
def test_bad_commands_fail_at_once_with_one_line_on_stderr(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = invoke([*args, "--runs", str(tmp_path / "runs")], capsys)
    assert code == 2 if args[0] != "--gold" else code in (1, 2)
    assert out == "", "errors go to stderr, never mixed with the report"
    assert says in err and "Traceback" not in err
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "runs").exists(), "refused before any work"


def test_the_environment_never_makes_the_main_job_go_live(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As after scripts/local-llm.sh start: a server address in the environment, nothing there.
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CLAIMX_MODEL", "gpt-4o-mini")
    code, out, err = invoke(
        ["--prompt", "extract@v2", "--json", str(tmp_path / "r.json"), "--no-report"], capsys
    )
    assert code == 0, err
    assert out.startswith("REPLAYED")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {s["source"] for s in report["systems"]} == {"replayed"}
    assert {s["model"] for s in report["systems"]} == {"local"}


def test_live_says_so_and_reports_progress_as_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.fake_openai_server import FakeOpenAIServer, synthetic_article

    gold = tmp_path / "gold.jsonl"
    lines = [{"id": f"s{i}", "text": synthetic_article(i), "claims": []} for i in range(2)]
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with FakeOpenAIServer(max_seconds=60) as server:
        code, out, err = invoke(
            ["--live", "--model", "synthetic", "--base-url", server.base_url, "--gold", str(gold),
             "--prompt", "extract@v1", "--prompt", "extract@v2", "--no-report"],
            capsys,
        )  # fmt: skip
    assert code == 0, err
    assert out.startswith("LIVE")
    events = [json.loads(line) for line in err.splitlines()]
    assert events[0]["event"] == "start" and events[0]["total"] == 4  # articles x prompts
    assert events[-1]["event"] == "done" and events[-1]["done"] == 4
    assert events[-1]["calls"] == 4 and events[-1]["prompt_tokens"] > 0


def test_record_files_recordings_by_model_and_refuses_to_mix_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.fake_openai_server import FakeOpenAIServer, synthetic_article

    cassettes = tmp_path / "cassettes"
    shutil.copytree(CASSETTES / "local", cassettes / "local")
    gold = tmp_path / "gold.jsonl"
    line = {"id": "s0", "text": synthetic_article(0), "claims": []}
    gold.write_text(json.dumps(line) + "\n", encoding="utf-8")
    common = ["--gold", str(gold), "--cassettes", str(cassettes), "--no-report"]
    with FakeOpenAIServer(max_seconds=60) as server:
        record = ["--record", "--base-url", server.base_url, "--prompt", "extract@v2", *common]
        # Another model under the name "local", next to the Qwen recordings: refused.
        # (the synthetic server describes itself by the name given: not the Qwen weights)
        code, _, err = invoke([*record, "--model", "local"], capsys)
        assert code == 2 and "holds recordings of qwen2.5" in err
        code, out, err = invoke([*record, "--model", "synthetic"], capsys)
        assert code == 0, err
    assert out.startswith("RECORDED")
    assert (cassettes / "synthetic" / "extract@v2" / "s0.yaml").exists()
    manifest = json.loads((cassettes / "synthetic" / "manifest.json").read_text("utf-8"))
    assert manifest["model"] == "synthetic" and list(manifest["prompts"]) == ["extract@v2"]
    assert manifest["prompts"]["extract@v2"]["base_url"] == server.base_url
    assert manifest["prompts"]["extract@v2"]["model_description"] == "synthetic"
    assert (cassettes / "local" / "manifest.json").read_text("utf-8") == (
        CASSETTES / "local" / "manifest.json"
    ).read_text("utf-8"), "the other model's recordings are untouched"
    # Both models now have recordings: a replay asks which, then replays the new one offline.
    code, _, err = invoke(["--prompt", "extract@v2", *common], capsys)
    assert code == 2 and "several models" in err
    code, out, err = invoke(["--prompt", "extract@v2", "--model", "synthetic", *common], capsys)
    assert code == 0, err
    assert out.startswith("REPLAYED")


def test_bring_your_own_gold_as_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold_file = ROOT / "eval" / "gold" / "004_4d66385c9602c10b.json"
    gold = GoldArticle.model_validate_json(gold_file.read_text(encoding="utf-8"))
    text = (ROOT / "eval" / "articles" / "004_4d66385c9602c10b.txt").read_text(encoding="utf-8")
    line = {"id": gold.article_id, "text": text, "claims": [c.model_dump() for c in gold.claims]}
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    code, _, err = invoke(
        ["--prompt", "extract@v2", "--gold", str(mine), "--json", str(out)], capsys
    )
    assert code == 0, err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [a["article_id"] for a in report["systems"][0]["articles"]] == [gold.article_id]


def test_a_stale_recording_names_the_cassette_and_the_whole_record_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # extract@v2's requests against extract@v1's recordings: no recorded body matches.
    cassettes = tmp_path / "cassettes"
    (cassettes / "local").mkdir(parents=True)
    shutil.copytree(CASSETTES / "local" / "extract@v1", cassettes / "local" / "extract@v2")
    shutil.copy(CASSETTES / "local" / "manifest.json", cassettes / "local" / "manifest.json")
    code, out, err = invoke(["--prompt", "extract@v2", "--cassettes", str(cassettes)], capsys)
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert "no recorded response in cassette" in line
    assert str(cassettes / "local" / "extract@v2") in line
    assert line.endswith(
        "Re-record with: scripts/local-llm.sh start && python -m claimx.eval --record"
        " --prompt extract@v2 --model local --base-url http://127.0.0.1:8011/v1"
        f" --cassettes {cassettes}"
    )


def test_the_eval_can_answer_from_the_response_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--prompt", "extract@v2", "--no-report"]
    for name, cache in (("one", ["--cache"]), ("two", ["--cache-dir", str(tmp_path / "cache")])):
        code, _, err = invoke([*common, *cache, "--runs", str(tmp_path / name)], capsys)
        assert code == 0, err

    def results(name: str) -> dict[str, dict[str, object]]:
        path = tmp_path / name / "extract@v2.jsonl"
        return {r["article_id"]: r for r in map(json.loads, path.read_text().splitlines())}

    one, two = results("one"), results("two")
    assert sorted(one) == sorted(two) and len(one) == 5
    for article_id, record in two.items():
        assert record["cached"] and record["usage"]["calls"] == 0
        assert record["cached_usage"] == one[article_id]["usage"]
        assert record["claims"] == one[article_id]["claims"]
        assert not one[article_id]["cached"]


def test_claimx_eval_is_a_subcommand_of_the_one_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimx.cli import app as claimx_app

    runner = CliRunner()
    shown = runner.invoke(claimx_app, ["eval", "--help"])
    assert shown.exit_code == 0 and "--live" in shown.output and "score" in shown.output
    out = tmp_path / "r.json"
    done = runner.invoke(claimx_app, ["eval", "--prompt", "extract@v1", "--json", str(out)])
    assert done.exit_code == 0, done.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [s["label"] for s in report["systems"]] == ["extract@v1"]


def shifted_gold(tmp_path: Path) -> Path:
    """eval/gold with two broken claims: a quote moved 5 characters on, an end past the text."""
    shutil.copytree(ROOT / "eval" / "gold", tmp_path / "gold")
    shutil.copytree(ROOT / "eval" / "articles", tmp_path / "articles")
    path = tmp_path / "gold" / "001_542e584fe1452441.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["claims"][0]["start"] += 5
    data["claims"][0]["end"] += 5
    data["claims"][2]["end"] = 999_999
    path.write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / "gold"


@pytest.mark.parametrize("command", [[], ["score"]], ids=["run", "score"])
def test_gold_offsets_are_checked_before_any_run_every_problem_on_its_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = shifted_gold(tmp_path)
    runs = tmp_path / "runs"
    if command:  # score: saved results to score (any will do: the gold is refused first)
        runs.mkdir()
        (runs / "x.jsonl").write_text("", encoding="utf-8")
        args = ["score", str(runs / "x.jsonl"), "--gold", str(gold)]
    else:
        args = ["--prompt", "extract@v1", "--gold", str(gold), "--runs", str(runs)]
    code, out, err = invoke(args, capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    problems = [line for line in lines if line.startswith("problem ")]
    assert len(problems) == 2, err  # both named, not the first alone
    assert "claims[0]: text[" in problems[0] and "outside the text" in problems[1]
    assert "001_542e584fe1452441.json" in problems[0]
    assert lines[-1].startswith("error: 2 problem(s) in") and "claimx check-gold" in lines[-1]
    assert "validation error" not in err and "pydantic" not in err
    if not command:
        assert not runs.exists(), "refused before any run"


@pytest.mark.parametrize(
    ("option", "where"),
    [("--html", "file/r.html"), ("--json", "folder"), ("--markdown", "file/sub/r.md"),
     ("--readme", "missing.md"), ("--save-predictions", "file")],
)  # fmt: skip
def test_output_paths_are_checked_before_the_run(
    option: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    runs = tmp_path / "runs"
    target = tmp_path / where
    code, out, err = invoke(
        ["--prompt", "extract@v1", option, str(target), "--runs", str(runs)], capsys
    )
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"error: {option} {target}: cannot be written (")
    assert not runs.exists(), "refused before any run, not after it"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only folder")
def test_a_read_only_folder_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = invoke(["--prompt", "extract@v1", "--html", str(locked / "r.html")], capsys)
    assert code == 2 and "is not writable" in err


def test_the_main_job_prints_a_summary_that_fits_80_columns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    html = tmp_path / "r.html"
    args = ["--prompt", "extract@v1", "--prompt", "extract@v4", "--prompt", "extract@v2"]
    code, out, err = invoke([*args, "--html", str(html)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80 and len(lines) < 50
    assert lines[0].startswith("REPLAYED")
    for expected in ("extract@v4", "joint", "Best: extract@v4", "A/B", "archived runs"):
        assert expected in out, expected
    assert re.search(r"\+0\.\d\d \[\+0\.\d{3}, \+0\.\d{3}\]\*", out), "a delta, its interval"
    assert f"({html})" in out, "says where every table is"
    full_code, full, _ = invoke([*args, "--full"], capsys)
    assert full_code == 0 and len(full.splitlines()) > len(lines)
    assert "Stance on matched pairs" in full and "Stance on matched pairs" not in out


@pytest.mark.parametrize(
    ("args", "max_lines"),
    [(["check-gold", str(ROOT / "eval" / "gold")], 12), (["check-gold", "--help"], 20),
     (["consolidate", "--help"], 60), (["eval", "score", "--help"], 40)],
    ids=["check-gold", "check-gold-help", "consolidate-help", "eval-score-help"],
)  # fmt: skip
def test_commands_fit_80_columns_whole_and_in_words(args: list[str], max_lines: int) -> None:
    from typer.testing import CliRunner

    from claimx.cli import app as claimx_app

    result = CliRunner().invoke(claimx_app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80 and len(lines) <= max_lines
    assert not re.search(r"<(list\[|bool|str|int|path|float)", result.stdout), "no Python types"
    if args[0] == "check-gold" and args[1] != "--help":
        assert "…" not in result.stdout, "no id or header cut"
        for name in ("speakers", "supports", "uncertain", "indirect", "total"):
            assert name in result.stdout, name
        for path in (ROOT / "eval" / "gold").glob("*.json"):
            assert path.stem in result.stdout, path.stem


def test_an_unrecorded_version_is_listed_with_its_record_command_and_the_main_job_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimx.prompts import PromptRegistry

    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    new = PromptRegistry(prompts).new_version("default")
    monkeypatch.setenv("CLAIMX_PROMPTS_DIR", str(prompts))
    ref = f"extract@v{new.stem[1:]}"
    code, out, err = invoke(["--json", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    said = " ".join(err.split())
    assert f"not replayed: {ref} is not recorded (model 'local'); record it with:" in said
    assert f"python -m claimx.eval --record --prompt {ref} --model local" in said
    labels = [s["label"] for s in json.loads((tmp_path / "r.json").read_text())["systems"]]
    assert ref not in labels and "extract@v1" in labels
    # named, it is the error it was, with the same command
    code, _, err = invoke(["--prompt", ref], capsys)
    assert code == 1 and f"--record --prompt {ref}" in err


def test_a_version_whose_stage_needs_a_missing_extra_is_listed_and_the_main_job_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    found = importlib.util.find_spec
    # As on a machine with `pip install -e .` only: the [encoder] extra's onnxruntime absent.
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnxruntime" else found(name, *a),
    )
    code, _, err = invoke(["--json", str(tmp_path / "r.json")], capsys)
    assert code == 0, err
    said = " ".join(err.split())
    assert (
        "not replayed: extract@v12: the encoder models (tagger, stance reader) need onnxruntime:"
        in said
    )
    assert "pip install 'claimx[encoder]'" in said
    labels = [s["label"] for s in json.loads((tmp_path / "r.json").read_text())["systems"]]
    assert "extract@v12" not in labels and "extract@v10" in labels
    # named, it is an error saying what to install
    code, _, err = invoke(["--prompt", "extract@v12"], capsys)
    assert code == 2 and "pip install 'claimx[encoder]'" in err  # a usage error
