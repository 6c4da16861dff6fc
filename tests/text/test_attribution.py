"""The attribution signal (claimx.text.attribution): quotation, cues, nouns, documents."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from claimx.text.attribution import (
    CLASSES,
    REPORTING_VERBS,
    cue_forms,
    has_signal,
    has_strong_signal,
    inside_quotation,
    is_direct,
    is_signalled,
    quotation_form,
    quotations,
)
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "articles"


@cache
def article(prefix: str) -> str:
    (path,) = ARTICLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# --- quotation: is_direct and the form of a span ------------------------------------


@pytest.mark.parametrize(
    ("prefix", "passage", "direct"),
    [
        ("000", "We had nothing to do with this", True),
        ("000", "“We had nothing to do with this,” said John Kirby", True),  # mostly quoted
        ("000", "decisions on such attacks are not made in Kyiv, but in Washington.", True),
        ("000", "lying", True),  # ‘single’ quotes used as quotation marks in the headline
        ("000", "Moscow has maintained that Kyiv is taking orders from Washington", False),
        (
            "000",
            "Washington does not support or condone attacks by Ukraine outside its borders",
            False,
        ),
        ("001", "Mr Peskov “is just lying there”, Mr Kirby said", False),  # a few quoted words
        ("001", "He said the US was “undoubtedly” behind the alleged attack", False),
        ("002", "Ukraine’s involvement in the alleged drone strike", False),  # an apostrophe
        ("002", "And then demonstrates ‘drones over the Kremlin", True),
        ("003", "The answer is obvious for any politician", True),  # second quote of a pair
        ("004", "Russia's unprovoked war of aggression", True),  # apostrophe inside a quote
        ("004", "U.S. officials have denied the claim", False),
    ],
)
def test_is_direct_on_real_article_lines(prefix: str, passage: str, direct: bool) -> None:
    text = article(prefix)
    start = text.index(passage)
    assert is_direct(text, start, start + len(passage)) is direct


def test_is_direct_rejects_bad_spans() -> None:
    text = "“Yes,” he said."
    assert not is_direct(text, 3, 3)
    assert not is_direct(text, 5, 100)
    assert not is_direct(text, 0, 1)  # a quote mark alone has no words


def test_the_form_of_a_span_is_the_share_of_its_letters_inside_quotation_marks() -> None:
    text = "He said the US was “undoubtedly” behind it. “We did nothing,” she said."
    quoted = text.index("“We")
    assert quotation_form(text, [Span(quoted, quoted + 16)]) == "direct"
    assert quotation_form(text, [Span(0, text.index("behind") + 6)]) == "mixed"
    assert quotation_form(text, [Span(0, 6)]) == "indirect"
    # Pieces of one discontinuous evidence count together.
    assert quotation_form(text, [Span(0, 6), Span(quoted, quoted + 16)]) == "direct"
    assert is_direct(text, quoted, quoted + 16) and not is_direct(text, 0, 6)
    # A discontinuous evidence is read by its pieces, not the frame between them.
    wrapped = "“We did nothing,” the spokeswoman for the ministry said, “nothing at all.”"
    first, second = wrapped.index("We"), wrapped.index("nothing at")
    pieces = [Span(first, first + 14), Span(second, second + 14)]
    assert not is_direct(wrapped, first, second + 14)
    assert is_direct(wrapped, first, second + 14, pieces)


def test_quotations_are_the_closed_double_quotations_without_their_marks() -> None:
    text = "Kirby: “We had nothing to do with this.” He called it \"absurd\" and 'odd'. “Open"
    assert [s.slice(text) for s in quotations(text)] == [
        "We had nothing to do with this.",
        "absurd",
    ]


def test_a_quotation_opened_earlier_is_still_open() -> None:
    assert inside_quotation("“We did nothing.")
    assert not inside_quotation("“We did nothing.” Then")
    assert inside_quotation('He said: "We did nothing.')


# --- cues, nouns, documents ------------------------------------------------------


def test_the_lexicon_has_inflected_forms_of_frequent_cues() -> None:
    forms = cue_forms()
    assert {"said", "says", "saying", "told", "according to", "stressed", "revealed"} <= forms
    assert "the" not in forms and "has" not in forms
    assert len(cue_forms(1000)) < len(cue_forms(3))


@pytest.mark.parametrize(
    "sentence",
    [
        "The governor stressed that the budget was balanced.",
        "Emails revealed a plan to delay the vote.",
        "A Gallup survey found most voters undecided.",
        "According to the memo, the deal was signed in May.",
        "Her message was simple: We will win.",
        "He said nothing — “not a word” — about the deal.",
    ],
)
def test_signals_of_every_class(sentence: str) -> None:
    assert has_signal(sentence)


def test_narration_without_signal_is_not_signalled() -> None:
    assert not has_signal("The bridge is 40 metres long.")


def test_each_class_can_be_switched_off() -> None:
    sentence = "A Gallup survey had most voters undecided."
    assert has_signal(sentence, classes=frozenset({"documents"}))
    assert not has_signal(sentence, classes=CLASSES - {"documents"})


def test_a_sentence_continuing_a_quotation_is_signalled_and_a_rare_cue_is_not_strong() -> None:
    text = "Claes arrived. “We did nothing. Nothing at all.” The works carried on.\n"
    (para,) = paragraphs(text)
    first, second, third, fourth = sentences(text, para)
    assert not is_signalled(text, para, first)
    assert is_signalled(text, para, third)  # no mark of its own: the quote is open
    assert has_strong_signal(text, para, third)
    # "carried on" is a cue of the lexicon, seen a few times in train: not a strong one
    assert is_signalled(text, para, fourth) and not has_strong_signal(text, para, fourth)


def test_reporting_verbs_are_speech_acts_not_the_lexicons_frequent_heads() -> None:
    assert REPORTING_VERBS.search("Russia accused the US of the attack")
    assert REPORTING_VERBS.search("according to Tass")
    assert not REPORTING_VERBS.search("The drones attack the Kremlin by means of explosives")
