"""Passages of numbered sentences: few requests, short answers, every candidate read.

``extract@v5`` asks about one or two candidate sentences per request, so an
article costs ~27 requests, each paying the instructions and examples again,
and the model copies every quote back. Here a request is a *passage*: up to
:attr:`PassageParams.sentences` consecutive candidate sentences (stage one of
:mod:`~claimx.extraction.strategies.staged_lexicon`, the generalising one),
from as many consecutive paragraphs as fit, numbered ``[1]``, ``[2]`` ...;
the other sentences of those paragraphs are shown as context lines. The
answer has exactly one entry per numbered sentence, in order (the grammar
enforces the count: a small model cannot stop after the first sentence), each
with that sentence's claims: speaker, stance, proposition, no quote. The
evidence is read off the sentence by :mod:`claimx.extraction.evidence`.

The instructions and examples come first and are the same for every request,
so the server's prefix cache reuses them; the passage comes last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claimx.errors import PromptError
from claimx.extraction.drafts import (
    ClaimDraft,
    NumberedAnswer,
    numbered_answer_model,
    numbered_lines,
    opening,
)
from claimx.extraction.evidence import claim_evidence
from claimx.extraction.strategies.base import Draft, Request, StrategyOutput, ask
from claimx.extraction.strategies.candidates import Candidate
from claimx.extraction.strategies.staged_lexicon import find_lexicon_candidates, has_strong_signal
from claimx.llm.protocol import Model
from claimx.prompts import PromptSpec
from claimx.text.grounding import Located
from claimx.text.segments import enclosing, paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["PASSAGE_SENTENCES", "Passage", "Passages", "find_passages"]

PASSAGE_SENTENCES = 6
"""Numbered sentences per request at most: more and a 1.5B model starts to lose track."""


@dataclass(frozen=True)
class Passage:
    """One request's worth: numbered sentences, context lines, the paragraph before."""

    numbered: tuple[Span, ...]
    #: (index of the numbered sentence it follows, 0 = before the first; its span)
    context: tuple[tuple[int, Span], ...]
    before: Span | None

    @property
    def window(self) -> Span:
        spans = [*self.numbered, *(s for _, s in self.context)]
        return Span(min(s.start for s in spans), max(s.end for s in spans))


def find_passages(
    text: str, *, per_request: int = PASSAGE_SENTENCES, evidence: Sequence[Span] | None = None
) -> list[Passage]:
    """Group stage one's candidate sentences (or the given ``evidence`` spans) into passages.

    Consecutive paragraphs with candidates share a passage until it numbers
    ``per_request`` sentences; a paragraph without one ends the passage (its
    claims would be out of context). With ``evidence``, the numbered items are
    exactly those spans (the oracle evaluation), each paragraph's sentences
    shown before them as context lines.
    """
    body = paragraphs(text)
    if evidence is None:
        wanted = {c.span for c in find_lexicon_candidates(text, window=1)}
    else:
        wanted = set(evidence)
    out: list[Passage] = []
    numbered: list[Span] = []
    context: list[tuple[int, Span]] = []
    before: Span | None = None

    def flush() -> None:
        nonlocal numbered, context
        if numbered:
            out.append(Passage(tuple(numbered), tuple(context), before))
        numbered, context = [], []

    for i, para in enumerate(body):
        if evidence is None:
            items = sentences(text, para)
            asked = [s for s in items if s in wanted]
        else:
            asked = sorted(
                (s for s in wanted if para.start <= s.start < para.end),
                key=lambda s: (s.start, s.end),
            )
            items = asked or [para]
        if not asked:
            flush()
            continue
        if numbered and len(numbered) + len(asked) > per_request:
            flush()
        if not numbered:
            before = body[i - 1] if i else None
        if evidence is not None:
            # The given spans are clauses ("We had nothing to do with this"): the paragraph's
            # sentences come first as context, so the speaker and the frame are shown.
            context.extend((len(numbered), s) for s in sentences(text, para))
        for span in items:
            if span in wanted and len(numbered) < per_request:
                numbered.append(span)
            elif span in wanted:  # a paragraph with more candidates than a passage holds
                flush()
                before = body[i - 1] if i else None
                numbered.append(span)
            elif evidence is None:
                context.append((len(numbered), span))
    flush()
    return out


@dataclass(frozen=True)
class PassageParams:
    """What this strategy reads of the prompt."""

    per_request: int
    max_claims: int

    @classmethod
    def of(cls, spec: PromptSpec) -> PassageParams:
        if spec.answer != "numbered":
            raise PromptError(
                f"{spec.ref}: strategy 'paragraphs' needs `answer: numbered` in the prompt file"
            )
        return cls(per_request=PASSAGE_SENTENCES, max_claims=spec.params.max_claims)


class Passages:
    """Candidate sentences (lexicon) in numbered passages -> claims per sentence (model)."""

    name = "paragraphs"
    provides = frozenset({"text", "context"})
    #: every request shows a few paragraphs: a long article never overflows one
    chunkable = False
    takes_evidence = True

    def candidates(self, text: str, spec: PromptSpec) -> list[Candidate]:
        """Stage one: the candidate sentences the passages number (the eval's stage-one recall)."""
        return find_lexicon_candidates(text, window=1)

    def _passages(
        self, spec: PromptSpec, text: str, evidence: Sequence[Span] | None
    ) -> tuple[PassageParams, list[Passage]]:
        params = PassageParams.of(spec)
        return params, find_passages(text, per_request=params.per_request, evidence=evidence)

    def _request(self, params: PassageParams, text: str, passage: Passage) -> Request:
        block = numbered_lines(
            [s.slice(text) for s in passage.numbered],
            [(i, s.slice(text)) for i, s in passage.context],
        )
        before = passage.before.slice(text) if passage.before else "(none)"
        openings = tuple(opening(n, s.slice(text)) for n, s in enumerate(passage.numbered, 1))
        answer = numbered_answer_model(openings, params.max_claims)
        return Request({"text": block, "context": before}, window=passage.window, answer=answer)

    def plan(
        self, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> list[Request]:
        params, passages = self._passages(spec, text, evidence)
        return [self._request(params, text, p) for p in passages]

    async def drafts(
        self,
        llm: Model,
        spec: PromptSpec,
        text: str,
        *,
        evidence: Sequence[Span] | None = None,
    ) -> StrategyOutput:
        params, passages = self._passages(spec, text, evidence)
        requests = [self._request(params, text, p) for p in passages]
        numbered = {id(r): p.numbered for r, p in zip(requests, passages, strict=True)}
        oracle = evidence is not None
        strong = spec.claims == "signalled" and not oracle
        body = paragraphs(text) if strong else []

        def to_drafts(request: Request, answer: Any) -> list[Draft]:
            assert isinstance(answer, NumberedAnswer)
            out = []
            for sentence, entry in zip(numbered[id(request)], answer.sentences, strict=True):
                if strong and not has_strong_signal(text, enclosing(body, sentence), sentence):
                    continue
                for c in entry.claims:
                    span = sentence if oracle else claim_evidence(text, sentence, c.claim)
                    # Built, not validated: the quote is the article's own words, and a
                    # long sentence may pass the bound the model's quotes have.
                    draft = ClaimDraft.model_construct(
                        quote=span.slice(text),
                        speaker=c.speaker,
                        speaker_role=None,
                        stance=c.stance,
                        claim=c.claim,
                    )
                    located = Located(span=span, method="exact", score=100.0, grounded=True)
                    out.append(Draft(claim=draft, window=sentence, located=located))
            return out

        return await ask(llm, spec, requests, skip_failures=True, to_drafts=to_drafts)
