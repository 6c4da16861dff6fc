"""SYNTHETIC model answers for the targeted-stance tests: scripted, never model output.

Two stand-ins, both for exercising the machinery around the model (reading an
answer, the order of the steps, recording, caching, counting calls), never
for measuring answers (the recordings of the real model do that:
``eval/cassettes/local/targeted@v1/``):

* :class:`ScriptedModel`, an in-process :class:`~claimx.llm.protocol.Model`
  that answers each request with what a script returns for its user turn;
* :func:`scripted_answer`, the answer the synthetic server
  (``tests/fake_openai_server.py``, ``answer=``) gives a targeted request:
  every numbered sentence naming "Kirby" is a source refuting the claim, and
  the position is ``uncertain``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from claimx.errors import ExtractionError
from claimx.llm.protocol import Completion
from claimx.models import Usage
from tests.fake_openai_server import Request

T = TypeVar("T", bound=BaseModel)

NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)
#: the schema name of a targeted request (an extraction request's is another)
TARGETED_SCHEMA = "StanceAnswer"

Script = Callable[[str], dict[str, Any] | ExtractionError]


class ScriptedModel:
    """A SYNTHETIC model: records every request, answers with ``script(user turn)``."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[list[dict[str, str]]] = []
        self.schemas: list[type[BaseModel]] = []

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        self.requests.append(messages)
        self.schemas.append(response_model)
        answer = self.script(messages[-1]["content"])
        if isinstance(answer, ExtractionError):
            raise answer
        value = response_model.model_validate(answer)
        usage = Usage(prompt_tokens=300, completion_tokens=20, calls=1)
        return Completion(value=value, usage=usage, raw="{}", latency_s=0.5)

    async def aclose(self) -> None:
        return None


def kirby_sources(user_turn: str) -> dict[str, Any]:
    """Every numbered sentence naming Kirby is his refusal; the article is uncertain."""
    sources = [
        {"sentence": int(n), "speaker": "Kirby", "stance": "refutes"}
        for n, line in NUMBERED.findall(user_turn)
        if "Kirby" in line
    ]
    return {"sources": sources[:1], "position": "uncertain"}


def scripted_answer(request: Request) -> dict[str, Any]:
    """The synthetic server's answer to a targeted request (module docstring)."""
    return kirby_sources(request.text)


def schema_name(request: Request) -> str:
    """The name of the answer schema a request asks for."""
    return str(request.body.get("response_format", {}).get("json_schema", {}).get("name", ""))
