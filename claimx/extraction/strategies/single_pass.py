"""One request per article: the whole text in, every claim out."""

from __future__ import annotations

from claimx.extraction.strategies.base import Draft, StrategyOutput
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec


class SinglePass:
    """The baseline: a single prompt asking for every attributed claim."""

    name = "single_pass"
    provides = frozenset({"text"})

    async def drafts(self, llm: Model, spec: PromptSpec, text: str) -> StrategyOutput:
        messages = spec.render(text=text)
        answer = await llm.complete(
            messages, spec.response_model, max_tokens=spec.params.max_tokens
        )
        return StrategyOutput([Draft(claim=c) for c in answer.value.claims], answer.usage)
