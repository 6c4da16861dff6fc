"""Corpus runs: concurrent, cached, resumable, and every article exactly once.

The one orchestrator of claimx: ``claimx extract`` runs :func:`run_batch` (articles
streamed from :func:`claimx.runs.inputs.iter_inputs`), the eval runs
:func:`run_jobs` (one :class:`Job` per prompt version and model, each into its
own results file). Both open ONE model per client configuration for the whole
run (:func:`claimx.llm.layers.open_model`: one connection pool, one
``Retry-After`` pause, one response cache) and close it at the end. At most
``concurrency`` articles are in progress, and at most ``concurrency`` requests
are in flight (:class:`~claimx.llm.layers.RequestLimit`): those of several
articles, and the independent requests of one (a staged pipeline's
candidates). A local server's default is its slot count
(:func:`default_concurrency`). Only those articles are held in
memory: inputs are read as they are needed and results are written as they
finish, so memory stays flat however large the corpus is.

The promises it keeps are those of every engine, stated once in
:mod:`claimx.runs.engine`; how this engine keeps them:

Exactly once
------------
The output is a JSONL file with one :class:`~claimx.models.ExtractionResult`
per line, in the order articles finish (not the input order), keyed by
``article_id``:

* each finished result is written as one whole line by a single ``os.write``
  on a file opened with ``O_APPEND``: after a SIGKILL the file holds complete
  records and at most one torn last line (a write the kernel had not finished);
  records are then ``fsync``-ed in the background (one group commit at most
  every :data:`SYNC_INTERVAL_S`, 50 ms), so an OS crash loses at most the
  newest records, never corrupts older ones;
* a run on an existing output resumes: the ids already in it are skipped, a
  torn last line is cut off (its article is extracted again), and new results
  are appended. An id therefore appears once: it is written only after it was
  not found in the file, by the only process writing it (an exclusive
  ``flock`` refuses a second run on the same output);
* articles that were in flight when the process died are simply extracted
  again; with the response cache on, answers that had already arrived are
  served from it, so the repeated work costs no model call;
* the errors file (``<output>.errors.jsonl``) lists the articles that failed
  *in this run* (after the retries of :mod:`claimx.llm.client`), one JSON line
  each: ``article_id``, ``source`` (the file, or ``file.jsonl:line``),
  ``error_type``, ``message`` (what happened and what to do), ``cause`` (the SDK
  error), ``raw_output_path`` (the model's unusable answer, when there was
  one), ``model``, ``prompt`` and ``at``; unreadable inputs and duplicate ids
  are listed there too. It is started afresh by every run, because a re-run
  retries every article not in the output, and it is created with the first
  failure only: a run where nothing failed leaves none behind. When a run
  ends, every input is in exactly one of the two files.
* a write that fails (a full disk, a read-only mount) stops the run with
  :class:`~claimx.errors.OutputError` naming the file; what was written before
  stays, and the same command resumes.

Resuming refuses an output written with another model or prompt version, so a
file never mixes results of different configurations. ``claimx extract
--format json`` writes one JSON array instead (:mod:`claimx.runs.outputs`).

Authentication failures and cassette misses stop the run (every article would
fail the same way). The endpoint going down stops it too, through the circuit
breaker (:mod:`claimx.runs.breaker`): after ``RunOptions.breaker`` articles in
a row failed because the endpoint could not be reached or timed out, it
probes the endpoint's health, and stops the run only when nothing answers;
articles that fail on their own go to the errors file and the run goes on.
Anything else fails only its article.

Progress: the reporter hears of every article, and, while requests are in
flight and nothing finishes (an answer that takes minutes), a heartbeat every
:data:`HEARTBEAT_S` seconds with the articles in progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

from pydantic import BaseModel

from claimx.errors import (
    AuthenticationError,
    CassetteMissError,
    ClaimxError,
    ConfigError,
    ExtractionError,
    OutputError,
)
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.config import OPENAI_BASE_URL, ClientConfig
from claimx.llm.layers import UsageMeter, open_model
from claimx.llm.private import open_private_fd
from claimx.llm.protocol import ClosableModel, Completion
from claimx.models import Article, ExtractionResult
from claimx.runs.breaker import ENDPOINT_DOWN_ERRORS, CircuitBreaker
from claimx.runs.inputs import InputItem, count_inputs, iter_inputs
from claimx.runs.outputs import (
    busy_output,
    check_output,
    check_writable,
    lock_or_refuse,
    publish_json,
    staging_jsonl,
)
from claimx.runs.progress import NullReporter, Reporter, RunStats
from claimx.runs.spec import DEFAULT_BREAKER, RunOptions, RunSpec

#: articles and requests in flight when the caller does not say (a remote endpoint)
DEFAULT_CONCURRENCY = 4
#: the group-commit window of result fsyncs (see :class:`AppendFile`)
SYNC_INTERVAL_S = 0.05
#: seconds between two progress heartbeats while nothing finishes
HEARTBEAT_S = 1.0
#: errors that would fail every article the same way: they stop the run
FATAL_ERRORS: tuple[type[ClaimxError], ...] = (AuthenticationError, CassetteMissError)
#: seconds the circuit breaker's health probe waits for the endpoint, at most
PROBE_TIMEOUT_S = 5.0

#: the options of a corpus run: :class:`claimx.runs.spec.RunOptions` (the old name)
BatchOptions = RunOptions


def default_concurrency(config: ClientConfig) -> int:
    """Requests in flight when the user does not say: a local server's slot count.

    A local llama-server decodes ``-np`` requests side by side (``scripts/local-llm.sh``
    starts it with ``CLAIMX_LLM_SLOTS``) and queues the rest into ``timeout_s``; a
    server that does not report its slots counts as one. A remote endpoint gets
    :data:`DEFAULT_CONCURRENCY`.
    """
    if not config.is_local:
        return DEFAULT_CONCURRENCY
    from claimx.llm.server import server_slots

    return server_slots(config.base_url or "") or 1


def breaker_for(config: ClientConfig, threshold: int) -> CircuitBreaker:
    """The circuit breaker of one endpoint, its health probe a GET of ``/models``."""
    from claimx.llm.server import endpoint_answers

    base_url = config.base_url or OPENAI_BASE_URL
    timeout_s = min(config.timeout_s, PROBE_TIMEOUT_S)
    return CircuitBreaker(
        threshold, lambda: endpoint_answers(base_url, timeout_s=timeout_s), endpoint=base_url
    )


# --- writing -----------------------------------------------------------------------------


class Sink(Protocol):
    """Where whole records go."""

    def write(self, record: str) -> None: ...

    async def aclose(self) -> None: ...


class StreamSink:
    """Records to a text stream (stdout), flushed one by one."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, record: str) -> None:
        self.stream.write(record)
        self.stream.flush()

    async def aclose(self) -> None:
        self.stream.flush()


