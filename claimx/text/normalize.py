"""Word-level normalisation: folding, stemming, stop words, content words.

One module for every caller that compares words rather than characters: the
speaker rule (:mod:`claimx.speakers.identity`), proposition keys of the
extractor (:func:`proposition_key`), the eval's proposition similarity
(:mod:`claimx.eval.matching`) and the corpus grouping of propositions
(:mod:`claimx.consolidate`). Where two callers really need different rules
(the eval keeps metonyms and drops negation; grouping folds metonyms and keeps
negation as a token) the difference is a :class:`WordPolicy`, not a second
copy of the code. Character-level folding for quote grounding, which must keep
offsets, is :func:`claimx.text.grounding.normalize_for_match`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Concatenate, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "APOSTROPHES",
    "GROUPING",
    "GROUPING_LEXICON",
    "MATCHING",
    "StemRule",
    "WordPolicy",
    "content_words",
    "fold",
    "ShortKeyCache",
    "proposition_key",
    "short_key_cache",
    "similarity",
    "stem",
    "strip_accents",
    "words",
]

#: the longest text a :func:`short_key_cache` keeps: a name, a claim; not a paragraph
SHORT_KEY = 400


class ShortKeyCache(Generic[P, R]):
    """A function of a text, with an LRU cache for short texts (:func:`short_key_cache`)."""

    def __init__(
        self, function: Callable[Concatenate[str, P], R], maxsize: int, longest: int
    ) -> None:
        self.function = function
        self.longest = longest
        self._cached = functools.lru_cache(maxsize=maxsize)(function)
        functools.update_wrapper(self, function)

    def __call__(self, text: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if len(text) > self.longest:
            return self.function(text, *args, **kwargs)
        return self._cached(text, *args, **kwargs)  # type: ignore[arg-type]  # lru: Hashable

    def cache_info(self) -> functools._CacheInfo:
        """Hits, misses and the entries held (``currsize``, at most ``maxsize``)."""
        return self._cached.cache_info()

    def cache_clear(self) -> None:
        self._cached.cache_clear()


def short_key_cache(
    maxsize: int, *, longest: int = SHORT_KEY
) -> Callable[[Callable[Concatenate[str, P], R]], ShortKeyCache[P, R]]:
    """An LRU cache of ``maxsize`` entries for a function of a text, kept for short texts only.

    The word functions are called again and again with the names and claims of one
    article (every pair of its speakers, every pair of its claims), which is what a
    cache is for; a corpus run calls them with new names and claims for every article,
    so what the cache holds must be bounded by what one article needs, not by the
    corpus (issue 25: caches of 65,536 entries keyed by per-article text grew the
    memory of a run from 117 MB at 500 articles to 204 MB at 20,000). ``maxsize``
    bounds the entries; ``longest`` keeps a caller that hands in a whole paragraph
    (a confidence check looks for a name in the text around a quote) from filling the
    cache with text it will never see again: such calls are computed, not kept.
    """

    def wrap(function: Callable[Concatenate[str, P], R]) -> ShortKeyCache[P, R]:
        return ShortKeyCache(function, maxsize, longest)

    return wrap


APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
"""Typographic apostrophes to ``'``."""


def strip_accents(text: str) -> str:
    """NFKD, then drop combining marks: "Zelénsky" -> "Zelensky" ("ß" stays)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Accents stripped and case folded: "Zelénsky" -> "zelensky"."""
    return strip_accents(text).casefold()


