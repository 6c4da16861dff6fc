"""Hand-made articles, gold claims and predictions for the scorer's tests."""

from __future__ import annotations

from claimx.eval.results import ArticleRun, SystemRun
from claimx.models import (
    Claim,
    ExtractedClaim,
    ExtractionResult,
    Grounding,
    GroundingMethod,
    Stance,
    Usage,
)

TEXT = (
    "“We had nothing to do with this,” said John Kirby. "
    "Dmitry Peskov said Washington selects the targets and the means of the attacks. "
    "Kirby added that he did not know what happened."
)

INVOLVED = "The United States was involved in the drone attack on the Kremlin."
TARGETS = "Washington selects the targets of Ukraine's attacks."
MEANS = "Washington selects the means of Ukraine's attacks."
REAL = "The drone incident at the Kremlin was a real attack as Russia describes it."


def span(quote: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def gold_claim(claim: str, speaker: str, stance: Stance, quote: str, text: str = TEXT) -> Claim:
    start, end = span(quote, text)
    return Claim(
        claim=claim, speaker=speaker, stance=stance, quote=quote, start=start, end=end, direct=False
    )


GOLD = [
    gold_claim(INVOLVED, "John Kirby", "refutes", "We had nothing to do with this"),
    gold_claim(
        TARGETS, "Dmitry Peskov", "supports", "Washington selects the targets and the means"
    ),
    gold_claim(MEANS, "Dmitry Peskov", "supports", "Washington selects the targets and the means"),
    gold_claim(REAL, "John Kirby", "uncertain", "he did not know what happened"),
]


def pred(
    c: Claim,
    *,
    claim: str | None = None,
    speaker: str | None = None,
    stance: Stance | None = None,
    method: GroundingMethod = "exact",
) -> ExtractedClaim:
    """A prediction copied from a gold claim, with the given fields changed."""
    return ExtractedClaim(
        **{
            **c.model_dump(),
            "claim": claim or c.claim,
            "speaker": speaker or c.speaker,
            "stance": stance or c.stance,
        },
        speaker_id="s",
        grounding=Grounding(
            grounded=method != "none",
            method=method,
            score=100.0 if method == "exact" else 0.0,
            model_quote=c.quote,
        ),
    )


def result(
    claims: list[ExtractedClaim],
    ungrounded: list[ExtractedClaim] | None = None,
    *,
    model: str = "local",
    usage: Usage | None = None,
) -> ExtractionResult:
    return ExtractionResult(
        article_id="a",
        claims=claims,
        ungrounded=ungrounded or [],
        model=model,
        prompt="extract@v1",
        prompt_hash="abc123",
        strategy="single_pass",
        usage=usage or Usage(prompt_tokens=1000, completion_tokens=100, calls=1),
        latency_s=2.0,
    )


def article(
    preds: list[ExtractedClaim] | None,
    article_id: str = "a",
    *,
    ungrounded: list[ExtractedClaim] | None = None,
    model: str = "local",
) -> ArticleRun:
    """An article run of GOLD on TEXT; ``preds=None`` is a failed extraction."""
    res = None if preds is None else result(preds, ungrounded, model=model)
    error = "ExtractionError: the model answered nonsense" if preds is None else None
    return ArticleRun(article_id=article_id, text=TEXT, gold=GOLD, result=res, error=error)


def system(label: str, per_article: list[list[ExtractedClaim] | None]) -> SystemRun:
    """A system run over one article per entry of ``per_article`` (ids a0, a1, ...)."""
    articles = [article(p, f"a{i}") for i, p in enumerate(per_article)]
    return SystemRun(label, "extract@v1", "abc123", "local", "single_pass", "replayed", articles)


def perfect() -> list[ExtractedClaim]:
    return [pred(c) for c in GOLD]
