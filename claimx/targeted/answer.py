"""Phase 1's answer for one claim and one article: everything short of asking the model.

Given the article text and claims already extracted from it (an
:class:`~claimx.models.ExtractionResult` of ``claimx extract``, or a gold file's
claims), :func:`answer` decides in this order and stops at the first step
that decides:

1. **screen** (:mod:`claimx.targeted.screen`): the article plainly does not
   address the claim -> ``unrelated``, no model call;
2. **sources** (:mod:`claimx.targeted.matching`, then
   :mod:`claimx.targeted.aggregate`): extracted claims that state the claim
   or its negation give each source's stance, with the extracted evidence,
   and the sources decide the article's position;
3. **classifier** (:mod:`claimx.targeted.classifier`): related, but no
   extracted claim states the claim -> the lexical classifier's position,
   with no sources. This is the step phase 2 gives to the model (a versioned
   prompt that receives the claim and the best-matching passages and answers
   the article's position, the sources and their evidence); the classifier
   stays as the fallback and takes the model's answer as a feature.

No step calls a model or re-extracts: ``usage`` is always zero here. For a
corpus, :func:`answer_corpus` weighs proposition words by IDF over every
extracted claim of the corpus (a word every article's claims share weighs
little), which one article alone cannot do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from claimx.models import (
    ArticleStance,
    Claim,
    ExtractionResult,
    GoldArticle,
    MatchedSource,
    TargetedAnswer,
    TargetedDecider,
)
from claimx.targeted.aggregate import article_position
from claimx.targeted.features import pair_features
from claimx.targeted.lexical import view
from claimx.targeted.matching import matched_sources, proposition_weights
from claimx.targeted.screen import screen
from claimx.targeted.shipped import Shipped, shipped

__all__ = ["answer", "answer_corpus"]

_CLASSIFIED = (
    "no extracted claim states the claim: the position is the lexical classifier's, with no sources"
)


def answer(
    claim: str,
    article_id: str,
    text: str,
    claims: Sequence[Claim],
    *,
    weights: Mapping[str, float] | None = None,
    parts: Shipped | None = None,
) -> TargetedAnswer:
    """The article's position toward ``claim`` and its sources' stances (module docstring)."""
    parts = parts if parts is not None else shipped()
    article = view(text)
    verdict = screen(claim, article, parts.idf, parts.screen_threshold)

    def decided(
        stance: ArticleStance,
        by: TargetedDecider,
        sources: list[MatchedSource] | None = None,
        warnings: list[str] | None = None,
    ) -> TargetedAnswer:
        return TargetedAnswer(
            claim=claim,
            article_id=article_id,
            stance=stance,
            decided_by=by,
            sources=sources or [],
            relatedness=round(min(verdict.score, 1.0), 4),
            best_start=verdict.best.start if verdict.best else None,
            best_end=verdict.best.end if verdict.best else None,
            warnings=warnings or [],
        )

    if verdict.unrelated:
        return decided("unrelated", "screen")
    sources = matched_sources(claim, claims, weights=weights)
    position = article_position(s.stance for s in sources)
    if position is not None:
        return decided(position, "sources", sources)
    (guess,) = parts.classifier.predict([pair_features(claim, article, parts.idf)])
    return decided(guess, "classifier", warnings=[_CLASSIFIED])


def answer_corpus(
    claim: str,
    results: Sequence[ExtractionResult | GoldArticle],
    texts: Mapping[str, str],
    *,
    parts: Shipped | None = None,
) -> list[TargetedAnswer]:
    """:func:`answer` for every article of ``results`` whose text is in ``texts``, in order,
    with IDF over the whole corpus's claims."""
    everything = [c.claim for r in results for c in r.claims]
    weights = proposition_weights([claim, *everything])
    return [
        answer(
            claim,
            r.article_id,
            texts[r.article_id],
            cast(Sequence[Claim], r.claims),
            weights=weights,
            parts=parts,
        )
        for r in results
        if r.article_id in texts
    ]
