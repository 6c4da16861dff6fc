"""Across articles: which claims state the same proposition, and where each source stands.

:func:`consolidate` takes the claims of many articles (gold files or
extraction results), groups the claims that state the same proposition
(:mod:`claimx.consolidate.grouping`), maps every speaker to one corpus-level
source (:class:`~claimx.speakers.registry.SpeakerRegistry`) and its affiliation
(:mod:`claimx.consolidate.affiliation`), and returns the proposition × source
stance matrix (:class:`~claimx.consolidate.model.Consolidation`) with the
articles and verbatim quotes behind every cell.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence

from claimx.consolidate.affiliation import affiliations
from claimx.consolidate.grouping import (
    GROUP_THRESHOLD,
    METHOD,
    group_propositions,
    idf,
    similarity,
    terms,
)
from claimx.consolidate.model import Cell, Consolidation, Evidence, PropositionGroup
from claimx.models import STANCES, ExtractionResult, GoldArticle, Speaker
from claimx.speakers import SpeakerRegistry, resolve_speakers

__all__ = ["consolidate", "norm_claim"]


def _items(
    articles: Sequence[GoldArticle | ExtractionResult],
    texts: Mapping[str, str],
    registry: SpeakerRegistry,
) -> list[Evidence]:
    items: list[Evidence] = []
    for article in articles:
        aid = article.article_id
        if isinstance(article, ExtractionResult):
            speakers = {s.id: s for s in article.speakers}
            names = []
            for c in article.claims:
                s = speakers.get(c.speaker_id)
                names.append(s.name if s is not None else c.speaker)
            for s in article.speakers:
                registry.add_speaker(s, article_id=aid)
        else:
            # Gold files name each speaker at its fullest already; resolving
            # still joins a bare surname or a role to its person.
            resolved, ids = resolve_speakers(
                [(c.speaker, c.speaker_role) for c in article.claims], texts.get(aid, "")
            )
            by_id = {s.id: s for s in resolved}
            names = [by_id[i].name for i in ids]
            for s in resolved:
                registry.add_speaker(s, article_id=aid)
        for claim, name in zip(article.claims, names, strict=True):
            # The speaker as named in its article (after within-article resolution).
            fields = claim.model_dump(include=set(Evidence.model_fields) - {"article_id"})
            items.append(Evidence(**{**fields, "speaker": name}, article_id=aid))
    return items


def norm_claim(claim: str) -> str:
    """A claim's wording with whitespace, case and a final period folded (gold identity)."""
    return " ".join(claim.split()).rstrip(".").casefold()


def _representative(members: Sequence[Evidence]) -> tuple[str, list[str]]:
    """The most used wording of a group (ties: the one closest to the others, then shortest)."""
    counts = Counter(" ".join(m.claim.split()) for m in members)
    found = {v: terms(v) for v in counts}
    weights = idf(list(found.values()))

    def centrality(v: str) -> float:
        return sum(similarity(found[v], found[o], weights) * counts[o] for o in counts if o != v)

    ranked = sorted(counts, key=lambda v: (-counts[v], -centrality(v), len(v), v))
    return ranked[0], ranked


def _cell(speaker: Speaker, items: list[Evidence]) -> Cell:
    stances = [s for s in STANCES if any(it.stance == s for it in items)]
    items = sorted(items, key=lambda it: (it.article_id, it.start))
    return Cell(
        speaker_id=speaker.id,
        speaker=speaker.name,
        stances=stances,
        mixed=len(stances) > 1,
        articles=sorted({it.article_id for it in items}),
        evidence=items,
    )


def consolidate(
    articles: Sequence[GoldArticle | ExtractionResult],
    *,
    texts: Mapping[str, str] | None = None,
    threshold: float = GROUP_THRESHOLD,
    registry: SpeakerRegistry | None = None,
) -> Consolidation:
    """Group the claims of many articles by proposition and tabulate the sources' stances.

    ``articles``: gold files or extraction results (their ``article_id`` names
    the article). ``texts``: article id -> article text, used to resolve gold
    speakers within their article (surname or role alone); optional.
    ``registry``: a :class:`SpeakerRegistry` to add to (a new one by default),
    which decides which speakers of different articles are one source.
    """
    registry = registry if registry is not None else SpeakerRegistry()
    items = _items(articles, texts or {}, registry)
    labels = group_propositions([it.claim for it in items], threshold=threshold)
    members: dict[int, list[Evidence]] = {}
    for label, item in zip(labels, items, strict=True):
        members.setdefault(label, []).append(item)

    built: list[tuple[str, list[str], list[str], list[Cell]]] = []
    used_speakers: dict[str, Speaker] = {}
    for group_items in members.values():
        proposition, variants = _representative(group_items)
        by_speaker: dict[str, list[Evidence]] = {}
        for it in group_items:
            by_speaker.setdefault(registry.speaker_id(it.speaker), []).append(it)
        cells = []
        for sid, cell_items in by_speaker.items():
            speaker = registry.speaker(cell_items[0].speaker)
            used_speakers[sid] = speaker
            cells.append(_cell(speaker, cell_items))
        cells.sort(key=lambda c: (-len(c.articles), c.speaker))
        built.append((proposition, variants, sorted({it.article_id for it in group_items}), cells))
    # Most widely reported first; ties broken by text so the order is stable.
    built.sort(key=lambda b: (-len(b[2]), -len(b[3]), -sum(len(c.evidence) for c in b[3]), b[0]))
    groups: list[PropositionGroup] = []
    seen: set[str] = set()
    for proposition, variants, group_articles, cells in built:
        base = "p-" + hashlib.sha1(norm_claim(proposition).encode()).hexdigest()[:10]
        gid, n = base, 2
        while gid in seen:
            gid, n = f"{base}-{n}", n + 1
        seen.add(gid)
        groups.append(
            PropositionGroup(
                id=gid,
                proposition=proposition,
                variants=variants,
                articles=group_articles,
                cells=cells,
            )
        )
    speakers = sorted(used_speakers.values(), key=lambda s: s.id)
    return Consolidation(
        method=METHOD,
        threshold=threshold,
        articles=sorted({a.article_id for a in articles}),
        speakers=speakers,
        affiliations=affiliations(speakers),
        groups=groups,
    )
