"""Stage one of the staged strategy, without the model: where could claims be?

A candidate is a body paragraph that carries an attribution signal: quotation
marks or an attribution cue (said, told, denied, according to, ...). Each
candidate carries the paragraph(s) before it as context, so "He added" can be
resolved. Page furniture is not filtered here but after grounding, for every
strategy alike (:mod:`claimx.assemble`): the requests sent to the model then do
not change when the furniture heuristics are tuned, and recordings stay valid.
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


@dataclass(frozen=True)
class Candidate:
    """A paragraph to ask the model about."""

    start: int
    end: int
    text: str
    context: str


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
