"""The unrelated screen: articles that plainly do not address the claim, with no model call.

**Score** (:func:`relatedness`): the IDF-weighted share of the claim's content
words found in the article's best-matching sentence
(:func:`claimx.targeted.lexical.coverage`), 0..1. One sentence rather than
the whole article, because an unrelated article of any length shares a few
words with any claim, scattered; an article about the claim holds most of
them in one place. On the FNC-1 tune part, at 1% of related pairs lost, the
best sentence screens 83.4% of unrelated pairs, the whole body 81.4%; in an
earlier exploration a linear mix of six overlap measures gained about one
point more, not worth a second set of weights.

**Decision** (:func:`screen`): ``unrelated`` when the score is below the
shipped threshold (``data/targeted.json``, ``screen.threshold``), which
:mod:`claimx.targeted.train` sets to the score below which
:data:`MAX_RELATED_LOSS` of the tune part's *related* pairs fall: the
screen's one job is to cost nothing where nothing is lost, so the threshold
is fixed by the related pairs it may drop, and the share of unrelated pairs
it then screens is the outcome, reported by ``benchmarks/targeted_fnc1.py``.
A claim without content words ("It is true.") is never screened: there is
nothing to compare, so the decision is left to what comes after.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimx.targeted.lexical import ArticleView, Idf, claim_words, coverage
from claimx.text.spans import Span

__all__ = ["MAX_RELATED_LOSS", "ScreenResult", "relatedness", "screen", "threshold_for_loss"]

MAX_RELATED_LOSS = 0.01
"""Share of related tune pairs the screen may call unrelated: 1%, "almost none". At 0.5%
the threshold falls among the related pairs that share almost no word with their body
("Cold Turkey" over an article on seized weapons) and the screen keeps 58% of the tune
part's unrelated pairs, against 83% at 1%."""


@dataclass(frozen=True)
class ScreenResult:
    """The screen's verdict on one claim and article."""

    score: float  # the best sentence's weighted claim coverage, 0..1
    best: Span | None  # that sentence; None when the article has none, or the claim no words
    unrelated: bool  # decided unrelated, with no model call


def relatedness(claim: frozenset[str], article: ArticleView, idf: Idf) -> tuple[float, int | None]:
    """The best sentence's weighted coverage of the claim's words, and that sentence's index."""
    best, index = 0.0, None
    for i, sentence in enumerate(article.sentences):
        score = coverage(claim, sentence.words, idf)
        if score > best:
            best, index = score, i
    return best, index


def screen(claim: str, article: ArticleView, idf: Idf, threshold: float) -> ScreenResult:
    """Decide whether ``article`` plainly does not address ``claim`` (module docstring)."""
    words = claim_words(claim)
    if not words:
        return ScreenResult(0.0, None, unrelated=False)
    score, index = relatedness(words, article, idf)
    best = article.sentences[index].span if index is not None else None
    return ScreenResult(score, best, unrelated=score < threshold)


def threshold_for_loss(related_scores: list[float], loss: float = MAX_RELATED_LOSS) -> float:
    """The threshold that screens at most ``loss`` of these related pairs' scores.

    The smallest score above the ``loss`` share of lowest scores: a pair scoring
    below it is screened, so at most ``floor(loss * n)`` related pairs are.
    """
    if not related_scores:
        raise ValueError("no related pairs to set the screen's threshold on")
    ranked = sorted(related_scores)
    k = int(loss * len(ranked))  # pairs allowed below the threshold
    return ranked[k]
