from __future__ import annotations

import io
import json
from pathlib import Path

from claimx.runs.inputs import STDIN, count_inputs, glob_pattern, iter_inputs


def sources_and_errors(paths: list[Path]) -> tuple[list[str], list[str]]:
    items = list(iter_inputs(paths))
    ok = [i.article.id for i in items if i.article]
    errors = [str(i.error) for i in items if i.error]
    return ok, errors


def test_bad_files_are_named_and_do_not_lose_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text("Kirby said it was false.", encoding="utf-8")
    (tmp_path / "b_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "c_blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "d_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "e_latin1.txt").write_bytes("Peskov a déclaré".encode("latin-1"))
    (tmp_path / "f_good.txt").write_text("Peskov said it was true.", encoding="utf-8")
    ok, errors = sources_and_errors([tmp_path])
    assert ok == ["a_good", "f_good"]
    assert len(errors) == 4
    assert any("b_empty.txt" in e and "empty" in e for e in errors)
    assert any("c_blank.txt" in e and "empty" in e for e in errors)
    assert any("d_binary.txt" in e and "binary" in e for e in errors)
    assert any("e_latin1.txt" in e and "UTF-8" in e and "iconv" in e for e in errors)


def test_missing_file(tmp_path: Path) -> None:
    ok, errors = sources_and_errors([tmp_path / "nope.txt"])
    assert ok == [] and "nope.txt: no such file" in errors[0]


def test_jsonl_lines_each_stand_alone(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "one", "text": "A said B."}),
        json.dumps({"id": "two"}),
        "{not json",
        json.dumps({"id": "four", "text": "   "}),
        "",
        json.dumps({"text": "C said D."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok, errors = sources_and_errors([path])
    assert ok == ["one", "batch-6"]
    assert [e.split(":")[1] for e in errors] == ["2", "3", "4"]
    assert 'expected an object with a "text" string' in errors[0]
    assert "not valid JSON" in errors[1]
    assert "empty" in errors[2]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff“We had nothing to do with this,” said Kirby.".encode())
    item = next(iter_inputs([path]))
    assert item.article is not None and item.article.text.startswith("“We")


def write(path: Path, text: str = "Kirby said it was false.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_are_searched_recursively_with_unique_relative_ids(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt")
    write(tmp_path / "b" / "x.txt")
    write(tmp_path / "b" / "deep" / "y.TXT")
    write(tmp_path / "top.Txt")
    write(tmp_path / ".git" / "z.txt")  # hidden folders and files are not articles
    write(tmp_path / "a" / "._x.txt")
    write(tmp_path / "notes.pdf")
    ok, errors = sources_and_errors([tmp_path])
    assert ok == ["a/x", "b/deep/y", "b/x", "top"] and errors == []
    assert count_inputs([tmp_path]) == 4


def test_the_default_glob_takes_txt_and_jsonl_and_leaves_a_readme_alone(tmp_path: Path) -> None:
    # issue 24: a corpus folder's README.md was sent to the model as an article
    write(tmp_path / "README.md", "# About this corpus")
    write(tmp_path / "notes.text")
    write(tmp_path / "a.txt")
    write(tmp_path / "sub" / "more.jsonl", json.dumps({"id": "j", "text": "B said C."}) + "\n")
    ok, errors = sources_and_errors([tmp_path])
    assert ok == ["a", "j"] and errors == []
    assert count_inputs([tmp_path]) == 2
    opted_in = [i.article.id for i in iter_inputs([tmp_path], glob="**/*.md") if i.article]
    assert opted_in == ["README"]


def test_glob_selects_the_files_of_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "2024" / "a.txt")
    write(tmp_path / "2024" / "b.md")
    write(tmp_path / "2025" / "c.TXT")
    write(tmp_path / "d.txt")
    assert [i.article.id for i in iter_inputs([tmp_path], glob="2024/*") if i.article] == [
        "2024/a", "2024/b",
    ]  # fmt: skip
    assert [i.article.id for i in iter_inputs([tmp_path], glob="*.txt") if i.article] == ["d"]
    found = [i.article.id for i in iter_inputs([tmp_path], glob="**/*.{md,txt}") if i.article]
    assert found == ["2024/a", "2024/b", "2025/c", "d"]
    nothing = list(iter_inputs([tmp_path], glob="**/*.html"))
    assert len(nothing) == 1 and nothing[0].error is not None
    assert "no files matching '**/*.html'" in str(nothing[0].error)
    assert count_inputs([tmp_path], glob="2024/*") == 2


def test_glob_pattern() -> None:
    match = glob_pattern("**/*.{txt,md}").fullmatch
    assert match("x.txt") and match("a/b/x.TXT") and match("a/x.md")
    assert not match("x.txt.bak") and not match("x.json")
    assert glob_pattern("a/*.txt").fullmatch("a/x.txt")
    assert not glob_pattern("a/*.txt").fullmatch("a/b/x.txt")
    assert glob_pattern("[!a]?.txt").fullmatch("bc.txt")
    assert not glob_pattern("[!a]?.txt").fullmatch("ac.txt")
    assert glob_pattern("x[0-9].txt").fullmatch("x7.txt")


def test_jsonl_suffix_is_case_insensitive_and_keeps_relative_ids(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "batch.JSONL", json.dumps({"text": "A said B."}) + "\n")
    ok, errors = sources_and_errors([tmp_path])
    assert ok == ["sub/batch-1"] and errors == []


def test_stdin_one_article(tmp_path: Path) -> None:
    stream = io.BytesIO("\n\n“We had nothing to do with this,” said Kirby.\n".encode())
    items = list(iter_inputs([STDIN], stdin=stream))
    assert [i.article.id for i in items if i.article] == ["stdin"]
    assert items[0].article is not None and "Kirby" in items[0].article.text
    assert count_inputs([STDIN]) is None  # stdin cannot be read twice to count it


def test_stdin_jsonl_is_detected_by_its_first_character() -> None:
    lines = ["", json.dumps({"id": "one", "text": "A said B."}), "{bad", json.dumps({"text": "C"})]
    stream = io.BytesIO(("\n".join(lines) + "\n").encode())
    items = list(iter_inputs([STDIN], stdin=stream))
    assert [i.article.id for i in items if i.article] == ["one", "stdin-4"]
    assert [i.source for i in items if i.error] == ["<stdin>:3"]


def test_stdin_empty_binary_or_twice() -> None:
    for data, what in ((b"  \n", "empty"), (b"\x89PNG\x00\x00", "binary")):
        items = list(iter_inputs([STDIN], stdin=io.BytesIO(data)))
        assert len(items) == 1 and what in str(items[0].error)
    twice = list(iter_inputs([STDIN, STDIN], stdin=io.BytesIO(b"Kirby said so.")))
    assert twice[0].article is not None and "given twice" in str(twice[1].error)


def test_cli_reads_stdin(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimx.cli import app

    # No model is reachable: the article is read from stdin, then fails at the endpoint.
    args = ["extract", "-", "--model", "x", "--base-url", "http://127.0.0.1:9/v1", "--no-cache"]
    result = CliRunner().invoke(app, args, input="")
    assert result.exit_code == 1
    assert '"source": "<stdin>"' in result.stderr and "empty" in result.stderr
