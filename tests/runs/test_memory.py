"""Memory flat in the corpus size (issue 25, 8): what claimx keeps between articles is
bounded by what one article needs, not by how many articles a run has seen.

Not a timing test and not the target (``benchmarks/bench_batch.py`` prints peak RSS at
1,000 / 10,000 / 50,000 articles): these check that the caches keyed by per-article text
stay bounded and that per-request classes are let go. Articles are extracted in
this process with a stub model answering the SYNTHETIC answer (no network).
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

from claimx.extraction.extractor import Extractor
from claimx.llm.config import ClientConfig
from claimx.llm.protocol import Completion
from claimx.models import Usage
from tests.fake_openai_server import synthetic_answer, synthetic_article


class SyntheticModel:
    """Answers every request with the synthetic answer, in process."""

    async def complete(
        self, messages: list[dict[str, str]], response_model: Any, *, max_tokens: Any = None
    ) -> Completion[Any]:
        value = response_model.model_validate(synthetic_answer(messages[-1]["content"], 100))
        return Completion(value=value, usage=Usage(calls=1), raw="", latency_s=0.0)


def extract(extractor: Extractor, start: int, stop: int) -> None:
    async def run() -> None:
        for i in range(start, stop):
            text = synthetic_article(i, paragraphs=16, distinct=True)
            await extractor.aextract(text, article_id=str(i), llm=SyntheticModel())

    asyncio.run(run())


def test_the_caches_keyed_by_article_text_stay_within_what_one_article_needs() -> None:
    # name_tokens kept every paragraph a confidence check looked in (up to 65,536),
    # content_words every claim (8,192), parse_mention every speaker string (16,384):
    # memory grew with the corpus. After 1,100 articles of new names and claims, each
    # holds at most 4,096 entries, none of them a paragraph.
    from claimx.speakers import identity, mentions
    from claimx.text import normalize

    caches = {
        "name_tokens": identity.name_tokens,
        "person_tokens": identity.person_tokens,
        "translit": identity.translit,
        "group_key": identity.group_key,
        "is_personish": identity.is_personish,
        "acronym": identity.acronym,
        "parse_mention": mentions.parse_mention,
        "role_key": mentions.role_key,
        "content_words": normalize.content_words,
    }
    for cache in caches.values():
        cache.cache_clear()
    config = ClientConfig(model="m", base_url="http://127.0.0.1:9/v1")
    extract(Extractor("toy@v1", config=config), 0, 1100)
    held = {name: cache.cache_info().currsize for name, cache in caches.items()}
    assert all(n <= 4096 for n in held.values()), held
    assert held["name_tokens"] > 0 and held["content_words"] > 0, "still caching names, claims"


def test_a_staged_prompts_per_request_models_are_not_kept_for_the_whole_run() -> None:
    # the default prompt builds one answer model per request (its sentences' openings are
    # constants); cached without a bound, a run kept every one: ~0.6 MB an article
    from claimx.extraction.drafts import numbered_answer_model
    from claimx.llm.cache import request_key
    from claimx.llm.wire import answer_model

    config = ClientConfig(model="m", base_url="http://127.0.0.1:9/v1")
    alive = []
    for i in range(600):
        model = numbered_answer_model((f"[1] Speaker {i} said it",), 3)
        answer_model(model)  # what the client wraps for the call
        request_key(config, [{"role": "user", "content": "x"}], model, 100)  # the cache key
        alive.append(weakref.ref(model))
        del model
    gc.collect()
    kept = sum(ref() is not None for ref in alive)
    assert kept <= 3 * 128, f"{kept} of 600 request models still alive"
