"""Speakers: one source, all the ways it is named, within an article and across articles.

Within one article (:func:`resolve_speakers`) the model's speaker strings are
first parsed into a name and a descriptor ("Mr Putin’s spokesman Dmitry
Peskov" → name "Dmitry Peskov", role "Mr Putin’s spokesman"; "Dmitry Peskov,
the Kremlin spokesman" likewise; "the Kremlin spokesman" is a role only;
"U.S. officials" an unnamed group). Then:

* **People** are the same when :func:`same_person` says so (below). A surname
  alone ("Peskov", "Mr Peskov") joins the one person of the article with that
  surname, looking at the claims' speakers and at the names in the article
  text; with two such people it stays apart. When the article text gives the
  full name and no claim does, the speaker takes the text's name.
* **A role only** ("the Kremlin spokesman", "Putin's spokesman") becomes a named
  person when the article ties that descriptor to exactly one person: another
  claim's ``speaker_role`` or embedded descriptor is the same descriptor, or
  the text has "<descriptor> <Name>" or "<Name>, [the|a] [...] <descriptor>".
  Otherwise it stays a speaker of its own, named by the descriptor.
* **Bodies and groups** ("Kremlin", "The White House", "U.S. officials") are
  the same only when their names are equal after folding case, punctuation,
  a leading "the" and the dots of abbreviations ("U.S." = "US" = "U. S.").
  The surname rule never applies to them: "U.S. officials" is not "Russian
  officials".

:func:`same_person` — the one rule for two full names, used within an article
and by :class:`SpeakerRegistry` across articles: the surnames are equal after
transliteration folding (y→i, x→ks, kh→h, doubled letters collapsed: Zelensky =
Zelenskyy = Zelenskiy), and the first names are equal after that folding or
have a :func:`rapidfuzz.fuzz.ratio` of at least :data:`FIRST_NAME_THRESHOLD`
without one being a prefix of the other (Dmitry = Dmitri = Dimitri, Antony =
Anthony; John ≠ Jane, Daniel ≠ Daniela, Alex ≠ Alexander). Middle names and
initials are ignored (John F. Kirby = John Kirby, Dmitri S. Peskov = Dmitry
Peskov). Different first names with one surname stay different people.

Speaker ids are slugs of the canonical name ("dmitry-peskov"), suffixed
"-2", "-3" on the rare clash, so they are stable for the same input.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from claimx.models import Speaker
from claimx.speakers.names import HONORIFICS

__all__ = [
    "FIRST_NAME_THRESHOLD",
    "UNKNOWN_SPEAKER_ID",
    "SpeakerRegistry",
    "parse_mention",
    "resolve_speakers",
    "same_person",
    "slugify",
]

FIRST_NAME_THRESHOLD = 85.0
"""Least rapidfuzz ratio of two transliteration-folded first names of one person.
Dmitri/Dimitri score 92, Jon/John 86, Mark/Mary 75, John/Jane 50."""

UNKNOWN_SPEAKER_ID = "unknown"

# Nouns that make a phrase a descriptor of a person ("Kremlin spokesman").
ROLE_NOUNS = frozenset(
    {
        "spokesman", "spokeswoman", "spokesperson", "secretary", "adviser", "advisor",
        "ambassador", "minister", "president", "chief", "head", "director", "coordinator",
        "official", "envoy", "aide", "flack", "governor", "commander", "general", "leader",
        "chancellor", "premier", "senator", "representative", "analyst", "expert", "mayor",
        "spokesmen", "correspondent", "editor", "chairman", "chairwoman", "chair", "deputy",
        "officer", "diplomat", "lawmaker", "negotiator",
    }
)  # fmt: skip
# Capitalised words that open a name run but are titles, not names.
TITLE_WORDS = frozenset(
    HONORIFICS
    | {
        "state", "defense", "defence", "foreign", "prime", "vice", "deputy", "general",
        "chief", "ambassador", "spokesman", "spokeswoman", "spokesperson", "judge",
        "lord", "lady", "king", "queen", "prince", "princess", "pope", "father", "rev",
        "former", "acting", "interim", "senator", "congressman", "congresswoman", "mayor",
        "chancellor", "premier", "commander", "private", "corporal", "sergeant", "major",
        "colonel", "lieutenant", "captain", "admiral", "marshal", "st", "ret",
    }
)  # fmt: skip
# Words that make a capitalised name a body rather than a person.
ORG_WORDS = frozenset(
    {
        "house", "council", "force", "forces", "institute", "ministry", "department",
        "office", "agency", "times", "news", "post", "government", "administration",
        "army", "navy", "command", "court", "nations", "union", "committee", "service",
        "party", "bank", "university", "center", "centre", "foundation", "media", "group",
        "federation", "republic", "kingdom", "states", "organization", "organisation",
        "association", "commission", "parliament", "congress", "senate", "assembly",
        "pentagon", "kremlin", "police", "guard", "staff", "journal", "press", "network",
        "company", "corporation", "inc", "ltd", "reuters", "associated", "security",
    }
)  # fmt: skip
# Places and states that stand for a government as a source; never a surname.
PLACES = frozenset(
    {
        "russia", "ukraine", "kremlin", "washington", "moscow", "kyiv", "kiev", "china",
        "beijing", "london", "paris", "berlin", "nato", "america", "europe", "britain",
        "france", "germany", "iran", "israel", "turkey", "poland", "belarus", "crimea",
    }
)  # fmt: skip
# Words a capitalised run in running text may start with that are not names.
_STOP = frozenset(
    {
        "in", "on", "at", "a", "an", "but", "and", "as", "of", "for", "if", "when", "while",
        "after", "before", "since", "with", "from", "by", "to", "this", "that", "it", "he",
        "she", "we", "they", "his", "her", "our", "their", "its", "asked", "said", "says",
        "according", "per", "citing", "hours", "days", "sunday", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "some", "other", "russian", "ukrainian", "american", "british", "us",
        "u.s.", "western", "european", "french", "german", "chinese", "national", "white",
    }
)  # fmt: skip
_UNKNOWN = frozenset(
    {
        "", "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "unknown",
        "none", "null", "n/a", "na", "speaker", "source", "the source", "someone",
        "unnamed", "anonymous",
    }
)  # fmt: skip
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "al", "bin", "da", "di", "la", "le"})
_ARTICLES = frozenset({"the", "a", "an"})
_COURTESY = frozenset({"the", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"})
_FUNCTION_WORDS = frozenset(
    {"of", "the", "for", "to", "at", "in", "from", "on", "with", "and", "a", "an", "by"}
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NAME_TOKEN = r"(?:[A-Z][\w’'\-]*\.?|[A-Z]\.)"
_TEXT_NAME = re.compile(
    rf"{_NAME_TOKEN}(?:[ \t]+(?:{_NAME_TOKEN}|(?:de|van|von|bin|al)(?=[ \t])))*"
)
_INITIAL = re.compile(r"^[A-Z]\.?$")

MentionKind = Literal["name", "role", "group", "unknown"]


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()


def slugify(name: str) -> str:
    """A stable id for a name: "Dmitry Peskov" -> "dmitry-peskov",
    "U. S. officials" -> "us-officials"."""
    return re.sub(r"[^\w]+", "-", _group_key(name)).strip("-_") or UNKNOWN_SPEAKER_ID


def _translit(token: str) -> str:
    # Transliterations of one Cyrillic/Arabic name differ in these spots:
    # Dmitry/Dmitri/Dmitriy, Zelensky/Zelenskyy, Alexander/Aleksandr, Mikhail/Mihail.
    t = _fold(token).replace("kh", "h").replace("x", "ks").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", t)


def _person_tokens(name: str) -> list[str]:
    """Folded name tokens without honorifics, possessives or initials (see speakers.names)."""
    tokens = re.sub(r"[^\w\s'-]", " ", _fold(name).translate(_APOSTROPHES)).split()
    out = []
    for tok in tokens:
        tok = tok.strip("'-")
        if tok.endswith("'s"):
            tok = tok[:-2]
        if len(tok) > 1 and tok not in HONORIFICS:
            out.append(tok)
    return out


def _first_names_match(a: str, b: str, threshold: float) -> bool:
    ta, tb = _translit(a), _translit(b)
    if ta == tb:
        return True
    if ta.startswith(tb) or tb.startswith(ta):
        # Daniel/Daniela, Alex/Alexander: variants of different people as often as not.
        return False
    return fuzz.ratio(ta, tb) >= threshold


def same_person(a: str, b: str, *, threshold: float = FIRST_NAME_THRESHOLD) -> bool:
    """True when two full names (first name and surname) denote one person.

    Surnames equal after transliteration folding, first names equal after it or
    fuzzy-similar (see the module docstring). A name of one token is never a
    full name here: surname-only mentions need the context of who else is
    named, which :func:`resolve_speakers` and :class:`SpeakerRegistry` have.
    """
    ta, tb = _person_tokens(a), _person_tokens(b)
    if len(ta) < 2 or len(tb) < 2:
        return False
    if _translit(ta[-1]) != _translit(tb[-1]):
        return False
    return _first_names_match(ta[0], tb[0], threshold)


def _group_key(name: str) -> str:
    """Key of a body or group: "The White House" -> "white house",
    "U. S. officials" -> "us officials"."""
    s = _fold(name).translate(_APOSTROPHES)
    s = re.sub(r"\b(\w)\.\s?(?=\w\.)", r"\1", s)  # U. S. -> US.
    s = re.sub(r"[^\w\s]", "", s)
    tokens = s.split()
    while tokens and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def _role_key(role: str) -> str:
    s = _fold(role).translate(_APOSTROPHES).replace("'s", "")
    s = re.sub(r"(?<=\w)\.(?=\w)", "", s)
    tokens = re.sub(r"[^\w\s]", " ", s).split()
    return " ".join(t for t in tokens if t not in _ARTICLES and t not in {"mr", "mrs", "ms", "dr"})


def _role_matches(a: str, b: str) -> bool:
    """Descriptors equal after folding, or one a 2+-word ending of the other."""
    ka, kb = _role_key(a).split(), _role_key(b).split()
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
    return core[0].isupper() or bool(_INITIAL.match(core))


def _is_personish(name: str) -> bool:
    """Could ``name`` be a person's name (as opposed to a body, place or group)?"""
    raw = name.split()
    if not raw or len(raw) > 5:
        return False
    for tok in raw:
        core = tok.strip("\"“”‘’'(),")
        if core.casefold() in _PARTICLES:
            continue
        if not core or not (core[0].isupper() or _INITIAL.match(core)):
            return False
        if len(core) > 1 and core.isupper() and not _INITIAL.match(core):
            return False  # CNN, NATO, RIA: acronyms are bodies
    tokens = _person_tokens(name)
    if not tokens or any(t in ORG_WORDS for t in tokens):
        return False
    return not (len(tokens) == 1 and tokens[0] in PLACES)


