from __future__ import annotations

import json
from pathlib import Path

from claimx.runs.inputs import iter_inputs


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
