"""What hangs on a model call without being part of it, each a layer around a :class:`Model`.

Every layer implements :class:`~claimx.llm.protocol.Model` itself and holds the
model it wraps, so they stack in any order a caller needs and a pipeline sees
one model. :func:`open_model` builds the stack claimx uses::

    CachedModel(FailureDump(RequestLimit(LLM(config))))     # the cache only when one is given

* :class:`CachedModel` answers from a :class:`~claimx.llm.cache.ResponseCache`
  when it can (``cached=True``, zero ``usage``, the original call's usage as
  ``cached_usage``) and stores every validated answer;
* :class:`FailureDump` saves the raw output of an answer that did not validate,
  with the request that produced it, so nothing the model said is lost
  (``ClientConfig.failures_dir``, by default ``$CLAIMX_CACHE/failures/``,
  i.e. ``~/.cache/claimx/failures/``; the error's ``raw_output_path`` names the file);
* :class:`UsageMeter` adds up what the calls through it cost (made and cached
  apart) and tells a listener after each call (progress bars);
* :class:`RequestLimit` keeps at most ``limit`` calls in flight, however many
  tasks ask (a run's articles, and the independent requests of each).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from claimx.errors import ExtractionError
from claimx.llm.cache import ResponseCache, request_key
from claimx.llm.config import ClientConfig
from claimx.llm.private import write_private
from claimx.llm.protocol import ClosableModel, Completion, Model
from claimx.models import Usage

T = TypeVar("T", bound=BaseModel)


class Layer:
    """A model wrapping another one; :meth:`aclose` closes the inner model.

    Subclasses add their concern in :meth:`through`, around :meth:`proceed`.
    """

    def __init__(self, inner: Model) -> None:
        self.inner = inner

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """One structured call, through this layer."""
        return await self.through(messages, response_model, max_tokens)

    async def through(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> Completion[T]:
        """This layer's part of a call (by default none: straight to the inner model)."""
        return await self.proceed(messages, response_model, max_tokens)

    async def proceed(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> Completion[T]:
        """The call to the inner model."""
        return await self.inner.complete(messages, response_model, max_tokens=max_tokens)

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()


class CachedModel(Layer):
    """Answers from ``cache`` when the same request was answered before (see module doc)."""

    def __init__(self, inner: Model, cache: ResponseCache, config: ClientConfig) -> None:
        super().__init__(inner)
        self.cache = cache
        self.config = config

    async def through(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> Completion[T]:
        started = time.perf_counter()
        limit = max_tokens or self.config.max_tokens
        key = request_key(self.config, messages, response_model, limit)
        if (hit := self.cache.get(key, response_model)) is not None:
            return Completion(
                value=hit.value,
                usage=Usage(),
                raw=hit.raw,
                latency_s=time.perf_counter() - started,
                cached=True,
                cached_usage=hit.usage,
            )
        answer = await self.proceed(messages, response_model, max_tokens)
        if not answer.cached:
            self.cache.put(
                key,
                model=self.config.model,
                completion=answer.response,
                value=answer.value,
                usage=answer.usage,
            )
        return answer


class FailureDump(Layer):
    """Saves the raw output of an answer that did not validate into ``folder``.

    The error raised is the inner one, with the file named in its message and
    in ``raw_output_path``.
    """

    def __init__(self, inner: Model, folder: Path, *, model: str) -> None:
        super().__init__(inner)
        self.folder = folder
        self.model = model

    async def through(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> Completion[T]:
        try:
            return await self.proceed(messages, response_model, max_tokens)
        except ExtractionError as exc:
            if exc.raw_output is None or exc.raw_output_path is not None:
                raise
            try:
                path = self.save(messages, exc.raw_output)
            except OSError as failed:
                # the answer's own error stays the article's; the dump's names its file
                where = failed.filename or self.folder
                raise type(exc)(
                    f"{exc} Its raw output could not be saved to {where}: {failed.strerror}",
                    raw_output=exc.raw_output,
                    attempts=exc.attempts,
                ) from exc
            raise type(exc)(
                f"{exc} Raw output saved to {path}",
                raw_output=exc.raw_output,
                raw_output_path=path,
                attempts=exc.attempts,
                usage=exc.usage,
            ) from exc

    def save(self, messages: list[dict[str, str]], raw: str) -> Path:
        """Keep the raw answer and the request that produced it, so nothing is lost.

        Owner-only (0600 in a 0700 folder): it holds the article and the answer
        (:mod:`claimx.llm.private`).
        """
        digest = hashlib.sha256(json.dumps(messages).encode()).hexdigest()[:12]
        path = self.folder / f"{time.strftime('%Y%m%dT%H%M%S')}-{digest}.json"
        record = {"model": self.model, "messages": messages, "raw_output": raw}
        write_private(path, json.dumps(record, ensure_ascii=False, indent=2))
        return path


@dataclass
class Metered:
    """What the calls through a :class:`UsageMeter` cost so far."""

    #: the calls made (tokens the endpoint reported)
    usage: Usage = field(default_factory=Usage)
    #: answers served from the cache, and what their calls cost when they were made
    cached_answers: int = 0
    cached_usage: Usage = field(default_factory=Usage)


class UsageMeter(Layer):
    """Adds up the usage of every call through it (failed ones too); ``on_call`` hears of
    each answer."""

    def __init__(
        self, inner: Model, *, on_call: Callable[[Completion[BaseModel]], None] | None = None
    ) -> None:
        super().__init__(inner)
        self.metered = Metered()
        self.on_call = on_call

    async def through(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> Completion[T]:
        metered = self.metered
        try:
            answer = await self.proceed(messages, response_model, max_tokens)
        except ExtractionError as exc:
            # The calls were made even though no answer validated: they count.
            metered.usage = metered.usage + (exc.usage or Usage(calls=max(exc.attempts, 1)))
            raise
        metered.usage = metered.usage + answer.usage
        if answer.cached:
            metered.cached_answers += 1
            metered.cached_usage = metered.cached_usage + (answer.cached_usage or Usage())
        if self.on_call is not None:
            self.on_call(answer)  # type: ignore[arg-type]
        return answer


class RequestLimit(Layer):
    """At most ``limit`` calls through it at once; the others wait their turn, in order.

    Below the cache, so an answer from the cache never waits for a call to end.
    """

    def __init__(self, inner: Model, limit: int) -> None:
        super().__init__(inner)
        if limit < 1:
            raise ValueError(f"a request limit is at least 1, got {limit}")
        self.limit = limit
        self._slots = asyncio.Semaphore(limit)

    async def through(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> Completion[T]:
        async with self._slots:
            return await self.proceed(messages, response_model, max_tokens)


def open_model(
    config: ClientConfig, *, cache: ResponseCache | None = None, max_requests: int = 1
) -> ClosableModel:
    """The model claimx calls for ``config``: the client, at most ``max_requests`` calls in
    flight, its failure dump, the cache if any."""
    from claimx.llm.client import LLM  # the SDKs are imported when a model is really built

    limited = RequestLimit(LLM(config), max_requests)
    model: Layer = FailureDump(limited, config.failures_dir, model=config.model)
    if cache is not None:
        model = CachedModel(model, cache, config)
    return model
