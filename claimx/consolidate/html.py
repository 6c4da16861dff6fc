"""The stance matrix as one self-contained HTML page (``claimx consolidate --html``).

Rows are propositions (most reported first), columns are sources grouped by
affiliation (country, organisation, or each source alone;
:mod:`claimx.consolidate.affiliation`), and a cell is coloured by the
stances its claims take, with their counts. Clicking a cell opens the
verbatim quotes behind it with their outlet, article (by its headline, the
id on hover) and offsets; clicking a proposition opens all of its quotes. A
claim box takes a claim in the reader's words and highlights the rows that
state it and their cells (matched as the grouping matches wordings; see
``matrix.js``). Filters (minimum articles, minimum sources, a speaker, an
outlet), a search box and pagination run in the page itself, so it stays
usable with hundreds of articles: the data is embedded once as JSON and only
the rows of the current page are drawn (``benchmarks/bench_matrix_page.py``
measures a 500-article corpus).

The template is ``templates/matrix.html.j2`` (with ``matrix.css`` and
``matrix.js`` inlined); see :mod:`claimx.html_page`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from claimx.consolidate.lexicon import META_STEMS
from claimx.consolidate.model import DEFAULT_MIN_ARTICLES, DEFAULT_MIN_SOURCES, Consolidation
from claimx.html_page import article_title, render_page
from claimx.models import STANCES
from claimx.text.normalize import GROUPING, WordPolicy

__all__ = ["CLAIM_MATCH", "GROUP_BY", "page_data", "policy_data", "render_html"]

GROUP_BY = ("country", "organisation", "source")
"""How the page can group its columns; the first is the default."""

CLAIM_MATCH = {"floor": 0.3, "near": 0.8}
"""The claim box: when the proposition closest to a typed claim scores at least ``floor``
(IDF-weighted Jaccard similarity), it and every proposition scoring at least ``near``
times as much state the claim; else none does. On the five
articles' gold, "Washington did not take part in the attack" finds the US-involvement
row alone (0.65, the next 0.24), "victory day parade" both parade rows (0.33, 0.27) and
"Putin was the target" nothing (0.24): the grouping's own threshold (0.55) is for two
full propositions, and a typed claim is often shorter."""


def policy_data(policy: WordPolicy = GROUPING) -> dict[str, Any]:
    """The word policy as data for the page's script, which applies it as
    :func:`claimx.text.normalize.content_words` does (one list of words, two readers)."""
    return {
        "spellings": [
            [p.pattern, r, "gi" if p.flags & re.IGNORECASE else "g"] for p, r in policy.spellings
        ],  # fmt: skip
        "contractions": [list(c) for c in policy.contractions],
        "word": policy.word.pattern,
        "stop": sorted(policy.stop_words),
        "suffixes": [list(s) for s in policy.stem.suffixes],
        "minStem": policy.stem.min_stem,
        "negations": sorted(policy.negations),
        "negation": policy.negation,
        "lexicon": dict(policy.lexicon),
        "meta": sorted(META_STEMS),
    }


def page_data(
    result: Consolidation,
    *,
    outlets: Mapping[str, str] | None = None,
    min_articles: int = DEFAULT_MIN_ARTICLES,
    min_speakers: int = DEFAULT_MIN_SOURCES,
    group_by: str = GROUP_BY[0],
    texts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The compact JSON the page's script reads: indices instead of repeated strings.

    An evidence item is ``[article, stance, quote, start, end, direct, speaker
    as named, claim wording]`` (the wording is "" when it is the proposition's).
    An article is ``{"id", "outlet", "title"}``: its title is its headline
    (:func:`claimx.html_page.article_title` of ``texts[id]``), "" when its text
    is not given.
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, got {group_by!r}")
    outlets = outlets or {}
    texts = texts or {}
    article_index = {a: i for i, a in enumerate(result.articles)}
    source_index = {s.id: i for i, s in enumerate(result.speakers)}
    affiliation = {a.speaker_id: a for a in result.affiliations}
    sources = []
    for s in result.speakers:
        aff = affiliation.get(s.id)
        sources.append(
            {
                "name": s.name,
                "role": s.role or "",
                "org": (aff.organisation if aff else None) or "",
                "country": (aff.country if aff else None) or "",
            }
        )
    groups = []
    for g in result.groups:
        cells = []
        for c in g.cells:
            evidence = [
                [
                    article_index[e.article_id],
                    STANCES.index(e.stance),
                    e.quote,
                    e.start,
                    e.end,
                    int(e.direct),
                    e.speaker,
                    "" if e.claim == g.proposition else e.claim,
                ]
                for e in c.evidence
            ]
            cells.append({"s": source_index[c.speaker_id], "ev": evidence})
        groups.append(
            {
                "id": g.id,
                "p": g.proposition,
                "variants": g.variants[1:],
                "a": [article_index[a] for a in g.articles],
                "cells": cells,
            }
        )
    return {
        "method": result.method,
        "threshold": result.threshold,
        "stances": list(STANCES),
        "articles": [
            {"id": a, "outlet": outlets.get(a, ""), "title": article_title(texts.get(a, ""))}
            for a in result.articles
        ],
        "sources": sources,
        "groups": groups,
        "initial": {"minArticles": min_articles, "minSources": min_speakers, "groupBy": group_by},
        "words": policy_data(),
        "claimMatch": CLAIM_MATCH,
    }


def render_html(
    result: Consolidation,
    *,
    outlets: Mapping[str, str] | None = None,
    min_articles: int = DEFAULT_MIN_ARTICLES,
    min_speakers: int = DEFAULT_MIN_SOURCES,
    group_by: str = GROUP_BY[0],
    title: str = "claimx stance matrix",
    texts: Mapping[str, str] | None = None,
) -> str:
    """The whole page. ``outlets``: article id -> outlet name. ``texts``: article id ->
    text, whose headline names the article (the id is on hover; the id alone names an
    article whose text is not given). ``min_articles`` / ``min_speakers`` /
    ``group_by``: the filters and column grouping the page opens with; the reader can
    change them."""
    data = page_data(
        result,
        outlets=outlets,
        min_articles=min_articles,
        min_speakers=min_speakers,
        group_by=group_by,
        texts=texts,
    )
    n_claims = sum(len(c.evidence) for g in result.groups for c in g.cells)
    return render_page(
        "claimx.consolidate",
        "matrix.html.j2",
        title=title,
        data=data,
        n_claims=n_claims,
        has_outlets=any(a["outlet"] for a in data["articles"]),
        n_articles=len(result.articles),
        n_groups=len(result.groups),
        n_sources=len(result.speakers),
        method=result.method,
        threshold=result.threshold,
        group_by=GROUP_BY,
    )
