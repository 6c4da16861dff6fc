"""Speakers of one article: the model's speaker strings resolved into sources.

The speaker strings are first parsed into a name and a descriptor
(:func:`claimx.speakers.mentions.parse_mention`). Then:

* **People** are the same when :func:`claimx.speakers.identity.same_person`
  says so (rule 2 of :mod:`claimx.speakers.identity`), complete linkage: a
  name joins a person only if it is the same person as every full name of it.
  A surname alone ("Peskov", "Mr Peskov") joins the one person of the article
  with that surname, looking at the claims' speakers and at the names in the
  article text (rule 3); with two such people it stays apart. When the
  article text gives the full name and no claim does, the speaker takes the
  text's name.
* **A role only** ("the Kremlin spokesman", "Putin's spokesman") becomes a named
  person when the article ties that descriptor to exactly one person: another
  claim's ``speaker_role`` or embedded descriptor is the same descriptor, or
  the text has "<descriptor> <Name>" or "<Name>, [the|a] [...] <descriptor>".
  Otherwise it stays a speaker of its own, named by the descriptor.
* **Bodies and groups** ("Kremlin", "The White House", "U.S. officials") are
  the same only when their :func:`~claimx.speakers.identity.group_key` is
  equal. The surname rule never applies to them.

Near-linear in the article: people are kept in blocks by surname key (two
names of one person share it, so no comparison leaves its block), each
person keeps its distinct full names only, the text's names are indexed by
surname key, and a descriptor is looked up once, in the lines of the text
that hold its rarest word.

Speaker ids are slugs of the canonical name ("dmitry-peskov"), suffixed
"-2", "-3" on the rare clash, so they are stable for the same input.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from claimx.models import Speaker
from claimx.speakers.identity import (
    FIRST_NAME_THRESHOLD,
    UNKNOWN_SPEAKER_ID,
    group_key,
    is_full,
    is_personish,
    person_tokens,
    same_person,
    slugify,
    surname_key,
    unique_id,
)
from claimx.speakers.lexicon import ARTICLES
from claimx.speakers.mentions import (
    NAME_TOKEN,
    Mention,
    fullest,
    parse_mention,
    role_key,
    role_matches,
    split_titles,
    text_names,
)
from claimx.text.spans import Span

__all__ = ["resolve_speakers"]


@dataclass(eq=False)
class _Cluster:
    """One source of one article while it is being resolved."""

    person: bool
    names: list[str] = field(default_factory=list)  # as the claims name it
    raws: list[str] = field(default_factory=list)  # the mention strings
    named_roles: list[str] = field(default_factory=list)  # descriptors given with a name
    role_only: list[str] = field(default_factory=list)  # descriptors of role-only mentions
    text_name: str | None = None  # the full name the article text gives
    #: distinct full names (claims' and text's): what complete linkage compares
    full: dict[str, None] = field(default_factory=dict)

    def add_name(self, name: str) -> bool:
        """Add a name; True when it is a new full name (what resolution compares)."""
        self.names.append(name)
        return self.person and is_full(name) and self._add_full(name)

    def set_text_name(self, name: str) -> bool:
        """Set the text's name; True when it is a new full name."""
        self.text_name = name
        return is_full(name) and self._add_full(name)

    def _add_full(self, name: str) -> bool:
        new = name not in self.full
        self.full.setdefault(name)
        return new

    def name(self) -> str:
        if self.person:
            return fullest([*self.names, *([self.text_name] if self.text_name else [])])
        if self.names:
            # A body or group: the name the claims use most, then the first.
            counts = Counter(self.names)
            first = {n: i for i, n in reversed(list(enumerate(self.names)))}
            return max(counts, key=lambda n: (counts[n], -first[n]))
        # A role nobody could be tied to is named by its descriptor.
        words = (self.role_only[0] if self.role_only else UNKNOWN_SPEAKER_ID).split()
        if len(words) > 1 and words[0].casefold() in ARTICLES:
            words = words[1:]
        return " ".join(words)

    def role(self) -> str | None:
        roles = self.named_roles or self.role_only
        return roles[0] if roles else None


_TOKEN = re.compile(r"\w+")
#: the farthest two words of one descriptor can be apart in the text ("Kremlin
#: spokesman", "Mr Putin's chief spokesman"): a few spaces and an article between them
_DESCRIPTOR_REACH = 200


