"""Small corpora for the consolidation tests, and the gold of eval/gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.models import (
    Claim,
    ExtractedClaim,
    ExtractionResult,
    GoldArticle,
    Grounding,
    Speaker,
    Stance,
)

from .paraphrases import CANONICAL

ROOT = Path(__file__).resolve().parents[2]


def make_claim(claim: str, speaker: str, stance: Stance, quote: str, *, start: int = 0) -> Claim:
    return Claim(
        claim=claim,
        speaker=speaker,
        stance=stance,
        quote=quote,
        start=start,
        end=start + len(quote),
        direct=True,
    )


def extraction(article_id: str, claims: list[tuple[Claim, Speaker]]) -> ExtractionResult:
    return ExtractionResult(
        article_id=article_id,
        claims=[
            ExtractedClaim(
                **c.model_dump(),
                speaker_id=s.id,
                grounding=Grounding(
                    grounded=True, method="exact", score=100.0, model_quote=c.quote
                ),
            )
            for c, s in claims
        ],
        speakers=list({s.id: s for _, s in claims}.values()),
        model="test",
        prompt="extract@v0",
        prompt_hash="0",
        strategy="single_pass",
        latency_s=0.0,
    )


US = CANONICAL["P-US-INVOLVED"]


def small_corpus() -> list[GoldArticle | ExtractionResult]:
    peskov = Speaker(id="dmitri-s-peskov", name="Dmitri S. Peskov", aliases=["Peskov"])
    return [
        GoldArticle(
            article_id="a1",
            claims=[
                make_claim(US, "Dmitry Peskov", "supports", "Washington did it"),
                make_claim(US, "John Kirby", "refutes", "We had nothing to do with this"),
                make_claim(CANONICAL["P-STAGED"], "Mykhailo Podolyak", "supports", "a false flag"),
            ],
        ),
        extraction(
            "a2",
            [
                (
                    make_claim(
                        "Washington was behind the Kremlin drone strike.",
                        "Dmitri S. Peskov",
                        "supports",
                        "undoubtedly",
                    ),
                    peskov,
                ),
                (
                    make_claim(US, "John F. Kirby", "uncertain", "we don't know"),
                    Speaker(id="john-f-kirby", name="John F. Kirby"),
                ),
            ],
        ),
    ]


def hostile_corpus() -> list[GoldArticle | ExtractionResult]:
    claim = "The <script>alert(1)</script> plan | works & more"
    return [
        GoldArticle(
            article_id=f"<a{i}>",
            claims=[make_claim(claim, "O'Brien & <b>Sons</b>", "supports", '"x" <i>|</i>')],
        )
        for i in range(2)
    ]


def gold_articles() -> tuple[list[GoldArticle], dict[str, str]]:
    paths = sorted((ROOT / "eval" / "gold").glob("*.json"))
    if not paths:
        pytest.skip("eval/gold is empty")
    gold = [GoldArticle.model_validate_json(p.read_text(encoding="utf-8")) for p in paths]
    texts = {
        g.article_id: (ROOT / "eval" / "articles" / f"{g.article_id}.txt").read_text(
            encoding="utf-8"
        )
        for g in gold
    }
    return gold, texts


KREMLIN_SIDE = ("peskov", "russia", "kremlin", "russian")
US_SIDE = ("kirby", "us-", "white-house", "garn", "blinken")
