"""The stance-matrix page: self-contained, escaped, and carrying the data its script draws."""

from __future__ import annotations

import json
import re

import pytest

from claimx.consolidate.build import consolidate
from claimx.consolidate.html import page_data, render_html
from claimx.html_page import TITLE_CHARS, article_title

from .corpus import US, hostile_corpus, small_corpus


def embedded(page: str) -> dict[str, object]:
    found = re.search(
        r'<script type="application/json" id="matrix-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_page_is_self_contained() -> None:
    page = render_html(consolidate(small_corpus()))
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # Nothing is fetched: no external script, style sheet, image or font.
    assert not re.search(r"""\s(src|href)=|url\(|@import|https?://""", page)
    assert "@media print" in page


def test_hostile_text_cannot_close_the_data_script() -> None:
    page = render_html(consolidate(hostile_corpus()))
    # One data script and one program script; the claim's <script> stays escaped text.
    assert page.count("</script>") == 2
    assert "<script>alert(1)" not in page
    data = embedded(page)
    groups = data["groups"]
    assert isinstance(groups, list)
    assert groups[0]["p"] == "The <script>alert(1)</script> plan | works & more"


def test_page_data_is_compact_and_complete() -> None:
    result = consolidate(small_corpus())
    data = page_data(result, outlets={"a1": "Daily Planet"}, min_articles=1, min_speakers=2)
    assert data["initial"] == {"minArticles": 1, "minSources": 2, "groupBy": "country"}
    assert data["articles"] == [
        {"id": "a1", "outlet": "Daily Planet", "title": ""},  # no text given: named by its id
        {"id": "a2", "outlet": "", "title": ""},
    ]
    top = data["groups"][0]
    assert top["p"] == US and top["a"] == [0, 1]
    sources = data["sources"]
    kirby = next(c for c in top["cells"] if sources[c["s"]]["name"] == "John F. Kirby")
    # [article, stance, quote, start, end, direct, speaker as named, own wording or ""]
    assert kirby["ev"] == [
        [0, 1, "We had nothing to do with this", 0, 30, 1, "John Kirby", ""],
        [1, 2, "we don't know", 0, 13, 1, "John F. Kirby", ""],
    ]
    assert sources[kirby["s"]]["country"] == ""  # no role given: no affiliation known
    n_evidence = sum(len(c["ev"]) for g in data["groups"] for c in g["cells"])
    assert n_evidence == sum(len(c.evidence) for g in result.groups for c in g.cells)


def test_unknown_column_grouping_is_refused() -> None:
    with pytest.raises(ValueError, match="group_by must be one of country"):
        page_data(consolidate(small_corpus()), group_by="party")


def test_articles_are_named_by_their_headline_not_by_page_furniture() -> None:
    scraped = (
        "Skip to content\n\nSunday, July 14, 2024\n    News U.S.\n\n"
        "  Kremlin accuses Washington of directing drone attack on Putin  \n\n"
        "KYIV, Ukraine — The Kremlin spokesman on Thursday accused the United States.\n"
    )
    assert article_title(scraped) == "Kremlin accuses Washington of directing drone attack on Putin"
    lede = "While Dmitri S. Peskov blamed the U.S. for a reported drone attack " * 3
    assert article_title("\n" + lede) == lede[: lede.rfind(" ", 0, TITLE_CHARS)] + "…"
    assert len(article_title("x" * 500)) == TITLE_CHARS + 1 and article_title("\n \n") == ""
    texts = {"a1": scraped, "a2": "Second story\n\nBody."}
    data = page_data(consolidate(small_corpus()), texts=texts)
    assert [a["title"] for a in data["articles"]] == [article_title(scraped), "Second story"]
    page = render_html(consolidate(small_corpus()), texts=texts)
    assert "Kremlin accuses Washington of directing drone attack on Putin" in page
