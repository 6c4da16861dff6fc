"""What the SDKs redo on every call though it never changes: done once, or not at all.

A recorded request replays in about a millisecond of vcrpy and parsing; around
it, the SDKs spent ten times that on work whose result is the same for every
call of a run (measured with ``benchmarks/bench_eval.py``):

* instructor wraps the answer model in a new pydantic class and regenerates
  its JSON Schema on every call: :func:`answer_model` does both once per model
  (the class instructor would build, its schema computed once), and instructor
  recognises it as already wrapped;
* openai's ``chat.completions.create`` walks the parameters against its type
  declarations to rename aliased keys and encode files, trying every message
  against each member of the message union (4 ms for a 16-message request).
  The chat-completion parameters declare no alias and claimx sends no file,
  so that walk returns its input: :func:`post_chat_completion` posts the same
  body, in the same key order, through the same client (request building,
  authentication, httpx, response parsing), and hands anything else to
  ``create`` itself.

Live calls and replays both go through here: a replay tests the path a live call takes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import cache, lru_cache
from typing import Any, TypeVar

import instructor
import openai
from openai.types.chat import ChatCompletion, completion_create_params
from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)

#: the path ``create`` posts to, and the authentication it asks for
_PATH = "/chat/completions"
_OPTIONS: Any = {"security": {"bearer_auth": True}}


#: response models kept wrapped: those of the requests in flight and their re-asks. A staged
#: prompt builds a model per request (its sentences' openings are constants), so a cache
#: without a bound would hold one class per request of the corpus (issue 25: memory grew
#: by about 0.6 MB an article with the default prompt)
MODEL_CACHE = 128


@lru_cache(maxsize=MODEL_CACHE)
def answer_model(response_model: type[T]) -> type[T]:
    """``response_model`` as instructor wraps it for a call, built once, its schema computed once.

    The schema is handed out as a fresh copy each time, so no caller can change
    the one the next call sends.
    """
    wrapped: type[T] = instructor.openai_schema(response_model)
    schema = json.dumps(wrapped.model_json_schema())
    generate = wrapped.model_json_schema

    def model_json_schema(cls: type[T], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return generate(*args, **kwargs)
        copy: dict[str, Any] = json.loads(schema)
        return copy

    wrapped.model_json_schema = classmethod(model_json_schema)  # type: ignore[assignment,method-assign]
    return wrapped


@cache
def _parameter_order() -> dict[str, int]:
    # The order ``create`` writes the body in: that of its parameter declarations.
    names = completion_create_params.CompletionCreateParamsBase.__annotations__
    return {name: position for position, name in enumerate(names)}


#: JSON's scalar types, by identity: a subclass (an enum, a str subtype) goes to ``create``
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _json_native(value: Any) -> bool:
    """Whether ``value`` is made of JSON's own types only (what the SDK walk leaves alone)."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _json_native(v) for k, v in value.items())
    if kind is list:
        return all(map(_json_native, value))
    return kind in _SCALARS


def wire_body(params: dict[str, Any]) -> dict[str, Any] | None:
    """The body ``create(**params)`` would post, or None when only ``create`` may build it.

    None for a streamed call, an SDK option (``extra_headers``, ``timeout``…), a
    parameter ``create`` does not declare, or a value that is not plain JSON.
    """
    order = _parameter_order()
    if "messages" not in params or "model" not in params or params.get("stream"):
        return None
    if not all(name in order for name in params) or not _json_native(params):
        return None
    return {name: params[name] for name in sorted(params, key=order.__getitem__)}


def post_chat_completion(raw: openai.AsyncOpenAI) -> Callable[..., Awaitable[Any]]:
    """``raw.chat.completions.create`` for instructor, posting plain bodies as they are."""
    create = raw.chat.completions.create

    async def post(**params: Any) -> Any:
        body = wire_body(params)
        if body is None:
            return await create(**params)
        return await raw.post(_PATH, cast_to=ChatCompletion, body=body, options=_OPTIONS)

    return post
