from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claimx.errors import GoldError
from claimx.gold import check_gold, load_gold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold"
TEXT = "News U.S.\n\nKirby said the US had no role in it.\n\nSource link\n"


def make_gold(tmp_path: Path, claims: list[dict[str, object]]) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "a1.txt").write_text(TEXT, encoding="utf-8")
    payload = {"article_id": "a1", "claims": claims}
    (tmp_path / "gold" / "a1.json").write_text(json.dumps(payload), encoding="utf-8")
    return tmp_path / "gold"


def claim(quote: str, **kw: object) -> dict[str, object]:
    start = TEXT.index(quote)
    base: dict[str, object] = {
        "claim": "The United States was involved in the drone attack on the Kremlin.",
        "speaker": "John Kirby",
        "speaker_role": None,
        "stance": "refutes",
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "direct": False,
    }
    return {**base, **kw}


def test_shipped_gold_passes_every_check() -> None:
    assert sorted(p.stem for p in GOLD.glob("*.json")), "no gold files"
    assert check_gold(GOLD) == []


def test_shipped_articles_are_byte_identical_to_the_corpus() -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus not beside this checkout")
    for path in corpus.glob("*.txt"):
        assert (ROOT / "eval" / "articles" / path.name).read_bytes() == path.read_bytes()


def test_good_file_passes(tmp_path: Path) -> None:
    assert check_gold(make_gold(tmp_path, [claim("the US had no role in it")])) == []


def test_each_problem_is_named_with_file_and_claim(tmp_path: Path) -> None:
    good = claim("the US had no role in it")
    bad_offsets = {**good, "start": 0, "end": len(good["quote"])}  # type: ignore[arg-type]
    bad_stance = claim("Kirby said", stance="denies", claim="Kirby spoke.")
    furniture = claim("Source link", claim="Something.", speaker="Somebody")
    folder = make_gold(tmp_path, [good, dict(good), bad_offsets, bad_stance, furniture])
    problems = check_gold(folder)
    text = "\n".join(problems)
    assert all("a1.json: " in p for p in problems)
    assert "claims[1]: same speaker and proposition" in text
    assert "claims[2]: text[0:" in text
    assert "claims/3/stance" in text or "claims[3]: stance 'denies'" in text
    assert "claims[4]: evidence lies in page furniture" in text


def test_load_gold_errors_name_the_file(tmp_path: Path) -> None:
    folder = make_gold(tmp_path, [claim("the US had no role in it", stance="maybe")])
    with pytest.raises(GoldError, match="a1.json: not a valid gold file"):
        load_gold(folder)


def test_load_gold_needs_the_article_text(tmp_path: Path) -> None:
    folder = make_gold(tmp_path, [claim("the US had no role in it")])
    shutil.rmtree(tmp_path / "articles")
    with pytest.raises(GoldError, match="no article text a1.txt"):
        load_gold(folder)
