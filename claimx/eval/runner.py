"""Running prompt versions (and models) over the gold articles: replayed, live or recorded.

A run writes, per system (one prompt version with one model), the
:class:`~claimx.models.ExtractionResult` JSONL that ``claimx extract`` writes
(usage, grounding, timings), through the one orchestrator of
:mod:`claimx.runs.orchestrator`, with its errors file beside it; scoring reads
such files (:func:`claimx.eval.results.load_runs`), so a saved run is scored
again without a model or a cassette.

A replay answers from the recordings of :mod:`claimx.eval.recordings` (one
cassette per article, entered around its extraction) and needs no server and
no key; a missing or stale recording is a
:class:`~claimx.errors.CassetteMissError` giving the whole command that
records it.

Nothing here reads ``OPENAI_BASE_URL`` to decide whether to call a model: a
run replays unless it is asked to go ``live`` or to ``record``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from claimx.errors import ConfigError, LLMError
from claimx.eval.gold import GoldItem
from claimx.eval.paths import shown
from claimx.eval.recordings import (
    LOCAL_MODEL,
    REPLAY_BASE_URL,
    Manifest,
    cassette_path,
    check_record,
    check_recorded,
    describe_server,
    model_folder,
    record_command,
    recorded_models,
    recording_key,
    save_recordings,
)
from claimx.eval.results import RUN_FILE, SystemInfo, SystemRun
from claimx.extraction.extractor import Extractor
from claimx.extraction.pipeline import Pipeline
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.models import Article, ExtractionResult
from claimx.prompts import PromptSpec
from claimx.runs.inputs import InputItem
from claimx.runs.orchestrator import Around, BatchOptions, Job, default_concurrency, run_jobs
from claimx.runs.progress import Reporter

Source = Literal["replayed", "live", "recorded"]


@dataclass(frozen=True)
class System:
    """One prompt version with one model: what a run extracts with, and where it writes.

    ``oracle``: the oracle-evidence run of the prompt (:mod:`claimx.eval.oracle`):
    asked about the gold evidence spans, recorded apart.
    """

    label: str
    spec: PromptSpec
    config: ClientConfig
    oracle: bool = False

    @cached_property
    def pipeline(self) -> Pipeline:
        """The prompt's pipeline (its content hash, its stages)."""
        return Pipeline(self.spec)

    @property
    def key(self) -> str:
        """Its recordings' folder and manifest key (:func:`recording_key`)."""
        return recording_key(self.spec.ref, oracle=self.oracle)

    @property
    def filename(self) -> str:
        return self.label.replace(" · ", "__").replace("/", "_") + ".jsonl"

    def info(self, source: str) -> SystemInfo:
        return SystemInfo(
            label=self.label,
            prompt=self.spec.ref,
            prompt_hash=self.pipeline.content_hash,
            model=self.config.model,
            strategy=self.pipeline.names,
            source=source,
        )


def resolve_source(*, live: bool, record: bool, base_url: str | None) -> Source:
    """Replay unless asked to go live or record; the environment never decides."""
    if live and record:
        raise ConfigError("--live and --record exclude each other: --record also calls live")
    if record:
        return "recorded"
    if live:
        return "live"
    if base_url:
        raise ConfigError(
            "--base-url is for --live or --record: a replay calls no endpoint"
            " (add --live to call it)"
        )
    return "replayed"


def plan(
    specs: list[PromptSpec],
    models: list[str],
    *,
    source: Source,
    cassettes: Path,
    base_url: str | None = None,
    oracle: bool = False,
) -> list[System]:
    """The systems of a run: every prompt with every model, their clients configured.

    ``models`` empty: a replay takes the model that has recordings (:class:`ConfigError`
    when several do), a live run the configured one; ``--record`` needs it named.
    ``oracle``: the oracle-evidence systems of ``specs`` (labelled ``<ref>+oracle-evidence``),
    whose pipelines must take evidence.
    """
    if source == "replayed":
        names = replay_models(models, cassettes)
        configs = [
            ClientConfig(model=name, base_url=REPLAY_BASE_URL, api_key="replay") for name in names
        ]
        for spec in specs:
            for config in configs:
                check_recorded(spec, config.model, cassettes, oracle=oracle)
    else:
        if source == "recorded" and not models and not os.environ.get("CLAIMX_MODEL"):
            raise ConfigError(
                "--record needs --model: the recordings are filed under its name"
                f" ({shown(cassettes)}/<model>/), e.g. --model {LOCAL_MODEL} for"
                " scripts/local-llm.sh"
            )
        asked: list[str | None] = list(models) or [None]
        configs = [ClientConfig.from_env(model=model, base_url=base_url) for model in asked]
    several = len(configs) > 1
    out = []
    for config in configs:
        for spec in specs:
            name = recording_key(spec.ref, oracle=oracle)
            label = f"{name} · {config.model}" if several else name
            out.append(System(label, spec, config, oracle))
    return out


