"""From model drafts to trusted records: ground, resolve speakers, de-duplicate.

Shared by every strategy, so strategies differ only in how they ask.
"""

from __future__ import annotations

from claimx.grounding import Located, ground_quote, is_direct
from claimx.models import ExtractedClaim, Grounding, Speaker
from claimx.names import normalize_name
from claimx.speakers import resolve_speakers
from claimx.strategies.base import Draft


def _claim_key(text: str) -> str:
    return " ".join(normalize_name(text).split())


def _locate(text: str, draft: Draft, threshold: float) -> Located | None:
    """Ground a draft's quote; inside its window when it has one (None: not there)."""
    if draft.window is None:
        return ground_quote(text, draft.claim.quote, threshold=threshold)
    lo, hi = draft.window
    located = ground_quote(text[lo:hi], draft.claim.quote, threshold=threshold)
    if not located.grounded:
        return None
    return Located(
        start=located.start + lo,
        end=located.end + lo,
        method=located.method,
        score=located.score,
        grounded=True,
    )


def assemble(
    text: str, drafts: list[Draft], *, threshold: float
) -> tuple[list[ExtractedClaim], list[ExtractedClaim], list[Speaker]]:
    """Grounded claims, ungrounded claims and the article's speakers.

    Offsets come from :func:`claimx.grounding.ground_quote`, never from the
    model; ``direct`` is read off the article around the span. A windowed draft
    whose quote is not in its window is dropped. Two drafts with
    the same resolved speaker and the same proposition are one claim (rule 3 of
    the annotation standard): the better-grounded one is kept.
    """
    located_drafts = [(d, _locate(text, d, threshold)) for d in drafts]
    drafts = [d for d, loc in located_drafts if loc is not None]
    locations = [loc for _, loc in located_drafts if loc is not None]
    speakers, speaker_ids = resolve_speakers(
        [(d.claim.speaker, d.claim.speaker_role) for d in drafts], text
    )
    by_id = {s.id: s for s in speakers}
    kept: dict[tuple[str, str], ExtractedClaim] = {}
    for draft, located, speaker_id in zip(drafts, locations, speaker_ids, strict=True):
        speaker = by_id[speaker_id]
        claim = ExtractedClaim(
            claim=draft.claim.claim,
            speaker=speaker.name,
            speaker_role=draft.claim.speaker_role or speaker.role,
            stance=draft.claim.stance,
            quote=text[located.start : located.end],
            start=located.start,
            end=located.end,
            direct=is_direct(text, located.start, located.end),
            speaker_id=speaker_id,
            grounding=Grounding(
                grounded=located.grounded,
                method=located.method,
                score=located.score,
                model_quote=draft.claim.quote,
            ),
        )
        key = (speaker_id, _claim_key(claim.claim))
        previous = kept.get(key)
        if previous is None or claim.grounding.score > previous.grounding.score:
            kept[key] = claim
    claims = sorted(kept.values(), key=lambda c: (c.start, c.end))
    grounded = [c for c in claims if c.grounding.grounded]
    ungrounded = [c for c in claims if not c.grounding.grounded]
    used = {c.speaker_id for c in claims}
    return grounded, ungrounded, [s for s in speakers if s.id in used]
