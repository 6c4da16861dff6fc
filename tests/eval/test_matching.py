"""Matching predictions to gold claims, case by case (eval/README.md, "How scoring works")."""

from __future__ import annotations

import pytest

from claimx.eval.matching import (
    MIN_SIMILARITY,
    content_words,
    has_valid_span,
    match_claims,
    proposition_similarity,
)
from claimx.eval.overlap import char_overlap
from claimx.models import Claim

from .factory import GOLD, INVOLVED, MEANS, TARGETS, TEXT, gold_claim, perfect, pred


def pairs_of(gold: list[Claim], preds: list[Claim], text: str = TEXT) -> set[tuple[int, int]]:
    return {(p.gold, p.pred) for p in match_claims(gold, preds, text)}


def test_content_words_drop_function_words_negation_and_reporting_verbs() -> None:
    assert content_words("The U.S. did not take part in the attacks.") == {
        "usa",
        "take",
        "part",
        "attack",
    }
    # The country in every spelling is one token; the pronoun "us" is a stop word.
    assert content_words("United States") == content_words("US") == content_words("U. S.")
    assert content_words("They told us so, he said.") == frozenset()
    assert (
        content_words("Kiev didn't stage it.")
        == content_words("Kyiv did not stage it")
        == {
            "kyiv",
            "stag",
        }
    )


def test_similarity_is_dice_of_content_words() -> None:
    assert proposition_similarity(INVOLVED, INVOLVED) == 1.0
    # {usa, involv, drone, attack, kremlin} vs {usa, involv, attack}: 2*3/8
    assert proposition_similarity(INVOLVED, "The US was involved in the attack.") == 0.75
    assert proposition_similarity("", INVOLVED) == 0.0


def test_identical_output_matches_everything_one_to_one() -> None:
    pairs = match_claims(GOLD, perfect(), TEXT)
    assert {(p.gold, p.pred) for p in pairs} == {(0, 0), (1, 1), (2, 2), (3, 3)}
    assert all(p.similarity == 1.0 and p.overlap == 1.0 for p in pairs)


def test_duplicate_prediction_matches_once() -> None:
    assert pairs_of(GOLD, [pred(GOLD[0]), pred(GOLD[0])]) in ({(0, 0)}, {(0, 1)})


def test_prediction_order_does_not_matter_for_split_propositions() -> None:
    # "targets" and "means" share one passage (rule 4): each pairs with its own gold.
    assert pairs_of(GOLD, [pred(GOLD[2]), pred(GOLD[1])]) == {(1, 1), (2, 0)}
    assert pairs_of(GOLD, [pred(GOLD[1]), pred(GOLD[2])]) == {(1, 0), (2, 1)}


def test_same_proposition_without_overlapping_evidence_does_not_match() -> None:
    elsewhere = pred(GOLD[3], claim=INVOLVED)  # Kirby's claim, on another sentence
    assert pairs_of([GOLD[0]], [elsewhere]) == set()


def test_other_proposition_on_the_same_evidence_does_not_match() -> None:
    unrelated = pred(GOLD[0], claim="Kirby appeared on MSNBC on Wednesday.")
    assert proposition_similarity(unrelated.claim, GOLD[0].claim) < MIN_SIMILARITY
    assert pairs_of(GOLD, [unrelated]) == set()


def test_threshold_is_applied() -> None:
    paraphrase = pred(GOLD[0], claim="The US was behind the drone strike.")
    sim = proposition_similarity(paraphrase.claim, GOLD[0].claim)
    assert MIN_SIMILARITY <= sim < 0.5
    assert pairs_of(GOLD, [paraphrase]) == {(0, 0)}
    assert match_claims(GOLD, [paraphrase], TEXT, min_similarity=0.5) == []


def test_negated_paraphrase_matches_and_keeps_its_own_stance() -> None:
    negated = pred(GOLD[0], claim="The United States was not involved in the drone attack.")
    (pair,) = match_claims(GOLD, [negated], TEXT)
    assert pair.gold == 0 and pair.similarity > 0.8


def test_optimal_assignment_beats_greedy() -> None:
    text = "Peskov said Washington selects the targets. He said Washington also selects the means."
    targets = gold_claim(
        TARGETS, "Dmitry Peskov", "supports", "Washington selects the targets", text
    )
    means = gold_claim(
        MEANS, "Dmitry Peskov", "supports", "Washington also selects the means", text
    )
    whole = text[text.index("Washington") : text.rindex("means") + len("means")]
    # Best fit for "targets", but its evidence also covers "means".
    broad = pred(gold_claim(TARGETS, "Dmitry Peskov", "supports", whole, text))
    narrow = pred(targets, claim="Washington selects the targets of the attacks.")
    gold, preds = [targets, means], [broad, narrow]

    # Greedy on the same pair score takes broad->targets first and strands narrow.
    candidates = sorted(
        (
            (proposition_similarity(p.claim, g.claim) + 0.5 * char_overlap([p.span], [g.span]),
             i, j)
            for i, g in enumerate(gold)
            for j, p in enumerate(preds)
            if char_overlap([p.span], [g.span]) > 0
            and proposition_similarity(p.claim, g.claim) >= MIN_SIMILARITY
        ),
        reverse=True,
    )  # fmt: skip
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    assert len(used_g) == 1

    assert pairs_of(gold, preds, text) == {(0, 1), (1, 0)}


def test_ungrounded_prediction_matches_only_on_proposition_and_speaker() -> None:
    ghost = pred(GOLD[0], method="none")
    assert not has_valid_span(ghost, TEXT)
    (pair,) = match_claims(GOLD, [ghost], TEXT)
    assert (pair.gold, pair.by_span) == (0, False)
    assert match_claims(GOLD, [pred(GOLD[0], speaker="Dmitry Peskov", method="none")], TEXT) == []
    weak = pred(GOLD[0], claim="The US was behind the drone strike.", method="none")
    assert match_claims(GOLD, [weak], TEXT) == []  # 0.25 <= Dice < 0.5: not enough alone


def test_offsets_that_do_not_give_back_the_quote_are_no_span() -> None:
    g = GOLD[0]
    shifted = pred(g).model_copy(update={"start": g.start + 2, "end": g.end + 2})
    assert not has_valid_span(shifted, TEXT)
    assert has_valid_span(GOLD[0], TEXT)


def test_prediction_echoing_a_gold_quote_goes_to_that_gold_claim() -> None:
    text = "Russia blamed the US, and the White House denied any role in the drone attack."
    russia = gold_claim(INVOLVED, "Russia", "supports", "Russia blamed the US", text)
    denial = "the White House denied any role in the drone attack"
    white_house = gold_claim(INVOLVED, "White House", "refutes", denial, text)
    sentence = gold_claim(INVOLVED, "x", "supports", text[:-1], text)
    # Wrong speaker for both, and the stance of the Russia claim: only the wording
    # tells which of the two gold claims the prediction is about.
    echo = pred(
        sentence,
        claim="The White House denied any role in the drone attack on the Kremlin.",
        speaker="Kirby",
    )
    assert pairs_of([russia, white_house], [echo], text) == {(1, 0)}


@pytest.mark.parametrize("n", [0, 1])
def test_nothing_to_match(n: int) -> None:
    assert match_claims(GOLD[:n], [], TEXT) == []
    assert match_claims([], perfect()[:n], TEXT) == []
