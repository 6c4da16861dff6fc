"""``speaker``: the model's speaker, or the source the claim's own sentence names."""

from __future__ import annotations

from collections.abc import Sequence

from claimx.extraction.confidence import named_in
from claimx.extraction.records import Draft
from claimx.extraction.stages.registry import SpeakerRule, register
from claimx.speakers.attribution import is_outlet, named_mentions, sentence_source
from claimx.speakers.source import source_name
from claimx.tagging import TaggedAttribution, tag
from claimx.text.grounding import Located
from claimx.text.segments import enclosing, sentences
from claimx.text.spans import Span


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
        return _sentence_names(text, drafts, located, named_mentions(text), sentences(text))


@register
class TaggedSpeaker(SpeakerRule):
    """The source stage one found, resolved to a name; else as ``rules`` decides.

    A stage one that reads attributions (``find: tagger``) says where each
    claim's source is written: a name is kept, a pronoun becomes the person
    named just before it, a description stays for the resolver
    (:func:`claimx.speakers.source.source_name`); a news outlet that relays a
    source its words or its sentence name is that source (:func:`_relayed_source`). Without
    a source, or when the rule cannot say, the sentence's own subject or the
    model's speaker (:class:`SentenceSpeaker`).
    """

    name = "tagged"

    def names(self, text: str, drafts: Sequence[Draft], located: Sequence[Located]) -> list[str]:
        mentions = named_mentions(text)
        spans = sentences(text)
        fallback = _sentence_names(text, drafts, located, mentions, spans)
        tagged: list[TaggedAttribution] | None = None
        out = []
        for draft, loc, other in zip(drafts, located, fallback, strict=True):
            source = draft.source
            if source is None:
                # Stage one found no source (a stage one of sentences): the tagger's
                # attribution whose content holds most of the evidence says who.
                tagged = tag(text) if tagged is None else tagged
                source = _tagged_source(tagged, loc.span)
            name = source_name(text, source, mentions) if source is not None else None
            if name and is_outlet(name):
                name = _relayed_source(text, loc.span, mentions, spans) or name
            out.append(name or other)
        return out


def _sentence_names(
    text: str,
    drafts: Sequence[Draft],
    located: Sequence[Located],
    mentions: Sequence[tuple[Span, str]],
    spans: Sequence[Span],
) -> list[str]:
    """:class:`SentenceSpeaker`'s rule, over the article's named mentions and sentences
    (``spans``) found once."""
    out = []
    for draft, loc in zip(drafts, located, strict=True):
        sentence = enclosing(spans, loc.span)
        name = draft.claim.speaker
        if not named_in(name, sentence.slice(text)):
            name = sentence_source(text, sentence, loc.span, mentions) or name
        out.append(name)
    return out


def _relayed_source(
    text: str, evidence: Span, mentions: Sequence[tuple[Span, str]], spans: Sequence[Span]
) -> str | None:
    """The original source an outlet relays (the annotation standard's speaker): the named
    subject of a cue inside its words ("[Zelensky said the leader ...], the AP reported"),
    else of another cue of its sentence ("[...]” asked Antonov, according to Tass")."""
    inner = sentence_source(text, evidence, Span(evidence.end, evidence.end), mentions)
    sentence = enclosing(spans, evidence)
    for name in (inner, sentence_source(text, sentence, evidence, mentions)):
        if name and not is_outlet(name):
            return name
    return None


def _tagged_source(tagged: Sequence[TaggedAttribution], evidence: Span) -> Span | None:
    """The source of the tagged attribution sharing most characters with ``evidence``."""
    best = max(tagged, key=lambda a: sum(p.shared(evidence) for p in a.content), default=None)
    if best is None or not any(p.overlaps(evidence) for p in best.content):
        return None
    return best.source
