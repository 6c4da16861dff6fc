"""The attribution signal: how a text says that someone is speaking, written once.

Everything that asks "is this attributed speech?" reads it here: stage one
(which sentences to ask the model about), the evidence rule (which part of a
sentence carries the claim), the speaker rule (who the sentence says is
talking), the direct flag of every claim and the detection scorer's forms.

* **Quotation.** :func:`quoted_regions` is the one scanner of quotation marks
  (double marks pair by shape or alternation, single marks only where they
  cannot be apostrophes, an unclosed quotation runs to the paragraph's end);
  :func:`quotation_form` says whether a span is ``direct`` (at least half of
  its letters quoted), ``mixed`` (some) or ``indirect`` (none), and
  :func:`is_direct` is its first case. :data:`QUOTE_MARK` is the cheap test
  "has quotation marks" and :func:`inside_quotation` "is a quotation still
  open here".
* **Cues.** The lexicon ``data/cues.tsv``: the lemmatised heads of the cues
  annotated in PolNeAR's *train* split, with counts and inflected forms
  (``scripts/build_cue_lexicon.py`` rebuilds it): :func:`cue_forms`.
* **Verbs of speech** (:data:`SPEECH_VERBS`): those that frame a reported
  clause (:data:`FRAMING_VERBS`: "said that", "he added"), the speech acts
  whose object carries the claim (:data:`ACT_VERBS`: "accused X of", "denied"),
  and the phrases that introduce a source (:data:`SOURCE_PHRASES`: "according
  to"). The lexicon's frequent heads include nouns and verbs that are no speech
  act ("attack", "means"), so the speaker rule reads these, and the evidence
  rule strips the frames.
* **Reporting nouns and phrases** (:data:`REPORTING_NOUNS`), **documents and
  polls** as sources (:data:`DOCUMENTS`), and **introductions** by a colon or
  a dash (:data:`INTRODUCED`).

:func:`has_signal` / :func:`is_signalled` combine them for a sentence; the
classes and counts behind each choice are measured in ``eval/README.md``
("A stage one for any news").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from claimx.text.spans import Span

__all__ = [
    "CLASSES",
    "DOCUMENTS",
    "INTRODUCED",
    "MIN_COUNT",
    "QUOTE_MARK",
    "REPORTING_NOUNS",
    "ACT_VERBS",
    "FRAMING_VERBS",
    "REPORTING_VERBS",
    "SOURCE_PHRASES",
    "SPEECH_VERBS",
    "STRONG_COUNT",
    "QuotationForm",
    "cue_forms",
    "has_signal",
    "has_strong_signal",
    "inside_quotation",
    "is_direct",
    "is_signalled",
    "quotation_form",
    "quotations",
    "quoted_regions",
]

# --- quotation -------------------------------------------------------------------------

QUOTE_MARK = re.compile(r"[“”\"]|(?:^|\s)‘")
"""Quotation marks: any double mark, or a single opening mark after a space (not an
apostrophe)."""

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‚"
_SINGLE = "’'"

QuotationForm = Literal["direct", "mixed", "indirect"]


@lru_cache(maxsize=1024)  # every claim of a paragraph asks again about its lines
def quoted_regions(line: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``line`` (one paragraph) inside quotation marks, marks included.

    Double quotes pair up (curly by shape, straight by alternation). Single
    quotes count only as quotation marks: ‘ or ' after a non-letter opens,
    ’ or ' before a non-letter closes, so the apostrophes of "don’t" and
    "Ukraine’s" are ignored. An unclosed quotation runs to the end of the
    paragraph, as news style leaves it open when the quote continues.
    """
    regions: list[tuple[int, int]] = []
    double_open: int | None = None
    single_open: int | None = None
    n = len(line)
    for i, ch in enumerate(line):
        prev_alnum = i > 0 and line[i - 1].isalnum()
        next_alnum = i + 1 < n and line[i + 1].isalnum()
        if ch in _OPEN_DOUBLE or (ch == '"' and double_open is None):
            if double_open is None:
                double_open = i
        elif ch in _CLOSE_DOUBLE or ch == '"':
            if double_open is not None:
                regions.append((double_open, i + 1))
                double_open = None
                single_open = None
        elif double_open is None:
            if ch in _OPEN_SINGLE or (ch == "'" and not prev_alnum and next_alnum):
                if single_open is None and not prev_alnum:
                    single_open = i
            elif ch in _SINGLE and single_open is not None and not next_alnum:
                regions.append((single_open, i + 1))
                single_open = None
    for opened in (double_open, single_open):
        if opened is not None:
            regions.append((opened, n))
    return tuple(regions)


def _quoted_share(text: str, pieces: Sequence[Span]) -> tuple[int, int]:
    """(letters and digits of ``pieces`` inside quotation marks, all of them), each piece's
    quotations read within the paragraph(s) it lies in."""
    inside = total = 0
    for piece in pieces:
        if not 0 <= piece.start < piece.end <= len(text):
            continue
        para_start = text.rfind("\n", 0, piece.start) + 1
        para_end = text.find("\n", piece.end)
        para_end = len(text) if para_end == -1 else para_end
        quoted = [False] * piece.length
        line_start = para_start
        for line in text[para_start:para_end].split("\n"):
            for a, b in quoted_regions(line):
                lo, hi = max(a + line_start, piece.start), min(b + line_start, piece.end)
                for i in range(lo, hi):
                    quoted[i - piece.start] = True
            line_start += len(line) + 1
        letters = [i for i, ch in enumerate(piece.slice(text)) if ch.isalnum()]
        total += len(letters)
        inside += sum(quoted[i] for i in letters)
    return inside, total


