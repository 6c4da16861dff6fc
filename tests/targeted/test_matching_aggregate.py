"""Claim-to-proposition matching, its polarity, one answer per source; aggregation."""

from __future__ import annotations

from claimx.models import Claim, ExtractedClaim, Grounding, Stance
from claimx.targeted.aggregate import Narration, article_position, decide_position, narration
from claimx.targeted.lexical import view
from claimx.targeted.matching import (
    carry_stance,
    is_negated,
    match_propositions,
    matched_sources,
)
from claimx.targeted.shipped import shipped

TEXT = "x" * 400
TARGET = "The United States was behind the drone attack on the Kremlin."
OTHERS = [
    "Decisions on attacks such as the drone attack on the Kremlin are made in Washington.",
    "Ukraine carried out the drone attack on the Kremlin.",
    "The drone attack on the Kremlin was a terrorist attack.",
    "The United States gave Ukraine a new military aid package.",
]


def claim(text: str, speaker: str, stance: Stance, start: int) -> Claim:
    return Claim(
        claim=text, speaker=speaker, stance=stance, quote="x" * 10, start=start, end=start + 10,
        direct=False,
    )  # fmt: skip


def test_a_paraphrase_matches_and_a_merely_related_claim_does_not() -> None:
    props = ["The United States was involved in the drone attack on the Kremlin.", *OTHERS]
    found = match_propositions(TARGET, props)
    assert [(m.index, m.polarity) for m in found] == [(0, "same")]


def test_negation_and_denial_flip_polarity_twice_does_not() -> None:
    assert is_negated("The US did not encourage Ukraine to strike outside Ukraine.")
    assert is_negated("The White House denied any involvement in the attack.")
    assert is_negated("Washington didn't encourage it.")
    assert not is_negated("The US did not deny encouraging Ukraine.")
    target = "The United States did not encourage Ukraine to strike outside its borders."
    found = match_propositions(
        target, ["The United States encourages Ukraine to strike outside Ukraine.", *OTHERS]
    )
    assert [(m.index, m.polarity) for m in found] == [(0, "negated")]


def test_a_claim_about_a_statement_is_not_the_statement() -> None:
    meta = "Dmitry Peskov is lying about US involvement in the drone attack on the Kremlin."
    assert match_propositions(TARGET, [meta, *OTHERS]) == []


def test_stances_carry_over_by_polarity() -> None:
    assert carry_stance("refutes", "same") == "refutes"
    assert carry_stance("refutes", "negated") == "supports"
    assert carry_stance("supports", "negated") == "refutes"
    assert carry_stance("uncertain", "negated") == "uncertain"


def test_one_answer_per_source_from_its_best_match() -> None:
    claims = [
        claim("The US was behind the drone attack.", "Mr Peskov", "supports", 300),
        claim("The United States was behind the drone attack on the Kremlin.", "Dmitry Peskov",
              "supports", 100),
        claim("The United States had no role in the drone attack on the Kremlin.", "John Kirby",
              "supports", 50),
        claim(OTHERS[1], "Russia", "supports", 200),
    ]  # fmt: skip
    found = matched_sources(TARGET, claims)
    assert [(s.speaker, s.stance, s.polarity, s.start) for s in found] == [
        ("John Kirby", "refutes", "negated", 50),
        ("Dmitry Peskov", "supports", "same", 100),  # "Mr Peskov" is the same source
    ]
    assert found[1].proposition == claims[1].claim and found[1].similarity == 1.0


def test_extracted_claims_are_joined_by_speaker_id() -> None:
    def extracted(speaker: str, speaker_id: str, start: int) -> ExtractedClaim:
        return ExtractedClaim(
            **claim(TARGET, speaker, "supports", start).model_dump(),
            speaker_id=speaker_id,
            grounding=Grounding(grounded=True, method="exact", score=100.0, model_quote="x"),
        )

    # Two names the resolver gave one id: one source; one name, two ids: two sources.
    found = matched_sources(
        TARGET, [extracted("Kremlin", "k", 10), extracted("the Kremlin", "k", 40),
                 extracted("Kremlin", "k2", 70)],
    )  # fmt: skip
    assert [(s.speaker_id, s.start) for s in found] == [("k", 10), ("k2", 70)]


def test_aggregation() -> None:
    assert article_position([]) is None
    assert article_position(["supports", "supports"]) == "supports"
    assert article_position(["refutes"]) == "refutes"
    assert article_position(["supports", "refutes"]) == "uncertain"
    assert article_position(["supports", "uncertain"]) == "uncertain"


def test_the_position_by_rule_sources_then_the_articles_words_then_the_model() -> None:
    plain, hedged = Narration(related=True, hedged=False), Narration(related=True, hedged=True)
    nothing = Narration(related=False, hedged=False)
    assert decide_position(["refutes"], plain, "supports")[0] == "refutes"  # sources first
    assert decide_position(["supports", "refutes"], plain, "supports")[0] == "uncertain"
    # One side quoted, but the article's own words hedge (T5): not settled.
    assert decide_position(["supports"], hedged, "supports")[0] == "uncertain"
    # No source left: the model's position where the narration is related ...
    assert decide_position([], plain, "refutes") == (
        "refutes",
        "no source speaks to the claim: the model's position",
    )
    assert decide_position([], plain) == (None, "no source speaks to the claim")
    # ... and unrelated where nothing related is left, whatever the model said.
    assert decide_position([], nothing, "supports")[0] == "unrelated"
    # Sources always decide, related or not.
    assert decide_position(["uncertain"], nothing, "unrelated")[0] == "uncertain"


def test_the_narration_is_read_by_the_baselines_thresholds() -> None:
    parts = shipped()
    claim = "A shark was seen swimming in Ostend harbour."
    said = "A shark was seen swimming in Ostend harbour on Monday, police said."
    alleged = "An alleged shark was reportedly seen swimming in Ostend harbour."
    other = "The city council of Ghent approved a new budget for schools on Monday."
    assert narration(claim, view(said), parts.idf, parts.baseline) == Narration(True, False)
    assert narration(claim, view(alleged), parts.idf, parts.baseline) == Narration(True, True)
    assert not narration(claim, view(other), parts.idf, parts.baseline).related
