"""``ask: numbered``: passages of numbered sentences; the evidence is read off each sentence.

A request is a *passage*: up to :attr:`NumberedParams.per_request` consecutive
candidates (stage one's sentences), from as many consecutive paragraphs as
fit, numbered ``[1]``, ``[2]`` ...; the other sentences of those paragraphs
are shown as context lines (``- ...``), the paragraph before as ``context``.
The answer has exactly one entry per numbered sentence, in order, each
opening with the sentence's first words (the grammar enforces both: a small
model cannot stop after the first sentence, nor answer sentence 2 in entry 1),
each with that sentence's claims: speaker, stance, proposition, no quote. The
evidence is the part of the sentence that carries the claim, read by rule
(:mod:`claimx.extraction.evidence`): exact by construction, and no output
tokens spent copying text the model was given. An exact candidate (a given
span, the oracle's; an attribution's content a tagger found) is numbered
itself, after its paragraph's sentences as context, and is the evidence of
its claims.

The instructions and examples come first and are the same for every request,
so the server's prefix cache reuses them; the passage comes last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from claimx.extraction.drafts import (
    ClaimDraft,
    NumberedAnswer,
    NumberedDraft,
    count_numbered,
    numbered_answer,
    numbered_answer_model,
    numbered_lines,
    opening,
)
from claimx.extraction.evidence import claim_evidence
from claimx.extraction.records import Candidate, Draft, Request
from claimx.extraction.stages.quoted import NO_CONTEXT
from claimx.extraction.stages.registry import Asker, register
from claimx.prompts import FewShotExample, PromptSpec
from claimx.tagging import tag
from claimx.text.grounding import Located
from claimx.text.normalize import MATCHING, content_words
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

__all__ = ["Numbered", "NumberedParams", "Passage", "find_passages"]


class NumberedParams(BaseModel):
    """How many sentences one request numbers, and how a claim's evidence is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: numbered sentences per request at most: more and a 1.5B model starts to lose track
    per_request: int = Field(default=6, ge=1, le=30)
    #: the evidence of a claim of a numbered sentence: the clause the rules pick
    #: (``rule``), or the content of the attribution the tagger finds in the sentence
    #: that shares most words with the claim, the rule's clause when none does
    #: (``tagged``: :func:`tagged_evidence`)
    evidence: Literal["rule", "tagged"] = "rule"


@dataclass(frozen=True)
class Passage:
    """One request's worth: numbered candidates, context lines, the paragraph before."""

    numbered: tuple[Candidate, ...]
    #: (index of the numbered candidate it follows, 0 = before the first; its span)
    context: tuple[tuple[int, Span], ...]
    before: Span | None

    @property
    def window(self) -> Span:
        spans = [*(c.span for c in self.numbered), *(s for _, s in self.context)]
        return Span(min(s.start for s in spans), max(s.end for s in spans))


def find_passages(text: str, candidates: Sequence[Candidate], per_request: int) -> list[Passage]:
    """Group ``candidates`` into passages (module docstring).

    Consecutive paragraphs with candidates share a passage until it numbers
    ``per_request`` candidates; a paragraph without one ends the passage (its
    claims would be out of context). A paragraph's sentences that overlap no
    candidate are its context lines, in place; before exact spans, all of the
    paragraph's sentences are (a clause alone does not name its speaker).
    """
    body = paragraphs(text)
    out: list[Passage] = []
    numbered: list[Candidate] = []
    context: list[tuple[int, Span]] = []
    before: Span | None = None

    def flush() -> None:
        nonlocal numbered, context
        if numbered:
            out.append(Passage(tuple(numbered), tuple(context), before))
        numbered, context = [], []

    for i, para in enumerate(body):
        asked = sorted(
            (c for c in candidates if para.start <= c.span.start < para.end),
            key=lambda c: (c.span.start, c.span.end),
        )
        if not asked:
            flush()
            continue
        if numbered and len(numbered) + len(asked) > per_request:
            flush()
        if not numbered:
            before = body[i - 1] if i else None
        items: list[Candidate | Span]
        if any(c.exact for c in asked):
            context.extend((len(numbered), s) for s in sentences(text, para))
            items = list(asked)
        else:
            others = [
                s for s in sentences(text, para) if not any(s.overlaps(c.span) for c in asked)
            ]
            items = sorted([*asked, *others], key=lambda x: x.start)
        for item in items:
            if isinstance(item, Span):
                context.append((len(numbered), item))
                continue
            if len(numbered) >= per_request:  # a paragraph with more candidates than a passage
                flush()
                before = body[i - 1] if i else None
            numbered.append(item)
    flush()
    return out


