"""The plan of a run, without a model call: articles, requests, tokens (``--dry-run``).

Every article is run through :meth:`Extractor.aextract
<claimx.extraction.extractor.Extractor.aextract>` against a
:class:`RequestRecorder`, a :class:`~claimx.llm.protocol.Model` that records
each request and answers "no claims". A pipeline's requests do not depend on
the answers (a staged pipeline's candidates come from the text alone), so
this enumerates exactly the requests a live run makes; the provider batch
engine writes the same requests into its batch files
(:mod:`claimx.runs.provider_batch`).

Token figures are estimates: prompt tokens at :data:`CHARS_PER_TOKEN`
characters a token of the rendered messages (no tokenizer ships with claimx,
and a model's own differs anyway), completion tokens as their upper bound,
``max_tokens`` per request. Requests already in the response cache are
counted apart: a live run does not send them.

:func:`input_bytes` is the cheap size of an input (file sizes), which
``claimx extract`` weighs before a live run to ask for confirmation on a
terminal (:data:`LARGE_INPUT_BYTES`).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from claimx.errors import InputError
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache, request_key
from claimx.llm.config import ClientConfig
from claimx.llm.protocol import Completion
from claimx.models import Usage
from claimx.runs.inputs import DEFAULT_GLOB, STDIN, folder_files, iter_inputs

T = TypeVar("T", bound=BaseModel)


#: characters per token of the estimate (English prose with OpenAI's tokenizers: about 4)
CHARS_PER_TOKEN = 4
#: input size above which a live run on a terminal asks first (about 250k tokens of text)
LARGE_INPUT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class PlannedRequest:
    """One request a live run would make, and its cache key."""

    key: str
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    max_tokens: int


class RequestRecorder:
    """A :class:`~claimx.llm.protocol.Model` that records requests and answers "nothing found".

    The empty answer is built without validation (``model_construct``): it is
    never shown to anyone, it only lets the pipeline go on to its next request.
    """

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self.requests: list[PlannedRequest] = []

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        tokens = max_tokens or self.config.max_tokens
        key = request_key(self.config, messages, response_model, tokens)
        self.requests.append(PlannedRequest(key, messages, response_model, tokens))
        # "nothing found" in the answer's own shape: what its schema allows with the fewest
        # items (the numbered answer of the staged prompts needs one entry per sentence)
        return Completion(
            value=empty_answer(response_model),
            usage=Usage(),
            raw="",
            latency_s=0.0,
        )


def empty_answer(response_model: type[T]) -> T:
    """An answer of ``response_model`` that finds nothing, valid against its schema.

    Built from the JSON schema (the smallest instance it allows: no optional field,
    the fewest items, constants as they are), then validated; a schema this cannot
    satisfy (a lower bound on a number, a pattern) falls back to a model built
    without validation, which is enough for the ask stages that only read lists.
    """
    schema = _schema(response_model)
    instance = _smallest(schema, schema.get("$defs", {}))
    try:
        return response_model.model_validate(instance)
    except ValueError:
        return response_model.model_construct(None, **instance)


@functools.lru_cache(maxsize=128)  # a staged prompt has a model per request: bounded
def _schema(response_model: type[BaseModel]) -> dict[str, Any]:
    return response_model.model_json_schema()


def _smallest(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _smallest(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = schema[key]
            null = [o for o in options if o.get("type") == "null"]
            return None if null else _smallest(options[0], defs)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {k: _smallest(properties[k], defs) for k in schema.get("required", [])}
    if kind == "array":
        if "prefixItems" in schema:
            return [_smallest(item, defs) for item in schema["prefixItems"]]
        return [_smallest(schema.get("items", {}), defs)] * int(schema.get("minItems", 0))
    return {"string": "", "integer": 0, "number": 0.0, "boolean": False}.get(str(kind))


def article_requests(extractor: Extractor, text: str, *, article_id: str) -> list[PlannedRequest]:
    """The requests :meth:`Extractor.aextract` makes for this article, without calling a model.

    ``aextract`` itself runs, against the recorder: whatever it asks (chunks,
    stages), the recorder sees, and it raises :class:`InputError` for text a
    live run would refuse.
    """
    recorder = RequestRecorder(extractor.config)
    # A loop of its own: a pipeline sends an article's requests concurrently.
    asyncio.run(extractor.aextract(text, article_id=article_id, llm=recorder))
    return recorder.requests


def iter_requests(
    extractor: Extractor, paths: Sequence[Path], *, glob: str = DEFAULT_GLOB
) -> Iterator[PlannedRequest]:
    """Every request of every readable article under ``paths``, article after article."""
    for item in iter_inputs(paths, glob=glob):
        if item.article is None:
            continue  # the final run records unreadable inputs in the errors file
        try:
            yield from article_requests(extractor, item.article.text, article_id=item.article.id)
        except InputError:
            continue  # same: an empty article fails in the final run, as in a live one


@dataclass
class Plan:
    """What a run would send (see module doc)."""

    articles: int = 0
    #: inputs that cannot be read (they would go to the errors file)
    unreadable: int = 0
    requests: int = 0
    #: of those, answered from the response cache: not sent
    cached: int = 0
    #: characters of the messages of the requests to send
    prompt_chars: int = 0
    #: the completion tokens those requests may use at most (max_tokens each)
    completion_tokens_max: int = 0
    #: the largest article, in requests (one article can cost hundreds)
    most_requests: int = 0
    most_requests_id: str | None = None

    @property
    def prompt_tokens(self) -> int:
        """Estimated prompt tokens of the requests to send."""
        return self.prompt_chars // CHARS_PER_TOKEN


def plan_run(
    extractor: Extractor,
    paths: Sequence[Path],
    *,
    glob: str = DEFAULT_GLOB,
    cache: ResponseCache | None = None,
) -> Plan:
    """Count what a run of ``extractor`` over ``paths`` sends, without sending it."""
    plan = Plan()
    for item in iter_inputs(paths, glob=glob):
        if item.article is None:
            plan.unreadable += 1
            continue
        try:
            requests = article_requests(extractor, item.article.text, article_id=item.article.id)
        except InputError:
            plan.unreadable += 1
            continue
        plan.articles += 1
        if len(requests) > plan.most_requests:
            plan.most_requests, plan.most_requests_id = len(requests), item.article.id
        for request in requests:
            plan.requests += 1
            if cache is not None and cache.get(request.key, request.response_model) is not None:
                plan.cached += 1
                continue
            plan.prompt_chars += sum(len(m.get("content") or "") for m in request.messages)
            plan.completion_tokens_max += request.max_tokens
    return plan


def input_bytes(paths: Sequence[Path], *, glob: str = DEFAULT_GLOB) -> int:
    """The size of the files a run would read (standard input counts 0: it is not known)."""
    total = 0
    for path in paths:
        if path == STDIN:
            continue
        files = [f for f, _ in folder_files(path, glob)] if path.is_dir() else [path]
        for file in files:
            try:
                total += file.stat().st_size
            except OSError:
                continue  # reported by the run itself
    return total


__all__ = [
    "CHARS_PER_TOKEN",
    "LARGE_INPUT_BYTES",
    "Plan",
    "PlannedRequest",
    "RequestRecorder",
    "article_requests",
    "empty_answer",
    "input_bytes",
    "iter_requests",
    "plan_run",
]
