"""The base layer: spans, segmentation and word normalisation."""

from __future__ import annotations

import pytest

from claimx.models import Claim
from claimx.text.normalize import GROUPING, MATCHING, content_words, fold, proposition_key
from claimx.text.segments import ends_sentence, lines, paragraphs, sentences
from claimx.text.spans import Span


def test_span_slices_shifts_and_compares() -> None:
    text = "one two three"
    span = Span(4, 7)
    assert span.slice(text) == "two" and span.length == 3
    assert span.shift(10) == Span(14, 17)
    assert span.overlaps(Span(6, 9)) and not span.overlaps(Span(7, 9))  # end is exclusive
    assert Span(0, 13).contains(span) and not span.contains(Span(0, 13))
    assert span.shared(Span(5, 20)) == 2 and span.shared(Span(9, 10)) == 0
    with pytest.raises(ValueError, match="not a span"):
        Span(5, 4)


def test_a_claim_gives_its_evidence_as_a_span() -> None:
    c = Claim(claim="x.", speaker="A", stance="supports", quote="two", start=4, end=7, direct=0)
    assert c.span == Span(4, 7)


def test_lines_and_paragraphs_are_the_non_blank_lines_stripped() -> None:
    text = "  Title \n\n\tBody one.\nBody two.  \n   \n"
    assert [s.slice(text) for s in lines(text)] == ["Title", "Body one.", "Body two."]
    assert paragraphs(text) == lines(text)


def test_sentences_within_a_paragraph_keep_article_offsets() -> None:
    text = "Intro.\nMr. Kirby said so. “It is over.” The end."
    para = lines(text)[1]
    found = sentences(text, para)
    assert [s.slice(text) for s in found] == ["Mr. Kirby said so.", "“It is over.”", "The end."]
    assert all(para.contains(s) for s in found)


@pytest.mark.parametrize(
    ("line", "ends"),
    [("He left.", True), ("“We will win.”", True), ("He said 'no.'", True), ("Headline", False)],
)
def test_ends_sentence(line: str, ends: bool) -> None:
    assert ends_sentence(line) is ends


def test_fold_strips_accents_and_case() -> None:
    assert fold("Zelénsky") == "zelensky" and fold("ÉCOLE") == "ecole"


def test_proposition_key_keeps_every_word() -> None:
    assert proposition_key("The President ordered  the strike.") == proposition_key(
        "the president ordered the strike"
    )
    assert proposition_key("The president ordered the strike.") != proposition_key(
        "The minister ordered the strike."
    )


def test_the_two_word_policies_differ_where_their_callers_need_it() -> None:
    claim = "Washington did not take part in the strike."
    # The eval keeps metonyms apart and leaves polarity to the stance...
    assert content_words(claim, MATCHING) == {"washington", "take", "part", "strik"}
    # ...the corpus grouping folds them and keeps negation as a token.
    assert content_words(claim, GROUPING) == {"usa", "not", "involv", "attack"}


def split(text: str) -> list[str]:
    return [s.slice(text) for s in sentences(text)]


def test_sentences_keep_abbreviations_initials_and_closing_quotes() -> None:
    text = (
        "U.S. officials said Mr. Kirby met John F. Kennedy Jr. on Jan. 5. "
        "“We had nothing to do with this. It is absurd,” he said. She agreed! Really? The end"
    )
    assert split(text) == [
        "U.S. officials said Mr. Kirby met John F. Kennedy Jr. on Jan. 5.",
        "“We had nothing to do with this.",
        "It is absurd,” he said.",
        "She agreed!",
        "Really?",
        "The end",
    ]


def test_sentences_do_not_break_before_lowercase_and_keep_offsets() -> None:
    text = "  He said so. the rest follows. Done."
    spans = sentences(text, Span(2, len(text)))
    assert [s.slice(text) for s in spans] == ["He said so. the rest follows.", "Done."]
