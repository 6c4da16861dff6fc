"""The stance rules (claimx.extraction.stance) on the standard's own cases (eval/ANNOTATION.md)."""

from __future__ import annotations

import pytest

from claimx.extraction.stance import affirmative, decide, evidence_stance, is_negated


@pytest.mark.parametrize(
    ("quote", "before", "stance"),
    [
        # accusations and reports support what they say (R1, R7)
        ("Peskov is just lying there, pure and simple", "", "supports"),
        ("accused Washington of guiding Ukraine to launch the assault", "Peskov ", "supports"),
        ("decisions on such attacks are not made in Kyiv, but in Washington", "", "supports"),
        ("dismissed the drone incident as a false flag", "Podolyak earlier ", "supports"),
        # denials refute (R1, §5.4)
        ("We had nothing to do with this", "", "refutes"),
        ("we do not encourage nor do we enable them to strike outside Ukraine", "", "refutes"),
        ("denied any involvement in an alleged drone attack", "The White House ", "refutes"),
        ("any involvement", "The White House denied ", "refutes"),
        ("it was “extremely unlikely” that two drones could have avoided detection", "", "refutes"),
        ("called the accusation “absurd”", "Lena Claes ", "refutes"),
        # declining to judge is uncertain (R5)
        ("We still don’t really know what happened", "", "uncertain"),
        ("It is too early to say who is behind the alleged drone attack", "", "uncertain"),
        ("cannot confirm the reports", "U.S. leaders said they ", "uncertain"),
    ],
)
def test_evidence_stance_follows_the_standard(quote: str, before: str, stance: str) -> None:
    assert evidence_stance(quote, before)[0] == stance


def test_a_denial_of_what_came_before_does_not_deny_what_is_said_instead() -> None:
    quote = "it is arming Ukraine to defend itself"
    assert evidence_stance(quote, "The US denies that, saying ")[0] == "supports"
    # the denial's own object is still denied
    assert evidence_stance(quote, "The US denies that ")[0] == "refutes"


def test_only_the_frame_of_the_same_sentence_counts() -> None:
    # "denied" belongs to the previous sentence: no denial of this one
    before = "Kyiv has denied it. Russia said "
    assert evidence_stance("Ukraine carried out the attack", before)[0] == "supports"


@pytest.mark.parametrize(
    ("claim", "quote", "stance"),
    [
        # the negation bears on words the claim does not state, and the rest states it
        (
            "Debris fell on three districts in the city center.",
            "Debris fell on three districts in the city center, but no casualties",
            "supports",
        ),
        # the claim keeps the negation itself
        (
            "Two drones were shot down without any casualties.",
            "Two drones were shot down without any casualties",
            "supports",
        ),
        # the negation bears on the claim's own words
        (
            "The US does encourage strikes outside Ukraine.",
            "we do not encourage nor do we enable them to strike outside Ukraine",
            "refutes",
        ),
        ("The US was involved in the attack.", "there was no involvement by the US", "refutes"),
        # paraphrased past the negated words, the rest not stating it: still a denial
        (
            "The US was involved in the attack.",
            "Washington had no role in it whatsoever",
            "refutes",
        ),
    ],
)
def test_a_negation_counts_when_it_bears_on_the_proposition(
    claim: str, quote: str, stance: str
) -> None:
    assert evidence_stance(quote, "", claim)[0] == stance
    # without the proposition, every negation counts
    assert evidence_stance(quote, "")[0] == "refutes"


def test_negated_claims_are_turned_affirmative() -> None:
    assert is_negated("The United States does not encourage Ukraine to strike")
    assert not is_negated("Dmitry Peskov is lying")
    assert affirmative("The United States does not encourage strikes") == (
        "The United States does encourage strikes"
    )
    assert affirmative("The US had nothing to do with the attack") == (
        "The US had something to do with the attack"
    )
    assert affirmative("The attack caused no injuries") == "The attack caused injuries"
    assert affirmative("Washington doesn’t dictate terms") == "Washington does dictate terms"


def test_rules_decide_and_the_model_is_the_check() -> None:
    # the model answered "refutes" for an accusation: the rules override, with less confidence
    d = decide("Peskov is lying", "Peskov is just lying there", "", "refutes")
    assert (d.stance, d.model_stance) == ("supports", "refutes")
    assert d.confidence.source == "agreement" and d.confidence.value < 0.7
    # a negated proposition with "supports" is the model restating a denial: both agree
    d = decide(
        "The US does not encourage strikes outside Ukraine",
        "we do not encourage nor do we enable them to strike outside Ukraine",
        "",
        "supports",
    )
    assert d.stance == "refutes" and d.claim == "The US does encourage strikes outside Ukraine"
    assert d.model_stance == "refutes" and d.confidence.value >= 0.85


def test_the_model_decider_keeps_the_models_answer() -> None:
    d = decide("Peskov is lying", "Peskov is just lying there", "", "refutes", decider="model")
    assert (d.stance, d.claim) == ("refutes", "Peskov is lying")
    assert "disagree" in d.confidence.detail
