"""One request per article: the whole text in, every claim out."""

from __future__ import annotations

from claimx.extraction.strategies.base import Request, StrategyOutput, ask
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec


class SinglePass:
    """The baseline: a single prompt asking for every attributed claim."""

    name = "single_pass"
    provides = frozenset({"text"})
    #: the whole article is in the request: a long one must be chunked to fit
    chunkable = True

    def plan(self, spec: PromptSpec, text: str) -> list[Request]:
        return [Request({"text": text})]

    async def drafts(self, llm: Model, spec: PromptSpec, text: str) -> StrategyOutput:
        return await ask(llm, spec, self.plan(spec, text), skip_failures=False)
