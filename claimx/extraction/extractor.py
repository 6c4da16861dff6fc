"""The Python API: :func:`extract`, :func:`aextract` and :class:`Extractor`."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from claimx.errors import ClaimxError, InputError, PromptError
from claimx.extraction.assemble import assemble, example_vocabulary
from claimx.extraction.chunking import DEFAULT_CONTEXT_TOKENS, chunk_budget, chunked_drafts
from claimx.extraction.strategies import get_strategy
from claimx.llm.client import LLM
from claimx.llm.config import ClientConfig
from claimx.models import ExtractionResult
from claimx.prompts import PromptRegistry, PromptSpec, default_registry

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
        registry: PromptRegistry | None = None,
        keep_ungrounded: bool = False,
        grounding_threshold: float = DEFAULT_GROUNDING_THRESHOLD,
        context_tokens: int = DEFAULT_CONTEXT_TOKENS,
        **client: Any,
    ) -> None:
        """``client`` keywords (model, base_url, api_key, mode, ...) override ``config``
        and the environment; see :class:`claimx.llm.config.ClientConfig`.

        ``context_tokens`` is the model's context window: a longer article is split
        into overlapping chunks (:mod:`claimx.extraction.chunking`)."""
        if config is None:
            config = ClientConfig.from_env(**client)
        elif client:
            config = config.with_(**{k: v for k, v in client.items() if v is not None})
            config.check()
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
        self, text: str, *, article_id: str = "article", llm: LLM | None = None
    ) -> ExtractionResult:
        """Extract the attributed claims of one article (async)."""
        check_text(text, source=article_id)
        own = llm is None
        llm = llm or LLM(self.config)
        started = time.perf_counter()
        try:
            output = await chunked_drafts(
                self.strategy,
                llm,
                self.spec,
                text,
                budget=self.chunk_chars,
                threshold=self.grounding_threshold,
            )
        finally:
            if own:
                await llm.aclose()
        done = assemble(
            text, output.drafts, threshold=self.grounding_threshold, examples=self.examples
        )
        return ExtractionResult(
            article_id=article_id,
            claims=done.claims + done.ungrounded if self.keep_ungrounded else done.claims,
            ungrounded=[] if self.keep_ungrounded else done.ungrounded,
            speakers=done.speakers,
            model=self.config.model,
            prompt=self.spec.ref,
            prompt_hash=self.spec.content_hash,
            strategy=self.strategy.name,
            usage=output.usage,
            latency_s=round(time.perf_counter() - started, 3),
            warnings=output.warnings + done.warnings,
        )

    def extract(self, text: str, *, article_id: str = "article") -> ExtractionResult:
        """Extract the attributed claims of one article (blocking)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.aextract(text, article_id=article_id))
        raise ClaimxError("extract() called inside a running event loop: use 'await aextract()'")


def extract(text: str, prompt: str = "latest", **options: Any) -> ExtractionResult:
    """Extract attributed claims from ``text``.

    ``options`` are :class:`Extractor` keywords: ``model``, ``base_url``,
    ``api_key``, ``mode``, ``config``, ``keep_ungrounded``, ``article_id``...
    """
    article_id = options.pop("article_id", "article")
    return Extractor(prompt, **options).extract(text, article_id=article_id)


async def aextract(text: str, prompt: str = "latest", **options: Any) -> ExtractionResult:
    """Async :func:`extract`."""
    article_id = options.pop("article_id", "article")
    return await Extractor(prompt, **options).aextract(text, article_id=article_id)
