"""The stance matrix as markdown."""

from __future__ import annotations

import re

from claimx.consolidate.build import consolidate
from claimx.consolidate.markdown import render_markdown
from claimx.models import GoldArticle

from .corpus import US, hostile_corpus, make_claim, small_corpus
from .paraphrases import CANONICAL


def test_markdown_shows_the_shared_propositions_and_their_evidence() -> None:
    md = render_markdown(consolidate(small_corpus()))
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert table[0] == "| Proposition | Articles | Dmitri S. Peskov | John F. Kirby |"
    assert table[2] == f"| {US} | 2 | supports ×2 | refutes / uncertain |"
    assert CANONICAL["P-STAGED"] not in md  # one article, one source: not shared
    assert "- **John F. Kirby** uncertain — `a2`: “we don't know”" in md
    everything = render_markdown(consolidate(small_corpus()), min_articles=1, min_speakers=1)
    assert CANONICAL["P-STAGED"] in everything


def test_markdown_escapes_table_breaking_characters() -> None:
    md = render_markdown(consolidate(hostile_corpus()))
    row = next(line for line in md.splitlines() if "plan" in line and line.startswith("|"))
    assert r"plan \| works" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 4  # proposition, articles, one source
    assert "<script>" not in md


def test_nothing_shared() -> None:
    single = [
        GoldArticle(article_id="a", claims=[make_claim(US, "Dmitry Peskov", "supports", "q")])
    ]
    result = consolidate(single)
    assert "No proposition is shared." in render_markdown(result)
    assert "No proposition is shared." not in render_markdown(result, min_articles=1)


def test_filters_combine_with_and() -> None:
    # US: 2 articles, 2 sources. STAGED: 1 article, 1 source.
    result = consolidate(small_corpus())
    assert [g.proposition for g in result.shared(min_articles=2, min_speakers=3)] == []
    assert [g.proposition for g in result.shared(min_articles=1, min_speakers=2)] == [US]
    assert len(result.shared(min_articles=1, min_speakers=1)) == 2
    md = render_markdown(result, min_articles=3, min_speakers=1)
    assert "(0 shown: reported in ≥3 articles and by ≥1 sources)" in md
