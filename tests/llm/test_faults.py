"""Faults of the endpoint: each ends in success after retries, or in a recorded,
explained failure for its article, and the run goes on.

Runs against the SYNTHETIC server of :mod:`tests.fake_openai_server` (its answers
are regex cut-outs of synthetic articles, not model output): these tests check
the machinery around the model, never extraction quality. Backoff is tiny so
the whole file takes seconds; nothing asserts a duration except lower bounds
that a correct implementation always meets (a Retry-After wait).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from claimx.cassettes import use_cassette
from claimx.errors import AuthenticationError, RateLimitedError
from claimx.extraction.extractor import Extractor
from claimx.llm.client import LLM
from claimx.llm.config import ClientConfig
from claimx.prompts import get_prompt
from claimx.runs.orchestrator import BatchOptions, run_batch
from tests.fake_openai_server import FakeOpenAIServer, Fault, synthetic_article
from tests.helpers import answer_model
from tests.helpers import messages as request_messages

ROOT = Path(__file__).resolve().parents[2]


def fast_config(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> ClientConfig:
    """Tiny timeouts and backoff: a retried fault costs milliseconds."""
    settings: dict[str, Any] = {
        "model": "synthetic",
        "base_url": server.base_url,
        "timeout_s": 0.5,
        "transient_retries": 2,
        "validation_retries": 1,
        "backoff_max_s": 0.02,
        "failures_dir": tmp_path / "failures",
    }
    settings.update(overrides)
    return ClientConfig(**settings)


def write_corpus(path: Path, faults: dict[int, str], n: int = 4) -> list[str]:
    """``n`` synthetic articles in JSONL; article ``i`` carries the directive ``faults[i]``."""
    ids = [f"art{i:02d}" for i in range(n)]
    with path.open("w", encoding="utf-8") as handle:
        for i, article_id in enumerate(ids):
            text = synthetic_article(i, fault=faults.get(i, ""))
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return ids


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run(
    server: FakeOpenAIServer, tmp_path: Path, faults: dict[int, str], **config: Any
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    corpus = tmp_path / "corpus.jsonl"
    ids = write_corpus(corpus, faults)
    extractor = Extractor("toy@v1", config=fast_config(server, tmp_path, **config))
    options = BatchOptions(concurrency=2, output=tmp_path / "out.jsonl")
    asyncio.run(run_batch(extractor, [corpus], options))
    results = read_jsonl(tmp_path / "out.jsonl")
    errors = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    return ids, results, errors


@pytest.fixture
def server() -> Any:
    with FakeOpenAIServer(max_requests=500, max_seconds=60) as running:
        yield running


# Each fault hits article 1 for its first `times` attempts; the others are clean.
RECOVERED = {
    "429 with Retry-After": "kind=status status=429 retry_after=0.01 times=2",
    "500": "kind=status status=500 times=2",
    "503": "kind=status status=503 times=1",
    "timeout": "kind=timeout delay_s=1.5 times=1",
    "connection reset": "kind=reset times=2",
    "truncated HTTP body": "kind=bad_body times=1",
    "malformed JSON answer (re-asked)": "kind=bad_content times=1",
}


@pytest.mark.parametrize("fault", list(RECOVERED.values()), ids=list(RECOVERED))
def test_fault_then_success_after_retries(
    server: FakeOpenAIServer, tmp_path: Path, fault: str
) -> None:
    ids, results, errors = run(server, tmp_path, {1: fault})
    assert errors == []
    assert sorted(r["article_id"] for r in results) == ids
    faulted = next(r for r in results if r["article_id"] == "art01")
    assert len(faulted["claims"]) == 4, "the retried answer is the full synthetic answer"
    times = int(fault.rsplit("times=", 1)[1])
    kinds = [kind for _, kind in server.state.log]
    assert kinds.count(fault.split()[0].split("=")[1]) == times, "the fault really happened"
    assert server.requests == len(ids) + times, "one retry per fault, nothing more"


FAILED = {
    "429 forever": (
        "kind=status status=429 retry_after=0.01",
        "RateLimitedError",
        "rate limited (HTTP 429) after retries",
    ),
    "500 forever": ("kind=status status=500", "ServerError", "HTTP 500 after retries"),
    "timeout forever": ("kind=timeout delay_s=1.5", "LLMTimeoutError", "timed out after retries"),
    "reset forever": ("kind=reset", "ServerUnreachableError", "closed the connection"),
    "truncated HTTP body forever": ("kind=bad_body", "ServerError", "not valid JSON"),
    "malformed JSON answer forever": (
        "kind=bad_content",
        "ExtractionError",
        "did not validate after 2 attempt(s)",
    ),
    "cut at the token limit": ("kind=length", "TruncatedOutputError", "max_tokens=1200"),
}


@pytest.mark.parametrize(("fault", "error_type", "explained"), FAILED.values(), ids=list(FAILED))
def test_fault_forever_is_a_recorded_explained_failure_and_the_run_goes_on(
    server: FakeOpenAIServer, tmp_path: Path, fault: str, error_type: str, explained: str
) -> None:
    ids, results, errors = run(server, tmp_path, {1: fault})
    assert sorted(r["article_id"] for r in results) == [i for i in ids if i != "art01"]
    assert len(errors) == 1
    error = errors[0]
    assert error["article_id"] == "art01"
    assert error["source"].endswith("corpus.jsonl:2")
    assert error["error_type"] == error_type
    assert explained in error["message"]
    assert error["prompt"] == "toy@v1" and error["model"] == "synthetic"
    if error_type in ("ExtractionError", "TruncatedOutputError"):
        # The model's raw answer is kept, so nothing it said is lost.
        saved = json.loads(Path(error["raw_output_path"]).read_text(encoding="utf-8"))
        assert saved["raw_output"].startswith('{"claims"')
    else:
        assert error["raw_output_path"] is None
        assert error["cause"], "the SDK error behind it is named"


def test_transient_faults_are_retried_the_configured_number_of_times(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    run(server, tmp_path, {1: "kind=status status=500"}, transient_retries=3)
    faulted = [kind for _, kind in server.state.log if kind == "status"]
    assert len(faulted) == 4  # the first try and three retries


def test_retry_after_is_honoured_over_the_random_backoff(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # Random backoff for a first retry is at most 0.5 s; Retry-After asks for 0.7 s.
    run(server, tmp_path, {1: "kind=status status=429 retry_after=0.7 times=1"}, backoff_max_s=5)
    key = next(k for k, kind in server.state.log if kind == "status")
    first, second = server.state.times[key][:2]
    assert second - first >= 0.7


def test_retry_after_pauses_only_the_request_that_got_it(tmp_path: Path) -> None:
    # issue 25: a 429's Retry-After paused the whole run (20.5 s against 4 s). Article 0
    # is told to wait 1.5 s; the other five articles, never refused, must not wait with it.
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, {0: "kind=status status=429 retry_after=1.5 times=1"}, n=6)
    with FakeOpenAIServer(latency_s=0.05, max_seconds=60) as server:
        extractor = Extractor("toy@v1", config=fast_config(server, tmp_path, backoff_max_s=5))
        options = BatchOptions(concurrency=2, output=tmp_path / "out.jsonl")
        stats = asyncio.run(run_batch(extractor, [corpus], options))
        refused = next(k for k, kind in server.state.log if kind == "status")
        first, retried = server.state.times[refused][:2]
        others = [t for k, times in server.state.times.items() if k != refused for t in times]
    assert stats.done == 6
    assert retried - first >= 1.5, "the refused request waited as long as it was told"
    assert len(others) == 5 and max(others) - first < 1.0, "the others went on meanwhile"


def test_a_reset_connection_is_not_reported_as_a_server_that_is_not_running(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # issue 25 (7): the server answers every other article; "is the server running?" misleads
    ids, results, errors = run(server, tmp_path, {1: "kind=reset"})
    assert [e["article_id"] for e in errors] == ["art01"]
    message = errors[0]["message"]
    assert "is the server running" not in message
    assert "closed the connection without answering" in message
    assert "Connection reset by peer" in message, "the cause is named"
    assert len(results) == len(ids) - 1


async def test_rate_limit_after_all_retries_raises_the_typed_error(tmp_path: Path) -> None:
    spec = get_prompt("toy@v1")
    with FakeOpenAIServer(lambda r: Fault("status", status=429), max_seconds=30) as server:
        llm = LLM(fast_config(server, tmp_path))
        with pytest.raises(RateLimitedError) as info:
            await llm.complete(request_messages(spec, synthetic_article(1)), answer_model(spec))
        await llm.aclose()
    assert "lower --concurrency" in str(info.value)
    assert server.requests == 3


def test_authentication_failure_stops_the_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, {}, n=30)
    with FakeOpenAIServer(lambda r: Fault("status", status=401), max_seconds=30) as server:
        extractor = Extractor("toy@v1", config=fast_config(server, tmp_path))
        options = BatchOptions(concurrency=3, output=tmp_path / "out.jsonl")
        with pytest.raises(AuthenticationError) as info:
            asyncio.run(run_batch(extractor, [corpus], options))
    assert "OPENAI_API_KEY" in str(info.value)
    assert server.requests <= 3 + 3, "stopped at once, not after 30 articles"


# The kill test (a SIGKILL mid-run, then the same command) is a row of the chaos suite,
# tests/runs/test_chaos.py, for every engine.


def test_recording_keeps_the_api_key_out_of_the_cassette_and_replays_without_it(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    secret = "sk-test-0123456789-do-not-record"
    cassette = tmp_path / "synthetic-recording.yaml"
    text = synthetic_article(3)
    recording = fast_config(server, tmp_path, api_key=secret)
    with use_cassette(cassette, "all", rerecord_hint="(test)"):
        recorded = Extractor("toy@v1", config=recording).extract(text)
    body = cassette.read_text(encoding="utf-8")
    assert secret not in body and "authorization" not in body.lower()
    # The replay needs no key and no server: another key, an unreachable URL.
    replaying = fast_config(server, tmp_path, api_key="other", base_url="http://127.0.0.1:9/v1")
    with use_cassette(cassette, "none", rerecord_hint="(test)"):
        replayed = Extractor("toy@v1", config=replaying).extract(text)
    assert replayed.claims == recorded.claims and recorded.claims


def test_shipped_cassettes_hold_no_credentials() -> None:
    root = Path(__file__).resolve().parents[2]
    cassettes = sorted((root / "eval" / "cassettes").rglob("*.yaml"))
    cassettes += sorted((root / "tests" / "cassettes").rglob("*.yaml"))
    assert cassettes
    for path in cassettes:
        text = path.read_text(encoding="utf-8").lower()
        assert "authorization" not in text and "bearer " not in text, path
