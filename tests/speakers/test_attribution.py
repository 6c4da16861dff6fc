"""The source a sentence names itself (claimx.speakers.attribution)."""

from __future__ import annotations

import pytest

from claimx.speakers.attribution import named_mentions, sentence_source
from claimx.text.spans import Span


def nth_span(text: str, words: str, nth: int = 0) -> Span:
    """Where the ``nth`` (from 0) occurrence of ``words`` is in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return Span(start, start + len(words))


def source(sentence: str, evidence: str) -> str | None:
    text = f"Earlier, John Kirby spoke.\n\n{sentence}"
    start = text.index(sentence)
    ev = text.index(evidence)
    return sentence_source(
        text, Span(start, len(text)), Span(ev, ev + len(evidence)), named_mentions(text)
    )


@pytest.mark.parametrize(
    ("sentence", "evidence", "expected"),
    [
        (
            "Russia has said it sees the US as a party to the war.",
            "it sees the US as a party to the war",
            "Russia",
        ),
        ("The US denies that, saying it is arming Ukraine.", "it is arming Ukraine", "US"),
        (
            "“We had nothing to do with this,” said John Kirby on MSNBC.",
            "We had nothing to do with this",
            "John Kirby",
        ),
        # a title's abbreviation does not end the name's sentence
        (
            "“The bankruptcy was no normal business,” said Sen. Jim Whelan, a Democrat.",
            "The bankruptcy was no normal business",
            "Jim Whelan",
        ),
        ("The strike killed 23 people, according to Tass.", "The strike killed 23 people", "Tass"),
        # an outlet that relays a source the sentence names is not the source
        (
            "“Who would react?” asked Anatoly Antonov, the ambassador, according to Tass.",
            "Who would react?",
            "Anatoly Antonov",
        ),
        (
            "The strike was planned, Peskov said, the Associated Press reported.",
            "The strike was planned",
            "Peskov",
        ),
        # a pronoun subject: the model resolves "he" from the context, not this rule
        ("He said the US was behind the attack.", "the US was behind the attack", None),
        # names inside the evidence are what is talked about, not who talks
        ("Officials said Ukraine launched the drones.", "Ukraine launched the drones", "Officials"),
        # a sentence-opening "The" is no name: an unnamed role is left to the model
        ("The mayor said the party was a success.", "the party was a success", None),
        # an acronym with dots is one name, and a weekday after it is the date
        (
            "U.S. officials on Thursday denied the claim.",
            "the claim",
            "U.S.",
        ),
        (
            "Peskov blamed the U.S. Thursday, saying the attack was planned there.",
            "the attack was planned there",
            "Peskov",
        ),
        # no reporting verb: nothing to read
        ("Ukraine and Russia traded fire overnight.", "traded fire overnight", None),
    ],
)
def test_sentence_source(sentence: str, evidence: str, expected: str | None) -> None:
    assert source(sentence, evidence) == expected


def test_a_written_source_is_resolved_to_a_name_by_rule() -> None:
    from claimx.speakers.attribution import named_mentions
    from claimx.speakers.source import source_name

    text = (
        "Kremlin spokesman Dmitry Peskov spoke on Thursday.\n"
        "He said the attack was planned in Washington.\n"
        "John Kirby and Antony Blinken met reporters. He denied it.\n"
        "The spokesman repeated the accusation.\n"
    )
    mentions = named_mentions(text)

    def at(words: str, nth: int = 0) -> Span:
        return nth_span(text, words, nth)

    assert source_name(text, at("Dmitry Peskov"), mentions) == "Dmitry Peskov"
    # "He" after one person named in the paragraph before: that person
    assert source_name(text, at("He"), mentions) == "Dmitry Peskov"
    # "He" after two people named side by side: the rule cannot say
    assert source_name(text, at("He", 1), mentions) is None
    # a description stays as written, for the resolver
    assert source_name(text, at("The spokesman"), mentions) == "The spokesman"


def test_a_possessive_or_a_time_that_a_source_span_carries_is_no_part_of_the_name() -> None:
    from claimx.speakers.attribution import named_mentions
    from claimx.speakers.source import source_name
    from claimx.text.spans import Span

    text = (
        "Donald Trump’s tweet said the debate was rigged.\n"
        "The Supreme Court this month ruled the law void.\n"
        "The Human Rights Council in 2015 said so, and Kirby on Tuesday denied it.\n"
    )
    mentions = named_mentions(text)

    def upto(start: str, end: str) -> Span:
        at = text.index(start)
        return Span(at, text.index(end, at) + len(end))

    assert source_name(text, upto("Donald", "Trump’s"), mentions) == "Donald Trump"
    assert source_name(text, upto("The Supreme", "month"), mentions) == "The Supreme Court"
    assert source_name(text, upto("The Human", "2015"), mentions) == "The Human Rights Council"
    assert source_name(text, upto("Kirby", "Tuesday"), mentions) == "Kirby"
    # a name that merely ends like a time word keeps it
    assert source_name(text, upto("The Human", "Council"), mentions) == "The Human Rights Council"


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("Tass", True),
        ("the Russian news agency Tass", True),
        ("The New York Times", True),
        ("Associated Press", True),
        ("Fox News host Sean Hannity", False),
        ("Dmitry Peskov", False),
        ("Kremlin", False),
    ],
)
def test_an_outlet_is_known_by_its_last_word(name: str, outlet: bool) -> None:
    from claimx.speakers.attribution import is_outlet

    assert is_outlet(name) is outlet


def test_a_described_body_is_the_one_body_named_before_it_and_a_place_no_source() -> None:
    from claimx.speakers.attribution import named_mentions
    from claimx.speakers.source import source_name

    text = (
        "In Odessa, Ukraine’s southern military command reported three drones.\n"
        "The command said there were no injuries, and the air force agreed.\n"
        "The State Department and the Defense Department disagreed; the department said so.\n"
        "In the previous Washington Post poll, conducted in May, Clinton led.\n"
    )
    mentions = named_mentions(text)

    def at(words: str) -> Span:
        return nth_span(text, words)

    command = "Ukraine’s southern military command"
    # the place of the phrase the span opens inside is no part of the source
    assert source_name(text, at("Odessa, " + command), mentions) == command
    # a description of a body: the one body named before it with those words at its end
    assert source_name(text, at("The command"), mentions) == command
    # none named before: as written, for the resolver
    assert source_name(text, at("the air force"), mentions) == "the air force"
    # two departments named before: ambiguous, as written
    assert source_name(text, at("the department"), mentions) == "the department"
    # a source that only holds a comma is not a place phrase
    poll = "previous Washington Post poll, conducted in May"
    assert source_name(text, at(poll), mentions) == poll


def test_an_acronym_is_one_mention_and_a_weekday_no_part_of_it() -> None:
    text = "While Dmitri S. Peskov blamed the U.S. Thursday, U.S. officials denied it."
    assert [name for _, name in named_mentions(text)] == ["Dmitri S. Peskov", "U.S.", "U.S."]
