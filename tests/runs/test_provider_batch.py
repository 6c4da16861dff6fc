"""Provider batch runs against the SYNTHETIC batch server (tests/fake_batch_server.py)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.llm.layers import open_model
from claimx.runs.provider_batch import (
    BatchState,
    article_requests,
    batch_dir,
    load_state,
    request_body,
    state_cost,
)
from tests.fake_batch_server import FakeBatchServer, LineOutcome, answer_line
from tests.fake_openai_server import OK, FakeOpenAIServer, Request, synthetic_article

N = 6


def corpus(tmp_path: Path, n: int = N) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": synthetic_article(i)}) + "\n" for i in range(n))
    )
    return path


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["article_id"] for line in path.read_text().splitlines() if line]


def run_spec(extractor: Extractor, source: Path, out: Path) -> Any:
    from claimx.runs.spec import RunOptions, RunSpec

    return RunSpec.of(extractor, inputs=[source], run=RunOptions(output=out))


def cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result


@pytest.mark.parametrize("prompt", ["toy@v1", "toy@v2"])
def test_batch_lines_are_the_requests_a_live_run_posts_keyed_by_the_cache_key(
    prompt: str, tmp_path: Path
) -> None:
    posted: list[dict[str, Any]] = []

    def script(request: Request) -> Any:
        posted.append(request.body)
        return OK

    text = synthetic_article(3)
    with FakeOpenAIServer(script) as server:
        config = ClientConfig(
            model="synthetic", base_url=server.base_url, failures_dir=tmp_path / "f"
        )
        extractor = Extractor(prompt, config=config)
        planned = article_requests(extractor, text, article_id="a3")
        with ResponseCache.open(tmp_path / "cache") as cache:
            llm = open_model(config, cache=cache)

            async def live() -> None:
                await extractor.aextract(text, article_id="a3", llm=llm)
                await llm.aclose()

            asyncio.run(live())
            # every planned custom_id is the key the live run stored its answer under
            assert all(cache.get(r.key, r.response_model) is not None for r in planned)
            assert len(cache) == len({r.key for r in planned})
    assert len(planned) == len(posted) > (1 if prompt == "toy@v2" else 0)
    assert [request_body(config, r) for r in planned] == posted


def test_submit_expire_collect_follow_up_then_a_normal_run_makes_no_calls(tmp_path: Path) -> None:
    """The batch expires after 4 of 6 lines: those are kept, the rest go in a follow-up batch."""
    source = corpus(tmp_path)
    out = tmp_path / "out.jsonl"
    with FakeBatchServer(complete_after_s=0.2, expire_after_lines=4) as server:
        common = ["--base-url", server.base_url, "--model", "synthetic"]
        submitted = cli("batch", "submit", str(source), "-o", str(out), "-p", "toy@v1", *common)
        assert submitted.exit_code == 0, submitted.output
        state = load_state(out)
        assert state.rounds[0].shards[0].batch_id == "batch_1"
        assert server.state.lines_received == N

        status = cli("batch", "status", "-o", str(out))
        assert re.search(r"batch_1 (in_progress|expired) ", status.output), status.output

        # issue 25 (10): --wait waited for one round only (a run with an expiry took four
        # collects); it now waits for the follow-up rounds too, and writes the results.
        collected = cli("batch", "collect", "-o", str(out), "--wait", "--poll-s", "0.1")
        assert collected.exit_code == 0, collected.output
        assert "6 written" in collected.output and "0 live call(s)" in collected.output
        state = load_state(out)
        assert state.done and state.rounds[0].shards[0].status == "expired"
        assert [s.requests for s in state.rounds[1].shards] == [2]
        assert sorted(ids_of(out)) == [f"a{i}" for i in range(N)]
        assert server.state.lines_received == N + 2  # each request asked once, 2 twice
        assert "prompt +" in collected.output  # tokens reported

        # A normal run over the same corpus: every answer from the cache, no model call
        # (the synthetic batch server has no chat route: a call would fail the article).
        again = tmp_path / "again.jsonl"
        normal = cli("extract", str(source), "-o", str(again), "-p", "toy@v1", *common)
        assert normal.exit_code == 0, normal.output
        assert server.state.chat_requests == 0
    first_results = {
        json.loads(x)["article_id"]: json.loads(x) for x in out.read_text().splitlines()
    }
    for line in again.read_text().splitlines():
        record = json.loads(line)
        assert record["claims"] == first_results[record["article_id"]]["claims"]


def test_invalid_answers_are_reasked_and_failed_lines_asked_again(tmp_path: Path) -> None:
    source = corpus(tmp_path, 4)
    out = tmp_path / "out.jsonl"
    outcomes: dict[str, LineOutcome] = {}

    def script(custom_id: str, attempt: int) -> LineOutcome:
        # first line of the file fails validation, second fails outright; both fine later
        if attempt == 1 and len(outcomes) < 2:
            outcomes[custom_id] = "invalid" if not outcomes else "fail"
            return outcomes[custom_id]
        return "ok"

    with FakeBatchServer(complete_after_s=0.1, line_script=script) as server:
        common = ["--base-url", server.base_url, "--model", "synthetic"]
        assert (
            cli("batch", "submit", str(source), "-o", str(out), "-p", "toy@v1", *common).exit_code
            == 0
        )
        time.sleep(0.3)  # the batch is done: one collect, without waiting for the next round
        first = cli("batch", "collect", "-o", str(out))
        assert "1 invalid answer(s) to re-ask" in first.output, first.output
        follow_up = batch_dir(out) / "requests-r2-001.jsonl"
        lines = {
            json.loads(x)["custom_id"]: json.loads(x) for x in follow_up.read_text().splitlines()
        }
        invalid, failed = (k for k, v in outcomes.items() if v == "invalid"), None
        invalid_id = next(invalid)
        failed = next(k for k, v in outcomes.items() if v == "fail")
        assert set(lines) == {invalid_id, failed}
        # the re-ask carries the bad answer and instructor's correction turn
        reask = lines[invalid_id]["body"]["messages"]
        plain = lines[failed]["body"]["messages"]
        assert len(reask) == len(plain) + 2
        assert reask[-2]["role"] == "assistant" and "claim with no speaker" in reask[-2]["content"]
        second = cli("batch", "collect", "-o", str(out), "--wait", "--poll-s", "0.1")
        assert "4 written" in second.output, second.output
    assert sorted(ids_of(out)) == ["a0", "a1", "a2", "a3"]


def test_the_same_request_file_runs_through_vllm_run_batch_and_collect_reads_its_output(
    tmp_path: Path,
) -> None:
    source = corpus(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    submitted = cli(
        "batch", "submit", str(source), "-o", str(out), "-p", "toy@v2", "--no-upload",
        "--base-url", "http://127.0.0.1:9/v1", "--model", "synthetic",
    )  # fmt: skip
    assert "vllm.entrypoints.openai.run_batch" in submitted.output
    requests = batch_dir(out) / "requests-r1-001.jsonl"
    vllm_out = tmp_path / "vllm-output.jsonl"
    with requests.open() as src, vllm_out.open("w") as dst:
        for raw in src:
            line = json.loads(raw)
            assert set(line) == {"custom_id", "method", "url", "body"}
            assert line["url"] == "/v1/chat/completions" and line["method"] == "POST"
            dst.write(json.dumps(answer_line(line)) + "\n")  # what run_batch writes
    collected = cli("batch", "collect", "-o", str(out), "--from-file", str(vllm_out))
    assert collected.exit_code == 0, collected.output
    assert "3 written" in collected.output and "0 live call(s)" in collected.output
    assert sorted(ids_of(out)) == ["a0", "a1", "a2"]
    assert all(json.loads(x)["claims"] for x in out.read_text().splitlines())


def test_cost_applies_the_batch_discount_where_the_provider_has_one() -> None:
    def state(model: str, base_url: str | None = None) -> BatchState:
        from claimx.runs.spec import RunOptions, RunSpec

        client = ClientConfig(model=model, base_url=base_url)
        spec = RunSpec(
            prompt="toy@v1", prompt_hash="x", client=client, run=RunOptions(output=Path("x"))
        )
        return BatchState(spec=spec, prompt_tokens=2_000_000, completion_tokens=1_000_000)

    openai_batch = state_cost(state("gpt-4o-mini"))
    assert openai_batch.list_usd == pytest.approx(0.30 + 0.60)
    assert openai_batch.batch_usd == pytest.approx(0.45)
    other = state_cost(state("gpt-4o-mini", "https://example.org/v1"))
    assert other.batch_usd == other.list_usd
    local = state_cost(state("local"))
    assert local.batch_usd is None and "no price" in local.describe()


def test_collect_without_a_batch_run_says_how_to_start_one(tmp_path: Path) -> None:
    from claimx.errors import ConfigError

    with pytest.raises(ConfigError, match="claimx batch submit"):
        load_state(tmp_path / "nothing.jsonl")


def test_collect_live_asks_what_an_expired_batch_left_from_the_endpoint(tmp_path: Path) -> None:
    import openai

    from claimx.runs.provider_batch import collect, start

    source = corpus(tmp_path, 5)
    out = tmp_path / "out.jsonl"
    with FakeBatchServer(complete_after_s=0.0, expire_after_lines=3) as batches:
        client = openai.OpenAI(base_url=batches.base_url, api_key="x")
        config = ClientConfig(model="synthetic", base_url=batches.base_url)
        extractor = Extractor("toy@v1", config=config.with_(failures_dir=tmp_path / "f"))
        with ResponseCache.open(tmp_path / "cache") as cache:
            state, _ = start(run_spec(extractor, source, out), cache, client=client)
            result = collect(state, cache, client=client, live=True)
        assert result.tally.answered == 3 and result.tally.pending == 2
        assert result.stats is not None and result.stats.calls == 2 == batches.state.chat_requests
        assert result.stats.cache_hits == 3
    assert sorted(ids_of(out)) == [f"a{i}" for i in range(5)]
    assert load_state(out).done


def test_an_answer_invalid_after_every_reask_waits_for_a_live_finish(tmp_path: Path) -> None:
    import openai

    from claimx.runs.provider_batch import collect, start

    source = corpus(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    stubborn: list[str] = []

    def script(custom_id: str, attempt: int) -> LineOutcome:
        stubborn[:] = stubborn or [custom_id]
        return "invalid" if custom_id == stubborn[0] else "ok"

    with FakeBatchServer(complete_after_s=0.0, line_script=script) as batches:
        client = openai.OpenAI(base_url=batches.base_url, api_key="x")
        config = ClientConfig(model="synthetic", base_url=batches.base_url)
        extractor = Extractor("toy@v1", config=config.with_(failures_dir=tmp_path / "f"))
        with ResponseCache.open(tmp_path / "cache") as cache:
            state, _ = start(run_spec(extractor, source, out), cache, client=client)
            first = collect(state, cache, client=client)  # invalid -> re-asked in round 2
            assert first.tally.invalid == 1 and first.stats is None and len(state.rounds) == 2
            second = collect(state, cache, client=client)  # still invalid: retries spent
            assert second.tally.given_up == 1 and second.stats is None and not out.exists()
            assert len(state.rounds) == 2  # no third batch
            done = collect(state, cache, client=client, live=True)
        assert done.stats is not None and done.stats.calls == 1 == batches.state.chat_requests
    assert sorted(ids_of(out)) == ["a0", "a1", "a2"]


def test_a_server_without_the_batch_api_is_named_as_such_not_as_a_connection_error(
    tmp_path: Path,
) -> None:
    # issue 25 (10): a submit against a server with no /v1/files said "Connection error."
    source = corpus(tmp_path, 1)
    with FakeOpenAIServer(max_seconds=60) as chat_only:  # serves chat completions only
        common = ["--base-url", chat_only.base_url, "--model", "synthetic", "-p", "toy@v1"]
        result = cli("batch", "submit", str(source), "-o", str(tmp_path / "o.jsonl"), *common)
    assert result.exit_code == 1
    assert "has no batch API" in result.stderr and "/v1/files" in result.stderr
    assert "Connection error" not in result.stderr
    dead = ["--base-url", "http://127.0.0.1:9/v1", "--model", "synthetic", "-p", "toy@v1"]
    down = cli("batch", "submit", str(source), "-o", str(tmp_path / "d.jsonl"), *dead)
    assert down.exit_code == 1
    assert "cannot reach the endpoint" in down.stderr and "is the server running" in down.stderr


def test_batch_files_and_state_are_owner_only_and_hold_the_spec_not_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 25 (9): batch files (every request, every answer) followed the umask
    import os
    import stat

    key = "sk-batch-key-never-stored"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    old = os.umask(0o022)
    try:
        source = corpus(tmp_path, 2)
        out = tmp_path / "out.jsonl"
        with FakeBatchServer(complete_after_s=0.0) as server:
            common = ["--base-url", server.base_url, "--model", "synthetic", "-p", "toy@v1"]
            assert cli("batch", "submit", str(source), "-o", str(out), *common).exit_code == 0
            done = cli("batch", "collect", "-o", str(out), "--wait", "--poll-s", "0.1")
            assert done.exit_code == 0, done.output
    finally:
        os.umask(old)
    folder = batch_dir(out)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = [p for p in folder.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {"state.json", "requests-r1-001.jsonl", "answers.sqlite"}
    assert any(p.name.startswith("output-") for p in files), "the downloaded answers"
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in [*files, out]), [
        (p.name, oct(p.stat().st_mode)) for p in files
    ]
    state = load_state(out)
    assert state.spec.prompt == "toy@v1" and state.spec.client.base_url == server.base_url
    assert state.spec.api_key is not None and state.spec.api_key.env == "OPENAI_API_KEY"
    assert all(key.encode() not in p.read_bytes() for p in files)


def test_a_state_file_of_the_version_before_the_run_spec_still_loads(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    folder = batch_dir(out)
    folder.mkdir()
    (folder / "state.json").write_text(
        json.dumps(
            {
                "version": 1, "paths": [str(tmp_path / "c.jsonl")], "output": str(out),
                "prompt": "toy@v1", "prompt_hash": "abc", "model": "gpt-4o-mini",
                "base_url": None, "mode": "json_schema", "context_tokens": 4096,
                "keep_ungrounded": True, "provider": "batches", "rounds": [], "answered": 3,
            }
        )
    )  # fmt: skip
    state = load_state(out)
    spec = state.spec
    assert (spec.prompt, spec.prompt_hash) == ("toy@v1", "abc")
    assert spec.client.model == "gpt-4o-mini"
    assert spec.extract.context_tokens == 4096 and spec.extract.keep_ungrounded
    assert spec.inputs == (tmp_path / "c.jsonl",) and spec.run.output == out
    assert state.answered == 3 and state.provider == "batches"
