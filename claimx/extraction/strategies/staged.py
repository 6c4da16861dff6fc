"""Staged extraction: find candidates without the model, then ask per candidate.

Small models lose track of speakers and stop early when asked for every claim
of a long article at once. Here the model sees one short paragraph at a time
(with the paragraph before it, so "he added" resolves), and only paragraphs
that carry an attribution signal are sent. Grounding then searches each quote
within its own paragraph. ``staged_sentences`` narrows the question to one
sentence, with its paragraph as context: a small model asked about a paragraph
that reports three claims tends to return one.

Given ``evidence`` (the eval's oracle: the gold evidence spans), a staged
strategy skips its stage one and asks about exactly those spans, one request
per distinct span, each shown as stage one would show the sentence holding it
(:func:`evidence_candidates`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimx.errors import PromptError
from claimx.extraction.strategies.base import Request, StrategyOutput, ask
from claimx.extraction.strategies.candidates import (
    Candidate,
    find_candidates,
    find_sentence_candidates,
)
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span


@dataclass(frozen=True)
class StagedParams:
    """The prompt parameters the staged strategies read."""

    #: paragraphs before a candidate shown as its context (see PromptParams)
    context_paragraphs: int

    @classmethod
    def of(cls, spec: PromptSpec) -> StagedParams:
        return cls(context_paragraphs=spec.params.context_paragraphs)


def evidence_candidates(
    text: str, evidence: Sequence[Span], *, context_paragraphs: int = 1
) -> list[tuple[Candidate, Span]]:
    """One candidate per distinct span of ``evidence`` (article order), with its window.

    The candidate's text is the span's; its paragraph and context are those
    stage one gives the sentence holding it (the paragraph, and the
    ``context_paragraphs`` before it). The window, where the model's quote is
    grounded, is the sentence(s) the span overlaps: a quote the model trims or
    widens a little still grounds. A span across paragraphs gets all of them.
    """
    body = paragraphs(text)
    out = []
    for span in sorted(set(evidence)):
        if span.end > len(text) or span.length == 0:
            raise PromptError(
                f"evidence span {span.start}-{span.end} is empty or outside the article"
                f" ({len(text)} characters): give spans of this text"
            )
        holding = [i for i, p in enumerate(body) if p.overlaps(span)]
        if not holding:  # only whitespace: show the span alone
            out.append((Candidate(span, span.slice(text), ""), span))
            continue
        first, last = holding[0], holding[-1]
        context = "\n".join(p.slice(text) for p in body[max(0, first - context_paragraphs) : first])
        paragraph = Span(body[first].start, body[last].end)
        inside = [s for i in holding for s in sentences(text, body[i]) if s.overlaps(span)]
        window = Span(inside[0].start, inside[-1].end) if inside else paragraph
        candidate = Candidate(span, span.slice(text), context, paragraph=paragraph.slice(text))
        out.append((candidate, window))
    return out


class Staged:
    """Candidate paragraphs (rules) -> per-paragraph claims (model)."""

    name = "staged"
    provides = frozenset({"text", "context"})
    #: every request shows one paragraph: a long article never overflows one
    chunkable = False
    #: stage one can be replaced by given spans (:func:`evidence_candidates`)
    takes_evidence = True

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        """Stage one: the paragraphs to ask about."""
        return find_candidates(text, context_paragraphs=StagedParams.of(spec).context_paragraphs)

    def variables(self, candidate: Candidate) -> dict[str, str]:
        return {"text": candidate.text, "context": candidate.context or "(none)"}

    def plan(
        self, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> list[Request]:
        if evidence is not None:
            found = evidence_candidates(
                text, evidence, context_paragraphs=StagedParams.of(spec).context_paragraphs
            )
            return [Request(self.variables(c), window=window) for c, window in found]
        return [Request(self.variables(c), window=c.span) for c in self.candidates(text, spec)]

    async def drafts(
        self, llm: Model, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> StrategyOutput:
        return await ask(llm, spec, self.plan(spec, text, evidence=evidence), skip_failures=True)


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
