"""Whom a source speaks for: organisation and country, from its name and role.

The matrix page groups its columns by these, so that one side is not split
over many columns: John Kirby ("spokesperson for the White House National
Security Council") → White House → United States; "U.S. officials" →
United States; Dmitry Peskov ("Kremlin spokesman", "Putin's press
secretary") → Kremlin → Russia.

The rule, offline and lexical: the speaker's name is read first, then its
aliases, then its role (the most used descriptor, as the corpus registry
:class:`~claimx.speakers.registry.SpeakerRegistry` gives it).
The earliest organisation of :data:`ORGANISATIONS` found gives the
organisation and its country; otherwise the earliest country word
("U.S.", "Russian", "Kyiv"…) gives the country. A role that starts with
"former" says nothing about whom the speaker speaks for now, so it is not
read. Organisations without a country (the UN, think tanks) keep none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimx.consolidate.lexicon import fold
from claimx.consolidate.model import Affiliation
from claimx.models import Speaker

__all__ = ["ORGANISATIONS", "affiliation", "affiliations"]

US, RUSSIA, UKRAINE, UK = "United States", "Russia", "Ukraine", "United Kingdom"

ORGANISATIONS: tuple[tuple[str, str | None, str], ...] = (
    ("White House", US, r"white house|national security council|\bnsc\b"),
    ("Pentagon", US, r"pentagon|department of defen[cs]e|defen[cs]e department|\bdod\b"),
    ("State Department", US, r"state department|department of state|secretary of state"),
    ("Defense Intelligence Agency", US, r"defen[cs]e intelligence agency"),
    ("Kremlin", RUSSIA, r"kremlin|\bputin\b|president of the russian federation"),
    (
        "Russian Foreign Ministry",
        RUSSIA,
        r"russian (?:ambassador|embassy|foreign ministry)|foreign ministry of russia",
    ),
    (
        "Office of the President of Ukraine",
        UKRAINE,
        r"president of ukraine|ukrainian president|zelensk",
    ),
    (
        "Ukrainian armed forces",
        UKRAINE,
        r"ukrainian (?:air force|armed forces|forces|military)|ukraine's [\w ]*military command",
    ),
    ("British Defence Ministry", UK, r"british (?:defen[cs]e )?ministry|uk ministry of defen"),
    ("United Nations", None, r"united nations"),
    ("International Criminal Court", None, r"international criminal court"),
    ("Institute for the Study of War", None, r"institute for the study of war"),
    ("Council on Foreign Relations", None, r"council on foreign relations"),
    ("NATO", None, r"\bnato\b"),
)
"""(organisation, its country or None, pattern on folded text), most specific first."""

_ORG_PATTERNS = [(org, country, re.compile(p)) for org, country, p in ORGANISATIONS]
_COUNTRY_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (country, re.compile(p))
    for country, p in (
        (US, r"\bu\.\s?s\.|\bus\b|\busa\b|united states|america|washington"),
        (RUSSIA, r"russia|moscow"),
        (UKRAINE, r"ukrain|\bkyiv\b|\bkiev\b"),
        (UK, r"\bbritish\b|\bbritain\b|\bu\.?k\.?\b|london"),
    )
)


def _first(patterns: Sequence[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    hits = [(m.start(), value) for value, p in patterns if (m := p.search(text))]
    return min(hits)[1] if hits else None


def affiliation(speaker: Speaker) -> Affiliation:
    """The organisation and country a source speaks for (see the module docstring)."""
    texts = [fold(speaker.name), *(fold(a) for a in speaker.aliases)]
    role = fold(speaker.role or "").strip()
    if role and not role.startswith("former"):
        texts.append(role)
    for text in texts:
        hits = [
            (m.start(), org, country) for org, country, p in _ORG_PATTERNS if (m := p.search(text))
        ]
        if hits:
            _, org, country = min(hits)
            return Affiliation(speaker_id=speaker.id, organisation=org, country=country)
    for text in texts:
        country = _first(_COUNTRY_WORDS, text)
        if country is not None:
            return Affiliation(speaker_id=speaker.id, organisation=None, country=country)
    return Affiliation(speaker_id=speaker.id, organisation=None, country=None)


def affiliations(speakers: Sequence[Speaker]) -> list[Affiliation]:
    """:func:`affiliation` of every speaker, in order."""
    return [affiliation(s) for s in speakers]
