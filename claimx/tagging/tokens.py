"""Tokens of an article, grouped by paragraph: the unit the tagger labels.

A token is a run of word characters or one other non-space character, so
punctuation and quotation marks are tokens of their own: PolNeAR's spans
start and end at word or punctuation boundaries ("“We had nothing to do with
this,” said ..."), and the tagger must be free to put a closing quotation
mark inside a content span and the comma after it outside.

The tagger labels one **paragraph** at a time (a non-blank line,
:func:`claimx.text.segments.paragraphs`): 99% of PolNeAR train attributions
lie inside one paragraph, while 11% cross a sentence end (a quotation of
several sentences, then "he said"), so a sentence would be too short a
sequence. Each token knows its sentence (:func:`claimx.text.segments.sentences`,
the project's one splitter), which the features and the decoder use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["Paragraph", "Token", "tokenize"]

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its characters in the article, its text and its sentence's index."""

    span: Span
    text: str
    sentence: int
    """Index of the token's sentence in the article (sentences of all paragraphs, in order)."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph's tokens, in order (never empty)."""

    span: Span
    tokens: tuple[Token, ...]
    index: int
    """Index of the paragraph in the article: 0 is the headline in PolNeAR's texts."""


def tokenize(text: str) -> list[Paragraph]:
    """The paragraphs of ``text`` that hold at least one token, tokenised."""
    out: list[Paragraph] = []
    n_sentences = 0
    for para in paragraphs(text):
        tokens: list[Token] = []
        for sentence in sentences(text, para):
            for match in _TOKEN.finditer(text, sentence.start, sentence.end):
                tokens.append(Token(Span(match.start(), match.end()), match.group(), n_sentences))
            n_sentences += 1
        if tokens:
            out.append(Paragraph(para, tuple(tokens), len(out)))
    return out
