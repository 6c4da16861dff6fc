"""The words of a proposition, as the grouping compares them (no model, no download).

* :func:`content_words`: the claim is case- and accent-folded, "U.S."/"United
  States" and a few other multi-word names are joined, "n't"/"no"/"never"/
  "nothing" become one ``not`` token (kept: it distinguishes propositions),
  stop words are dropped, words are crudely stemmed, and a small lexicon
  (:data:`SYNONYMS`) maps metonyms and near synonyms of political news to one
  token: Washington/America/US → ``usa``, Kyiv/Ukrainian → ``ukraine``,
  Moscow/Russian → ``russia``, strike/assault → ``attack``,
  behind/role/involvement → ``involv``, false flag/faked → ``stage``…
* :func:`anchors`: the numbers, dates and named months of a claim ("$300
  million", "May 9", "2023", "two drones"). Two claims that both carry
  anchors and do not carry the same ones never state one proposition: "the
  parade will go ahead in May" is not "... in June", however many words they
  share. Weekdays are not anchors: they are relative to the day an article
  was published, so two outlets give one event different weekdays.
* :data:`META_STEMS`: words that make a claim a claim *about* someone's
  statement ("X is lying about ...").
"""

from __future__ import annotations

import re

from claimx.text import normalize
from claimx.text.normalize import GROUPING, GROUPING_LEXICON, fold

__all__ = ["META_STEMS", "SYNONYMS", "anchors", "content_words", "fold"]

SYNONYMS = GROUPING_LEXICON
"""Word -> lexicon token (:data:`claimx.text.normalize.GROUPING_LEXICON`)."""

META_STEMS = frozenset({"lie", "liar", "ridicul", "disinformation", "propaganda"})
"""Stems that turn a proposition into a claim *about* someone's statement of it:
"The Kremlin is lying about the US role in the attack" is not "The US was
involved in the attack", however many words they share."""


def content_words(claim: str) -> frozenset[str]:
    """The normalised content words of a proposition (the text layer's grouping policy).

    >>> sorted(content_words("Washington was behind the Kremlin drone strike."))
    ['attack', 'dron', 'involv', 'kremlin', 'usa']
    """
    return normalize.content_words(claim, GROUPING)


# --- anchors: numbers, dates, named months ----------------------------------------

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            "january jan", "february feb", "march mar", "april apr", "may", "june jun",
            "july jul", "august aug", "september sep sept", "october oct",
            "november nov", "december dec",
        ),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
    if i >= 2  # "one" is mostly a pronoun ("the one on the Kremlin")
}
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "percent": 1.0, "%": 1.0,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(%|(?:thousand|million|billion|trillion|"
    r"percent|bn|mn|k|m|b)\b)?",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z]+")
# "May" is a month, not the verb, when it is capitalised inside a sentence or
# stands next to a number ("May 9", "9 May", "in May 2023").
_MAY_CONTEXT = re.compile(r"\d\s*$|^\s*\d")


def _number(digits: str, decimals: str | None, scale: str | None) -> str:
    value = float(digits.replace(",", "") + (f".{decimals}" if decimals else ""))
    value *= _SCALES.get((scale or "").casefold(), 1.0)
    return f"n:{value:g}"


def anchors(claim: str) -> frozenset[str]:
    """The numbers, dates and named months of a claim, normalised.

    >>> sorted(anchors("The $300 million package arrives on May 9."))
    ['month:5', 'n:3e+08', 'n:9']
    >>> sorted(anchors("Russia may retaliate with two drones in June."))
    ['month:6', 'n:2']
    """
    found: set[str] = set()
    for m in _NUMBER.finditer(claim):
        found.add(_number(m.group(1), m.group(2), m.group(3)))
    for m in _TOKEN.finditer(claim):
        word = m.group(0)
        low = word.casefold()
        if low in _NUMBER_WORDS:
            found.add(f"n:{_NUMBER_WORDS[low]:g}")
        elif low == "may":
            before, after = claim[: m.start()], claim[m.end() :]
            inside = bool(before.strip()) and not before.rstrip().endswith((".", "!", "?"))
            if (
                (word == "May" and inside)
                or _MAY_CONTEXT.search(before[-3:] or "x")
                or (_MAY_CONTEXT.search(after[:3] or "x"))
            ):
                found.add("month:5")
        elif low in _MONTHS and word[0].isupper():
            # Capitalised only: "march" and "dec" in lower case are not months.
            found.add(f"month:{_MONTHS[low]}")
    return frozenset(found)
