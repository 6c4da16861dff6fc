"""``speaker``: the model's speaker, or the source the claim's own sentence names."""

from __future__ import annotations

from collections.abc import Sequence

from claimx.extraction.confidence import named_in
from claimx.extraction.records import Draft
from claimx.extraction.stages.registry import SpeakerRule, register
from claimx.speakers.attribution import named_mentions, sentence_source
from claimx.text.grounding import Located
from claimx.text.segments import enclosing, sentences


@register
class ModelSpeaker(SpeakerRule):
    """The speaker as the model named it."""

    name = "model"

    def names(self, text: str, drafts: Sequence[Draft], located: Sequence[Located]) -> list[str]:
        return [d.claim.speaker for d in drafts]


@register
class SentenceSpeaker(SpeakerRule):
    """The model's speaker, unless its sentence names another source for the claim.

    A small model shown a sentence with its paragraph often names the context's
    speaker; when the model's speaker is not named in the evidence's sentence,
    the named subject of the sentence's reporting verb replaces it
    (:func:`claimx.speakers.attribution.sentence_source`); never after a pronoun.
    """

    name = "rules"

    def names(self, text: str, drafts: Sequence[Draft], located: Sequence[Located]) -> list[str]:
        mentions = named_mentions(text)
        spans = sentences(text)
        out = []
        for draft, loc in zip(drafts, located, strict=True):
            sentence = enclosing(spans, loc.span)
            name = draft.claim.speaker
            if not named_in(name, sentence.slice(text)):
                name = sentence_source(text, sentence, loc.span, mentions) or name
            out.append(name)
        return out
