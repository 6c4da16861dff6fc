"""The grouping: content words, anchors (numbers, dates, months) and the clusters."""

from __future__ import annotations

import pytest

from claimx.consolidate.grouping import group_propositions
from claimx.consolidate.lexicon import anchors, content_words
from claimx.consolidate.quality import pairwise_quality

from .paraphrases import CANONICAL, SETS, figures


def test_content_words_fold_metonyms_synonyms_and_stop_words() -> None:
    assert content_words("Washington was behind the Kremlin drone strike.") == content_words(
        "The United States was involved in the drone attack on the Kremlin."
    )
    assert content_words("The U.S. didn't do it") == content_words(
        "the United States did not do it"
    )
    assert "not" in content_words("Decisions are made in Washington, not in Kyiv")
    assert content_words("the and of it") == frozenset()


def test_the_brief_example_paraphrase_joins_the_canonical_claim() -> None:
    claims = [*CANONICAL.values(), "Washington was behind the Kremlin drone strike."]
    groups = group_propositions(claims)
    assert groups[-1] == groups[0]  # P-US-INVOLVED
    assert len(set(groups)) == len(CANONICAL)


def test_propositions_differing_in_one_word_stay_apart_in_a_gold_like_corpus() -> None:
    # Rule 4 of the annotation standard splits these; their wording differs in one word.
    claims = (
        [CANONICAL["P-US-ENCOURAGES"]] * 3
        + [CANONICAL["P-US-ENABLES"]] * 3
        + [CANONICAL["P-WASH-TARGETS"]] * 2
        + [CANONICAL["P-WASH-MEANS"]] * 2
        + [CANONICAL["P-US-INVOLVED"]] * 4
    )
    assert group_propositions(claims) == [0] * 3 + [1] * 3 + [2] * 2 + [3] * 2 + [4] * 4


def test_group_indices_follow_first_appearance() -> None:
    assert group_propositions([]) == []
    assert group_propositions(["Anything."]) == [0]
    claims = [CANONICAL["P-STAGED"], CANONICAL["P-TERRORIST"], CANONICAL["P-STAGED"]]
    assert group_propositions(claims) == [0, 1, 0]


def test_pairwise_quality_counts_pairs() -> None:
    q = pairwise_quality(["a", "a", "b", "b"], [0, 0, 0, 1])
    assert (q["tp"], q["fp"], q["fn"], q["pairs"]) == (1, 2, 1, 6)
    assert q["precision"] == pytest.approx(1 / 3) and q["recall"] == pytest.approx(1 / 2)
    cross = pairwise_quality(["a", "a", "b", "b"], [0, 0, 0, 1], article_ids=["x", "y", "x", "y"])
    assert (cross["tp"], cross["fp"], cross["fn"], cross["pairs"]) == (1, 1, 1, 4)
    with pytest.raises(ValueError):
        pairwise_quality(["a"], [0, 1])


def test_grouping_of_paraphrases_keeps_its_measured_level() -> None:
    # Floors a little under the measured figures (dev 0.92, test 0.75, holdout 0.60 with
    # precision 1.00, model 0.25 with precision 0.81), so a regression fails here.
    f = figures()
    for name in SETS:
        assert f[name]["ours"]["precision"] > f[name]["baseline"]["precision"], name
    for name in ("dev", "test", "holdout"):
        assert f[name]["ours"]["f1"] > f[name]["baseline"]["f1"], name
    # On the model-written claims the baseline's single linkage chains most claims
    # about the event together: more true pairs (recall 0.56) at precision 0.46.
    # That trade is not wanted in a stance matrix; the figure is reported, not hidden.
    assert f["dev"]["ours"]["f1"] >= 0.90
    assert f["test"]["ours"]["f1"] >= 0.70 and f["test"]["ours"]["precision"] >= 0.85
    assert f["holdout"]["ours"]["f1"] >= 0.55 and f["holdout"]["ours"]["precision"] >= 0.95
    assert f["model"]["ours"]["f1"] >= 0.20 and f["model"]["ours"]["precision"] >= 0.75


def test_anchors_are_numbers_dates_and_named_months() -> None:
    assert anchors("The $300 million package arrives on May 9.") == {"n:3e+08", "n:9", "month:5"}
    assert anchors("Aid reached $35.7 billion, 23,375 casualties, 98 percent") == {
        "n:3.57e+10",
        "n:23375",
        "n:98",
    }
    assert anchors("Russia may retaliate in June with two drones.") == {"month:6", "n:2"}
    assert anchors("May the parade go ahead.") == frozenset()  # the verb, not the month
    assert anchors("Protesters march on the Kremlin.") == frozenset()
    assert anchors("The parade was cancelled on Thursday.") == frozenset()  # weekdays: relative


def test_numbers_dates_and_months_block_a_merge() -> None:
    claims = [
        "The Victory Day parade in Moscow will open in May.",
        "The Victory Day parade in Moscow will open in June.",
        "The Victory Day parade in Moscow will open in May.",
        "The US gives Ukraine a $300 million aid package.",
        "The US gives Ukraine a $500 million aid package.",
        "Two drones attacked the Kremlin.",
        "Three drones attacked the Kremlin.",
    ]
    assert group_propositions(claims) == [0, 1, 0, 2, 3, 4, 5]


def test_a_claim_without_anchors_can_still_join_one_with_them() -> None:
    claims = [
        "The Victory Day parade in Moscow will go ahead as planned.",
        "The Victory Day parade in Moscow will go ahead as planned on May 9.",
    ]
    assert group_propositions(claims) == [0, 0]
