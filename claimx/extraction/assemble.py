"""From model drafts to trusted records: ground, resolve speakers, de-duplicate.

Shared by every pipeline: they differ only in how they find and ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from claimx.extraction.confidence import claim_confidence, named_in
from claimx.extraction.records import Draft
from claimx.extraction.stages.registry import NoParams, SpeakerRule, StanceRule
from claimx.extraction.stages.speaker import ModelSpeaker
from claimx.extraction.stages.stance import ModelStance
from claimx.extraction.stance import FRAME_CHARS
from claimx.models import ExtractedClaim, Grounding, Speaker, evidence_fragments
from claimx.speakers import resolve_speakers
from claimx.text.attribution import is_direct
from claimx.text.furniture import furniture_spans, is_furniture
from claimx.text.grounding import Located, ground_quote, locate_in
from claimx.text.normalize import proposition_key
from claimx.text.segments import paragraphs
from claimx.text.spans import Span

_WORD = re.compile(r"[^\W\d_]{3,}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def example_vocabulary(example_texts: Iterable[str]) -> frozenset[str]:
    """The words of a prompt's few-shot examples (texts, claims, speakers)."""
    return frozenset(w for text in example_texts for w in _words(text))


def echoes_examples(claim: str, speaker: str, article: set[str], examples: frozenset[str]) -> bool:
    """Whether a claim was copied from the prompt's examples rather than read in the article.

    Small models sometimes answer a sentence they cannot parse with an example's
    claim ("The port of Ostend is lying about the dead fish" in an article about
    Moscow). Such a claim uses example words that the article never has: one
    capitalised name (a place, a person, an organisation), or two other words of
    four letters or more.
    """
    foreign = {w for w in _WORD.findall(f"{claim} {speaker}") if w.lower() in examples}
    foreign = {w for w in foreign if w.lower() not in article}
    names = {w for w in foreign if w[0].isupper()}
    return bool(names) or len({w.lower() for w in foreign if len(w) >= 4}) >= 2


def _near(text: str, body: list[Span], span: Span) -> str:
    """The paragraph of ``span`` and the one before (``body``: the article's paragraphs):
    where a reader looks for the speaker."""
    i = next((k for k, p in enumerate(body) if p.start <= span.start < p.end), None)
    if i is None:
        return text[max(0, span.start - 600) : span.end]
    return text[body[max(0, i - 1)].start : max(body[i].end, span.end)]


def _locate(text: str, draft: Draft, threshold: float) -> Located | None:
    """Ground a draft's quote, unless it was already; inside its window when it has one.

    None: a windowed quote that is not in its window.
    """
    if draft.located is not None:
        located = draft.located
    elif draft.window is None:
        return ground_quote(text, draft.claim.quote, threshold=threshold)
    else:
        located = locate_in(text, draft.claim.quote, draft.window, threshold=threshold)
    return located if located.grounded or draft.window is None else None


@dataclass
class Assembled:
    """Grounded claims, ungrounded claims, the article's speakers, and what was dropped."""

    claims: list[ExtractedClaim]
    ungrounded: list[ExtractedClaim]
    speakers: list[Speaker]
    warnings: list[str]


def assemble(
    text: str,
    drafts: list[Draft],
    *,
    threshold: float,
    examples: frozenset[str] = frozenset(),
    stance: StanceRule | None = None,
    speaker: SpeakerRule | None = None,
) -> Assembled:
    """Turn drafts into claims: ground, resolve speakers, drop furniture, de-duplicate.

    Offsets come from :func:`claimx.text.grounding.ground_quote`, never from the
    model; ``direct`` is read off the article around the span. A windowed draft
    whose quote is not in its window is dropped, and so is a claim whose evidence
    lies in page furniture or a teaser headline of another story. Two drafts with
    the same resolved speaker and the same proposition
    (:func:`claimx.text.normalize.proposition_key`: every word counts, case and
    punctuation do not) are one claim (rule 3 of the annotation standard): the
    better-grounded one is kept. A claim that
    repeats the prompt's few-shot ``examples`` (their vocabulary, see
    :func:`echoes_examples`) is dropped with a warning. ``stance`` says who
    decides each claim's stance, the model or the attribution rules
    (:func:`claimx.extraction.stance.decide`); either way the other is the check
    behind the claim's confidence. ``speaker`` says who each claim's speaker is
    (the model's, or the one its own sentence names), before the article's
    speakers are resolved. Either defaults to the model's.
    """
    stance = stance or ModelStance(NoParams())
    speaker = speaker or ModelSpeaker(NoParams())
    furniture = furniture_spans(text)
    body = paragraphs(text)
    article_words = _words(text) if examples else set()
    warnings: list[str] = []
    drafts_kept: list[Draft] = []
    locations: list[Located] = []
    for draft in drafts:
        loc = _locate(text, draft, threshold)
        if loc is None:
            continue  # the quote is in the context paragraph: that paragraph's own request has it
        if loc.end <= loc.start:
            warnings.append(f"dropped a claim whose quote is empty: {draft.claim.claim!r}")
            continue
        if is_furniture(furniture, loc.span):
            continue  # page furniture or a teaser of another story: never a claim of this article
        if examples and echoes_examples(
            draft.claim.claim, draft.claim.speaker, article_words, examples
        ):
            copied = draft.claim.claim
            warnings.append(f"dropped a claim copied from the prompt's examples: {copied!r}")
            continue
        drafts_kept.append(draft)
        locations.append(loc)
    drafts = drafts_kept
    names = speaker.names(text, drafts, locations)
    speakers, speaker_ids = resolve_speakers(
        [(name, d.claim.speaker_role) for name, d in zip(names, drafts, strict=True)], text
    )
    by_id = {s.id: s for s in speakers}
    kept: dict[tuple[str, str], ExtractedClaim] = {}
    for draft, located, speaker_id in zip(drafts, locations, speaker_ids, strict=True):
        source = by_id[speaker_id]
        decision = stance.decide(
            draft.claim.claim,
            located.span.slice(text),
            text[max(0, located.start - FRAME_CHARS) : located.start],
            draft.claim.stance,
        )
        claim = ExtractedClaim(
            claim=decision.claim,
            speaker=source.name,
            speaker_role=draft.claim.speaker_role or source.role,
            stance=decision.stance,
            confidence=claim_confidence(
                decision,
                located.span.slice(text),
                speaker_named=named_in(source.name, _near(text, body, located.span)),
            ),
            quote=located.span.slice(text),
            start=located.start,
            end=located.end,
            fragments=evidence_fragments(draft.pieces),
            direct=is_direct(text, located.start, located.end, draft.pieces),
            speaker_id=speaker_id,
            grounding=Grounding(
                grounded=located.grounded,
                method=located.method,
                score=located.score,
                model_quote=draft.claim.quote,
            ),
        )
        key = (speaker_id, proposition_key(claim.claim))
        previous = kept.get(key)
        if previous is None or claim.grounding.score > previous.grounding.score:
            kept[key] = claim
    claims = sorted(kept.values(), key=lambda c: (c.start, c.end))
    grounded = [c for c in claims if c.grounding.grounded]
    ungrounded = [c for c in claims if not c.grounding.grounded]
    used = {c.speaker_id for c in claims}
    return Assembled(grounded, ungrounded, [s for s in speakers if s.id in used], warnings)
