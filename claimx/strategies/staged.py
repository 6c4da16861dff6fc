"""Staged extraction: find candidates without the model, then ask per candidate.

Small models lose track of speakers and stop early when asked for every claim
of a long article at once. Here the model sees one short paragraph at a time
(with the paragraph before it, so "he added" resolves), and only paragraphs
that carry an attribution signal are sent. Grounding then searches each quote
near its own paragraph first.
"""

from __future__ import annotations

from claimx.candidates import find_candidates
from claimx.errors import ExtractionError
from claimx.llm import LLM
from claimx.prompts import PromptSpec
from claimx.strategies.base import Draft, StrategyOutput


class Staged:
    """Candidate paragraphs (rules) -> per-paragraph claims (model)."""

    name = "staged"
    provides = frozenset({"text", "context"})

    async def drafts(self, llm: LLM, spec: PromptSpec, text: str) -> StrategyOutput:
        out = StrategyOutput()
        candidates = find_candidates(text, context_paragraphs=spec.params.context_sentences)
        # Sequential on purpose: a local server serves one request at a time, and
        # requests that share the system prompt and examples reuse its KV cache.
        for candidate in candidates:
            messages = spec.render(text=candidate.text, context=candidate.context or "(none)")
            try:
                answer = await llm.complete(
                    messages, spec.response_model, max_tokens=spec.params.max_tokens
                )
            except ExtractionError as exc:
                # One bad paragraph must not lose the article: skip it, say so.
                out.warnings.append(
                    f"paragraph at {candidate.start}-{candidate.end} skipped: {exc}"
                )
                continue
            out.usage = out.usage + answer.usage
            out.drafts.extend(
                Draft(claim=c, window=(candidate.start, candidate.end)) for c in answer.value.claims
            )
        return out
