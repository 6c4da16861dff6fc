"""The input of a report: systems (prompt × model) run over gold articles."""

from __future__ import annotations

from dataclasses import dataclass

from claimx.models import Claim, ExtractionResult


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

    label: str
    prompt: str
    prompt_hash: str
    model: str
    strategy: str
    source: str  # "replayed" | "live" | "recorded" | "predictions"
    articles: list[ArticleRun]
