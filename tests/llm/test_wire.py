"""The SDK call as claimx makes it (claimx.llm.wire) sends what openai's own ``create`` sends."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import instructor
import openai
import pytest

from claimx.extraction.drafts import ClaimDrafts
from claimx.llm.wire import answer_model, post_chat_completion, wire_body

COMPLETION = {
    "id": "synthetic-1",
    "object": "chat.completion",
    "created": 0,
    "model": "synthetic",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": '{"claims": []}'},
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
}


def params() -> dict[str, Any]:
    """A call as instructor makes it for claimx (json_schema mode, a few-shot prompt)."""
    schema = answer_model(ClaimDrafts).model_json_schema()
    return {
        "model": "synthetic",
        "messages": [
            {"role": "system", "content": "Extract claims. “Quotes” stay as they are."},
            {"role": "user", "content": "An example"},
            {"role": "assistant", "content": '{"claims": []}'},
            {"role": "user", "content": "The article"},
        ],
        "temperature": 0.0,
        "seed": 0,
        "max_tokens": 500,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "ClaimDrafts", "schema": schema},
        },
    }


def sent_by(call: str) -> tuple[httpx2.Request, Any]:
    """The request a call sends, and what it returns, through a mock transport."""
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=COMPLETION)

    async def go() -> Any:
        raw = openai.AsyncOpenAI(
            base_url="http://127.0.0.1:9/v1",
            api_key="sk-synthetic",
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(handler)),
        )
        create = raw.chat.completions.create if call == "sdk" else post_chat_completion(raw)
        try:
            return await create(**params())
        finally:
            await raw.close()

    answer = asyncio.run(go())
    (request,) = seen
    return request, answer


def test_the_request_is_byte_for_byte_the_one_the_sdk_create_sends() -> None:
    ours, our_answer = sent_by("claimx")
    sdk, sdk_answer = sent_by("sdk")
    assert ours.method == sdk.method == "POST"
    assert ours.url == sdk.url
    assert ours.content == sdk.content  # same keys, same order, same bytes
    assert dict(ours.headers) == dict(sdk.headers)  # the API key included
    assert ours.headers["authorization"] == "Bearer sk-synthetic"
    assert our_answer == sdk_answer
    assert list(json.loads(ours.content)) == [
        "messages",
        "model",
        "max_tokens",
        "response_format",
        "seed",
        "temperature",
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"stream": True},
        {"extra_headers": {"x-a": "b"}},
        {"timeout": 3.0},
        {"not_a_parameter": 1},
        {"messages": ({"role": "user", "content": "a tuple, not a list"},)},
        {"temperature": openai.omit},
    ],
)
def test_what_only_the_sdk_may_shape_goes_to_create(change: dict[str, Any]) -> None:
    assert wire_body(params()) is not None
    assert wire_body(params() | change) is None


def test_the_answer_model_is_wrapped_once_and_its_schema_cannot_be_changed_by_a_caller() -> None:
    wrapped = answer_model(ClaimDrafts)
    assert answer_model(ClaimDrafts) is wrapped
    assert issubclass(wrapped, ClaimDrafts) and issubclass(wrapped, instructor.ResponseSchema)
    # The schema instructor would send for a model it wraps itself.
    assert wrapped.model_json_schema() == instructor.openai_schema(ClaimDrafts).model_json_schema()
    first = wrapped.model_json_schema()
    first["properties"].clear()
    assert wrapped.model_json_schema()["properties"]
    # Other arguments still reach pydantic.
    assert "properties" in wrapped.model_json_schema(mode="serialization")
