"""``find: tagger``: the attributions the learned tagger finds; each content is the evidence.

Stage one by the CPU attribution tagger trained on PolNeAR train
(:mod:`claimx.tagging`): every tagged attribution is a candidate whose span is
its content (from the first to the last character of its pieces, which it
carries), exact by construction, with its source and cue as written. The model is then asked
only what rules cannot do (the self-contained proposition, a stance opinion);
the speaker stage may resolve the written source (``speaker: tagged``).

``family`` picks the tagger: ``crf`` (the default, numpy only), ``encoder``
(the fine-tuned MiniLM) or ``bilstm`` (a BiLSTM over MiniLM's wordpiece vectors),
both of the ``[encoder]`` extra; ``claimx/tagging/MODEL_CARD.md`` compares them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from claimx.extraction.records import Candidate
from claimx.extraction.stages.registry import Finder, register
from claimx.tagging import tag
from claimx.tagging.onnx_tagger import require_encoder
from claimx.tagging.tagger import Family
from claimx.text.segments import paragraphs
from claimx.text.spans import Span


class TaggerParams(BaseModel):
    """Which tagger finds the attributions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: ``crf`` (shipped default), ``encoder`` or ``bilstm`` (need the ``[encoder]`` extra)
    family: Family = "crf"


@register
class Tagger(Finder):
    """Tagged attributions, each with its sentences as window."""

    name = "tagger"
    Params = TaggerParams

    def __init__(self, params: TaggerParams) -> None:
        super().__init__(params)
        self.family: Family = params.family
        if self.family != "crf":
            require_encoder()  # when the pipeline is built, not at the first article

    def find(self, text: str) -> list[Candidate]:
        body = paragraphs(text)
        out = []
        for attribution in tag(text, family=self.family):
            span = attribution.span
            holding = [p for p in body if p.overlaps(span)] or [span]
            paragraph = Span(holding[0].start, holding[-1].end)
            out.append(
                Candidate(
                    span,
                    paragraph=paragraph,
                    window=attribution.sentence(text),
                    exact=True,
                    source=attribution.source,
                    cue=attribution.cue,
                    pieces=attribution.content,
                )
            )
        return out
