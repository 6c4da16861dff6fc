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
* **kept or dropped** (:func:`read_answer`, each drop a warning): a small
  model lists sources it did not read in the sentences (on the five articles,
  v1 names the first three numbered sentences whatever they say). A source is
  dropped when its sentence is page furniture (:func:`claimx.text.furniture.is_furniture`:
  "News U.S.", "Skip to content", a date line, another story's headline), when
  its speaker is copied from the prompt's examples ("Pieter Smet" in an article
  about Moscow: :func:`claimx.extraction.assemble.echoes_examples`, the
  extraction's own rule), when its speaker is named neither in its sentence nor
  in that paragraph or the one before (the extraction's confidence check,
  :func:`claimx.extraction.confidence.named_in`, after the sentence-speaker rule
  below), and when its evidence covers less of the claim's IDF-weighted words
  than the screen's threshold (:func:`claimx.targeted.lexical.coverage`): evidence
  that alone would be screened as unrelated says nothing about the claim (T2 of
  ``eval/ANNOTATION.md``);
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
  round for a negated claim ("The US did not encourage ..."); and, toward a
  given claim only, evidence calling what states the claim a lie ("the Kremlin
  is 'lying' about the US role in the attack": half the claim's content words
  after "lying about") refutes it. On extraction's
  matched claims the rules were right on 0.94 where the same model was on 0.70
  (``eval/README.md``, "Stance and speaker"); a small model calls an accusation
  "refutes" for its negative word. Where the rules find no marker at all, the
  model's ``uncertain`` is kept: entertaining a claim as one possibility (T3 of
  ``eval/ANNOTATION.md``) has no word the rules know. Nor do the rules decide
  for two sources the model places in one sentence ("The White House denied
  ..., after Peskov accused Washington ..."): the evidence is one clause of it,
  the words of one of them, so the model's stances stand there;
* **position**: not decided here. :class:`ModelVerdict` carries the model's own
  position beside the sources kept, and the caller decides by rule
  (:func:`claimx.targeted.aggregate.decide_position`): the kept sources and the
  article's own words first, the model's position only where they cannot say.

An answer that does not validate raises :class:`~claimx.errors.ExtractionError`
(after the client's one re-ask); the caller falls back to the classifier.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from claimx.extraction.assemble import echoes_examples, example_vocabulary
from claimx.extraction.confidence import named_in
from claimx.extraction.evidence import claim_evidence
from claimx.extraction.stance import FRAME_CHARS, evidence_stance, is_negated
from claimx.llm.protocol import Model
from claimx.models import OPPOSITE, ArticleStance, MatchedSource, Stance, Usage
from claimx.prompts import FewShotExample
from claimx.speakers import UNKNOWN_SPEAKER_ID, resolve_speakers
from claimx.speakers.attribution import named_mentions, sentence_source
from claimx.targeted.lexical import ArticleView, Idf, claim_words, coverage
from claimx.targeted.passages import Passage
from claimx.targeted.schema import SourceAnswer, StanceAnswer
from claimx.targeted.task import TargetedTask
from claimx.text.furniture import furniture_spans, is_furniture
from claimx.text.normalize import MATCHING, content_words
from claimx.text.segments import paragraphs
from claimx.text.spans import Span

__all__ = [
    "AnswerChecks",
    "ModelVerdict",
    "ask_model",
    "example_words",
    "read_answer",
    "rule_stance",
]

_NO_MARKER = "no denial, hedge or negation"  # evidence_stance's reason for its default


@dataclass(frozen=True)
class ModelVerdict:
    """The model's answer about one claim and article, read (module docstring): the
    sources kept and the model's own position, which the caller weighs by rule."""

    position: ArticleStance
    sources: list[MatchedSource]
    usage: Usage
    latency_s: float
    cached: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerChecks:
    """What :func:`read_answer` checks each source against (module docstring, "kept or
    dropped"); the defaults check nothing, as before the checks existed."""

    #: the words of the prompt's few-shot examples (:func:`example_words`)
    examples: frozenset[str] = frozenset()
    #: IDF weights of the evidence's coverage of the claim; None: not checked
    idf: Idf | None = None
    #: least coverage of the claim's words by a source's evidence (the screen's threshold)
    least_coverage: float = 0.0
    #: drop sentences of page furniture, and speakers named nowhere near their sentence
    furniture_and_names: bool = False


def example_words(examples: Sequence[FewShotExample]) -> frozenset[str]:
    """The words of a targeted prompt's few-shot examples: texts, claims, speakers."""
    parts: list[str] = []
    for example in examples:
        parts += [example.text, *example.variables.values()]
        sources = example.answer.get("sources", []) if isinstance(example.answer, dict) else []
        parts += [str(s.get("speaker", "")) for s in sources if isinstance(s, dict)]
    return _example_words(tuple(parts))


@cache
def _example_words(parts: tuple[str, ...]) -> frozenset[str]:
    return example_vocabulary(parts)  # cached: every request of a run asks the same prompt


# "the Kremlin is 'lying' about the US role in the attack": what follows "about" is called
# a lie, so a speaker saying it refutes a claim those words state (not the accusation itself,
# which extraction's proposition "The Kremlin is lying" would state and support).
_LIE_ABOUT = re.compile(r"\b(?:lying|lie|lies|lied)\b\W{0,3}\s*about\b(?P<topic>[^.;]*)", re.I)
#: share of the claim's content words the topic of a lie must hold to be the claim
LIE_TOPIC_SHARE = 0.5


def rule_stance(claim: str, text: str, evidence: Span, model: Stance) -> Stance:
    """The stance the attribution rules read off ``evidence`` toward ``claim`` (module doc)."""
    before = text[max(0, evidence.start - FRAME_CHARS) : evidence.start]
    quote = evidence.slice(text)
    lie = _LIE_ABOUT.search(f"{before[-FRAME_CHARS:]} {quote}")
    words = claim_words(claim)
    if lie and words and len(words & claim_words(lie["topic"])) >= LIE_TOPIC_SHARE * len(words):
        return "supports" if is_negated(claim) else "refutes"
    found, why = evidence_stance(quote, before)
    if why == _NO_MARKER and model == "uncertain":
        return "uncertain"
    return OPPOSITE[found] if is_negated(claim) else found


def _near(text: str, body: list[Span], span: Span) -> str:
    """The paragraph of ``span`` and the one before: where a reader looks for its speaker
    (as the extraction's confidence check does)."""
    i = next((k for k, p in enumerate(body) if p.start <= span.start < p.end), None)
    if i is None:
        return text[max(0, span.start - 600) : span.end]
    return text[body[max(0, i - 1)].start : max(body[i].end, span.end)]


def read_answer(
    claim: str,
    text: str,
    passage: Passage,
    answer: StanceAnswer,
    *,
    rules: bool = False,
    checks: AnswerChecks | None = None,
) -> tuple[list[MatchedSource], list[str]]:
    """The sources kept (resolved, one each, in article order) and the warnings, saying
    what was dropped and why; with ``rules``, the sources' stances are the attribution
    rules' (module docstring). The model's position is ``answer.position``, untouched."""
    checks = checks or AnswerChecks()
    mentions = named_mentions(text) if answer.sources else []
    furniture = furniture_spans(text) if checks.furniture_and_names and answer.sources else []
    body = paragraphs(text) if checks.furniture_and_names and answer.sources else []
    article_words = set(example_vocabulary([text])) if checks.examples else set()
    words = claim_words(claim)
    names, found = [], []
    warnings: list[str] = []
    for given in answer.sources:
        sentence = passage.spans[given.sentence - 1]
        shown = f"{given.speaker!r} (sentence {given.sentence})"
        if checks.furniture_and_names and is_furniture(furniture, sentence):
            warnings.append(f"dropped {shown}: the sentence is page furniture")
            continue
        if checks.examples and echoes_examples("", given.speaker, article_words, checks.examples):
            warnings.append(f"dropped {shown}: the speaker is copied from the prompt's examples")
            continue
        evidence = claim_evidence(text, sentence, claim)
        name = given.speaker
        if not named_in(name, sentence.slice(text)):
            name = sentence_source(text, sentence, evidence, mentions) or name
            if checks.furniture_and_names and not named_in(name, _near(text, body, sentence)):
                warnings.append(f"dropped {shown}: the speaker is not named near the sentence")
                continue
        if checks.idf is not None:
            share = coverage(words, content_words(evidence.slice(text), MATCHING), checks.idf)
            if share < checks.least_coverage:
                warnings.append(
                    f"dropped {shown}: its evidence covers {share:.2f} of the claim's words"
                )
                continue
        names.append((name, None))
        found.append((given, evidence))
    speakers, ids = resolve_speakers(names, text)
    by_id = {s.id: s for s in speakers}
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
    return kept, warnings


async def ask_model(
    model: Model,
    task: TargetedTask,
    claim: str,
    article: ArticleView,
    idf: Idf,
    *,
    least_coverage: float = 0.0,
) -> ModelVerdict | None:
    """Ask ``model`` about ``claim`` in ``article`` (module docstring); None when the article
    has no sentence to show. ``least_coverage``: the least share of the claim's words a
    source's evidence must cover (the screen's threshold, from the caller). Raises what
    the model raises (ExtractionError: no valid answer)."""
    request = task.request(claim, article, idf)
    if request is None:
        return None
    answer = await model.complete(
        request.messages, request.answer, max_tokens=task.spec.params.max_tokens
    )
    checks = AnswerChecks(
        examples=example_words(task.spec.examples),
        idf=idf,
        least_coverage=least_coverage,
        furniture_and_names=True,
    )
    sources, warnings = read_answer(
        claim,
        article.text,
        request.passage,
        answer.value,
        rules=task.params.stance == "rules",
        checks=checks,
    )
    return ModelVerdict(
        position=answer.value.position,
        sources=sources,
        usage=answer.usage,
        # The call's own seconds: a request waiting for a free slot does not count them.
        latency_s=round(answer.latency_s, 3),
        cached=answer.cached,
        warnings=warnings,
    )
