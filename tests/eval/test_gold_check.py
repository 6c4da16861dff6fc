"""Loading and checking gold: each kind of problem is caught and named by file and claim."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from claimx.errors import GoldError
from claimx.eval.gold import (
    check_gold,
    gold_problems,
    gold_summary,
    gold_summary_markdown,
    gold_summary_table,
    load_gold,
)
from claimx.models import GoldArticle

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold"
TEXT = (
    "Kremlin blames Washington for drone attack\n\n"
    "Kirby said the US had no role in it. Peskov said the US was behind it.\n\n"
    "Zelensky visits The Hague for talks\n\n"
    "Kirby added that nobody knows what happened.\n\n"
    "Source link\n"
)
INVOLVED = "The United States was involved in the drone attack on the Kremlin."


def claim(quote: str, **kw: Any) -> dict[str, Any]:
    start = TEXT.index(quote)
    base = {
        "claim": INVOLVED,
        "speaker": "John Kirby",
        "speaker_role": None,
        "stance": "refutes",
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "direct": False,
    }
    return {**base, **kw}


def make_gold(tmp_path: Path, claims: list[dict[str, Any]], stem: str = "a1") -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "gold").mkdir(exist_ok=True)
    (tmp_path / "articles" / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    payload = {"article_id": stem, "claims": claims}
    (tmp_path / "gold" / f"{stem}.json").write_text(json.dumps(payload), encoding="utf-8")
    return tmp_path / "gold"


def kinds(path: Path, **kw: Any) -> list[tuple[str, int | None, str]]:
    return [(Path(p.file).name, p.claim, p.kind) for p in gold_problems(path, **kw)]


GOOD = claim("the US had no role in it")


def test_good_gold_has_no_problem(tmp_path: Path) -> None:
    peskov = claim("the US was behind it", speaker="Peskov", stance="supports")
    assert gold_problems(make_gold(tmp_path, [GOOD, peskov])) == []


def test_bad_offsets_are_named_with_what_the_text_holds(tmp_path: Path) -> None:
    shifted = {**GOOD, "speaker": "Peskov", "start": GOOD["start"] + 1, "end": GOOD["end"] + 1}
    outside = {**GOOD, "speaker": "Blinken", "start": 5000, "end": 5000 + len(GOOD["quote"])}
    problems = gold_problems(make_gold(tmp_path, [GOOD, shifted, outside]))
    assert [(p.claim, p.kind) for p in problems] == [(1, "offsets"), (2, "offsets")]
    assert str(problems[0]).startswith(f"{tmp_path / 'gold' / 'a1.json'}: claims[1]: text[")
    assert "he US had no role in it." in problems[0].message
    assert "outside the text" in problems[1].message


def test_duplicates_count_a_surname_as_the_same_speaker(tmp_path: Path) -> None:
    again = claim("Kirby added that nobody knows", speaker="Kirby", claim=INVOLVED.upper())
    other_speaker = claim("Kirby added that nobody knows", speaker="Peskov")
    problems = gold_problems(make_gold(tmp_path, [GOOD, again, other_speaker]))
    assert [(p.claim, p.kind) for p in problems] == [(1, "duplicate")]
    assert "same speaker and proposition as claims[0]" in str(problems[0])


def test_bad_stance_fails_schema_and_stance_checks(tmp_path: Path) -> None:
    bad = claim("the US was behind it", speaker="Peskov", stance="denies")
    got = kinds(make_gold(tmp_path, [GOOD, bad]))
    assert ("a1.json", 1, "schema") in got and ("a1.json", 1, "stance") in got
    assert "claims/1/stance" in "\n".join(check_gold(tmp_path / "gold"))


def test_evidence_in_a_teaser_or_furniture_is_flagged(tmp_path: Path) -> None:
    teaser = claim("Zelensky visits The Hague", speaker="Zelensky", claim="Zelensky visits.")
    furniture = claim("Source link", speaker="Somebody", claim="Something.")
    headline = claim("Kremlin blames Washington", speaker="Kremlin", stance="supports")
    problems = gold_problems(make_gold(tmp_path, [GOOD, teaser, furniture, headline]))
    assert [(p.claim, p.kind) for p in problems] == [(1, "furniture"), (2, "furniture")]
    assert "teaser" in problems[0].message and "end matter" in problems[1].message


def test_schema_path_is_used_and_must_exist(tmp_path: Path) -> None:
    folder = make_gold(tmp_path, [GOOD])
    schema = GoldArticle.model_json_schema()
    schema["properties"]["claims"]["maxItems"] = 0  # a stricter schema, to see it applied
    path = tmp_path / "strict.schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert kinds(folder, schema=path) == [("a1.json", None, "schema")]
    with pytest.raises(GoldError, match="no such schema file"):
        gold_problems(folder, schema=tmp_path / "missing.json")


def test_file_level_problems(tmp_path: Path) -> None:
    folder = make_gold(tmp_path, [GOOD])
    (folder / "broken.json").write_text("{", encoding="utf-8")
    (folder / "orphan.json").write_text('{"article_id": "x", "claims": []}', encoding="utf-8")
    got = kinds(folder)
    assert ("broken.json", None, "json") in got
    assert ("orphan.json", None, "article") in got  # article_id != stem, and no text
    assert sum(1 for g in got if g[0] == "orphan.json") == 2


def test_jsonl_gold_is_loaded_and_checked_per_line(tmp_path: Path) -> None:
    good = {"id": "x1", "text": TEXT, "claims": [GOOD]}
    shifted = {**GOOD, "start": GOOD["start"] + 1, "end": GOOD["end"] + 1}
    bad = {"id": "x2", "text": TEXT, "claims": [shifted]}
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    problems = gold_problems(path)
    assert {(p.file, p.claim) for p in problems} == {(f"{path}:3", 0)}
    first, second = load_gold(path)
    assert (first.article_id, first.claims[0].quote, first.source) == (
        "x1",
        GOOD["quote"],
        f"{path}:1",
    )
    assert second.source == f"{path}:3"


def test_load_gold_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match=r"a1\.json: not a valid gold file"):
        load_gold(make_gold(tmp_path, [claim("the US had no role in it", stance="maybe")]))
    with pytest.raises(GoldError, match="not a gold folder or a .jsonl file"):
        load_gold(tmp_path / "nothing")


def test_summary_counts_and_renders(tmp_path: Path) -> None:
    peskov = claim("the US was behind it", speaker="Dmitry Peskov", stance="supports", direct=True)
    items = load_gold(make_gold(tmp_path, [GOOD, peskov]))
    (row,) = gold_summary(items)
    assert row == {
        "article": "a1", "claims": 2, "speakers": 2, "supports": 1, "refutes": 1,
        "uncertain": 0, "direct": 1, "indirect": 1,
    }  # fmt: skip
    md = gold_summary_markdown([row])
    assert md.splitlines()[0].startswith("| article | claims |")
    assert md.splitlines()[-1] == "| total | 2 | 2 | 1 | 1 | 0 | 1 | 1 |"
    console = Console(width=120, record=True)
    console.print(gold_summary_table([row]))
    assert "total" in console.export_text()


def test_shipped_gold_passes_every_check() -> None:
    if not any(GOLD.glob("*.json")):
        pytest.skip("no gold files in eval/gold yet")
    schema = ROOT / "schemas" / "gold_article.schema.json"
    problems = check_gold(GOLD, schema=schema if schema.exists() else None)
    assert problems == []


def test_shipped_articles_are_byte_identical_to_the_corpus() -> None:
    root = Path(__file__).resolve().parents[2]
    corpus = root.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus not beside this checkout")
    names = sorted(p.name for p in corpus.glob("*.txt"))
    assert names == sorted(p.name for p in (root / "eval" / "articles").glob("*.txt"))
    for name in names:
        assert (root / "eval" / "articles" / name).read_bytes() == (corpus / name).read_bytes()


def test_load_gold_needs_the_article_text(tmp_path: Path) -> None:
    folder = make_gold(tmp_path, [claim("the US had no role")])
    (tmp_path / "articles" / "a1.txt").unlink()
    with pytest.raises(GoldError, match="no article text a1.txt"):
        load_gold(folder)
