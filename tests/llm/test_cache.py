"""The SQLite response cache: what the key covers, what is stored, how the cache layer uses it.

The LLM tests run against the SYNTHETIC server of :mod:`tests.fake_openai_server`
(regex cut-outs of synthetic articles, not model output).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from claimx.errors import ExtractionError
from claimx.extraction.drafts import ClaimDraft, drafts_model
from claimx.llm.cache import CACHE_FILENAME, ResponseCache, request_key
from claimx.llm.config import ClientConfig, default_cache_dir
from claimx.llm.layers import open_model
from claimx.models import Usage
from claimx.prompts import get_prompt
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article
from tests.helpers import answer_model
from tests.helpers import messages as request_messages

CONFIG = ClientConfig(model="m", base_url="http://127.0.0.1:1/v1")
MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "article text"}]
MODEL = drafts_model(12)


def key(config: ClientConfig = CONFIG, messages: Any = MESSAGES, **kw: Any) -> str:
    return request_key(config, messages, kw.get("model", MODEL), kw.get("max_tokens", 100))


def test_key_ignores_the_api_key_and_how_the_endpoint_is_spelled() -> None:
    assert key(CONFIG.with_(api_key="sk-other")) == key()
    assert key(CONFIG.with_(base_url="HTTP://127.0.0.1:1/v1/")) == key()
    assert key(CONFIG.with_(base_url=None)) == key(
        CONFIG.with_(base_url="https://api.openai.com:443/v1")
    )


def test_key_includes_the_endpoint() -> None:
    # llama-server calls every GGUF "local": the same name on another server is another model.
    assert key(CONFIG.with_(base_url="http://10.0.0.2:9000/v1")) != key()
    assert key(CONFIG.with_(base_url="http://127.0.0.1:2/v1")) != key()


@pytest.mark.parametrize(
    "changed",
    [
        {"config": CONFIG.with_(model="other")},
        {"config": CONFIG.with_(mode="md_json")},
        {"config": CONFIG.with_(temperature=0.7)},
        {"config": CONFIG.with_(seed=1)},
        {"max_tokens": 101},
        {"model": drafts_model(6)},  # another answer schema
        {"messages": [MESSAGES[0], {"role": "user", "content": "article text!"}]},  # article
        {"messages": [{"role": "system", "content": "s2"}, MESSAGES[1]]},  # prompt content
    ],
    ids=["model", "mode", "temperature", "seed", "max_tokens", "schema", "article", "prompt"],
)
def test_key_changes_with_everything_that_changes_the_answer(changed: dict[str, Any]) -> None:
    assert key(**changed) != key()


def test_prompt_versions_render_to_different_keys() -> None:
    text = synthetic_article(0)
    v1, v2 = get_prompt("toy@v2"), get_prompt("toy@v1")
    k1 = request_key(CONFIG, request_messages(v1, text), answer_model(v1), 100)
    k2 = request_key(CONFIG, request_messages(v2, text), answer_model(v2), 100)
    assert k1 != k2


def test_roundtrip_revalidates_and_keeps_the_raw_completion(tmp_path: Path) -> None:
    value = MODEL(
        claims=[ClaimDraft(quote="q", speaker="Ada Lovelace", stance="supports", claim="c")]
    )
    completion = {"choices": [{"message": {"content": value.model_dump_json()}}], "id": "x"}
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        assert cache.get("k", MODEL) is None
        cache.put("k", model="m", completion=completion, value=value, usage=Usage(calls=1))
        hit = cache.get("k", MODEL)
        assert hit is not None and hit.value == value and isinstance(hit.value, MODEL)
        assert hit.raw == value.model_dump_json()
        assert (cache.stats.hits, cache.stats.misses, cache.stats.writes) == (1, 1, 1)
    # persisted, in WAL mode, readable by a plain sqlite client
    db = sqlite3.connect(tmp_path / "c.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT model FROM responses").fetchall() == [("m",)]
    db.close()
    with ResponseCache(tmp_path / "c.sqlite") as again:
        assert len(again) == 1 and again.get("k", MODEL) is not None


def test_a_row_that_no_longer_validates_is_a_miss(tmp_path: Path) -> None:
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        value = MODEL(claims=[])
        cache.put("k", model="m", completion={}, value=value, usage=Usage())
        cache._db.execute("UPDATE responses SET value = '{\"claims\": 3}'")
        assert cache.get("k", MODEL) is None and cache.stats.misses == 1


def test_default_location_is_in_the_claimx_cache_dir() -> None:
    with ResponseCache.open() as cache:
        assert cache.path == default_cache_dir() / CACHE_FILENAME


def config_for(server: FakeOpenAIServer, tmp_path: Path) -> ClientConfig:
    return ClientConfig(
        model="synthetic",
        base_url=server.base_url,
        transient_retries=0,
        validation_retries=0,
        failures_dir=tmp_path / "failures",
    )


async def test_the_cache_layer_serves_a_repeated_request_keeping_its_usage_apart(
    tmp_path: Path,
) -> None:
    spec = get_prompt("toy@v1")
    messages = request_messages(spec, synthetic_article(3))
    with FakeOpenAIServer(max_seconds=30) as server, ResponseCache(tmp_path / "c.sqlite") as cache:
        llm = open_model(config_for(server, tmp_path), cache=cache)
        first = await llm.complete(messages, answer_model(spec))
        second = await llm.complete(messages, answer_model(spec))
        other = await llm.complete(request_messages(spec, synthetic_article(4)), answer_model(spec))
        await llm.aclose()
        # The same model name at another address is another endpoint: not a hit.
        elsewhere = open_model(
            config_for(server, tmp_path).with_(base_url=server.base_url + "/"), cache=cache
        )
        third = await elsewhere.complete(messages, answer_model(spec))
        await elsewhere.aclose()
    assert server.requests == 2
    assert not first.cached and first.usage.calls == 1 and first.usage.total_tokens > 0
    assert second.cached and second.usage == Usage()
    assert second.cached_usage == first.usage  # what the answer cost, kept apart
    assert second.value.model_dump() == first.value.model_dump()
    assert third.cached and third.raw == first.raw  # a trailing slash is the same endpoint
    assert not other.cached and other.value.model_dump() != first.value.model_dump()


async def test_another_endpoint_with_the_same_model_name_is_no_hit(tmp_path: Path) -> None:
    spec = get_prompt("toy@v1")
    messages = request_messages(spec, synthetic_article(3))
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        for _ in range(2):  # two servers, both calling their model "synthetic"
            with FakeOpenAIServer(max_seconds=30) as server:
                llm = open_model(config_for(server, tmp_path), cache=cache)
                answer = await llm.complete(messages, answer_model(spec))
                await llm.aclose()
            assert not answer.cached and server.requests == 1
        assert len(cache) == 2


async def test_failures_are_not_cached(tmp_path: Path) -> None:
    spec = get_prompt("toy@v1")
    messages = request_messages(spec, synthetic_article(3, fault="kind=bad_content times=1"))
    with FakeOpenAIServer(max_seconds=30) as server, ResponseCache(tmp_path / "c.sqlite") as cache:
        llm = open_model(config_for(server, tmp_path), cache=cache)
        with pytest.raises(ExtractionError):
            await llm.complete(messages, answer_model(spec))
        assert len(cache) == 0
        recovered = await llm.complete(messages, answer_model(spec))
        await llm.aclose()
    assert not recovered.cached and len(recovered.value.claims) == 4
    assert server.requests == 2


def test_extract_takes_a_cache(tmp_path: Path) -> None:
    import claimx

    text = synthetic_article(5)
    with FakeOpenAIServer(max_seconds=30) as server, ResponseCache(tmp_path / "c.sqlite") as cache:
        options = {"model": "synthetic", "base_url": server.base_url, "cache": cache}
        first = claimx.extract(text, "toy@v1", **options)  # type: ignore[arg-type]
        second = claimx.extract(text, "toy@v1", **options)  # type: ignore[arg-type]
    assert server.requests == 1
    assert not first.cached and second.cached and second.claims == first.claims
    assert second.usage == Usage() and second.cached_usage == first.usage