@lru_cache(maxsize=1)  # the requests of one article read the same tagging, one at a time
def _tagged_contents(text: str) -> tuple[Span, ...]:
    return tuple(a.span for a in tag(text))


def tagged_evidence(text: str, sentence: Span, claim: str) -> Span:
    """The evidence of ``claim`` in ``sentence``: the content of a tagged attribution of
    the sentence (:func:`claimx.tagging.tag`) sharing most content words with the claim,
    exact by construction; the rule's clause (:func:`claim_evidence`) when none shares one.

    The tagger delimits what is attributed as PolNeAR's annotators did (its content
    F1 on dev is well above the rule's); the model's claim picks which of the
    sentence's attributions it states.
    """
    wanted = content_words(claim, MATCHING)
    inside = [s for s in _tagged_contents(text) if sentence.overlaps(s)]
    scored = [(len(wanted & content_words(s.slice(text), MATCHING)), -s.start, s) for s in inside]
    best = max(scored, default=None)
    if best is None or best[0] == 0:
        return claim_evidence(text, sentence, claim)
    return best[2]


@register
class Numbered(Asker):
    """Candidates in numbered passages -> claims per candidate, evidence by rule."""

    name = "numbered"
    Params = NumberedParams
    provides = frozenset({"text", "context"})

    def __init__(self, params: NumberedParams) -> None:
        super().__init__(params)
        self.per_request = params.per_request
        self.evidence = params.evidence

    def requests(
        self, text: str, candidates: Sequence[Candidate], spec: PromptSpec
    ) -> list[Request]:
        out = []
        for passage in find_passages(text, candidates, self.per_request):
            block = numbered_lines(
                [c.span.slice(text) for c in passage.numbered],
                [(i, s.slice(text)) for i, s in passage.context],
            )
            before = passage.before.slice(text) if passage.before else NO_CONTEXT
            openings = tuple(
                opening(n, c.span.slice(text)) for n, c in enumerate(passage.numbered, 1)
            )
            answer = numbered_answer_model(openings, spec.params.max_claims)
            out.append(
                Request(
                    {"text": block, "context": before},
                    passage.numbered,
                    window=passage.window,
                    answer=answer,
                )
            )
        return out

    def response_model(self, spec: PromptSpec) -> type[BaseModel]:
        return NumberedAnswer

    def example_answer(self, spec: PromptSpec, example: FewShotExample) -> str:
        drafts = [NumberedDraft.model_validate(c) for c in example.claims]
        numbered = count_numbered(example.text)
        for i, claim in enumerate(drafts):
            if not 1 <= claim.sentence <= numbered:
                raise ValueError(
                    f"claims[{i}].sentence is {claim.sentence}, but the example text numbers"
                    f" {numbered} sentence(s) ('[1] ...' lines)"
                )
        return numbered_answer(drafts, example.text).model_dump_json(exclude_none=False)

    def drafts(self, text: str, request: Request, answer: Any) -> list[Draft]:
        assert isinstance(answer, NumberedAnswer)
        out = []
        for candidate, entry in zip(request.candidates, answer.sentences, strict=True):
            for c in entry.claims:
                if candidate.exact:
                    span = candidate.span
                elif self.evidence == "tagged":
                    span = tagged_evidence(text, candidate.span, c.claim)
                else:
                    span = claim_evidence(text, candidate.span, c.claim)
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
                out.append(
                    Draft(
                        claim=draft,
                        window=candidate.span,
                        located=located,
                        source=candidate.source,
                        pieces=candidate.pieces if candidate.exact else (),
                    )
                )
        return out