@dataclass(frozen=True)
class Mention:
    """A speaker string parsed into a name and a descriptor."""

    raw: str
    name: str
    role: str | None
    kind: MentionKind


def _split_titles(run: list[str]) -> tuple[list[str], list[str]]:
    """Split a capitalised run after its last title word: "Secretary of State Antony Blinken"
    -> ("... State", "Antony Blinken"), "Lt. Col. Garron Garn" -> ("Lt. Col.", "Garron Garn").
    A run of titles only ("President") has no name."""
    cut = 0
    for i, tok in enumerate(run):
        if _word(tok) in TITLE_WORDS:
            cut = i + 1
    return run[:cut], run[cut:]


def _word(tok: str) -> str:
    return _fold(tok).translate(_APOSTROPHES).strip('.,;:"“”()')


def _is_plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def parse_mention(raw: str, role: str | None = None) -> Mention:
    """Parse a speaker string: "Mr Putin’s spokesman Dmitry Peskov" ->
    name "Dmitry Peskov", role "Mr Putin’s spokesman", kind "name".

    ``role`` (the claim's ``speaker_role``) wins over a descriptor found in
    ``raw``. Kinds: ``name`` (a person, body or state named), ``role`` (only a
    descriptor: "the Kremlin spokesman"), ``group`` (an unnamed plural source:
    "U.S. officials"), ``unknown`` (empty or a pronoun).
    """
    text = " ".join(raw.split()).strip(' ,;:"“”')
    given_role = role.strip() if role and role.strip() else None
    if _fold(text) in _UNKNOWN:
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
    if name_part.split(" ", 1)[0] in _ARTICLES and " " in name_part:
        name_part = name_part.split(" ", 1)[1]  # "the air force" -> "air force"
    tokens = name_part.split()
    words = [_word(t) for t in tokens]
    has_role_noun = bool(set(words) & ROLE_NOUNS)
    k = len(tokens)
    while k > 0 and _is_name_token(tokens[k - 1]):
        k -= 1
    prefix, run = tokens[:k], tokens[k:]
    titles, name_tokens = _split_titles(run)
    if run and prefix and words[k - 1] in _FUNCTION_WORDS and not (titles and has_role_noun):
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
    if descriptor and prefix_words <= _COURTESY:
        descriptor = None  # "Mr Kirby", "The White House": no descriptor
    return Mention(raw, " ".join(name_tokens), given_role or embedded or descriptor, "name")


