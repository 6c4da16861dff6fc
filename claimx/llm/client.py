"""The provider boundary: every model call goes through :class:`LLM`.

One place owns the retry policy and the translation of SDK errors:

* transient failures (timeouts, connection resets, HTTP 429 and 5xx) are
  retried with tenacity: exponential backoff with jitter, bounded, honouring a
  ``Retry-After`` header on 429;
* output that does not validate is re-asked by instructor with the validation
  error, ``validation_retries`` times;
* whatever still fails becomes one of the :mod:`claimx.errors` types, with the
  SDK exception as ``original`` and, for invalid output, the raw text saved to
  ``failures_dir``.

The openai client's own retries are off (``max_retries=0``) so the policy
lives here only, and a replayed cassette that misses fails at once.

A ``Retry-After`` on a 429 pauses every request of the :class:`LLM`, not just
the one that got it: at ``--concurrency 64`` the other 63 would otherwise keep
hitting a server that asked for a break and burn their retries.

With a :class:`~claimx.llm.cache.ResponseCache`, :meth:`LLM.complete` answers from
the cache when it can (the returned :class:`Completion` says ``cached=True``
and its usage is zero: no call was made) and stores every validated answer.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from claimx import cassettes
from claimx.errors import (
    AuthenticationError,
    CassetteMissError,
    ExtractionError,
    LLMError,
    LLMTimeoutError,
    RateLimitedError,
    ServerError,
    ServerUnreachableError,
    TruncatedOutputError,
)
from claimx.llm.cache import ResponseCache, request_key
from claimx.llm.config import ClientConfig
from claimx.llm.protocol import Completion
from claimx.models import Usage

T = TypeVar("T", bound=BaseModel)

# instructor logs every failed attempt at ERROR level; claimx raises a typed
# error with the same facts instead, so keep those lines off the user's terminal.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False


class _Transient(Exception):
    """Internal: a retryable failure, carrying the SDK error."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def _retry_after(exc: BaseException) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if isinstance(exc, openai.APIStatusError):
        value = exc.response.headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
    return None


