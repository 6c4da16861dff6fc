"""Stage one of the staged strategies, without the model: where could claims be?

A candidate is a body paragraph that carries an attribution signal: quotation
marks or an attribution cue (said, told, denied, according to, ...). Each
candidate carries the paragraph(s) before it as context, so "He added" can be
resolved. The sentence-level variant (:func:`find_sentence_candidates`) goes one
step further and asks about each signalled sentence of such a paragraph, with
the whole paragraph as context. Page furniture is not filtered here but after
grounding, for every strategy alike (:mod:`claimx.extraction.assemble`): the requests sent
to the model then do not change when the furniture heuristics are tuned, and
recordings stay valid. Paragraphs and sentences are :mod:`claimx.text.segments`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span, Spanned

_CUES = (
    r"said|says|say|saying|told|tells|added|adds|continued|accused|accuses|accusing|denied|denies|"
    r"deny|denying|alleged|alleges|allege|claimed|claims|claim|called|calls|wrote|writes|"
    r"according to|per the|citing|cited|reported|reports|insisted|insists|warned|warns|asked|"
    r"reiterated|dismissed|blamed|blames|rebutted|announced|argued|suggested|speculating|"
    r"responded|assure|confirmed|believes|noted|maintained|described|threatened"
)
_CUE = re.compile(rf"\b(?:{_CUES})\b", re.IGNORECASE)
REPORTING_CUE = _CUE
"""Reporting verbs and phrases ("said", "accused", "according to"): a speech act's cue."""
_QUOTE = re.compile(r"[“”\"]|(?:^|\s)‘")


@dataclass(frozen=True)
class Candidate(Spanned):
    """A paragraph (or sentence) to ask the model about: ``text == span.slice(article)``."""

    span: Span
    text: str
    context: str
    #: sentence candidates: the whole paragraph the sentence belongs to
    paragraph: str = ""


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
    for i, span in enumerate(body):
        paragraph = span.slice(text)
        if not has_attribution(paragraph):
            continue
        before = body[max(0, i - context_paragraphs) : i]
        context = "\n".join(s.slice(text) for s in before)
        out.append(Candidate(span, paragraph, context))
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
        for span in sentences(text, paragraph.span):
            sentence = span.slice(text)
            if has_attribution(sentence) or _inside_quotation(
                text[paragraph.span.start : span.start]
            ):
                out.append(Candidate(span, sentence, paragraph.context, paragraph=paragraph.text))
    return out
