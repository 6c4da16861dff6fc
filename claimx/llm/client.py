"""The provider boundary: every model call ends in :class:`LLM`.

:class:`LLM` does the call and nothing else: the retry policy and the
translation of SDK errors.

* transient failures (timeouts, connection resets, HTTP 429 and 5xx, and an
  HTTP response body that is not valid JSON, as a proxy or a dying server cuts
  it) are retried with tenacity: exponential backoff with jitter, bounded
  (``ClientConfig.transient_retries``, 3 by default), honouring a 429's
  ``Retry-After`` header (delta-seconds or an HTTP date);
* output that does not validate is re-asked by instructor with the validation
  error, ``validation_retries`` times (once by default);
* an answer cut off at ``max_tokens`` fails at once
  (:class:`~claimx.errors.TruncatedOutputError`): asking again gives the same cut;
* whatever still fails becomes one of the :mod:`claimx.errors` types, with the
  SDK exception as ``original`` and, for invalid output, the raw text as
  ``raw_output``.

The openai client's own retries are off (``max_retries=0``) so the policy
lives here only, and a replayed cassette that misses fails at once.

A ``Retry-After`` on a 429 (or a 503) pauses only the request that got it.
An endpoint that limits a whole account answers every request over the limit
with its own 429 and ``Retry-After``, so each waits as long as it is told;
one that refuses a single request (a per-request token limit, a busy shard)
must not hold up the other requests in flight, which it is still answering.
Pausing everything cost a run 20.5 s where the same faults cost 4 s
(issue 25: 20% of articles answered 429 once).

A connection the endpoint closed without answering (a reset) is told apart
from an endpoint that cannot be reached at all: only the second asks "is the
server running?". Which of them stops a run is the circuit breaker's call
(:mod:`claimx.runs.breaker`), after a health probe of the endpoint.

What the call does not know about lives in layers that implement the same
:class:`~claimx.llm.protocol.Model` (:mod:`claimx.llm.layers`: the response
cache, the failure dump, usage accounting). Code that intercepts HTTP (the
recorder of :mod:`claimx.cassettes`) explains its own failures through
:func:`register_error_translator`: this module knows nothing about it.
"""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import time
from collections.abc import Callable
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

from claimx.errors import (
    AuthenticationError,
    ExtractionError,
    LLMError,
    LLMTimeoutError,
    RateLimitedError,
    ServerError,
    ServerUnreachableError,
    TruncatedOutputError,
)
from claimx.llm.config import MODES, ClientConfig
from claimx.llm.protocol import Completion
from claimx.llm.wire import answer_model, post_chat_completion
from claimx.models import Usage

T = TypeVar("T", bound=BaseModel)

#: explains an exception raised below the SDK (in the HTTP transport) as a claimx
#: error, or returns None when it is not one of its own
ErrorTranslator = Callable[[BaseException], LLMError | None]
_translators: list[ErrorTranslator] = []


def register_error_translator(translator: ErrorTranslator) -> Callable[[], None]:
    """Have :class:`LLM` ask ``translator`` about every failure; returns the unregister call.

    A claimed failure is final (never retried) and raised as the error the
    translator returns. :mod:`claimx.cassettes` registers one while it replays, so a
    request no recording matches fails at once, naming the cassette.
    """
    _translators.append(translator)

    def unregister() -> None:
        if translator in _translators:
            _translators.remove(translator)

    return unregister


def _claimed(exc: BaseException | None) -> LLMError | None:
    """The error a registered translator makes of ``exc`` or of one of its causes."""
    seen = 0
    while exc is not None and seen < 10 and _translators:
        for translator in reversed(_translators):
            if (error := translator(exc)) is not None:
                return error
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


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


def instructor_mode(config: ClientConfig) -> instructor.Mode:
    """The instructor mode of ``config.mode`` (imported here, not in the config module)."""
    return getattr(instructor.Mode, MODES[config.mode])  # type: ignore[no-any-return]