class LLM:
    """An async structured-output client for one :class:`ClientConfig`.

    Share one instance between concurrent tasks: it holds one connection pool,
    and the ``Retry-After`` pause applies to all of them.
    """

    def __init__(self, config: ClientConfig, *, cache: ResponseCache | None = None) -> None:
        self.config = config
        self.cache = cache
        self._client: instructor.AsyncInstructor | None = None
        #: monotonic time before which no attempt starts (set by a 429's Retry-After)
        self._paused_until = 0.0

    @property
    def client(self) -> instructor.AsyncInstructor:
        # Created lazily: the underlying HTTP pool belongs to the running event loop.
        if self._client is None:
            raw = openai.AsyncOpenAI(
                base_url=self.config.base_url,
                api_key=self.config.resolved_api_key(),
                timeout=self.config.timeout_s,
                max_retries=0,
            )
            self._client = instructor.from_openai(raw, mode=self.config.instructor_mode)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.client.close()  # type: ignore[union-attr]
            self._client = None

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """One structured call, with the whole retry policy. Raises ClaimxError subtypes."""
        started = time.perf_counter()
        key = None
        if self.cache is not None:
            key = request_key(
                self.config, messages, response_model, max_tokens or self.config.max_tokens
            )
            if (hit := self.cache.get(key, response_model)) is not None:
                return Completion(
                    value=hit.value,
                    usage=Usage(),
                    raw=hit.raw,
                    latency_s=time.perf_counter() - started,
                    cached=True,
                )
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Transient),
            wait=self._wait,
            stop=stop_after_attempt(self.config.transient_retries + 1),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    if (pause := self._paused_until - time.monotonic()) > 0:
                        await asyncio.sleep(pause)
                    value, completion = await self._attempt(messages, response_model, max_tokens)
        except _Transient as exc:
            raise _translate(exc.original) from exc.original
        usage = _usage(completion)
        if self.cache is not None and key is not None:
            self.cache.put(
                key, model=self.config.model, completion=completion, value=value, usage=usage
            )
        return Completion(
            value=value,
            usage=usage,
            raw=_raw_text(completion),
            latency_s=time.perf_counter() - started,
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        original = exc.original if isinstance(exc, _Transient) else None
        if original is not None and (hint := _retry_after(original)) is not None:
            wait = min(hint, self.config.backoff_max_s)
            self._paused_until = max(self._paused_until, time.monotonic() + wait)
            return wait
        return float(wait_random_exponential(multiplier=0.5, max=self.config.backoff_max_s)(state))

    async def _attempt(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> tuple[T, Any]:
        cfg = self.config
        try:
            return await self.client.chat.completions.create_with_completion(
                model=cfg.model,
                messages=messages,  # type: ignore[arg-type]
                response_model=response_model,
                max_retries=cfg.validation_retries,
                temperature=cfg.temperature,
                seed=cfg.seed,
                max_tokens=max_tokens or cfg.max_tokens,
            )
        except IncompleteOutputException as exc:
            raw = _raw_text(exc.last_completion)
            path = self._save_failure(messages, raw)
            raise TruncatedOutputError(
                f"the model stopped at max_tokens={max_tokens or cfg.max_tokens} before finishing"
                f" its JSON; raise max_tokens (prompt params) or use a staged prompt."
                f" Raw output saved to {path}",
                raw_output=raw,
                raw_output_path=path,
                attempts=1,
            ) from exc
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if exc.last_completion is None and isinstance(cause, json.JSONDecodeError):
                # The HTTP body itself did not parse (cut by a proxy or a dying server):
                # there is no model output to re-ask about; retry it like a transport fault.
                raise _Transient(cause) from exc
            if cause is not None and (
                isinstance(cause, openai.APIError) or _is_cassette_miss(cause)
            ):
                if _is_transient(cause):
                    raise _Transient(cause) from exc
                raise _translate(cause) from exc
            raw = _raw_text(exc.last_completion)
            path = self._save_failure(messages, raw)
            raise ExtractionError(
                f"the model's output did not validate after {exc.n_attempts} attempt(s): {cause}."
                f" Raw output saved to {path}",
                raw_output=raw,
                raw_output_path=path,
                attempts=exc.n_attempts,
            ) from exc
        except openai.APIError as exc:
            if _is_transient(exc):
                raise _Transient(exc) from exc
            raise _translate(exc) from exc

    def _save_failure(self, messages: list[dict[str, str]], raw: str) -> Path:
        """Keep the raw answer and the request that produced it, so nothing is lost."""
        folder = self.config.failures_dir
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(json.dumps(messages).encode()).hexdigest()[:12]
        path = folder / f"{time.strftime('%Y%m%dT%H%M%S')}-{digest}.json"
        record = {"model": self.config.model, "messages": messages, "raw_output": raw}
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        return path


def _is_transient(exc: BaseException | None) -> bool:
    if _is_cassette_miss(exc):
        return False
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    return isinstance(exc, openai.APIStatusError) and (
        exc.status_code == 429 or exc.status_code >= 500
    )


def _is_cassette_miss(exc: BaseException | None) -> bool:
    # vcrpy raises inside the HTTP transport; openai re-raises it as a connection error.
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__name__ == "CannotOverwriteExistingCassetteException":
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _translate(exc: BaseException | None) -> LLMError:
    """Map an SDK exception to the claimx error a user can act on."""
    if _is_cassette_miss(exc):
        active = cassettes.active()
        where = f"cassette {active.path}" if active else "the active cassette"
        how = active.rerecord_hint if active else "re-record the cassettes (see README)"
        return CassetteMissError(
            f"no recorded response in {where} matches this request (the prompt, schema,"
            f" model or parameters changed since it was recorded). Re-record with: {how}",
            original=exc,
        )
    if isinstance(exc, json.JSONDecodeError):
        return ServerError(
            f"the endpoint's HTTP response body was not valid JSON after retries ({exc}):"
            " the server or a proxy in front of it cut or garbled it; check their logs",
            original=exc,
        )
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeoutError(
            "the model endpoint timed out after retries; raise timeout_s or check the server load",
            original=exc,
        )
    if isinstance(exc, openai.APIConnectionError):
        url = getattr(getattr(exc, "request", None), "url", "the configured base_url")
        return ServerUnreachableError(
            f"cannot reach the model endpoint at {url}: is the server running?"
            " (local: scripts/local-llm.sh start; or set OPENAI_BASE_URL)",
            original=exc,
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return AuthenticationError(
            "the endpoint refused the API key: check OPENAI_API_KEY", original=exc
        )
    if isinstance(exc, openai.RateLimitError):
        return RateLimitedError(
            "rate limited (HTTP 429) after retries; lower --concurrency or retry later",
            original=exc,
        )
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return ServerError(
            f"the endpoint failed with HTTP {exc.status_code} after retries", original=exc
        )
    if isinstance(exc, openai.NotFoundError):
        return LLMError(
            f"the endpoint does not know this model or path: {exc}; check --model and base_url",
            original=exc,
        )
    return LLMError(f"model call failed: {exc}", original=exc)


def _usage(completion: Any) -> Usage:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return Usage(calls=1)
    return Usage(
        prompt_tokens=int(usage.prompt_tokens or 0),
        completion_tokens=int(usage.completion_tokens or 0),
        calls=1,
    )


def _raw_text(completion: Any) -> str:
    try:
        return str(completion.choices[0].message.content or "")
    except (AttributeError, IndexError, TypeError):
        return "" if completion is None else str(completion)
