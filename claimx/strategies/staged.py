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

from claimx.candidates import Candidate, find_candidates, find_sentence_candidates
from claimx.drafts import ClaimDraft, StanceAnswer
from claimx.errors import ExtractionError
from claimx.llm import LLM
from claimx.prompts import PromptSpec, StanceCheck
from claimx.strategies.base import Draft, StrategyOutput


class Staged:
    """Candidate paragraphs (rules) -> per-paragraph claims (model)."""

    name = "staged"
    provides = frozenset({"text", "context"})

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        return find_candidates(text, context_paragraphs=spec.params.context_sentences)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {"text": candidate.text, "context": candidate.context or "(none)"}

    async def drafts(self, llm: LLM, spec: PromptSpec, text: str) -> StrategyOutput:
        out = StrategyOutput()
        asked: list[tuple[Candidate, ClaimDraft]] = []
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
            asked.extend((candidate, c) for c in answer.value.claims)
        if spec.stance_check is not None:
            # A second pass, after all extraction requests: the two kinds of request
            # have different prefixes, and alternating them would evict the server's
            # prompt cache at every switch.
            check = spec.stance_check
            out.drafts = [await self._check_stance(llm, spec, check, c, d, out) for c, d in asked]
        return out

    async def _check_stance(
        self,
        llm: LLM,
        spec: PromptSpec,
        check: StanceCheck,
        candidate: Candidate,
        draft: ClaimDraft,
        out: StrategyOutput,
    ) -> Draft:
        """The draft with its stance re-asked on its own (kept as drafted if that fails)."""
        messages = spec.render_stance_check(
            sentence=candidate.text,
            paragraph=candidate.paragraph or candidate.text,
            speaker=draft.speaker,
            claim=draft.claim,
        )
        window = (candidate.start, candidate.end)
        try:
            answer = await llm.complete(messages, StanceAnswer, max_tokens=check.max_tokens)
        except ExtractionError as exc:
            out.warnings.append(f"stance check at {window[0]}-{window[1]} skipped: {exc}")
            return Draft(claim=draft, window=window)
        out.usage = out.usage + answer.usage
        return Draft(claim=draft.model_copy(update={"stance": answer.value.stance}), window=window)


class StagedSentences(Staged):
    """Candidate sentences (rules) -> per-sentence claims (model), paragraph as context."""

    name = "staged_sentences"
    provides = frozenset({"text", "context", "paragraph"})

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        return find_sentence_candidates(text, context_paragraphs=spec.params.context_sentences)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {**super().variables(candidate), "paragraph": candidate.paragraph}
