"""The five articles' targeted-stance gold, and the loader's refusals."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from claimx.errors import GoldError
from claimx.models import GoldArticle
from claimx.speakers import same_source
from claimx.targeted.gold import load_targeted_gold

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "targeted" / "gold.jsonl"
ARTICLES = ROOT / "eval" / "articles"


def test_every_span_of_the_five_article_gold_is_verbatim() -> None:
    records = load_targeted_gold(GOLD)  # raises on any span that is not text[start:end]
    assert len(records) == 25
    for r in records:
        assert r.text is not None
        for s in r.sources or []:
            assert r.text[s.start : s.end] == s.quote
        for n in r.narration:
            assert r.text[n.start : n.end] == n.quote


def test_the_gold_covers_every_claim_and_article_once() -> None:
    records = load_targeted_gold(GOLD)
    pairs = Counter((r.claim_id, r.article_id) for r in records)
    assert len(pairs) == 25 and set(pairs.values()) == {1}
    assert {r.article_id for r in records} == {p.stem for p in ARTICLES.glob("*.txt")}
    assert all(r.sources is not None for r in records)  # every source annotated


def test_sources_are_speakers_of_the_claim_gold_one_record_each() -> None:
    for r in load_targeted_gold(GOLD):
        claim_gold = GoldArticle.model_validate_json(
            (ROOT / "eval" / "gold" / f"{r.article_id}.json").read_text(encoding="utf-8")
        )
        speakers = {c.speaker for c in claim_gold.claims}
        names = [s.speaker for s in r.sources or []]
        assert set(names) <= speakers, r.id
        assert not any(same_source(a, b) for i, a in enumerate(names) for b in names[i + 1 :])


def test_an_article_without_sources_takes_a_position_only_in_its_own_words() -> None:
    for r in load_targeted_gold(GOLD):
        if not r.sources and r.stance != "unrelated":
            assert r.narration, r.id


def _write(tmp_path: Path, record: dict[str, object]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


TEXT = "The mayor said the bridge opened."
SOURCE = {"speaker": "The mayor", "stance": "supports", "quote": "the bridge opened", "start": 15}
RECORD = {
    "id": "a/1",
    "claim": "The bridge opened.",
    "article_id": "one",
    "text": TEXT,
    "stance": "supports",
    "sources": [{**SOURCE, "end": 32}],
}


def test_the_loader_reads_inline_text_and_refuses_bad_records(tmp_path: Path) -> None:
    (record,) = load_targeted_gold(_write(tmp_path, RECORD))
    assert record.sources is not None and record.sources[0].quote == "the bridge opened"
    shifted = {**RECORD, "sources": [{**SOURCE, "start": 14, "end": 31}]}
    with pytest.raises(GoldError, match=r"line 1 \(a/1\): source The mayor \[14:31\]"):
        load_targeted_gold(_write(tmp_path, shifted))
    with pytest.raises(GoldError, match="line 1: not a targeted-stance record: stance"):
        load_targeted_gold(_write(tmp_path, {**RECORD, "stance": "agree"}))
    no_text = {**RECORD, "text": None}
    with pytest.raises(GoldError, match="no text inline and no .*one.txt"):
        load_targeted_gold(_write(tmp_path, no_text), tmp_path)
    (tmp_path / "one.txt").write_text(TEXT, encoding="utf-8")
    assert load_targeted_gold(_write(tmp_path, no_text), tmp_path)[0].text == TEXT
    path = tmp_path / "twice.jsonl"
    path.write_text((json.dumps(RECORD) + "\n") * 2, encoding="utf-8")
    with pytest.raises(GoldError, match="line 2: id 'a/1' occurs twice"):
        load_targeted_gold(path)
