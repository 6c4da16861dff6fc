"""The overlap measures claim matching and detection share, on Span pieces."""

from __future__ import annotations

from claimx.eval.overlap import char_overlap, same_trimmed, shared_chars, token_overlap
from claimx.text.spans import Span

TEXT = "The mayor said “the bridge will reopen in May.” Aides said the bridge was safe."


def at(words: str) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words))


def test_char_overlap_is_shared_characters_over_the_shorter() -> None:
    assert char_overlap([Span(0, 10)], [Span(5, 25)]) == 0.5
    assert char_overlap([Span(0, 10)], [Span(10, 20)]) == 0.0
    # pieces: the two pieces' characters count together
    assert shared_chars([Span(0, 4), Span(8, 12)], [Span(2, 10)]) == 4
    assert char_overlap([Span(0, 4), Span(8, 12)], [Span(2, 10)]) == 0.5


def test_token_overlap_is_over_the_longer_and_by_position() -> None:
    whole, part = at("the bridge will reopen in May"), at("the bridge will")
    assert token_overlap(TEXT, [whole], [part]) == token_overlap(TEXT, [part], [whole]) == 0.5
    # "the bridge" again later in the text is other tokens: no overlap
    assert token_overlap(TEXT, [part], [at("the bridge was safe")]) == 0.0
    assert token_overlap(TEXT, [Span(0, 0)], [whole]) == 0.0


def test_same_trimmed_ignores_spaces_punctuation_and_quotation_marks_at_the_ends() -> None:
    quoted = at("“the bridge will reopen in May.”")
    assert same_trimmed(TEXT, [quoted], [at("the bridge will reopen in May")])
    assert not same_trimmed(TEXT, [quoted], [at("the bridge will reopen")])


def test_disjoint_evidence_shares_nothing() -> None:
    apart = [at("The mayor")], [at("Aides said")]
    assert shared_chars(*apart) == 0 and char_overlap(*apart) == 0.0
