"""``ask: quoted``: the model copies each claim's quote; claimx finds it in the article.

For the whole text (``find: whole_text``) one request shows the article; for
candidates of a stage one, one request per candidate shows its text
(``text``), its paragraph (``paragraph``) and the paragraph before
(``context``), and the quotes are grounded inside the candidate's window.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from claimx.extraction.drafts import ClaimDrafts, drafts_model
from claimx.extraction.records import Candidate, Draft, Request
from claimx.extraction.stages.registry import Asker, register
from claimx.prompts import FewShotExample, PromptSpec
from claimx.text.segments import paragraphs
from claimx.text.spans import Span

NO_CONTEXT = "(none)"
"""What ``context`` says when there is no paragraph before."""


def paragraph_before(text: str, body: Sequence[Span], paragraph: Span) -> str:
    """The text of the paragraph before ``paragraph`` (``body``: the article's
    paragraphs), or :data:`NO_CONTEXT`."""
    index = next((i for i, p in enumerate(body) if p.start <= paragraph.start < p.end), 0)
    return body[index - 1].slice(text) if index else NO_CONTEXT


@register
class Quoted(Asker):
    """Claims with their verbatim quote; one request for the text or per candidate."""

    name = "quoted"
    provides = frozenset({"text", "context", "paragraph"})

    def requests(
        self, text: str, candidates: Sequence[Candidate], spec: PromptSpec
    ) -> list[Request]:
        body = paragraphs(text)
        out = []
        for candidate in candidates:
            if candidate.window is None:  # the whole text: one request, grounded anywhere
                variables = {"text": text, "context": NO_CONTEXT, "paragraph": text}
            else:
                variables = {
                    "text": candidate.span.slice(text),
                    "context": paragraph_before(text, body, candidate.paragraph),
                    "paragraph": candidate.paragraph.slice(text),
                }
            out.append(Request(variables, (candidate,), window=candidate.window))
        return out

    def response_model(self, spec: PromptSpec) -> type[BaseModel]:
        return drafts_model(spec.params.max_claims)

    def example_answer(self, spec: PromptSpec, example: FewShotExample) -> str:
        answer = ClaimDrafts.model_validate({"claims": example.claims})
        for i, claim in enumerate(answer.claims):
            if claim.quote not in example.text:
                raise ValueError(
                    f"claims[{i}].quote does not occur in the example text: {claim.quote!r}"
                )
        return answer.model_dump_json(exclude_none=False)

    def drafts(self, text: str, request: Request, answer: Any) -> list[Draft]:
        assert isinstance(answer, ClaimDrafts)
        source = request.candidates[0].source if len(request.candidates) == 1 else None
        return [Draft(claim=c, window=request.window, source=source) for c in answer.claims]
