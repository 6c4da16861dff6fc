"""Ray Data: claimx over a Ray ``Dataset``, for corpora past one process (``claimx[ray]``).

:func:`extract_dataset` maps a Dataset of ``{"id", "text"}`` rows to a Dataset
of results with ``map_batches`` and a callable class, :class:`ExtractBatches`:
Ray starts a pool of actors, and each actor holds ONE extractor, ONE model
stack (one HTTP connection pool, at most ``concurrency`` requests in flight)
and ONE response cache, built once and reused for every batch it is given. Its
``__call__`` is a coroutine: Ray Data runs async callable classes on an event
loop of the actor's own, several batches at a time, and the actor keeps
``concurrency`` articles and requests in flight across them (the request limit
of :func:`~claimx.llm.layers.open_model`; without it an actor sent one request
at a time, issue 25). So ``actors x concurrency`` requests are in flight in the
cluster, as ``--concurrency`` bounds them in the asyncio engine.

Every actor is built from the run's :class:`~claimx.runs.spec.RunSpec`, shipped
whole as JSON: the driver's client configuration, extraction options and
prompt (its hash checked), never the worker's environment. The API key is not
in it: the spec carries a :class:`~claimx.runs.spec.SecretRef`, which
:class:`RayEngine` points at a file readable by the user only, written for the
run in the output folder's ``.claimx/`` and removed after it; the local Ray it
starts is started without the key in its environment, so no worker inherits it.

Why not ``ray.data.llm``: its HTTP processor posts a payload per row and
returns the endpoint's raw JSON; there is no schema validation, no re-ask of
invalid output, no grounding of quotes in the article and no assembly of
claims and speakers. Those are claimx's extractor, which runs inside the
actors here unchanged, with the client's retry policy.

Rows
----
One row per article (:func:`result_schema`): the fields of
:class:`~claimx.models.ExtractionResult`, typed (claims and speakers as lists
of structs), plus ``error``: null for an extracted article, and for a failed
one the record of the errors file of ``claimx extract``
(:func:`claimx.runs.orchestrator.failure_record`) while the result fields are
null. A failed article is an error row, never a failed job; only the errors
that fail every article alike (:data:`~claimx.runs.orchestrator.FATAL_ERRORS`:
the endpoint refused the key, a cassette misses) stop the job, as they stop a
local run. With ``flat=True`` there is one row per claim instead
(:func:`flat_schema`), an article without claims keeping one row with null
claim columns, so every article is still there exactly once.

The engine (``claimx extract --engine ray``)
--------------------------------------------
:class:`RayEngine` keeps the promises of every engine
(:mod:`claimx.runs.engine`) this way:

* **the driver writes.** The result rows stream back to the driver
  (``iter_batches``), which writes the extracted articles into the output
  folder, ``rows_per_file`` to a file (or what came in :data:`FLUSH_S` seconds:
  ``claimx-<run>-<n>.parquet``, or ``.jsonl``), each written to ``.claimx/tmp/``
  and renamed into place whole,
  and the failed ones into the errors file, exactly as the asyncio engine
  does. So no output file is ever half-written, a re-run retries the failed
  articles (they are not in the output), and the circuit breaker
  (:mod:`claimx.runs.breaker`) sees every article finish;
* **a manifest.** ``.claimx/manifest.jsonl`` lists every file claimx wrote in
  the folder, before the file is renamed into place. A re-run skips the ids of
  those files (a file listed but absent was being renamed when the job died:
  its articles are extracted again). Any other file in the folder is not
  claimx's: it is neither read nor touched (issue 25: a user's ``notes.json``
  was deleted as a "cut" output);
* **a lock**: ``.claimx/lock``, held with ``flock`` for the whole run, taken
  before Ray starts, so a second run on the same folder is refused at once;
* **checked before starting**: the folder, the errors file and the cache are
  tried for writing before a cluster is started (a read-only ``-o`` started a
  whole cluster before failing, issue 25);
* **a local Ray for the run** (``ray.init(address="local")``) unless
  ``--address`` names a cluster: ``ray.init()`` without an address joins any
  cluster already running on the machine;
* **quiet**: while Ray runs, what it writes on the process's standard error
  (its token-auth notice, its C++ core worker's lines, Ray Data's progress) goes
  to ``.claimx/ray.log`` in the output folder; the terminal shows claimx's
  progress only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import threading
import time
import types
import typing
import uuid
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from pydantic import BaseModel

from claimx.errors import ClaimxError, ConfigError, OutputError
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.layers import open_model
from claimx.llm.private import open_private, open_private_fd, private_dir, write_private
from claimx.llm.protocol import ClosableModel
from claimx.models import Article, ExtractionResult
from claimx.runs.breaker import ENDPOINT_DOWN_NAMES
from claimx.runs.inputs import DEFAULT_GLOB, STDIN, InputItem, count_inputs, folder_files
from claimx.runs.orchestrator import (
    FATAL_ERRORS,
    HEARTBEAT_S,
    ErrorsFile,
    breaker_for,
    check_run_paths,
    failure_record,
    read_existing_output,
)
from claimx.runs.outputs import busy_output, check_writable, lock_or_refuse
from claimx.runs.progress import Reporter, RunStats
from claimx.runs.spec import RunSpec, SecretRef

if TYPE_CHECKING:
    import pyarrow as pa
    import ray.data

OutputFormat = Literal["parquet", "jsonl"]
DEFAULT_ACTOR_CONCURRENCY = 16
#: the errors-file record, as string columns
ERROR_FIELDS = (
    "article_id",
    "source",
    "error_type",
    "message",
    "cause",
    "raw_output_path",
    "model",
    "prompt",
    "at",
)
#: claimx's own corner of an output folder: manifest, lock, temporary files, Ray's log
STATE_DIR = ".claimx"
MANIFEST = "manifest.jsonl"
#: the prefix of every output file claimx writes in a folder
PART_PREFIX = "claimx-"
#: seconds a finished article waits for ``rows_per_file`` others before its file is
#: written anyway: what a kill can cost is bounded in articles and in time
FLUSH_S = 2.0


def require_ray() -> types.ModuleType:
    """Import ray, or say how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401 - the Data library is an extra of its own
    except ImportError:
        raise ConfigError(
            "the Ray engine needs Ray Data: pip install 'claimx[ray]'"
            " (or pip install 'ray[data]>=2.53')"
        ) from None
    module: types.ModuleType = ray
    return module