class AppendFile:
    """An append-only file written one whole record per ``os.write`` (see module doc).

    ``durable``: records are fsync-ed by a background task as a group commit (one
    fsync per :data:`SYNC_INTERVAL_S` covers every record written meanwhile),
    because an fsync costs milliseconds: one per record, on the event loop,
    would cap a run at a few hundred articles a second and slow everything else.
    Durability against a kill does not depend on it (written data is in the
    kernel's page cache); it bounds what an OS crash can lose to the last window.

    The file is owner-only (:mod:`claimx.llm.private`); a write that fails
    raises :class:`~claimx.errors.OutputError` naming it.
    """

    def __init__(self, path: Path, *, fresh: bool, durable: bool, lock: bool) -> None:
        self.path = path
        self.durable = durable
        flags = os.O_RDWR | os.O_APPEND | (os.O_TRUNC if fresh and not lock else 0)
        try:
            self.fd = open_private_fd(path, flags)
        except OSError as exc:
            raise _output_error(path, exc, "open") from None
        if lock:
            lock_or_refuse(self.fd, busy_output(path))
            if fresh:  # truncate only once the file is ours
                os.ftruncate(self.fd, 0)
        self._dirty = False
        self._syncer: asyncio.Task[None] | None = None

    def write(self, record: str) -> None:
        data = record.encode("utf-8")
        # One call writes it all on a regular file; the loop only guards a short write
        # (a full disk raises instead).
        try:
            while data:
                data = data[os.write(self.fd, data) :]
        except OSError as exc:
            raise _output_error(self.path, exc, "write") from None
        if self.durable:
            self._dirty = True
            if self._syncer is None or self._syncer.done():
                self._syncer = asyncio.get_running_loop().create_task(self._sync())

    async def _sync(self) -> None:
        while self._dirty:
            await asyncio.sleep(SYNC_INTERVAL_S)  # let more records join this fsync
            self._dirty = False
            try:
                await asyncio.to_thread(os.fsync, self.fd)
            except OSError as exc:
                raise _output_error(self.path, exc, "sync") from None

    def truncate(self, length: int) -> None:
        os.ftruncate(self.fd, length)

    async def aclose(self) -> None:
        try:
            if self._syncer is not None:
                await self._syncer
        finally:
            self.close()

    def close(self) -> None:
        """Sync (when durable) and close; the lock goes with the descriptor."""
        try:
            if self.durable:
                try:
                    os.fsync(self.fd)
                except OSError as exc:
                    raise _output_error(self.path, exc, "sync") from None
        finally:
            os.close(self.fd)