def replay_models(models: list[str], cassettes: Path) -> list[str]:
    """The models a replay answers with: those named, else the one with recordings."""
    return models or _the_recorded_model(cassettes)


def _the_recorded_model(cassettes: Path) -> list[str]:
    found = recorded_models(cassettes)
    if len(found) > 1:
        raise ConfigError(
            f"{shown(cassettes)} holds recordings of several models ({', '.join(found)}):"
            " choose with --model (repeat it to compare them)"
        )
    return found or [LOCAL_MODEL]


# --- running -------------------------------------------------------------------------------

#: (system index, article index)
Task = tuple[int, int]


@dataclass(frozen=True)
class _Plan:
    """What a process needs to run its share of a run (picklable for the replay workers)."""

    systems: list[System]
    gold: list[GoldItem]
    source: Source
    cassettes: Path
    seconds: dict[str, dict[str, dict[str, float]]]  # model -> ref -> article -> seconds


def _jobs(plan: _Plan, tasks: list[Task], folder: Path) -> list[Job]:
    # Here, not at the top: the oracle loads the scorer (scipy), which a run does not need.
    from claimx.eval.oracle import EvidenceExtractor, gold_evidence

    jobs = []
    for s, system in enumerate(plan.systems):
        mine = [plan.gold[a] for t, a in tasks if t == s]
        if not mine:
            continue
        output = folder / system.filename
        if plan.source == "replayed":
            output.unlink(missing_ok=True)  # a replay is cheap and must not mix with older runs
        extractor = (
            EvidenceExtractor(
                system.spec,
                config=system.config,
                evidence={g.article_id: gold_evidence(g) for g in mine},
            )
            if system.oracle
            else Extractor(system.spec, config=system.config)
        )
        jobs.append(
            Job(
                extractor,
                [InputItem(g.source, Article(id=g.article_id, text=g.text)) for g in mine],
                BatchOptions(
                    concurrency=_concurrency(plan.source, system.config),
                    output=output,
                    durable=plan.source != "replayed",
                ),
                total=len(mine),
                around=_cassette_around(plan, system),
                finish=_recorded_seconds(plan, system),
            )
        )
    return jobs


def _concurrency(source: Source, config: ClientConfig) -> int:
    # A cassette patches the process's HTTP transport: one article at a time. A live
    # run sends what the endpoint serves side by side (a local server: its slots).
    if source != "live":
        return 1
    return default_concurrency(config)


def _cassette_around(plan: _Plan, system: System) -> Around | None:
    mode = {"replayed": "none", "recorded": "all", "live": None}[plan.source]
    if mode is None:
        return None
    from claimx.cassettes import use_cassette

    model = system.config.model
    hint = _hint(plan, system)

    @contextmanager
    def around(article: Article) -> Iterator[object]:
        path = cassette_path(plan.cassettes, model, system.key, article.id)
        with use_cassette(path, mode, rerecord_hint=hint) as cassette:  # type: ignore[arg-type]
            yield cassette

    return around


def _hint(plan: _Plan, system: System) -> str:
    """The command that records ``system``'s cassettes (for a miss)."""
    model = system.config.model
    manifest = Manifest.load(model_folder(plan.cassettes, model))
    recording = manifest.prompts.get(system.key) if manifest else None
    url = system.config.base_url if plan.source == "recorded" else recording and recording.base_url
    return record_command(system.spec.ref, model, plan.cassettes, url or None, oracle=system.oracle)


def _recorded_seconds(
    plan: _Plan, system: System
) -> Callable[[ExtractionResult], ExtractionResult] | None:
    if plan.source != "replayed":
        return None
    seconds = plan.seconds.get(system.config.model, {}).get(system.key, {})

    def finish(result: ExtractionResult) -> ExtractionResult:
        # A replay takes milliseconds: the record keeps what the model took when recorded.
        if result.article_id in seconds:
            return result.model_copy(update={"latency_s": seconds[result.article_id]})
        return result

    return finish


def _run(
    plan: _Plan,
    tasks: list[Task],
    folder: Path,
    cache: ResponseCache | None = None,
    reporter: Reporter | None = None,
) -> None:
    asyncio.run(run_jobs(_jobs(plan, tasks, folder), cache=cache, reporter=reporter))


