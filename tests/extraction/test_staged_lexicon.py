"""The lexicon stage one: cue forms from the shipped lexicon, the linguistic classes, windows."""

from __future__ import annotations

import pytest

from claimx.extraction.strategies import get_strategy
from claimx.extraction.strategies.candidates import find_sentence_candidates
from claimx.extraction.strategies.staged_lexicon import (
    CLASSES,
    cue_forms,
    find_lexicon_candidates,
    has_signal,
)


def test_the_lexicon_has_inflected_forms_of_frequent_cues() -> None:
    forms = cue_forms()
    assert {"said", "says", "saying", "told", "according to", "stressed", "revealed"} <= forms
    assert "the" not in forms and "has" not in forms
    assert len(cue_forms(1000)) < len(cue_forms(3))


@pytest.mark.parametrize(
    "sentence",
    [
        "The governor stressed that the budget was balanced.",  # not in extract@v4's cues
        "Emails revealed a plan to delay the vote.",
        "A Gallup survey found most voters undecided.",
        "According to the memo, the deal was signed in May.",
        "Her message was simple: We will win.",
        "He said nothing — “not a word” — about the deal.",
    ],
)
def test_signals_beyond_the_hand_picked_cues(sentence: str) -> None:
    assert has_signal(sentence)


def test_narration_without_signal_is_not_asked_about() -> None:
    assert not has_signal("The bridge is 40 metres long.")


def test_each_class_can_be_switched_off() -> None:
    sentence = "A Gallup survey had most voters undecided."
    assert has_signal(sentence, classes=frozenset({"documents"}))
    assert not has_signal(sentence, classes=CLASSES - {"documents"})


TEXT = (
    "Mayor stresses bridge plan\n\n"
    "The mayor stressed the bridge would open in May. The council revealed its costs. "
    "The bridge has four lanes.\n\n"
    "“We are ready. The work is done,” Ruiz said."
)


def test_sentences_and_windows() -> None:
    one = find_lexicon_candidates(TEXT)
    assert [c.text for c in one] == [
        "Mayor stresses bridge plan",
        "The mayor stressed the bridge would open in May.",
        "The council revealed its costs.",
        "“We are ready.",
        "The work is done,” Ruiz said.",
    ]
    two = find_lexicon_candidates(TEXT, window=2)
    assert [c.text for c in two] == [
        "Mayor stresses bridge plan",
        "The mayor stressed the bridge would open in May. The council revealed its costs.",
        "“We are ready. The work is done,” Ruiz said.",
    ]
    assert two[1].paragraph.endswith("four lanes.") and two[1].context == TEXT.split("\n")[0]
    # extract@v4's stage one does not see "stressed" or "revealed"
    v4 = [c.text for c in find_sentence_candidates(TEXT)]
    assert "The council revealed its costs." not in v4


def test_the_strategy_is_registered() -> None:
    assert get_strategy("staged_lexicon").name == "staged_lexicon"
