"""Stage one of the staged strategies: candidate paragraphs and sentences, no model."""

from __future__ import annotations

from claimx.extraction.strategies import get_strategy
from claimx.extraction.strategies.candidates import (
    find_candidates,
    find_sentence_candidates,
)
from claimx.prompts import get_prompt
from claimx.text.segments import sentences
from claimx.text.spans import Span

ARTICLE = """Harbour news

Read more: Ferry strike ends

Thousands of dead fish washed up on the beaches of Ostend last week.

Seawatch accused the port of hiding samples, director Tom Peeters said. The city will test it.

“We had nothing to do with this. The dredging had stopped,” harbour master Lena Claes told VRT.
"""


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


def test_paragraph_candidates_need_an_attribution_signal() -> None:
    found = find_candidates(ARTICLE)
    # Headings, navigation and narration carry no quotation mark and no cue.
    assert [c.text[:12] for c in found] == ["Seawatch acc", "“We had noth"]
    # The context is the paragraph before, for "he"/"she" to resolve.
    assert found[0].context.startswith("Thousands of dead fish")
    assert all(ARTICLE[c.start : c.end] == c.text for c in found)


def test_sentence_candidates_skip_narration_and_follow_open_quotes() -> None:
    found = find_sentence_candidates(ARTICLE)
    texts = [c.text for c in found]
    assert "The city will test it." not in texts  # narration beside a claim
    assert "Seawatch accused the port of hiding samples, director Tom Peeters said." in texts
    # The second sentence of a quote has no mark of its own, but the quote is open.
    assert "“We had nothing to do with this." in texts
    assert "The dredging had stopped,” harbour master Lena Claes told VRT." in texts
    for c in found:
        assert ARTICLE[c.start : c.end] == c.text
        assert c.text in c.paragraph


def test_inside_an_open_quote_without_a_cue_is_still_a_candidate() -> None:
    text = 'Claes spoke on Monday. "We did nothing. Nothing at all. Ask anyone." Then she left.\n'
    found = [c.text for c in find_sentence_candidates(text)]
    assert found == ['"We did nothing.', "Nothing at all.", 'Ask anyone."']


def test_staged_sentences_strategy_sends_sentence_paragraph_and_context() -> None:
    spec = get_prompt("extract@v4")
    strategy = get_strategy(spec.strategy)
    assert strategy.name == "staged_sentences"
    assert set(spec.variables) <= strategy.provides
    candidates = strategy.candidates(ARTICLE, spec)  # type: ignore[attr-defined]
    variables = strategy.variables(candidates[1])  # type: ignore[attr-defined]
    messages = spec.render(**variables)
    last = messages[-1]["content"]
    assert variables["text"] in last.split("Sentence to extract from:")[1]
    assert variables["paragraph"] in last and variables["context"] in last
