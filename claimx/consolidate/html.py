"""The stance matrix as one self-contained HTML page (``claimx consolidate --html``).

Rows are propositions (most reported first), columns are sources grouped by
affiliation (country, organisation, or each source alone;
:mod:`claimx.consolidate.affiliation`), and a cell is coloured by the
stances its claims take, with their counts. Clicking a cell opens the
verbatim quotes behind it with their outlet, article and offsets; clicking a
proposition opens all of its quotes. Filters (minimum articles, minimum
sources, a speaker, an outlet), a search box and pagination run in the page
itself, so it stays usable with hundreds of articles: the data is embedded
once as JSON and only the rows of the current page are drawn
(``benchmarks/bench_matrix_page.py`` measures a 500-article corpus).

The template is ``templates/matrix.html.j2`` (with ``matrix.css`` and
``matrix.js`` inlined); see :mod:`claimx.html_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from claimx.consolidate.model import DEFAULT_MIN_ARTICLES, DEFAULT_MIN_SOURCES, Consolidation
from claimx.html_page import render_page
from claimx.models import STANCES

__all__ = ["GROUP_BY", "page_data", "render_html"]

GROUP_BY = ("country", "organisation", "source")
"""How the page can group its columns; the first is the default."""


def page_data(
    result: Consolidation,
    *,
    outlets: Mapping[str, str] | None = None,
    min_articles: int = DEFAULT_MIN_ARTICLES,
    min_speakers: int = DEFAULT_MIN_SOURCES,
    group_by: str = GROUP_BY[0],
) -> dict[str, Any]:
    """The compact JSON the page's script reads: indices instead of repeated strings.

    An evidence item is ``[article, stance, quote, start, end, direct, speaker
    as named, claim wording]`` (the wording is "" when it is the proposition's).
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, got {group_by!r}")
    outlets = outlets or {}
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
        "articles": [{"id": a, "outlet": outlets.get(a, "")} for a in result.articles],
        "sources": sources,
        "groups": groups,
        "initial": {"minArticles": min_articles, "minSources": min_speakers, "groupBy": group_by},
    }


def render_html(
    result: Consolidation,
    *,
    outlets: Mapping[str, str] | None = None,
    min_articles: int = DEFAULT_MIN_ARTICLES,
    min_speakers: int = DEFAULT_MIN_SOURCES,
    group_by: str = GROUP_BY[0],
    title: str = "claimx stance matrix",
) -> str:
    """The whole page. ``outlets``: article id -> outlet name (the article id is shown
    when unknown). ``min_articles`` / ``min_speakers`` / ``group_by``: the filters and
    column grouping the page opens with; the reader can change them."""
    data = page_data(
        result,
        outlets=outlets,
        min_articles=min_articles,
        min_speakers=min_speakers,
        group_by=group_by,
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