class _TextIndex:
    """Where each word of the article is, and where its lines start (built on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, list[int]] = {}
        for m in _TOKEN.finditer(text):
            self.positions.setdefault(m.group().lower(), []).append(m.start())
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def windows(self, positions: list[int]) -> list[Span]:
        """Merged spans of the lines holding ``positions``, with the nearest non-blank
        line before and after each (a hit may run across one line break)."""
        spans: list[Span] = []
        for pos in sorted(positions):
            lo, hi = self._line(pos)
            text, i, j = self.text, lo - 1, hi
            while i >= 0 and text[i].isspace():
                i -= 1
            while j < len(text) and text[j].isspace():
                j += 1
            if i >= 0:
                lo = self._line(i)[0]
            if j < len(text):
                hi = self._line(j)[1]
            if spans and lo <= spans[-1].end:
                spans[-1] = Span(spans[-1].start, max(hi, spans[-1].end))
            else:
                spans.append(Span(lo, hi))
        return spans

    @staticmethod
    def near(positions: list[int], pos: int) -> bool:
        """Whether one of the sorted ``positions`` is within ``_DESCRIPTOR_REACH`` of ``pos``."""
        i = bisect_left(positions, pos - _DESCRIPTOR_REACH)
        return i < len(positions) and positions[i] <= pos + _DESCRIPTOR_REACH

    def _line(self, pos: int) -> tuple[int, int]:
        """Start of the line holding ``pos``, and the start of the next line (or the end)."""
        line = bisect_right(self.line_starts, pos) - 1
        hi = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.line_starts[line], hi


class _ArticleResolver:
    """Clusters the mentions of one article; see :func:`resolve_speakers`."""

    def __init__(self, text: str, mentions: Sequence[Mention], threshold: float) -> None:
        self.text = text
        self.mentions = mentions
        self.threshold = threshold
        self.people: dict[str, list[_Cluster]] = {}  # surname key -> people, in creation order
        self.groups: dict[str, _Cluster] = {}
        # The text's full names by surname key: distinct, in order of first appearance,
        # with how often each occurs (see _rivals).
        self.text_people: dict[str, Counter[str]] = {}
        for n in text_names(text):
            self.text_people.setdefault(surname_key(n), Counter())[n] += 1
        self._descriptors: dict[str, list[str]] = {}
        #: bumped whenever a cluster is made or gains a full name: what resolve_role reads
        self.version = 0
        self._roles: dict[str, tuple[int, _Cluster | None]] = {}

    @cached_property
    def _index(self) -> _TextIndex:
        return _TextIndex(self.text)

    def _same(self, a: str, b: str) -> bool:
        return same_person(a, b, threshold=self.threshold)

    def _new_person(self, key: str, text_name: str | None = None) -> _Cluster:
        c = _Cluster(person=True)
        if text_name is not None:
            c.set_text_name(text_name)
        self.people.setdefault(key, []).append(c)
        self.version += 1
        return c

    def add_name(self, c: _Cluster, name: str) -> None:
        if c.add_name(name):
            self.version += 1

    def set_text_name(self, c: _Cluster, name: str) -> None:
        if c.set_text_name(name):
            self.version += 1

    def _matching_full(self, name: str) -> _Cluster | None:
        """The person all of whose full names are ``name``'s person (complete linkage)."""
        for c in self.people.get(surname_key(name), ()):
            if c.full and all(self._same(n, name) for n in c.full):
                return c
        return None

    def _rivals(self, key: str, owners: list[_Cluster]) -> list[str]:
        """Full names in the text with surname ``key`` that no cluster in ``owners`` covers.

        Distinct people only; a name that is not a full name (an initial and a
        surname) is no person :func:`same_person` can compare, so each of its
        occurrences counts as a rival of its own.
        """
        rivals: list[str] = []
        for n, count in self.text_people.get(key, Counter()).items():
            if any(self._same(n, o) for c in owners for o in c.full):
                continue
            if not any(self._same(n, r) for r in rivals):
                rivals.extend([n] * (count if not is_full(n) else 1))
        return rivals

    def surname_owner(self, surname: str) -> _Cluster | None:
        """The one person of the article a surname alone denotes, or None when ambiguous."""
        key = surname_key(surname)
        if not key:
            return None
        same_key = self.people.get(key, [])
        full = [c for c in same_key if c.full]
        lone = [c for c in same_key if not c.full]
        rivals = self._rivals(key, full)
        if len(full) == 1 and not rivals:
            return full[0]
        if not full and len(rivals) == 1:
            if lone:
                self.set_text_name(lone[0], rivals[0])
                return lone[0]
            return self._new_person(key, text_name=rivals[0])
        if not full and not rivals and lone:
            return lone[0]
        return None

    def person(self, name: str) -> _Cluster:
        """The cluster of a person's name, made if new."""
        key = surname_key(name)
        same_key = self.people.get(key, [])
        if is_full(name):
            found = self._matching_full(name)
            if found is not None:
                return found
            # A surname-only cluster made before its full name turned up.
            lone = [c for c in same_key if not c.full]
            others = [c for c in same_key if c.full]
            rivals = self._rivals(key, [])
            if len(lone) == 1 and not others and all(self._same(name, r) for r in rivals):
                return lone[0]
            return self._new_person(key)
        owner = self.surname_owner(name)
        if owner is not None:
            return owner
        for c in same_key:
            if not c.full:
                return c
        return self._new_person(key)

    def group(self, key: str) -> _Cluster:
        if key not in self.groups:
            self.groups[key] = _Cluster(person=False)
        return self.groups[key]

    def _text_hits(self, words: list[str]) -> list[str]:
        """Names the text ties to the descriptor of ``words`` (its role key)."""
        # Between the descriptor's words: spaces, hyphens, a possessive 's, an
        # article or honorific the key dropped ("Mr Putin's spokesman").
        sep = r"[\s\-’']+(?:s\s+)?(?:(?:the|a|an|mr|mrs|ms|dr)\.?\s+)?"
        desc = rf"(?i:(?<![\w])(?:{sep.join(re.escape(w) for w in words)}))"
        name = rf"({NAME_TOKEN}(?:[ \t]+{NAME_TOKEN})*)"
        after = rf"{desc}\s+{name}"  # "Kremlin spokesman Dmitry Peskov"
        # "Peskov, the Kremlin spokesman"; "Dimitri Peskov this morning – Putin’s flack"
        before = (
            rf"{name}(?:\s+[a-z][^,.;\n–—]{{0,30}}?)?\s*[,–—]\s+"
            rf"(?:[^,.;\n]{{0,60}}?\s)?{desc}\b"
        )
        # Every word of the descriptor is a whole word of any hit: search only the
        # lines around the rarest one, where the others are near it too.
        index = self._index
        lists = sorted((index.positions.get(w.lower(), []) for w in words), key=len)
        windows = index.windows([p for p in lists[0] if all(index.near(ps, p) for ps in lists[1:])])
        found: list[str] = []
        for pattern in (re.compile(after), re.compile(before)):
            for w in windows:
                found += [hit.group(1) for hit in pattern.finditer(self.text, w.start, w.end)]
        return found

    def descriptor_candidates(self, descriptor: str) -> list[str]:
        """Names the article ties to ``descriptor``: by the claims' roles and by the text."""
        if descriptor in self._descriptors:
            return self._descriptors[descriptor]
        found = [
            m.name
            for m in self.mentions
            if m.kind == "name" and m.role and role_matches(m.role, descriptor)
        ]
        words = role_key(descriptor).split()
        if words and self.text:
            found += self._text_hits(words)
        people = []
        for n in found:
            kept = split_titles(n.split())[1]
            if kept and is_personish(" ".join(kept)):
                people.append(" ".join(kept))
        self._descriptors[descriptor] = people
        return people

    def resolve_role(self, descriptor: str) -> _Cluster | None:
        """The person a role-only mention denotes, when the article ties it to exactly one.

        Remembered per descriptor while no cluster changes: an article repeats its
        descriptors, and each look-up walks every name the text ties to one.
        """
        cached = self._roles.get(descriptor)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        before = self.version
        owner = self._resolve_role(descriptor)
        if self.version == before:  # it changed nothing: the same state gives the same answer
            self._roles[descriptor] = (before, owner)
        return owner

    def _resolve_role(self, descriptor: str) -> _Cluster | None:
        owners: list[_Cluster] = []
        # A name the text repeats finds the owner it found the first time.
        for n in dict.fromkeys(self.descriptor_candidates(descriptor)):
            if is_full(n):
                owner = self._matching_full(n) or self.surname_owner(n)
                if owner is None:
                    owner = self._new_person(surname_key(n), text_name=n)
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
    parsed = [parse_mention(raw, role) for raw, role in mentions]
    resolver = _ArticleResolver(text, parsed, threshold)
    assigned: dict[int, _Cluster] = {}
    # Fullest names first, roles last, so that surnames and descriptors find
    # their owner whatever the order of the claims.
    order = sorted(
        range(len(parsed)),
        key=lambda i: (parsed[i].kind == "role", -len(person_tokens(parsed[i].name)), i),
    )
    for i in order:
        m = parsed[i]
        if m.kind == "unknown":
            c = resolver.group(UNKNOWN_SPEAKER_ID)
            resolver.add_name(c, UNKNOWN_SPEAKER_ID)
        elif m.kind == "role":
            descriptor = m.role or m.raw
            owner = resolver.resolve_role(descriptor)
            c = owner or resolver.group(f"role:{role_key(descriptor)}")
            c.role_only.append(descriptor)
        else:
            if m.kind == "name" and is_personish(m.name):
                c = resolver.person(m.name)
            else:
                c = resolver.group(f"name:{group_key(m.name)}")
            resolver.add_name(c, m.name)
            if m.role:
                c.named_roles.append(m.role)
        if m.raw.strip():
            c.raws.append(" ".join(m.raw.split()))
        assigned[i] = c

    speakers: list[Speaker] = []
    ids: dict[int, str] = {}  # id(cluster) -> speaker id
    used: set[str] = set()
    for i in range(len(parsed)):
        c = assigned[i]
        if id(c) in ids:
            continue
        name = c.name()
        sid = unique_id(slugify(name), used)
        used.add(sid)
        ids[id(c)] = sid
        aliases = [a for a in dict.fromkeys([*c.names, *c.raws]) if a != name]
        speakers.append(Speaker(id=sid, name=name, role=c.role(), aliases=aliases))
    return speakers, [ids[id(assigned[i])] for i in range(len(parsed))]
