"""The one rule for "are these two names one source?": :func:`same_source`.

Its parts (:func:`same_person`, :func:`group_key`, :func:`is_personish`) are what
the extractor's per-article resolver (:mod:`claimx.speakers.resolve`) and the
corpus registry (:mod:`claimx.speakers.registry`) merge speakers with; the whole
rule is what the gold checker (:mod:`claimx.eval.gold`), the eval's matching and
metrics (:mod:`claimx.eval.matching`, :mod:`claimx.eval.metrics`), its detection
scores of corpus sources as written (:mod:`claimx.eval.detection`) and the
targeted-stance scores (:mod:`claimx.targeted`) count a speaker right with, so
a speaker the extractor merges is one the scorer counts as right.

Two names are one source when

1. they are equal after folding case, accents, punctuation, honorifics and
   middle initials ("Mr. John F. Kirby" = "John Kirby"; :func:`name_tokens`), or
   their body/group keys are equal ("U.S. officials" = "US officials",
   "The White House" = "White House", "Ukraine's air force" = "Ukrainian Air
   Force", "the Kremlin administration" = "Kremlin"; :func:`group_key`);
2. both are full names of people (:func:`is_personish`, two name words or
   more) and :func:`same_person` says so: the surnames are equal after
   transliteration folding (:func:`translit`: y→i, x→ks, kh→h, doubled letters
   collapsed: Zelensky = Zelenskyy = Zelenskiy), and the first names are equal
   after that folding or have a :func:`rapidfuzz.fuzz.ratio` of at least
   :data:`FIRST_NAME_THRESHOLD` without one being a prefix of the other
   (Dmitry = Dmitri = Dimitri, Antony = Anthony; John ≠ Jane, Daniel ≠ Daniela,
   Alex ≠ Alexander). Middle names are ignored. Bodies never use this rule:
   "Russian Defense Ministry" is not "Russian Foreign Ministry";
3. one is a proper surname alone ("Peskov", "Mr Peskov") equal after
   transliteration folding to the other's last word, and no other name of the
   ``context`` (the other names of the article) ending in that word is a
   different source: two Smiths in one article keep "Smith" ambiguous.
   "officials" (not capitalised) is no surname.

4. one is an acronym of the other's capitalised words ("US" = "U.S." =
   "United States", "ICC" = "International Criminal Court", "ISW" =
   "Institute for the Study of War"; function words do not count);
5. a body's name of three words or more is the end of the other's, which only
   adds a description before it ("The Washington-based Institute for the
   Study of War" = "Institute for the Study of War");
6. likewise a person's full name (rule 2's) is the end of the other's, which
   only adds a description before it, as a source written out in the text
   carries it: "Republican nominee Donald Trump", "Kremlin spokesman Dmitry
   Peskov", "Senator Jane Doe" are "Donald Trump", "Dmitry Peskov", "Jane Doe"
   (the annotation standard keeps such descriptors in ``speaker_role``, never in
   the name). Not when the name is what the description is of ("allies of
   Donald Trump", "Hillary Clinton and Tim Kaine": a function word before it),
   nor when it does not end the other ("Donald Trump's campaign", "the Trump
   campaign": a campaign, like any body, is a source apart from its candidate).
   A first name before a full name reads as a description too: "John Quincy
   Adams" is "Quincy Adams".

Every rule compares the **names** only: a name's appositive or relative clause
(from its first comma, an opening bracket, or "who", "which", "that") is left
out first, of both names and of the context: "Gonzalez, 55, of Brigantine" is
"Gonzalez" (then rule 3), "Sen. Jim Whelan who represents the city" is
"Jim Whelan", "Rep. Ryan (R-WI)" is "Ryan"; so is a description set off before
the name (a lower-case word, a comma, a capital): "Apple's chief executive,
Tim Cook," is "Tim Cook". A possessive ending is no part of a name: a source
written as "Trump's" (in "Trump's claim that ...") is "Trump".

The resolver applies rule 3 itself, with the names of the article text as
context, because it has to decide which of several people a surname denotes;
it applies it to people only. Here rule 3 also joins a capitalised word to a
body or group ending in it ("Kyiv" = "officials in Kyiv", "Times" = "New York
Times"), as the scorer always has: restricting it to people changes the eval's
speaker figures, so it is left for a decision of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from claimx.speakers.lexicon import (
    ARTICLES,
    DEMONYMS,
    FUNCTION_WORDS,
    HONORIFICS,
    ORG_WORDS,
    PARTICLES,
    PLACES,
)
from claimx.text.normalize import APOSTROPHES, fold, short_key_cache

__all__ = [
    "FIRST_NAME_THRESHOLD",
    "INITIAL",
    "UNKNOWN_SPEAKER_ID",
    "distinct_sources",
    "group_key",
    "is_full",
    "is_personish",
    "name_part",
    "name_tokens",
    "normalize_name",
    "person_tokens",
    "same_person",
    "same_source",
    "slugify",
    "surname_key",
    "translit",
    "unique_id",
]

FIRST_NAME_THRESHOLD = 85.0
"""Least rapidfuzz ratio of two transliteration-folded first names of one person.
Dmitri/Dimitri score 92, Jon/John 86, Mark/Mary 75, John/Jane 50."""

UNKNOWN_SPEAKER_ID = "unknown"

#: entries of each name cache: the names of one article many times over (the resolver
#: and the registry compare every pair of them), not those of a corpus (see
#: :func:`claimx.text.normalize.short_key_cache`)
NAME_CACHE = 4096
#: the longest name a name cache keeps: a longer text is a paragraph searched for a name
NAME_KEY = 100

_PUNCT = re.compile(r"[^\w\s]")
_POSSESSIVE = re.compile(r"'s\b")
"""A possessive ending: "Trump's" is Trump, as a source written in the text ("Trump's claim")."""
# A state's government by another name: "the Kremlin administration" is the Kremlin (the
# annotation standard names a government as a whole by its state: "Russia", "Kremlin").
_STATE_GOVERNMENT = re.compile(
    rf"^((?:the\s+)?(?:{'|'.join(sorted(PLACES))}))\s+(?:administration|government)$"
)
_STATE_POSSESSIVE = re.compile(rf"^((?:the\s+)?)({'|'.join(sorted(DEMONYMS))})'s(?=\s+\w)")
"""A state's possessive opening a body's name ("Ukraine's air force"): its adjective."""
INITIAL = re.compile(r"^[A-Z]\.?$")
"""A one-letter initial, with or without its dot."""


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def name_tokens(name: str) -> tuple[str, ...]:
    """Significant tokens of a name: folded, no punctuation, honorifics or middle initials.

    Only *middle* one-letter tokens are initials ("John F. Kirby"); leading ones
    are kept, so "U.S. officials" stays distinct from "Russian officials".
    """
    tokens = _PUNCT.sub(" ", _POSSESSIVE.sub("", fold(name).replace("’", "'"))).split()
    tokens = [t for t in tokens if t not in HONORIFICS]
    return tuple(t for i, t in enumerate(tokens) if len(t) > 1 or i in (0, len(tokens) - 1))


def normalize_name(name: str) -> str:
    """A canonical key for a name: "Mr. John F. Kirby" -> "john kirby"."""
    return " ".join(name_tokens(name))


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def person_tokens(name: str) -> tuple[str, ...]:
    """A person's name words: folded, without honorifics, possessives or initials."""
    tokens = re.sub(r"[^\w\s'-]", " ", fold(name).translate(APOSTROPHES)).split()
    out = []
    for tok in tokens:
        tok = tok.strip("'-")
        if tok.endswith("'s"):
            tok = tok[:-2]
        if len(tok) > 1 and tok not in HONORIFICS:
            out.append(tok)
    return tuple(out)


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def translit(token: str) -> str:
    """A name word folded where transliterations of one Cyrillic or Arabic name differ:
    Dmitry/Dmitri/Dmitriy, Zelensky/Zelenskyy, Alexander/Aleksandr, Mikhail/Mihail."""
    t = fold(token).replace("kh", "h").replace("x", "ks").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", t)


