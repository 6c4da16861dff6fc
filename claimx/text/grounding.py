"""Finding a model-written quote in the article (direct or not: :mod:`claimx.text.attribution`).

Models copy quotes imperfectly: straight quotes for curly ones, a hyphen for a
dash, "..." for "…", a dropped clause, two sentences glued together. Offsets
are therefore never taken from the model: :func:`ground_quote` searches the
article in tiers, cheapest and strictest first, and says which tier found it.

1. **exact** — ``text.find(quote)``. Several occurrences: the one whose start
   is nearest ``near`` when given, else the first.
2. **normalized** — both sides normalised (curly/straight quotes, dashes
   ‐ ‑ ‒ – — ― − to ``-``, whitespace runs to one space, ``...`` and ``. . .``
   to ``…``, case folded) and the quote's surrounding quote marks and
   punctuation stripped. An index map from normalised to original positions
   turns the hit back into exact offsets in the original text. Hits at word
   boundaries are preferred over hits inside a word; several occurrences are
   chosen as in tier 1.
3. **pieces** — a quote with an ellipsis (``…``, ``...``, ``[…]``), else one made
   of several sentences, is cut into pieces that are located one after the
   other. When every piece is found (score >= threshold), in order, each within
   :data:`MAX_PIECE_GAP` characters of the previous one, the result is the span
   from the first piece's start to the last piece's end, reported as ``fuzzy``
   (the span is not what the model wrote) with the length-weighted mean score
   of the pieces. This covers a quote the model shortened and one stitched
   from two sentences around an attribution.
4. **fuzzy** — :func:`rapidfuzz.fuzz.partial_ratio_alignment` of the normalised
   quote against the normalised text gives the best window; its edges are then
   moved to nearby word boundaries, keeping the span whose
   :func:`rapidfuzz.fuzz.ratio` with the quote is highest. That ratio is the
   score. Below the threshold the span is still returned (``grounded=False``)
   as the best candidate, so a paraphrase passed off as a quote can be shown
   next to the words it paraphrases.

In tiers 2-4 the quote marks and closing punctuation the model put around its
quote are taken back into the span where the article has them too (in either
order: ``know.”`` vs ``know”.``), a trailing comma is dropped, and the span's
double quote marks are made to pair up. A leaked JSON key at the end of the
quote (``…simple,” speaker:``, seen with small local models) is removed first.

``method="none"`` (score 0, empty span at 0) is left for a quote with nothing
to search for (empty after stripping) or an empty article.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from claimx.models import GroundingMethod
from claimx.text.segments import sentences
from claimx.text.spans import Span, Spanned

__all__ = [
    "MAX_PIECE_GAP",
    "Located",
    "ground_quote",
    "locate_in",
    "normalize_for_match",
]

MAX_PIECE_GAP = 250
"""Most characters allowed between two consecutive pieces of a shortened or
stitched quote. An attribution between two quoted sentences ("…,” White House
national security spokesman John Kirby told MSNBC in an interview. “…") is
under 100; 250 allows a short narrative sentence more without letting pieces
from different paragraphs be glued into one span."""

_MIN_PIECE_WORDS = 3
"""Pieces with fewer words are folded into a neighbour: "No." or "he said"
found on its own would match almost anywhere."""

# One-to-one replacements, so they cannot disturb the index map.
_REPLACE = (
    *((ch, "'") for ch in "‘’‚‛′`´"),
    *((ch, '"') for ch in "“”„‟″«»"),
    *((ch, "-") for ch in "‐‑‒–—―−"),
)
# Many-to-one replacements: whitespace runs, and "..." / ". . ." for "…".
# A single space maps to itself, so only longer runs and other whitespace are
# matched: an article has few of those, which keeps the index map cheap to build.
_COLLAPSE = re.compile(r"[^\S ]\s*| \s+|\.\s?\.\s?\.")
_EDGE = " \"'.,;:!?…-"
_QUOTE_MARKS = "\"'"
_CLOSING = ".!?…\"'"
_KEY_LEAK = re.compile(r"[\"']\s*,?\s*[a-z_]+\s*:\s*$")
_ELLIPSIS_SPLIT = re.compile(r"\s*(?:\[…\]|\(…\)|…)\s*")
_WORD_START = re.compile(r"(?<!\S)\S")
_WORD_END = re.compile(r"\S(?!\S)")
_EDGE_CANDIDATES = 5


@dataclass(frozen=True)
class Located(Spanned):
    """Where a quote was found: ``span.slice(text)`` is the span in the original text."""

    span: Span
    method: GroundingMethod
    score: float
    grounded: bool

    def shift(self, offset: int) -> Located:
        """The same hit, ``offset`` characters further on: from a window into its article."""
        return replace(self, span=self.span.shift(offset))


_NOT_FOUND = Located(Span(0, 0), "none", 0.0, False)


@dataclass(frozen=True)
class _Normalized:
    text: str
    # pos[i] is the original index of normalised character i; pos[len(text)] is
    # len(original). Every original character belongs to exactly one normalised
    # character (nothing is deleted, runs collapse to one), so normalised
    # [a, b) is original [pos[a], pos[b]).
    pos: tuple[int, ...]

    def original(self, span: Span) -> Span:
        return Span(self.pos[span.start], self.pos[span.end])


def _fold(text: str) -> str:
    # A chain of str.replace is ~50x faster than str.translate with a dict here.
    translated = text
    for old, new in _REPLACE:
        if old in translated:
            translated = translated.replace(old, new)
    lowered = translated.lower()
    if len(lowered) == len(translated):
        return lowered
    # A few characters ("İ") grow when lowered; keep those as they are.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in translated)


def normalize_for_match(text: str) -> str:
    """The normalised form grounding compares: quotes, dashes, spaces, ellipses, case."""
    return _COLLAPSE.sub(lambda m: " " if m.group()[0].isspace() else "…", _fold(text))


@lru_cache(maxsize=32)
def _normalize_text(text: str) -> _Normalized:
    # Cached: one article is grounded once per claim, and this is the only
    # step whose cost grows with the article.
    folded = _fold(text)
    chars: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _COLLAPSE.finditer(folded):
        chars.append(folded[last : m.start()])
        pos.extend(range(last, m.start()))
        chars.append(" " if m.group()[0].isspace() else "…")
        pos.append(m.start())
        last = m.end()
    chars.append(folded[last:])
    pos.extend(range(last, len(folded)))
    pos.append(len(text))
    return _Normalized(text="".join(chars), pos=tuple(pos))


def _nearest(starts: list[int], near: int | None) -> int:
    """Index of the occurrence to use: nearest ``near``, else the first."""
    if near is None or len(starts) == 1:
        return 0
    return min(range(len(starts)), key=lambda i: (abs(starts[i] - near), i))


def _occurrences(haystack: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    hi = len(haystack) if hi is None else hi
    found: list[int] = []
    i = haystack.find(needle, lo, hi)
    while i != -1:
        found.append(i)
        i = haystack.find(needle, i + 1, hi)
    return found


def _core(norm_quote: str) -> tuple[str, str, str]:
    """Split a normalised quote into (head, core, tail): surrounding marks and punctuation."""
    # A local model sometimes leaks the next JSON key into the quote
    # ('… pure and simple,” speaker:'); that tail was never article text.
    norm_quote = _KEY_LEAK.sub("", norm_quote)
    core = norm_quote.strip(_EDGE)
    head = norm_quote[: len(norm_quote) - len(norm_quote.lstrip(_EDGE))]
    tail = norm_quote[len(norm_quote.rstrip(_EDGE)) :]
    return head.replace(" ", ""), core, tail.replace(" ", "")


def _extend(norm: _Normalized, a: int, b: int, head: str, tail: str) -> tuple[int, int]:
    """Take back the quote marks and closing punctuation the model wrote around its quote,
    where the text has them too (in any order: 'know.”' vs 'know”.'), then make the
    span's double quote marks pair up. A comma is taken only on the way to a quote
    mark: a span ending in "," says nothing more and reads worse."""
    text = norm.text
    closing = set(tail) & set(_CLOSING + ",;:")
    while b < len(text) and text[b] in closing:
        b += 1
    while b > a and text[b - 1] in ",;:":
        b -= 1
    opening = set(head) & set(_QUOTE_MARKS)
    while a > 0 and text[a - 1] in opening:
        a -= 1
    if text.count('"', a, b) % 2:
        if text[a] == '"':
            a += 1
        elif text[b - 1] == '"':
            b -= 1
        elif b < len(text) and text[b] == '"':
            b += 1
    return a, b


def _at_boundary(norm: str, a: int, b: int) -> bool:
    left_ok = a == 0 or not (norm[a - 1].isalnum() and norm[a].isalnum())
    right_ok = b == len(norm) or not (norm[b - 1].isalnum() and norm[b].isalnum())
    return left_ok and right_ok


@dataclass(frozen=True)
class _Hit:
    span: Span  # in the normalised text
    method: GroundingMethod
    score: float


def _normalized_hits(norm: _Normalized, core: str, lo: int = 0, hi: int | None = None) -> list[int]:
    starts = _occurrences(norm.text, core, lo, hi)
    clean = [a for a in starts if _at_boundary(norm.text, a, a + len(core))]
    return clean or starts


def _trim(norm: str, a: int, b: int) -> tuple[int, int]:
    while a < b and norm[a] in _EDGE:
        a += 1
    while b > a and norm[b - 1] in _EDGE:
        b -= 1
    return a, b


def _iter_ends(text: str, pos: int) -> Iterator[int]:
    return (m.end() for m in _WORD_END.finditer(text, pos))


def _fuzzy(norm: _Normalized, core: str, lo: int, hi: int) -> _Hit | None:
    """Best fuzzy window of ``core`` in ``norm.text[lo:hi]``, snapped to word boundaries."""
    window = norm.text[lo:hi]
    if not window.strip() or not core:
        return None
    if len(core) >= len(window):
        a, b = _trim(norm.text, lo, hi)
        return _Hit(Span(a, b), "fuzzy", fuzz.ratio(core, norm.text[a:b]))
    al = fuzz.partial_ratio_alignment(core, window)
    if al is None:  # only with a score_cutoff; kept for the type checker
        return None
    ds, de = al.dest_start + lo, al.dest_end + lo
    # partial_ratio aligns a window as long as the quote, which may cut words
    # or miss a word the model dropped; try word edges around it and keep the
    # span that matches the whole quote best.
    slack = max(12, len(core) // 5)
    starts = [m.start() for m in _WORD_START.finditer(norm.text, max(lo, ds - slack), ds + slack)]
    # No endpos here: it would make the lookahead see a word end where the
    # window merely cuts a word.
    limit = min(hi, de + slack)
    ends = list(
        itertools.takewhile(lambda e: e <= limit, _iter_ends(norm.text, max(0, de - slack)))
    )
    # The few edges closest to the window's: enough to add or drop a word or
    # two on each side, and it bounds the work at _EDGE_CANDIDATES² ratios.
    starts = sorted(starts, key=lambda s: abs(s - ds))[:_EDGE_CANDIDATES] or [ds]
    ends = sorted(ends, key=lambda e: abs(e - de))[:_EDGE_CANDIDATES] or [de]
    best: _Hit | None = None
    for s in starts:
        for e in ends:
            a, b = _trim(norm.text, s, e)
            if b <= a:
                continue
            score = fuzz.ratio(core, norm.text[a:b])
            if best is None or score > best.score:
                best = _Hit(Span(a, b), "fuzzy", score)
    return best


def _locate_piece(
    norm: _Normalized, core: str, *, near_norm: int | None, lo: int = 0, hi: int | None = None
) -> _Hit | None:
    """Tiers 2 and 4 for one string (a whole quote or one piece of it)."""
    hi = len(norm.text) if hi is None else hi
    starts = _normalized_hits(norm, core, lo, hi)
    if starts:
        a = starts[_nearest(starts, near_norm)]
        return _Hit(Span(a, a + len(core)), "normalized", 100.0)
    best = _fuzzy(norm, core, lo, hi)
    if near_norm is not None and best is not None and best.score < 100.0:
        # The global best may be a second, slightly better copy far away; a
        # copy around ``near`` that scores almost as well is the one meant.
        span = 2 * len(core) + 200
        local = _fuzzy(norm, core, max(lo, near_norm - span), min(hi, near_norm + span))
        if local is not None and local.score >= best.score - 0.5:
            best = local
    return best


def _pieces(quote: str, core: str) -> list[str]:
    """Cut a quote at ellipses, else at sentence ends; tiny pieces join a neighbour.

    ``core`` is the normalised quote (:func:`_core`); sentences are found in the
    quote as written, since normalising folds the capitals that open them.
    """
    parts = [p.strip(_EDGE) for p in _ELLIPSIS_SPLIT.split(core)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        parts = [_core(normalize_for_match(s.slice(quote)))[1] for s in sentences(quote)]
        parts = [p for p in parts if p]
    merged: list[str] = []
    for part in parts:
        if merged and (
            len(part.split()) < _MIN_PIECE_WORDS or len(merged[-1].split()) < _MIN_PIECE_WORDS
        ):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _chain(
    norm: _Normalized, pieces: list[str], *, near_norm: int | None, threshold: float
) -> _Hit | None:
    """Locate pieces in order, each close after the previous; None unless all are found."""
    first = pieces[0]
    firsts = _normalized_hits(norm, first)
    if firsts:
        order = sorted(
            range(len(firsts)),
            key=lambda i: (abs(firsts[i] - near_norm), i) if near_norm is not None else (0, i),
        )
        candidates = [
            _Hit(Span(firsts[i], firsts[i] + len(first)), "normalized", 100.0) for i in order
        ]
    else:
        hit = _locate_piece(norm, first, near_norm=near_norm)
        candidates = [hit] if hit is not None and hit.score >= threshold else []
    for start_hit in candidates:
        hits = [start_hit]
        for piece in pieces[1:]:
            lo = hits[-1].span.end
            hi = min(len(norm.text), lo + MAX_PIECE_GAP + 2 * len(piece))
            hit = _locate_piece(norm, piece, near_norm=None, lo=lo, hi=hi)
            if (
                hit is None
                or hit.score < threshold
                or norm.pos[hit.span.start] - norm.pos[lo] > MAX_PIECE_GAP
            ):
                break
            hits.append(hit)
        else:
            total = sum(h.span.length for h in hits)
            score = sum(h.score * h.span.length for h in hits) / total
            return _Hit(Span(hits[0].span.start, hits[-1].span.end), "fuzzy", score)
    return None


def ground_quote(
    text: str, quote: str, *, threshold: float = 90.0, near: int | None = None
) -> Located:
    """Locate ``quote`` in ``text``; see the module docstring for the tiers.

    ``near`` is an offset in ``text`` (for instance where the claim's paragraph
    starts): when the quote occurs more than once, the occurrence starting
    nearest to it is returned instead of the first. ``grounded`` is
    ``score >= threshold``; exact and normalised matches score 100.
    """
    if not quote or not text:
        return _NOT_FOUND
    # Tier 1: exact.
    starts = _occurrences(text, quote)
    if starts:
        s = starts[_nearest(starts, near)]
        return Located(Span(s, s + len(quote)), "exact", 100.0, 100.0 >= threshold)

    norm = _normalize_text(text)
    head, core, tail = _core(normalize_for_match(quote))
    if not core:
        return _NOT_FOUND
    near_norm = None if near is None else bisect_left(norm.pos, near)

    def located(hit: _Hit) -> Located:
        span = norm.original(Span(*_extend(norm, hit.span.start, hit.span.end, head, tail)))
        return Located(span, hit.method, hit.score, hit.score >= threshold)

    # Tier 2: normalised, exact string search.
    hits = _normalized_hits(norm, core)
    if hits:
        a = hits[_nearest(hits, near_norm)]
        return located(_Hit(Span(a, a + len(core)), "normalized", 100.0))
    # Tier 3: pieces of a shortened or stitched quote.
    pieces = _pieces(quote, core)
    if len(pieces) >= 2:
        chained = _chain(norm, pieces, near_norm=near_norm, threshold=threshold)
        if chained is not None:
            return located(chained)
    # Tier 4: fuzzy alignment of the whole quote; below threshold it is the
    # best candidate, reported ungrounded.
    best = _locate_piece(norm, core, near_norm=near_norm)
    if best is None:
        return _NOT_FOUND
    return located(best)


def locate_in(text: str, quote: str, window: Span, *, threshold: float = 90.0) -> Located:
    """:func:`ground_quote` inside ``window`` of ``text``, in ``text``'s offsets."""
    return ground_quote(window.slice(text), quote, threshold=threshold).shift(window.start)
