"""The input of a report: systems (prompt x model) run over gold articles, and what ran them.

The runner builds these; :func:`claimx.eval.compare.build_report` scores them
and the renderers in :mod:`claimx.eval.reports` print them. Nothing here
calls a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from claimx.models import Claim, ExtractionResult

__all__ = ["ArticleRun", "ReportMeta", "SystemRun"]


@dataclass(frozen=True)
class ArticleRun:
    """One system on one article."""

    article_id: str
    text: str
    gold: list[Claim]
    result: ExtractionResult | None  # None when the extraction failed
    error: str | None = None


@dataclass(frozen=True)
class SystemRun:
    """One prompt version (or model, or saved predictions) over every gold article."""

    label: str  # "extract@v2", or "extract@v2 · gpt-4o-mini" when models are compared
    prompt: str
    prompt_hash: str
    model: str
    strategy: str
    source: str  # "replayed" | "live" | "recorded" | "predictions"
    articles: list[ArticleRun]


@dataclass(frozen=True)
class ReportMeta:
    """What a reader needs to know which exact thing produced the numbers.

    Per-system facts (model, prompt version and hash, strategy, live or
    replayed) live on each :class:`SystemRun`; this is the rest.
    """

    date: str  # when the report was made, "YYYY-MM-DD HH:MM UTC"
    gold: str  # the gold folder or JSONL file scored against
    claimx_version: str
    responses: str  # how responses were obtained, one sentence for the report header
    recorded_model: str | None = None  # the real model behind replayed responses
    recorded_at: str | None = None  # when those responses were recorded
    command: str | None = None  # the command line that made the report
    seed: int = 0  # bootstrap seed
    resamples: int = 10_000  # bootstrap resamples

    @classmethod
    def now(
        cls,
        *,
        gold: str,
        claimx_version: str,
        responses: str,
        recorded_model: str | None = None,
        recorded_at: str | None = None,
        command: str | None = None,
        seed: int = 0,
        resamples: int = 10_000,
    ) -> ReportMeta:
        """A meta stamped with the current UTC time."""
        return cls(
            date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            gold=gold,
            claimx_version=claimx_version,
            responses=responses,
            recorded_model=recorded_model,
            recorded_at=recorded_at,
            command=command,
            seed=seed,
            resamples=resamples,
        )
