"""A stage one that generalises: attribution cues learnt from a corpus, plus the linguistics.

``extract@v4``'s stage one (:mod:`claimx.extraction.strategies.candidates`)
asks about sentences with quotation marks or one of ~60 hand-picked cue
words, inside paragraphs that have one: fitted to five articles, it misses
what other news says with "stressed", "revealed", "showed", "want", "has
proposed". This one asks about every sentence (headline included) with a
signal of its own:

* a **cue form** from the lexicon ``data/cues.tsv``: the lemmatised heads
  of the cues annotated in PolNeAR's *train* split, with their counts and
  inflected forms (``scripts/build_cue_lexicon.py`` rebuilds it); lemmas seen
  at least :data:`MIN_COUNT` times are used;
* a **reporting noun or phrase** ("according to", "in a statement", "in an
  interview", "spokeswoman", "the report found"): :data:`REPORTING_NOUNS`;
* a **document or poll** as the source ("a Gallup poll", "the survey",
  "records", "the memo", "the lawsuit"): :data:`DOCUMENTS`;
* **quotation**: quotation marks, the continuation of a quote opened earlier
  in the paragraph, or a colon or dash that introduces a quotation or a
  statement (``Trump: "..."``, ``He said: we will win``).

Up to :data:`WINDOW` consecutive signalled sentences of one paragraph make
one candidate (PolNeAR's news attributes in most sentences: asking about each
one alone would cost twice the requests). Each candidate carries its
paragraph and the paragraph before it as context, as in ``staged_sentences``,
so the prompt variables are the same. The
figures behind :data:`MIN_COUNT` and each class (tuned on train, reported on
dev) are in ``eval/README.md`` ("A stage one for any news").
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from claimx.extraction.strategies.candidates import _QUOTE, Candidate, _inside_quotation
from claimx.extraction.strategies.staged import StagedParams, StagedSentences
from claimx.prompts import PromptSpec
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = [
    "DOCUMENTS",
    "MIN_COUNT",
    "REPORTING_NOUNS",
    "STRONG_COUNT",
    "WINDOW",
    "StagedLexicon",
    "cue_forms",
    "find_lexicon_candidates",
    "has_signal",
    "has_strong_signal",
    "is_signalled",
]

MIN_COUNT = 3
"""Least count in train for a cue lemma to be used."""

WINDOW = 2
"""Signalled sentences of one paragraph asked about together (at most): half the requests."""

REPORTING_NOUNS = (
    "according to", "in a statement", "in an interview", "in a speech", "in a tweet",
    "in a post", "in an email", "in a letter", "in remarks", "statement", "interview",
    "spokesman", "spokeswoman", "spokesperson", "press secretary", "press release",
    "remarks", "testimony", "quoted", "per", "citing", "sources", "source", "officials",
)  # fmt: skip
"""Nouns and phrases that report speech or introduce its source."""

DOCUMENTS = (
    "poll", "polls", "polling", "survey", "surveys", "report", "reports", "study", "studies",
    "analysis", "data", "memo", "document", "documents", "records", "letter", "email",
    "emails", "filing", "lawsuit", "complaint", "ruling", "figures", "estimate", "estimates",
    "research", "findings", "transcript", "indictment", "audit",
)  # fmt: skip
"""Documents and polls that are sources themselves ("the survey found")."""

# A colon or dash introducing a quotation or a statement: "Trump: ...", "said — and ...".
_INTRODUCED = re.compile(r"\w[:—–]\s*[“\"‘A-Z]|\s[—–]\s*[“\"‘]")


def _lexicon_rows() -> list[tuple[str, int, list[str]]]:
    text = resources.files(__package__).joinpath("data", "cues.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, count, forms = line.split("\t")
        rows.append((lemma, int(count), forms.split(",")))
    return rows


@cache
def cue_forms(min_count: int = MIN_COUNT) -> frozenset[str]:
    """Every inflected form of the lexicon's lemmas seen at least ``min_count`` times."""
    return frozenset(f for _, n, forms in _lexicon_rows() if n >= min_count for f in forms)