def surname_key(name: str) -> str:
    """The transliteration-folded last name word, or "" for a name without one."""
    tokens = person_tokens(name)
    return translit(tokens[-1]) if tokens else ""


def is_full(name: str) -> bool:
    """A first name and a surname at least (not a surname alone)."""
    return len(person_tokens(name)) >= 2


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def group_key(name: str) -> str:
    """Key of a body or group: "The White House" -> "white house",
    "U. S. officials" -> "us officials", "Ukraine's air force" -> "ukrainian air force"."""
    s = fold(name).translate(APOSTROPHES)
    s = _STATE_POSSESSIVE.sub(lambda m: m[1] + DEMONYMS[m[2]], s)
    s = _STATE_GOVERNMENT.sub(r"\1", s)
    s = re.sub(r"\b(\w)\.\s?(?=\w\.)", r"\1", s)  # U. S. -> US.
    s = re.sub(r"[^\w\s]", "", s)
    tokens = s.split()
    while tokens and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def slugify(name: str) -> str:
    """A stable id for a name: "Dmitry Peskov" -> "dmitry-peskov",
    "U. S. officials" -> "us-officials"."""
    return re.sub(r"[^\w]+", "-", group_key(name)).strip("-_") or UNKNOWN_SPEAKER_ID


def unique_id(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``used`` yet."""
    sid, n = base, 2
    while sid in used:
        sid, n = f"{base}-{n}", n + 1
    return sid


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def is_personish(name: str) -> bool:
    """Could ``name`` be a person's name (as opposed to a body, place or group)?"""
    raw = name.split()
    if not raw or len(raw) > 5:
        return False
    for tok in raw:
        core = tok.strip("\"“”‘’'(),")
        if core.casefold() in PARTICLES:
            continue
        if not core or not (core[0].isupper() or INITIAL.match(core)):
            return False
        if len(core) > 1 and core.isupper() and not INITIAL.match(core):
            return False  # CNN, NATO, RIA: acronyms are bodies
    tokens = person_tokens(name)
    if not tokens or any(t in ORG_WORDS for t in tokens):
        return False
    return not (len(tokens) == 1 and tokens[0] in PLACES)


def _first_names_match(a: str, b: str, threshold: float) -> bool:
    ta, tb = translit(a), translit(b)
    if ta == tb:
        return True
    if ta.startswith(tb) or tb.startswith(ta):
        # Daniel/Daniela, Alex/Alexander: variants of different people as often as not.
        return False
    return fuzz.ratio(ta, tb) >= threshold


def same_person(a: str, b: str, *, threshold: float = FIRST_NAME_THRESHOLD) -> bool:
    """True when two full names (first name and surname) denote one person (rule 2).

    A name of one word is never a full name here: a surname alone needs the
    context of who else is named (rule 3 of :func:`same_source`).
    """
    ta, tb = person_tokens(a), person_tokens(b)
    if len(ta) < 2 or len(tb) < 2:
        return False
    if translit(ta[-1]) != translit(tb[-1]):
        return False
    return _first_names_match(ta[0], tb[0], threshold)


_ACRONYM = re.compile(r"^(?:[A-Z]\.?\s?){2,6}$")


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def acronym(name: str) -> str:
    """The initials of a name's capitalised words, function words out:
    "International Criminal Court" -> "icc"; "" when fewer than two."""
    words = [w for w in re.findall(r"[\w’'-]+", name) if w.casefold() not in FUNCTION_WORDS]
    initials = [w[0] for w in words if w[0].isupper()]
    return (
        "".join(initials).casefold() if len(initials) >= 2 and len(initials) == len(words) else ""
    )


def _is_acronym_of(short: str, full: str) -> bool:
    """Rule 4: ``short`` ("U.S.", "ICC") is written in capitals and is ``full``'s acronym."""
    core = fold(short).strip()
    for article in ("the ", "The "):
        core = core.removeprefix(article)
    if not _ACRONYM.match(short.strip().removeprefix("the ").removeprefix("The ")):
        return False
    return bool(acronym(full)) and re.sub(r"[\W_]", "", core).casefold() == acronym(full)


# Where a name's appositive or relative clause begins: "Gonzalez, 55, of Brigantine",
# "Sen. Jim Whelan who represents Atlantic City", "Rep. Ryan (R-WI)".
_APPOSITIVE = re.compile(r",|\s\(|\s(?:who|which|that)\s")
# A description set off before the name: "Apple's chief executive, Tim Cook,", "his running
# mate, Indiana Gov. Mike Pence": a lower-case word, a comma, then a capital.
_DESCRIPTION_FIRST = re.compile(r"^[^,]*\b[a-z][\w-]*\s*,\s*(?=[A-Z])")


@short_key_cache(NAME_CACHE, longest=NAME_KEY)
def name_part(name: str) -> str:
    """``name`` without its appositive or relative clause, or the description set off
    before it (module doc); all of it if nothing is left."""
    rest = _DESCRIPTION_FIRST.sub("", name.strip(), count=1)
    head = _APPOSITIVE.split(rest, maxsplit=1)[0].strip()
    return head or name


def _described(a: str, b: str) -> bool:
    """Rule 6: one is a person's full name that ends the other, after a description."""
    na, nb = name_tokens(a), name_tokens(b)
    (short, short_raw), long = ((na, a), nb) if len(na) < len(nb) else ((nb, b), na)
    if len(short) < 2 or len(long) <= len(short) or long[-len(short) :] != short:
        return False
    if long[-len(short) - 1] in FUNCTION_WORDS:  # "allies of X", "Y and X"
        return False
    return is_personish(short_raw) and is_full(short_raw)


def _same_full(a: str, b: str, threshold: float) -> bool:
    """Rules 1, 2, 4, 5 and 6: one source without looking at the context."""
    na, nb = name_tokens(a), name_tokens(b)
    if not na or not nb:
        return False
    ga, gb = group_key(a), group_key(b)
    if na == nb or (ga and ga == gb):
        return True
    if _is_acronym_of(a, b) or _is_acronym_of(b, a):
        return True
    short, long = sorted((ga.split(), gb.split()), key=len)
    if len(short) >= 3 and long[-len(short) :] == short and not is_personish(a):
        return True
    if _described(a, b):
        return True
    return (
        is_personish(a)
        and is_personish(b)
        and is_full(a)
        and is_full(b)
        and same_person(a, b, threshold=threshold)
    )


def same_source(
    a: str, b: str, context: Iterable[str] = (), *, threshold: float = FIRST_NAME_THRESHOLD
) -> bool:
    """True when two names denote the same source (the rules of the module docstring).

    ``context``: the other names of the article, for the surname rule.
    """
    a, b = name_part(a), name_part(b)
    if _same_full(a, b, threshold):
        return True
    na, nb = name_tokens(a), name_tokens(b)
    if not na or not nb:
        return False
    (short, short_raw), (full, full_raw) = (
        ((na, a), (nb, b)) if len(na) <= len(nb) else ((nb, b), (na, a))
    )
    # The surname rule is for proper names only: "officials" is no surname.
    if len(short) != 1 or len(full) < 2 or not short_raw.strip()[:1].isupper():
        return False
    key = translit(short[0])
    if key != translit(full[-1]):
        return False
    return not any(
        len(name_tokens(n)) > 1
        and translit(name_tokens(n)[-1]) == key
        and not _same_full(n, full_raw, threshold)
        for n in map(name_part, context)
    )


def distinct_sources(names: Sequence[str], context: Sequence[str] = ()) -> list[str]:
    """One name per distinct source, in order: names :func:`same_source` joins count once."""
    kept: list[str] = []
    for name in names:
        if not name_tokens(name):
            continue
        if not any(same_source(name, k, context) for k in kept):
            kept.append(name)
    return kept
