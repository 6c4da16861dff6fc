"""The one exception tree of claimx. Every message says what to do next.

::

    ClaimxError
    ├── ConfigError                 bad or missing configuration (API key, mode, model)
    ├── PromptError                 unknown prompt reference, invalid prompt file
    ├── InputError                  unreadable article: missing, empty, binary, not UTF-8, bad JSONL
    ├── GoldError                   a gold file that does not load
    ├── OutputError                 an output cannot be written (disk full, read-only): names it
    ├── LLMError                    the model endpoint failed (SDK error kept as ``original``)
    │   ├── ServerUnreachableError  nothing answers at base_url
    │   ├── LLMTimeoutError         the request timed out
    │   ├── RateLimitedError        HTTP 429 after all retries
    │   ├── ServerError             HTTP 5xx after all retries
    │   ├── AuthenticationError     HTTP 401/403
    │   └── CassetteMissError       replay mode and no recording matches the request
    └── ExtractionError             the model answered, but not with valid claims
        └── TruncatedOutputError    the answer was cut at max_tokens

SDK exceptions (openai, instructor, httpx) are wrapped once, at the provider
boundary in :mod:`claimx.llm.client`, so callers only ever catch these.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimx.models import Usage


class ClaimxError(Exception):
    """Base class of every error claimx raises on purpose."""


class ConfigError(ClaimxError):
    """The client configuration is incomplete or inconsistent."""


class PromptError(ClaimxError):
    """A prompt reference does not resolve, or a prompt file is invalid."""


class InputError(ClaimxError):
    """An input article cannot be read as text. ``source`` names it."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class GoldError(ClaimxError):
    """A gold file or folder cannot be loaded."""


class OutputError(ClaimxError):
    """A result, errors or state file cannot be written (disk full, read-only); names the file."""


class DatasetError(ClaimxError):
    """A corpus checkout cannot be read or converted (names the file and line)."""


class LLMError(ClaimxError):
    """The model endpoint failed. ``original`` is the SDK exception."""

    def __init__(self, message: str, *, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


class ServerUnreachableError(LLMError):
    """No server answered at the configured base URL."""


class LLMTimeoutError(LLMError):
    """The request timed out (after retries)."""


class RateLimitedError(LLMError):
    """The endpoint kept answering HTTP 429."""


class ServerError(LLMError):
    """The endpoint kept answering HTTP 5xx."""


class AuthenticationError(LLMError):
    """The endpoint refused the API key."""


class CassetteMissError(LLMError):
    """Replaying recorded responses, and no recording matches this request."""


class ExtractionError(ClaimxError):
    """The model's output could not be validated, even after re-asking.

    ``raw_output`` is the last thing the model said; ``raw_output_path`` is where
    it was saved so nothing is lost; ``usage`` what the calls behind it cost (every
    attempt; for a failed article, every request of it), when known.
    """

    def __init__(
        self,
        message: str,
        *,
        raw_output: str | None = None,
        raw_output_path: Path | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.raw_output = raw_output
        self.raw_output_path = raw_output_path
        self.attempts = attempts
        self.usage = usage


class TruncatedOutputError(ExtractionError):
    """The model stopped at ``max_tokens`` before finishing the JSON."""