# --- the Arrow schemas ------------------------------------------------------------------


def arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of a pydantic field annotation (str, numbers, bool, Literal, lists,
    tuples of one type, models).

    Every column is nullable: an error row leaves the result fields null.
    """
    import pyarrow as pa

    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return arrow_type(args[0])
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(arrow_type(args[0]))
    if origin is tuple and args and Ellipsis not in args and len(set(args)) == 1:
        return pa.list_(arrow_type(args[0]), len(args))  # a pair of offsets: fixed size
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return pa.struct(
                [pa.field(n, arrow_type(f.annotation)) for n, f in annotation.model_fields.items()]
            )
        if issubclass(annotation, bool):
            return pa.bool_()
        if issubclass(annotation, int):
            return pa.int64()
        if issubclass(annotation, float):
            return pa.float64()
        if issubclass(annotation, str | Enum):
            return pa.string()
    raise ConfigError(f"no Arrow column type for {annotation!r}: teach ray_engine.arrow_type")


def error_type() -> pa.DataType:
    import pyarrow as pa

    return pa.struct([pa.field(name, pa.string()) for name in ERROR_FIELDS])


def result_schema() -> pa.Schema:
    """One row per article: the ExtractionResult fields, and ``error``."""
    import pyarrow as pa

    fields = [
        pa.field(name, arrow_type(info.annotation))
        for name, info in ExtractionResult.model_fields.items()
    ]
    return pa.schema([*fields, pa.field("error", error_type())])


#: the columns of a flat claim row, besides the claim's own fields
_FLAT_ARTICLE = ("article_id", "model", "prompt", "prompt_hash", "strategy")


def flat_schema() -> pa.Schema:
    """One row per claim: article columns, the claim's fields (grounding flattened), ``error``."""
    import pyarrow as pa

    from claimx.models import ExtractedClaim, Grounding

    claim_fields = [
        pa.field(n, arrow_type(f.annotation))
        for n, f in ExtractedClaim.model_fields.items()
        if n != "grounding"
    ]
    grounding = [
        pa.field(f"grounding_{n}", arrow_type(f.annotation))
        for n, f in Grounding.model_fields.items()
    ]
    article = [pa.field(n, pa.string()) for n in _FLAT_ARTICLE]
    return pa.schema([*article, *claim_fields, *grounding, pa.field("error", error_type())])