_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (letters and digits; apostrophes split)."""
    return _WORD.findall(fold(text).translate(APOSTROPHES))


def proposition_key(text: str) -> str:
    """A key under which two wordings are one proposition: folded words, in order.

    Case, accents, punctuation and spacing do not matter; every word does
    ("The president ordered the strike" and "The minister ordered the strike"
    are two propositions). Used to de-duplicate one speaker's claims.
    """
    return " ".join(words(text))


@dataclass(frozen=True)
class StemRule:
    """Light suffix stripping: the first matching suffix is replaced, if the stem stays long enough.

    A final "e" is then dropped from words longer than four letters, so that
    "involve" and "involved" meet.
    """

    #: (suffix, replacement) pairs, tried in order
    suffixes: tuple[tuple[str, str], ...]
    #: least letters left before the replacement
    min_stem: int


def stem(word: str, rule: StemRule) -> str:
    """``word`` stemmed by ``rule``: "attacks"/"attacked" -> "attack"."""
    for suffix, replacement in rule.suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= rule.min_stem:
            word = word[: len(word) - len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key of content_words
class WordPolicy:
    """How :func:`content_words` turns a proposition into a set of words.

    Steps, in order: accents stripped, apostrophes straightened; ``spellings``
    rewritten (patterns see the original case, so "US" the country is told
    from "us"); case folded; ``contractions`` rewritten; words found by
    ``word``; each word a negation (``negation`` token, or dropped when it is
    None), a ``lexicon`` entry (its token), a stop word (dropped), a single
    character (dropped) or else stemmed by ``stem``.
    """

    spellings: tuple[tuple[re.Pattern[str], str], ...]
    contractions: tuple[tuple[str, str], ...]
    word: re.Pattern[str]
    stop_words: frozenset[str]
    stem: StemRule
    negations: frozenset[str] = frozenset()
    negation: str | None = None
    lexicon: Mapping[str, str] = field(default_factory=dict)


@short_key_cache(4096)
def content_words(text: str, policy: WordPolicy) -> frozenset[str]:
    """The normalised content words of a proposition under ``policy``.

    >>> sorted(content_words("The U.S. did not take part in the attacks.", MATCHING))
    ['attack', 'part', 'take', 'usa']
    >>> sorted(content_words("Washington was behind the Kremlin drone strike.", GROUPING))
    ['attack', 'dron', 'involv', 'kremlin', 'usa']
    """
    text = strip_accents(text).replace("’", "'").replace("‘", "'")
    for pattern, replacement in policy.spellings:
        text = pattern.sub(replacement, text)
    text = text.casefold()
    for old, new in policy.contractions:
        text = text.replace(old, new)
    out: set[str] = set()
    for w in policy.word.findall(text):
        if w in policy.negations:
            if policy.negation is not None:
                out.add(policy.negation)
        elif w in policy.lexicon:
            out.add(policy.lexicon[w])
        elif w not in policy.stop_words and len(w) > 1:
            out.add(stem(w, policy.stem))
    return frozenset(out)


# --- the two policies --------------------------------------------------------------

_FUNCTION_WORDS = """a an the and or but if then than that this these those it its is are was
    were be been being am do does did doing have has had having of in on at to for from by with
    about as into onto over under after before since until while which who whom whose what when
    where why how there here he she they them his her their our we i you your my me him will
    would shall should can could may might must also just very such so too more most some any
    each every all both other another same own again further once only even still already yet
    said says say one itself themselves""".split()

MATCHING = WordPolicy(
    # Spellings of one name. Metonyms (Washington for the United States, Moscow
    # for Russia) are *not* folded: on the development pairs folding them made
    # unrelated claims of this one-war corpus look alike more often than it
    # rescued paraphrases (see eval/README.md ("How scoring works")).
    spellings=(
        (re.compile(r"\bU\.\s?S\.(?:\s?A\.)?"), " usa "),
        (re.compile(r"\bUSA?\b"), " usa "),  # before casefolding: "US" the country, not "us"
        (re.compile(r"\bunited states(?: of america)?\b", re.IGNORECASE), " usa "),
        (re.compile(r"\bkiev\b", re.IGNORECASE), " kyiv "),
        # Contractions, so that their negation is dropped with the other negations.
        (re.compile(r"\bwon't\b", re.IGNORECASE), "will not"),
        (re.compile(r"\bcan't\b", re.IGNORECASE), "can not"),
        (re.compile(r"n't\b", re.IGNORECASE), " not"),
    ),
    contractions=(("'s ", " "),),
    word=re.compile(r"[a-z0-9$]+(?:[.,][0-9]+)*"),
    # Function words, negation and reporting verbs. Negation is left out on
    # purpose: polarity belongs to the stance ("did not participate" is the
    # proposition "participated", refuted), so a negated paraphrase matches and
    # is scored on stance.
    stop_words=frozenset(
        [
            *_FUNCTION_WORDS,
            *"""us not no never nor neither none nothing saying told tell tells stated claim
            claims claimed claiming according alleged allegedly alleges reportedly speculating
            speculated speculate""".split(),
        ]
    ),
    stem=StemRule(
        suffixes=(
            ("ies", "y"),
            ("ments", ""),
            ("ment", ""),
            ("ings", ""),
            ("ing", ""),
            ("ed", ""),
            ("es", ""),
            ("s", ""),
            ("ly", ""),
        ),  # fmt: skip
        min_stem=3,
    ),
)
"""The eval's policy (:func:`claimx.eval.matching.proposition_similarity`): metonyms kept
apart, negation dropped (it is the stance's business)."""

_GROUPING_SETS: dict[str, str] = {
    # Metonyms: a capital or an adjective for the state as a source or actor.
    "usa": "us usa america american americans washington",
    "russia": "russia russian russians moscow",
    "ukraine": "ukraine ukrainian ukrainians kyiv kiev",
    # Near synonyms of conflict reporting.
    "attack": "attack attacks attacked attacking strike strikes struck striking assault raid hit",
    "involv": "involved involve involvement involving behind role participate participated "
    "participation responsible responsibility",
    "kill": "kill killing assassinate assassination assassinating murder",
    "lie": "lie lies lying lied liar untrue",
    "stage": "staged stage faked fake fabricated hoax",
    "terror": "terrorist terrorism terror",
    "decid": "decide decides decided decision decisions determine determines determined dictate "
    "dictated dictates",
    "select": "select selects selected choose chooses chose picks pick picked",
    "order": "tell tells told orders order obey obeys follow follows instructions instruct",
    "encourag": "encourage encourages encouraged urge urges urged",
    "enabl": "enable enables enabled allow allows allowed permit permits",
    "target": "target targets goal goals",
    "outsid": "outside beyond abroad",
    "ridicul": "ridiculous absurd laughable nonsense",
    "deni": "deny denies denied denial denials disown",
    "real": "real actual actually genuine",
}

GROUPING_LEXICON: Mapping[str, str] = {
    w: canon for canon, ws in _GROUPING_SETS.items() for w in ws.split()
}
"""Word -> lexicon token of :data:`GROUPING`, applied after folding and before stemming."""

GROUPING = WordPolicy(
    # Multi-word names and idioms, joined before tokenising.
    spellings=tuple(
        (re.compile(p, re.IGNORECASE), r)
        for p, r in (
            (r"\bu\.\s?s\.(?:\s?a\.)?", " usa "),
            (r"\bunited states(?: of america)?\b", " usa "),
            (r"\bwhite house\b", " whitehouse "),
            (r"\bfalse flag\b", " staged "),
            (r"\b(?:take|took|taken|taking|takes) part\b", " involved "),
            (r"\bcarr(?:y|ied|ies|ying) out\b", " perpetrate "),
            (r"\b(?:make|makes|making|made) it possible\b", " enable "),
        )
    ),
    contractions=(("n't", " not"), ("'s", "")),
    word=re.compile(r"[a-z0-9$]+"),
    stop_words=frozenset([*_FUNCTION_WORDS, "according", "per", "via"]),
    stem=StemRule(
        suffixes=tuple((s, "") for s in ("ments", "ment", "ings", "ing", "ed", "es", "s")),
        min_stem=4,
    ),
    negations=frozenset({"not", "no", "never", "nor", "neither", "none", "nothing"}),
    negation="not",
    lexicon=GROUPING_LEXICON,
)
"""The corpus grouping's policy (:mod:`claimx.consolidate`): metonyms and near synonyms
folded to one token (:data:`GROUPING_LEXICON`), negation kept as one ``not`` token."""


def similarity(a: str, b: str, policy: WordPolicy = MATCHING) -> float:
    """Dice coefficient of two texts' content words under ``policy``, 0..1 (0 when either
    has none): the eval's proposition similarity, and the extractor's check that a claim
    says what its evidence says."""
    wa, wb = content_words(a, policy), content_words(b, policy)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))