@cache
def _signal(min_count: int, classes: frozenset[str]) -> re.Pattern[str]:
    words: set[str] = set()
    if "cues" in classes:
        words |= cue_forms(min_count)
    if "nouns" in classes:
        words |= set(REPORTING_NOUNS)
    if "documents" in classes:
        words |= set(DOCUMENTS)
    # Longest first, so "according to" wins over "according".
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w’'-])(?:{alternation})(?![\w’'-])", re.IGNORECASE)


CLASSES = frozenset({"cues", "nouns", "documents", "quotes"})
"""The signal classes (all on by default; the eval/README table measures each)."""


def has_signal(
    sentence: str, *, min_count: int = MIN_COUNT, classes: frozenset[str] = CLASSES
) -> bool:
    """Whether a sentence carries an attribution signal of one of ``classes``."""
    if "quotes" in classes and (_QUOTE.search(sentence) or _INTRODUCED.search(sentence)):
        return True
    return bool(classes - {"quotes"}) and bool(_signal(min_count, classes).search(sentence))


def is_signalled(
    text: str,
    paragraph: Span,
    sentence: Span,
    *,
    min_count: int = MIN_COUNT,
    classes: frozenset[str] = CLASSES,
) -> bool:
    """Whether ``sentence`` (of ``paragraph``) has a signal of its own, or, with the
    ``quotes`` class, continues a quotation opened earlier in the paragraph."""
    continued = "quotes" in classes and _inside_quotation(text[paragraph.start : sentence.start])
    return continued or has_signal(sentence.slice(text), min_count=min_count, classes=classes)


STRONG_COUNT = 30
"""Least train count of a cue that says "attribution" on its own (``claims: signalled``)."""
_STRONG_CLASSES = frozenset({"cues", "nouns", "quotes"})


def has_strong_signal(
    text: str, paragraph: Span, sentence: Span, *, min_count: int = STRONG_COUNT
) -> bool:
    """Whether ``sentence`` quotes (or continues a quote) or has a cue seen ``min_count`` times.

    Stage one asks about every sentence with a cue seen 3 times in train, for
    recall; most of those rare cues ("carried on", "comes", "include") are narration, and
    the claims a small model reads into them are mostly not attributions. On the
    claims of extract@v8 in 12 PolNeAR *train* articles, keeping only those of
    sentences with this signal raised evidence F1 (token>=0.3); a count of 10 or
    100 did less (``benchmarks/polnear_variants.py``; figures in eval/README.md).
    """
    return is_signalled(text, paragraph, sentence, min_count=min_count, classes=_STRONG_CLASSES)


def find_lexicon_candidates(
    text: str,
    *,
    context_paragraphs: int = 1,
    min_count: int = MIN_COUNT,
    classes: frozenset[str] = CLASSES,
    window: int = 1,
) -> list[Candidate]:
    """Every sentence with a signal of its own (module doc), with its paragraph and context.

    ``window`` > 1 joins up to that many consecutive signalled sentences of one
    paragraph into one candidate (fewer requests, longer text per request).
    """
    body = paragraphs(text)
    out: list[Candidate] = []
    for i, para in enumerate(body):
        before = body[max(0, i - context_paragraphs) : i]
        context = "\n".join(b.slice(text) for b in before)
        paragraph = para.slice(text)
        run = 0  # signalled sentences in the current candidate
        for span in sentences(text, para):
            sentence = span.slice(text)
            if not is_signalled(text, para, span, min_count=min_count, classes=classes):
                run = 0
                continue
            if run and run < window and out[-1].span.end <= span.start:
                joined = Span(out.pop().span.start, span.end)
                out.append(Candidate(joined, joined.slice(text), context, paragraph=paragraph))
                run += 1
            else:
                out.append(Candidate(span, sentence, context, paragraph=paragraph))
                run = 1
        run = 0
    return out


class StagedLexicon(StagedSentences):
    """Lexicon-and-linguistics candidate sentences -> per-sentence claims (model).

    Given ``evidence``, it asks about those spans as ``staged_sentences`` does
    (:func:`claimx.extraction.strategies.staged.evidence_candidates`).
    """

    name = "staged_lexicon"

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        params = StagedParams.of(spec)
        return find_lexicon_candidates(
            text, context_paragraphs=params.context_paragraphs, window=WINDOW
        )
