"""The words and sentences that the screen, the features and the baseline compare.

No model and no download. An article becomes an :class:`ArticleView`: its
sentences (:func:`claimx.text.segments.sentences` within each paragraph, so a
scraped line break always ends a sentence) with their content words. Content
words are the eval's policy, :data:`claimx.text.normalize.MATCHING`: stemmed,
stop words and reporting verbs out, "U.S."/"United States" joined, **negation
dropped**. Dropping negation is what a relatedness measure wants: "X did not
happen" addresses the claim "X happened" as much as "X happened" does; the
polarity is read separately (:mod:`claimx.targeted.cues`).

Words are weighted by inverse document frequency (:class:`Idf`). The shipped
table (``data/idf.tsv``) counts, for each content word, the FNC-1 *tune* bodies
it occurs in (:mod:`claimx.targeted.train` rebuilds it); words in fewer than
:data:`MIN_DF` bodies, and words never seen, are left out of the file and
weigh as a word of one body: the heaviest weight. So "new" or "report" count
little and names count much, whatever the article is about.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from claimx.targeted.cues import CueCounts, count_cues
from claimx.text.normalize import MATCHING, content_words
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = [
    "MIN_DF",
    "ArticleView",
    "Idf",
    "Sentence",
    "claim_words",
    "coverage",
    "view",
    "view_once",
]

K = TypeVar("K")

MIN_DF = 5
"""Least number of tune bodies a word must occur in to get its own line in ``idf.tsv``:
5,496 words instead of 16,087, and the rarer ones all weigh the same anyway."""


def claim_words(claim: str) -> frozenset[str]:
    """The content words of a claim (module docstring: the eval's policy)."""
    return content_words(claim, MATCHING)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, its content words and its cues."""

    span: Span
    words: frozenset[str]
    cues: CueCounts


@dataclass(frozen=True)
class ArticleView:
    """An article split into sentences with their words and cues (computed once, for
    every claim asked about it)."""

    text: str
    sentences: tuple[Sentence, ...]

    @property
    def words(self) -> frozenset[str]:
        """Every content word of the article."""
        return frozenset().union(*(s.words for s in self.sentences))


def view(text: str) -> ArticleView:
    """The article's sentences, within paragraphs, with their content words and cues."""
    found = []
    for paragraph in paragraphs(text):
        for span in sentences(text, paragraph):
            sentence = span.slice(text)
            found.append(Sentence(span, content_words(sentence, MATCHING), count_cues(sentence)))
    return ArticleView(text, tuple(found))


def view_once(views: dict[K, ArticleView], key: K, text: str) -> ArticleView:
    """``views[key]``, made from ``text`` the first time: an article asked about many
    claims is split into sentences once."""
    if key not in views:
        views[key] = view(text)
    return views[key]


@dataclass(frozen=True)
class Idf:
    """Inverse document frequency of content words: ``log((n + 1) / (df + 1)) + 1``.

    ``df`` holds the words seen in at least ``min_df`` of ``documents``
    documents; any other word counts as seen in one.
    """

    df: Mapping[str, int]
    documents: int
    min_df: int = MIN_DF

    def weight(self, word: str) -> float:
        """The word's weight (module docstring)."""
        return math.log((self.documents + 1) / (self.df.get(word, 1) + 1)) + 1.0

    def total(self, words: Iterable[str]) -> float:
        """The summed weight of ``words``."""
        return sum(self.weight(w) for w in words)

    @classmethod
    def build(cls, documents: Iterable[ArticleView], min_df: int = MIN_DF) -> Idf:
        """Count, for each word, the documents it occurs in; keep those in ``min_df`` or more."""
        counts: Counter[str] = Counter()
        n = 0
        for doc in documents:
            counts.update(doc.words)
            n += 1
        return cls({w: c for w, c in counts.items() if c >= min_df}, n, min_df)

    def dumps(self, source: str) -> str:
        """The table as TSV: a header naming ``source`` and the counts, then ``word\\tdf``."""
        head = f"# documents\t{self.documents}\tmin_df\t{self.min_df}\t{source}\n"
        return head + "".join(f"{w}\t{c}\n" for w, c in sorted(self.df.items()))

    @classmethod
    def loads(cls, text: str) -> Idf:
        """Read :meth:`dumps`'s TSV."""
        lines = text.splitlines()
        fields = lines[0].lstrip("# ").split("\t")
        if len(fields) < 4 or fields[0] != "documents" or fields[2] != "min_df":
            raise ValueError("not an IDF table: the first line must be '# documents N min_df M'")
        df = {}
        for line in lines[1:]:
            word, count = line.split("\t")
            df[word] = int(count)
        return cls(df, int(fields[1]), int(fields[3]))


def coverage(claim: frozenset[str], words: frozenset[str], idf: Idf) -> float:
    """The weighted share of the claim's words that ``words`` holds, 0..1 (0 for no claim words)."""
    total = idf.total(claim)
    return idf.total(claim & words) / total if total > 0 else 0.0
