"""Phase 1's answer on the five articles' claim gold, with the shipped parts."""

from __future__ import annotations

from pathlib import Path

from claimx.models import GoldArticle
from claimx.targeted.answer import answer, answer_corpus
from claimx.targeted.features import FEATURES
from claimx.targeted.shipped import shipped

ROOT = Path(__file__).resolve().parents[2]
STEM = "001_542e584fe1452441"
TEXT = (ROOT / "eval" / "articles" / f"{STEM}.txt").read_text(encoding="utf-8")
GOLD = GoldArticle.model_validate_json(
    (ROOT / "eval" / "gold" / f"{STEM}.json").read_text(encoding="utf-8")
)


def test_the_shipped_parts_load_and_fit_together() -> None:
    parts = shipped()
    assert parts.classifier.features == FEATURES
    assert set(parts.classifier.classes) == {"supports", "refutes", "uncertain", "unrelated"}
    assert 0.0 < parts.screen_threshold < 0.5 and parts.idf.documents > 1000
    assert parts.tune["screen"]["related_screened"] <= 0.01


def test_an_unrelated_claim_is_screened_without_reading_the_claims() -> None:
    got = answer("A volcano erupted near the Reykjavik airport.", STEM, TEXT, GOLD.claims)
    assert (got.stance, got.decided_by, got.sources) == ("unrelated", "screen", [])
    assert got.usage.calls == 0 and got.relatedness < shipped().screen_threshold


def test_matched_sources_decide_and_carry_their_evidence() -> None:
    got = answer(
        "The United States was behind the drone attack on the Kremlin.", STEM, TEXT, GOLD.claims
    )
    assert (got.stance, got.decided_by) == ("uncertain", "sources")
    stances = {s.speaker: s.stance for s in got.sources}
    assert stances == {
        "Russia": "supports",
        "United States": "refutes",
        "John Kirby": "refutes",
        "Kremlin": "supports",
        "Dmitry Peskov": "supports",
    }
    for s in got.sources:
        assert TEXT[s.start : s.end] == s.quote
    assert got.best_start is not None and got.best_end is not None
    assert got.usage.calls == 0


def test_a_related_article_with_no_matching_claim_goes_to_the_classifier() -> None:
    got = answer(
        "Vladimir Putin was in the Kremlin at the time of the drone attack.",
        STEM,
        TEXT,
        GOLD.claims,
    )
    assert got.decided_by == "classifier" and got.sources == [] and got.warnings


def test_answer_corpus_answers_every_article_with_a_text() -> None:
    other = GOLD.model_copy(update={"article_id": "no-text"})
    got = answer_corpus(
        "Ukraine carried out the drone attack on the Kremlin.", [GOLD, other], {STEM: TEXT}
    )
    assert [a.article_id for a in got] == [STEM]
    assert {s.speaker for s in got[0].sources} == {"Kremlin", "Ukraine"}
