"""Running prompt versions (and models) over the gold articles: live, recorded or replayed.

Recorded exchanges live in ``eval/cassettes/<model>/<prompt ref>/<article>.yaml``
with a ``manifest.json`` saying which real model produced them and when. Replay
needs no server and no key; a missing or stale recording is a
:class:`~claimx.errors.CassetteMissError` naming the command that records it.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from claimx.cassettes import RecordMode, use_cassette
from claimx.config import ClientConfig
from claimx.errors import (
    AuthenticationError,
    CassetteMissError,
    ClaimxError,
    ServerUnreachableError,
)
from claimx.eval.results import ArticleRun, SystemRun
from claimx.extract import Extractor
from claimx.gold import GoldItem
from claimx.llm import LLM
from claimx.models import ExtractedClaim, ExtractionResult, GoldArticle, Grounding, Usage
from claimx.prompts import PromptSpec
from claimx.speakers import slugify

Source = Literal["replayed", "live", "recorded"]
REPLAY_BASE_URL = "http://127.0.0.1:8011/v1"  # never contacted: cassettes match on path and body
RECORD_COMMAND = "scripts/local-llm.sh start && python -m claimx.eval --record --prompt all"


@dataclass(frozen=True)
class Manifest:
    """What the recordings in a cassette folder were made with."""

    model: str = "local"
    model_description: str = ""
    recorded_at: str = ""
    prompts: dict[str, str] = field(default_factory=dict)  # ref -> content hash
    #: ref -> article id -> wall seconds of the live extraction when it was recorded
    #: (a replay takes milliseconds; reports show what the model really cost)
    seconds: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / "manifest.json"
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**data)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n"
        (folder / "manifest.json").write_text(payload, encoding="utf-8")


def resolve_source(*, live: bool, record: bool, base_url: str | None) -> Source:
    """Replay unless asked to record, forced live, or a server is configured."""
    if record:
        return "recorded"
    if live or base_url or os.environ.get("OPENAI_BASE_URL"):
        return "live"
    return "replayed"


def cassette_path(folder: Path, model: str, spec: PromptSpec, article_id: str) -> Path:
    return folder / model / spec.ref / f"{article_id}.yaml"


async def run_system(
    spec: PromptSpec,
    gold: list[GoldItem],
    *,
    llm: LLM,
    source: Source,
    cassettes: Path,
    label: str | None = None,
) -> SystemRun:
    """One prompt version with one model over every gold article."""
    config = llm.config
    extractor = Extractor(spec, config=config)
    if source == "replayed":
        recorded = Manifest.load(cassettes).prompts.get(spec.ref)
        if recorded is not None and recorded != spec.content_hash:
            raise CassetteMissError(
                f"{spec.ref} changed since its responses were recorded (content hash"
                f" {recorded} -> {spec.content_hash}); re-record with:"
                f" {RECORD_COMMAND.replace('all', spec.ref)}"
            )
    mode: RecordMode | None = {"replayed": "none", "recorded": "all", "live": None}[source]
    recorded_seconds = Manifest.load(cassettes).seconds.get(spec.ref, {})
    articles = []
    for item in gold:
        error = None
        result = None
        try:
            if mode is None:
                result = await extractor.aextract(item.text, article_id=item.article_id, llm=llm)
            else:
                path = cassette_path(cassettes, config.model, spec, item.article_id)
                hint = RECORD_COMMAND.replace("all", spec.ref)
                with use_cassette(path, mode, rerecord_hint=hint):
                    result = await extractor.aextract(
                        item.text, article_id=item.article_id, llm=llm
                    )
        except (CassetteMissError, ServerUnreachableError, AuthenticationError):
            # Every article would fail the same way: stop and say how to fix it.
            raise
        except ClaimxError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if result is not None and source == "replayed" and item.article_id in recorded_seconds:
            result = result.model_copy(update={"latency_s": recorded_seconds[item.article_id]})
        articles.append(
            ArticleRun(
                article_id=item.article_id,
                text=item.text,
                gold=item.claims,
                result=result,
                error=error,
            )
        )
    return SystemRun(
        label=label or spec.ref,
        prompt=spec.ref,
        prompt_hash=spec.content_hash,
        model=config.model,
        strategy=spec.strategy,
        source=source,
        articles=articles,
    )


async def _run_all(
    specs: list[PromptSpec],
    configs: list[ClientConfig],
    gold: list[GoldItem],
    *,
    source: Source,
    cassettes: Path,
) -> list[SystemRun]:
    runs = []
    for config in configs:
        llm = LLM(config)  # one client (and connection pool) per model, shared by its prompts
        try:
            for spec in specs:
                label = spec.ref if len(configs) == 1 else f"{spec.ref} · {config.model}"
                runs.append(
                    await run_system(
                        spec, gold, llm=llm, source=source, cassettes=cassettes, label=label
                    )
                )
        finally:
            await llm.aclose()
    return runs


def run_all(
    specs: list[PromptSpec],
    models: list[str | None],
    gold: list[GoldItem],
    *,
    source: Source,
    cassettes: Path,
    base_url: str | None = None,
    model_description: str = "",
) -> list[SystemRun]:
    """Every (prompt, model) pair over the gold; records a manifest when recording."""
    manifest = Manifest.load(cassettes)
    if source == "replayed":
        configs = [
            ClientConfig.from_env(
                model=model or manifest.model, base_url=REPLAY_BASE_URL, api_key="replay"
            )
            for model in models
        ]
    else:
        configs = [ClientConfig.from_env(model=model, base_url=base_url) for model in models]
    runs = asyncio.run(_run_all(specs, configs, gold, source=source, cassettes=cassettes))
    if source == "recorded":
        prompts = dict(manifest.prompts) | {s.ref: s.content_hash for s in specs}
        seconds = dict(manifest.seconds) | {
            run.prompt: {a.article_id: a.result.latency_s for a in run.articles if a.result}
            for run in runs
        }
        Manifest(
            model=configs[-1].model,
            model_description=model_description or manifest.model_description,
            recorded_at=datetime.now(UTC).strftime("%Y-%m-%d"),
            prompts=prompts,
            seconds=seconds,
        ).save(cassettes)
    return runs


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
