"""Extraction strategies, selected by a prompt's ``strategy`` field.

A strategy turns an article into claim drafts (what the model said, plus a
hint of where in the article to look for each quote). Grounding, speaker
resolution and de-duplication are shared and happen afterwards in
:mod:`claimx.extraction.assemble`, so every strategy is scored on the same footing.
"""

from __future__ import annotations

from claimx.errors import PromptError
from claimx.extraction.strategies.base import Draft, Strategy, StrategyOutput
from claimx.extraction.strategies.paragraphs import Passages
from claimx.extraction.strategies.single_pass import SinglePass
from claimx.extraction.strategies.staged import Staged, StagedSentences
from claimx.extraction.strategies.staged_lexicon import StagedLexicon

STRATEGIES: dict[str, Strategy] = {s.name: s for s in (SinglePass(), Staged(), StagedSentences())}
STRATEGIES[StagedLexicon.name] = StagedLexicon()  # general: stage one for any news (issue 12)
STRATEGIES[Passages.name] = Passages()  # numbered passages: few requests, short answers


def get_strategy(name: str) -> Strategy:
    """The strategy registered under ``name``; unknown names list what exists."""
    try:
        return STRATEGIES[name]
    except KeyError:
        raise PromptError(
            f"unknown strategy {name!r}; available: {', '.join(sorted(STRATEGIES))}"
        ) from None


__all__ = ["STRATEGIES", "Draft", "Strategy", "StrategyOutput", "get_strategy"]
