"""The strategy protocol and the draft record strategies produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from claimx.extraction.drafts import ClaimDraft
from claimx.llm.protocol import Model
from claimx.models import Usage
from claimx.prompts import PromptSpec


@dataclass(frozen=True)
class Draft:
    """A claim as the model wrote it, and where the strategy asked about it."""

    claim: ClaimDraft
    #: the span of the article the model was shown, when it saw only part of it;
    #: the quote must be found there (a quote from the context paragraph belongs
    #: to that paragraph's own request, and would otherwise be counted twice)
    window: tuple[int, int] | None = None


@dataclass
class StrategyOutput:
    """Drafts, the usage of every call made, and what was skipped on the way."""

    drafts: list[Draft] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    warnings: list[str] = field(default_factory=list)


class Strategy(Protocol):
    """Turns one article into claim drafts with the model."""

    name: str
    #: template variables the strategy provides to the prompt
    provides: frozenset[str]

    async def drafts(self, llm: Model, spec: PromptSpec, text: str) -> StrategyOutput:
        """Ask the model about one article."""
        ...