def _shards(tasks: list[Task], weights: list[float], n: int) -> list[list[Task]]:
    """Tasks split into ``n`` shards of similar total weight (largest first, to the lightest)."""
    shards: list[list[Task]] = [[] for _ in range(n)]
    loads = [0.0] * n
    for weight, task in sorted(zip(weights, tasks, strict=True), reverse=True):
        lightest = loads.index(min(loads))
        shards[lightest].append(task)
        loads[lightest] += weight
    return [sorted(shard) for shard in shards if shard]


def replay_workers() -> int:
    """Processes a replay may use: ``$CLAIMX_REPLAY_WORKERS``, else one.

    A recorded request replays in about 3 ms (``benchmarks/bench_eval.py``): the
    shipped eval's 236 take 0.7 s in one process, less than forked workers cost
    in set-up (each builds its own client and loads what the first request
    loads). Measured on 2 cores: ``python -m claimx.eval`` 2.96 s with one
    process, 4.41 s with two. A much larger replay on more cores may still
    gain from ``CLAIMX_REPLAY_WORKERS``.
    """
    if env := os.environ.get("CLAIMX_REPLAY_WORKERS"):
        if "fork" not in multiprocessing.get_all_start_methods():
            return 1  # a spawned worker would pay the imports again: no gain
        return max(1, int(env))
    return 1


def _replay_parallel(
    plan: _Plan, tasks: list[Task], folder: Path, workers: int, cache: ResponseCache | None
) -> None:
    # A replay is CPU-bound (request building in openai, parsing in instructor and
    # vcrpy): forked workers inherit the imports and share the work across cores.
    # Each writes its own files; they are merged in gold order afterwards.
    weights = []
    for s, a in tasks:
        system = plan.systems[s]
        article_id = plan.gold[a].article_id
        path = cassette_path(plan.cassettes, system.config.model, system.key, article_id)
        weights.append(float(path.stat().st_size) if path.exists() else 0.0)
    shards = _shards(tasks, weights, workers)
    importlib.import_module("claimx.cassettes")  # once, before the fork, not in every worker
    parts = folder / ".shards"
    shutil.rmtree(parts, ignore_errors=True)
    context = multiprocessing.get_context("fork")
    try:
        # The cache's SQLite connection must not cross a fork: workers open their own.
        cache_path = cache.path if cache is not None else None
        with ProcessPoolExecutor(len(shards), mp_context=context) as pool:
            futures = [
                pool.submit(_replay_shard, plan, shard, parts / str(k), cache_path)
                for k, shard in enumerate(shards)
            ]
            # The scorer's imports (scipy) take a third of a second: load them while
            # the workers replay instead of after.
            importlib.import_module("claimx.eval.metrics")
            for future in futures:
                future.result()
        for system in plan.systems:
            _merge(
                [parts / str(k) / system.filename for k in range(len(shards))],
                folder / system.filename,
                [g.article_id for g in plan.gold],
            )
    finally:
        shutil.rmtree(parts, ignore_errors=True)


def _replay_shard(plan: _Plan, tasks: list[Task], folder: Path, cache_path: Path | None) -> None:
    cache = ResponseCache(cache_path) if cache_path is not None else None
    try:
        _run(plan, tasks, folder, cache)
    except LLMError as exc:
        # The error crosses back to the parent pickled: keep its type and message, not the
        # SDK or recorder objects it holds (a vcrpy error holds modules: unpicklable).
        raise type(exc)(str(exc)) from None
    finally:
        if cache is not None:
            cache.close()


def _merge(parts: list[Path], target: Path, order: list[str]) -> None:
    """Results (and errors) files of the shards as one file each, in ``order``."""
    for suffix in ("", ".errors.jsonl"):
        lines: dict[str, str] = {}
        for part in parts:
            path = part.with_name(part.name + suffix)
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines():
                    lines[json.loads(line)["article_id"]] = line
        out = target.with_name(target.name + suffix)
        out.write_text("".join(lines[i] + "\n" for i in order if i in lines), encoding="utf-8")


