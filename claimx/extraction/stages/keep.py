"""``keep``: which drafts are kept (``all``, or those of ``signalled`` sentences)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from claimx.extraction.records import Draft
from claimx.extraction.stages.registry import ClaimFilter, register
from claimx.text.attribution import STRONG_COUNT, has_strong_signal
from claimx.text.segments import enclosing, paragraphs


@register
class KeepAll(ClaimFilter):
    """Every draft."""

    name = "all"

    def keep(self, text: str, drafts: list[Draft]) -> list[Draft]:
        return drafts


class SignalledParams(BaseModel):
    """How strong a cue must be."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: least count in PolNeAR train of a cue that keeps its sentence's claims
    min_count: int = Field(default=STRONG_COUNT, ge=1)


@register
class Signalled(ClaimFilter):
    """Only the claims of sentences that quote or carry a frequent cue.

    Stage one asks about every sentence with a cue seen a few times in train,
    for recall; the claims a small model reads into the rarer cues ("carried
    on", "comes") are mostly narration (:func:`claimx.text.attribution.has_strong_signal`).
    A draft is judged by the sentence it was asked about (its window).
    """

    name = "signalled"
    Params = SignalledParams
    #: it judges stage one's sentences: given spans (the oracle) are kept whole
    judges_stage_one = True

    def __init__(self, params: SignalledParams) -> None:
        super().__init__(params)
        self.min_count = params.min_count

    def keep(self, text: str, drafts: list[Draft]) -> list[Draft]:
        body = paragraphs(text)
        return [
            d
            for d in drafts
            if d.window is None
            or has_strong_signal(
                text, enclosing(body, d.window), d.window, min_count=self.min_count
            )
        ]
