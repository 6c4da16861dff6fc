"""Normalising and comparing names of sources (people, bodies, states).

Used by speaker resolution (within an article and across articles) and by the
evaluation's speaker scoring, so both apply one rule: case, punctuation,
honorifics and middle initials do not matter, and a surname alone matches the
full name when the article names only one person with that surname.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "lt", "col", "gen",
        "sgt", "capt", "maj", "adm", "rep", "sen", "gov", "president", "secretary",
        "minister", "the",
    }
)  # fmt: skip

_PUNCT = re.compile(r"[^\w\s]")


def _fold(s: str) -> str:
    # NFKD then drop combining marks: "Zelenskyy" stays, "Zelénsky" -> "zelensky".
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()


def name_tokens(name: str) -> list[str]:
    """Significant tokens of a name: folded, no punctuation, honorifics or middle initials.

    Only *middle* one-letter tokens are initials ("John F. Kirby"); leading ones
    are kept, so "U.S. officials" stays distinct from "Russian officials".
    """
    tokens = _PUNCT.sub(" ", _fold(name).replace("’", "'").replace("'s ", " ")).split()
    tokens = [t for t in tokens if t not in HONORIFICS]
    return [t for i, t in enumerate(tokens) if len(t) > 1 or i == 0 or i == len(tokens) - 1]


def normalize_name(name: str) -> str:
    """A canonical key for a name: "Mr. John F. Kirby" -> "john kirby"."""
    return " ".join(name_tokens(name))


def surname(name: str) -> str:
    """The last significant token, or "" for an empty name."""
    tokens = name_tokens(name)
    return tokens[-1] if tokens else ""


def same_speaker(a: str, b: str, article_names: Iterable[str] = ()) -> bool:
    """True when two names denote the same source.

    Equal after normalisation, or one is a single token equal to the other's
    surname and no other name in ``article_names`` shares that surname with a
    different first name (two Smiths in one article keep "Smith" ambiguous).
    """
    na, nb = name_tokens(a), name_tokens(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    (short, short_raw), full = ((na, a), nb) if len(na) <= len(nb) else ((nb, b), na)
    # The surname rule is for proper names only: "officials" is no surname.
    is_proper = short_raw.strip()[:1].isupper()
    if len(short) == 1 and len(full) > 1 and short[0] == full[-1] and is_proper:
        full_key = " ".join(full)
        rivals = {
            normalize_name(n)
            for n in article_names
            if len(name_tokens(n)) > 1 and surname(n) == short[0]
        }
        return rivals <= {full_key}
    # "John Kirby" vs "John F. Kirby" already equal; "Kirby John" is not.
    return False
