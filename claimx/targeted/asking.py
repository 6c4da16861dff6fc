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
* **stance** (the prompt's ``stance`` parameter): the model's, or, with
  ``rules``, the one the attribution rules read off the evidence and the words
  just before it (:func:`claimx.extraction.stance.evidence_stance`: a hedge is
  ``uncertain``, a denial or a negation ``refutes``, else ``supports``), turned
  round for a negated claim ("The US did not encourage ..."). On extraction's
  matched claims the rules were right on 0.94 where the same model was on 0.70
  (``eval/README.md``, "Stance and speaker"); a small model calls an accusation
  "refutes" for its negative word. Where the rules find no marker at all, the
  model's ``uncertain`` is kept: entertaining a claim as one possibility (T3 of
  ``eval/ANNOTATION.md``) has no word the rules know. Nor do the rules decide
  for two sources the model places in one sentence ("The White House denied
  ..., after Peskov accused Washington ..."): the evidence is one clause of it,
  the words of one of them, so the model's stances stand there;
* **position**: the model's, except that an article whose sources speak to the
  claim is not ``unrelated`` (T5): then the sources decide
  (:func:`claimx.targeted.aggregate.article_position`), with a warning.

An answer that does not validate raises :class:`~claimx.errors.ExtractionError`
(after the client's one re-ask); the caller falls back to the classifier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from claimx.extraction.confidence import named_in
from claimx.extraction.evidence import claim_evidence
from claimx.extraction.stance import FRAME_CHARS, evidence_stance, is_negated
from claimx.llm.protocol import Model
from claimx.models import ArticleStance, MatchedSource, Stance, Usage
from claimx.speakers import UNKNOWN_SPEAKER_ID, resolve_speakers
from claimx.speakers.attribution import named_mentions, sentence_source
from claimx.targeted.aggregate import article_position
from claimx.targeted.lexical import ArticleView, Idf
from claimx.targeted.passages import Passage
from claimx.targeted.schema import SourceAnswer, StanceAnswer
from claimx.targeted.task import TargetedTask
from claimx.text.spans import Span

__all__ = ["ModelVerdict", "ask_model", "read_answer", "rule_stance"]

_FLIP: dict[Stance, Stance] = {
    "supports": "refutes",
    "refutes": "supports",
    "uncertain": "uncertain",
}
_NO_MARKER = "no denial, hedge or negation"  # evidence_stance's reason for its default


@dataclass(frozen=True)
class ModelVerdict:
    """The model's answer about one claim and article, read (module docstring)."""

    position: ArticleStance
    sources: list[MatchedSource]
    usage: Usage
    latency_s: float
    cached: bool = False
    warnings: list[str] = field(default_factory=list)


def rule_stance(claim: str, text: str, evidence: Span, model: Stance) -> Stance:
    """The stance the attribution rules read off ``evidence`` toward ``claim`` (module doc)."""
    before = text[max(0, evidence.start - FRAME_CHARS) : evidence.start]
    found, why = evidence_stance(evidence.slice(text), before)
    if why == _NO_MARKER and model == "uncertain":
        return "uncertain"
    return _FLIP[found] if is_negated(claim) else found


def read_answer(
    claim: str, text: str, passage: Passage, answer: StanceAnswer, *, rules: bool = False
) -> tuple[ArticleStance, list[MatchedSource], list[str]]:
    """The position, the sources (resolved, one each, in article order) and the warnings;
    with ``rules``, the sources' stances are the attribution rules' (module docstring)."""
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
    chosen: dict[str, tuple[SourceAnswer, Span]] = {}
    for (given, evidence), speaker_id in zip(found, ids, strict=True):
        if speaker_id == UNKNOWN_SPEAKER_ID:
            warnings.append(f"dropped a source the article does not name: {given.speaker!r}")
        elif speaker_id not in chosen:
            chosen[speaker_id] = (given, evidence)
    # Two sources in one sentence share its evidence, which holds one of them's words
    # ("X denied ..., after Y accused ..."): there the rules cannot tell, the model's stands.
    shared = Counter(given.sentence for given, _ in chosen.values())
    kept = sorted(
        (
            MatchedSource(
                speaker=by_id[speaker_id].name,
                stance=rule_stance(claim, text, evidence, given.stance)
                if rules and shared[given.sentence] == 1
                else given.stance,
                quote=evidence.slice(text),
                start=evidence.start,
                end=evidence.end,
                speaker_id=speaker_id,
            )
            for speaker_id, (given, evidence) in chosen.items()
        ),
        key=lambda s: (s.start, s.end),
    )
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
    position, sources, warnings = read_answer(
        claim, article.text, request.passage, answer.value, rules=task.params.stance == "rules"
    )
    return ModelVerdict(
        position=position,
        sources=sources,
        usage=answer.usage,
        # The call's own seconds: a request waiting for a free slot does not count them.
        latency_s=round(answer.latency_s, 3),
        cached=answer.cached,
        warnings=warnings,
    )
