"""A stage added from outside claimx: one module, one registration (issue 22's contract test).

``find: first_sentences`` asks about the first ``n`` sentences of every paragraph:
nothing in ``claimx/`` knows it; the test imports this module and runs a prompt
that names it end to end.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from claimx.extraction.records import Candidate
from claimx.extraction.stages import Finder, register
from claimx.text.segments import paragraphs, sentences


class FirstSentencesParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    n: int = Field(default=1, ge=1)


@register
class FirstSentences(Finder):
    """The first ``n`` sentences of each paragraph."""

    name = "first_sentences"
    Params = FirstSentencesParams

    def __init__(self, params: FirstSentencesParams) -> None:
        super().__init__(params)
        self.n = params.n

    def find(self, text: str) -> list[Candidate]:
        return [
            Candidate(s, paragraph=p, window=s)
            for p in paragraphs(text)
            for s in sentences(text, p)[: self.n]
        ]
