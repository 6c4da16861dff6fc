"""The Python API: :func:`extract`, :func:`aextract` and :class:`Extractor`."""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import ParamSpec, TypeVar, Unpack

from pydantic import BaseModel, ConfigDict, Field

from claimx.errors import ClaimxError, ConfigError, ExtractionError, InputError
from claimx.extraction.assemble import assemble, example_vocabulary
from claimx.extraction.chunking import (
    DEFAULT_CONTEXT_TOKENS,
    chunk_budget,
    chunked_drafts,
    split_text,
)
from claimx.extraction.pipeline import Pipeline
from claimx.llm.config import ClientSettings, client_config
from claimx.llm.layers import UsageMeter, open_model
from claimx.llm.protocol import Model
from claimx.models import ExtractedClaim, ExtractionResult
from claimx.prompts import PromptRegistry, PromptSpec, default_registry
from claimx.text.spans import Span

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_GROUNDING_THRESHOLD = 90.0


class ExtractOptions(BaseModel):
    """What to do with the model's answers: the extraction settings besides the client.

    One typed, serialisable object, so every engine (the asyncio orchestrator,
    Ray actors, the provider batch collector) gets the same settings whole.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: keep claims whose quote could not be found in the article (as ungrounded claims)
    keep_ungrounded: bool = False
    #: least alignment score (0-100) for a quote to count as found in the article
    grounding_threshold: float = Field(default=DEFAULT_GROUNDING_THRESHOLD, ge=0.0, le=100.0)
    #: the model's context window in tokens: a longer article is split into chunks
    context_tokens: int = Field(default=DEFAULT_CONTEXT_TOKENS, ge=512)
    #: drop the claims whose confidence is below this (0..1); None keeps every claim
    min_confidence: float | None = None

    def model_post_init(self, context: object, /) -> None:
        check_min_confidence(self.min_confidence)


class ExtractSettings(ClientSettings, total=False):
    """The keywords of :class:`Extractor`, :func:`extract` and :func:`aextract`, written once.

    ``model``, ``base_url``, ``api_key`` and ``mode`` override ``config`` and the
    environment (:class:`claimx.llm.config.ClientConfig` has the other fields);
    ``cache`` answers repeated requests without a call (results then say ``cached``);
    those are :class:`~claimx.llm.config.ClientSettings`. ``options`` or its fields one
    by one (:class:`ExtractOptions`) say what is done with the answers.
    """

    options: ExtractOptions | None
    keep_ungrounded: bool
    grounding_threshold: float
    context_tokens: int
    min_confidence: float | None


def check_settings(caller: str, settings: Mapping[str, object]) -> None:
    """Refuse a keyword that is not an :class:`ExtractSettings` key, naming it: a
    misspelled one must fail before any work, not be ignored."""
    if unknown := sorted(settings.keys() - ExtractSettings.__annotations__.keys()):
        known = ", ".join(sorted(ExtractSettings.__annotations__))
        raise TypeError(
            f"{caller}(): unexpected keyword argument {unknown[0]!r} (expected one of: {known})"
        )


def check_text(text: str, *, source: str = "text") -> str:
    """Refuse text there is nothing to extract from, naming the input."""
    if not isinstance(text, str):
        raise InputError(f"expected str, got {type(text).__name__}", source=source)
    if not text.strip():
        raise InputError("the article is empty (or whitespace only)", source=source)
    if "\x00" in text:
        raise InputError("the article contains NUL bytes: is it a binary file?", source=source)
    return text


class Extractor:
    """A configured extractor: one prompt version, one model endpoint, many articles.

    >>> ex = Extractor("extract@v2", model="local", base_url="http://127.0.0.1:8011/v1")
    >>> result = ex.extract(article_text, article_id="001")  # doctest: +SKIP
    """

    def __init__(
        self,
        prompt: str | PromptSpec = "latest",
        *,
        registry: PromptRegistry | None = None,
        **settings: Unpack[ExtractSettings],
    ) -> None:
        """``prompt``: a reference (``extract@v9``, ``latest``) or a loaded spec;
        ``settings``: :class:`ExtractSettings` (the client, the cache, the options).

        A long article is split into overlapping chunks to fit ``context_tokens``
        (:mod:`claimx.extraction.chunking`); ``min_confidence`` (0..1) drops the claims
        whose :attr:`~claimx.models.ExtractedClaim.confidence` is below it (a claim
        with no confidence estimate is kept)."""
        check_settings(type(self).__name__, settings)
        self.config = client_config(settings)
        self.options = extract_options(settings)
        self.cache = settings.get("cache")
        spec = (
            prompt
            if isinstance(prompt, PromptSpec)
            else (registry or default_registry()).get(prompt)
        )
        self.pipeline = Pipeline(spec)
        self.spec = spec
        self.chunk_chars = chunk_budget(self.pipeline, self.config, self.options.context_tokens)
        self.examples = example_vocabulary(
            part
            for ex in spec.examples
            for part in (
                ex.text,
                *ex.variables.values(),
                *(str(c.get("claim", "")) for c in ex.claims),
                *(str(c.get("speaker", "")) for c in ex.claims),
            )
        )

    @property
    def ref(self) -> str:
        """The prompt version's reference, ``name@vN``."""
        return self.spec.ref

    @property
    def prompt_hash(self) -> str:
        """The content hash of everything that shapes this extractor's requests."""
        return self.pipeline.content_hash

    def plan(self, text: str) -> list[list[dict[str, str]]]:
        """The messages of every request :meth:`aextract` would send for ``text`` (when
        the model answers them), without calling the model: for a dry run's estimate."""
        chunks = split_text(text, self.chunk_chars) if self.pipeline.chunkable else [None]
        return [
            self.pipeline.messages(request.variables)
            for chunk in chunks
            for request in self.pipeline.plan(text if chunk is None else chunk.text)
        ]

    async def aextract(
        self,
        text: str,
        *,
        article_id: str = "article",
        llm: Model | None = None,
        evidence: Sequence[Span] | None = None,
    ) -> ExtractionResult:
        """Extract the attributed claims of one article (async).

        ``llm``: the model to ask (a run shares one between its articles); by
        default one is opened for this call, with this extractor's cache, and
        closed after. ``evidence``: spans of ``text`` to ask about instead of the
        pipeline's own stage one (the eval's oracle, ``--oracle evidence``); only
        for a pipeline whose stage one they can replace
        (:attr:`Pipeline.takes_evidence`), else :class:`~claimx.errors.PromptError`.
        The article is then not chunked: each request shows only its span's
        sentence and paragraph. An article none of whose requests got a valid
        answer fails with the first :class:`~claimx.errors.ExtractionError`, whose
        ``usage`` counts every call made for it.
        """
        check_text(text, source=article_id)
        if evidence is not None:
            self.pipeline.candidates(text, evidence)  # refuses a pipeline without stage one
        own = open_model(self.config, cache=self.cache) if llm is None else None
        meter = UsageMeter(own if own is not None else llm)  # type: ignore[arg-type]
        started = time.perf_counter()
        try:
            if evidence is not None:
                output = await self.pipeline.drafts(meter, text, evidence=evidence)
            else:
                output = await chunked_drafts(
                    self.pipeline,
                    meter,
                    text,
                    budget=self.chunk_chars,
                    threshold=self.options.grounding_threshold,
                )
        except ExtractionError as exc:
            exc.usage = meter.metered.usage  # every call made for the article, failed ones too
            raise
        finally:
            if own is not None:
                await own.aclose()
        metered = meter.metered
        done = assemble(
            text,
            output.drafts,
            threshold=self.options.grounding_threshold,
            examples=self.examples,
            stance=self.pipeline.stance,
            speaker=self.pipeline.speaker,
        )
        claims = done.claims + done.ungrounded if self.options.keep_ungrounded else done.claims
        ungrounded = [] if self.options.keep_ungrounded else done.ungrounded
        speakers, warnings = done.speakers, output.warnings + done.warnings
        if self.options.min_confidence is not None:
            kept = confident(claims, self.options.min_confidence)
            if dropped := len(claims) - len(kept):
                below = self.options.min_confidence
                warnings.append(f"dropped {dropped} claim(s) of confidence below {below}")
                used = {c.speaker_id for c in kept + ungrounded}
                claims, speakers = kept, [s for s in speakers if s.id in used]
        return ExtractionResult(
            article_id=article_id,
            claims=claims,
            ungrounded=ungrounded,
            speakers=speakers,
            model=self.config.model,
            prompt=self.ref,
            prompt_hash=self.prompt_hash,
            strategy=self.pipeline.names,
            usage=metered.usage,
            cached=metered.cached_answers > 0,
            cached_usage=metered.cached_usage if metered.cached_answers else None,
            latency_s=round(time.perf_counter() - started, 3),
            warnings=warnings,
        )

    def extract(
        self,
        text: str,
        *,
        article_id: str = "article",
        evidence: Sequence[Span] | None = None,
    ) -> ExtractionResult:
        """Extract the attributed claims of one article (blocking); see :meth:`aextract`."""
        return blocking(self.aextract)(text, article_id=article_id, evidence=evidence)


