"""Cue counts and the named features."""

from __future__ import annotations

from claimx.targeted.cues import CueCounts, count_cues
from claimx.targeted.features import FEATURES, pair_features
from claimx.targeted.lexical import Idf, view


def test_cues_count_words_and_phrases() -> None:
    assert count_cues("The story is a hoax; it isn't true.") == CueCounts(
        refute=2, hedge=0, support=0, negation=1
    )
    assert count_cues("He reportedly left, according to unconfirmed claims.").hedge == 4
    assert count_cues("Police confirmed it officially.").support == 2
    assert count_cues("There was no such thing, never.").negation == 2
    assert count_cues("") == CueCounts()


def test_features_are_named_in_order_and_read_the_best_sentences() -> None:
    text = (
        "Zorvan flooded the Quillport tower, officials confirmed.\n"
        "The weather was mild. Markets were calm. Traffic was slow. A hoax elsewhere was denied.\n"
    )
    f = pair_features("Zorvan flooded the Quillport tower?", view(text), Idf({}, documents=10))
    assert list(f) == list(FEATURES)
    assert f["best"] == 1.0 and f["lead"] == 1.0 and f["share"] == 1.0
    assert f["top_support"] == 1.0  # the claim's own sentence
    assert f["top_refute"] == 0.0  # the hoax sentence shares no claim word
    assert f["rate_refute"] == 2 / 5  # ... but counts over the whole article
    assert f["claim_question"] == 1.0


def test_an_empty_article_gives_zero_overlap() -> None:
    f = pair_features("Zorvan flooded the tower", view(""), Idf({}, documents=10))
    assert f["best"] == f["article"] == f["second"] == 0.0 and f["log_sentences"] == 0.0
