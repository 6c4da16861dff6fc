"""Every command of the CLI over a table of bad inputs: one ``error:`` line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from claimx.cli import app
from claimx.cli_errors import describe, report, run

#: an endpoint where nothing listens: no case below gets as far as calling a model
DEAD = ["--model", "x", "--base-url", "http://127.0.0.1:9/v1"]


def make_files(root: Path) -> dict[str, Path]:
    """The bad inputs, by name."""
    files = {
        "empty": root / "empty.txt",
        "binary": root / "binary.txt",
        "latin1": root / "latin1.txt",
        "latin1_json": root / "latin1.json",
        "bad_jsonl": root / "bad.jsonl",
        "latin1_jsonl": root / "latin1.jsonl",
        "folder": root / "folder",
        "empty_folder": root / "empty_folder",
        "bad_gold": root / "gold" / "g.json",
        "a_file": root / "a_file",
    }
    files["empty"].write_text("")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    files["latin1"].write_bytes("Peskov a déclaré".encode("latin-1"))
    files["latin1_json"].write_bytes('{"article_id": "é"}'.encode("latin-1"))
    files["bad_jsonl"].write_text('{"id": "a"}\n{not json\n')
    files["latin1_jsonl"].write_bytes('{"id": "a", "text": "é"}\n'.encode("latin-1"))
    files["folder"].mkdir()
    (files["folder"] / "x.txt").write_text("Kirby said it was false.")
    files["empty_folder"].mkdir()
    files["bad_gold"].parent.mkdir()
    files["bad_gold"].write_text("{not json")
    files["a_file"].write_text("x")
    return files


# (command, case) -> arguments; "{name}" is replaced by the path of that bad input.
CASES: dict[str, dict[str, list[str]]] = {
    "extract": {
        "missing file": ["extract", "{root}/missing.txt", *DEAD],
        "empty file": ["extract", "{empty}", *DEAD],
        "binary file": ["extract", "{binary}", *DEAD],
        "non-UTF-8": ["extract", "{latin1}", *DEAD],
        "bad JSONL line": ["extract", "{bad_jsonl}", *DEAD],
        "non-UTF-8 JSONL": ["extract", "{latin1_jsonl}", *DEAD],
        "folder without articles": ["extract", "{empty_folder}", *DEAD],
        "glob matching nothing": ["extract", "{folder}", "--glob", "*.md", *DEAD],
        "output is a folder": ["extract", "{folder}", "-o", "{folder}", *DEAD],
        "json output exists": ["extract", "{folder}", "-f", "json", "-o", "{a_file}", *DEAD],
        "unknown prompt": ["extract", "{folder}", "-p", "extract@v99", *DEAD],
        "bad prompt ref": ["extract", "{folder}", "-p", "Not A Ref!", *DEAD],
        "no API key": ["extract", "{folder}", "--model", "gpt-4o-mini"],
        "bad mode": ["extract", "{folder}", "--mode", "telepathy", *DEAD],
        "bad concurrency": ["extract", "{folder}", "-j", "0", *DEAD],
        "bad format": ["extract", "{folder}", "-f", "xml", *DEAD],
        "bad context": ["extract", "{folder}", "--context-tokens", "five", *DEAD],
        "cache is a file": ["extract", "{folder}", "--cache-dir", "{a_file}", *DEAD],
        "no paths": ["extract"],
    },
    "consolidate": {
        "missing file": ["consolidate", "{root}/missing.jsonl"],
        "empty file": ["consolidate", "{empty}"],
        "binary file": ["consolidate", "{binary}"],
        "non-UTF-8": ["consolidate", "{latin1_json}"],
        "folder": ["consolidate", "{folder}"],
        "bad JSONL line": ["consolidate", "{bad_jsonl}"],
        "bad format": ["consolidate", "{bad_jsonl}", "-f", "xml"],
        "bad number": ["consolidate", "{bad_jsonl}", "--min-articles", "many"],
    },
    "check-gold": {
        "missing folder": ["check-gold", "{root}/missing"],
        "empty folder": ["check-gold", "{empty_folder}"],
        "binary file": ["check-gold", "{binary}"],
        "bad JSONL line": ["check-gold", "{bad_jsonl}"],
        "non-UTF-8 JSONL": ["check-gold", "{latin1_jsonl}"],
        "broken gold file": ["check-gold", "{root}/gold"],
        "no gold here": ["check-gold"],
        "bad option": ["check-gold", "--markdown=maybe"],
    },
    "prompts": {
        "unknown option": ["prompts", "--all"],
        "extra argument": ["prompts", "extract"],
    },
    "schemas": {
        "outside a checkout": ["schemas", "--check"],
        "dir is a file": ["schemas", "--dir", "{a_file}"],
        "stale dir": ["schemas", "--check", "--dir", "{empty_folder}"],
        "unknown option": ["schemas", "--fix"],
    },
    "eval": {
        "same prompt twice": ["eval", "--prompt", "extract@v1", "--prompt", "extract@v1"],
        "negative seed": ["eval", "--seed", "-5"],
        "no gold here": ["eval"],
        "unknown prompt": ["eval", "--prompt", "extract@v99"],
        "score a missing file": ["eval", "score", "{root}/missing.jsonl"],
        "score a binary file": ["eval", "score", "{binary}"],
    },
    "batch": {
        "status of no run": ["batch", "status", "-o", "{root}/none.jsonl"],
        "collect of no run": ["batch", "collect", "-o", "{root}/none.jsonl"],
        "submit, unknown prompt": [
            "batch",
            "submit",
            "{folder}",
            "-o",
            "{root}/o.jsonl",
            "-p",
            "extract@v99",
        ],
        "submit, output is a folder": ["batch", "submit", "{folder}", "-o", "{folder}"],
        "no subcommand": ["batch", "frobnicate"],
    },
    "datasets": {
        "missing checkout": ["datasets", "convert", "polnear", "{root}/missing"],
        "not a corpus folder": ["datasets", "convert", "brat", "{empty_folder}"],
        "a file, not a folder": ["datasets", "convert", "polnear", "{binary}"],
        "unknown corpus": ["datasets", "convert", "parc", "{folder}"],
    },
    "stance": {
        "missing file": ["stance", "A claim.", "{root}/missing.txt", *DEAD],
        "binary file": ["stance", "A claim.", "{binary}", *DEAD],
        "bad JSONL line": ["stance", "A claim.", "{bad_jsonl}", *DEAD],
        "empty claim": ["stance", " ", "{folder}", *DEAD],
        "unknown prompt": ["stance", "A claim.", "{folder}", "-p", "targeted@v99", *DEAD],
        "not a targeted prompt": ["stance", "A claim.", "{folder}", "-p", "toy@v1", *DEAD],
        "bad format": ["stance", "A claim.", "{folder}", "-f", "xml", *DEAD],
        "no paths": ["stance", "A claim."],
    },
    "(root)": {
        "unknown command": ["extrakt"],
        "unknown option": ["--verbose"],
    },
}


def expand(args: list[str], files: dict[str, Path], root: Path) -> list[str]:
    names = {"root": str(root), **{k: str(v) for k, v in files.items()}}
    return [a.format(**names) for a in args]


def test_every_command_is_in_the_table() -> None:
    commands = set(typer.main.get_command(app).commands)
    assert commands <= set(CASES), f"add bad inputs for {sorted(commands - set(CASES))}"


@pytest.mark.parametrize(("command", "case"), [(c, k) for c, cases in CASES.items() for k in cases])
def test_no_traceback_reaches_the_user(
    command: str, case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = make_files(tmp_path)
    monkeypatch.chdir(tmp_path)  # outside any claimx checkout
    args = expand(CASES[command][case], files, tmp_path)
    result = CliRunner().invoke(app, args)
    stderr = result.stderr
    assert "Traceback" not in stderr + result.stdout
    assert result.exit_code in (1, 2), (result.exit_code, stderr)
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, stderr
    assert stderr.rstrip("\n").splitlines()[-1] == errors[0], "the error line comes last"
    assert "╭" not in stderr, "no rich error panel"


def _error(result: Result) -> str:
    return next(line for line in result.stderr.splitlines() if line.startswith("error: "))


def test_usage_errors_exit_2_failed_work_exits_1(tmp_path: Path) -> None:
    files = make_files(tmp_path)
    runner = CliRunner()
    usage = runner.invoke(
        app, ["extract", str(files["folder"]), "-j", "0", *DEAD], prog_name="claimx"
    )
    assert usage.exit_code == 2
    assert "--concurrency" in _error(usage) and "see 'claimx extract --help'" in _error(usage)
    failed = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), *DEAD])
    assert failed.exit_code == 1
    assert "1 article(s) failed" in _error(failed)
    assert "missing.txt" in failed.stderr and "no such file" in failed.stderr


def test_check_gold_outside_the_repo_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check-gold"])
    line = _error(result)
    assert result.exit_code == 2
    assert str(tmp_path.resolve()) in line and "eval/gold" in line
    assert "claimx check-gold PATH" in line


def test_check_gold_empty_folder_says_what_a_gold_folder_holds(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check-gold", str(tmp_path)])
    assert result.exit_code == 1
    assert "no gold files" in _error(result) and "<stem>.json" in _error(result)


def test_consolidate_binary_is_one_line_about_utf8(tmp_path: Path) -> None:
    files = make_files(tmp_path)
    result = CliRunner().invoke(app, ["consolidate", str(files["binary"])])
    assert result.exit_code == 1
    assert "not UTF-8" in _error(result) and "iconv" in _error(result)


def test_extract_output_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    files = make_files(tmp_path)
    out = tmp_path / "somedir"
    out.mkdir()
    result = CliRunner().invoke(app, ["extract", str(files["folder"]), "-o", f"{out}/", *DEAD])
    assert result.exit_code == 2
    assert "is a folder" in _error(result) and "results.jsonl" in _error(result)
    assert list(out.iterdir()) == []


def _raise(exc: Exception) -> Callable[..., object]:
    def app(args: list[str], standalone_mode: bool = True) -> object:
        raise exc

    return app


def test_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMX_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        run(_raise(KeyError("k")), argv=["x"])
    err = capsys.readouterr().err
    assert exited.value.code == 1 and "Traceback" not in err
    assert err == "error: unexpected KeyError: 'k' (a claimx bug: please report it)" + (
        " (run with --debug for the traceback)\n"
    )
    with pytest.raises(SystemExit):
        run(_raise(KeyError("k")), argv=["x", "--debug"])
    assert "Traceback" in capsys.readouterr().err
    monkeypatch.setenv("CLAIMX_DEBUG", "1")
    with pytest.raises(SystemExit):
        run(_raise(KeyError("k")), argv=["x"])
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().splitlines()[-1].startswith("error: ")


def test_debug_flag_is_removed_before_parsing_and_a_file_after_double_dash_is_kept() -> None:
    seen: list[list[str]] = []

    def app(args: list[str], standalone_mode: bool = True) -> int:
        seen.append(args)
        return 0

    with pytest.raises(SystemExit):
        run(app, argv=["extract", "--debug", "a.txt", "--", "--debug"])
    assert seen == [["extract", "a.txt", "--", "--debug"]]


def test_os_errors_name_the_file_and_what_to_do() -> None:
    line = describe(IsADirectoryError(21, "Is a directory", "somedir"))
    assert line == "somedir: Is a directory; a file was expected there, not a folder"
    assert report(FileNotFoundError(2, "No such file or directory", "x")) == 1


def test_main_entry_point_prints_one_line(tmp_path: Path) -> None:
    """The console script itself (claimx.cli:main), not only the app."""
    code = "import sys; from claimx.cli import main; sys.argv = ['claimx', 'check-gold']; main()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert (
        done.stderr.startswith("error: no claimx checkout here") and "Traceback" not in done.stderr
    )
    assert done.stderr.count("\n") == 1


def test_version() -> None:
    from claimx import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"claimx {__version__}\n"
