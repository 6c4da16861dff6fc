"""``stance``: the model decides each claim's stance, or the attribution rules do.

Either way the other opinion is the check behind the claim's confidence
(:func:`claimx.extraction.stance.decide`).
"""

from __future__ import annotations

from claimx.extraction.stages.registry import StanceRule, register
from claimx.extraction.stance import StanceDecision, decide
from claimx.models import Stance


@register
class ModelStance(StanceRule):
    """The stance the model gave."""

    name = "model"

    def decide(self, claim: str, quote: str, before: str, model_stance: Stance) -> StanceDecision:
        return decide(claim, quote, before, model_stance, decider="model")


@register
class RuleStance(StanceRule):
    """The stance the evidence's words carry: hedge, denial, negation, else supports."""

    name = "rules"

    def decide(self, claim: str, quote: str, before: str, model_stance: Stance) -> StanceDecision:
        return decide(claim, quote, before, model_stance, decider="rules")