def check_min_confidence(value: float | None) -> None:
    """Refuse a confidence threshold outside 0..1, saying what it is."""
    if value is not None and not 0.0 <= value <= 1.0:
        raise ConfigError(
            f"min_confidence (--min-confidence) must be a confidence between 0 and 1, got"
            f" {value}: e.g. 0.7 drops the claims whose confidence is below 0.7"
        )


def confident(claims: list[ExtractedClaim], threshold: float) -> list[ExtractedClaim]:
    """The claims whose confidence is at least ``threshold``; those without one are kept."""
    return [c for c in claims if c.confidence is None or c.confidence.value >= threshold]


async def aextract(
    text: str,
    prompt: str | PromptSpec = "latest",
    *,
    article_id: str = "article",
    evidence: Sequence[Span] | None = None,
    **settings: Unpack[ExtractSettings],
) -> ExtractionResult:
    """Extract attributed claims from ``text`` (async); ``settings`` are :class:`Extractor`'s
    (:class:`ExtractSettings`), ``article_id`` and ``evidence`` :meth:`Extractor.aextract`'s."""
    extractor = Extractor(prompt, **settings)
    return await extractor.aextract(text, article_id=article_id, evidence=evidence)


def extract_options(settings: ExtractSettings) -> ExtractOptions:
    """The :class:`ExtractOptions` of ``settings``: ``options``, with the fields given one
    by one overriding it."""
    base = settings.get("options") or ExtractOptions()
    given = {k: v for k, v in settings.items() if k in ExtractOptions.model_fields}
    # Validated again, not copied: a field given alone is checked like the whole object.
    return ExtractOptions.model_validate({**base.model_dump(), **given}) if given else base


