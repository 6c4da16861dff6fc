"""How sure claimx is of an extracted claim, from checks that cost no further call.

Three signals, each read off the replayed recordings of extract@v4 and v5
(``eval/README.md``, "Confidence"):

* **the stance**: the attribution rules and the model agree
  (:func:`claimx.extraction.stance.decide`);
* **the claim says what its evidence says**: the content-word similarity of
  claim and quote (:func:`claimx.text.normalize.similarity`) is at least
  :data:`SUPPORTED`. Below it, v4's and v5's claims matched a gold claim a
  third of the time, against about 70% above: the model wrote something its
  evidence does not say (an example's claim, the context paragraph's);
* **the speaker is named nearby**: in the evidence's paragraph or the one
  before it, where a reader would look for who is talking.

The value is the stance agreement scaled down by each failed check; the
eval's reliability table shows what each bin of it is worth.
"""

from __future__ import annotations

from claimx.extraction.stance import StanceDecision
from claimx.models import Confidence
from claimx.speakers.identity import name_tokens
from claimx.text.normalize import similarity

__all__ = ["SUPPORTED", "claim_confidence", "named_in"]

SUPPORTED = 0.2
"""Least claim-quote similarity for a claim to count as said by its evidence."""
UNSUPPORTED_FACTOR = 0.5
UNNAMED_FACTOR = 0.7


def named_in(speaker: str, window: str) -> bool:
    """Whether ``speaker``'s last name word occurs in ``window`` (case and accents folded)."""
    tokens = name_tokens(speaker)
    return bool(tokens) and tokens[-1] in name_tokens(window)


def claim_confidence(decision: StanceDecision, quote: str, *, speaker_named: bool) -> Confidence:
    """The confidence of one claim: its stance agreement, scaled by the two other checks."""
    value = decision.confidence.value
    notes = [decision.confidence.detail]
    support = similarity(decision.claim, quote)
    if support < SUPPORTED:
        value *= UNSUPPORTED_FACTOR
        notes.append(f"claim shares little with its evidence ({support:.2f})")
    if not speaker_named:
        value *= UNNAMED_FACTOR
        notes.append("speaker not named near the evidence")
    return Confidence(value=round(value, 3), source="agreement", detail="; ".join(notes))
