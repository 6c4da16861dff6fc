"""Which extracted claims state the given claim, and with which polarity; no model.

Propositions are compared with the corpus grouping's own measure
(:mod:`claimx.consolidate.grouping`): content words with metonyms and near
synonyms folded (Washington/US -> ``usa``, behind/role/involvement ->
``involv``, strike/assault -> ``attack``), weighted by IDF over the
propositions being compared (so words every claim of a one-event corpus
shares, "drone", "Kremlin", weigh little), and the merge blocked when numbers
or dates differ, or when one of the two is a claim *about* a statement ("X
is lying about ...").

* **Match**: similarity of the two propositions *without* their negation is
  at least :data:`MATCH_THRESHOLD`, the grouping's own threshold, calibrated
  on its development paraphrases (``tests/consolidate/paraphrases.py``), not
  on the targeted gold it is measured on.
* **Polarity**: each proposition's polarity markers are counted: the
  grouping's one negation token (it folds not/no/never/nothing/n't into
  ``not``) and its denial token (deny/denied/denial/disown -> ``deni``);
  ``same`` when the two counts have the same parity, ``negated`` otherwise.
  "The US did not encourage Ukraine to strike outside Ukraine" is the
  negation of "The United States encourages Ukraine to strike outside
  Ukraine", and so is an extractor's "The White House denied any involvement
  in the attack" of "... was involved in the attack". Gold claims are in
  affirmative form (rule R1 of ``eval/ANNOTATION.md``); a model's are not always.
* **Hedges** ("alleged", "purported", "reportedly", ...) are left out of both
  propositions before comparing: "the alleged attack" and "the attack" are one
  event, and whether the claim is doubted is the stance's business.
* **Stance carried over** (:func:`carry_stance`): ``same`` keeps the claim's
  stance; ``negated`` swaps supports and refutes and keeps uncertain.
* **Not matched**: claims merely about the same event ("Decisions on attacks
  ... are made in Washington" for "The US was behind the attack"), and
  contradictions that share no wording ("Russia staged the incident" against
  "it was a real attack"): the lexical measure cannot tell a contradiction
  from a related claim, so it calls neither; the ``targeted`` prompt asks the
  model about related articles where nothing matched.

**One answer per source** (:func:`matched_sources`): a source's matched
claims are joined by its resolved speaker id (an extraction result) or by
:func:`claimx.speakers.same_source` on the names (gold files), and the best
match (highest similarity, then earliest evidence) gives its stance and evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimx.consolidate.grouping import GROUP_THRESHOLD, Terms, idf, similarity, terms
from claimx.consolidate.lexicon import content_words
from claimx.models import OPPOSITE, Claim, ExtractedClaim, MatchedSource, Polarity, Stance
from claimx.speakers import same_source
from claimx.text.normalize import words

__all__ = [
    "MATCH_THRESHOLD",
    "PropositionMatch",
    "carry_stance",
    "is_negated",
    "match_propositions",
    "matched_sources",
    "proposition_weights",
]

MATCH_THRESHOLD = GROUP_THRESHOLD
"""Least similarity for an extracted claim to state the given claim (module docstring)."""

# The grouping policy's negation and denial tokens, and the stems of hedge words.
_POLARITY = frozenset(content_words("not denied"))
_HEDGES = frozenset(
    content_words("alleged allegedly purported purportedly reportedly apparent apparently supposed")
)


@dataclass(frozen=True)
class PropositionMatch:
    """An extracted proposition that states the given claim or its negation."""

    index: int  # position in the propositions matched against
    similarity: float
    polarity: Polarity


def carry_stance(stance: Stance, polarity: Polarity) -> Stance:
    """A claim's stance, read as a stance toward the given claim (module docstring)."""
    return stance if polarity == "same" else OPPOSITE[stance]


def _affirmative(text: str) -> tuple[Terms, bool]:
    """The proposition's terms without polarity markers and hedges, and whether it is
    negated (an odd number of markers: "did not deny" is affirmative)."""
    found = terms(text)
    markers = 0
    if found.words & _POLARITY:  # count them: the word set keeps one of each
        tokens = words(text.replace("n't", " not").replace("n’t", " not"))
        markers = sum(bool(content_words(t) & _POLARITY) for t in tokens)
    return Terms(found.words - _POLARITY - _HEDGES, found.anchors), markers % 2 == 1


def is_negated(proposition: str) -> bool:
    """Whether a proposition carries an odd number of negation and denial markers."""
    return _affirmative(proposition)[1]


def proposition_weights(propositions: Sequence[str]) -> dict[str, float]:
    """IDF over a set of propositions (give every proposition of the corpus, and the claim)."""
    return idf([terms(p) for p in propositions])


def match_propositions(
    claim: str,
    propositions: Sequence[str],
    *,
    weights: Mapping[str, float] | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> list[PropositionMatch]:
    """The propositions that state ``claim`` or its negation, in their order.

    ``weights``: IDF from :func:`proposition_weights`; by default over ``claim``
    and ``propositions``.
    """
    target, target_negated = _affirmative(claim)
    if weights is None:
        weights = proposition_weights([claim, *propositions])
    found = []
    for i, proposition in enumerate(propositions):
        candidate, negated = _affirmative(proposition)
        if not target.words or not candidate.words:
            continue
        score = similarity(target, candidate, weights)
        if score >= threshold:
            polarity: Polarity = "same" if negated == target_negated else "negated"
            found.append(PropositionMatch(i, round(score, 4), polarity))
    return found


def _source_key(claim: Claim, keys: list[tuple[str, str]]) -> str:
    """The key of the claim's source: its speaker id, or the first same-source name seen."""
    if isinstance(claim, ExtractedClaim):
        return f"id:{claim.speaker_id}"
    for key, name in keys:
        if same_source(name, claim.speaker):
            return key
    key = f"name:{len(keys)}"
    keys.append((key, claim.speaker))
    return key


def matched_sources(
    claim: str,
    claims: Sequence[Claim],
    *,
    weights: Mapping[str, float] | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> list[MatchedSource]:
    """Each source's stance toward ``claim``, from its best-matching claim (module docstring).

    In order of evidence.
    """
    if weights is None:
        weights = proposition_weights([claim, *(c.claim for c in claims)])
    matches = match_propositions(
        claim, [c.claim for c in claims], weights=weights, threshold=threshold
    )
    keys: list[tuple[str, str]] = []
    best: dict[str, tuple[PropositionMatch, Claim]] = {}
    for match in matches:
        found = claims[match.index]
        key = _source_key(found, keys)
        held = best.get(key)
        if held is None or (match.similarity, -found.start) > (held[0].similarity, -held[1].start):
            best[key] = (match, found)
    out = [
        MatchedSource(
            speaker=found.speaker,
            stance=carry_stance(found.stance, match.polarity),
            quote=found.quote,
            start=found.start,
            end=found.end,
            speaker_id=found.speaker_id if isinstance(found, ExtractedClaim) else None,
            proposition=found.claim,
            proposition_stance=found.stance,
            polarity=match.polarity,
            similarity=min(match.similarity, 1.0),
        )
        for match, found in best.values()
    ]
    return sorted(out, key=lambda s: (s.start, s.end))
