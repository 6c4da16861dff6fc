"""What `claimx consolidate` reads: folders of claims, article texts, the outlets file."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.consolidate.inputs import load_claims, load_outlets, load_texts
from claimx.errors import InputError
from claimx.models import ExtractionResult, GoldArticle

from .corpus import ROOT, small_corpus


def test_a_folder_stands_for_its_json_and_jsonl_files(tmp_path: Path) -> None:
    gold, extraction = small_corpus()
    assert isinstance(gold, GoldArticle) and isinstance(extraction, ExtractionResult)
    (tmp_path / "a1.json").write_text(gold.model_dump_json(), encoding="utf-8")
    (tmp_path / "runs.jsonl").write_text(extraction.model_dump_json() + "\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not claims", encoding="utf-8")
    loaded = load_claims([tmp_path])
    assert [a.article_id for a in loaded] == ["a1", "a2"]
    assert len(load_claims([ROOT / "eval" / "gold"])) == 5


def test_bad_inputs_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no .json or .jsonl file"):
        load_claims([tmp_path])
    with pytest.raises(InputError, match="cannot read"):
        load_claims([tmp_path / "missing.json"])
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"article_id": "Kyïv"}'.encode("latin1"))
    with pytest.raises(InputError, match=r"latin1.json: not UTF-8 text \(byte 18\); .*iconv"):
        load_claims([latin1])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article_id": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl: not an extraction result \(JSONL\)"):
        load_claims([bad])


def test_texts_and_outlets(tmp_path: Path) -> None:
    (tmp_path / "a1.txt").write_text("the text", encoding="utf-8")
    assert load_texts(tmp_path, ["a1", "a2"]) == {"a1": "the text"}
    with pytest.raises(InputError, match="not a folder"):
        load_texts(tmp_path / "a1.txt", ["a1"])
    outlets = tmp_path / "outlets.json"
    outlets.write_text('{"a1": "Reuters"}', encoding="utf-8")
    assert load_outlets(outlets) == {"a1": "Reuters"}
    outlets.write_text('["Reuters"]', encoding="utf-8")
    with pytest.raises(InputError, match="article id -> outlet name"):
        load_outlets(outlets)
    outlets.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not JSON"):
        load_outlets(outlets)
