"""Metrics on hand-made cases: each definition of eval/README.md ("How scoring works")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from claimx.eval.metrics import (
    METRICS,
    ArticleScore,
    Counts,
    compute_metrics,
    score_article,
    score_system,
)
from claimx.llm.pricing import estimate_cost, is_priced, price_per_million
from claimx.models import ExtractedClaim

from .factory import GOLD, INVOLVED, article, perfect, pred, system

# The majority-stance accuracy is the trivial baseline's, not the system's: it is not 1
# for a perfect system (tested on its own below).
RATIOS = [m.key for m in METRICS if m.kind == "ratio" and m.key != "stance_majority_accuracy"]


def scored(
    preds: list[ExtractedClaim] | None, ungrounded: list[ExtractedClaim] | None = None
) -> ArticleScore:
    return score_article(article(preds, ungrounded=ungrounded))


def test_identical_output_scores_one_on_every_ratio() -> None:
    art = scored(perfect())
    assert art.metrics.keys() == {m.key for m in METRICS}
    for key in RATIOS:
        assert art.metrics[key] == 1.0, key
    assert art.missed == [] and art.spurious == []


def test_empty_output_scores_zero_recall_and_f1() -> None:
    m = scored([]).metrics
    for key in ("claim_recall", "claim_f1", "joint_recall", "joint_f1", "speaker_set_f1"):
        assert m[key] == 0.0, key
    assert m["claim_precision"] == 0.0
    # Nothing matched: accuracies on matched pairs are undefined, not 0 or 1.
    assert m["speaker_accuracy"] is None and m["stance_accuracy"] is None


def test_swapped_stance_keeps_claim_f1_and_costs_joint() -> None:
    art = scored([pred(GOLD[0], stance="supports"), *perfect()[1:]])
    m = art.metrics
    assert m["claim_f1"] == 1.0
    assert m["stance_accuracy"] == 0.75 and m["speaker_accuracy"] == 1.0
    assert m["joint_precision"] == m["joint_recall"] == m["joint_f1"] == 0.75
    confusion = art.counts.confusion_matrix()
    assert confusion["refutes"]["supports"] == 1
    assert confusion["supports"]["supports"] == 2 and confusion["uncertain"]["uncertain"] == 1
    assert sum(sum(row.values()) for row in confusion.values()) == 4


def test_wrong_speaker_costs_joint_but_a_surname_alone_is_right() -> None:
    preds = [
        pred(GOLD[0], speaker="Dmitry Peskov"),  # Kirby's claim given to Peskov
        pred(GOLD[1], speaker="Mr. Peskov"),  # the surname of the right source
        pred(GOLD[2]),
    ]
    art = scored(preds)
    assert [p.speaker_ok for p in art.pairs] == [False, True, True]
    m = art.metrics
    assert m["claim_precision"] == 1.0 and m["claim_recall"] == 0.75
    assert m["speaker_accuracy"] == pytest.approx(2 / 3) and m["joint_recall"] == 0.5
    # Only Peskov is named ("Mr. Peskov" is the same source): Kirby is missing.
    assert m["speaker_set_precision"] == 1.0 and m["speaker_set_recall"] == 0.5


def test_duplicated_prediction_is_a_false_positive() -> None:
    art = scored([pred(GOLD[0]), pred(GOLD[0])])
    m = art.metrics
    assert m["claim_precision"] == 0.5 and m["claim_recall"] == 0.25
    assert len(art.spurious) == 1 and art.missed == [1, 2, 3]


def test_quote_not_in_the_article_counts_against_grounding_not_matching() -> None:
    ghost = pred(GOLD[0], method="none")  # in result.ungrounded: not a prediction
    fuzzy = pred(GOLD[3], method="fuzzy")
    art = scored([pred(GOLD[1]), fuzzy], ungrounded=[ghost])
    m = art.metrics
    assert m["quotes_exact"] == pytest.approx(1 / 3)
    assert m["quotes_grounded"] == pytest.approx(2 / 3)
    assert art.counts.n_pred == 2 and m["claim_precision"] == 1.0


def test_kept_ungrounded_claim_matches_without_span() -> None:
    art = scored([pred(GOLD[0], method="none")])  # keep_ungrounded: among result.claims
    assert art.counts.matched == 1 and art.counts.matched_without_span == 1
    assert art.metrics["quotes_grounded"] == 0.0


def test_failed_article_counts_its_gold_as_missed() -> None:
    art = scored(None)
    assert art.error is not None and "ExtractionError" in art.error
    assert art.counts.failed == 1 and art.counts.n_gold == 4 and art.missed == [0, 1, 2, 3]
    assert art.metrics["claim_recall"] == 0.0
    assert art.metrics["prompt_tokens"] is None  # no result, no usage


def test_totals_are_micro_averages() -> None:
    # a0 has one gold claim, found; a1 has four, none found; a2 failed.
    # Micro recall pools the counts: 1/9. The mean of per-article recalls would be 1/3.
    run = system("s", [[pred(GOLD[0])], [], None])
    small = replace(run.articles[0], gold=GOLD[:1])
    score = score_system(replace(run, articles=[small, *run.articles[1:]]))
    assert score.total.n_gold == 9 and score.total.matched == 1
    assert score.metrics["claim_recall"] == pytest.approx(1 / 9)
    assert [a.metrics["claim_recall"] for a in score.articles] == [1.0, 0.0, 0.0]
    assert score.total.failed == 1 and score.total.articles == 3
    # Per-article costs are over the articles that produced a result.
    assert score.metrics["prompt_tokens"] == 1000.0 and score.metrics["latency_s"] == 2.0


def test_no_gold_and_no_prediction_is_perfect() -> None:
    m = compute_metrics(Counts())
    assert m["claim_f1"] == 1.0 and m["claim_precision"] == 1.0


def test_cost_is_estimated_for_known_models_only() -> None:
    assert price_per_million("gpt-4o-mini-2024-07-18") == (0.15, 0.60)
    assert price_per_million("openai/gpt-4o") == (2.50, 10.00)
    assert not is_priced("local") and estimate_cost("qwen2.5:1.5b", 10**6, 10**6) == 0.0
    assert estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    priced = score_article(article(perfect(), model="gpt-4o-mini"))
    # 1000 prompt + 100 completion tokens at 0.15 / 0.60 USD per million
    assert priced.counts.cost_usd == pytest.approx(0.00021)


def test_similarity_and_overlap_are_reported_per_pair() -> None:
    art = scored([pred(GOLD[0], claim="The US was involved in the attack.")])
    (pair,) = art.pairs
    assert pair.similarity == 0.75 and pair.overlap == 1.0 and pair.joint_ok
    assert INVOLVED == GOLD[pair.gold].claim
