"""Estimated cost of tokens, in USD per million tokens (input, output).

An estimate from public list prices; local models cost nothing per token
(their cost is the wall time the report also shows). Unknown models: None.
"""

from __future__ import annotations

PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "local": (0.0, 0.0),
}


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD for the tokens, or None when the model's price is unknown."""
    price = PRICES_PER_MILLION.get(model)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
