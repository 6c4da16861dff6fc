"""Running prompt versions (and models) over the gold articles: live, recorded or replayed.

Recorded exchanges live in ``eval/cassettes/<model>/<prompt ref>/<article>.yaml``
with a ``manifest.json`` saying which real model produced them and when. Replay
needs no server and no key; a missing or stale recording is a
:class:`~claimx.errors.CassetteMissError` naming the command that records it.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from claimx.cassettes import RecordMode, use_cassette
from claimx.errors import (
    AuthenticationError,
    CassetteMissError,
    ClaimxError,
    ServerUnreachableError,
)
from claimx.eval.gold import GoldItem
from claimx.eval.results import ArticleRun, SystemRun
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.client import LLM
from claimx.llm.config import ClientConfig
from claimx.models import ExtractedClaim, ExtractionResult, GoldArticle, Grounding, Usage
from claimx.prompts import PromptSpec
from claimx.speakers.resolve import slugify

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


def _check_recorded(spec: PromptSpec, manifest: Manifest) -> None:
    """A replay of a prompt edited since its recording would miss: say so up front."""
    recorded = manifest.prompts.get(spec.ref)
    if recorded is not None and recorded != spec.content_hash:
        raise CassetteMissError(
            f"{spec.ref} changed since its responses were recorded (content hash"
            f" {recorded} -> {spec.content_hash}); re-record with:"
            f" {RECORD_COMMAND.replace('all', spec.ref)}"
        )


async def run_article(
    extractor: Extractor,
    item: GoldItem,
    *,
    llm: LLM,
    source: Source,
    cassettes: Path,
    manifest: Manifest,
) -> ArticleRun:
    """One prompt version with one model on one gold article."""
    spec = extractor.spec
    mode: RecordMode | None = {"replayed": "none", "recorded": "all", "live": None}[source]
    error = None
    result = None
    try:
        if mode is None:
            result = await extractor.aextract(item.text, article_id=item.article_id, llm=llm)
        else:
            path = cassette_path(cassettes, llm.config.model, spec, item.article_id)
            hint = RECORD_COMMAND.replace("all", spec.ref)
            with use_cassette(path, mode, rerecord_hint=hint):
                result = await extractor.aextract(item.text, article_id=item.article_id, llm=llm)
    except (CassetteMissError, ServerUnreachableError, AuthenticationError):
        # Every article would fail the same way: stop and say how to fix it.
        raise
    except ClaimxError as exc:
        error = f"{type(exc).__name__}: {exc}"
    recorded_seconds = manifest.seconds.get(spec.ref, {})
    if result is not None and source == "replayed" and item.article_id in recorded_seconds:
        result = result.model_copy(update={"latency_s": recorded_seconds[item.article_id]})
    return ArticleRun(
        article_id=item.article_id, text=item.text, gold=item.claims, result=result, error=error
    )


#: (model index, prompt index, article index)
Job = tuple[int, int, int]


async def _run_jobs(
    jobs: list[Job],
    specs: list[PromptSpec],
    configs: list[ClientConfig],
    gold: list[GoldItem],
    *,
    source: Source,
    cassettes: Path,
    manifest: Manifest,
    cache: ResponseCache | None = None,
) -> list[ArticleRun]:
    # One client (and connection pool) per model, shared by its prompts.
    llms = {m: LLM(configs[m], cache=cache) for m in sorted({m for m, _, _ in jobs})}
    extractors: dict[tuple[int, int], Extractor] = {}
    out = []
    try:
        for m, p, a in jobs:
            if (m, p) not in extractors:
                extractors[m, p] = Extractor(specs[p], config=configs[m])
            out.append(
                await run_article(
                    extractors[m, p],
                    gold[a],
                    llm=llms[m],
                    source=source,
                    cassettes=cassettes,
                    manifest=manifest,
                )
            )
    finally:
        for llm in llms.values():
            await llm.aclose()
    return out


def _replay_shard(
    jobs: list[Job],
    specs: list[PromptSpec],
    configs: list[ClientConfig],
    gold: list[GoldItem],
    cassettes: Path,
    manifest: Manifest,
) -> list[ArticleRun]:
    return asyncio.run(
        _run_jobs(
            jobs, specs, configs, gold, source="replayed", cassettes=cassettes, manifest=manifest
        )
    )


def _shards(jobs: list[Job], weights: list[float], n: int) -> list[list[Job]]:
    """Jobs split into ``n`` shards of similar total weight (largest first, to the lightest)."""
    shards: list[list[Job]] = [[] for _ in range(n)]
    loads = [0.0] * n
    for weight, job in sorted(zip(weights, jobs, strict=True), reverse=True):
        lightest = loads.index(min(loads))
        shards[lightest].append(job)
        loads[lightest] += weight
    return [sorted(shard) for shard in shards if shard]


def replay_workers() -> int:
    """Processes a replay may use: ``$CLAIMX_REPLAY_WORKERS``, else one per core (at most 4)."""
    if env := os.environ.get("CLAIMX_REPLAY_WORKERS"):
        return max(1, int(env))
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # a spawned worker would pay the imports again: no gain
    return min(os.cpu_count() or 1, 4)


def _replay_parallel(
    jobs: list[Job],
    specs: list[PromptSpec],
    configs: list[ClientConfig],
    gold: list[GoldItem],
    cassettes: Path,
    manifest: Manifest,
    workers: int,
) -> list[ArticleRun]:
    # A replay is CPU-bound (request building in openai, parsing in instructor and
    # vcrpy): forked workers inherit the imports and share the work across cores.
    weights = []
    for m, p, a in jobs:
        path = cassette_path(cassettes, configs[m].model, specs[p], gold[a].article_id)
        weights.append(float(path.stat().st_size) if path.exists() else 0.0)
    shards = _shards(jobs, weights, workers)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(shards), mp_context=context) as pool:
        futures = [
            pool.submit(_replay_shard, shard, specs, configs, gold, cassettes, manifest)
            for shard in shards
        ]
        # The scorer's imports (scipy) take a third of a second: load them while
        # the workers replay instead of after.
        importlib.import_module("claimx.eval.metrics")
        done = {
            job: run
            for shard, future in zip(shards, futures, strict=True)
            for job, run in zip(shard, future.result(), strict=True)
        }
    return [done[job] for job in jobs]


def run_all(
    specs: list[PromptSpec],
    models: list[str | None],
    gold: list[GoldItem],
    *,
    source: Source,
    cassettes: Path,
    base_url: str | None = None,
    model_description: str = "",
    workers: int | None = None,
    cache: ResponseCache | None = None,
) -> list[SystemRun]:
    """Every (prompt, model) pair over the gold; records a manifest when recording.

    A replay runs in ``workers`` processes (default :func:`replay_workers`); live
    and recorded runs call the model one request at a time, in order. A live
    run with a response ``cache`` answers from it what was asked before (e.g. by
    ``claimx extract --cache-dir``, as benchmarks/bench_polnear.py does).
    """
    manifest = Manifest.load(cassettes)
    if source == "replayed":
        configs = [
            ClientConfig.from_env(
                model=model or manifest.model, base_url=REPLAY_BASE_URL, api_key="replay"
            )
            for model in models
        ]
        for spec in specs:
            _check_recorded(spec, manifest)
    else:
        configs = [ClientConfig.from_env(model=model, base_url=base_url) for model in models]
    jobs = [
        (m, p, a) for m in range(len(configs)) for p in range(len(specs)) for a in range(len(gold))
    ]
    workers = min(workers or replay_workers(), len(jobs))
    if source == "replayed" and workers > 1:
        article_runs = _replay_parallel(jobs, specs, configs, gold, cassettes, manifest, workers)
    else:
        article_runs = asyncio.run(
            _run_jobs(
                jobs,
                specs,
                configs,
                gold,
                source=source,
                cassettes=cassettes,
                manifest=manifest,
                cache=cache if source == "live" else None,
            )  # fmt: skip
        )
    runs = []
    for m, config in enumerate(configs):
        for p, spec in enumerate(specs):
            runs.append(
                SystemRun(
                    label=spec.ref if len(configs) == 1 else f"{spec.ref} · {config.model}",
                    prompt=spec.ref,
                    prompt_hash=spec.content_hash,
                    model=config.model,
                    strategy=spec.strategy,
                    source=source,
                    articles=[
                        run
                        for job, run in zip(jobs, article_runs, strict=True)
                        if job[:2] == (m, p)
                    ],
                )
            )
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
