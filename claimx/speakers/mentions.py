"""Parsing a speaker string into a name and a descriptor, and finding names in text.

"Mr Putin’s spokesman Dmitry Peskov" → name "Dmitry Peskov", role "Mr Putin’s
spokesman"; "Dmitry Peskov, the Kremlin spokesman" likewise; "the Kremlin
spokesman" is a role only; "U.S. officials" an unnamed group
(:func:`parse_mention`). :func:`text_names` finds the people an article text
names (:func:`name_runs`: every capitalised run, with its span),
:func:`role_matches` tells whether two descriptors are one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from claimx.speakers.identity import INITIAL, NAME_CACHE, NAME_KEY, is_personish, person_tokens
from claimx.speakers.lexicon import (
    ARTICLES,
    COURTESY,
    FUNCTION_WORDS,
    ROLE_NOUNS,
    RUN_STOP_WORDS,
    TITLE_WORDS,
    UNKNOWN_MENTIONS,
    WEEKDAYS,
)
from claimx.text.furniture import unglue_menu
from claimx.text.normalize import APOSTROPHES, fold, short_key_cache
from claimx.text.spans import Span

__all__ = [
    "NAME_TOKEN",
    "Mention",
    "MentionKind",
    "fullest",
    "name_runs",
    "parse_mention",
    "role_key",
    "role_matches",
    "split_titles",
    "text_names",
    "without_full_stop",
]

MentionKind = Literal["name", "role", "group", "unknown"]

#: stop words of a run that open the name of a body ("White House", "National Guard")
_BODY_OPENERS = frozenset(
    "russian ukrainian american british us u.s. western european french german chinese"
    " national white".split()
)

#: an acronym written with dots: "U.S.", "U.K."
_DOTTED = r"(?:[A-Z]\.){2,}"
NAME_TOKEN = rf"(?:{_DOTTED}|[A-Z][\w’'\-]*\.?|[A-Z]\.)"
_TEXT_NAME = re.compile(rf"{NAME_TOKEN}(?:[ \t]+(?:{NAME_TOKEN}|(?:de|van|von|bin|al)(?=[ \t])))*")
#: words a run made only of names nobody ("The" opening "The mayor said")
_NOT_NAMES = RUN_STOP_WORDS | ARTICLES


@short_key_cache(NAME_CACHE, longest=NAME_KEY)  # one article's names, not a corpus's
def role_key(role: str) -> str:
    s = fold(role).translate(APOSTROPHES).replace("'s", "")
    s = re.sub(r"(?<=\w)\.(?=\w)", "", s)
    tokens = re.sub(r"[^\w\s]", " ", s).split()
    return " ".join(t for t in tokens if t not in ARTICLES and t not in {"mr", "mrs", "ms", "dr"})


def role_matches(a: str, b: str) -> bool:
    """Descriptors equal after folding, or one a 2+-word ending of the other."""
    ka, kb = role_key(a).split(), role_key(b).split()
    if not ka or not kb:
        return False
    short, long_ = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    return short == long_[-len(short) :] and (len(short) >= 2 or short == long_)


def _is_name_token(tok: str) -> bool:
    core = tok.strip("\"“”‘’'()[]")
    if not core:
        return False
    if core.endswith(("’s", "'s")):
        return False  # "Putin’s spokesman": a possessive belongs to the descriptor
    return core[0].isupper() or bool(INITIAL.match(core))


@dataclass(frozen=True)
class Mention:
    """A speaker string parsed into a name and a descriptor."""

    raw: str
    name: str
    role: str | None
    kind: MentionKind


def split_titles(run: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run after its last title word: "Secretary of State Antony Blinken"
    -> ("... State", "Antony Blinken"), "Lt. Col. Garron Garn" -> ("Lt. Col.", "Garron Garn").
    A run of titles only ("President") has no name."""
    cut = 0
    for i, tok in enumerate(run):
        if _word(tok) in TITLE_WORDS:
            cut = i + 1
    return run[:cut], run[cut:]


def _word(tok: str) -> str:
    return fold(tok).translate(APOSTROPHES).strip('.,;:"“”()')


def _is_plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


_ACRONYM_END = re.compile(rf"(?<![\w.]){_DOTTED}$")


def without_full_stop(written: str) -> str:
    """``written`` without the full stop of its sentence: "Vladimir Zelensky." ->
    "Vladimir Zelensky"; an acronym keeps its last dot ("U.S.")."""
    return written if _ACRONYM_END.search(written) else written.rstrip(".")


