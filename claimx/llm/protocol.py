"""The seam between pipelines and models: what a pipeline's stages may ask of a model.

Pipelines depend on :class:`Model` only, never on the concrete client
(:class:`claimx.llm.client.LLM`), so they run in-process against a fake model in
the unit tests, and caching, failure dumps and usage accounting wrap a model
without the pipelines knowing (:mod:`claimx.llm.layers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from claimx.models import Usage

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Completion(Generic[T]):
    """A validated answer with what it cost.

    ``usage`` is what this call cost: zero when ``cached`` (no call was made);
    then ``cached_usage`` is what the call that produced the answer cost.
    """

    value: T
    usage: Usage
    raw: str
    latency_s: float
    cached: bool = False
    cached_usage: Usage | None = None
    #: the endpoint's completion object as the SDK returned it (what a cache stores)
    response: Any = field(default=None, compare=False, repr=False)


class Model(Protocol):
    """Complete chat messages into a validated ``response_model``."""

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        """One structured call. Raises :class:`claimx.errors.ClaimxError` subtypes."""
        ...


class ClosableModel(Model, Protocol):
    """A model holding resources (a connection pool) until :meth:`aclose`."""

    async def aclose(self) -> None:
        """Release what the model holds; it may be used again afterwards."""
        ...
