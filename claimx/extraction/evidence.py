"""The evidence of a claim in a numbered sentence, read off the sentence by rule.

``answer: numbered`` prompts have the model say *which* sentence a claim is in,
not copy its words: copying is most of a small model's output tokens, and the
copy then has to be found again (:mod:`claimx.text.grounding`). The evidence is
the shortest part of the sentence that carries the claim (the standard's
``quote``): the quotation the claim is about, or the reported clause without
its attribution frame ("..., he said", "according to ...", "X said that ...").
The span is exact by construction.
"""

from __future__ import annotations

import re

from claimx.text.attribution import FRAMING_VERBS, quotations
from claimx.text.normalize import MATCHING, content_words
from claimx.text.spans import Span

__all__ = ["claim_evidence"]

_VERBS = "|".join(FRAMING_VERBS)
# ", Peskov told reporters Thursday." / ", according to the Russian news agency Tass."
_TAIL = re.compile(
    rf"[,—–]\s*(?:according to\b[^,]*|(?:[^,“”\"]{{0,70}}?\b(?:{_VERBS})\b[^,“”\"]{{0,40}}))"
    r"[.!?]?\s*$",
    re.IGNORECASE,
)
# "Peskov said on Thursday that ..." / "Russia alleges that ...": the frame before the clause.
_HEAD = re.compile(
    rf"^[^,“”\"]{{0,80}}?\b(?:{_VERBS})\b(?:(?:(?<=told)|(?<=assured))\s+\w+)?"
    r"(?:\s+on\s+\w+)?(?:\s+that)?\s+",
    re.IGNORECASE,
)
# Where one clause of a sentence ends and another begins: "... that X, and that Y",
# "X; Y", "X — Y", "X, but Y", "X, a charge which Kyiv has denied".
_CLAUSE_BREAK = re.compile(
    r",\s+and\s+that\s+|\s+and\s+that\s+|;\s+|\s+[—–]\s+|,\s+but\s+|,\s+while\s+|,\s+saying\s+"
    r"|,\s+(?=(?:a|an|the)\s+(?:charge|claim|accusation|allegation|assertion)s?\s+(?:which|that)\b)",
    re.IGNORECASE,
)
QUOTE_SHARE = 0.4
"""Least share of the sentence a quotation sharing no word with the claim must cover."""
MIN_WORDS = 4
"""Least words a quotation or a clause keeps to be the evidence alone (else: the sentence)."""


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n,;:—–-":
        a += 1
    while b > a and text[b - 1] in " \t\n,;:—–-":
        b -= 1
    return a, b


def _best_clause(text: str, wanted: frozenset[str]) -> tuple[int, int]:
    """The clause of ``text`` sharing most content words with the claim (all of it if one)."""
    bounds, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    bounds = [(a, b) for a, b in bounds if len(text[a:b].split()) >= MIN_WORDS] or [(0, len(text))]
    return max(bounds, key=lambda ab: len(wanted & content_words(text[ab[0] : ab[1]], MATCHING)))


def claim_evidence(article: str, sentence: Span, claim: str) -> Span:
    """The part of ``sentence`` that carries ``claim`` (module docstring), as an article span.

    The quotation sharing most content words with the claim, if it shares any;
    else the sentence without its attribution frame; the whole sentence when
    what is left would be shorter than :data:`MIN_WORDS` words.
    """
    text = sentence.slice(article)
    wanted = content_words(claim, MATCHING)
    quotes = []
    for quoted in quotations(text):
        a, b = _trim(text, quoted.start, quoted.end)
        if len(text[a:b].split()) >= MIN_WORDS:
            quotes.append((len(wanted & content_words(text[a:b], MATCHING)), b - a, a, b))
    if quotes:
        shared, length, a, b = max(quotes)
        # A quotation that shares no word is still the evidence when it opens the sentence
        # or is most of it ("'We had nothing to do with this,' said Kirby"): the claim
        # paraphrases it.
        if shared or length >= QUOTE_SHARE * len(text) or a <= 1:
            return Span(sentence.start + a, sentence.start + b)
    a, b = _best_clause(text, wanted)
    if tail := _TAIL.search(text, a, b):
        if len(text[a : tail.start()].split()) >= MIN_WORDS:
            b = tail.start()
    if head := _HEAD.match(text[a:b]):
        if len(text[a + head.end() : b].split()) >= MIN_WORDS:
            a += head.end()
    a, b = _trim(text, a, b)
    return Span(sentence.start + a, sentence.start + b) if b > a else sentence