def result_rows(result: ExtractionResult, *, flat: bool) -> list[dict[str, Any]]:
    """The output rows of one extracted article."""
    record = result.model_dump(mode="json")
    if not flat:
        return [{**record, "error": None}]
    article = {k: record[k] for k in _FLAT_ARTICLE}
    rows = []
    for claim in record["claims"]:
        grounding = claim.pop("grounding")
        rows.append(
            {
                **article,
                **claim,
                **{f"grounding_{k}": v for k, v in grounding.items()},
                "error": None,
            }
        )
    return rows or [{**article, "error": None}]


def error_row(record: dict[str, Any]) -> dict[str, Any]:
    """The output row of a failed article (result columns null)."""
    error = {k: None if record.get(k) is None else str(record[k]) for k in ERROR_FIELDS}
    return {"article_id": error["article_id"], "error": error}


# --- the actor --------------------------------------------------------------------------


class ExtractBatches:
    """The callable class of :func:`extract_dataset`: one extractor, model and cache per actor.

    Built from the run's spec (as JSON): the extractor is the driver's, the key is
    resolved here from the spec's :class:`SecretRef`. The model and the cache are
    made on the first call, inside the event loop Ray Data runs async callables
    on: the HTTP pool belongs to that loop and the SQLite connection to its thread.
    """

    def __init__(self, spec: str, *, flat: bool) -> None:
        self.spec = RunSpec.model_validate_json(spec)
        self.extractor: Extractor = self.spec.extractor()
        self.concurrency = self.spec.run.concurrency or DEFAULT_ACTOR_CONCURRENCY
        self.flat = flat
        self.schema = flat_schema() if flat else result_schema()
        self._llm: ClosableModel | None = None
        self._slots: asyncio.Semaphore | None = None

    def _started(self) -> tuple[ClosableModel, asyncio.Semaphore]:
        if self._llm is None or self._slots is None:
            cache_dir = self.spec.cache_dir
            cache = ResponseCache.open(cache_dir) if cache_dir is not None else None
            # the request limit: ``concurrency`` requests in flight, shared by the batches
            # this actor runs at once (and by the independent requests of one article)
            self._llm = open_model(
                self.extractor.config, cache=cache, max_requests=self.concurrency
            )
            self._slots = asyncio.Semaphore(self.concurrency)
        return self._llm, self._slots

    async def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        llm, slots = self._started()
        ids = [str(x) if x is not None else "" for x in batch.column("id").to_pylist()]
        texts = batch.column("text").to_pylist()
        sources = batch.column("source").to_pylist() if "source" in batch.column_names else ids
        done = await asyncio.gather(
            *(
                self._one(llm, slots, i, t, str(s))
                for i, t, s in zip(ids, texts, sources, strict=True)
            )
        )
        return pa.Table.from_pylist([row for rows in done for row in rows], schema=self.schema)

    async def _one(
        self, llm: ClosableModel, slots: asyncio.Semaphore, article_id: str, text: Any, source: str
    ) -> list[dict[str, Any]]:
        async with slots:
            try:
                if not article_id:
                    raise ConfigError('a row has no "id": every row needs a unique id')
                result = await self.extractor.aextract(
                    text if isinstance(text, str) else "", article_id=article_id, llm=llm
                )
            except FATAL_ERRORS:
                raise  # every article would fail alike: stop the job, as a local run stops
            except Exception as exc:  # noqa: BLE001 - one article's failure is a row, not the job
                item = InputItem(source, article=Article(id=article_id or "?", text=""))
                record = failure_record(item, exc, self.extractor)
                return [error_row(record)]
        return result_rows(result, flat=self.flat)