def _text_names(text: str) -> list[str]:
    """Person-like names of two or more words in running text, in order of appearance."""
    names: list[str] = []
    for m in _TEXT_NAME.finditer(text):
        run = m.group().split()
        # Keep what follows the last title or stop word: "Ukrainian President
        # Volodymyr Zelensky" -> "Volodymyr Zelensky", "In Kyiv" -> "Kyiv".
        cut = 0
        for i, tok in enumerate(run):
            w = _fold(tok).strip(".").translate(_APOSTROPHES)
            if w in TITLE_WORDS or w in _STOP or w.endswith("'s"):
                cut = i + 1
        run = run[cut:]
        if len(run) >= 2 and _is_personish(" ".join(run)):
            names.append(" ".join(run))
    return names


def _fullest(names: Iterable[str]) -> str:
    """The fullest of several names of one source: most name words, then longest, then first."""
    ordered = list(dict.fromkeys(n for n in names if n))
    return max(ordered, key=lambda n: (len(_person_tokens(n)), len(n), -ordered.index(n)))


def _surname_key(name: str) -> str:
    tokens = _person_tokens(name)
    return _translit(tokens[-1]) if tokens else ""


def _is_full(name: str) -> bool:
    return len(_person_tokens(name)) >= 2


@dataclass(eq=False)
class _Cluster:
    """One source of one article while it is being resolved."""

    person: bool
    names: list[str] = field(default_factory=list)  # as the claims name it
    raws: list[str] = field(default_factory=list)  # the mention strings
    named_roles: list[str] = field(default_factory=list)  # descriptors given with a name
    role_only: list[str] = field(default_factory=list)  # descriptors of role-only mentions
    text_name: str | None = None  # the full name the article text gives

    def full_names(self) -> list[str]:
        names = [*self.names, *([self.text_name] if self.text_name else [])]
        return [n for n in names if _is_full(n)]

    def surname_key(self) -> str:
        names = self.full_names() or self.names
        return _surname_key(names[0]) if names else ""

    def name(self) -> str:
        if self.person:
            return _fullest([*self.names, *([self.text_name] if self.text_name else [])])
        if self.names:
            # A body or group: the name the claims use most, then the first.
            counts = Counter(self.names)
            return max(counts, key=lambda n: (counts[n], -self.names.index(n)))
        # A role nobody could be tied to is named by its descriptor.
        words = (self.role_only[0] if self.role_only else UNKNOWN_SPEAKER_ID).split()
        if len(words) > 1 and words[0].casefold() in _ARTICLES:
            words = words[1:]
        return " ".join(words)

    def role(self) -> str | None:
        roles = self.named_roles or self.role_only
        return roles[0] if roles else None


