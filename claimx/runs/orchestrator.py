"""Corpus runs: concurrent, cached, resumable, and every article exactly once.

The one orchestrator of claimx: ``claimx extract`` runs :func:`run_batch` (articles
streamed from :func:`claimx.runs.inputs.iter_inputs`), the eval runs
:func:`run_jobs` (one :class:`Job` per prompt version and model, each into its
own results file). Both open ONE model per client configuration for the whole
run (:func:`claimx.llm.layers.open_model`: one connection pool, one
``Retry-After`` pause, one response cache) and close it at the end. At most
``concurrency`` articles are in progress, and at most ``concurrency`` requests
are in flight (:class:`~claimx.llm.layers.RequestLimit`): those of several
articles, and the independent requests of one (a staged strategy's
candidates). A local server's default is its slot count
(:func:`default_concurrency`). Only those articles are held in
memory: inputs are read as they are needed and results are written as they
finish, so memory stays flat however large the corpus is.

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
  are listed there too. It is
  started afresh by every run, because a re-run retries every article not in
  the output. When a run ends, every input is in exactly one of the two files.

Resuming refuses an output written with another model or prompt version, so a
file never mixes results of different configurations. ``claimx extract
--format json`` writes one JSON array instead (:mod:`claimx.runs.outputs`).

Authentication failures and cassette misses stop the run (every article would
fail the same way), and so does a dead endpoint: after
``BatchOptions.breaker`` articles in a row failed because the endpoint could
not be reached or timed out (each after its own retries), the circuit
breaker opens and the run stops with one line saying so; the same command
resumes it later. Anything else fails only its article and the run goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
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
    LLMError,
    LLMTimeoutError,
    ServerUnreachableError,
)
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.llm.layers import UsageMeter, open_model
from claimx.llm.protocol import ClosableModel, Completion
from claimx.models import Article, ExtractionResult
from claimx.runs.inputs import DEFAULT_GLOB, InputItem, count_inputs, iter_inputs
from claimx.runs.outputs import errors_file
from claimx.runs.progress import NullReporter, Reporter, RunStats

#: articles and requests in flight when the caller does not say (a remote endpoint)
DEFAULT_CONCURRENCY = 4
#: the group-commit window of result fsyncs (see :class:`AppendFile`)
SYNC_INTERVAL_S = 0.05
#: errors that would fail every article the same way: they stop the run
FATAL_ERRORS: tuple[type[ClaimxError], ...] = (AuthenticationError, CassetteMissError)
#: errors that mean the endpoint is down: enough of them in a row open the circuit breaker
ENDPOINT_DOWN_ERRORS: tuple[type[LLMError], ...] = (ServerUnreachableError, LLMTimeoutError)
#: articles in a row failing with :data:`ENDPOINT_DOWN_ERRORS` that stop a run
DEFAULT_BREAKER = 3


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


@dataclass(frozen=True)
class BatchOptions:
    """How to run a corpus (see the module docstring for the guarantees)."""

    concurrency: int = DEFAULT_CONCURRENCY
    #: the results file; None writes to the ``stream`` given to :func:`run_batch` (no resume)
    output: Path | None = None
    #: the failures file; default ``<output>.errors.jsonl``, none when writing to a stream
    errors: Path | None = None
    #: fsync records (in the background); off only for throwaway runs
    durable: bool = True
    #: stop after this many articles in a row failed with the endpoint down (circuit breaker)
    breaker: int = DEFAULT_BREAKER
    #: the files a folder input contributes (see :mod:`claimx.runs.inputs`)
    glob: str = DEFAULT_GLOB

    def errors_path(self) -> Path | None:
        if self.errors is not None:
            return self.errors
        if self.output is not None:
            return errors_file(self.output)
        return None


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
    """

    def __init__(self, path: Path, *, fresh: bool, durable: bool, lock: bool) -> None:
        self.path = path
        self.durable = durable
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if fresh and not lock else 0)
        self.fd = os.open(path, flags, 0o644)
        if lock:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(self.fd)
                raise ConfigError(
                    f"{path} is being written by another claimx run; wait for it to finish"
                    " or choose another --output"
                ) from None
            if fresh:  # truncate only once the file is ours
                os.ftruncate(self.fd, 0)
        self._dirty = False
        self._syncer: asyncio.Task[None] | None = None

    def write(self, record: str) -> None:
        data = record.encode("utf-8")
        # One call writes it all on a regular file; the loop only guards a short write
        # (a full disk raises instead).
        while data:
            data = data[os.write(self.fd, data) :]
        if self.durable:
            self._dirty = True
            if self._syncer is None or self._syncer.done():
                self._syncer = asyncio.get_running_loop().create_task(self._sync())

    async def _sync(self) -> None:
        while self._dirty:
            await asyncio.sleep(SYNC_INTERVAL_S)  # let more records join this fsync
            self._dirty = False
            await asyncio.to_thread(os.fsync, self.fd)

    def truncate(self, length: int) -> None:
        os.ftruncate(self.fd, length)

    async def aclose(self) -> None:
        if self._syncer is not None:
            await self._syncer
        if self.durable:
            os.fsync(self.fd)
        os.close(self.fd)  # also releases the lock


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
    """What the jobs of one run share: counts, reporter, the reason to stop, the breaker."""

    def __init__(self, stats: RunStats, reporter: Reporter, breaker: int) -> None:
        self.stats = stats
        self.reporter = reporter
        self.breaker = breaker
        self.fatal: BaseException | None = None
        self.down_in_a_row = 0

    def on_call(self, answer: Completion[BaseModel]) -> None:
        """Every model answer: tokens and cache hits move the progress, not just articles."""
        stats = self.stats
        stats.calls += answer.usage.calls
        stats.prompt_tokens += answer.usage.prompt_tokens
        stats.completion_tokens += answer.usage.completion_tokens
        stats.cache_hits += answer.cached
        self.reporter.update(stats)

    def article_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ENDPOINT_DOWN_ERRORS):
            self.down_in_a_row = 0
            return
        self.down_in_a_row += 1
        if self.breaker and self.down_in_a_row >= self.breaker and self.fatal is None:
            self.fatal = type(exc)(
                f"stopped after {self.down_in_a_row} articles in a row failed: {exc}."
                " Start (or fix) the endpoint and run the same command again: results already"
                " in an output file are kept and not asked again",
                original=exc.original,
            )