def extract_dataset(
    dataset: ray.data.Dataset,
    spec: RunSpec,
    *,
    actors: int | tuple[int, int] | None = None,
    batch_size: int | None = None,
    flat: bool = False,
    udf: type[ExtractBatches] | None = None,
) -> ray.data.Dataset:
    """Extract every ``{"id", "text"}`` row of ``dataset``; a lazy Dataset of result rows.

    ``spec``: the run (:class:`RunSpec`; its ``run.concurrency`` is the articles
    and requests in flight per actor, default 16, and its ``cache_dir`` each
    actor's response cache, a folder on that machine); ``actors``: the pool (a
    size, or ``(min, max)`` to autoscale), default ``spec.ray.actors``, else one;
    ``batch_size``: rows per call (default: the concurrency); ``flat``: claim
    rows. The spec is checked here, on the driver, and shipped whole to the
    actors: the workers' environment is not consulted. ``udf``: a subclass of
    :class:`ExtractBatches` to use instead (the Ray benchmark's instrumented one).
    """
    rt = require_ray()
    spec.extractor()  # fail here, once, not in every actor
    concurrency = spec.run.concurrency or DEFAULT_ACTOR_CONCURRENCY
    size = actors if actors is not None else (spec.ray.actors or 1)
    pool = (
        rt.data.ActorPoolStrategy(size=size)
        if isinstance(size, int)
        else rt.data.ActorPoolStrategy(min_size=size[0], max_size=size[1])
    )
    mapped: ray.data.Dataset = dataset.map_batches(
        udf or ExtractBatches,
        batch_size=batch_size or concurrency,
        batch_format="pyarrow",
        compute=pool,
        fn_constructor_kwargs={"spec": spec.model_dump_json(), "flat": flat},
        # the actor waits on the network: it needs no CPU of its own, so a
        # 2-core machine can hold several (and the reads and writes run beside them)
        num_cpus=0.25,
    )
    return mapped


# --- files: reading ---------------------------------------------------------------------


def corpus_files(paths: Sequence[Path], *, glob: str = DEFAULT_GLOB) -> tuple[list[str], list[str]]:
    """The JSONL and Parquet files of ``paths`` (a folder: its files matching ``glob``, as the
    asyncio engine reads a folder); :class:`ConfigError` for anything else."""
    jsonl: list[str] = []
    parquet: list[str] = []
    for path in paths:
        if path.is_dir():
            found = [f for f, _ in folder_files(path, glob if glob != DEFAULT_GLOB else "**/*")]
            parquet += [str(p) for p in found if p.suffix.lower() == ".parquet"]
            jsonl += [str(p) for p in found if p.suffix.lower() == ".jsonl"]
            if not any(p.suffix.lower() in (".parquet", ".jsonl") for p in found):
                raise ConfigError(
                    f"{path}: the Ray engine reads .jsonl and .parquet files; this folder has"
                    f" none matching {glob!r} (text files: use the default engine, or convert"
                    " them to JSONL)"
                )
        elif not path.exists():
            raise ConfigError(f"{path}: no such file")
        elif path.suffix.lower() == ".parquet":
            parquet.append(str(path))
        elif path.suffix.lower() == ".jsonl":
            jsonl.append(str(path))
        else:
            raise ConfigError(f"{path}: the Ray engine reads .jsonl and .parquet inputs")
    return jsonl, parquet


