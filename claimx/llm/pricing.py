"""Estimated cost of a model's tokens, from a small table of list prices.

An **estimate**: USD per million input and output tokens as the providers
publish them (checked for the models below; prices change, cached-input
discounts and batch rates are ignored). Local models and any model not in the
table cost 0 here, and :func:`is_priced` says which is which, so a report can
print "n/a" rather than a misleading $0.
"""

from __future__ import annotations

__all__ = ["PRICES_PER_MILLION", "estimate_cost", "is_priced", "price_per_million"]

PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    # model: (input, output) USD per 1M tokens, OpenAI list prices
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-3.5-turbo": (0.50, 1.50),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
}


def price_per_million(model: str) -> tuple[float, float] | None:
    """(input, output) USD per 1M tokens, or None for a local or unknown model.

    A provider prefix ("openai/gpt-4o") and a dated snapshot suffix
    ("gpt-4o-mini-2024-07-18") are accepted; the longest known name wins, so
    "gpt-4o-mini-..." is never priced as "gpt-4o".
    """
    name = model.strip().lower().rsplit("/", 1)[-1]
    if name in PRICES_PER_MILLION:
        return PRICES_PER_MILLION[name]
    known = [k for k in PRICES_PER_MILLION if name.startswith(k + "-")]
    return PRICES_PER_MILLION[max(known, key=len)] if known else None


def is_priced(model: str) -> bool:
    """True when :func:`estimate_cost` knows a price for ``model``."""
    return price_per_million(model) is not None


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    """Estimated USD for the tokens; 0.0 for local and unknown models (see module doc)."""
    price = price_per_million(model)
    if price is None:
        return 0.0
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000
