"""An article's independent requests go out together, up to the run's request limit.

Against the SYNTHETIC server of :mod:`tests.fake_openai_server` (regex answers,
not model output): these tests check the machinery, never extraction quality.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from claimx.extraction.extractor import Extractor
from claimx.llm.config import ClientConfig
from claimx.llm.layers import open_model
from claimx.llm.server import server_slots
from claimx.models import Article, ExtractionResult
from claimx.runs.inputs import InputItem
from claimx.runs.orchestrator import (
    DEFAULT_CONCURRENCY,
    BatchOptions,
    Job,
    default_concurrency,
    run_jobs,
)
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article

#: a staged prompt: one request per candidate sentence of the article
STAGED = "toy@v2"


def config(server: FakeOpenAIServer, tmp_path: Path) -> ClientConfig:
    return ClientConfig(
        model="synthetic",
        base_url=server.base_url,
        timeout_s=5.0,
        failures_dir=tmp_path / "failures",
    )


def extract(server: FakeOpenAIServer, tmp_path: Path, limit: int) -> ExtractionResult:
    extractor = Extractor(STAGED, config=config(server, tmp_path))

    async def go() -> ExtractionResult:
        model = open_model(extractor.config, max_requests=limit)
        try:
            return await extractor.aextract(synthetic_article(3), article_id="a3", llm=model)
        finally:
            await model.aclose()

    return asyncio.run(go())


def comparable(result: ExtractionResult) -> dict[str, Any]:
    return result.model_dump(exclude={"latency_s"})


def test_an_articles_requests_overlap_up_to_the_limit_with_the_sequential_result(
    tmp_path: Path,
) -> None:
    with FakeOpenAIServer(latency_s=0.15, max_seconds=60) as server:
        sequential = extract(server, tmp_path, limit=1)
        assert server.state.max_in_flight == 1
        requests = server.requests
        assert requests >= 3  # several candidates: something to overlap
    with FakeOpenAIServer(latency_s=0.15, max_seconds=60) as server:
        together = extract(server, tmp_path, limit=3)
        assert server.state.max_in_flight == 3  # one article, three requests at once
        assert server.requests == requests
    assert comparable(together) == comparable(sequential)
    assert sequential.claims and sequential.usage.calls == requests


def test_a_run_limits_requests_across_its_articles(tmp_path: Path) -> None:
    items = [InputItem(f"a{i}", Article(id=f"a{i}", text=synthetic_article(i))) for i in range(3)]
    with FakeOpenAIServer(latency_s=0.1, max_seconds=60) as server:
        extractor = Extractor(STAGED, config=config(server, tmp_path))
        options = BatchOptions(concurrency=2, output=tmp_path / "out.jsonl", durable=False)
        stats = asyncio.run(run_jobs([Job(extractor, items, options)]))
        assert stats.done == 3
        assert server.state.max_in_flight == 2


def test_a_local_server_s_slots_are_the_default_concurrency(tmp_path: Path) -> None:
    with FakeOpenAIServer(slots=3, max_seconds=30) as server:
        assert server_slots(server.base_url) == 3
        assert default_concurrency(config(server, tmp_path)) == 3
    with FakeOpenAIServer(max_seconds=30) as server:  # no /props: one slot
        assert server_slots(server.base_url) is None
        assert default_concurrency(config(server, tmp_path)) == 1
    # Nothing listening: one slot, without waiting for the probe's timeout.
    assert server_slots("http://127.0.0.1:9/v1") is None
    remote = ClientConfig(model="m", base_url="https://api.example.invalid/v1", api_key="k")
    assert default_concurrency(remote) == DEFAULT_CONCURRENCY  # no probe: not ours to ask
