"""Named features of one claim and one article, for the baseline and the classifier.

Every feature is topic-free: overlap measures and cue counts, never the words
themselves. That matters on FNC-1, whose headlines recur across the tune and
report parts (:mod:`claimx.datasets.fnc1`): a feature that named a headline's
words could learn its label from the tune part's copy of it.

* overlap: ``best`` (the screen's score), ``second`` (the next best
  sentence), ``article`` (the whole article's weighted coverage), ``share``
  (unweighted share of claim words found), ``lead`` (best coverage among the
  first :data:`LEAD_SENTENCES` sentences, where news puts its claim);
* cues in the :data:`TOP_SENTENCES` best-matching sentences (``top_*``) and,
  per sentence, in the whole article (``rate_*``): refute, hedge, support,
  negation (:mod:`claimx.targeted.cues`);
* the claim's own cues (``claim_refute``, ``claim_hedge``, ``claim_negation``)
  and question mark (``claim_question``): a headline that asks or says
  "reportedly" is discussed more often than agreed with;
* ``log_sentences``: the article's length.

The model's answer is not among them: it would be (one-hot of its stance)
once the model has answered the tune part's pairs to retrain on
(:mod:`claimx.targeted.classifier`).
"""

from __future__ import annotations

import math

from claimx.targeted.cues import CUE_KINDS, CueCounts, count_cues
from claimx.targeted.lexical import ArticleView, Idf, claim_words, coverage

__all__ = ["FEATURES", "LEAD_SENTENCES", "TOP_SENTENCES", "pair_features"]

TOP_SENTENCES = 3
"""Best-matching sentences whose cues count as "near the claim"."""
LEAD_SENTENCES = 3

FEATURES: tuple[str, ...] = (
    "best",
    "second",
    "article",
    "share",
    "lead",
    *(f"top_{k}" for k in CUE_KINDS),
    *(f"rate_{k}" for k in CUE_KINDS),
    "claim_refute",
    "claim_hedge",
    "claim_negation",
    "claim_question",
    "log_sentences",
)
"""The feature names, in the order of a feature vector."""


def _as_dict(prefix: str, cues: CueCounts, scale: float = 1.0) -> dict[str, float]:
    return {f"{prefix}_{k}": getattr(cues, k) * scale for k in CUE_KINDS}


def pair_features(claim: str, article: ArticleView, idf: Idf) -> dict[str, float]:
    """The features of :data:`FEATURES`, by name (module docstring)."""
    words = claim_words(claim)
    scores = [coverage(words, s.words, idf) for s in article.sentences]
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    top = [article.sentences[i].cues for i in order[:TOP_SENTENCES] if scores[i] > 0]
    everywhere = sum((s.cues for s in article.sentences), CueCounts())
    n = len(article.sentences)
    found = words & article.words
    claim_cues = count_cues(claim)
    values = {
        "best": scores[order[0]] if order else 0.0,
        "second": scores[order[1]] if len(order) > 1 else 0.0,
        "article": coverage(words, article.words, idf),
        "share": len(found) / len(words) if words else 0.0,
        "lead": max(scores[:LEAD_SENTENCES], default=0.0),
        **_as_dict("top", sum(top, CueCounts())),
        **_as_dict("rate", everywhere, 1.0 / max(n, 1)),
        "claim_refute": float(claim_cues.refute),
        "claim_hedge": float(claim_cues.hedge),
        "claim_negation": float(claim_cues.negation),
        "claim_question": float("?" in claim),
        "log_sentences": math.log1p(n),
    }
    return {name: float(values[name]) for name in FEATURES}