def corpus_total(paths: Sequence[Path], *, glob: str = DEFAULT_GLOB) -> int | None:
    """How many rows the corpus has (JSONL lines, Parquet row counts), for the progress."""
    import pyarrow.parquet as pq

    jsonl, parquet = corpus_files(paths, glob=glob)
    total = count_inputs([Path(p) for p in jsonl]) if jsonl else 0
    if total is None:
        return None
    for path in parquet:
        total += pq.ParquetFile(path).metadata.num_rows
    return total


def read_corpus(paths: Sequence[Path], *, glob: str = DEFAULT_GLOB) -> ray.data.Dataset:
    """JSONL files (``{"id", "text"}`` per line) or Parquet files/folders as one Dataset."""
    rt = require_ray()
    jsonl, parquet = corpus_files(paths, glob=glob)
    parts: list[ray.data.Dataset] = []
    if jsonl:
        parts.append(rt.data.read_json(jsonl, lines=True))
    if parquet:
        parts.append(rt.data.read_parquet(parquet).select_columns(["id", "text"]))
    dataset = parts[0]
    return dataset.union(*parts[1:]) if len(parts) > 1 else dataset


def skip_ids(dataset: ray.data.Dataset, done: set[str]) -> ray.data.Dataset:
    """``dataset`` without the rows whose id is in ``done`` (a vectorised membership test)."""
    if not done:
        return dataset
    import pyarrow as pa
    import pyarrow.compute as pc

    # shipped with the task (Ray puts large arguments in its object store once)
    value_set = pa.array(sorted(done), pa.string())

    def keep(batch: pa.Table, value_set: pa.Array) -> pa.Table:
        ids = pc.cast(batch.column("id"), pa.string())
        return batch.filter(pc.invert(pc.is_in(ids, value_set=value_set)))

    skipped: ray.data.Dataset = dataset.map_batches(
        keep, batch_format="pyarrow", fn_kwargs={"value_set": value_set}
    )
    return skipped


# --- the output folder ------------------------------------------------------------------


