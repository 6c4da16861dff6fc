"""benchmarks/polnear_variants.py: the what-if scores behind extract@v9, on a tiny written gold."""

from __future__ import annotations

from benchmarks import polnear_variants as pv
from claimx.eval.gold import GoldItem
from claimx.models import Attribution, ExtractedClaim, ExtractionResult, Grounding

TEXT = "Headline\n\nThe mayor said the bridge would reopen in May. The band carried on until dawn."


def claim(quote: str) -> ExtractedClaim:
    start = TEXT.index(quote)
    return ExtractedClaim(
        claim="x", speaker="Mayor", stance="supports", quote=quote, start=start,
        end=start + len(quote), direct=False, speaker_id="mayor",
        grounding=Grounding(grounded=True, method="exact", score=100.0, model_quote=quote),
    )  # fmt: skip


def test_signalled_keeps_the_frequent_cues_sentence_and_drops_the_rare_ones() -> None:
    claims = [claim("the bridge would reopen in May"), claim("The band carried on")]
    result = ExtractionResult(
        article_id="a", claims=claims, model="m", prompt="p@v1", prompt_hash="h",
        strategy="s", latency_s=0.0,
    )  # fmt: skip
    assert [c.quote for c in pv.signalled(result, TEXT, 30).claims] == [
        "the bridge would reopen in May"
    ]
    assert len(pv.signalled(result, TEXT, 3).claims) == 2  # "carry" is seen 4 times


def test_ceiling_counts_what_the_clause_rule_reaches_with_the_sentence_given() -> None:
    content = "the bridge would reopen in May"
    start = TEXT.index(content)
    gold = GoldItem(
        "a", TEXT, [], "test",
        [Attribution(quote=content, start=start, end=start + len(content), source="The mayor")],
    )  # fmt: skip
    c = pv.ceiling([gold])
    assert c["gold"] == 1 and c["clause>=0.3"] == 1 and c["clause>=0.8"] == 1
    assert c["sentence>=0.3"] == 1  # 6 of the sentence's 9 words