def quotation_form(text: str, pieces: Sequence[Span]) -> QuotationForm:
    """``direct`` when at least half the letters of ``pieces`` lie inside quotation marks,
    ``mixed`` when some do, ``indirect`` when none do.

    So a span inside a quotation, a quotation with its marks, and a quotation
    with a short attribution ("“…,” he said") are direct; reported speech with a
    quoted word or two ("said Peskov was “lying”") is mixed.
    """
    inside, total = _quoted_share(text, pieces)
    if total and 2 * inside >= total:
        return "direct"
    return "mixed" if inside else "indirect"


def is_direct(text: str, start: int, end: int, pieces: Sequence[Span] = ()) -> bool:
    """Whether the evidence ``text[start:end]`` is a direct quotation (:func:`quotation_form`);
    given its ``pieces`` (a discontinuous evidence), those are read, not the frame between
    them ("..., it said, ...")."""
    if not 0 <= start < end:
        return False
    return quotation_form(text, pieces or [Span(start, end)]) == "direct"


def quotations(text: str) -> list[Span]:
    """The closed double quotations of ``text`` (one sentence or paragraph), without
    their marks: the quoted words a claim's evidence can be."""
    out = []
    for a, b in quoted_regions(text):
        if b - a >= 2 and text[a] in _OPEN_DOUBLE + '"' and text[b - 1] in _CLOSE_DOUBLE + '"':
            out.append(Span(a + 1, b - 1))
    return out


def inside_quotation(before: str) -> bool:
    """Whether a quotation opened in ``before`` is still open at its end."""
    curly = before.count("“") - before.count("”")
    return curly > 0 or before.count('"') % 2 == 1


# --- cues, nouns, documents, introductions ------------------------------------------------

MIN_COUNT = 3
"""Least count in PolNeAR train for a cue lemma to count as a signal (stage one's recall)."""

STRONG_COUNT = 30
"""Least train count of a cue that says "attribution" on its own (:func:`has_strong_signal`)."""

FRAMING_VERBS = (
    "said", "says", "say", "saying", "told", "tells", "added", "adds", "continued",
    "alleged", "alleges", "allege", "claimed", "claims", "claim", "wrote", "writes",
    "reported", "reports", "insisted", "insists", "warned", "warns", "asked", "reiterated",
    "announced", "argued", "suggested", "responded", "assure", "assured", "confirmed",
    "believes", "noted", "maintained", "stated", "explained", "stressed", "repeated",
    "acknowledged", "admitted",
)  # fmt: skip
"""Verbs that frame a reported clause: "Peskov said (that) ...", "..., he added". The
clause is the claim; the frame is not part of its evidence."""

ACT_VERBS = (
    "accused", "accuses", "accusing", "denied", "denies", "deny", "denying", "called",
    "calls", "dismissed", "blamed", "blames", "rebutted", "described", "threatened",
    "speculating",
)  # fmt: skip
"""Speech acts whose object carries the claim: "accused Washington of guiding ...",
"denied any involvement": the verb is part of the evidence (it carries the stance)."""

SOURCE_PHRASES = ("according to", "per the", "citing", "cited")
"""Phrases that introduce the source after what it says: "..., according to Tass"."""

SPEECH_VERBS = FRAMING_VERBS + ACT_VERBS + SOURCE_PHRASES
"""Every verb and phrase of speech that has a speaker as its subject (or, for the source
phrases, its object): the cue of the speaker rule."""

REPORTING_VERBS = re.compile(rf"\b(?:{'|'.join(SPEECH_VERBS)})\b", re.IGNORECASE)
"""Any of :data:`SPEECH_VERBS`, as a whole word."""

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

INTRODUCED = re.compile(r"\w[:—–]\s*[“\"‘A-Z]|\s[—–]\s*[“\"‘]")
"""A colon or dash introducing a quotation or a statement: "Trump: ...", "said — and ..."."""

CLASSES = frozenset({"cues", "nouns", "documents", "quotes"})
"""The signal classes (all on by default; the eval/README table measures each)."""
_STRONG_CLASSES = frozenset({"cues", "nouns", "quotes"})


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


def has_signal(
    sentence: str, *, min_count: int = MIN_COUNT, classes: frozenset[str] = CLASSES
) -> bool:
    """Whether a sentence carries an attribution signal of one of ``classes``."""
    if "quotes" in classes and (QUOTE_MARK.search(sentence) or INTRODUCED.search(sentence)):
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
    continued = "quotes" in classes and inside_quotation(text[paragraph.start : sentence.start])
    return continued or has_signal(sentence.slice(text), min_count=min_count, classes=classes)


def has_strong_signal(
    text: str, paragraph: Span, sentence: Span, *, min_count: int = STRONG_COUNT
) -> bool:
    """Whether ``sentence`` quotes (or continues a quote) or has a cue seen ``min_count`` times.

    Stage one asks about every sentence with a cue seen :data:`MIN_COUNT` times in
    train, for recall; most of those rare cues ("carried on", "comes", "include")
    are narration, and the claims a small model reads into them are mostly not
    attributions. On the claims of extract@v8 in 12 PolNeAR *train* articles,
    keeping only those of sentences with this signal raised evidence F1
    (token>=0.3); a count of 10 or 100 did less (``benchmarks/polnear_variants.py``;
    figures in eval/README.md).
    """
    return is_signalled(text, paragraph, sentence, min_count=min_count, classes=_STRONG_CLASSES)
