"""How well the grouping reunites one proposition across articles, and keeps others apart.

Pairwise precision / recall / F1 of same-group decisions (:func:`pairwise_quality`);
:func:`grouping_quality` applies it to gold files, where the gold ``claim``
wording is the proposition. ``claimx consolidate eval/gold --quality`` prints it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

from claimx.consolidate.build import norm_claim
from claimx.consolidate.grouping import GROUP_THRESHOLD, group_propositions
from claimx.models import GoldArticle

__all__ = ["format_quality", "grouping_quality", "pairwise_quality"]


def pairwise_quality(
    truth: Sequence[str],
    predicted: Sequence[int],
    *,
    article_ids: Sequence[str] | None = None,
) -> dict[str, float | int]:
    """Pairwise precision/recall/F1 of same-group decisions against true labels.

    A pair is positive when both items have the same ``truth`` label and
    predicted positive when they share a ``predicted`` group. With
    ``article_ids``, only pairs from different articles count.
    """
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    tp = fp = fn = pairs = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        if article_ids is not None and article_ids[i] == article_ids[j]:
            continue
        pairs += 1
        same, pred = truth[i] == truth[j], predicted[i] == predicted[j]
        tp += same and pred
        fp += pred and not same
        fn += same and not pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": pairs,
        "true_pairs": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def grouping_quality(
    gold_articles: Sequence[GoldArticle],
    *,
    threshold: float = GROUP_THRESHOLD,
    grouper: Callable[[Sequence[str]], list[int]] | None = None,
) -> dict[str, float | int]:
    """How well :func:`group_propositions` reunites the gold's cross-article propositions.

    Ground truth: two gold claims of different articles state the same
    proposition when their ``claim`` texts are identical (whitespace, case and
    a final period aside, :func:`~claimx.consolidate.build.norm_claim`), as the
    annotators use one canonical wording for each recurring proposition
    (eval/notes/CANONICAL.md). Returns the pairwise figures of
    :func:`pairwise_quality` over cross-article pairs, plus ``claims`` and
    ``groups``. ``grouper`` replaces the grouping function (for baselines).
    """
    claims = [c.claim for a in gold_articles for c in a.claims]
    article_ids = [a.article_id for a in gold_articles for _ in a.claims]
    if grouper is None:
        predicted = group_propositions(claims, threshold=threshold)
    else:
        predicted = grouper(claims)
    truth = [norm_claim(c) for c in claims]
    result = pairwise_quality(truth, predicted, article_ids=article_ids)
    result["claims"] = len(claims)
    result["groups"] = len(set(predicted))
    result["propositions"] = len(set(truth))
    return result


def format_quality(q: Mapping[str, float | int]) -> str:
    """:func:`grouping_quality` as the lines ``claimx consolidate --quality`` prints."""
    return (
        f"grouping quality on gold: {q['claims']} claims, {q['propositions']} propositions "
        f"(distinct gold wordings), {q['groups']} groups\n"
        f"cross-article pairs: {q['pairs']}, same proposition: {q['true_pairs']}\n"
        f"pairwise precision {q['precision']:.3f}  recall {q['recall']:.3f}  "
        f"F1 {q['f1']:.3f}  (tp {q['tp']}, fp {q['fp']}, fn {q['fn']})\n"
    )
