"""One run, as data: the :class:`RunSpec` every engine takes whole.

A corpus run is a prompt version, a client configuration, what to do with
the answers, where the results go and how hard to push the endpoint.
``claimx extract`` builds that once (:meth:`RunSpec.of`, from the
:class:`~claimx.extraction.extractor.Extractor` it has validated) and hands it
to the engine the user chose (:mod:`claimx.runs.engine`). Nothing is taken
apart on the way: the Ray actors receive the spec itself, the provider batch
state file stores it, and each rebuilds its extractor with
:meth:`RunSpec.extractor`, so a worker runs with the driver's temperature,
seed, backoff, base URL, timeout and threshold, and reads nothing from its
own environment.

The spec is a frozen pydantic model, so it is typed, compared, and
serialised to JSON and back without loss (a test round-trips it). It holds

* the prompt's reference and content hash (a worker whose prompt files differ
  refuses to run, rather than produce results under the wrong hash);
* :class:`~claimx.llm.config.ClientConfig` whole, except the API key, which
  is never in a spec: :attr:`RunSpec.api_key` is a :class:`SecretRef`, the name
  of an environment variable or a file readable by its owner only, resolved
  where the key is used (:meth:`RunSpec.client_config`). So a spec can be
  pickled for Ray, written into a state file or logged without leaking it;
* :class:`~claimx.extraction.extractor.ExtractOptions` whole;
* :class:`RunOptions`: the output (path, format, errors file), the input glob,
  concurrency, circuit breaker and durability;
* the response cache folder, the inputs, and each engine's own settings
  (:class:`RaySettings`, :class:`ProviderSettings`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from claimx.errors import ConfigError, PromptError
from claimx.extraction.extractor import ExtractOptions
from claimx.llm.config import ClientConfig
from claimx.runs.inputs import DEFAULT_GLOB
from claimx.runs.outputs import errors_file

if TYPE_CHECKING:
    from claimx.extraction.extractor import Extractor
    from claimx.llm.cache import ResponseCache

#: the environment variable the openai SDK, and claimx, read the key from
DEFAULT_KEY_ENV = "OPENAI_API_KEY"
#: articles in a row failing with the endpoint down before a health probe (circuit breaker)
DEFAULT_BREAKER = 3

OutputFormat = Literal["jsonl", "json", "parquet"]

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class SecretRef(BaseModel):
    """Where the API key is, never the key: an environment variable, or a private file.

    ``env``: the variable's name, read in the process that resolves it;
    ``file``: a file holding the key, refused when its group or others may
    read it (a key in a world-readable file is already leaked).
    """

    model_config = _FROZEN

    env: str | None = None
    file: Path | None = None

    @model_validator(mode="after")
    def _one_place(self) -> SecretRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("a SecretRef names either env or file, not both or neither")
        return self

    def resolve(self) -> str | None:
        """The key, or None when the variable is unset (or empty)."""
        if self.env is not None:
            return os.environ.get(self.env) or None
        assert self.file is not None
        try:
            info = self.file.stat()
            if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise ConfigError(
                    f"the API key file {self.file} may be read by other users: chmod 600 it"
                )
            return self.file.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ConfigError(f"cannot read the API key file {self.file}: {exc.strerror}") from None

    def describe(self) -> str:
        """Where the key comes from, for messages (never the key)."""
        return f"${self.env}" if self.env is not None else f"the file {self.file}"


class RunOptions(BaseModel):
    """Where the results go and how the run goes: the options every engine honours.

    ``concurrency`` None is the engine's default (the asyncio engine: a local
    server's slot count, else 4; Ray: 16 per actor).
    """

    model_config = _FROZEN

    #: the results file (a folder for ``--engine ray``); None writes to stdout (asyncio only)
    output: Path | None = None
    format: OutputFormat = "jsonl"
    #: the failed articles; None is ``<output>.errors.jsonl``
    errors: Path | None = None
    #: replace an existing ``--format json`` output
    force: bool = False
    #: the files a folder input contributes (see :mod:`claimx.runs.inputs`)
    glob: str = DEFAULT_GLOB
    #: requests (and articles) in flight
    concurrency: int | None = Field(default=None, ge=1)
    #: articles in a row failing with the endpoint down before its health is probed
    breaker: int = Field(default=DEFAULT_BREAKER, ge=0)
    #: fsync results (in the background); off only for throwaway runs
    durable: bool = True

    def errors_path(self) -> Path | None:
        """The errors file: ``errors``, else ``<output>.errors.jsonl``, else none (stdout)."""
        if self.errors is not None:
            return self.errors
        if self.output is not None:
            return errors_file(self.output)
        return None


class RaySettings(BaseModel):
    """``--engine ray``: which cluster, how many actors, how results are cut into files."""

    model_config = _FROZEN

    #: a running cluster (``auto``, ``ray://host:10001``); None starts a local Ray for the run
    address: str | None = None
    #: actors (a size, or min and max to autoscale); None: up to one per CPU of the cluster
    actors: int | tuple[int, int] | None = None
    #: result rows per Parquet file: what a kill can cost (extracted again, from the cache)
    rows_per_file: int = Field(default=64, ge=1)


class ProviderSettings(BaseModel):
    """``--engine batch`` and ``claimx batch``: the provider's batch API."""

    model_config = _FROZEN

    #: upload and start the batches; False only writes the files (vLLM's run_batch)
    upload: bool = True
    #: requests per batch file (OpenAI's limit: 50,000)
    max_requests: int = Field(default=50_000, ge=1)
    #: seconds between two looks at running batches
    poll_s: float = Field(default=60.0, gt=0)


