"""One-to-one matching of predicted claims to the gold claims of one article.

The rule (``eval/README.md ("How scoring works")`` gives the calibration behind the numbers):

**Candidates.** A prediction *p* and a gold claim *g* can match when

1. their evidence shares characters of the article (character offsets, the
   pieces of a discontinuous evidence: :attr:`claimx.models.Claim.pieces`;
   claimx sets a prediction's offsets by grounding its quote), and
2. their propositions say the same thing: :func:`proposition_similarity`, the
   Dice coefficient of the two claims' content words, is at least
   :data:`MIN_SIMILARITY` (0.25).

A prediction **without a valid span** (not grounded, or offsets that do not
give back its quote) has no evidence to compare, so it can only match on the
proposition: similarity at least :data:`MIN_SIMILARITY_NO_SPAN` (0.5) *and*
the same speaker (:func:`claimx.speakers.same_source`), since one canonical
proposition is often made by several speakers of an article and only the
speaker tells which gold claim is meant. Its speaker is then right by
construction; the report counts such matches (``matched_without_span``).

**Assignment.** Among the candidates, each gold claim takes at most one
prediction and each prediction at most one gold claim: the optimal pairing of
:func:`claimx.eval.assign.assign` (not greedy), which keeps first the largest
number of matched pairs, then the largest summed pair score
``similarity + 0.5 * overlap + 0.1 * echo`` (overlap =
:func:`claimx.eval.overlap.char_overlap`, shared characters over the shorter
span, 0 without a span; echo = the similarity of the predicted claim to the
gold claim's quote, which decides between gold claims that state one
proposition on overlapping evidence). Exact ties go to the pairing that gets
speaker and stance right (a 0.001 bonus each, this caller's tie-break), the
benefit of the doubt a reader would give.
Consequences: a duplicate prediction is a false positive, prediction order
never matters, and two propositions carried by one passage ("targets" and
"means", rule 4 of the standard) pair with their own predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimx.eval.assign import assign
from claimx.eval.overlap import char_overlap
from claimx.models import Claim, ExtractedClaim
from claimx.speakers import same_source
from claimx.text.normalize import MATCHING, similarity
from claimx.text.normalize import content_words as words_of

__all__ = [
    "MIN_SIMILARITY",
    "MIN_SIMILARITY_NO_SPAN",
    "OVERLAP_WEIGHT",
    "MatchedPair",
    "content_words",
    "has_valid_span",
    "match_claims",
    "proposition_similarity",
]

MIN_SIMILARITY = 0.25
"""Least content-word Dice for two claims with overlapping evidence to be one proposition."""

MIN_SIMILARITY_NO_SPAN = 0.5
"""Least Dice for a prediction without a valid span (which must also name the same speaker)."""

OVERLAP_WEIGHT = 0.5
"""Weight of evidence overlap in the pair score; similarity dominates it."""

ECHO_WEIGHT = 0.1
"""Weight of the similarity between the predicted claim and the gold *quote* in the pair
score: a tie-breaker between gold claims stating one proposition on shared evidence."""

_TIE_BONUS = 0.001  # speaker right, stance right: only ever decides exact ties


def content_words(text: str) -> frozenset[str]:
    """Stemmed content words of a proposition: lowercased, accents, stop words and negation out.

    The eval's word policy, :data:`claimx.text.normalize.MATCHING` (metonyms kept apart,
    negation left to the stance).

    >>> sorted(content_words("The U.S. did not take part in the attacks."))
    ['attack', 'part', 'take', 'usa']
    """
    return words_of(text, MATCHING)


def proposition_similarity(a: str, b: str) -> float:
    """Dice coefficient of two propositions' content words, 0..1 (0 when either has none)."""
    return similarity(a, b, MATCHING)


def has_valid_span(claim: Claim, text: str) -> bool:
    """True when ``claim``'s offsets lie in ``text`` and give back its quote.

    An :class:`~claimx.models.ExtractedClaim` must also have been grounded:
    an ungrounded claim's span is only the best guess of where a paraphrase sits.
    """
    if isinstance(claim, ExtractedClaim) and not claim.grounding.grounded:
        return False
    return (
        0 <= claim.start < claim.end <= len(text) and text[claim.start : claim.end] == claim.quote
    )


@dataclass(frozen=True)
class MatchedPair:
    """A gold claim and the prediction matched to it."""

    gold: int  # index into the gold claims
    pred: int  # index into the predictions
    similarity: float  # proposition similarity, 0..1
    overlap: float  # evidence overlap, 0..1; 0 when the prediction has no valid span

    @property
    def by_span(self) -> bool:
        """False when the prediction had no valid span and matched on proposition and speaker."""
        return self.overlap > 0


def match_claims(
    gold: Sequence[Claim],
    pred: Sequence[Claim],
    text: str,
    *,
    min_similarity: float = MIN_SIMILARITY,
    min_similarity_no_span: float = MIN_SIMILARITY_NO_SPAN,
) -> list[MatchedPair]:
    """The optimal one-to-one matching of ``pred`` to ``gold`` in one article (module doc).

    Returns the matched pairs sorted by gold index.
    """
    names = [c.speaker for c in gold] + [c.speaker for c in pred]
    spanned = [has_valid_span(p, text) for p in pred]
    measured: dict[tuple[int, int], tuple[float, float]] = {}

    def score(i: int, j: int) -> float | None:
        g, p = gold[i], pred[j]
        # Cheapest tests first: overlap, then similarity, then speaker names.
        overlap = char_overlap(p.pieces, g.pieces) if spanned[j] else 0.0
        if spanned[j] and overlap <= 0:
            return None
        sim = proposition_similarity(p.claim, g.claim)
        if sim < (min_similarity if spanned[j] else min_similarity_no_span):
            return None
        speaker_ok = same_source(p.speaker, g.speaker, names)
        if not spanned[j] and not speaker_ok:
            return None
        # Several gold claims can state one proposition on overlapping evidence
        # (a sentence reporting two speakers): prefer the gold claim whose own
        # evidence wording the prediction echoes.
        echo = ECHO_WEIGHT * proposition_similarity(p.claim, g.quote)
        ties = _TIE_BONUS * (speaker_ok + (p.stance == g.stance))
        measured[i, j] = sim, overlap
        return sim + OVERLAP_WEIGHT * overlap + echo + ties

    out = []
    for pair in assign(len(gold), len(pred), score):
        sim, overlap = measured[pair.row, pair.col]
        out.append(MatchedPair(pair.row, pair.col, round(sim, 4), round(overlap, 4)))
    return out
