"""What the model reads about one claim: the article's sentences most related to it, numbered.

A targeted request shows a few sentences, not the article: the local model
reads about 80 prompt tokens a second on two cores, and an FNC-1 report run
asks about some 315 pairs. Which sentences (:func:`select_sentences`), in
this order until :attr:`PassageParams.max_numbered` are chosen:

1. the :attr:`~PassageParams.sentences` sentences that cover most of the
   claim's weighted words (the screen's own measure,
   :func:`claimx.targeted.lexical.coverage`; a sentence sharing no word is
   never chosen for its score);
2. the article's first :attr:`~PassageParams.lead` sentences: a headline or a
   lead states the article's own position, which T5 of ``eval/ANNOTATION.md``
   reads first;
3. the sentences around those of (1), up to :attr:`~PassageParams.around`
   either side, nearest first: the denial that follows an accusation ("We had
   nothing to do with this") shares no word with the claim, and a quotation's
   speaker is often named in the sentence before. Around, not within the
   paragraph: news paragraphs are often one sentence long.

They are shown in article order as ``[1] ...`` lines (:func:`render`), a
blank line wherever sentences were skipped or a paragraph ends; a sentence
longer than :data:`MAX_SENTENCE_CHARS` is cut with "…". Each number keeps its
span (:attr:`Passage.spans`), so a source the model places in sentence ``n``
gets its evidence from the article itself, exact by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from claimx.targeted.lexical import ArticleView, Idf, claim_words, coverage
from claimx.text.segments import paragraphs
from claimx.text.spans import Span

__all__ = [
    "MAX_SENTENCE_CHARS",
    "Passage",
    "PassageParams",
    "render",
    "select_sentences",
    "sentences_by_priority",
]

MAX_SENTENCE_CHARS = 400
"""Longest sentence shown whole (about 100 tokens): a scraped page's "sentence" without
full stops can run to thousands of characters, which would be most of the prompt."""


class PassageParams(BaseModel):
    """How much of the article one request shows (module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: best-matching sentences chosen first
    sentences: int = Field(default=3, ge=1, le=10)
    #: the article's opening sentences shown whatever they say
    lead: int = Field(default=1, ge=0, le=5)
    #: sentences either side of a best one that may be shown with it
    around: int = Field(default=3, ge=0, le=10)
    #: numbered sentences at most
    max_numbered: int = Field(default=12, ge=1, le=30)


@dataclass(frozen=True)
class Passage:
    """The numbered sentences of one request: number ``n`` is ``spans[n - 1]``."""

    spans: tuple[Span, ...]
    text: str  # the lines shown to the model

    def __len__(self) -> int:
        return len(self.spans)


def select_sentences(
    claim: str, article: ArticleView, idf: Idf, params: PassageParams
) -> list[int]:
    """Indices of the article's sentences to show, in article order (module docstring)."""
    return sorted(sentences_by_priority(claim, article, idf, params))


def sentences_by_priority(
    claim: str, article: ArticleView, idf: Idf, params: PassageParams
) -> list[int]:
    """The sentences of :func:`select_sentences` in the order they were chosen: the best
    ones first, then the lead, then their neighbours (what to keep when cutting)."""
    sentences = article.sentences
    if not sentences:
        return []
    words = claim_words(claim)
    scores = [coverage(words, s.words, idf) for s in sentences]
    ranked = sorted((i for i in range(len(sentences)) if scores[i] > 0), key=lambda i: -scores[i])
    best = ranked[: params.sentences]
    wanted: list[int] = [*best, *range(min(params.lead, len(sentences)))]
    # Then the sentences around each best one, nearest first (ties: the earlier one first).
    wanted += [
        i
        for _, i in sorted(
            (abs(i - b), i)
            for b in best
            for i in range(max(0, b - params.around), min(len(sentences), b + params.around + 1))
        )
    ]
    chosen: list[int] = []
    for i in wanted:
        if i not in chosen:
            chosen.append(i)
        if len(chosen) == params.max_numbered:
            break
    return chosen


def _line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_SENTENCE_CHARS else flat[: MAX_SENTENCE_CHARS - 1] + "…"


def render(article: ArticleView, chosen: list[int]) -> Passage:
    """The chosen sentences as numbered lines (module docstring)."""
    text = article.text
    body = paragraphs(text)
    lines: list[str] = []
    spans: list[Span] = []
    previous: int | None = None
    for n, i in enumerate(chosen, start=1):
        span = article.sentences[i].span
        if previous is not None:
            before = article.sentences[previous].span
            same_paragraph = any(p.start <= before.start and span.end <= p.end for p in body)
            if i != previous + 1 or not same_paragraph:
                lines.append("")
        lines.append(f"[{n}] {_line(span.slice(text))}")
        spans.append(span)
        previous = i
    return Passage(tuple(spans), "\n".join(lines))
