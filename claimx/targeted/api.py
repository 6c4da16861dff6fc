"""The Python API of targeted stance: :func:`stance_toward` and :func:`astance_toward`.

Ask a corpus about one claim: for each article, every source's stance toward
it with its verbatim evidence, and the article's overall position
(:class:`~claimx.models.TargetedAnswer`). The inputs may be articles
(:class:`~claimx.models.Article`, or bare strings), and claims already
extracted from them (:class:`~claimx.models.ExtractionResult` of ``claimx
extract``, or a :class:`~claimx.models.GoldArticle`), which are reused and
never extracted again: an article is decided in the order of
:mod:`claimx.targeted.answer` (screen, the extracted claims that state the
claim, the ``targeted`` prompt, the classifier), and nothing here extracts.

An article with saved results needs its text too (the screen and the model
read it): give its ``Article`` among the inputs, or ``texts={id: text}``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Unpack, cast

from claimx.errors import InputError
from claimx.extraction.extractor import blocking
from claimx.llm.config import ClientSettings, client_config
from claimx.llm.protocol import ClosableModel, Model
from claimx.models import Article, Claim, ExtractionResult, GoldArticle, TargetedAnswer
from claimx.prompts import PromptSpec, default_registry
from claimx.targeted.answer import ModelStep, aanswer
from claimx.targeted.lexical import ArticleView, view_once
from claimx.targeted.matching import proposition_weights
from claimx.targeted.readers import ReaderName
from claimx.targeted.readers import reader as make_reader
from claimx.targeted.shipped import Shipped, shipped
from claimx.targeted.task import TargetedTask

__all__ = [
    "StanceInput",
    "StanceItem",
    "StanceSettings",
    "astance_toward",
    "gather_inputs",
    "stance_toward",
]

StanceInput = Article | ExtractionResult | GoldArticle | str
"""What :func:`stance_toward` reads: an article, its saved claims, or a bare text."""


class StanceSettings(ClientSettings, total=False):
    """The model keywords of :func:`stance_toward`: ``config`` (else the environment), with
    ``model``, ``base_url``, ``api_key`` and ``mode`` overriding it; ``cache`` answers
    repeated requests without a call (those are :class:`~claimx.llm.config.ClientSettings`);
    ``concurrency``, the requests in flight (default: a local server's slots, else 4)."""

    concurrency: int | None


@dataclass
class StanceItem:
    """One article to answer about: its text, and the claims extracted from it, if any."""

    article_id: str
    text: str
    claims: list[Claim] = field(default_factory=list)
    #: claims came with it (saved results), so none needs extracting
    with_results: bool = False


def gather_inputs(
    inputs: Iterable[StanceInput], texts: Mapping[str, str] | None = None
) -> list[StanceItem]:
    """The articles of ``inputs``, in order of first appearance, each with its claims.

    A bare string is an article with the id ``article-<n>`` (n counts strings from 1);
    results are joined to their article by id. Raises :class:`InputError` for an
    article given twice, results given twice, or results with no text.
    """
    items: dict[str, StanceItem] = {}
    texts = dict(texts or {})
    strings = 0
    seen: set[str] = set()
    results: dict[str, ExtractionResult | GoldArticle] = {}
    for given in inputs:
        if isinstance(given, str):
            strings += 1
            given = Article(id=f"article-{strings}", text=given)
        if isinstance(given, Article):
            if given.id in seen:
                raise InputError("the article is given twice", source=given.id)
            seen.add(given.id)
            texts[given.id] = given.text
            items.setdefault(given.id, StanceItem(given.id, given.text))
            continue
        if given.article_id in results:
            raise InputError("results for this article are given twice", source=given.article_id)
        results[given.article_id] = given
        items.setdefault(given.article_id, StanceItem(given.article_id, ""))
    for article_id, item in items.items():
        if article_id not in texts:
            raise InputError(
                "saved results, but no text: give the article too (its file, or"
                " texts={id: text}) so the screen and the model can read it",
                source=article_id,
            )
        item.text = texts[article_id]
        if article_id in results:
            item.claims = cast(list[Claim], list(results[article_id].claims))
            item.with_results = True
    return list(items.values())


def _task(prompt: str | PromptSpec) -> TargetedTask:
    spec = prompt if isinstance(prompt, PromptSpec) else default_registry().get(prompt)
    return TargetedTask(spec)


async def astance_toward(
    claim: str,
    articles: Iterable[StanceInput],
    *,
    texts: Mapping[str, str] | None = None,
    prompt: str | PromptSpec = "targeted",
    use_model: bool = True,
    llm: Model | None = None,
    parts: Shipped | None = None,
    reader: ReaderName = "classifier",
    **settings: Unpack[StanceSettings],
) -> list[TargetedAnswer]:
    """What each article, and each source in it, says about ``claim`` (async; module doc).

    ``articles``: articles, bare texts and saved results (:data:`StanceInput`);
    ``texts``: article texts by id, for results given without their article.
    ``prompt``: the ``targeted`` prompt version the model is asked with (a reference,
    default the name's default, or a loaded spec). ``use_model=False`` asks no model:
    the reader decides where the screen and the extracted claims do not.
    ``reader``: what decides where no model does (:mod:`claimx.targeted.readers`):
    ``"classifier"`` (lexical, the default) or ``"encoder"`` (the ``[encoder]`` extra).
    ``llm``: the model to ask (default: one opened from ``settings`` for this call,
    :class:`StanceSettings`). One answer per article, in input order. Raises
    :class:`InputError` for inputs that do not fit together and the model's errors
    (an unreachable server) before any answer is returned; an answer that does not
    validate falls back to the reader, saying so in ``warnings``.
    """
    if not claim.strip():
        raise InputError("the claim is empty", source="claim")
    items = gather_inputs(articles, texts)
    parts = parts if parts is not None else shipped()
    by = make_reader(reader, parts)
    weights = proposition_weights([claim, *(c.claim for i in items for c in i.claims)])
    own: ClosableModel | None = None
    step: ModelStep | None = None
    if use_model:
        task = _task(prompt)
        if llm is None:
            from claimx.llm.layers import open_model
            from claimx.runs.orchestrator import default_concurrency

            config = client_config(settings)
            limit = settings.get("concurrency") or default_concurrency(config)
            own = open_model(config, cache=settings.get("cache"), max_requests=limit)
            llm = own
            name = config.model
        else:
            name = settings.get("model") or "model"
        step = ModelStep(llm, task, name)
    views: dict[str, ArticleView] = {}

    async def one(item: StanceItem) -> TargetedAnswer:
        article = view_once(views, item.article_id, item.text)
        return await aanswer(
            claim,
            item.article_id,
            item.text,
            item.claims,
            step=step,
            weights=weights,
            parts=parts,
            article=article,
            by=by,
        )

    try:
        return list(await asyncio.gather(*(one(i) for i in items)))
    finally:
        if own is not None:
            await own.aclose()


stance_toward = blocking(astance_toward)
stance_toward.__doc__ = """What each article, and each source in it, says about ``claim``.

>>> answers = claimx.stance_toward(
...     "The United States was behind the drone attack on the Kremlin.",
...     [claimx.Article(id="001", text=text)],
...     model="local", base_url="http://127.0.0.1:8011/v1",
... )  # doctest: +SKIP
>>> [(a.stance, [(s.speaker, s.stance) for s in a.sources]) for a in answers]  # doctest: +SKIP

The blocking form of :func:`astance_toward`, whose docstring says what every
keyword does; inside a running event loop, await that instead.
"""
