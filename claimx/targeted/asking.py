"""The model step: one request about a claim and an article, read into sources and a position.

:func:`ask_model` sends the request :class:`~claimx.targeted.task.TargetedTask`
plans (the numbered sentences most related to the claim) to a
:class:`~claimx.llm.protocol.Model` and reads the answer
(:mod:`claimx.targeted.schema`):

* **evidence**: each source points at a numbered sentence; its evidence is the
  part of that sentence that carries the claim, read by the extraction's own
  rule (:func:`claimx.extraction.evidence.claim_evidence`: the quotation, or
  the reported clause without its "he said" frame). ``text[start:end] ==
  quote`` by construction: nothing the model wrote has to be found again;
* **speaker**: the model's name, unless the sentence names another source as
  the subject of its reporting verb
  (:func:`claimx.speakers.attribution.sentence_source`, as ``speaker: rules``
  does in extraction: a small model names the context's speaker for a
  sentence that names its own); then the names are resolved into the
  article's sources (:func:`claimx.speakers.resolve_speakers`: "Peskov" is
  "Dmitry Peskov"). A source the resolver cannot name ("he", "unknown") is
  dropped, and a source named twice keeps its first entry (T4 of
  ``eval/ANNOTATION.md``: one record per source);
* **position**: the model's, except that an article whose sources speak to the
  claim is not ``unrelated`` (T5): then the sources decide
  (:func:`claimx.targeted.aggregate.article_position`), with a warning.

An answer that does not validate raises :class:`~claimx.errors.ExtractionError`
(after the client's one re-ask); the caller falls back to the classifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimx.extraction.confidence import named_in
from claimx.extraction.evidence import claim_evidence
from claimx.llm.protocol import Model
from claimx.models import ArticleStance, MatchedSource, Usage
from claimx.speakers import UNKNOWN_SPEAKER_ID, resolve_speakers
from claimx.speakers.attribution import named_mentions, sentence_source
from claimx.targeted.aggregate import article_position
from claimx.targeted.lexical import ArticleView, Idf
from claimx.targeted.passages import Passage
from claimx.targeted.schema import StanceAnswer
from claimx.targeted.task import TargetedTask

__all__ = ["ModelVerdict", "ask_model", "read_answer"]


@dataclass(frozen=True)
class ModelVerdict:
    """The model's answer about one claim and article, read (module docstring)."""

    position: ArticleStance
    sources: list[MatchedSource]
    usage: Usage
    latency_s: float
    cached: bool = False
    warnings: list[str] = field(default_factory=list)


def read_answer(
    claim: str, text: str, passage: Passage, answer: StanceAnswer
) -> tuple[ArticleStance, list[MatchedSource], list[str]]:
    """The position, the sources (resolved, one each, in article order) and the warnings."""
    mentions = named_mentions(text) if answer.sources else []
    names, found = [], []
    for given in answer.sources:
        sentence = passage.spans[given.sentence - 1]
        evidence = claim_evidence(text, sentence, claim)
        name = given.speaker
        if not named_in(name, sentence.slice(text)):
            name = sentence_source(text, sentence, evidence, mentions) or name
        names.append((name, None))
        found.append((given, evidence))
    speakers, ids = resolve_speakers(names, text)
    by_id = {s.id: s for s in speakers}
    warnings: list[str] = []
    sources: dict[str, MatchedSource] = {}
    for (given, evidence), speaker_id in zip(found, ids, strict=True):
        if speaker_id == UNKNOWN_SPEAKER_ID:
            warnings.append(f"dropped a source the article does not name: {given.speaker!r}")
            continue
        if speaker_id in sources:
            continue
        sources[speaker_id] = MatchedSource(
            speaker=by_id[speaker_id].name,
            stance=given.stance,
            quote=evidence.slice(text),
            start=evidence.start,
            end=evidence.end,
            speaker_id=speaker_id,
        )
    kept = sorted(sources.values(), key=lambda s: (s.start, s.end))
    position: ArticleStance = answer.position
    if position == "unrelated" and kept:
        position = article_position(s.stance for s in kept) or "uncertain"
        warnings.append(
            f"the model called the article unrelated but named {len(kept)} source(s) on the"
            f" claim: the position is theirs ({position})"
        )
    return position, kept, warnings


async def ask_model(
    model: Model, task: TargetedTask, claim: str, article: ArticleView, idf: Idf
) -> ModelVerdict | None:
    """Ask ``model`` about ``claim`` in ``article`` (module docstring); None when the article
    has no sentence to show. Raises what the model raises (ExtractionError: no valid answer)."""
    request = task.request(claim, article, idf)
    if request is None:
        return None
    answer = await model.complete(
        request.messages, request.answer, max_tokens=task.spec.params.max_tokens
    )
    position, sources, warnings = read_answer(claim, article.text, request.passage, answer.value)
    return ModelVerdict(
        position=position,
        sources=sources,
        usage=answer.usage,
        # The call's own seconds: a request waiting for a free slot does not count them.
        latency_s=round(answer.latency_s, 3),
        cached=answer.cached,
        warnings=warnings,
    )
