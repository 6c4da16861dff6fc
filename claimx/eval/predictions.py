"""Predictions in the gold file format: written for any other scorer, read from other systems.

:func:`save_predictions` writes a run's grounded claims as gold files;
:func:`predictions_run` reads another system's (e.g. LangExtract's,
``eval/predictions/langextract``) as a system to compare.
"""

from __future__ import annotations

import json
from pathlib import Path

from claimx.eval.gold import GoldItem
from claimx.eval.results import ArticleRun, SystemRun
from claimx.models import ExtractedClaim, ExtractionResult, GoldArticle, Grounding, Usage
from claimx.speakers import slugify


def save_predictions(runs: list[SystemRun], folder: Path) -> list[Path]:
    """Each article's predictions in the gold file format, for any other scorer.

    ``folder/<article>.json`` for one system, ``folder/<label>/<article>.json`` for several.
    """
    written = []
    for run in runs:
        target = folder if len(runs) == 1 else folder / run.label.replace(" · ", "__")
        target.mkdir(parents=True, exist_ok=True)
        for art in run.articles:
            if art.result is None:
                continue
            path = target / f"{art.article_id}.json"
            path.write_text(art.result.to_gold().model_dump_json(indent=2) + "\n", encoding="utf-8")
            written.append(path)
    return written


def predictions_run(label: str, folder: Path, gold: list[GoldItem]) -> SystemRun:
    """Another system's saved predictions (gold file format) as a system to compare.

    Quotes are checked against the article (``grounded`` when ``text[start:end] ==
    quote``). A ``manifest.json`` beside them may give ``model`` and, per article,
    ``prompt_tokens``, ``completion_tokens``, ``requests`` and ``wall_time_s`` (or
    ``server_time_s``), so cost and time compare too.
    """
    manifest_path = folder / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    )
    per_article = manifest.get("articles", {})
    articles = []
    for item in gold:
        path = folder / f"{item.article_id}.json"
        if not path.exists():
            articles.append(
                ArticleRun(
                    item.article_id, item.text, item.claims, None, f"no predictions at {path}"
                )
            )
            continue
        predicted = GoldArticle.model_validate_json(path.read_text(encoding="utf-8"))
        facts = per_article.get(item.article_id, {})
        claims = []
        for c in predicted.claims:
            exact = item.text[c.start : c.end] == c.quote
            claims.append(
                ExtractedClaim(
                    **c.model_dump(),
                    speaker_id=slugify(c.speaker),
                    grounding=Grounding(
                        grounded=exact,
                        method="exact" if exact else "none",
                        score=100.0 if exact else 0.0,
                        model_quote=c.quote,
                    ),
                )
            )
        seconds = facts.get("wall_time_s") or facts.get("server_time_s") or 0.0
        result = ExtractionResult(
            article_id=item.article_id,
            claims=[c for c in claims if c.grounding.grounded],
            ungrounded=[c for c in claims if not c.grounding.grounded],
            model=str(manifest.get("model") or "unknown"),
            prompt=label,
            prompt_hash=str(manifest.get("prompt_sha256", ""))[:12],
            strategy=str(manifest.get("tool", "predictions")),
            usage=Usage(
                prompt_tokens=int(facts.get("prompt_tokens") or 0),
                completion_tokens=int(facts.get("completion_tokens") or 0),
                calls=int(facts.get("requests") or 0),
            ),
            latency_s=float(seconds),
        )
        articles.append(ArticleRun(item.article_id, item.text, item.claims, result))
    first = next((a.result for a in articles if a.result), None)
    return SystemRun(
        label=label,
        prompt=label,
        prompt_hash=first.prompt_hash if first else "",
        model=first.model if first else "unknown",
        strategy=first.strategy if first else "predictions",
        source="predictions",
        articles=articles,
    )
