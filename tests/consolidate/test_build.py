"""consolidate(): the stance matrix across gold files and extraction results."""

from __future__ import annotations

import json
import re

from claimx.consolidate.build import consolidate
from claimx.consolidate.grouping import GROUP_THRESHOLD
from claimx.consolidate.model import Consolidation
from claimx.consolidate.quality import grouping_quality

from .corpus import KREMLIN_SIDE, US, US_SIDE, gold_articles, small_corpus
from .paraphrases import baseline_groups


def test_consolidate_builds_the_stance_matrix_across_gold_and_extractions() -> None:
    result = consolidate(small_corpus())
    assert result.articles == ["a1", "a2"]
    top = result.groups[0]
    assert top.proposition == US
    assert top.variants == [US, "Washington was behind the Kremlin drone strike."]
    assert top.articles == ["a1", "a2"]
    # Spelling variants are one source across articles; with one article each, the
    # fullest spelling names it.
    cells = {c.speaker: c for c in top.cells}
    assert set(cells) == {"Dmitri S. Peskov", "John F. Kirby"}
    peskov, kirby = cells["Dmitri S. Peskov"], cells["John F. Kirby"]
    assert peskov.stances == ["supports"] and not peskov.mixed
    assert peskov.articles == ["a1", "a2"]
    assert kirby.stances == ["refutes", "uncertain"] and kirby.mixed
    assert [e.quote for e in kirby.evidence] == ["We had nothing to do with this", "we don't know"]
    assert [e.speaker for e in peskov.evidence] == ["Dmitry Peskov", "Dmitri S. Peskov"]
    assert len(result.groups) == 2
    assert {s.id for s in result.speakers} == {
        "dmitri-s-peskov",
        "john-f-kirby",
        "mykhailo-podolyak",
    }


def test_group_ids_are_stable_hashes_of_the_proposition() -> None:
    first, second = consolidate(small_corpus()), consolidate(small_corpus()[::-1])
    assert {g.id: g.proposition for g in first.groups} == {
        g.id: g.proposition for g in second.groups
    }
    assert all(re.fullmatch(r"p-[0-9a-f]{10}", g.id) for g in first.groups)


def test_json_round_trip_and_stable_keys() -> None:
    result = consolidate(small_corpus())
    data = json.loads(result.model_dump_json())
    assert list(data) == ["method", "threshold", "articles", "speakers", "affiliations", "groups"]
    assert [a["speaker_id"] for a in data["affiliations"]] == [s["id"] for s in data["speakers"]]
    assert list(data["groups"][0]) == ["id", "proposition", "variants", "articles", "cells"]
    assert list(data["groups"][0]["cells"][0]) == [
        "speaker_id", "speaker", "stances", "mixed", "articles", "evidence"
    ]  # fmt: skip
    assert data["threshold"] == GROUP_THRESHOLD
    assert Consolidation.model_validate_json(result.model_dump_json()) == result


def test_gold_us_involvement_is_one_group_with_kremlin_supporting_and_us_refuting() -> None:
    gold, texts = gold_articles()
    result = consolidate(gold, texts=texts)
    (group,) = [g for g in result.groups if US in g.variants]
    reported_in = {g.article_id for g in gold if any(c.claim == US for c in g.claims)}
    assert set(group.articles) >= reported_in
    if len(reported_in) >= 2:
        assert len(group.articles) >= 2
    kremlin = [c for c in group.cells if any(k in c.speaker_id for k in KREMLIN_SIDE)]
    us = [c for c in group.cells if any(k in c.speaker_id for k in US_SIDE)]
    assert kremlin and us
    assert all(c.stances == ["supports"] for c in kremlin), [
        (c.speaker, c.stances) for c in kremlin
    ]
    assert all(c.stances == ["refutes"] for c in us), [(c.speaker, c.stances) for c in us]
    # One Peskov and one Kirby, whatever the spelling in each article.
    assert sum("peskov" in c.speaker_id for c in group.cells) <= 1
    assert sum("kirby" in c.speaker_id for c in group.cells) == 1


def test_grouping_quality_on_gold() -> None:
    gold, _ = gold_articles()
    q = grouping_quality(gold)
    assert q["claims"] == sum(len(g.claims) for g in gold)
    if q["true_pairs"]:
        assert q["recall"] == 1.0  # identical wordings always meet
        assert q["precision"] >= 0.9
    baseline = grouping_quality(gold, grouper=baseline_groups)
    assert baseline["claims"] == q["claims"]
