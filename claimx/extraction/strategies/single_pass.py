"""One request per article: the whole text in, every claim out."""

from __future__ import annotations

from collections.abc import Sequence

from claimx.extraction.strategies.base import Request, StrategyOutput, ask, refuse_evidence
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec
from claimx.text.spans import Span


class SinglePass:
    """The baseline: a single prompt asking for every attributed claim."""

    name = "single_pass"
    provides = frozenset({"text"})
    #: the whole article is in the request: a long one must be chunked to fit
    chunkable = True
    #: one request for the whole article: there is no stage one to replace
    takes_evidence = False

    def plan(
        self, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> list[Request]:
        refuse_evidence(self, evidence)
        return [Request({"text": text})]

    async def drafts(
        self, llm: Model, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> StrategyOutput:
        return await ask(llm, spec, self.plan(spec, text, evidence=evidence), skip_failures=False)
