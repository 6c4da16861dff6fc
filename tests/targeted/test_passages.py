"""Which sentences a targeted request shows, and how they are numbered."""

from __future__ import annotations

from claimx.targeted.lexical import view
from claimx.targeted.passages import (
    MAX_SENTENCE_CHARS,
    PassageParams,
    render,
    select_sentences,
)
from claimx.targeted.shipped import shipped

# Invented: the claim's words are in sentences 3 and 6 (0-based), the denial shares none.
TEXT = (
    "Harbour news of the week.\n\n"
    "The ferry timetable changes on Monday. Tickets cost more.\n\n"
    "Environmental group Seawatch said dredging by the port of Ostend killed the fish."
    " “We had nothing to do with this,” harbour master Lena Claes said.\n\n"
    "Fishermen were angry. Markets were calm.\n\n"
    "Inspectors found that dredging killed fish in Ostend before.\n\n"
    "The weather stayed mild."
)
CLAIM = "Dredging by the port of Ostend killed the fish."
IDF = shipped().idf


def test_best_then_lead_then_neighbours_nearest_first() -> None:
    article = view(TEXT)
    words = [s.span.slice(TEXT) for s in article.sentences]
    best = next(i for i, w in enumerate(words) if w.startswith("Environmental"))
    denial = next(i for i, w in enumerate(words) if "nothing to do" in w)
    assert denial == best + 1
    four = PassageParams(sentences=1, lead=1, around=1, max_numbered=4)
    assert select_sentences(CLAIM, article, IDF, four) == [0, best - 1, best, denial]
    # At the cap, the neighbour before wins the tie with the one after.
    three = PassageParams(sentences=1, lead=1, around=1, max_numbered=3)
    assert select_sentences(CLAIM, article, IDF, three) == [0, best - 1, best]
    wide = PassageParams(sentences=2, lead=0, around=0, max_numbered=12)
    chosen = select_sentences(CLAIM, article, IDF, wide)
    assert [words[i][:12] for i in chosen] == ["Environmenta", "Inspectors f"]


def test_a_claim_sharing_no_word_shows_only_the_lead() -> None:
    article = view(TEXT)
    params = PassageParams(sentences=3, lead=2, around=3, max_numbered=12)
    assert select_sentences("Volcanoes erupt in Iceland.", article, IDF, params) == [0, 1]
    assert select_sentences(CLAIM, view(""), IDF, params) == []


def test_numbers_keep_their_spans_and_gaps_are_blank_lines() -> None:
    article = view(TEXT)
    chosen = select_sentences(CLAIM, article, IDF, PassageParams(lead=1, around=1))
    passage = render(article, chosen)
    lines = passage.text.split("\n")
    numbered = [line for line in lines if line]
    assert len(numbered) == len(passage) == len(chosen)
    for n, (line, span) in enumerate(zip(numbered, passage.spans, strict=True), start=1):
        assert line == f"[{n}] {' '.join(span.slice(TEXT).split())}"
    assert "" in lines  # the lead is not next to the rest


def test_a_runaway_sentence_is_cut() -> None:
    text = "Ostend dredging killed fish " + "and more " * 200
    passage = render(view(text), [0])
    assert len(passage.text) == len("[1] ") + MAX_SENTENCE_CHARS
    assert passage.text.endswith("…") and passage.spans[0].slice(text).startswith("Ostend")