def _output_error(path: Path, exc: OSError, doing: str) -> OutputError:
    """An I/O failure as one line naming the file ("No space left on device" alone does not)."""
    return OutputError(
        f"cannot {doing} {path}: {exc.strerror or exc}; free space (or fix the mount) and run"
        " the same command again: what was written is kept"
    )


class ErrorsFile:
    """The errors file: created (afresh) by the first failure of the run, else removed.

    Every run starts it afresh, since a re-run retries every article not in the
    output; a run where nothing failed leaves no (empty, or stale) errors file.
    Its folder is checked writable before the run (:func:`check_writable`).
    """

    def __init__(self, path: Path, *, durable: bool) -> None:
        self.path = path
        self.durable = durable
        self._file: AppendFile | None = None

    def write(self, record: str) -> None:
        if self._file is None:
            self._file = AppendFile(self.path, fresh=True, durable=self.durable, lock=False)
        self._file.write(record)

    async def aclose(self) -> None:
        if self._file is not None:
            await self._file.aclose()
        else:
            self.path.unlink(missing_ok=True)  # last run's failures were retried

    def close(self) -> None:
        """:meth:`aclose` outside an event loop (a file written with ``durable=False``)."""
        if self._file is not None:
            self._file.close()
        else:
            self.path.unlink(missing_ok=True)


@dataclass
class ExistingOutput:
    """What an earlier run left in the output file."""

    ids: set[str] = field(default_factory=set)
    #: (model, prompt_hash) of the records found
    configs: set[tuple[str, str]] = field(default_factory=set)
    #: bytes of complete records; anything after is a torn last line
    valid_length: int = 0
    torn_bytes: int = 0
    #: the last record is complete but its newline was not written
    needs_newline: bool = False


def read_existing_output(path: Path) -> ExistingOutput:
    """Scan a results file line by line (constant memory besides the ids).

    Raises :class:`ConfigError` for a broken line that is not the last one:
    that is not a torn write of claimx, and resuming would not be exactly-once.
    """
    found = ExistingOutput()
    with path.open("rb") as handle:
        for lineno, line in enumerate(handle, start=1):
            complete = line.endswith(b"\n")
            record = _parse_record(line)
            if record is not None:
                found.ids.add(record["article_id"])
                found.configs.add((str(record.get("model")), str(record.get("prompt_hash"))))
                found.needs_newline = not complete
            elif not complete:
                # Only the last line can lack its newline: a write cut short by a kill.
                found.torn_bytes = len(line)
                break
            elif line.strip():
                # claimx writes the newline last, so a whole line that does not parse
                # was written by something else.
                raise ConfigError(
                    f"{path}:{lineno} is not a claimx JSONL result; cannot resume into this"
                    " file: fix or remove that line, or choose another --output"
                )
            found.valid_length += len(line)
    return found


