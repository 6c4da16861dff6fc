"""The seam between strategies and models: what a strategy may ask of a model.

Strategies depend on :class:`Model` only, never on the concrete client
(:class:`claimx.llm.client.LLM`), so they run in-process against a fake model in
the unit tests, and caching, failure dumps and usage accounting can wrap a model
without the strategies knowing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from claimx.models import Usage

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Completion(Generic[T]):
    """A validated answer with what it cost (zero usage when ``cached``: no call was made)."""

    value: T
    usage: Usage
    raw: str
    latency_s: float
    cached: bool = False


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
