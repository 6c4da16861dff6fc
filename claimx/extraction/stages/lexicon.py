"""``find: lexicon``: every sentence with an attribution signal of its own.

A stage one for any news: a sentence is asked about when it carries a cue of
the lexicon learnt from PolNeAR train, a reporting noun, a document or poll,
quotation marks, or continues a quotation opened earlier in its paragraph
(:func:`claimx.text.attribution.is_signalled`). The classes and the least
count were tuned on PolNeAR train (``eval/README.md``, "A stage one for any
news"); the defaults are what the shipped prompts use.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from claimx.extraction.records import Candidate
from claimx.extraction.stages.registry import Finder, register
from claimx.text.attribution import CLASSES, MIN_COUNT, is_signalled
from claimx.text.segments import paragraphs, sentences


class LexiconParams(BaseModel):
    """What counts as a signal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: least count in PolNeAR train of a cue lemma used as a signal
    min_count: int = Field(default=MIN_COUNT, ge=1)
    #: the signal classes: cues, nouns, documents, quotes
    classes: frozenset[str] = CLASSES

    @field_validator("classes")
    @classmethod
    def _known(cls, value: frozenset[str]) -> frozenset[str]:
        if unknown := value - CLASSES:
            raise ValueError(f"unknown signal classes {sorted(unknown)}; known: {sorted(CLASSES)}")
        return value


@register
class Lexicon(Finder):
    """Signalled sentences, each with its paragraph as context."""

    name = "lexicon"
    Params = LexiconParams

    def __init__(self, params: LexiconParams) -> None:
        super().__init__(params)
        self.min_count = params.min_count
        self.classes = params.classes

    def find(self, text: str) -> list[Candidate]:
        out = []
        for para in paragraphs(text):
            for span in sentences(text, para):
                if is_signalled(text, para, span, min_count=self.min_count, classes=self.classes):
                    out.append(Candidate(span, paragraph=para, window=span))
        return out