class _ArticleResolver:
    """Clusters the mentions of one article; see :func:`resolve_speakers`."""

    def __init__(self, text: str, threshold: float) -> None:
        self.text = text
        self.threshold = threshold
        self.people: list[_Cluster] = []
        self.groups: dict[str, _Cluster] = {}
        self.text_people = _text_names(text)

    def _same(self, a: str, b: str) -> bool:
        return same_person(a, b, threshold=self.threshold)

    def _new_person(self, text_name: str | None = None) -> _Cluster:
        c = _Cluster(person=True, text_name=text_name)
        self.people.append(c)
        return c

    def _matching_full(self, name: str) -> _Cluster | None:
        """The person cluster all of whose full names are ``name``'s person (complete linkage)."""
        for c in self.people:
            full = c.full_names()
            if full and all(self._same(n, name) for n in full):
                return c
        return None

    def _rivals(self, key: str, owners: list[_Cluster]) -> list[str]:
        """Full names in the text with surname ``key`` that no cluster in ``owners`` covers."""
        rivals: list[str] = []
        for n in self.text_people:
            if _surname_key(n) != key:
                continue
            if any(self._same(n, o) for c in owners for o in c.full_names()):
                continue
            if not any(self._same(n, r) for r in rivals):
                rivals.append(n)
        return rivals

    def surname_owner(self, surname: str) -> _Cluster | None:
        """The one person of the article a surname alone denotes, or None when ambiguous."""
        key = _surname_key(surname)
        if not key:
            return None
        same_key = [c for c in self.people if c.surname_key() == key]
        full = [c for c in same_key if c.full_names()]
        lone = [c for c in same_key if not c.full_names()]
        rivals = self._rivals(key, full)
        if len(full) == 1 and not rivals:
            return full[0]
        if not full and len(rivals) == 1:
            if lone:
                lone[0].text_name = rivals[0]
                return lone[0]
            return self._new_person(text_name=rivals[0])
        if not full and not rivals and lone:
            return lone[0]
        return None

    def person(self, name: str) -> _Cluster:
        """The cluster of a person's name, made if new."""
        if _is_full(name):
            found = self._matching_full(name)
            if found is not None:
                return found
            # A surname-only cluster made before its full name turned up.
            key = _surname_key(name)
            lone = [c for c in self.people if not c.full_names() and c.surname_key() == key]
            others = [c for c in self.people if c.full_names() and c.surname_key() == key]
            rivals = self._rivals(key, [])
            if len(lone) == 1 and not others and all(self._same(name, r) for r in rivals):
                return lone[0]
            return self._new_person()
        owner = self.surname_owner(name)
        if owner is not None:
            return owner
        key = _surname_key(name)
        for c in self.people:
            if not c.full_names() and c.surname_key() == key:
                return c
        return self._new_person()

    def group(self, key: str) -> _Cluster:
        if key not in self.groups:
            self.groups[key] = _Cluster(person=False)
        return self.groups[key]

    def descriptor_candidates(self, descriptor: str, mentions: Sequence[Mention]) -> list[str]:
        """Names the article ties to ``descriptor``: by the claims' roles and by the text."""
        found = [
            m.name
            for m in mentions
            if m.kind == "name" and m.role and _role_matches(m.role, descriptor)
        ]
        words = _role_key(descriptor).split()
        if words:
            # Between the descriptor's words: spaces, hyphens, a possessive 's, an
            # article or honorific the key dropped ("Mr Putin's spokesman").
            sep = r"[\s\-’']+(?:s\s+)?(?:(?:the|a|an|mr|mrs|ms|dr)\.?\s+)?"
            desc = rf"(?i:(?<![\w])(?:{sep.join(re.escape(w) for w in words)}))"
            name = rf"({_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN})*)"
            after = rf"{desc}\s+{name}"  # "Kremlin spokesman Dmitry Peskov"
            # "Peskov, the Kremlin spokesman"; "Dimitri Peskov this morning – Putin’s flack"
            before = (
                rf"{name}(?:\s+[a-z][^,.;\n–—]{{0,30}}?)?\s*[,–—]\s+"
                rf"(?:[^,.;\n]{{0,60}}?\s)?{desc}\b"
            )
            for pattern in (after, before):
                found += [hit.group(1) for hit in re.finditer(pattern, self.text)]
        people = []
        for n in found:
            kept = _split_titles(n.split())[1]
            if kept and _is_personish(" ".join(kept)):
                people.append(" ".join(kept))
        return people

    def resolve_role(self, descriptor: str, mentions: Sequence[Mention]) -> _Cluster | None:
        """The person a role-only mention denotes, when the article ties it to exactly one."""
        owners: list[_Cluster] = []
        for n in self.descriptor_candidates(descriptor, mentions):
            if _is_full(n):
                owner = self._matching_full(n) or self.surname_owner(n)
                if owner is None:
                    owner = self._new_person(text_name=n)
            else:
                owner = self.surname_owner(n)
            if owner is None:
                return None  # a candidate we cannot place: do not guess
            if all(owner is not o for o in owners):
                owners.append(owner)
        return owners[0] if len(owners) == 1 else None