class _Run:
    """One :class:`Job` of a run."""

    def __init__(
        self,
        job: Job,
        model: UsageMeter,
        results: Sink,
        errors: Sink | None,
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
            self.state.article_failed(exc)
            return
        self.state.down_in_a_row = 0
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
) -> RunStats:
    """Run ``jobs`` one after the other, as one run: one model per client configuration,
    one progress (the totals of every job), one circuit breaker; a fatal error stops
    them all. See :func:`run_batch` for the rest."""
    for job in jobs:
        if job.options.concurrency < 1:
            raise ConfigError(f"concurrency must be at least 1, got {job.options.concurrency}")
        if job.around is not None and job.options.concurrency != 1:
            raise ConfigError("a job with a per-article context runs with concurrency 1")
    reporter = reporter or NullReporter()
    totals = [job.total for job in jobs]
    stats = RunStats(total=None if None in totals else sum(t or 0 for t in totals))
    state = _State(stats, reporter, min((job.options.breaker for job in jobs), default=0))
    models: dict[ClientConfig, ClosableModel] = {}
    # One request limit per model: the largest concurrency of the jobs that share it.
    limits: dict[ClientConfig, int] = {}
    for job in jobs:
        config = job.extractor.config
        limits[config] = max(limits.get(config, 1), job.options.concurrency)
    reporter.start(stats)
    try:
        for job in jobs:
            config = job.extractor.config
            if config not in models:
                models[config] = open_model(config, cache=cache, max_requests=limits[config])
            meter = UsageMeter(models[config], on_call=state.on_call)
            await _run_job(job, meter, state, stream)
            if state.fatal is not None:
                break
    finally:
        for model in models.values():
            await model.aclose()
        reporter.finish(stats)
    if state.fatal is not None:
        raise state.fatal
    return stats


async def _run_job(job: Job, model: UsageMeter, state: _State, stream: TextIO | None) -> None:
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
    errors = (
        AppendFile(errors_path, fresh=True, durable=options.durable, lock=False)
        if errors_path
        else None
    )
    run = _Run(job, model, results, errors, state)
    try:
        await _drive(run, job.items, done_ids, options.concurrency)
    finally:
        await results.aclose()
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


__all__ = [
    "DEFAULT_BREAKER",
    "DEFAULT_CONCURRENCY",
    "ENDPOINT_DOWN_ERRORS",
    "FATAL_ERRORS",
    "AppendFile",
    "BatchOptions",
    "ExistingOutput",
    "Job",
    "count_inputs",
    "default_concurrency",
    "failure_record",
    "read_existing_output",
    "run_batch",
    "run_jobs",
]
