"""Provider batch APIs: every request of a corpus in batch files, answers into the cache.

OpenAI's batch API (and any provider implementing ``/v1/files`` and
``/v1/batches``) answers a file of requests within 24 hours at half the list
price. vLLM's offline ``run_batch`` reads and writes the same file format. This
module turns a corpus into such files and the answers back into claimx
results, in three steps that each survive a reboot (the state is a file):

1. **plan** (:func:`plan_round`): every article is run through its prompt's
   pipeline against a :class:`RequestRecorder`, a :class:`~claimx.llm.protocol.Model`
   that records each request and answers "no claims". The requests of the
   pipelines do not depend on the answers (a staged pipeline's candidates come
   from the text alone), so this enumerates exactly the requests a live run
   makes. Each becomes one line ``{"custom_id", "method", "url", "body"}``
   whose ``body`` is what instructor would post for it, and whose ``custom_id``
   is the response-cache key (:func:`claimx.llm.cache.request_key`). Requests
   already in the cache are left out. Lines go into shards of at most
   :data:`MAX_REQUESTS_PER_BATCH` lines and :data:`MAX_BYTES_PER_BATCH` bytes
   (OpenAI's limits), written as the corpus streams past: memory does not grow
   with the corpus.
2. **submit** (:func:`submit_round`): each shard is uploaded
   (``client.files.create``) and started (``client.batches.create``). With
   ``--no-upload`` the shards are only written, for vLLM's ``run_batch``.
3. **collect** (:func:`collect`): finished batches' output and error files are
   downloaded into an answers table (SQLite, next to the state), then the
   corpus is planned again and every request's answer is validated exactly as
   a live answer is (instructor's ``process_response`` for the same mode and
   response model) and stored in the response cache under its ``custom_id``.
   An answer that fails validation is re-asked in the next round with
   instructor's own re-ask messages (the answer and the validation error),
   at most ``validation_retries`` times (then only a live finish can answer
   it, with instructor's own re-ask loop); lines that failed, and lines an
   expired or cancelled batch never ran, are asked again in the next round.
   What completed is kept whatever happened to the rest.

When every request is answered, the output is written by the ordinary corpus
runner (:func:`claimx.runs.orchestrator.run_batch`) with the response cache:
every answer comes from the cache, so it makes no model call, and grounding,
assembly, the output and errors files, and resume are those of
``claimx extract``. With ``live=True`` the runner asks whatever is still
missing (answers that kept failing validation, lines of an expired batch)
from the endpoint directly, with the normal retries and re-asks.

The state (``<output>.batch/state.json``) holds the corpus paths, the
configuration, and per round the shards with their batch ids and status, so
``claimx batch status`` and ``collect`` work from another shell. Tokens are
summed from the answers; the cost is the list price from
:mod:`claimx.llm.pricing` less the provider's batch discount
(:data:`BATCH_DISCOUNTS`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel, Field

from claimx.errors import (
    AuthenticationError,
    ConfigError,
    LLMError,
    OutputError,
    PromptError,
    ServerUnreachableError,
)
from claimx.extraction.extractor import ExtractOptions, Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.client import instructor_mode
from claimx.llm.config import ClientConfig
from claimx.llm.pricing import estimate_cost, is_priced
from claimx.llm.private import open_private, open_private_fd, private_dir, replace_private
from claimx.models import Usage
from claimx.runs.orchestrator import run_spec
from claimx.runs.plan import PlannedRequest, RequestRecorder, article_requests, iter_requests
from claimx.runs.progress import NullReporter, Reporter, RunStats
from claimx.runs.spec import (
    DEFAULT_KEY_ENV,
    ProviderSettings,
    RunOptions,
    RunSpec,
    SecretRef,
)

T = TypeVar("T", bound=BaseModel)

#: OpenAI's limits on one batch input file (requests, and 200 MB with room to spare)
MAX_REQUESTS_PER_BATCH = 50_000
MAX_BYTES_PER_BATCH = 190 * 1024 * 1024
BATCH_URL = "/v1/chat/completions"
#: fraction of the list price a provider takes off for batch requests, by API host
BATCH_DISCOUNTS: dict[str, float] = {"api.openai.com": 0.5}
STATE_VERSION = 2
#: seconds before the first look at a submitted batch (doubling up to the poll interval)
FIRST_POLL_S = 0.5
#: batch states after which nothing more will arrive
FINISHED = frozenset({"completed", "expired", "failed", "cancelled"})

Provider = Literal["batches", "files"]


# --- the state file ---------------------------------------------------------------------


class Shard(BaseModel):
    """One request file and the provider batch running it."""

    file: str
    requests: int
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str = "written"
    #: provider's request counts: completed, failed, total
    counts: dict[str, int] = Field(default_factory=dict)
    output_file_id: str | None = None
    error_file_id: str | None = None
    collected: bool = False


class Round(BaseModel):
    """The requests still unanswered when it was planned: the first round, then follow-ups."""

    number: int
    shards: list[Shard] = Field(default_factory=list)

    @property
    def finished(self) -> bool:
        return all(s.status in FINISHED or s.batch_id is None for s in self.shards)


class BatchState(BaseModel):
    """Everything ``status`` and ``collect`` need, in ``<output>.batch/state.json``.

    ``spec`` is the run's :class:`~claimx.runs.spec.RunSpec`, whole (the key as a
    reference: the state file never holds it): ``collect`` rebuilds the submit's
    extractor from it, so the answers are validated and the results written with
    exactly the options they were asked with.
    """

    version: int = STATE_VERSION
    spec: RunSpec
    provider: Provider = "batches"
    rounds: list[Round] = Field(default_factory=list)
    #: tokens of the answers collected so far (each answer counted once)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    answered: int = 0
    done: bool = False

    @property
    def current(self) -> Round | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def output(self) -> str:
        """The results file (its ``.batch`` folder holds this state)."""
        assert self.spec.run.output is not None
        return str(self.spec.run.output)

    @property
    def paths(self) -> list[str]:
        return [str(p) for p in self.spec.inputs]

    @property
    def model(self) -> str:
        return self.spec.client.model

    @property
    def base_url(self) -> str | None:
        return self.spec.client.base_url


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 state (claimx before the run spec) as a version-2 one.

    Its fields were the spec's, taken apart; the key was read from
    ``$OPENAI_API_KEY`` then, so it is referred to there now.
    """
    if data.get("version") != 1:
        return data
    client = ClientConfig(model=data["model"], base_url=data.get("base_url"), mode=data["mode"])
    spec = RunSpec(
        prompt=data["prompt"],
        prompt_hash=data["prompt_hash"],
        client=client,
        api_key=SecretRef(env=DEFAULT_KEY_ENV),
        extract=ExtractOptions(
            context_tokens=data["context_tokens"], keep_ungrounded=data["keep_ungrounded"]
        ),
        run=RunOptions(output=Path(data["output"])),
        inputs=tuple(Path(p) for p in data["paths"]),
        provider=ProviderSettings(upload=data.get("provider", "batches") == "batches"),
    )
    kept = ("provider", "rounds", "prompt_tokens", "completion_tokens", "answered", "done")
    return {"version": STATE_VERSION, "spec": spec, **{k: data[k] for k in kept if k in data}}