def resolve_speakers(
    mentions: Sequence[tuple[str, str | None]],
    text: str,
    *,
    threshold: float = FIRST_NAME_THRESHOLD,
) -> tuple[list[Speaker], list[str]]:
    """Resolve the speaker mentions of one article's claims into speakers.

    ``mentions`` are (speaker, speaker_role) pairs as the model or the
    annotator wrote them; ``text`` is the article (may be "" when unknown:
    then only the mentions themselves are used). Returns the speakers, in
    order of first mention, and for each mention the id of its speaker. See
    the module docstring for the rules. Empty and pronoun mentions ("he",
    "unknown") all go to one speaker with id ``"unknown"``.
    """
    resolver = _ArticleResolver(text, threshold)
    parsed = [parse_mention(raw, role) for raw, role in mentions]
    assigned: dict[int, _Cluster] = {}
    # Fullest names first, roles last, so that surnames and descriptors find
    # their owner whatever the order of the claims.
    order = sorted(
        range(len(parsed)),
        key=lambda i: (parsed[i].kind == "role", -len(_person_tokens(parsed[i].name)), i),
    )
    for i in order:
        m = parsed[i]
        if m.kind == "unknown":
            c = resolver.group(UNKNOWN_SPEAKER_ID)
            c.names.append(UNKNOWN_SPEAKER_ID)
        elif m.kind == "role":
            descriptor = m.role or m.raw
            owner = resolver.resolve_role(descriptor, parsed)
            c = owner or resolver.group(f"role:{_role_key(descriptor)}")
            c.role_only.append(descriptor)
        else:
            if m.kind == "name" and _is_personish(m.name):
                c = resolver.person(m.name)
            else:
                c = resolver.group(f"name:{_group_key(m.name)}")
            c.names.append(m.name)
            if m.role:
                c.named_roles.append(m.role)
        if m.raw.strip():
            c.raws.append(" ".join(m.raw.split()))
        assigned[i] = c

    speakers: list[Speaker] = []
    ids: dict[int, str] = {}  # id(cluster) -> speaker id
    for i in range(len(parsed)):
        c = assigned[i]
        if id(c) in ids:
            continue
        name = c.name()
        sid = _unique(slugify(name), set(ids.values()))
        ids[id(c)] = sid
        aliases = [a for a in dict.fromkeys([*c.names, *c.raws]) if a != name]
        speakers.append(Speaker(id=sid, name=name, role=c.role(), aliases=aliases))
    return speakers, [ids[id(assigned[i])] for i in range(len(parsed))]