class RunSpec(BaseModel):
    """Everything a run needs, as data; every engine takes it whole (see module doc)."""

    model_config = _FROZEN

    prompt: str
    prompt_hash: str
    #: the client configuration, without its key (``api_key`` is always None here)
    client: ClientConfig
    #: where the key is; None when there is none (a local server)
    api_key: SecretRef | None = None
    extract: ExtractOptions = Field(default_factory=ExtractOptions)
    run: RunOptions = Field(default_factory=RunOptions)
    #: the response cache folder; None runs without a cache
    cache_dir: Path | None = None
    inputs: tuple[Path, ...] = ()
    ray: RaySettings = Field(default_factory=RaySettings)
    provider: ProviderSettings = Field(default_factory=ProviderSettings)

    @field_validator("client")
    @classmethod
    def _no_key_inside(cls, client: ClientConfig) -> ClientConfig:
        if client.api_key is not None:
            raise ValueError("a RunSpec holds a SecretRef to the API key (api_key), never the key")
        return client

    @classmethod
    def of(
        cls,
        extractor: Extractor,
        *,
        inputs: Sequence[Path] = (),
        run: RunOptions | None = None,
        cache_dir: Path | None = None,
        api_key: SecretRef | None = None,
        ray: RaySettings | None = None,
        provider: ProviderSettings | None = None,
    ) -> RunSpec:
        """The spec of a run with ``extractor``'s prompt, client and options.

        ``api_key``: where the extractor's key comes from; by default
        ``$OPENAI_API_KEY`` when that is the key it holds. A key given as a
        string (``Extractor(api_key="sk-...")``) cannot be referred to: pass
        ``api_key=SecretRef(...)`` then, so it never travels inside the spec.
        """
        key = extractor.config.api_key
        if api_key is None and key is not None:
            if key != os.environ.get(DEFAULT_KEY_ENV):
                raise ConfigError(
                    "a run spec refers to the API key, it does not hold it: pass"
                    " api_key=SecretRef(env=NAME) or SecretRef(file=PATH) naming where the key is"
                )
            api_key = SecretRef(env=DEFAULT_KEY_ENV)
        return cls(
            prompt=extractor.ref,
            prompt_hash=extractor.prompt_hash,
            client=extractor.config.with_(api_key=None),
            api_key=api_key,
            extract=extractor.options,
            run=run or RunOptions(),
            cache_dir=cache_dir,
            inputs=tuple(inputs),
            ray=ray or RaySettings(),
            provider=provider or ProviderSettings(),
        )

    def client_config(self, *, require_key: bool = True) -> ClientConfig:
        """The client configuration with the key resolved here, checked.

        ``require_key=False``: a run answered from the cache (a batch collect)
        needs no key; a placeholder stands in, and a live call with it fails
        as an authentication error.
        """
        key = self.api_key.resolve() if self.api_key is not None else None
        config = self.client.with_(api_key=key)
        if key is None and not config.is_local and not require_key:
            config = config.with_(api_key="unused-every-answer-comes-from-the-cache")
        if key is None and self.api_key is not None and not config.is_local and require_key:
            raise ConfigError(
                f"no API key for {config.base_url or 'OpenAI'}: {self.api_key.describe()} is not"
                " set where this run executes"
            )
        config.check()
        return config

    def extractor(
        self, *, cache: ResponseCache | None = None, require_key: bool = True
    ) -> Extractor:
        """The extractor of this spec (client, options, prompt), its prompt hash checked."""
        from claimx.extraction.extractor import Extractor

        extractor = Extractor(
            self.prompt,
            config=self.client_config(require_key=require_key),
            options=self.extract,
            cache=cache,
        )
        if extractor.prompt_hash != self.prompt_hash:
            raise PromptError(
                f"{self.prompt} here has hash {extractor.prompt_hash}, the run was planned with"
                f" {self.prompt_hash}: this machine's prompt files differ from the driver's"
                " (install the same claimx, or submit the run again)"
            )
        return extractor

    def with_run(self, **changes: object) -> RunSpec:
        """A copy with some :class:`RunOptions` changed (validated again)."""
        run = RunOptions.model_validate({**self.run.model_dump(), **changes})
        return self.model_copy(update={"run": run})


__all__ = [
    "DEFAULT_BREAKER",
    "DEFAULT_KEY_ENV",
    "OutputFormat",
    "ProviderSettings",
    "RaySettings",
    "RunOptions",
    "RunSpec",
    "SecretRef",
]
