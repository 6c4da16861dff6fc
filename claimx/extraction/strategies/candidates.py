"""Stage one of the staged strategies, without the model: where could claims be?

A candidate is a body paragraph that carries an attribution signal: quotation
marks or an attribution cue (said, told, denied, according to, ...). Each
candidate carries the paragraph(s) before it as context, so "He added" can be
resolved. The sentence-level variant (:func:`find_sentence_candidates`) goes one
step further and asks about each signalled sentence of such a paragraph, with
the whole paragraph as context. Page furniture is not filtered here but after
grounding, for every strategy alike (:mod:`claimx.extraction.assemble`): the requests sent
to the model then do not change when the furniture heuristics are tuned, and
recordings stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CUES = (
    r"said|says|say|saying|told|tells|added|adds|continued|accused|accuses|accusing|denied|denies|"
    r"deny|denying|alleged|alleges|allege|claimed|claims|claim|called|calls|wrote|writes|"
    r"according to|per the|citing|cited|reported|reports|insisted|insists|warned|warns|asked|"
    r"reiterated|dismissed|blamed|blames|rebutted|announced|argued|suggested|speculating|"
    r"responded|assure|confirmed|believes|noted|maintained|described|threatened"
)
_CUE = re.compile(rf"\b(?:{_CUES})\b", re.IGNORECASE)
_QUOTE = re.compile(r"[“”\"]|(?:^|\s)‘")
_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at . ! ? or … (closing quotes and brackets included), before
# whitespace and something that can open a sentence.
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
# Words whose trailing period does not end a sentence ("Mr. Kirby", "Jan. 5").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col capt sgt maj adm st jr sr no vs etc inc co corp"
    " ltd jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Z]$")  # "U.S", "J" (middle initial)


@dataclass(frozen=True)
class Candidate:
    """A paragraph to ask the model about."""

    start: int
    end: int
    text: str
    context: str
    #: sentence candidates: the whole paragraph the sentence belongs to
    paragraph: str = ""


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of non-blank lines, stripped of surrounding whitespace."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]`` (one paragraph).

    A rule-based splitter, enough for news prose: it keeps abbreviations
    ("Mr.", "Gen.", "Jan.") and initials ("U.S.", "John F. Kennedy") inside
    their sentence and closing quotation marks with the sentence they end.
    """
    spans, begin = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        word = text[begin : match.start()].rsplit(None, 1)[-1].lstrip('"“‘([')
        if match.group()[0] == "." and (
            word.lower().rstrip(".") in _ABBREVIATIONS or _INITIALS.fullmatch(word)
        ):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def _inside_quotation(before: str) -> bool:
    """Whether a quotation opened in ``before`` is still open at its end."""
    curly = before.count("“") - before.count("”")
    return curly > 0 or before.count('"') % 2 == 1


def has_attribution(paragraph: str) -> bool:
    """Quotation marks or an attribution cue."""
    return bool(_QUOTE.search(paragraph) or _CUE.search(paragraph))


def find_candidates(text: str, *, context_paragraphs: int = 1) -> list[Candidate]:
    """Body paragraphs with an attribution signal, each with its preceding context."""
    body = paragraphs(text)
    out = []
    for i, (start, end) in enumerate(body):
        paragraph = text[start:end]
        if not has_attribution(paragraph):
            continue
        before = body[max(0, i - context_paragraphs) : i]
        context = "\n".join(text[s:e] for s, e in before)
        out.append(Candidate(start=start, end=end, text=paragraph, context=context))
    return out


def find_sentence_candidates(text: str, *, context_paragraphs: int = 1) -> list[Candidate]:
    """The sentences of candidate paragraphs that carry a signal of their own.

    A sentence qualifies when it has quotation marks or an attribution cue, or
    when it continues a quotation opened earlier in its paragraph (the second
    sentence of a two-sentence quote). Each candidate carries its paragraph and
    the paragraph(s) before it as context.
    """
    out = []
    for paragraph in find_candidates(text, context_paragraphs=context_paragraphs):
        for start, end in sentences(text, paragraph.start, paragraph.end):
            sentence = text[start:end]
            if has_attribution(sentence) or _inside_quotation(text[paragraph.start : start]):
                out.append(
                    Candidate(start, end, sentence, paragraph.context, paragraph=paragraph.text)
                )
    return out
