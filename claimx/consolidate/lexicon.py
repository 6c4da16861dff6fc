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
import unicodedata
from collections.abc import Mapping

__all__ = ["META_STEMS", "SYNONYMS", "anchors", "content_words", "fold"]

_STOP = frozenset(
    """a an the and or but if then than that this these those it its is are was were be been
    being am do does did doing have has had having of in on at to for from by with about as into
    onto over under after before since until while which who whom whose what when where why how
    there here he she they them his her their our we i you your my me him will would shall
    should can could may might must also just very such so too more most some any each every all
    both other another same own again further once only even still already yet said says say
    according per via itself themselves one""".split()
)
_NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "none", "nothing"})

# Multi-word names and idioms, joined before tokenising.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bu\.\s?s\.(?:\s?a\.)?", " usa "),
        (r"\bunited states(?: of america)?\b", " usa "),
        (r"\bwhite house\b", " whitehouse "),
        (r"\bfalse flag\b", " staged "),
        (r"\b(?:take|took|taken|taking|takes) part\b", " involved "),
        (r"\bcarr(?:y|ied|ies|ying) out\b", " perpetrate "),
        (r"\b(?:make|makes|making|made) it possible\b", " enable "),
    )
)

_SYNONYM_SETS: dict[str, str] = {
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
SYNONYMS: Mapping[str, str] = {w: canon for canon, ws in _SYNONYM_SETS.items() for w in ws.split()}
"""Word -> lexicon token, applied after folding and before stemming."""

META_STEMS = frozenset({"lie", "liar", "ridicul", "disinformation", "propaganda"})
"""Stems that turn a proposition into a claim *about* someone's statement of it:
"The Kremlin is lying about the US role in the attack" is not "The US was
involved in the attack", however many words they share."""

_WORD = re.compile(r"[a-z0-9$]+")
_SUFFIXES = ("ments", "ment", "ings", "ing", "ed", "es", "s")


def fold(s: str) -> str:
    """Case- and accent-folded text with typographic apostrophes made plain."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold().replace("’", "'")


def _stem(word: str) -> str:
    # Crude on purpose: it only has to make "attacks"/"attacked" and
    # "involved"/"involvement" meet, and it must be stable.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def content_words(claim: str) -> frozenset[str]:
    """The normalised content words of a proposition (see the module docstring).

    >>> sorted(content_words("Washington was behind the Kremlin drone strike."))
    ['attack', 'dron', 'involv', 'kremlin', 'usa']
    """
    s = fold(claim)
    for pattern, replacement in _PHRASES:
        s = pattern.sub(replacement, s)
    s = s.replace("n't", " not").replace("'s", "")
    words: set[str] = set()
    for w in _WORD.findall(s):
        if w in _NEGATIONS:
            words.add("not")
        elif w in SYNONYMS:
            words.add(SYNONYMS[w])
        elif w not in _STOP and len(w) > 1:
            words.add(_stem(w))
    return frozenset(words)


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
