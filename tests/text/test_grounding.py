"""ground_quote on the real articles and on small made-up texts."""

from __future__ import annotations

import random
import re
import time
from functools import cache
from pathlib import Path

import pytest

from claimx.text.grounding import (
    MAX_PIECE_GAP,
    Located,
    ground_quote,
    normalize_for_match,
)
from claimx.text.spans import Span

ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "articles"


@cache
def article(prefix: str) -> str:
    (path,) = ARTICLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def span(text: str, loc: Located) -> str:
    assert 0 <= loc.start <= loc.end <= len(text)
    return text[loc.start : loc.end]


# --- tier 1: exact --------------------------------------------------------------


def test_exact_quote_is_found_verbatim() -> None:
    text = article("000")
    loc = ground_quote(text, "We had nothing to do with this")
    assert (loc.method, loc.score, loc.grounded) == ("exact", 100.0, True)
    assert span(text, loc) == "We had nothing to do with this"
    assert loc.start == text.index("We had nothing to do with this")


def test_quote_occurring_twice_takes_first_or_nearest() -> None:
    text = article("004")
    quote = "there was no involvement by the United States"
    first, second = (m.start() for m in re.finditer(quote, text))
    assert ground_quote(text, quote).start == first
    assert ground_quote(text, quote, near=second - 40).start == second
    assert ground_quote(text, quote, near=first + 10).start == first
    # The same choice in the normalised tier (straight vs curly quote marks).
    made_up = "A said “we won’t go”. Later, B said “we won’t go” again."
    second_norm = made_up.rindex("we won’t go")
    assert ground_quote(made_up, "we won't go").start == made_up.index("we won’t go")
    loc = ground_quote(made_up, "we won't go", near=second_norm)
    assert (loc.method, loc.start) == ("normalized", second_norm)


# --- tier 2: normalised ---------------------------------------------------------


def test_straight_apostrophe_matches_curly_one() -> None:
    text = article("000")
    loc = ground_quote(text, "We honestly just don't know what happened here")
    assert (loc.method, loc.grounded) == ("normalized", True)
    assert span(text, loc) == "We honestly just don’t know what happened here"


def test_straight_double_quotes_around_quote_are_taken_back_as_curly_ones() -> None:
    text = article("000")
    loc = ground_quote(text, '"Kyiv only does what it is told to do," he added')
    assert loc.method == "normalized"
    assert span(text, loc) == "“Kyiv only does what it is told to do,” he added"


def test_quote_marks_the_model_added_are_not_kept_when_unpaired() -> None:
    text = article("000")
    # The model wrote both marks and a period; the text has "this,”": the comma
    # is not taken back, so the opening mark would be unpaired and is dropped.
    loc = ground_quote(text, '"We had nothing to do with this."')
    assert span(text, loc) == "We had nothing to do with this"


def test_closing_punctuation_in_other_order_is_taken_back() -> None:
    text = article("002")  # ... that “we just don’t know”.
    quote = 'he could not "validate" the reports and that "we just don\'t know."'
    loc = ground_quote(text, quote)
    assert loc.method == "normalized"
    assert span(text, loc) == "he could not “validate” the reports and that “we just don’t know”."


def test_hyphens_match_en_and_em_dashes() -> None:
    text = article("001")
    loc = ground_quote(text, "and added - again without stating evidence - that Washington")
    assert loc.method == "normalized"
    assert span(text, loc) == "and added – again without stating evidence – that Washington"
    text0 = article("000")
    loc = ground_quote(text0, "We don't favor - we don't endorse strikes on individual leaders.")
    assert span(text0, loc) == "We don’t favor — we don’t endorse strikes on individual leaders."


def test_whitespace_runs_and_line_breaks_match_one_space() -> None:
    text = 'He said:  "We   will\n   respond\u00a0when we choose."'
    loc = ground_quote(text, "We will respond when we choose.")
    assert loc.method == "normalized"
    assert span(text, loc) == "We   will\n   respond\u00a0when we choose."


def test_three_dots_match_an_ellipsis_character_and_back() -> None:
    text = article("001")  # "... and are aware of this… In Washington ..."
    quote = "We know this well and are aware of this... In Washington they must clearly understand"
    loc = ground_quote(text, quote)
    assert loc.method == "normalized"
    assert span(text, loc) == quote.replace("...", "…")
    made_up = "She said it was fine. . . and then left."
    loc = ground_quote(made_up, "it was fine… and then left")
    assert span(made_up, loc) == "it was fine. . . and then left"


def test_case_and_leaked_json_key_do_not_matter() -> None:
    text = article("002")
    loc = ground_quote(text, "the Kremlin previously called the incident a “terrorist action”")
    assert span(text, loc) == "The Kremlin previously called the incident a “terrorist action”"
    # A small local model glued the next key of its JSON onto the quote.
    loc = ground_quote(article("000"), "Peskov is just lying there, pure and simple,” speaker:")
    assert loc.grounded
    assert span(article("000"), loc) == "Peskov is just lying there, pure and simple"


# --- tier 3: pieces -------------------------------------------------------------


def test_quote_shortened_with_ellipsis_spans_the_omitted_words() -> None:
    text = article("003")
    quote = (
        "We know very well that decisions about such actions ... "
        "are made not in Kyiv, but in Washington"
    )
    loc = ground_quote(text, quote)
    assert loc.grounded and loc.method == "fuzzy" and loc.score == 100.0
    found = span(text, loc)
    assert found.startswith("We know very well that decisions about such actions")
    assert found.endswith("are made not in Kyiv, but in Washington")
    assert "about such terrorist attacks" in found  # the words the model left out


