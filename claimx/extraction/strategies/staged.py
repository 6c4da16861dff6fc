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

from claimx.errors import ExtractionError
from claimx.extraction.strategies.base import Draft, StrategyOutput
from claimx.extraction.strategies.candidates import (
    Candidate,
    find_candidates,
    find_sentence_candidates,
)
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec


class Staged:
    """Candidate paragraphs (rules) -> per-paragraph claims (model)."""

    name = "staged"
    provides = frozenset({"text", "context"})

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        return find_candidates(text, context_paragraphs=spec.params.context_sentences)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {"text": candidate.text, "context": candidate.context or "(none)"}

    async def drafts(self, llm: Model, spec: PromptSpec, text: str) -> StrategyOutput:
        out = StrategyOutput()
        # Sequential on purpose: a local server serves one request at a time, and
        # requests that share the system prompt and examples reuse its KV cache.
        for candidate in self.candidates(text, spec):
            messages = spec.render(**self.variables(candidate))
            try:
                answer = await llm.complete(
                    messages, spec.response_model, max_tokens=spec.params.max_tokens
                )
            except ExtractionError as exc:
                # One bad candidate must not lose the article: skip it, say so.
                where = f"{candidate.start}-{candidate.end}"
                out.warnings.append(f"candidate at {where} skipped: {exc}")
                continue
            out.usage = out.usage + answer.usage
            out.drafts.extend(
                Draft(claim=c, window=(candidate.start, candidate.end)) for c in answer.value.claims
            )
        return out


class StagedSentences(Staged):
    """Candidate sentences (rules) -> per-sentence claims (model), paragraph as context."""

    name = "staged_sentences"
    provides = frozenset({"text", "context", "paragraph"})

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        return find_sentence_candidates(text, context_paragraphs=spec.params.context_sentences)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {**super().variables(candidate), "paragraph": candidate.paragraph}