class LLM:
    """An async structured-output client for one :class:`ClientConfig`.

    Share one instance between concurrent tasks: it holds one connection pool.
    """

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self._client: instructor.AsyncInstructor | None = None

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
            mode = instructor_mode(self.config)
            # instructor.from_openai, with the create of claimx.llm.wire
            create = instructor.patch(create=post_chat_completion(raw), mode=mode)
            self._client = instructor.AsyncInstructor(
                client=raw, create=create, mode=mode, provider=instructor.Provider.OPENAI
            )
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
        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Transient),
            wait=self._wait,
            stop=stop_after_attempt(self.config.transient_retries + 1),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    value, completion = await self._attempt(messages, response_model, max_tokens)
        except _Transient as exc:
            raise _translate(exc.original) from exc.original
        return Completion(
            value=value,
            usage=_usage(completion),
            raw=_raw_text(completion),
            latency_s=time.perf_counter() - started,
            response=completion,
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        original = exc.original if isinstance(exc, _Transient) else None
        if original is not None and (hint := _retry_after(original)) is not None:
            # This request waits as long as the endpoint asked; the others go on (module doc).
            return min(hint, self.config.backoff_max_s)
        return float(wait_random_exponential(multiplier=0.5, max=self.config.backoff_max_s)(state))

    async def _attempt(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int | None
    ) -> tuple[T, Any]:
        cfg = self.config
        try:
            return await self.client.chat.completions.create_with_completion(
                model=cfg.model,
                messages=messages,  # type: ignore[arg-type]
                response_model=answer_model(response_model),
                max_retries=cfg.validation_retries,
                temperature=cfg.temperature,
                seed=cfg.seed,
                max_tokens=max_tokens or cfg.max_tokens,
            )
        except IncompleteOutputException as exc:
            raise TruncatedOutputError(
                f"the model stopped at max_tokens={max_tokens or cfg.max_tokens} before finishing"
                f" its JSON; raise max_tokens (prompt params) or use a staged prompt.",
                raw_output=_raw_text(exc.last_completion),
                attempts=1,
            ) from exc
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if exc.last_completion is None and isinstance(cause, json.JSONDecodeError):
                # The HTTP body itself did not parse (cut by a proxy or a dying server):
                # there is no model output to re-ask about; retry it like a transport fault.
                raise _Transient(cause) from exc
            if cause is not None and (
                isinstance(cause, openai.APIError) or _claimed(cause) is not None
            ):
                if _is_transient(cause):
                    raise _Transient(cause) from exc
                raise _translate(cause) from exc
            raise ExtractionError(
                f"the model's output did not validate after {exc.n_attempts} attempt(s): {cause}.",
                raw_output=_raw_text(exc.last_completion),
                attempts=exc.n_attempts,
                usage=_failed_usage(exc),
            ) from exc
        except openai.APIError as exc:
            if _is_transient(exc):
                raise _Transient(exc) from exc
            raise _translate(exc) from exc


def _is_transient(exc: BaseException | None) -> bool:
    if _claimed(exc) is not None:
        return False
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    return isinstance(exc, openai.APIStatusError) and (
        exc.status_code == 429 or exc.status_code >= 500
    )


def _translate(exc: BaseException | None) -> LLMError:
    """Map an SDK exception to the claimx error a user can act on."""
    if (claimed := _claimed(exc)) is not None:
        return claimed
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
        if _dropped(exc):
            return ServerUnreachableError(
                f"the model endpoint at {url} closed the connection without answering, after"
                f" retries ({_cause_text(exc)}): it is up but dropped this request; check the"
                " server's (or its proxy's) logs for why",
                original=exc,
            )
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


def _failed_usage(exc: InstructorRetryException) -> Usage:
    """What the attempts of a call that never validated cost (instructor sums them)."""
    total = getattr(exc, "total_usage", None)
    return Usage(
        prompt_tokens=int(getattr(total, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(total, "completion_tokens", 0) or 0),
        calls=exc.n_attempts,
    )


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(seen) < 10:
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    return seen


def _dropped(exc: BaseException) -> bool:
    """True when a connection was made and then closed or reset without an answer.

    The HTTP transport (httpx, and the fork the openai SDK ships) raises a
    ``ConnectError`` when it never got a connection (refused, no route, DNS):
    nothing is listening there. Anything else under a connection error (a read
    or protocol error, a reset) means something was listening and went away.
    Told by class name: the transport is the SDK's choice, not claimx's.
    """
    return not any(
        type(e).__name__ == "ConnectError"
        or isinstance(e, ConnectionRefusedError | socket.gaierror)
        for e in _chain(exc)
    )


def _cause_text(exc: BaseException) -> str:
    """The innermost cause that says something (``ConnectionResetError: [Errno 104] ...``)."""
    for cause in reversed(_chain(exc)[1:]):
        if str(cause):
            return f"{type(cause).__name__}: {cause}"
    return type(exc).__name__


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
