"""claimx: attributed claims, their speakers and stances, extracted from news articles.

>>> import claimx
>>> result = claimx.extract(text, prompt="extract@v2", model="local",
...                         base_url="http://127.0.0.1:8011/v1")  # doctest: +SKIP
>>> [(c.speaker, c.stance, c.claim) for c in result.claims]  # doctest: +SKIP

What a corpus says about one given claim (each source's stance, with evidence):

>>> answers = claimx.stance_toward("The US was behind the attack.", [text], model="local",
...                                base_url="http://127.0.0.1:8011/v1")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimx.errors import (
        AuthenticationError,
        CassetteMissError,
        ClaimxError,
        ConfigError,
        ExtractionError,
        GoldError,
        InputError,
        LLMError,
        LLMTimeoutError,
        PromptError,
        RateLimitedError,
        ServerError,
        ServerUnreachableError,
        TruncatedOutputError,
    )
    from claimx.extraction.extractor import Extractor, aextract, extract
    from claimx.llm.config import ClientConfig
    from claimx.models import (
        Article,
        Claim,
        Confidence,
        ExtractedClaim,
        ExtractionResult,
        GoldArticle,
        Grounding,
        MatchedSource,
        Speaker,
        Stance,
        TargetedAnswer,
        TargetedRecord,
        Usage,
    )
    from claimx.prompts import PromptRegistry, PromptSpec, get_prompt
    from claimx.targeted.api import astance_toward, stance_toward

#: public name -> the module defining it. Imported on first use (PEP 562), so
#: ``import claimx`` (and ``claimx --help``) does not pay for pydantic models,
#: the model client or the scorer until they are used.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "AuthenticationError",
            "CassetteMissError",
            "ClaimxError",
            "ConfigError",
            "ExtractionError",
            "GoldError",
            "InputError",
            "LLMError",
            "LLMTimeoutError",
            "PromptError",
            "RateLimitedError",
            "ServerError",
            "ServerUnreachableError",
            "TruncatedOutputError",
        ],
        "claimx.errors",
    ),
    **dict.fromkeys(["Extractor", "aextract", "extract"], "claimx.extraction.extractor"),
    "ClientConfig": "claimx.llm.config",
    **dict.fromkeys(
        [
            "Article",
            "Claim",
            "Confidence",
            "ExtractedClaim",
            "ExtractionResult",
            "GoldArticle",
            "Grounding",
            "MatchedSource",
            "Speaker",
            "Stance",
            "TargetedAnswer",
            "TargetedRecord",
            "Usage",
        ],
        "claimx.models",
    ),
    **dict.fromkeys(["PromptRegistry", "PromptSpec", "get_prompt"], "claimx.prompts"),
    **dict.fromkeys(["astance_toward", "stance_toward"], "claimx.targeted.api"),
}


def __getattr__(name: str) -> Any:
    """The public names, imported from their module when first asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimx' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__version__ = "0.1.0"

__all__ = [
    "Article",
    "AuthenticationError",
    "CassetteMissError",
    "Claim",
    "ClaimxError",
    "ClientConfig",
    "Confidence",
    "ConfigError",
    "ExtractedClaim",
    "ExtractionError",
    "ExtractionResult",
    "Extractor",
    "GoldArticle",
    "GoldError",
    "Grounding",
    "InputError",
    "LLMError",
    "LLMTimeoutError",
    "MatchedSource",
    "PromptError",
    "PromptRegistry",
    "PromptSpec",
    "RateLimitedError",
    "ServerError",
    "ServerUnreachableError",
    "Speaker",
    "Stance",
    "TargetedAnswer",
    "TargetedRecord",
    "TruncatedOutputError",
    "Usage",
    "__version__",
    "aextract",
    "astance_toward",
    "extract",
    "get_prompt",
    "stance_toward",
]