def blocking(
    function: Callable[P, Awaitable[R]],
    check: Callable[[str, Mapping[str, object]], None] | None = None,
) -> Callable[P, R]:
    """The blocking twin of an async function ``aname``: ``name``, with the same (typed)
    signature; inside a running event loop it refuses, naming the function to await.

    ``check``: called with ``name`` and the ``**`` keywords before any work
    (:func:`check_settings` refuses a misspelled one).
    """
    signature = inspect.signature(function)
    name = function.__name__.removeprefix("a")

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:  # a misspelled keyword fails before any work, naming it
            raise TypeError(f"{name}(): {exc}") from None
        for param in signature.parameters.values():
            if check is not None and param.kind is param.VAR_KEYWORD:
                check(name, bound.arguments.get(param.name, {}))
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(function(*args, **kwargs))  # type: ignore[arg-type]
        raise ClaimxError(
            f"{name}() called inside a running event loop: use 'await {function.__name__}()'"
        )

    run.__name__ = run.__qualname__ = name
    return run


extract = blocking(aextract, check_settings)
extract.__doc__ = """Extract attributed claims from ``text``; the keywords are :class:`Extractor`'s.

``cache`` (a :class:`~claimx.llm.cache.ResponseCache`) answers repeated requests
without a model call. A misspelled keyword is a ``TypeError`` naming it (and an
error of the type checker: the signature is :func:`aextract`'s).
"""
