"""One claim, one article: the screen, then extracted claims, then the model, then the classifier.

Given the article text and the claims already extracted from it (an
:class:`~claimx.models.ExtractionResult` of ``claimx extract``, a gold file's
claims, or none), :func:`aanswer` decides in this order and stops at the
first step that decides:

1. **screen** (:mod:`claimx.targeted.screen`): the article plainly does not
   address the claim -> ``unrelated``, no model call;
2. **sources** (:mod:`claimx.targeted.matching`, then
   :mod:`claimx.targeted.aggregate`): extracted claims that state the claim
   or its negation give each source's stance, with the extracted evidence,
   and the sources, with the article's own hedging words, decide the
   article's position (:func:`~claimx.targeted.aggregate.decide_position`);
   no model call;
3. **model** (:mod:`claimx.targeted.asking`, a ``targeted`` prompt): related,
   and no extracted claim states the claim -> one request showing the claim
   and the sentences most related to it; the model names the sources, which
   are checked and kept or dropped, and its own position; the position is
   then decided by the same rule as in step 2 from the sources kept and the
   article's words, the model's own position only where no source is left
   (and ``unrelated`` where nothing related is left either);
4. **classifier** (:mod:`claimx.targeted.readers`): the position of a reader
   that needs no model, with no sources: the lexical classifier by default,
   or the encoder (``reader=``), when no model is configured (:func:`answer`,
   and ``stance_toward(..., use_model=False)``) or the model's answer did not
   validate (a warning says so; its calls still count).

The classifier is a fallback, not a judge of the model: combining the two
(the model's answer as a feature) would need the model's answers on the
FNC-1 tune part to retrain on, which no run has produced yet.

``usage`` and ``latency_s`` count the model calls made for this answer only:
claims read from saved results cost none. For a corpus, :func:`answer_corpus`
weighs proposition words by IDF over every extracted claim of the corpus (a
word every article's claims share weighs little), which one article alone
cannot do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from claimx.errors import ExtractionError
from claimx.llm.protocol import Model
from claimx.models import (
    ArticleStance,
    Claim,
    ExtractionResult,
    GoldArticle,
    MatchedSource,
    TargetedAnswer,
    TargetedDecider,
    Usage,
)
from claimx.targeted.aggregate import Narration, decide_position, narration
from claimx.targeted.asking import ask_model
from claimx.targeted.lexical import ArticleView, view
from claimx.targeted.matching import matched_sources, proposition_weights
from claimx.targeted.readers import Reader, reader
from claimx.targeted.screen import ScreenResult, screen
from claimx.targeted.shipped import Shipped, shipped
from claimx.targeted.task import TargetedTask

__all__ = ["ModelStep", "aanswer", "answer", "answer_corpus"]

_UNMATCHED = "no extracted claim states the claim"


@dataclass(frozen=True)
class ModelStep:
    """The model step's configuration: which model, asked with which targeted prompt."""

    model: Model
    task: TargetedTask
    model_name: str

    def provenance(self) -> dict[str, Any]:
        """What every answer of this step records: the prompt, its hash, the model."""
        return {
            "prompt": self.task.ref,
            "prompt_hash": self.task.content_hash,
            "model": self.model_name,
        }


