"""Client configuration: which endpoint, which model, how to call it.

Arguments win over the environment; the environment wins over defaults:

==================  =========================  ==============================
field               environment                default
==================  =========================  ==============================
``model``           ``CLAIMX_MODEL``           ``gpt-4o-mini``
``base_url``        ``OPENAI_BASE_URL``        OpenAI's own endpoint
``api_key``         ``OPENAI_API_KEY``         required, except on loopback
``mode``            ``CLAIMX_MODE``            ``json_schema``
==================  =========================  ==============================

Why ``json_schema`` by default: llama.cpp, vLLM and OpenAI all turn a JSON
Schema ``response_format`` into constrained decoding, so the answer always
parses; with ``tools``, llama.cpp does not enforce a named ``tool_choice`` and
small models answer with bare JSON instead of a tool call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlparse, urlsplit, urlunsplit

from claimx.errors import ConfigError

if TYPE_CHECKING:
    from claimx.llm.cache import ResponseCache

#: claimx's mode names -> the name of the ``instructor.Mode`` member, looked up where
#: the client is built (:mod:`claimx.llm.client`): importing instructor here would make
#: every command pay for it, ``claimx --help`` included
MODES: dict[str, str] = {
    "json_schema": "JSON_SCHEMA",
    "tools": "TOOLS",
    "md_json": "MD_JSON",
    "json": "JSON",
}

DEFAULT_MODEL = "gpt-4o-mini"
#: where the openai client sends requests when no base_url is given
OPENAI_BASE_URL = "https://api.openai.com/v1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})


def normalise_url(url: str) -> str:
    """``url`` with scheme and host lower-cased, a default port and trailing slashes dropped.

    >>> normalise_url("HTTP://LocalHost:80/v1/")
    'http://localhost/v1'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/"), parts.query, ""))


def check_url(url: str) -> None:
    """Refuse a ``base_url`` that is not an http(s) URL with a host, saying what one looks like.

    Checked before anything else about the endpoint: ``notaurl`` is a typo, and
    reporting it as "no API key for notaurl" sends the user after the wrong problem.
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"base_url (--base-url) {url!r} is not a URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"base_url (--base-url, OPENAI_BASE_URL) {url!r} is not an http(s) URL: give the"
            " endpoint's address, e.g. http://127.0.0.1:8011/v1 or https://api.openai.com/v1"
        )


def default_cache_dir() -> Path:
    """Where claimx keeps things that are not the user's results (failures, cache)."""
    return Path(os.environ.get("CLAIMX_CACHE", Path.home() / ".cache" / "claimx"))


@dataclass(frozen=True)
class ClientConfig:
    """How to reach the model. Build with :meth:`from_env` to apply the environment."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    mode: str = "json_schema"
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int = 1200
    timeout_s: float = 300.0
    #: transient failures (timeouts, 429, 5xx, connection resets), exponential backoff
    transient_retries: int = 3
    #: re-asks with the validation error when the output does not validate
    validation_retries: int = 1
    backoff_max_s: float = 30.0
    failures_dir: Path = field(default_factory=lambda: default_cache_dir() / "failures")

    @classmethod
    def from_env(cls, **overrides: Any) -> ClientConfig:
        """Configuration from the environment, with explicit ``overrides`` winning.

        ``None`` overrides are ignored, so CLI options can be passed straight through.
        """
        env: dict[str, Any] = {
            "model": os.environ.get("CLAIMX_MODEL"),
            "base_url": os.environ.get("OPENAI_BASE_URL"),
            "api_key": os.environ.get("OPENAI_API_KEY"),
            "mode": os.environ.get("CLAIMX_MODE"),
        }
        env.update({k: v for k, v in overrides.items() if v is not None})
        config = cls(**{k: v for k, v in env.items() if v is not None})
        config.check()
        return config

    @property
    def is_local(self) -> bool:
        """True when base_url points at this machine (a local server needs no key)."""
        return bool(self.base_url) and urlparse(self.base_url).hostname in LOCAL_HOSTS

    @property
    def endpoint(self) -> str:
        """The endpoint's identity: ``base_url`` normalised (scheme and host lower-case,
        default port and trailing slash dropped); OpenAI's own when unset."""
        return normalise_url(self.base_url or OPENAI_BASE_URL)

    def check(self) -> None:
        """Raise :class:`ConfigError` with what to do when something is missing."""
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")
        if self.base_url is not None:
            check_url(self.base_url)
        if not self.api_key and not self.is_local:
            where = self.base_url or "OpenAI"
            raise ConfigError(
                f"no API key for {where}: set OPENAI_API_KEY (or pass api_key=...), "
                "or point base_url / OPENAI_BASE_URL at a local server "
                "(scripts/local-llm.sh start)"
            )
        if self.temperature < 0 or self.max_tokens < 1:
            raise ConfigError("temperature must be >= 0 and max_tokens >= 1")
        if not self.timeout_s > 0:
            raise ConfigError(
                f"timeout_s (--timeout) must be more than 0 seconds, got {self.timeout_s}"
            )

    def resolved_api_key(self) -> str:
        # Local servers ignore the key, but the openai client insists on one.
        return self.api_key or "local"

    def with_(self, **changes: Any) -> ClientConfig:
        """A copy with some fields changed."""
        return replace(self, **changes)


class ClientSettings(TypedDict, total=False):
    """The Python API's keywords for the model it asks: ``config`` (else the environment),
    with ``model``, ``base_url``, ``api_key`` and ``mode`` overriding it (:func:`client_config`);
    ``cache`` answers repeated requests without a call. The entry points' settings extend
    it (``ExtractSettings``, ``StanceSettings``).
    """

    config: ClientConfig | None
    model: str | None
    base_url: str | None
    api_key: str | None
    mode: str | None
    cache: ResponseCache | None


_CLIENT_KEYS = ("model", "base_url", "api_key", "mode")


def client_config(settings: ClientSettings) -> ClientConfig:
    """The client configuration of ``settings``: ``config`` (else the environment), with
    ``model``, ``base_url``, ``api_key`` and ``mode`` overriding it."""
    client = {k: settings.get(k) for k in _CLIENT_KEYS}
    config = settings.get("config")
    if config is None:
        return ClientConfig.from_env(**client)
    if any(v is not None for v in client.values()):
        config = config.with_(**{k: v for k, v in client.items() if v is not None})
        config.check()
    return config