@short_key_cache(NAME_CACHE, longest=NAME_KEY)  # one article's names, not a corpus's
def parse_mention(raw: str, role: str | None = None) -> Mention:
    """Parse a speaker string: "Mr Putin’s spokesman Dmitry Peskov" ->
    name "Dmitry Peskov", role "Mr Putin’s spokesman", kind "name".

    ``role`` (the claim's ``speaker_role``) wins over a descriptor found in
    ``raw``. Kinds: ``name`` (a person, body or state named), ``role`` (only a
    descriptor: "the Kremlin spokesman"), ``group`` (an unnamed plural source:
    "U.S. officials"), ``unknown`` (empty or a pronoun).
    """
    text = unglue_menu(without_full_stop(" ".join(raw.split()).strip(' ,;:"“”')))
    given_role = role.strip() if role and role.strip() else None
    if fold(text) in UNKNOWN_MENTIONS:
        return Mention(raw, "", given_role, "unknown")
    name_part, embedded = text, None
    if "," in text:
        # "Dmitry Peskov, the Kremlin spokesman"
        left, right = (p.strip() for p in text.split(",", 1))
        if (
            left
            and right
            and ({_word(t) for t in right.split()} & ROLE_NOUNS or right[0].islower())
        ):
            name_part, embedded = left, right
    if name_part.split(" ", 1)[0] in ARTICLES and " " in name_part:
        name_part = name_part.split(" ", 1)[1]  # "the air force" -> "air force"
    tokens = name_part.split()
    words = [_word(t) for t in tokens]
    has_role_noun = bool(set(words) & ROLE_NOUNS)
    k = len(tokens)
    while k > 0 and _is_name_token(tokens[k - 1]):
        k -= 1
    prefix, run = tokens[:k], tokens[k:]
    titles, name_tokens = split_titles(run)
    if run and prefix and words[k - 1] in FUNCTION_WORDS and not (titles and has_role_noun):
        # "spokesman for the U.S. National Security Council", "Council on Foreign
        # Relations": the capitals complete a descriptor or a body's name. But
        # "Secretary of State Antony Blinken" is a role, a title and a name.
        titles, name_tokens = [], []
    if not name_tokens:
        if has_role_noun and not _is_plural(words[-1]):
            # "the Kremlin spokesman", "Putin's spokesman", "the President".
            return Mention(raw, "", given_role or name_part, "role")
        # "U.S. officials" is an unnamed group; "Council on Foreign Relations" a name.
        plural = _is_plural(words[-1]) and tokens[-1][:1].islower()
        kind: MentionKind = "group" if plural else "name"
        return Mention(raw, name_part, given_role or embedded, kind)
    prefix = prefix + titles
    prefix_words = {_word(t) for t in prefix}
    descriptive = bool(
        prefix_words & (ROLE_NOUNS | TITLE_WORDS) or any(w.endswith("'s") for w in prefix_words)
    )
    if prefix and not descriptive:
        # "Ukrainian Air Force", "White House": one name, not a descriptor and a name.
        return Mention(raw, name_part, given_role or embedded, "name")
    descriptor = " ".join(prefix).strip(" ,") or None
    if descriptor and prefix_words <= COURTESY:
        descriptor = None  # "Mr Kirby", "The White House": no descriptor
    return Mention(raw, " ".join(name_tokens), given_role or embedded or descriptor, "name")


def name_runs(text: str, *, titles: bool = True) -> list[tuple[Span, str]]:
    """Capitalised runs of running text, titles and stop words cut, with their spans.

    "Ukrainian President Volodymyr Zelensky" -> "Volodymyr Zelensky", "In Kyiv"
    -> "Kyiv"; a run of titles or stop words only is left out. In order of
    appearance. ``titles=False`` cuts only the leading stop words, and keeps those
    that open a body's name ("In White House" -> "White House", "Russian Defense
    Ministry" stays whole), for :func:`parse_mention` to read.
    """
    out: list[tuple[Span, str]] = []
    for m in _TEXT_NAME.finditer(text):
        run = list(re.finditer(r"\S+", m.group()))
        # Keep what follows the last title or stop word.
        cut = 0
        for i, tok in enumerate(run):
            w = fold(tok.group()).strip(".").translate(APOSTROPHES)
            if not titles:
                if w not in RUN_STOP_WORDS or w in _BODY_OPENERS:
                    break  # only the leading stop words: "White House" stays whole
                cut = i + 1
            elif w in TITLE_WORDS or w in RUN_STOP_WORDS or w.endswith("'s"):
                cut = i + 1
        # A weekday ending a run is the date of the sentence, not part of a name
        # ("blamed the U.S. Thursday for").
        while len(run) > cut + 1 and fold(run[-1].group()).strip(".,") in WEEKDAYS:
            run.pop()
        # "The" opening "The mayor said" names nobody; "The US" does (an acronym).
        if cut < len(run) and not all(
            fold(tok.group()).strip(".") in _NOT_NAMES and not tok.group().isupper()
            for tok in run[cut:]
        ):
            span = Span(m.start() + run[cut].start(), m.start() + run[-1].end())
            out.append((span, " ".join(tok.group() for tok in run[cut:])))
    return out


def text_names(text: str) -> list[str]:
    """Person-like names of two or more words in running text, in order of appearance."""
    return [name for _, name in name_runs(text) if len(name.split()) >= 2 and is_personish(name)]


def fullest(names: Iterable[str]) -> str:
    """The fullest of several names of one source: most name words, then longest, then first."""
    ordered = list(dict.fromkeys(n for n in names if n))
    return max(ordered, key=lambda n: (len(person_tokens(n)), len(n), -ordered.index(n)))