def test_quote_stitched_from_two_sentences_covers_both_and_the_attribution() -> None:
    text = article("001")
    quote = (
        "I can assure you that there was no involvement by the United States in this. "
        "We had nothing to do with this."
    )
    loc = ground_quote(text, quote)
    assert loc.grounded and loc.method == "fuzzy"
    found = span(text, loc)
    assert found.startswith("I can assure you that there was no involvement")
    assert found.endswith("We had nothing to do with this.")
    assert "John Kirby told MSNBC" in found


def test_pieces_too_far_apart_or_out_of_order_are_not_glued() -> None:
    text = article("000")
    first, second = (
        "We had nothing to do with this",
        "We honestly just don’t know what happened here",
    )
    assert text.index(second) - text.index(first) > MAX_PIECE_GAP
    assert not ground_quote(text, f"{first}. {second}.").grounded
    made_up = "“Go home at once,” he said. “Stay safe out there,” she said."
    assert ground_quote(made_up, "Go home at once. Stay safe out there.").grounded
    assert not ground_quote(made_up, "Stay safe out there. Go home at once.").grounded


# --- tier 4: fuzzy --------------------------------------------------------------


def test_small_wording_change_is_grounded_fuzzily_on_word_boundaries() -> None:
    text = article("003")
    loc = ground_quote(
        text, "We certainly do not dictate to them the terms by which they defend themselves"
    )
    assert loc.method == "fuzzy" and loc.grounded and 90 <= loc.score < 100
    assert (
        span(text, loc)
        == "We certainly don’t dictate to them the terms by which they defend themselves"
    )


def test_paraphrase_passed_off_as_quote_is_ungrounded_with_best_candidate() -> None:
    text = article("000")
    loc = ground_quote(
        text, "The United States was not involved in the drone attack on the Kremlin"
    )
    assert not loc.grounded
    assert loc.method == "fuzzy"
    assert 30 < loc.score < 90
    assert loc.end > loc.start  # the best candidate is reported, not an empty span
    assert span(text, loc).strip() == span(text, loc)


def test_threshold_decides_grounded() -> None:
    text = article("003")
    quote = "We certainly do not dictate to them the terms by which they defend themselves"
    score = ground_quote(text, quote).score
    assert ground_quote(text, quote, threshold=score).grounded
    assert not ground_quote(text, quote, threshold=score + 0.01).grounded


def test_nothing_to_search_for() -> None:
    assert ground_quote("Some text.", "") == Located(Span(0, 0), "none", 0.0, False)
    assert ground_quote("", "quote") == Located(Span(0, 0), "none", 0.0, False)
    assert ground_quote("Some text.", " “…” ").method == "none"


# --- offsets are always right -----------------------------------------------------

_MUTATIONS = (
    lambda s: s.replace("’", "'").replace("‘", "'"),
    lambda s: s.replace("“", '"').replace("”", '"'),
    lambda s: s.replace("–", "-").replace("—", "-"),
    lambda s: re.sub(r"\s+", " ", s),
    lambda s: s.replace("…", "..."),
    str.lower,
)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_offsets_of_mutated_substrings_point_at_the_original_words(prefix: str) -> None:
    text = article(prefix)
    words = list(re.finditer(r"\S+", text))
    rng = random.Random(prefix)
    for _ in range(60):
        i = rng.randrange(len(words) - 12)
        start, end = words[i].start(), words[i + rng.randrange(3, 12)].end()
        original = text[start:end]
        quote = original
        for mutate in rng.sample(_MUTATIONS, 3):
            quote = mutate(quote)
        loc = ground_quote(text, quote, near=start)
        assert loc.grounded, (quote, loc)
        found = span(text, loc)
        # The span is the original words, possibly without edge punctuation.
        assert normalize_for_match(found).strip() in normalize_for_match(original)
        assert len(found) >= len(original.strip("“”\"‘’'.,;:!?…-–— ")) - 1
        assert text[loc.start : loc.end] == found


def test_grounded_spans_never_start_or_end_with_whitespace() -> None:
    quotes = [
        ("001", "“We still don’t really know what happened”"),
        ("002", "  The United States had nothing to do with this.  "),
        ("003", "Whether or not to divide all of this by two is up to them"),
        ("004", "The U.S. was in no way involved."),
    ]
    for prefix, quote in quotes:
        text = article(prefix)
        loc = ground_quote(text, quote)
        assert loc.grounded
        assert span(text, loc) == span(text, loc).strip()


# --- speed ------------------------------------------------------------------------


def test_grounding_is_fast_enough_to_run_for_every_claim() -> None:
    text = article("003")  # the longest article, ~10k characters
    exact = "We certainly don’t dictate to them the terms by which they defend themselves"
    fuzzy = "We certainly do not dictate to them the terms by which they defend themselves"
    ground_quote(text, fuzzy)  # builds the cached normalised text
    t0 = time.perf_counter()
    for _ in range(200):
        ground_quote(text, exact)
    t1 = time.perf_counter()
    for _ in range(200):
        ground_quote(text, fuzzy)
    t2 = time.perf_counter()
    # Typical: ~0.01 ms exact, ~0.2 ms fuzzy; the bounds leave room for slow CI.
    assert (t1 - t0) / 200 < 0.001
    assert (t2 - t1) / 200 < 0.010
