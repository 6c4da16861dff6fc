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

from claimx.text.normalize import MATCHING, content_words
from claimx.text.spans import Span

__all__ = ["claim_evidence"]

_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
# ", Peskov told reporters Thursday." / ", according to the Russian news agency Tass."
_TAIL = re.compile(
    r"[,—–]\s*(?:according to\b[^,]*|(?:[^,“”\"]{0,70}?\b(?:said|says|told|added|stated|wrote|"
    r"reported|noted|explained|insisted|asked|continued|argued|warned|claimed)\b[^,“”\"]{0,40}))"
    r"[.!?]?\s*$",
    re.IGNORECASE,
)
# "Peskov said on Thursday that ..." / "Russia alleges that ...": the frame before the clause.
_HEAD = re.compile(
    r"^[^,“”\"]{0,80}?\b(?:said|says|told\s+\w+|added|stated|claimed|claims|alleged|alleges|"
    r"insisted|insists|argued|warned|believes|maintained|noted)\b(?:\s+on\s+\w+)?(?:\s+that)?\s+",
    re.IGNORECASE,
)
MIN_WORDS = 4
"""Least words a quotation or a clause keeps to be the evidence alone (else: the sentence)."""


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n,;:—–-":
        a += 1
    while b > a and text[b - 1] in " \t\n,;:—–-":
        b -= 1
    return a, b


def claim_evidence(article: str, sentence: Span, claim: str) -> Span:
    """The part of ``sentence`` that carries ``claim`` (module docstring), as an article span.

    The quotation sharing most content words with the claim, if it shares any;
    else the sentence without its attribution frame; the whole sentence when
    what is left would be shorter than :data:`MIN_WORDS` words.
    """
    text = sentence.slice(article)
    wanted = content_words(claim, MATCHING)
    best: tuple[int, int, int] | None = None  # (shared words, start, end)
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) is not None else 2
        a, b = _trim(text, m.start(group), m.end(group))
        if len(text[a:b].split()) < MIN_WORDS:
            continue
        shared = len(wanted & content_words(text[a:b], MATCHING))
        if shared and (best is None or shared > best[0]):
            best = (shared, a, b)
    if best is not None:
        return Span(sentence.start + best[1], sentence.start + best[2])
    a, b = 0, len(text)
    if tail := _TAIL.search(text):
        if len(text[: tail.start()].split()) >= MIN_WORDS:
            b = tail.start()
    if head := _HEAD.match(text[:b]):
        if len(text[head.end() : b].split()) >= MIN_WORDS:
            a = head.end()
    a, b = _trim(text, a, b)
    return Span(sentence.start + a, sentence.start + b) if b > a else sentence
