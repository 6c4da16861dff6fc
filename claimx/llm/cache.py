"""A SQLite cache of validated model responses, so a re-run makes no model calls.

The key is a sha256 over everything that shapes the answer and nothing that
does not (:func:`request_key`):

* the endpoint (``base_url``, normalised: :attr:`ClientConfig.endpoint`), the
  model name, the instructor mode and the instructor version (it shapes the
  request body sent for a mode);
* the rendered chat messages: the prompt version's system text, few-shot
  examples and user template with the article (or chunk, or paragraph) in it,
  so the prompt's content and the article text are both covered, whatever the
  prompt version is called;
* the answer schema (``response_model.model_json_schema()``), temperature,
  seed and max_tokens.

:class:`~claimx.llm.layers.CachedModel` is the layer that asks this cache before
the model and fills it after.

The endpoint is in the key because a model name alone does not say which model
answers: llama-server calls every GGUF ``local``, so ``--model local`` on
another server must not be served the first server's answers. Not in the key:
the API key (it does not shape the answer).

Only answers that validated are stored, never failures, so a failed article is
asked again on the next run. A row holds the raw completion as the endpoint
sent it (JSON), the validated value (JSON) and the token usage of the call
that produced it.

The database is ``$CLAIMX_CACHE/responses.sqlite`` (by default
``~/.cache/claimx/``; ``claimx extract --cache-dir`` or ``--no-cache``). A
result whose answers came from the cache says ``cached: true``; its ``usage``
counts only the calls made, and what the cached answers cost when they were
made is kept apart in ``cached_usage``. From Python:
``claimx.extract(text, cache=ResponseCache.open())``.

The file, its WAL and the folder claimx creates for it are readable by their
owner only (:mod:`claimx.llm.private`). The database runs in WAL mode:
readers never block the writer, several claimx
processes can share one cache, and a process killed mid-write leaves the last
committed rows intact (SQLite is crash-safe; an interrupted transaction is
rolled back on the next open). Commits do not fsync (``synchronous=NORMAL``):
a power cut may lose the newest rows, which only costs their model calls again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from claimx.errors import ConfigError
from claimx.llm.config import ClientConfig, default_cache_dir
from claimx.llm.private import open_private_fd
from claimx.models import Usage

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

#: bump when the key recipe or the stored row format changes: old rows then just miss
CACHE_FORMAT = 2
CACHE_FILENAME = "responses.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    created_at REAL NOT NULL,
    completion TEXT NOT NULL,
    value TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL
)
"""


@functools.cache
def _instructor_version() -> str:
    # The version from the installed metadata: importing instructor costs a second.
    from importlib.metadata import version

    return version("instructor")


@functools.lru_cache(maxsize=128)
def _schema_of(model: type[BaseModel]) -> Any:
    # Building a JSON schema costs far more than the lookup it keys. Bounded: a staged
    # prompt builds a model per request, and a corpus must not keep them all alive.
    return model.model_json_schema()


def request_key(
    config: ClientConfig,
    messages: list[dict[str, str]],
    response_model: type[BaseModel],
    max_tokens: int,
) -> str:
    """The cache key of one structured request: sha256 hex (see the module docstring)."""
    payload = {
        "format": CACHE_FORMAT,
        "instructor": _instructor_version(),
        "endpoint": config.endpoint,
        "model": config.model,
        "mode": config.mode,
        "temperature": config.temperature,
        "seed": config.seed,
        "max_tokens": max_tokens,
        "schema": _schema_of(response_model),
        "messages": messages,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class CachedAnswer(Generic[T]):
    """A validated answer read back from the cache, and what it cost when it was made."""

    value: T
    raw: str
    usage: Usage


@dataclass
class CacheStats:
    """Lookups of this cache object since it was opened."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    #: lookups or stores that failed (disk full, locked too long): the run went on
    errors: int = 0


class ResponseCache:
    """Validated model responses in one SQLite file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the cache file; :class:`ConfigError` if it cannot be used."""
        self.path = path
        try:
            # Owner-only (it holds every answer): the file is made 0600 before SQLite
            # opens it, and SQLite gives its -wal and -shm files the database's mode.
            os.close(open_private_fd(path, os.O_RDWR))
            # One connection, used from the event loop's thread only; claimx awaits
            # nothing while holding it, so no two coroutines interleave inside a call.
            self._db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot use the response cache at {path}: {exc}; pass another --cache-dir"
                " (or set CLAIMX_CACHE), or run with --no-cache"
            ) from exc
        self.stats = CacheStats()

    @classmethod
    def open(cls, directory: Path | None = None) -> ResponseCache:
        """The cache file in ``directory``, by default ``default_cache_dir()``."""
        return cls((directory or default_cache_dir()) / CACHE_FILENAME)

    def get(self, key: str, response_model: type[T]) -> CachedAnswer[T] | None:
        """The stored answer for ``key``, validated again as ``response_model``; else None."""
        try:
            row = self._db.execute(
                "SELECT completion, value, prompt_tokens, completion_tokens FROM responses"
                " WHERE key = ?",
                (key,),
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed("read", exc)
            row = None
        if row is None:
            self.stats.misses += 1
            return None
        completion, value, prompt_tokens, completion_tokens = row
        try:
            parsed = response_model.model_validate_json(value)
        except ValidationError:
            # The schema is in the key, so this means a hand-edited or foreign row: ask again.
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, calls=1)
        return CachedAnswer(value=parsed, raw=_content_of(completion), usage=usage)

    def put(self, key: str, *, model: str, completion: Any, value: BaseModel, usage: Usage) -> None:
        """Store a validated answer (last writer wins: equal keys mean equal requests)."""
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    model,
                    time.time(),
                    _completion_json(completion),
                    value.model_dump_json(),
                    usage.prompt_tokens,
                    usage.completion_tokens,
                ),
            )
        except sqlite3.Error as exc:
            # The answer itself is fine: losing its cache row only costs a call next time.
            self._failed("write", exc)
            return
        self.stats.writes += 1

    def _failed(self, what: str, exc: sqlite3.Error) -> None:
        if not self.stats.errors:
            logger.warning(
                "response cache %s: cannot %s (%s); going on without it", self.path, what, exc
            )
        self.stats.errors += 1

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _completion_json(completion: Any) -> str:
    if isinstance(completion, BaseModel):
        return completion.model_dump_json()
    try:
        return json.dumps(completion)
    except (TypeError, ValueError):
        return json.dumps({"repr": repr(completion)})


def _content_of(completion_json: str) -> str:
    """The message text of a stored completion (what :attr:`Completion.raw` holds)."""
    try:
        message = json.loads(completion_json)["choices"][0]["message"]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""
    if message.get("content"):
        return str(message["content"])
    calls = message.get("tool_calls") or []
    return str(calls[0]["function"]["arguments"]) if calls else ""
