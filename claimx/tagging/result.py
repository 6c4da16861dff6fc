"""The tagger as a *system*: its attributions as an :class:`~claimx.models.ExtractionResult`.

So the project's detection scorer (:mod:`claimx.eval.detection`) can score
"the tagger alone, no model" beside the prompt versions. Each attribution is
one claim whose evidence is its content, in pieces when it is discontinuous
(a wrapped content, "Her failings, it said, are ...": the quote spans it from
first to last character, its fragments leave "it said" out), whose speaker is the source as written
("unknown" without one), whose claim is the content's text, pieces joined.
No model says anything about stance here, so every claim says ``supports``,
the commonest stance; grounding is exact by construction.
"""

from __future__ import annotations

from collections.abc import Sequence

from claimx.models import ExtractedClaim, ExtractionResult, Grounding, Speaker, evidence_fragments
from claimx.tagging.attribution import TaggedAttribution
from claimx.text.attribution import is_direct

__all__ = ["STRATEGY", "UNKNOWN_SPEAKER", "as_result"]

STRATEGY = "tagger"
UNKNOWN_SPEAKER = "unknown"


def as_result(
    text: str,
    attributions: Sequence[TaggedAttribution],
    *,
    article_id: str,
    model: str,
    latency_s: float = 0.0,
) -> ExtractionResult:
    """One :class:`~claimx.models.ExtractedClaim` per attribution (module doc).

    ``model`` names the weights (e.g. ``tagger-crf@<hash>``); it is also the
    result's prompt hash, so a saved result says which weights produced it.
    """
    speakers: dict[str, Speaker] = {}
    claims = []
    for att in attributions:
        source, _, content = att.texts(text)
        name = " ".join(source.split()) if source and source.strip() else UNKNOWN_SPEAKER
        if name not in speakers:
            speakers[name] = Speaker(id=f"s{len(speakers) + 1}", name=name)
        quote = att.span.slice(text)
        claims.append(
            ExtractedClaim(
                claim=" ".join(content.split()) or quote,
                speaker=name,
                stance="supports",
                quote=quote,
                start=att.span.start,
                end=att.span.end,
                fragments=evidence_fragments(att.content),
                direct=is_direct(text, att.span.start, att.span.end, att.content),
                speaker_id=speakers[name].id,
                grounding=Grounding(grounded=True, method="exact", score=100.0, model_quote=quote),
            )
        )
    return ExtractionResult(
        article_id=article_id,
        claims=claims,
        speakers=list(speakers.values()),
        model=model,
        prompt=STRATEGY,
        prompt_hash=model.rpartition("@")[2][:12],
        strategy=STRATEGY,
        latency_s=latency_s,
    )
