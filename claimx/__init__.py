"""claimx: attributed claims, their speakers and stances, extracted from news articles.

>>> import claimx
>>> result = claimx.extract(text, prompt="extract@v2", model="local",
...                         base_url="http://127.0.0.1:8011/v1")  # doctest: +SKIP
>>> [(c.speaker, c.stance, c.claim) for c in result.claims]  # doctest: +SKIP
"""

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
    ExtractedClaim,
    ExtractionResult,
    GoldArticle,
    Grounding,
    Speaker,
    Stance,
    Usage,
)
from claimx.prompts import PromptRegistry, PromptSpec, get_prompt

__version__ = "0.1.0"

__all__ = [
    "Article",
    "AuthenticationError",
    "CassetteMissError",
    "Claim",
    "ClaimxError",
    "ClientConfig",
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
    "PromptError",
    "PromptRegistry",
    "PromptSpec",
    "RateLimitedError",
    "ServerError",
    "ServerUnreachableError",
    "Speaker",
    "Stance",
    "TruncatedOutputError",
    "Usage",
    "__version__",
    "aextract",
    "extract",
    "get_prompt",
]