def run_systems(
    systems: list[System],
    gold: list[GoldItem],
    *,
    source: Source,
    cassettes: Path,
    folder: Path,
    cache: ResponseCache | None = None,
    reporter: Reporter | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Run every system over the gold into ``folder``: one results file per system.

    A replay runs in ``workers`` processes (default :func:`replay_workers`); a
    recording, or a live run on a local server, calls the model one request at a
    time, a live run elsewhere a few articles at a time; both resume what an
    earlier run into the same ``folder`` finished. A recording updates the
    model's manifest: for each prompt recorded, what the endpoint describes itself as
    (:func:`~claimx.eval.recordings.describe_server`), when, and the seconds per article.
    Returns the results files, in the order of ``systems``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    descriptions: dict[str, str] = {}
    if source == "recorded":
        recording = _recording(systems)
        for model in recording:
            first = next(s for s in systems if s.config.model == model)
            descriptions[model] = describe_server(first.config.base_url, model)
        check_record(recording, cassettes, descriptions)
    manifests = {
        s.config.model: Manifest.load(model_folder(cassettes, s.config.model)) for s in systems
    }
    plan = _Plan(
        systems,
        gold,
        source,
        cassettes,
        {
            model: {key: r.seconds for key, r in m.prompts.items()}
            for model, m in manifests.items()
            if m is not None
        },
    )
    tasks = [(s, a) for s in range(len(systems)) for a in range(len(gold))]
    workers = min(workers or replay_workers(), len(tasks))
    if source == "replayed" and workers > 1:
        _replay_parallel(plan, tasks, folder, workers, cache)
    else:
        _run(plan, tasks, folder, cache, reporter)
    files = [folder / s.filename for s in systems]
    run_file = folder / RUN_FILE
    # Files of earlier runs into the same folder keep their description.
    earlier = json.loads(run_file.read_text("utf-8"))["systems"] if run_file.exists() else {}
    described = {
        "systems": earlier | {s.filename: asdict(s.info(source)) for s in systems},
        "meta": _provenance(systems, source, cassettes, manifests),
    }
    run_file.write_text(json.dumps(described, indent=2) + "\n", "utf-8")
    if source == "recorded":
        for model in _recording(systems):
            mine = [(s, f) for s, f in zip(systems, files, strict=True) if s.config.model == model]
            save_recordings(
                cassettes,
                model,
                [(s.key, s.spec, _seconds(f)) for s, f in mine],
                base_url=mine[0][0].config.base_url,
                model_description=descriptions[model],
            )
    return files


def _recording(systems: list[System]) -> dict[str, set[str]]:
    """model -> the recording keys (prompt refs) a run records with it."""
    out: dict[str, set[str]] = {}
    for system in systems:
        out.setdefault(system.config.model, set()).add(system.key)
    return out


def _seconds(results_file: Path) -> dict[str, float]:
    """article id -> wall seconds of each result in a results file."""
    lines = results_file.read_text(encoding="utf-8").splitlines()
    results = [ExtractionResult.model_validate_json(line) for line in lines if line.strip()]
    return {r.article_id: r.latency_s for r in results}


def _provenance(
    systems: list[System],
    source: Source,
    cassettes: Path,
    manifests: dict[str, Manifest | None],
) -> dict[str, str | None]:
    """How the responses were obtained, for the report header (:class:`ReportMeta` fields)."""
    endpoints = ", ".join(sorted({s.config.endpoint for s in systems}))
    if source == "replayed":
        used = [
            recording
            for s in systems
            if (manifest := manifests.get(s.config.model)) is not None
            and (recording := manifest.prompts.get(s.key)) is not None
        ]
        return {
            "responses": f"cassettes in {shown(cassettes)}; seconds per article are those"
            " measured when recording",
            "recorded_model": "; ".join(sorted({r.model_description for r in used})) or None,
            "recorded_at": ", ".join(sorted({r.recorded_at for r in used})) or None,
        }
    if source == "live":
        return {"responses": f"LIVE calls to {endpoints}"}
    return {"responses": f"RECORDED: live calls to {endpoints}, recorded into {shown(cassettes)}"}


def run_all(
    specs: list[PromptSpec],
    models: list[str | None],
    gold: list[GoldItem],
    *,
    source: Source,
    cassettes: Path,
    base_url: str | None = None,
    workers: int | None = None,
    cache: ResponseCache | None = None,
) -> list[SystemRun]:
    """Run, then score, in one call: :func:`plan`, :func:`run_systems` into a temporary
    folder and :func:`~claimx.eval.results.load_runs` (for scripts and benchmarks)."""
    import tempfile

    from claimx.eval.results import load_runs

    names = [m for m in models if m is not None]
    systems = plan(specs, names, source=source, cassettes=cassettes, base_url=base_url)
    with tempfile.TemporaryDirectory(prefix="claimx-eval-") as folder:
        files = run_systems(
            systems,
            gold,
            source=source,
            cassettes=cassettes,
            folder=Path(folder),
            workers=workers,
            cache=cache,
        )
        return load_runs(files, gold)
