"""Staged extraction: find candidates without the model, then ask per candidate.

Small models lose track of speakers and stop early when asked for every claim
of a long article at once. Here the model sees one short paragraph at a time
(with the paragraph before it, so "he added" resolves), and only paragraphs
that carry an attribution signal are sent. Grounding then searches each quote
within its own paragraph. ``staged_sentences`` narrows the question to one
sentence, with its paragraph as context: a small model asked about a paragraph
that reports three claims tends to return one.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimx.extraction.strategies.base import Request, StrategyOutput, ask
from claimx.extraction.strategies.candidates import (
    Candidate,
    find_candidates,
    find_sentence_candidates,
)
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec


@dataclass(frozen=True)
class StagedParams:
    """The prompt parameters the staged strategies read."""

    #: paragraphs before a candidate shown as its context (see PromptParams)
    context_paragraphs: int

    @classmethod
    def of(cls, spec: PromptSpec) -> StagedParams:
        return cls(context_paragraphs=spec.params.context_paragraphs)


class Staged:
    """Candidate paragraphs (rules) -> per-paragraph claims (model)."""

    name = "staged"
    provides = frozenset({"text", "context"})
    #: every request shows one paragraph: a long article never overflows one
    chunkable = False

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        """Stage one: the paragraphs to ask about."""
        return find_candidates(text, context_paragraphs=StagedParams.of(spec).context_paragraphs)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {"text": candidate.text, "context": candidate.context or "(none)"}

    def plan(self, spec: PromptSpec, text: str) -> list[Request]:
        return [Request(self.variables(c), window=c.span) for c in self.candidates(text, spec)]

    async def drafts(self, llm: Model, spec: PromptSpec, text: str) -> StrategyOutput:
        return await ask(llm, spec, self.plan(spec, text), skip_failures=True)


class StagedSentences(Staged):
    """Candidate sentences (rules) -> per-sentence claims (model), paragraph as context."""

    name = "staged_sentences"
    provides = frozenset({"text", "context", "paragraph"})

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        """Stage one: the sentences to ask about."""
        params = StagedParams.of(spec)
        return find_sentence_candidates(text, context_paragraphs=params.context_paragraphs)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {**super().variables(candidate), "paragraph": candidate.paragraph}