def _unique(base: str, used: set[str]) -> str:
    sid, n = base, 2
    while sid in used:
        sid, n = f"{base}-{n}", n + 1
    return sid


# --- across articles -----------------------------------------------------------


@dataclass
class _Entry:
    name: str
    articles: set[str] = field(default_factory=set)
    mentions: int = 0
    roles: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)


class SpeakerRegistry:
    """The sources of a corpus: one id per source across articles.

    Add each article's speakers (:meth:`add_speaker`) or names (:meth:`add`),
    then ask :meth:`speaker_id` / :meth:`speaker` for any name or alias added.
    Names are merged by these rules, applied to all names at once so the result
    does not depend on the order they were added in:

    * people with full names: :func:`same_person`, complete linkage (a name
      joins a group only if it is the same person as every full name in it),
      so "Dmitry Peskov", "Dmitri S. Peskov" and "Dimitri Peskov" are one source
      and "John Smith" and "Jane Smith" are two;
    * a surname alone ("Peskov") joins the one person with that surname in the
      corpus; with none or several it stays a source of its own;
    * bodies, groups and unresolved roles: equal folded names only.

    The canonical name is the variant used in most articles (then the
    fullest); the id is its slug.
    """

    def __init__(self, *, threshold: float = FIRST_NAME_THRESHOLD) -> None:
        """``threshold``: see :data:`FIRST_NAME_THRESHOLD`."""
        self.threshold = threshold
        self._entries: dict[str, _Entry] = {}
        self._alias_of: dict[str, str] = {}
        self._index: dict[str, int] | None = None
        self._speakers: list[Speaker] = []

    def add(
        self,
        name: str,
        *,
        article_id: str | None = None,
        role: str | None = None,
        aliases: Iterable[str] = (),
    ) -> None:
        """Register one name of a source (a claim's speaker, say) seen in ``article_id``.

        The name is parsed as in an article ("Mr Putin’s spokesman Dmitry Peskov"
        registers "Dmitry Peskov", the full string becoming an alias).
        """
        raw = " ".join(name.split())
        mention = parse_mention(raw)
        if mention.kind in ("name", "group"):
            clean = mention.name
        else:
            clean = raw if mention.kind == "role" else UNKNOWN_SPEAKER_ID
        aliases = [*aliases, raw]
        if role is None and mention.role:
            role = mention.role
        entry = self._entries.setdefault(clean, _Entry(clean))
        entry.mentions += 1
        if article_id is not None:
            entry.articles.add(article_id)
        if role:
            entry.roles[role] += 1
        for alias in aliases:
            alias = " ".join(alias.split())
            if alias and alias != clean:
                entry.aliases.add(alias)
                self._alias_of.setdefault(alias, clean)
        self._index = None

    def add_speaker(self, speaker: Speaker, *, article_id: str | None = None) -> None:
        """Register an article's resolved speaker, with its role and aliases."""
        self.add(speaker.name, article_id=article_id, role=speaker.role, aliases=speaker.aliases)

    def _build(self) -> dict[str, int]:
        if self._index is not None:
            return self._index
        entries = sorted(
            self._entries.values(),
            key=lambda e: (-len(e.articles), -e.mentions, -len(_person_tokens(e.name)), e.name),
        )
        people: list[list[str]] = []
        surname_only: dict[str, list[str]] = {}
        groups: dict[str, list[str]] = {}
        singles: list[str] = []
        for e in entries:
            if _is_personish(e.name) and _is_full(e.name):
                for members in people:
                    fulls = [n for n in members if _is_full(n)]
                    if all(same_person(n, e.name, threshold=self.threshold) for n in fulls):
                        members.append(e.name)
                        break
                else:
                    people.append([e.name])
            elif _is_personish(e.name) and _person_tokens(e.name):
                singles.append(e.name)
            else:
                groups.setdefault(_group_key(e.name) or e.name, []).append(e.name)
        for name in singles:
            key = _surname_key(name)
            owners = [m for m in people if _surname_key(m[0]) == key]
            if len(owners) == 1:
                owners[0].append(name)
            else:
                surname_only.setdefault(key, []).append(name)
        clusters = [*people, *surname_only.values(), *groups.values()]
        self._speakers = []
        index: dict[str, int] = {}
        used: set[str] = set()
        canon = [self._canonical(members) for members in clusters]
        for k in sorted(range(len(clusters)), key=lambda k: canon[k]):
            members = clusters[k]
            sid = _unique(slugify(canon[k]), used)
            used.add(sid)
            roles: Counter[str] = Counter()
            aliases: set[str] = set()
            for n in members:
                roles.update(self._entries[n].roles)
                aliases |= self._entries[n].aliases | {n}
            role = min(roles, key=lambda r: (-roles[r], r)) if roles else None
            for n in members:
                index[n] = len(self._speakers)
            self._speakers.append(
                Speaker(id=sid, name=canon[k], role=role, aliases=sorted(aliases - {canon[k]}))
            )
        self._index = index
        return index

    def _canonical(self, members: list[str]) -> str:
        def rank(n: str) -> tuple[int, int, int, int, str]:
            e = self._entries[n]
            return (-len(e.articles), -e.mentions, -len(_person_tokens(n)), -len(n), n)

        return min(members, key=rank)

    def speaker(self, name: str) -> Speaker:
        """The corpus-level speaker of a name or alias; KeyError if it was never added."""
        index = self._build()
        clean = " ".join(name.split())
        key = clean if clean in index else self._alias_of.get(clean)
        if key is None or key not in index:
            raise KeyError(f"speaker {name!r} was not added to the registry")
        return self._speakers[index[key]]

    def speaker_id(self, name: str) -> str:
        """The corpus-level id of a name or alias (see :meth:`speaker`)."""
        return self.speaker(name).id

    def speakers(self) -> list[Speaker]:
        """Every source, sorted by canonical name."""
        self._build()
        return list(self._speakers)

    def articles(self, speaker_id: str) -> list[str]:
        """The articles a source was added from, sorted."""
        index = self._build()
        found: set[str] = set()
        for name, k in index.items():
            if self._speakers[k].id == speaker_id:
                found |= self._entries[name].articles
        return sorted(found)
