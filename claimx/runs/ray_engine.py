"""Ray Data: claimx over a Ray ``Dataset``, for corpora past one machine (``claimx[ray]``).

:func:`extract_dataset` maps a Dataset of ``{"id", "text"}`` rows to a Dataset
of results with ``map_batches`` and a callable class, :class:`ExtractBatches`:
Ray starts a pool of actors, and each actor holds ONE extractor, ONE
:class:`~claimx.llm.client.LLM` (one HTTP connection pool, one ``Retry-After``
pause) and ONE response cache, built once and reused for every batch it is
given. Its ``__call__`` is a coroutine: Ray Data runs async callable classes on
an event loop of the actor's own, several batches at a time, and the actor
bounds the articles in flight across them with a semaphore of
``concurrency``. So ``actors × concurrency`` requests are in flight in the
cluster, as ``--concurrency`` bounds them in the asyncio engine.

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

Resume
------
:func:`run` writes to a folder of Parquet or JSONL files and skips the ids
already in it: a re-run of a job killed half-way extracts only the rest, so
every article ends up there exactly once (ids must be unique in the input,
as for Ray Data's own checkpointing). Ray writes each output file whole, one
per block; a file cut by the kill does not read back and is removed, and its
articles are extracted again (their answers come from the response cache).
Ray Data's checkpointing (``DataContext.checkpoint_config``) would filter the
same way, but it reserves a GiB of memory per filter actor and its commit
protocol applies to Parquet/JSON sinks only through Ray's own read path;
claimx's skip is a scan of one column.
"""

from __future__ import annotations

import asyncio
import json
import types
import typing
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from claimx.errors import ClaimxError, ConfigError
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.llm.layers import open_model
from claimx.llm.protocol import ClosableModel
from claimx.models import Article, ExtractionResult
from claimx.prompts import PromptSpec
from claimx.runs.inputs import InputItem
from claimx.runs.orchestrator import FATAL_ERRORS, failure_record

if TYPE_CHECKING:
    import pyarrow as pa
    import ray.data