class _Pair:
    """One claim and one article, through the steps that need no model."""

    def __init__(
        self,
        claim: str,
        article_id: str,
        text: str,
        parts: Shipped,
        article: ArticleView | None = None,
        by: Reader | None = None,
    ) -> None:
        self.claim, self.article_id, self.parts = claim, article_id, parts
        self.reader = by if by is not None else reader("classifier", parts)
        self.article = article if article is not None else view(text)
        self.verdict: ScreenResult = screen(claim, self.article, parts.idf, parts.screen_threshold)
        self._words: Narration | None = None

    @property
    def words(self) -> Narration:
        """The article's own words near the claim (computed when first needed)."""
        if self._words is None:
            self._words = narration(self.claim, self.article, self.parts.idf, self.parts.baseline)
        return self._words

    def decided(
        self,
        stance: ArticleStance,
        by: TargetedDecider,
        sources: list[MatchedSource] | None = None,
        warnings: list[str] | None = None,
        **extra: Any,
    ) -> TargetedAnswer:
        best = self.verdict.best
        return TargetedAnswer(
            claim=self.claim,
            article_id=self.article_id,
            stance=stance,
            decided_by=by,
            sources=sources or [],
            relatedness=round(min(self.verdict.score, 1.0), 4),
            best_start=best.start if best else None,
            best_end=best.end if best else None,
            warnings=warnings or [],
            **extra,
        )

    def without_model(
        self, claims: Sequence[Claim], weights: Mapping[str, float] | None, **extra: Any
    ) -> TargetedAnswer | None:
        """Steps 1 and 2: the screen, then the matched sources; None: undecided."""
        if self.verdict.unrelated:
            return self.decided("unrelated", "screen", **extra)
        sources = matched_sources(self.claim, claims, weights=weights)
        if not sources:
            return None  # the model (or the classifier) reads the article instead
        position, _ = decide_position((s.stance for s in sources), self.words)
        if position is None:  # not reached: sources always decide
            return None
        return self.decided(position, "sources", sources, **extra)

    def classified(self, why: str, **extra: Any) -> TargetedAnswer:
        """Step 4: the reader's position, with no sources; ``why`` the model did not decide."""
        guess = self.reader.position(self.claim, self.article)
        warning = f"{why}: the position is the {self.reader.name}'s, with no sources"
        return self.decided(guess, "classifier", warnings=[warning], **extra)


def answer(
    claim: str,
    article_id: str,
    text: str,
    claims: Sequence[Claim],
    *,
    weights: Mapping[str, float] | None = None,
    parts: Shipped | None = None,
    article: ArticleView | None = None,
    by: Reader | None = None,
) -> TargetedAnswer:
    """The article's position toward ``claim`` and its sources' stances, with no model
    (steps 1, 2 and 4 of the module docstring; ``article`` and ``by`` as in :func:`aanswer`)."""
    pair = _Pair(claim, article_id, text, parts if parts is not None else shipped(), article, by)
    return pair.without_model(claims, weights) or pair.classified(_UNMATCHED)


async def aanswer(
    claim: str,
    article_id: str,
    text: str,
    claims: Sequence[Claim] = (),
    *,
    step: ModelStep | None = None,
    weights: Mapping[str, float] | None = None,
    parts: Shipped | None = None,
    article: ArticleView | None = None,
    by: Reader | None = None,
) -> TargetedAnswer:
    """The article's position toward ``claim`` and its sources' stances (module docstring).

    ``step``: the model to ask where the steps without a model leave the article
    undecided (None: the reader ``by`` answers instead, default the lexical
    classifier). ``article``: the text's
    :func:`~claimx.targeted.lexical.view`, when the caller asks several claims of it.
    Raises the model's errors other than an invalid answer (an unreachable server,
    a cassette miss): those stop a run rather than turn into classifier answers.
    """
    pair = _Pair(claim, article_id, text, parts if parts is not None else shipped(), article, by)
    extra = step.provenance() if step is not None else {}
    decided = pair.without_model(claims, weights, **extra)
    if decided is not None:
        return decided
    if step is None:
        return pair.classified(_UNMATCHED)
    try:
        verdict = await ask_model(
            step.model,
            step.task,
            claim,
            pair.article,
            pair.parts.idf,
            least_coverage=pair.parts.screen_threshold,
        )
    except ExtractionError as exc:
        spent = exc.usage or Usage(calls=max(exc.attempts, 1))
        return pair.classified(f"the model gave no valid answer ({exc})", usage=spent, **extra)
    if verdict is None:
        return pair.classified("the article has no sentence to show the model", **extra)
    position, why = decide_position(
        (s.stance for s in verdict.sources), pair.words, verdict.position
    )
    warnings = list(verdict.warnings)
    if position != verdict.position:
        warnings.append(f"the model said {verdict.position}; the rules say {position}: {why}")
    return pair.decided(
        position or verdict.position,
        "model",
        verdict.sources,
        warnings,
        usage=verdict.usage,
        latency_s=verdict.latency_s,
        cached=verdict.cached,
        **extra,
    )


def answer_corpus(
    claim: str,
    results: Sequence[ExtractionResult | GoldArticle],
    texts: Mapping[str, str],
    *,
    parts: Shipped | None = None,
    by: Reader | None = None,
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
            by=by,
        )
        for r in results
        if r.article_id in texts
    ]
