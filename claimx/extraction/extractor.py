"""The Python API: :func:`extract`, :func:`aextract` and :class:`Extractor`."""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from claimx.errors import ClaimxError, ConfigError, InputError, PromptError
from claimx.extraction.assemble import assemble, example_vocabulary
from claimx.extraction.chunking import DEFAULT_CONTEXT_TOKENS, chunk_budget, chunked_drafts
from claimx.extraction.strategies import get_strategy
from claimx.extraction.strategies.base import refuse_evidence
from claimx.llm.config import ClientConfig
from claimx.llm.layers import UsageMeter, open_model
from claimx.llm.protocol import Model
from claimx.models import ExtractedClaim, ExtractionResult
from claimx.prompts import PromptRegistry, PromptSpec, default_registry
from claimx.text.spans import Span

if TYPE_CHECKING:
    from claimx.llm.cache import ResponseCache

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_GROUNDING_THRESHOLD = 90.0


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
        config: ClientConfig | None = None,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        mode: str | None = None,
        cache: ResponseCache | None = None,
        registry: PromptRegistry | None = None,
        keep_ungrounded: bool = False,
        grounding_threshold: float = DEFAULT_GROUNDING_THRESHOLD,
        context_tokens: int = DEFAULT_CONTEXT_TOKENS,
        min_confidence: float | None = None,
    ) -> None:
        """``model``, ``base_url``, ``api_key`` and ``mode`` override ``config`` and the
        environment (:class:`claimx.llm.config.ClientConfig` has the other fields).

        ``cache``: a :class:`~claimx.llm.cache.ResponseCache` answering repeated
        requests without a call (results then say ``cached``). ``context_tokens`` is
        the model's context window: a longer article is split into overlapping
        chunks (:mod:`claimx.extraction.chunking`). ``min_confidence`` (0..1): drop the
        claims whose :attr:`~claimx.models.ExtractedClaim.confidence` is below it; a
        claim with no confidence estimate is kept."""
        check_min_confidence(min_confidence)
        client = {"model": model, "base_url": base_url, "api_key": api_key, "mode": mode}
        if config is None:
            config = ClientConfig.from_env(**client)
        elif any(v is not None for v in client.values()):
            config = config.with_(**{k: v for k, v in client.items() if v is not None})
            config.check()
        self.cache = cache
        self.config = config
        self.spec = (
            prompt
            if isinstance(prompt, PromptSpec)
            else (registry or default_registry()).get(prompt)
        )
        self.strategy = get_strategy(self.spec.strategy)
        if missing := set(self.spec.variables) - self.strategy.provides:
            raise PromptError(
                f"{self.spec.ref} uses variable(s) {', '.join(sorted(missing))} that strategy"
                f" {self.strategy.name!r} does not provide"
                f" ({', '.join(sorted(self.strategy.provides))})"
            )
        self.keep_ungrounded = keep_ungrounded
        self.min_confidence = min_confidence
        self.grounding_threshold = grounding_threshold
        self.chunk_chars = chunk_budget(self.spec, self.config, context_tokens)
        self.examples = example_vocabulary(
            part
            for ex in self.spec.examples
            for part in (
                ex.text,
                *ex.variables.values(),
                *(c.claim for c in ex.claims),
                *(c.speaker for c in ex.claims),
            )
        )

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
        strategy's own stage one (the eval's oracle, ``--oracle evidence``); only
        for a strategy that takes them (:attr:`Strategy.takes_evidence`, the staged
        ones), else :class:`~claimx.errors.PromptError`. The article is then not
        chunked: each request shows only its span's sentence and paragraph.
        """
        check_text(text, source=article_id)
        refuse_evidence(self.strategy, evidence, prompt=self.spec.ref)
        own = open_model(self.config, cache=self.cache) if llm is None else None
        meter = UsageMeter(own if own is not None else llm)  # type: ignore[arg-type]
        started = time.perf_counter()
        try:
            if evidence is not None:
                output = await self.strategy.drafts(meter, self.spec, text, evidence=evidence)
            else:
                output = await chunked_drafts(
                    self.strategy,
                    meter,
                    self.spec,
                    text,
                    budget=self.chunk_chars,
                    threshold=self.grounding_threshold,
                )
        finally:
            if own is not None:
                await own.aclose()
        metered = meter.metered
        done = assemble(
            text,
            output.drafts,
            threshold=self.grounding_threshold,
            examples=self.examples,
            stance=self.spec.stance,
            speaker=self.spec.speaker,
        )
        claims = done.claims + done.ungrounded if self.keep_ungrounded else done.claims
        ungrounded = [] if self.keep_ungrounded else done.ungrounded
        speakers, warnings = done.speakers, output.warnings + done.warnings
        if self.min_confidence is not None:
            kept = confident(claims, self.min_confidence)
            if dropped := len(claims) - len(kept):
                below = self.min_confidence
                warnings.append(f"dropped {dropped} claim(s) of confidence below {below}")
                used = {c.speaker_id for c in kept + ungrounded}
                claims, speakers = kept, [s for s in speakers if s.id in used]
        return ExtractionResult(
            article_id=article_id,
            claims=claims,
            ungrounded=ungrounded,
            speakers=speakers,
            model=self.config.model,
            prompt=self.spec.ref,
            prompt_hash=self.spec.content_hash,
            strategy=self.strategy.name,
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
        return _blocking(self.aextract)(text, article_id=article_id, evidence=evidence)


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
    config: ClientConfig | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    cache: ResponseCache | None = None,
    keep_ungrounded: bool = False,
    grounding_threshold: float = DEFAULT_GROUNDING_THRESHOLD,
    context_tokens: int = DEFAULT_CONTEXT_TOKENS,
    min_confidence: float | None = None,
    evidence: Sequence[Span] | None = None,
) -> ExtractionResult:
    """Extract attributed claims from ``text`` (async); the keywords are :class:`Extractor`'s
    and :meth:`Extractor.aextract`'s."""
    extractor = Extractor(
        prompt,
        config=config,
        model=model,
        base_url=base_url,
        api_key=api_key,
        mode=mode,
        cache=cache,
        keep_ungrounded=keep_ungrounded,
        grounding_threshold=grounding_threshold,
        context_tokens=context_tokens,
        min_confidence=min_confidence,
    )
    return await extractor.aextract(text, article_id=article_id, evidence=evidence)


def _blocking(function: Callable[P, Awaitable[R]]) -> Callable[P, R]:
    """The blocking twin of an async function, with the same (typed) signature."""
    signature = inspect.signature(function)
    name = function.__name__.removeprefix("a")

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:  # a misspelled keyword fails before any work, naming it
            raise TypeError(f"{name}(): {exc}") from None
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(function(*args, **kwargs))  # type: ignore[arg-type]
        raise ClaimxError(
            f"{name}() called inside a running event loop: use 'await {function.__name__}()'"
        )

    run.__name__ = run.__qualname__ = name
    return run


extract = _blocking(aextract)
extract.__doc__ = """Extract attributed claims from ``text``; the keywords are :class:`Extractor`'s.

``cache`` (a :class:`~claimx.llm.cache.ResponseCache`) answers repeated requests
without a model call. A misspelled keyword is a ``TypeError`` naming it (and an
error of the type checker: the signature is :func:`aextract`'s).
"""