class OutputFolder:
    """An output folder of the Ray engine: claimx's files in it, their manifest, the lock.

    See the module docstring. ``run`` names this run's files.
    """

    def __init__(self, path: Path, *, output_format: OutputFormat) -> None:
        self.path = path
        self.format = output_format
        self.state = path / STATE_DIR
        self.manifest = self.state / MANIFEST
        self.run = uuid.uuid4().hex[:12]
        self._lock_fd: int | None = None
        self._parts = 0

    def lock(self) -> None:
        """Create the folder and take its lock; :class:`ConfigError` if another run holds it."""
        private_dir(self.state)
        fd = open_private_fd(self.state / "lock", os.O_RDWR)
        lock_or_refuse(fd, busy_output(self.path))
        self._lock_fd = fd
        # a manifest line cut by a kill must not swallow the next one
        if self.manifest.exists() and not self.manifest.read_bytes().endswith(b"\n"):
            with open_private(self.manifest, "a") as manifest:
                manifest.write("\n")

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def files(self) -> list[Path]:
        """The files claimx wrote here (listed in the manifest and present)."""
        if not self.manifest.exists():
            return []
        names: list[str] = []
        with self.manifest.open("rb") as handle:
            for line in handle:
                try:
                    names.append(str(json.loads(line)["file"]))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut by a kill: its file was never renamed into place
        return [self.path / n for n in dict.fromkeys(names) if (self.path / n).is_file()]

    def written(self) -> tuple[set[str], set[tuple[str, str]]]:
        """The article ids in claimx's files, and their (model, prompt hash) pairs."""
        import pyarrow.parquet as pq

        ids: set[str] = set()
        configs: set[tuple[str, str]] = set()
        for path in self.files():
            if path.suffix == ".parquet":
                table = pq.read_table(path, columns=["article_id", "model", "prompt_hash"])
                for row in table.to_pylist():
                    ids.add(str(row["article_id"]))
                    configs.add((str(row["model"]), str(row["prompt_hash"])))
            else:
                found = read_existing_output(path)
                ids |= found.ids
                configs |= found.configs
        return ids, configs

    def write_part(self, rows: list[dict[str, Any]], schema: pa.Schema) -> Path:
        """One output file of ``rows``: listed in the manifest, written aside, renamed whole."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._parts += 1
        suffix = ".parquet" if self.format == "parquet" else ".jsonl"
        name = f"{PART_PREFIX}{self.run}-{self._parts:05d}{suffix}"
        final = self.path / name
        temporary = private_dir(self.state / "tmp") / name
        try:
            # listed first: a kill between the two leaves a listed name without a file
            # (its articles are extracted again), never a file the manifest does not own
            with open_private(self.manifest, "a") as manifest:
                manifest.write(json.dumps({"file": name, "run": self.run}) + "\n")
                manifest.flush()
                os.fsync(manifest.fileno())
            with open_private(temporary, "wb") as handle:
                if self.format == "parquet":
                    pq.write_table(pa.Table.from_pylist(rows, schema=schema), handle)
                else:
                    for row in rows:
                        handle.write((json.dumps(row, ensure_ascii=False) + "\n").encode())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
        except OSError as exc:
            raise OutputError(
                f"cannot write {exc.filename or final}: {exc.strerror}; free space (or fix the"
                " mount) and run the same command again: the files written are kept"
            ) from None
        return final

    def clear_temporary(self) -> None:
        """Remove what a killed run left: parts in ``.claimx/tmp/``, and its key file (held
        by the lock, this run is the only one: any key file here is a dead run's)."""
        folder = self.state / "tmp"
        if folder.is_dir():
            for leftover in folder.iterdir():
                if leftover.name.startswith(PART_PREFIX):
                    leftover.unlink(missing_ok=True)
        for key in self.state.glob("key-*"):
            key.unlink(missing_ok=True)


# --- Ray itself: started for the run, quiet ------------------------------------------------


@contextlib.contextmanager
def quiet_stderr(log: Path) -> Iterator[None]:
    """Send what is written on file descriptor 2 to ``log`` while Ray runs.

    Ray writes on the process's standard error from C++ (its core worker) and from
    the processes it starts (which inherit it), not only through Python's logging, so
    the descriptor itself is redirected. Python's ``sys.stderr``, where claimx's own
    progress goes, is pointed at the terminal's descriptor meanwhile when it was
    descriptor 2 (a test runner's capture is left as it is).
    """
    sys.stderr.flush()
    saved = os.dup(2)
    target = open_private_fd(log, os.O_WRONLY | os.O_APPEND)
    os.dup2(target, 2)
    os.close(target)
    swapped: TextIO | None = None
    try:
        ours = sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        ours = False
    if ours:
        swapped = sys.stderr
        sys.stderr = os.fdopen(
            os.dup(saved), "w", buffering=1, encoding=swapped.encoding, errors="backslashreplace"
        )
    try:
        yield
    finally:
        if swapped is not None:
            sys.stderr.close()
            sys.stderr = swapped
        os.dup2(saved, 2)
        os.close(saved)


@contextlib.contextmanager
def ray_session(address: str | None, *, hide_env: Sequence[str] = ()) -> Iterator[Any]:
    """Ray for one run: the caller's when already initialised, else a cluster joined at
    ``address``, else a local Ray started now and shut down after (never a cluster that
    happens to run on this machine: ``address="local"``).

    ``hide_env``: variables (the key's) the processes Ray starts must not inherit.
    """
    ray = require_ray()
    if ray.is_initialized():
        yield ray
        return
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    logging.getLogger("ray").setLevel(logging.WARNING)
    hidden = {name: os.environ.pop(name) for name in hide_env if name in os.environ}
    try:
        ray.init(
            address=address or "local",
            include_dashboard=False if address is None else None,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    finally:
        os.environ.update(hidden)
    try:
        yield ray
    finally:
        ray.shutdown()


@contextlib.contextmanager
def worker_spec(spec: RunSpec, folder: OutputFolder) -> Iterator[RunSpec]:
    """The spec the actors get: the key as a file readable by the user only, for this run.

    The driver resolves the key (from its own environment); the actors read it from
    ``.claimx/key-<run>`` (0600 in a 0700 folder), removed when the run ends. A key
    that is not set (a local server) is not written at all.
    """
    key = spec.api_key.resolve() if spec.api_key is not None else None
    if key is None:
        yield spec.model_copy(update={"api_key": None})
        return
    path = folder.state / f"key-{folder.run}"
    write_private(path, key)
    try:
        yield spec.model_copy(update={"api_key": SecretRef(file=path)})
    finally:
        path.unlink(missing_ok=True)


# --- the engine -------------------------------------------------------------------------


class RayEngine:
    """``--engine ray``: Ray Data actors extract, this process writes (see module doc)."""

    name = "ray"

    def check(self, spec: RunSpec) -> None:
        """Refuse what this engine does not take, and outputs it could not write, before
        any cluster is started."""
        options = spec.run
        if options.output is None:
            raise ConfigError("--engine ray writes a folder of files: give it with -o/--output")
        if options.format not in ("jsonl", "parquet"):
            raise ConfigError("--engine ray writes --format jsonl or parquet")
        if STDIN in spec.inputs:
            raise ConfigError("--engine ray reads files (JSONL, Parquet), not standard input")
        corpus_files(spec.inputs, glob=spec.run.glob)
        require_ray()
        check_writable(options.output, what="--output", folder=True)
        check_run_paths(spec, output_file=False)

    def run(self, spec: RunSpec, *, reporter: Reporter, stdout: TextIO) -> RunStats:
        """Extract ``spec.inputs`` into the folder ``spec.run.output``, resuming it."""
        options = spec.run
        assert options.output is not None
        folder = OutputFolder(options.output, output_format=_format(options.format))
        folder.lock()  # before Ray starts: a second run is refused at once
        try:
            folder.clear_temporary()
            done, configs = folder.written()
            _refuse_other_configuration(folder.path, configs, spec)
            with quiet_stderr(folder.state / "ray.log"), worker_spec(spec, folder) as shipped:
                hide = [spec.api_key.env] if spec.api_key and spec.api_key.env else []
                with ray_session(spec.ray.address, hide_env=hide) as ray:
                    return _Collect(shipped, folder, reporter, done, ray).run()
        finally:
            folder.unlock()


def _format(value: str) -> OutputFormat:
    return "parquet" if value == "parquet" else "jsonl"


def _refuse_other_configuration(path: Path, configs: set[tuple[str, str]], spec: RunSpec) -> None:
    mine = (spec.client.model, spec.prompt_hash)
    if others := configs - {mine}:
        described = ", ".join(f"model {m!r} prompt hash {h}" for m, h in sorted(others))
        raise ConfigError(
            f"{path} holds results of another configuration ({described}); this run uses"
            f" model {mine[0]!r} with {spec.prompt} (hash {mine[1]}). Resume with the same"
            " --model and --prompt, or choose another --output"
        )


class _Collect:
    """The driver's side of one run: rows in, files and errors out, breaker, progress."""

    def __init__(
        self, spec: RunSpec, folder: OutputFolder, reporter: Reporter, done: set[str], ray: Any
    ) -> None:
        self.spec = spec
        self.folder = folder
        self.reporter = reporter
        self.done = done
        self.ray = ray
        self.stats = RunStats(total=corpus_total(spec.inputs, glob=spec.run.glob))
        self.stats.skipped = len(done)
        self.breaker = breaker_for(spec.client_config(), spec.run.breaker)
        self.schema = result_schema().remove(result_schema().get_field_index("error"))
        errors_path = spec.run.errors_path()
        assert errors_path is not None
        self.errors = ErrorsFile(errors_path, durable=False)
        self.pending: list[dict[str, Any]] = []
        self._oldest = 0.0
        self._lock = threading.Lock()

    def run(self) -> RunStats:
        stop = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(stop,), daemon=True)
        with self._lock:
            self.reporter.start(self.stats)
        beat.start()
        fatal: BaseException | None = None
        try:
            fatal = self._collect()
        finally:
            stop.set()
            beat.join()
            try:
                if self.pending:
                    self._flush()
            finally:
                self.errors.close()
                with self._lock:
                    self.reporter.finish(self.stats)
        if fatal is not None:
            raise fatal
        return self.stats

    def _collect(self) -> BaseException | None:
        spec = self.spec
        dataset = read_corpus(spec.inputs, glob=spec.run.glob)
        # by default, autoscaling up to an actor per CPU of the cluster: a small corpus
        # needs fewer, and an actor waits on the network more than it computes
        cpus = max(1, int(self.ray.cluster_resources().get("CPU", 1)))
        actors = spec.ray.actors or (1, cpus)
        results = extract_dataset(skip_ids(dataset, self.done), spec, actors=actors)
        batches = results.iter_batches(batch_format="pyarrow", batch_size=None)
        try:
            for batch in batches:
                if (verdict := self._take(batch)) is not None:
                    return verdict
        except self.ray.exceptions.RayError as exc:
            cause = _claimx_cause(exc)
            if cause is not None:
                return cause
            raise
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # stops the execution when the breaker opened
        return None

    def _take(self, batch: pa.Table) -> ClaimxError | None:
        """Account for one batch of rows; the breaker's verdict when it opens."""
        rows = batch.to_pylist()
        verdict: ClaimxError | None = None
        for row in rows:
            error = row.pop("error", None)
            if error is None:
                self.breaker.success()
                self._done(row)
                continue
            self.errors.write(json.dumps(error, ensure_ascii=False) + "\n")
            with self._lock:
                self.stats.failed += 1
                self.reporter.failed(self.stats, error)
            down = error.get("error_type") in ENDPOINT_DOWN_NAMES
            if self.breaker.failure(endpoint_down=down) and verdict is None:
                verdict = self.breaker.verdict(str(error.get("message")))
        with self._lock:
            self.stats.in_progress = self._left()
            self.reporter.update(self.stats)
        return verdict

    def _done(self, row: dict[str, Any]) -> None:
        usage = row.get("usage") or {}
        with self._lock:
            self.stats.done += 1
            self.stats.calls += int(usage.get("calls") or 0)
            self.stats.prompt_tokens += int(usage.get("prompt_tokens") or 0)
            self.stats.completion_tokens += int(usage.get("completion_tokens") or 0)
            self.stats.cache_hits += bool(row.get("cached"))
        if not self.pending:
            self._oldest = time.monotonic()
        self.pending.append(row)
        waited = time.monotonic() - self._oldest
        if len(self.pending) >= self.spec.ray.rows_per_file or waited >= FLUSH_S:
            self._flush()

    def _flush(self) -> None:
        self.folder.write_part(self.pending, self.schema)
        self.pending = []

    def _left(self) -> int:
        total = self.stats.total
        return max(0, total - self.stats.processed) if total is not None else 0

    def _heartbeat(self, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT_S):
            with self._lock:
                self.stats.in_progress = self._left()
                self.reporter.update(self.stats)


def _claimx_cause(exc: BaseException) -> ClaimxError | None:
    """The claimx error inside a Ray task error (a fatal one raised by an actor)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, ClaimxError):
            return seen
        seen = getattr(seen, "cause", None) or seen.__cause__
    return None


__all__ = [
    "DEFAULT_ACTOR_CONCURRENCY",
    "ExtractBatches",
    "OutputFolder",
    "RayEngine",
    "corpus_files",
    "error_row",
    "extract_dataset",
    "flat_schema",
    "quiet_stderr",
    "ray_session",
    "read_corpus",
    "result_rows",
    "result_schema",
    "skip_ids",
]