OutputFormat = Literal["parquet", "jsonl"]
#: articles per output file: what a kill can lose (and extract again)
DEFAULT_ROWS_PER_FILE = 64
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
    """The Arrow type of a pydantic field annotation (str, numbers, bool, Literal, lists, models).

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
    """The callable class of :func:`extract_dataset`: one extractor, client and cache per actor.

    The client and the cache are made on the first call, inside the event loop
    Ray Data runs async callables on: the HTTP pool belongs to that loop and
    the SQLite connection to its thread.
    """

    def __init__(
        self,
        prompt: PromptSpec,
        client: dict[str, Any],
        extractor_options: dict[str, Any],
        *,
        cache_dir: str | None,
        concurrency: int,
        flat: bool,
    ) -> None:
        self.extractor = Extractor(
            prompt, config=ClientConfig.from_env(**client), **extractor_options
        )
        self.cache_dir = cache_dir
        self.concurrency = concurrency
        self.flat = flat
        self.schema = flat_schema() if flat else result_schema()
        self._llm: ClosableModel | None = None
        self._slots: asyncio.Semaphore | None = None

    def _started(self) -> tuple[ClosableModel, asyncio.Semaphore]:
        if self._llm is None or self._slots is None:
            cache = ResponseCache.open(Path(self.cache_dir)) if self.cache_dir else None
            self._llm = open_model(self.extractor.config, cache=cache)
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
    prompt: str | PromptSpec = "latest",
    *,
    config: ClientConfig | None = None,
    actors: int | tuple[int, int] = 1,
    concurrency: int = DEFAULT_ACTOR_CONCURRENCY,
    batch_size: int | None = None,
    cache_dir: Path | None = None,
    flat: bool = False,
    keep_ungrounded: bool = False,
    context_tokens: int | None = None,
    udf: type[ExtractBatches] | None = None,
    **client: Any,
) -> ray.data.Dataset:
    """Extract every ``{"id", "text"}`` row of ``dataset``; a lazy Dataset of result rows.

    ``actors``: the actor pool (a size, or ``(min, max)`` to autoscale);
    ``concurrency``: articles in flight per actor; ``batch_size``: rows per
    call (default ``concurrency``); ``cache_dir``: each actor's response
    cache (a folder on that machine, default none); ``flat``: claim rows. The
    client settings (``config``, or ``model``/``base_url``/``api_key``/``mode``
    keywords) are resolved here, on the driver, and shipped to the actors:
    the workers' environment is not consulted. ``udf``: a subclass of
    :class:`ExtractBatches` to use instead (the Ray benchmark's instrumented one).
    """
    rt = require_ray()
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, got {concurrency}")
    config = config or ClientConfig.from_env(**client)
    extractor_options: dict[str, Any] = {"keep_ungrounded": keep_ungrounded}
    if context_tokens is not None:
        extractor_options["context_tokens"] = context_tokens
    # Resolved here, on the driver, and shipped whole: a worker reads no prompt files.
    prompt = Extractor(prompt, config=config, **extractor_options).spec
    shipped = {
        "model": config.model,
        "base_url": config.base_url,
        "api_key": config.api_key,
        "mode": config.mode,
        "max_tokens": config.max_tokens,
        "timeout_s": config.timeout_s,
        "transient_retries": config.transient_retries,
        "validation_retries": config.validation_retries,
        "failures_dir": config.failures_dir,
    }
    pool = (
        rt.data.ActorPoolStrategy(size=actors)
        if isinstance(actors, int)
        else rt.data.ActorPoolStrategy(min_size=actors[0], max_size=actors[1])
    )
    mapped: ray.data.Dataset = dataset.map_batches(
        udf or ExtractBatches,
        batch_size=batch_size or concurrency,
        batch_format="pyarrow",
        compute=pool,
        fn_constructor_kwargs={
            "prompt": prompt,
            "client": shipped,
            "extractor_options": extractor_options,
            "cache_dir": str(cache_dir) if cache_dir else None,
            "concurrency": concurrency,
            "flat": flat,
        },
        # the actor waits on the network: it needs no CPU of its own, so a
        # 2-core machine can hold several (and the reads and writes run beside them)
        num_cpus=0.25,
    )
    return mapped


# --- files: reading, resuming, writing --------------------------------------------------


def read_corpus(paths: Sequence[Path]) -> ray.data.Dataset:
    """JSONL files (``{"id", "text"}`` per line) or Parquet files/folders as one Dataset."""
    rt = require_ray()
    jsonl: list[str] = []
    parquet: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.iterdir())
            parquet += [str(p) for p in found if p.suffix == ".parquet"]
            jsonl += [str(p) for p in found if p.suffix == ".jsonl"]
            if not any(p.suffix in (".parquet", ".jsonl") for p in found):
                raise ConfigError(
                    f"{path}: the Ray engine reads .jsonl and .parquet files; this folder has"
                    " neither (text files: use the default engine, or convert them to JSONL)"
                )
        elif path.suffix == ".parquet":
            parquet.append(str(path))
        elif path.suffix == ".jsonl":
            jsonl.append(str(path))
        else:
            raise ConfigError(f"{path}: the Ray engine reads .jsonl and .parquet inputs")
    parts: list[ray.data.Dataset] = []
    if jsonl:
        parts.append(rt.data.read_json(jsonl, lines=True))
    if parquet:
        parts.append(rt.data.read_parquet(parquet).select_columns(["id", "text"]))
    dataset = parts[0]
    return dataset.union(*parts[1:]) if len(parts) > 1 else dataset


def output_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix in (".parquet", ".json", ".jsonl")
    )


def written_ids(folder: Path) -> set[str]:
    """The article ids of every whole output file in ``folder``; cut files are removed.

    A file that does not read back entirely was being written when the job
    died: removing it makes its articles be extracted again, exactly once.
    """
    import pyarrow.parquet as pq

    ids: set[str] = set()
    if not folder.exists():
        return ids
    for path in output_files(folder):
        try:
            if path.suffix == ".parquet":
                column = pq.read_table(path, columns=["article_id"]).column("article_id")
                found = {str(x) for x in column.to_pylist()}
            else:
                with path.open("rb") as handle:
                    lines = [json.loads(line) for line in handle if line.strip()]
                found = {str(r["article_id"]) for r in lines}
                if lines and not path.read_bytes().endswith(b"\n"):
                    raise ValueError("no newline after the last record")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            path.unlink()
            _note(f"removed {path}: cut short when the last job stopped ({exc})")
            continue
        ids |= found
    return ids


def _note(message: str) -> None:
    import sys

    print(f"claimx: {message}", file=sys.stderr)


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


def run(
    paths: Sequence[Path],
    output: Path,
    prompt: str | PromptSpec = "latest",
    *,
    output_format: OutputFormat = "parquet",
    address: str | None = None,
    rows_per_file: int | None = None,
    **options: Any,
) -> dict[str, int]:
    """Extract a corpus with Ray into the folder ``output``, resuming what is there.

    ``address``: the cluster (``"auto"``, ``ray://host:10001``), default a
    local Ray started for this run. ``options``: :func:`extract_dataset`
    keywords. Returns counts: ``skipped`` (already written), ``written`` rows,
    ``failed`` error rows.
    """
    ray = require_ray()
    if output.exists() and not output.is_dir():
        raise ConfigError(f"{output}: the Ray engine writes a folder of files; choose a folder")
    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False, configure_logging=False)
    done = written_ids(output)
    dataset = read_corpus(paths)
    # small blocks: each is one output file, written as soon as its articles are done
    dataset = dataset.repartition(target_num_rows_per_block=rows_per_file or DEFAULT_ROWS_PER_FILE)
    results = extract_dataset(skip_ids(dataset, done), prompt, **options)
    output.mkdir(parents=True, exist_ok=True)
    before = set(output_files(output))
    try:
        if output_format == "parquet":
            results.write_parquet(str(output))
        else:
            results.write_json(str(output), force_ascii=False)
    except ray.exceptions.RayError as exc:
        cause = _claimx_cause(exc)
        if cause is not None:
            raise cause from exc
        raise
    return _count_new(set(output_files(output)) - before, len(done))


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


def _count_new(files: set[Path], skipped: int) -> dict[str, int]:
    import pyarrow.parquet as pq

    written = failed = 0
    for path in files:
        if path.suffix == ".parquet":
            errors = pq.read_table(path, columns=["error"]).column("error")
            written += len(errors)
            failed += len(errors) - errors.null_count
        else:
            with path.open("rb") as handle:
                rows = [json.loads(line) for line in handle if line.strip()]
            written += len(rows)
            failed += sum(1 for r in rows if r.get("error"))
    return {"skipped": skipped, "written": written, "failed": failed}


__all__ = [
    "ExtractBatches",
    "error_row",
    "extract_dataset",
    "flat_schema",
    "read_corpus",
    "result_rows",
    "result_schema",
    "run",
    "skip_ids",
    "written_ids",
]


def extract_command(
    paths: Sequence[Path],
    output: Path | None,
    extractor: Extractor,
    output_format: str,
    *,
    address: str | None,
    concurrency: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    context_tokens: int,
    console: Any,
) -> None:
    """``claimx extract --engine ray``: up to an actor per Ray CPU, results in the folder -o."""
    import typer

    from claimx.llm.config import default_cache_dir

    if output is None:
        raise ConfigError("--engine ray writes a folder of files: give it with -o/--output")
    if output_format not in ("jsonl", "parquet"):
        raise ConfigError("--engine ray writes --format jsonl or parquet")
    ray = require_ray()
    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False, configure_logging=False)
    # autoscaling up to one actor per CPU of the cluster: a small corpus needs fewer
    actors = (1, max(1, int(ray.cluster_resources().get("CPU", 1))))
    counts = run(
        paths,
        output,
        extractor.spec,
        output_format="parquet" if output_format == "parquet" else "jsonl",
        config=extractor.config,
        actors=actors,
        concurrency=concurrency or DEFAULT_ACTOR_CONCURRENCY,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
        keep_ungrounded=extractor.options.keep_ungrounded,
        context_tokens=context_tokens,
    )
    console.print(
        f"{counts['written']} article(s) written ({counts['failed']} as error rows),"
        f" {counts['skipped']} already in {output}",
        highlight=False,
    )
    if counts["failed"]:
        raise typer.Exit(1)
