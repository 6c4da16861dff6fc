"""The sources of a corpus: one id per source across articles (:class:`SpeakerRegistry`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimx.models import Speaker
from claimx.speakers import identity as ident
from claimx.speakers.identity import FIRST_NAME_THRESHOLD, UNKNOWN_SPEAKER_ID
from claimx.speakers.mentions import parse_mention

__all__ = ["SpeakerRegistry"]


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
            key=lambda e: (
                -len(e.articles),
                -e.mentions,
                -len(ident.person_tokens(e.name)),
                e.name,
            ),
        )
        people: list[list[str]] = []
        by_key: dict[str, list[list[str]]] = {}  # surname key -> people: the only candidates
        surname_only: dict[str, list[str]] = {}
        groups: dict[str, list[str]] = {}
        singles: list[str] = []
        for e in entries:
            if ident.is_personish(e.name) and ident.is_full(e.name):
                block = by_key.setdefault(ident.surname_key(e.name), [])
                for members in block:
                    fulls = [n for n in members if ident.is_full(n)]
                    if all(ident.same_person(n, e.name, threshold=self.threshold) for n in fulls):
                        members.append(e.name)
                        break
                else:
                    people.append([e.name])
                    block.append(people[-1])
            elif ident.is_personish(e.name) and ident.person_tokens(e.name):
                singles.append(e.name)
            else:
                groups.setdefault(ident.group_key(e.name) or e.name, []).append(e.name)
        for name in singles:
            key = ident.surname_key(name)
            owners = by_key.get(key, [])
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
            sid = ident.unique_id(ident.slugify(canon[k]), used)
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
            return (-len(e.articles), -e.mentions, -len(ident.person_tokens(n)), -len(n), n)

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