def _parse_record(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if isinstance(record, dict) and isinstance(record.get("article_id"), str):
        return record
    return None


# --- running -------------------------------------------------------------------------------


def failure_record(
    item: InputItem, exc: BaseException, extractor: Extractor | None = None
) -> dict[str, Any]:
    """The errors-file line for an article that failed."""
    original = getattr(exc, "original", None)
    raw_path = exc.raw_output_path if isinstance(exc, ExtractionError) else None
    message = str(exc)
    if not isinstance(exc, ClaimxError):
        message = f"unexpected error (a claimx bug: please report it): {exc!r}"
    return {
        "article_id": item.article.id if item.article else None,
        "source": item.source,
        "error_type": type(exc).__name__,
        "message": message,
        "cause": f"{type(original).__name__}: {original}"[:500] if original else None,
        "raw_output_path": str(raw_path) if raw_path else None,
        "model": extractor.config.model if extractor else None,
        "prompt": extractor.ref if extractor else None,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


#: what surrounds the extraction of one article (the eval: its cassette)
Around = Callable[[Article], AbstractContextManager[object]]


@dataclass
class Job:
    """One extractor over some articles, into one results file (or stream)."""

    extractor: Extractor
    items: Iterable[InputItem]
    options: BatchOptions = field(default_factory=BatchOptions)
    #: how many items there are, for the progress total (None: unknown)
    total: int | None = None
    #: entered around each article's extraction; it patches process-wide state
    #: (vcrpy does), so a job with ``around`` runs one article at a time
    around: Around | None = None
    #: applied to each result before it is written
    finish: Callable[[ExtractionResult], ExtractionResult] | None = None


class _State:
    """What the jobs of one run share: counts, reporter, the reason to stop, the breakers."""

    def __init__(self, stats: RunStats, reporter: Reporter) -> None:
        self.stats = stats
        self.reporter = reporter
        self.fatal: BaseException | None = None
        #: one circuit breaker per endpoint (client configuration)
        self.breakers: dict[ClientConfig, CircuitBreaker] = {}
        self._probing = asyncio.Lock()

    def on_call(self, answer: Completion[BaseModel]) -> None:
        """Every model answer: tokens and cache hits move the progress, not just articles."""
        stats = self.stats
        stats.calls += answer.usage.calls
        stats.prompt_tokens += answer.usage.prompt_tokens
        stats.completion_tokens += answer.usage.completion_tokens
        stats.cache_hits += answer.cached
        self.reporter.update(stats)

    def succeeded(self, config: ClientConfig) -> None:
        self.breakers[config].success()

    async def failed(self, config: ClientConfig, exc: BaseException) -> None:
        """An article failed: the breaker counts it, and probes the endpoint when due."""
        breaker = self.breakers[config]
        if not breaker.failure(endpoint_down=isinstance(exc, ENDPOINT_DOWN_ERRORS)):
            return
        if self._probing.locked():
            return  # a probe is under way: its verdict covers this failure too
        async with self._probing:
            verdict = await asyncio.to_thread(breaker.verdict, exc)
        if verdict is not None and self.fatal is None:
            self.fatal = verdict


class _Run:
    """One :class:`Job` of a run."""

    def __init__(
        self,
        job: Job,
        model: UsageMeter,
        results: Sink,
        errors: ErrorsFile | None,
        state: _State,
    ) -> None:
        self.job = job
        self.extractor = job.extractor
        self.model = model
        self.results = results
        self.errors = errors
        self.state = state
        self.stats = state.stats
        self.reporter = state.reporter

    @property
    def fatal(self) -> BaseException | None:
        return self.state.fatal

    @fatal.setter
    def fatal(self, exc: BaseException | None) -> None:
        self.state.fatal = exc

    def fail(self, item: InputItem, exc: BaseException) -> None:
        record = failure_record(item, exc, self.extractor)
        if self.errors is not None:
            self.errors.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stats.failed += 1
        self.reporter.failed(self.stats, record)
        self.reporter.update(self.stats)

    async def one(self, item: InputItem) -> None:
        assert item.article is not None
        article = item.article
        around = self.job.around
        self.stats.in_progress += 1
        try:
            with around(article) if around is not None else contextlib.nullcontext():
                result = await self.extractor.aextract(
                    article.text, article_id=article.id, llm=self.model
                )
        except FATAL_ERRORS as exc:
            self.fatal = self.fatal or exc
            return
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the corpus
            self.fail(item, exc)
            await self.state.failed(self.extractor.config, exc)
            return
        finally:
            self.stats.in_progress -= 1
        self.state.succeeded(self.extractor.config)
        if self.job.finish is not None:
            result = self.job.finish(result)
        self.results.write(result.model_dump_json() + "\n")
        self.stats.done += 1
        self.reporter.update(self.stats)


async def run_batch(
    extractor: Extractor,
    paths: Sequence[Path],
    options: BatchOptions | None = None,
    *,
    cache: ResponseCache | None = None,
    reporter: Reporter | None = None,
    stream: TextIO | None = None,
) -> RunStats:
    """Extract every article under ``paths``; see the module docstring for the guarantees.

    Results go to ``options.output`` (resuming it when it exists), or to
    ``stream`` when there is no output file. Returns the run's counts; raises
    :class:`ClaimxError` only for what stops the whole run (a bad output file,
    an authentication failure, a cassette miss, the circuit breaker).
    """
    options = options or BatchOptions()
    job = Job(
        extractor,
        iter_inputs(paths, glob=options.glob),
        options,
        total=count_inputs(paths, glob=options.glob),
    )
    return await run_jobs([job], cache=cache, reporter=reporter, stream=stream)


async def run_jobs(
    jobs: Sequence[Job],
    *,
    cache: ResponseCache | None = None,
    reporter: Reporter | None = None,
    stream: TextIO | None = None,
    heartbeat_s: float = HEARTBEAT_S,
) -> RunStats:
    """Run ``jobs`` one after the other, as one run: one model per client configuration,
    one progress (the totals of every job), one circuit breaker per endpoint; a fatal
    error stops them all. See :func:`run_batch` for the rest."""
    concurrency = [_concurrency(job) for job in jobs]
    reporter = reporter or NullReporter()
    totals = [job.total for job in jobs]
    stats = RunStats(total=None if None in totals else sum(t or 0 for t in totals))
    state = _State(stats, reporter)
    models: dict[ClientConfig, ClosableModel] = {}
    # One request limit per model: the largest concurrency of the jobs that share it;
    # one breaker per model, as strict as the strictest job.
    limits: dict[ClientConfig, int] = {}
    thresholds: dict[ClientConfig, int] = {}
    for job, n in zip(jobs, concurrency, strict=True):
        config = job.extractor.config
        limits[config] = max(limits.get(config, 1), n)
        thresholds[config] = min(thresholds.get(config, job.options.breaker), job.options.breaker)
    state.breakers = {c: breaker_for(c, t) for c, t in thresholds.items()}
    reporter.start(stats)
    beat = asyncio.create_task(_heartbeat(state, heartbeat_s))
    try:
        for job, n in zip(jobs, concurrency, strict=True):
            config = job.extractor.config
            if config not in models:
                models[config] = open_model(config, cache=cache, max_requests=limits[config])
            meter = UsageMeter(models[config], on_call=state.on_call)
            await _run_job(job, n, meter, state, stream)
            if state.fatal is not None:
                break
    finally:
        beat.cancel()
        for model in models.values():
            await model.aclose()
        reporter.finish(stats)
    if state.fatal is not None:
        raise state.fatal
    return stats


def _concurrency(job: Job) -> int:
    """The job's concurrency: its own, else the endpoint's default."""
    n = job.options.concurrency or default_concurrency(job.extractor.config)
    if n < 1:
        raise ConfigError(f"concurrency must be at least 1, got {n}")
    if job.around is not None and n != 1:
        raise ConfigError("a job with a per-article context runs with concurrency 1")
    return n


async def _heartbeat(state: _State, every_s: float) -> None:
    """Progress while nothing finishes: one answer can take minutes on a slow model."""
    while True:
        await asyncio.sleep(every_s)
        if state.stats.in_progress:
            state.reporter.update(state.stats)


async def _run_job(
    job: Job, concurrency: int, model: UsageMeter, state: _State, stream: TextIO | None
) -> None:
    options = job.options
    done_ids: set[str] = set()
    results: Sink
    if options.output is None:
        if stream is None:
            raise ConfigError("a run needs an output path or a stream to write to")
        results = StreamSink(stream)
    else:
        out = AppendFile(options.output, fresh=False, durable=options.durable, lock=True)
        results = out
        try:
            done_ids = _prepare_resume(out, job.extractor)
        except BaseException:
            await out.aclose()
            raise
    errors_path = options.errors_path()
    errors = ErrorsFile(errors_path, durable=options.durable) if errors_path else None
    run = _Run(job, model, results, errors, state)
    try:
        await _drive(run, job.items, done_ids, concurrency)
    finally:
        try:
            await results.aclose()
        finally:
            if errors is not None:
                await errors.aclose()


def _prepare_resume(out: AppendFile, extractor: Extractor) -> set[str]:
    """Read what an earlier run wrote, refuse a different configuration, cut a torn line."""
    existing = read_existing_output(out.path)
    mine = (extractor.config.model, extractor.prompt_hash)
    if others := existing.configs - {mine}:
        described = ", ".join(f"model {m!r} prompt hash {h}" for m, h in sorted(others))
        raise ConfigError(
            f"{out.path} holds results of another configuration ({described}); this run uses"
            f" model {mine[0]!r} with {extractor.ref} (hash {mine[1]}). Resume with the"
            " same --model and --prompt, or choose another --output"
        )
    if existing.torn_bytes:
        out.truncate(existing.valid_length)
    elif existing.needs_newline:
        out.write("\n")
    return existing.ids


async def _drive(
    run: _Run, items: Iterable[InputItem], done_ids: set[str], concurrency: int
) -> None:
    """Feed articles to at most ``concurrency`` tasks; stop early on a fatal error."""
    slots = asyncio.Semaphore(concurrency)
    pending: set[asyncio.Task[None]] = set()
    seen: set[str] = set()

    def finished(task: asyncio.Task[None]) -> None:
        pending.discard(task)
        slots.release()
        # An article's own errors are recorded inside run.one; what escapes it (the
        # results file cannot be written: disk full...) must stop the run, not vanish.
        if not task.cancelled() and (exc := task.exception()) is not None:
            run.fatal = run.fatal or exc

    try:
        for item in items:
            if run.fatal is not None:
                break
            if item.article is None:
                assert item.error is not None
                run.fail(item, item.error)
                continue
            article_id = item.article.id
            if article_id in done_ids:
                run.stats.skipped += 1
                run.reporter.update(run.stats)
                continue
            if article_id in seen:
                run.fail(item, ConfigError(_duplicate_message(article_id)))
                continue
            seen.add(article_id)
            await slots.acquire()
            if run.fatal is not None:
                slots.release()
                break
            task = asyncio.create_task(run.one(item))
            pending.add(task)
            task.add_done_callback(finished)
        while pending and run.fatal is None:
            await asyncio.wait(set(pending), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in list(pending):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*pending, return_exceptions=True)


def _duplicate_message(article_id: str) -> str:
    return (
        f"article id {article_id!r} appears twice in the input; the first one is extracted,"
        " this one is not (ids must be unique: results and resume are keyed by id)"
    )


# --- the engine -----------------------------------------------------------------------


class AsyncioEngine:
    """``--engine asyncio`` (the default): the run in this process (see module doc)."""

    name = "asyncio"

    def check(self, spec: RunSpec) -> None:
        """Refuse ``--format parquet``, and an output, errors file or cache it cannot write."""
        options = spec.run
        if options.format == "parquet":
            raise ConfigError("--format parquet is written by --engine ray; choose jsonl or json")
        refuse_ray_settings(spec)
        check_run_paths(spec)

    def run(self, spec: RunSpec, *, reporter: Reporter, stdout: TextIO) -> RunStats:
        """Extract ``spec.inputs``: JSONL resumed in place, or one JSON array at the end."""
        cache = ResponseCache.open(spec.cache_dir) if spec.cache_dir is not None else None
        try:
            return run_spec(
                spec, extractor=spec.extractor(), cache=cache, reporter=reporter, stdout=stdout
            )
        finally:
            if cache is not None:
                cache.close()


def run_spec(
    spec: RunSpec,
    *,
    extractor: Extractor,
    cache: ResponseCache | None,
    reporter: Reporter,
    stdout: TextIO,
) -> RunStats:
    """Run ``spec`` in this process with ``extractor`` (the spec's) and ``cache``: the asyncio
    engine's run, and the provider batch engine's final one (answers from the cache)."""
    options = spec.run
    if options.format != "json":
        return asyncio.run(
            run_batch(
                extractor, spec.inputs, options, cache=cache, reporter=reporter, stream=stdout
            )
        )
    # One JSON array, written once the run is over (see claimx.runs.outputs); the errors
    # file follows the user's --output, not the staging file.
    with staging_jsonl(options.output) as staging:
        staged = options.model_copy(update={"output": staging, "errors": options.errors_path()})
        stats = asyncio.run(
            run_batch(extractor, spec.inputs, staged, cache=cache, reporter=reporter)
        )
        publish_json(staging, options.output, stdout)
    return stats


def refuse_ray_settings(spec: RunSpec) -> None:
    """An engine other than Ray refuses Ray's options: ignored, they would mislead."""
    if spec.ray.address is not None:
        raise ConfigError("--address names a Ray cluster: it is an option of --engine ray")


def check_run_paths(spec: RunSpec, *, output_file: bool = True) -> None:
    """Refuse an output file (``output_file``: the output is one file, else the engine
    checks its own), errors file, cache or failures folder that cannot be written."""
    options = spec.run
    if options.output is not None and output_file:
        as_json = options.format == "json"
        check_output(options.output, replace=not as_json or options.force, resumable=not as_json)
        check_writable(options.output, what="--output")
    if (errors := options.errors_path()) is not None:
        check_writable(errors, what="--errors")
    if spec.cache_dir is not None:
        check_writable(spec.cache_dir, what="--cache-dir", folder=True)
        ResponseCache.open(spec.cache_dir).close()  # a corrupt cache is refused now, naming it
    check_writable(spec.client.failures_dir, what="the failures folder", folder=True)


__all__ = [
    "DEFAULT_BREAKER",
    "DEFAULT_CONCURRENCY",
    "ENDPOINT_DOWN_ERRORS",
    "FATAL_ERRORS",
    "HEARTBEAT_S",
    "AppendFile",
    "AsyncioEngine",
    "BatchOptions",
    "ErrorsFile",
    "ExistingOutput",
    "Job",
    "check_run_paths",
    "refuse_ray_settings",
    "count_inputs",
    "default_concurrency",
    "failure_record",
    "read_existing_output",
    "run_batch",
    "run_jobs",
    "run_spec",
]