def batch_dir(output: Path) -> Path:
    """Where the state, the request shards and the downloaded answers of ``output`` live."""
    return output.with_name(output.name + ".batch")


def state_path(output: Path) -> Path:
    return batch_dir(output) / "state.json"


def load_state(output: Path) -> BatchState:
    """The state of the batch run writing ``output``; :class:`ConfigError` when there is none."""
    path = state_path(output)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BatchState.model_validate(_migrate(data))
    except FileNotFoundError:
        raise ConfigError(
            f"no batch run for {output} ({path} does not exist): start one with"
            f" 'claimx batch submit CORPUS -o {output}'"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a claimx batch state file: {exc}") from None


def save_state(state: BatchState) -> None:
    """Write the state atomically (a reader or a crash never sees half a file), owner-only."""
    try:
        replace_private(state_path(Path(state.output)), state.model_dump_json(indent=2))
    except OSError as exc:
        raise OutputError(
            f"cannot write {state_path(Path(state.output))}: {exc.strerror}; free space (or fix"
            " the mount) and run the same command again"
        ) from None


def batch_discount(base_url: str | None) -> float:
    """The batch discount of the provider at ``base_url`` (None: OpenAI's own API)."""
    host = urlparse(base_url).hostname if base_url else "api.openai.com"
    return BATCH_DISCOUNTS.get(host or "", 0.0)


@dataclass(frozen=True)
class Cost:
    """Tokens and their price: list, and with the batch discount."""

    prompt_tokens: int
    completion_tokens: int
    list_usd: float | None
    batch_usd: float | None
    discount: float

    def describe(self) -> str:
        tokens = f"{self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion tokens"
        if self.list_usd is None or self.batch_usd is None:
            return f"{tokens} (no price known for this model)"
        return (
            f"{tokens}: ${self.batch_usd:.4f} at the batch price"
            f" (list ${self.list_usd:.4f}, {self.discount:.0%} off)"
        )


def state_cost(state: BatchState) -> Cost:
    """What the answers collected so far cost (an estimate: see :mod:`claimx.llm.pricing`)."""
    discount = batch_discount(state.base_url) if state.provider == "batches" else 0.0
    listed = (
        estimate_cost(state.model, state.prompt_tokens, state.completion_tokens)
        if is_priced(state.model)
        else None
    )
    return Cost(
        state.prompt_tokens,
        state.completion_tokens,
        listed,
        None if listed is None else listed * (1 - discount),
        discount,
    )


# --- enumerating the requests -----------------------------------------------------------


def request_body(config: ClientConfig, request: PlannedRequest) -> dict[str, Any]:
    """The chat-completions body instructor posts for ``request`` (same mode, same schema).

    instructor builds the schema part anew for every call (milliseconds of
    JSON-schema generation); it depends on the response model and the
    parameters, not on the messages, so it is built once per response model
    and reused, unless the mode rewrites the messages themselves (``md_json``,
    ``json`` add the schema to them), which is then asked every time.
    """
    from instructor.processing.response import handle_response_model

    slot = (request.response_model, request.max_tokens, config.model, config.mode)
    template = _BODY_TEMPLATES.get(slot)
    if template is not None:
        return {**template, "messages": request.messages}
    _, body = handle_response_model(
        request.response_model,
        mode=instructor_mode(config),
        messages=request.messages,
        model=config.model,
        temperature=config.temperature,
        seed=config.seed,
        max_tokens=request.max_tokens,
    )
    if body.get("messages") == request.messages and slot not in _BODY_TEMPLATES:
        if len(_BODY_TEMPLATES) >= 128:  # a staged prompt has a model per request: bounded
            _BODY_TEMPLATES.pop(next(iter(_BODY_TEMPLATES)))
        _BODY_TEMPLATES[slot] = {k: v for k, v in body.items() if k != "messages"}
    return body


#: the message-independent part of request bodies, per (response model, max_tokens, model, mode)
_BODY_TEMPLATES: dict[tuple[type[BaseModel], int, str, str], dict[str, Any]] = {}


def batch_line(custom_id: str, body: dict[str, Any]) -> str:
    """One line of a batch input file (OpenAI's and vLLM's format)."""
    line = {"custom_id": custom_id, "method": "POST", "url": BATCH_URL, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


class ShardWriter:
    """Request lines into ``requests-r<round>-<n>.jsonl`` files, a new one at either limit.

    A request asked by two articles (a paragraph repeated across a corpus) is
    written once per shard; only the ids of the open shard are remembered, so
    memory is bounded by the shard size, not the corpus (a duplicate in two
    shards is answered twice and stored once).
    """

    def __init__(
        self, folder: Path, round_number: int, *, max_requests: int, max_bytes: int
    ) -> None:
        self.folder = folder
        self.round_number = round_number
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.shards: list[Shard] = []
        self._handle: Any = None
        self._ids: set[str] = set()
        self._bytes = 0

    def write(self, custom_id: str, line: str) -> None:
        if custom_id in self._ids:
            return
        data = line.encode("utf-8")
        if self._handle is None or (
            len(self._ids) >= self.max_requests or self._bytes + len(data) > self.max_bytes
        ):
            self._open()
        self._handle.write(data)
        self._ids.add(custom_id)
        self._bytes += len(data)
        self.shards[-1].requests += 1

    def _open(self) -> None:
        self.close()
        name = f"requests-r{self.round_number}-{len(self.shards) + 1:03d}.jsonl"
        self._handle = open_private(self.folder / name, "wb")
        self.shards.append(Shard(file=name, requests=0))
        self._ids = set()
        self._bytes = 0

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


# --- the answers table ------------------------------------------------------------------


class Answers:
    """Downloaded output and error lines by ``custom_id`` (SQLite, so memory stays flat).

    Writes are committed in one transaction per ingested file and per pass
    over the corpus (a commit per answer would cost a disk sync each): a crash
    loses only marks that the next collect makes again.
    """

    def __init__(self, path: Path) -> None:
        os.close(open_private_fd(path, os.O_RDWR))  # answers: owner-only, as the cache
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS answers (custom_id TEXT PRIMARY KEY,"
            " body TEXT, error TEXT, state TEXT NOT NULL, reasks INTEGER NOT NULL DEFAULT 0)"
        )

    def ingest(self, lines: Iterable[str]) -> tuple[int, int, int]:
        """Store output/error lines; returns (new answers, their prompt, completion tokens)."""
        new = prompt_tokens = completion_tokens = 0
        for raw in lines:
            if not raw.strip():
                continue
            line = json.loads(raw)
            custom_id = str(line.get("custom_id"))
            response = line.get("response") or {}
            body = response.get("body")
            if response.get("status_code") == 200 and isinstance(body, dict) and body:
                row = self.db.execute(
                    "SELECT body FROM answers WHERE custom_id = ?", (custom_id,)
                ).fetchone()
                blob = json.dumps(body, ensure_ascii=False)
                if row is not None and row[0] == blob:
                    continue  # collected before: count its tokens once
                self.db.execute(
                    "INSERT INTO answers (custom_id, body, state) VALUES (?, ?, 'new')"
                    " ON CONFLICT(custom_id) DO UPDATE SET body = excluded.body, state = 'new'",
                    (custom_id, blob),
                )
                usage = body.get("usage") or {}
                new += 1
                prompt_tokens += int(usage.get("prompt_tokens") or 0)
                completion_tokens += int(usage.get("completion_tokens") or 0)
            else:
                error = line.get("error") or {"status_code": response.get("status_code")}
                self.db.execute(
                    "INSERT INTO answers (custom_id, error, state) VALUES (?, ?, 'failed')"
                    " ON CONFLICT(custom_id) DO UPDATE SET error = excluded.error"
                    " WHERE state != 'new'",
                    (custom_id, json.dumps(error, ensure_ascii=False)),
                )
        self.db.commit()
        return new, prompt_tokens, completion_tokens

    def get(self, custom_id: str) -> tuple[str | None, str | None, str, int] | None:
        row = self.db.execute(
            "SELECT body, error, state, reasks FROM answers WHERE custom_id = ?", (custom_id,)
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2], int(row[3]))

    def mark(self, custom_id: str, state: str, error: str | None = None) -> None:
        reask = 1 if state == "invalid" else 0
        self.db.execute(
            "UPDATE answers SET state = ?, error = coalesce(?, error), reasks = reasks + ?"
            " WHERE custom_id = ?",
            (state, error, reask, custom_id),
        )

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def validate_answer(
    config: ClientConfig, request: PlannedRequest, body: dict[str, Any]
) -> tuple[BaseModel, Any, Usage]:
    """Parse and validate a batch answer exactly as instructor does a live one.

    Returns (value, completion, usage); raises whatever instructor raises for
    invalid output (a validation error, a truncated answer).
    """
    from instructor.processing.response import process_response
    from openai.types.chat import ChatCompletion

    completion = ChatCompletion.model_validate(body)
    value = process_response(
        completion,
        response_model=request.response_model,
        stream=False,
        mode=instructor_mode(config),
    )
    usage = completion.usage
    return (
        value,
        completion,
        Usage(
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            calls=1,
        ),
    )


def reask_body(
    config: ClientConfig, request: PlannedRequest, answer: dict[str, Any], error: str
) -> dict[str, Any]:
    """The follow-up request for an invalid answer: instructor's re-ask for this mode."""
    from instructor.processing.response import handle_reask_kwargs
    from openai.types.chat import ChatCompletion

    body = request_body(config, request)
    return handle_reask_kwargs(
        body,
        mode=instructor_mode(config),
        response=ChatCompletion.model_validate(answer),
        exception=ValueError(error),
    )


# --- the steps --------------------------------------------------------------------------


@dataclass
class Tally:
    """What a pass over the corpus' requests found."""

    requests: int = 0
    #: answered (in the cache), before or by this pass
    answered: int = 0
    #: newly validated into the cache by this pass
    validated: int = 0
    #: answers that failed validation (re-asked in the next round, or live)
    invalid: int = 0
    #: answers still invalid after ``validation_retries`` re-asks: only a live run
    #: (``collect --live``, with instructor's own re-ask loop) can finish them
    given_up: int = 0
    #: written to the next round's shards
    pending: int = 0
    shards: list[Shard] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every request answered: the results can be written without a model call."""
        return self.pending == 0 and self.given_up == 0


def extractor_for(state: BatchState) -> Extractor:
    """The extractor of a batch run, as its spec says (the prompt's hash checked).

    A run answered entirely from the cache makes no call, so a missing key is no
    error here; it only matters for a live finish (which then fails as an
    authentication error).
    """
    try:
        return state.spec.extractor(require_key=False)
    except PromptError as exc:
        raise ConfigError(
            f"{exc}. The batch's answers no longer match the requests: submit a new batch"
        ) from None


def plan_round(
    extractor: Extractor,
    state: BatchState,
    cache: ResponseCache,
    *,
    answers: Answers | None = None,
    max_requests: int = MAX_REQUESTS_PER_BATCH,
    max_bytes: int = MAX_BYTES_PER_BATCH,
) -> Tally:
    """One pass over the corpus: validate downloaded answers, write what is still unanswered.

    Every request is looked up in the cache; a downloaded answer is validated
    into it; an invalid one is re-asked (its follow-up line carries the re-ask
    messages) up to the client's ``validation_retries``. The unanswered rest
    goes to the new round's shards, which are added to ``state`` when there are any.
    """
    config = extractor.config
    folder = private_dir(batch_dir(Path(state.output)))
    number = len(state.rounds) + 1
    writer = ShardWriter(folder, number, max_requests=max_requests, max_bytes=max_bytes)
    tally = Tally()
    try:
        for request in iter_requests(extractor, state.spec.inputs, glob=state.spec.run.glob):
            tally.requests += 1
            if cache.get(request.key, request.response_model) is not None:
                tally.answered += 1
                continue
            line = _pending_line(config, request, cache, answers, tally)
            if line is not None:
                writer.write(request.key, line)
                tally.pending += 1
    finally:
        writer.close()
    tally.shards = [s for s in writer.shards if s.requests]
    if tally.shards:
        state.rounds.append(Round(number=number, shards=tally.shards))
    state.answered = tally.answered
    return tally


def _pending_line(
    config: ClientConfig,
    request: PlannedRequest,
    cache: ResponseCache,
    answers: Answers | None,
    tally: Tally,
) -> str | None:
    """The next-round line of an unanswered request (None: validated now, or given up)."""
    found = answers.get(request.key) if answers is not None else None
    if found is None or found[0] is None:
        return batch_line(request.key, request_body(config, request))
    body_json, error, state, reasks = found
    answer = json.loads(body_json or "{}")
    if state in ("new", "valid"):
        try:
            value, completion, usage = validate_answer(config, request, answer)
        except Exception as exc:  # noqa: BLE001 - any invalid output is re-asked, as live
            assert answers is not None
            error = f"{type(exc).__name__}: {exc}"[:4000]
            answers.mark(request.key, "invalid", error)
            reasks += 1
            tally.invalid += 1
        else:
            cache.put(
                request.key, model=config.model, completion=completion, value=value, usage=usage
            )
            assert answers is not None
            answers.mark(request.key, "valid")
            tally.validated += 1
            tally.answered += 1
            return None
    if reasks > config.validation_retries:
        tally.given_up += 1
        return None
    return batch_line(request.key, reask_body(config, request, answer, error or "invalid output"))


def start(
    spec: RunSpec,
    cache: ResponseCache,
    *,
    client: Any = None,
    max_bytes: int = MAX_BYTES_PER_BATCH,
) -> tuple[BatchState, Tally]:
    """Plan the first round for the run ``spec`` and (``spec.provider.upload``) submit it.

    Refuses an output that already has an unfinished batch run: collect it, or
    remove ``<output>.batch/`` to start over.
    """
    output = spec.run.output
    if output is None:
        raise ConfigError("a batch run needs an output file (-o): its state lives beside it")
    if state_path(output).exists() and not load_state(output).done:
        raise ConfigError(
            f"{output} already has a batch run in progress ({batch_dir(output)}): see"
            f" 'claimx batch status -o {output}', or remove that folder to start over"
        )
    extractor = spec.extractor(require_key=False)
    absolute = spec.model_copy(
        update={
            "inputs": tuple(p.resolve() for p in spec.inputs),
            "run": spec.run.model_copy(update={"output": output.resolve()}),
        }
    )
    provider: Provider = "batches" if spec.provider.upload else "files"
    state = BatchState(spec=absolute, provider=provider)
    tally = plan_round(
        extractor, state, cache, max_requests=spec.provider.max_requests, max_bytes=max_bytes
    )
    save_state(state)
    if tally.shards and provider == "batches":
        if client is None:
            raise ConfigError("submitting to a batch API needs a client")
        submit_round(client, state, state.rounds[-1])
    return state, tally


def submit_round(client: Any, state: BatchState, round_: Round) -> None:
    """Upload each shard of ``round_`` and start its batch (``client``: an ``openai.OpenAI``).

    The state is saved after every batch created, so an interrupted submit
    never starts a shard twice when run again.
    """
    folder = batch_dir(Path(state.output))
    for shard in round_.shards:
        if shard.batch_id is not None:
            continue
        try:
            if shard.input_file_id is None:
                with (folder / shard.file).open("rb") as handle:
                    shard.input_file_id = client.files.create(file=handle, purpose="batch").id
                save_state(state)
            batch = client.batches.create(
                input_file_id=shard.input_file_id,
                endpoint=BATCH_URL,
                completion_window="24h",
                metadata={"claimx_output": Path(state.output).name[:500], "shard": shard.file},
            )
        except Exception as exc:
            raise _batch_api_error("submit", exc, state.base_url) from exc
        shard.batch_id = batch.id
        shard.status = batch.status
        save_state(state)


def refresh(client: Any, state: BatchState) -> None:
    """Ask the provider where each batch of the current round stands."""
    round_ = state.current
    if round_ is None:
        return
    for shard in round_.shards:
        if shard.batch_id is None or shard.status in FINISHED:
            continue
        try:
            batch = client.batches.retrieve(shard.batch_id)
        except Exception as exc:
            raise _batch_api_error("status", exc, state.base_url) from exc
        shard.status = batch.status
        counts = batch.request_counts
        if counts is not None:
            shard.counts = {
                "completed": counts.completed,
                "failed": counts.failed,
                "total": counts.total,
            }
        shard.output_file_id = batch.output_file_id
        shard.error_file_id = batch.error_file_id
    save_state(state)


def download(client: Any, state: BatchState, answers: Answers) -> int:
    """Fetch the output and error files of finished, not yet collected batches; new answers."""
    round_ = state.current
    if round_ is None:
        return 0
    folder = batch_dir(Path(state.output))
    new = 0
    for shard in round_.shards:
        if shard.collected or shard.status not in FINISHED:
            continue
        for kind, file_id in (("output", shard.output_file_id), ("errors", shard.error_file_id)):
            if not file_id:
                continue
            target = folder / shard.file.replace("requests-", f"{kind}-")
            try:
                with (
                    client.files.with_streaming_response.content(file_id) as response,
                    open_private(target, "wb") as handle,  # answers: owner-only
                ):
                    for chunk in response.iter_bytes():
                        handle.write(chunk)
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror}") from None
            except Exception as exc:
                raise _batch_api_error("download", exc, state.base_url) from exc
            new += ingest_file(state, answers, target)
        shard.collected = True
        save_state(state)
    return new


def ingest_file(state: BatchState, answers: Answers, path: Path) -> int:
    """Read one output or error file (the provider's or vLLM ``run_batch``'s) into the table."""
    with path.open(encoding="utf-8") as handle:
        try:
            new, prompt_tokens, completion_tokens = answers.ingest(handle)
        except (ValueError, AttributeError) as exc:
            raise ConfigError(f"{path} is not a batch output file: {exc}") from None
    state.prompt_tokens += prompt_tokens
    state.completion_tokens += completion_tokens
    save_state(state)
    return new


@dataclass
class CollectResult:
    """What :func:`collect` did."""

    tally: Tally
    #: the final run's stats, when the output was written
    stats: RunStats | None = None
    cost: Cost | None = None
    waiting: bool = False
    #: a follow-up round was submitted: more answers will come
    resubmitted: bool = False


def finish(
    extractor: Extractor,
    state: BatchState,
    cache: ResponseCache,
    *,
    reporter: Reporter | None = None,
) -> RunStats:
    """Write the output with the ordinary corpus runner; answers come from the cache."""
    return run_spec(
        state.spec,
        extractor=extractor,
        cache=cache,
        reporter=reporter or NullReporter(),
        stdout=sys.stdout,
    )


def collect(
    state: BatchState,
    cache: ResponseCache,
    *,
    client: Any = None,
    files: Sequence[Path] = (),
    live: bool = False,
    resubmit: bool = True,
    reporter: Reporter | None = None,
    max_requests: int | None = None,
) -> CollectResult:
    """Collect finished batches (or vLLM output ``files``), then finish or plan a follow-up.

    With unfinished batches in the current round, it collects what is there and
    returns ``waiting=True``. When every request is answered, or with ``live``,
    the output is written (:func:`finish`). Otherwise the unanswered requests
    form the next round, submitted at once when ``resubmit`` and a ``client``
    are given (the ``batches`` provider).
    """
    extractor = extractor_for(state)
    if state.provider == "files" and not files and not live:
        raise ConfigError(
            "these batch files run outside claimx (vLLM's run_batch): give their output"
            " with --from-file, or finish with --live"
        )
    answers = Answers(batch_dir(Path(state.output)) / "answers.sqlite")
    try:
        round_ = state.current
        if client is not None and round_ is not None:
            if any(s.batch_id is None for s in round_.shards):
                submit_round(client, state, round_)  # an interrupted submit: finish it
            refresh(client, state)
            download(client, state, answers)
        for path in files:
            ingest_file(state, answers, path)
        if client is not None and round_ is not None and not round_.finished and not live:
            tally = Tally()
            return CollectResult(tally, cost=state_cost(state), waiting=True)
        limit = max_requests or state.spec.provider.max_requests
        tally = plan_round(extractor, state, cache, answers=answers, max_requests=limit)
    finally:
        answers.close()
    result = CollectResult(tally, cost=state_cost(state))
    if tally.complete or live:
        # the planned round is not needed: its requests are asked live (or there are none)
        if tally.shards:
            state.rounds.pop()
        result.stats = finish(extractor, state, cache, reporter=reporter)
        state.done = True
    elif resubmit and client is not None and state.provider == "batches" and tally.shards:
        current = state.current
        assert current is not None
        submit_round(client, state, current)
        result.resubmitted = True
    save_state(state)
    return result


def collect_until_done(
    state: BatchState,
    cache: ResponseCache,
    *,
    client: Any,
    poll_s: float,
    live: bool = False,
    reporter: Reporter | None = None,
    on_wait: Callable[[BatchState], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CollectResult:
    """Collect, and submit follow-ups, until every request is answered (the results then
    written) or nothing more can come from the batch API.

    That is ``collect --wait``: a batch that expired, lines that failed and answers
    that did not validate go into follow-up rounds, each waited for in turn (one
    collect waited for one round only, issue 25). It stops without results when
    answers are still invalid after the re-asks (only ``--live`` can finish those)
    or when the batch files run outside claimx. ``on_wait`` hears of every poll.
    """
    # The first looks come soon (a small batch, a local provider, finish in seconds),
    # then every poll_s: a 24-hour batch is not asked about every second.
    pause = min(FIRST_POLL_S, poll_s)
    while True:
        result = collect(state, cache, client=client, live=live, reporter=reporter)
        if result.stats is not None or not (result.waiting or result.resubmitted):
            return result
        if on_wait is not None:
            on_wait(state)
        sleep(pause)
        pause = min(pause * 2, poll_s)


def _batch_api_error(step: str, exc: Exception, base_url: str | None) -> LLMError:
    """What a failed call of the batch API means, in words a user can act on.

    A server without the batch API answers 404 on ``/v1/files``, or (some local
    servers) drops the connection; both are told apart from an endpoint that is
    down by a health probe, so "Connection error." never stands for either.
    """
    import openai

    from claimx.llm.server import endpoint_answers

    url = base_url or "https://api.openai.com/v1"
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return AuthenticationError(
            f"batch {step}: the endpoint at {url} refused the API key: check OPENAI_API_KEY",
            original=exc,
        )
    missing = isinstance(exc, openai.NotFoundError) or (
        isinstance(exc, openai.APIStatusError) and exc.status_code == 405
    )
    if isinstance(exc, openai.APIConnectionError) and not missing:
        why = endpoint_answers(url)
        if why is not None:
            return ServerUnreachableError(
                f"batch {step}: cannot reach the endpoint at {url} ({why}): is the server"
                " running? Then run the command again",
                original=exc,
            )
        missing = True  # it answers a plain GET, yet dropped the batch API's request
    if missing:
        how = "404" if isinstance(exc, openai.APIStatusError) else "dropped the connection"
        return LLMError(
            f"batch {step}: the endpoint at {url} has no batch API (/v1/files and /v1/batches:"
            f" {how}): run 'claimx extract' against it live, or write the batch files with"
            " 'claimx batch submit --no-upload' for vLLM's run_batch",
            original=exc,
        )
    return LLMError(
        f"batch {step} failed: {type(exc).__name__}: {exc}; check the provider implements"
        " /v1/files and /v1/batches and the API key may use them, then run the command again",
        original=exc,
    )


__all__ = [
    "BATCH_DISCOUNTS",
    "MAX_BYTES_PER_BATCH",
    "MAX_REQUESTS_PER_BATCH",
    "Answers",
    "BatchState",
    "CollectResult",
    "Cost",
    "PlannedRequest",
    "RequestRecorder",
    "Round",
    "Shard",
    "Tally",
    "article_requests",
    "batch_dir",
    "batch_discount",
    "batch_line",
    "collect",
    "collect_until_done",
    "extractor_for",
    "finish",
    "iter_requests",
    "load_state",
    "plan_round",
    "request_body",
    "save_state",
    "state_cost",
    "state_path",
    "start",
    "submit_round",
    "validate_answer",
]
