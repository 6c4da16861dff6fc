"""Lines, paragraphs and sentences of an article, as :class:`~claimx.text.spans.Span` s.

One segmentation for every module: stage one asks about sentences and shows
their paragraphs (so this module decides which requests a pipeline with a
stage one sends: changing it invalidates their recordings), the tagger's
sentences and paragraphs are these, chunking cuts over-long paragraphs at
sentence ends, grounding cuts a stitched quote into its sentences, and the
furniture detector judges lines.

Scraped news text keeps one block per line, so a paragraph is a non-blank line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimx.text.spans import Span

__all__ = ["SENTENCE_CLOSERS", "ends_sentence", "enclosing", "lines", "paragraphs", "sentences"]

SENTENCE_CLOSERS = "\"”’'»)]"
"""Closing quotation marks and brackets that belong to the sentence they follow."""

_LINE = re.compile(r"[^\n]+")
_CLOSERS = f"[{re.escape(SENTENCE_CLOSERS)}]*"
# A sentence ends at . ! ? or … (closing quotes and brackets included), before
# whitespace and something that can open a sentence.
_SENTENCE_END = re.compile(rf"[.!?…]{_CLOSERS}(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ENDS_SENTENCE = re.compile(rf"[.!?…]{_CLOSERS}$")
# Words whose trailing period does not end a sentence ("Mr. Kirby", "Jan. 5").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col capt sgt maj adm st jr sr no vs etc inc co corp"
    " ltd jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Z]$")  # "U.S", "J" (middle initial)


def lines(text: str) -> list[Span]:
    """The non-blank lines of ``text``, without their surrounding whitespace."""
    spans = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        spans.append(Span(start, start + len(stripped)))
    return spans


def paragraphs(text: str) -> list[Span]:
    """The paragraphs of ``text``: its non-blank lines (see the module docstring)."""
    return lines(text)


def sentences(text: str, within: Span | None = None) -> list[Span]:
    """The sentences of ``text`` (or of the part ``within``, one paragraph).

    A rule-based splitter, enough for news prose: it keeps abbreviations
    ("Mr.", "Gen.", "Jan.") and initials ("U.S.", "John F. Kennedy") inside
    their sentence and closing quotation marks with the sentence they end.
    Capitals open sentences, so the text must keep its case.
    """
    start, end = (0, len(text)) if within is None else (within.start, within.end)
    spans, begin = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = (text[begin : match.start()].rsplit(None, 1) or [""])[-1].lstrip('"“‘([')
        if match.group()[0] == "." and (
            word.lower().rstrip(".") in _ABBREVIATIONS or _INITIALS.fullmatch(word)
        ):
            continue
        spans.append(Span(begin, match.end()))
        begin = match.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append(Span(begin, end))
    return spans


def enclosing(segments: Sequence[Span], span: Span) -> Span:
    """The segment (sentence, paragraph) ``span`` starts in, widened to hold all of it;
    ``span`` itself when it starts in none."""
    found = next((s for s in segments if s.start <= span.start < s.end), span)
    return Span(found.start, max(found.end, span.end))


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends with a sentence end (closing marks included)."""
    return bool(_ENDS_SENTENCE.search(line))
