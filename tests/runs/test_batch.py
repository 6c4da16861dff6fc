"""Corpus runs: concurrency, streaming, resume, exactly-once, errors file, progress, CLI.

Runs against the SYNTHETIC server of :mod:`tests.fake_openai_server`: its
answers are regex cut-outs of synthetic articles, not model output, so these
tests check the batch machinery, never extraction quality.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from claimx.cli import app
from claimx.errors import ConfigError, ServerUnreachableError
from claimx.extraction.extractor import Extractor
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.models import ExtractionResult
from claimx.runs.inputs import iter_inputs
from claimx.runs.orchestrator import (
    AppendFile,
    BatchOptions,
    count_inputs,
    read_existing_output,
    run_batch,
)
from claimx.runs.progress import JsonLinesReporter, RichReporter, RunStats, make_reporter
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article


@pytest.fixture
def server() -> Any:
    with FakeOpenAIServer(latency_s=0.02, max_requests=2000, max_seconds=120) as running:
        yield running


def extractor_for(server: FakeOpenAIServer, tmp_path: Path, prompt: str = "toy@v1") -> Extractor:
    config = ClientConfig(
        model="synthetic",
        base_url=server.base_url,
        timeout_s=5,
        transient_retries=1,
        backoff_max_s=0.02,
        failures_dir=tmp_path / "failures",
    )
    return Extractor(prompt, config=config)


def write_jsonl(path: Path, ids: list[str], start: int = 0) -> list[str]:
    with path.open("w", encoding="utf-8") as handle:
        for i, article_id in enumerate(ids, start=start):
            handle.write(json.dumps({"id": article_id, "text": synthetic_article(i)}) + "\n")
    return ids


def claims_by_id(path: Path) -> dict[str, Any]:
    return {r["article_id"]: r["claims"] for r in map(json.loads, path.read_text().splitlines())}


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["article_id"] for line in path.read_text().splitlines()]


def run(
    extractor: Extractor,
    paths: list[Path],
    output: Path,
    *,
    concurrency: int = 4,
    cache: ResponseCache | None = None,
) -> RunStats:
    options = BatchOptions(concurrency=concurrency, output=output)
    return asyncio.run(run_batch(extractor, paths, options, cache=cache))


def test_folder_and_jsonl_each_article_once_with_bounded_concurrency(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(6):
        (folder / f"f{i}.txt").write_text(synthetic_article(i), encoding="utf-8")
    jsonl = tmp_path / "more.jsonl"
    expected = [f"f{i}" for i in range(6)] + write_jsonl(jsonl, [f"j{i}" for i in range(14)], 6)
    out = tmp_path / "out.jsonl"

    stats = run(extractor_for(server, tmp_path), [folder, jsonl], out, concurrency=4)

    assert sorted(ids_in(out)) == sorted(expected)
    for line in out.read_text().splitlines():
        result = ExtractionResult.model_validate_json(line)
        number = int(result.article_id[1:])
        text = synthetic_article(number if result.article_id.startswith("f") else number + 6)
        assert all(text[c.start : c.end] == c.quote for c in result.claims)
        assert len(result.claims) == 4
    assert (stats.total, stats.done, stats.failed, stats.skipped) == (20, 20, 0, 0)
    assert stats.calls == 20 and stats.tokens > 0
    assert 2 <= server.state.max_in_flight <= 4, "concurrent, and never above --concurrency"
    assert not (tmp_path / "out.jsonl.errors.jsonl").exists(), "no empty errors file left behind"


def test_concurrency_one_is_sequential(server: FakeOpenAIServer, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, [f"a{i}" for i in range(5)])
    run(extractor_for(server, tmp_path), [corpus], tmp_path / "out.jsonl", concurrency=1)
    assert server.state.max_in_flight == 1


def test_resume_skips_done_ids_and_cuts_a_torn_last_line(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    ids = write_jsonl(corpus, [f"a{i}" for i in range(8)])
    out = tmp_path / "out.jsonl"
    extractor = extractor_for(server, tmp_path)
    # An earlier run: three whole records, then a write cut short by a kill.
    run(extractor, [corpus], out)
    lines = out.read_text().splitlines(keepends=True)
    done = lines[:3]
    torn = lines[3][: len(lines[3]) // 2]
    out.write_text("".join(done) + torn)
    before = server.requests

    stats = run(extractor, [corpus], out)

    assert sorted(ids_in(out)) == sorted(ids)  # the torn one redone, nothing twice
    assert stats.skipped == 3 and stats.done == 5
    assert server.requests - before == 5


def test_resume_accepts_a_last_record_missing_only_its_newline(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    ids = write_jsonl(corpus, ["a", "b", "c"])
    out = tmp_path / "out.jsonl"
    extractor = extractor_for(server, tmp_path)
    run(extractor, [corpus], out)
    first = out.read_text().splitlines()[0]
    out.write_text(first)  # complete JSON, newline not written
    stats = run(extractor, [corpus], out)
    assert stats.skipped == 1 and stats.done == 2
    assert sorted(ids_in(out)) == sorted(ids)


def test_resume_refuses_foreign_lines_and_other_configurations(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["a", "b"])
    out = tmp_path / "out.jsonl"
    run(extractor_for(server, tmp_path), [corpus], out)
    good = out.read_text()

    out.write_text("not json at all\n" + good)
    with pytest.raises(ConfigError, match=r"out.jsonl:1 is not a claimx JSONL result"):
        run(extractor_for(server, tmp_path), [corpus], out)

    out.write_text(good)
    with pytest.raises(ConfigError, match=r"another configuration.*toy@v2"):
        run(extractor_for(server, tmp_path, prompt="toy@v2"), [corpus], out)
    assert out.read_text() == good, "a refused resume leaves the file alone"


def test_rerun_is_served_from_the_cache_without_model_calls(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, [f"a{i}" for i in range(10)])
    extractor = extractor_for(server, tmp_path)
    with ResponseCache.open(tmp_path / "cache") as cache:
        first = run(extractor, [corpus], tmp_path / "one.jsonl", cache=cache)
        calls_after_first = server.requests
        second = run(extractor, [corpus], tmp_path / "two.jsonl", cache=cache)
    assert first.calls == 10 and first.cache_hits == 0
    assert server.requests == calls_after_first, "the re-run made no model call"
    assert second.calls == 0 and second.cache_hits == 10 and second.tokens == 0
    assert claims_by_id(tmp_path / "one.jsonl") == claims_by_id(tmp_path / "two.jsonl")
    made = {r.article_id: r for r in map(ExtractionResult.model_validate_json, lines(tmp_path, 1))}
    for record in map(ExtractionResult.model_validate_json, lines(tmp_path, 2)):
        # A cached record says so, and keeps what the original call cost apart from usage.
        assert record.cached and record.usage.calls == 0
        assert record.cached_usage == made[record.article_id].usage
        assert not made[record.article_id].cached and made[record.article_id].cached_usage is None


def lines(tmp_path: Path, n: int) -> list[str]:
    return (tmp_path / ("one.jsonl" if n == 1 else "two.jsonl")).read_text().splitlines()


def test_the_circuit_breaker_stops_a_run_on_a_dead_endpoint_and_the_same_command_resumes(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, [f"a{i}" for i in range(12)])
    out = tmp_path / "out.jsonl"
    with FakeOpenAIServer(max_seconds=60) as server:
        port = server.base_url
    # The synthetic server has stopped: nothing listens on its port any more.
    dead = Extractor(
        "toy@v1",
        config=ClientConfig(
            model="synthetic",
            base_url=port,
            timeout_s=2,
            transient_retries=1,
            backoff_max_s=0.01,
            failures_dir=tmp_path / "failures",
        ),
    )
    options = BatchOptions(concurrency=1, output=out, breaker=3)
    with pytest.raises(ServerUnreachableError, match="stopped after 3 articles in a row") as info:
        asyncio.run(run_batch(dead, [corpus], options))
    assert "run the same command again" in str(info.value)
    assert "did not answer a health check" in str(info.value)  # probed before stopping
    failed = (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()
    assert len(failed) == 3, "stopped after N articles, not after all 12"
    assert out.read_text() == ""
    with FakeOpenAIServer(latency_s=0.01, max_seconds=60) as again:
        live = Extractor("toy@v1", config=dead.config.with_(base_url=again.base_url))
        stats = asyncio.run(run_batch(live, [corpus], options))
    assert stats.done == 12 and sorted(ids_in(out)) == sorted(f"a{i}" for i in range(12))


def test_jobs_of_one_run_share_one_model_per_configuration(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimx.llm import layers
    from claimx.runs import orchestrator

    opened: list[ClientConfig] = []

    def counting(config: ClientConfig, **kw: Any) -> Any:
        opened.append(config)
        return layers.open_model(config, **kw)

    monkeypatch.setattr(orchestrator, "open_model", counting)
    v1, v2 = extractor_for(server, tmp_path, "toy@v2"), extractor_for(server, tmp_path)
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["a", "b"])
    jobs = [
        orchestrator.Job(ex, iter_inputs([corpus]), BatchOptions(output=tmp_path / f"{n}.jsonl"), 2)
        for n, ex in (("v1", v1), ("v2", v2))
    ]
    before = server.requests
    stats = asyncio.run(orchestrator.run_jobs(jobs))
    assert opened == [v1.config], "one client for both prompt versions"
    assert (stats.total, stats.done, stats.calls) == (4, 4, server.requests - before)
    assert {
        r["prompt"] for r in map(json.loads, (tmp_path / "v2.jsonl").read_text().splitlines())
    } == {"toy@v1"}


def test_a_success_resets_the_circuit_breaker(server: FakeOpenAIServer, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    ids = [f"a{i}" for i in range(6)]
    with corpus.open("w", encoding="utf-8") as handle:
        for i, article_id in enumerate(ids):
            # Every other article times out (the fault outlasts the retries): never 2 in a row.
            text = synthetic_article(i, fault="kind=timeout delay_s=1 times=9" if i % 2 else "")
            handle.write(json.dumps({"id": article_id, "text": text}) + "\n")
    extractor = Extractor(
        "toy@v1", config=extractor_for(server, tmp_path).config.with_(timeout_s=0.3)
    )
    out = tmp_path / "out.jsonl"
    stats = asyncio.run(
        run_batch(extractor, [corpus], BatchOptions(concurrency=1, output=out, breaker=2))
    )
    assert (stats.done, stats.failed) == (3, 3)


def test_without_cache_a_rerun_asks_again(server: FakeOpenAIServer, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["a", "b", "c"])
    extractor = extractor_for(server, tmp_path)
    run(extractor, [corpus], tmp_path / "one.jsonl")
    run(extractor, [corpus], tmp_path / "two.jsonl")
    assert server.requests == 6


def test_bad_inputs_and_duplicate_ids_are_recorded_and_the_run_goes_on(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"id": "a", "text": synthetic_article(0)}),
        "{broken",
        json.dumps({"id": "a", "text": synthetic_article(1)}),
        json.dumps({"id": "b", "text": synthetic_article(2)}),
    ]
    corpus.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    stats = run(extractor_for(server, tmp_path), [corpus, tmp_path / "missing.txt"], out)
    assert sorted(ids_in(out)) == ["a", "b"]
    errors = [json.loads(x) for x in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    by_source = {e["source"].rsplit("/", 1)[-1]: e for e in errors}
    assert set(by_source) == {"c.jsonl:2", "c.jsonl:3", "missing.txt"}
    assert by_source["c.jsonl:2"]["error_type"] == "InputError"
    assert "not valid JSON" in by_source["c.jsonl:2"]["message"]
    assert by_source["c.jsonl:3"]["article_id"] == "a"
    assert "appears twice" in by_source["c.jsonl:3"]["message"]
    assert "no such file" in by_source["missing.txt"]["message"]
    assert stats.failed == 3 and stats.done == 2 and stats.total == 5


def test_errors_file_starts_afresh_and_a_fixed_article_moves_to_the_output(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.jsonl"
    bad = synthetic_article(1, fault="kind=status status=500")
    corpus.write_text(
        json.dumps({"id": "good", "text": synthetic_article(0)})
        + "\n"
        + json.dumps({"id": "flaky", "text": bad})
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "out.jsonl.errors.jsonl"
    extractor = extractor_for(server, tmp_path)
    run(extractor, [corpus], out)
    assert [json.loads(x)["article_id"] for x in errors.read_text().splitlines()] == ["flaky"]
    # The server recovers (the directive is gone): the re-run retries only the failure.
    corpus.write_text(
        json.dumps({"id": "good", "text": synthetic_article(0)})
        + "\n"
        + json.dumps({"id": "flaky", "text": synthetic_article(1)})
        + "\n"
    )
    stats = run(extractor, [corpus], out)
    assert stats.skipped == 1 and stats.done == 1
    assert sorted(ids_in(out)) == ["flaky", "good"]
    assert not errors.exists(), "the retried failure is gone, and no empty file is left"


def test_a_second_writer_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    first = AppendFile(out, fresh=False, durable=False, lock=True)
    try:
        with pytest.raises(ConfigError, match="being written by another claimx run"):
            AppendFile(out, fresh=False, durable=False, lock=True)
    finally:
        asyncio.run(first.aclose())
    AppendFile(out, fresh=False, durable=False, lock=True)  # free again once closed


def test_read_existing_output_reports_ids_configs_and_torn_bytes(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    record = {"article_id": "x", "model": "m", "prompt_hash": "h"}
    whole = json.dumps(record) + "\n"
    path.write_text(whole + "\n" + whole.replace('"x"', '"y"') + '{"article_id": "z", "mod')
    found = read_existing_output(path)
    assert found.ids == {"x", "y"}
    assert found.configs == {("m", "h")}
    assert found.torn_bytes == len('{"article_id": "z", "mod')
    assert found.valid_length == len(whole) * 2 + 1


def test_count_inputs_matches_what_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.md").write_text("y")
    (tmp_path / "skip.pdf").write_text("z")
    write_jsonl(tmp_path / "c.jsonl", ["1", "2", "3"])
    empty = tmp_path / "empty"
    empty.mkdir()
    # a.txt, c.jsonl's 3 lines, the empty folder's error, the missing file (b.md is opt-in)
    assert count_inputs([tmp_path, empty, tmp_path / "missing.txt"]) == 1 + 3 + 1 + 1


def test_json_progress_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    reporter = JsonLinesReporter(stream, interval_s=0)
    stats = RunStats(total=3)
    reporter.start(stats)
    stats.done = 1
    reporter.update(stats)
    reporter.failed(stats, {"article_id": "b", "error_type": "ServerError", "message": "HTTP 500"})
    stats.failed = 1
    reporter.finish(stats)
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e["event"] for e in events] == ["start", "progress", "article_failed", "done"]
    assert events[1]["done"] == 1 and events[1]["total"] == 3 and events[1]["eta_s"] is not None
    assert events[2]["article_id"] == "b"
    assert events[3]["failed"] == 1


def test_progress_bar_on_a_terminal() -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=160)
    assert isinstance(make_reporter(terminal), RichReporter)
    pipe = Console(file=io.StringIO(), force_terminal=False)
    assert isinstance(make_reporter(pipe), JsonLinesReporter)
    reporter = RichReporter(terminal, label="eval (live)")
    stats = RunStats(total=4, done=2, failed=1, cache_hits=2, calls=7, prompt_tokens=1500)
    reporter.start(stats)
    reporter.failed(stats, {"article_id": "z", "error_type": "ServerError", "message": "boom"})
    reporter.finish(stats)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # without colours
    assert "3/4" in shown
    assert "failed z: ServerError: boom" in shown
    assert "1.5k tokens" in shown and "7 calls" in shown and "eval (live)" in shown


def test_cli_extract_runs_resumes_and_reports(server: FakeOpenAIServer, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["a", "b", "c"])
    with corpus.open("a") as handle:
        bad = synthetic_article(9, fault="kind=status status=500")
        handle.write(json.dumps({"id": "bad", "text": bad}) + "\n")
    out = tmp_path / "out.jsonl"
    args = ["extract", str(corpus), "-o", str(out), "--base-url", server.base_url]
    args += ["--model", "synthetic", "-p", "toy@v1", "-j", "3"]
    args += ["--cache-dir", str(tmp_path / "cache")]
    runner = CliRunner()

    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output
    assert sorted(ids_in(out)) == ["a", "b", "c"]
    events = [json.loads(x) for x in first.stderr.splitlines() if x.startswith("{")]
    assert events[0]["event"] == "start" and events[0]["total"] == 4
    failed = [e for e in events if e["event"] == "article_failed"]
    assert [e["article_id"] for e in failed] == ["bad"]
    assert events[-1]["event"] == "done" and events[-1]["done"] == 3
    assert "see " + str(out) + ".errors.jsonl" in first.stderr.replace("\n", "")

    requests = server.requests
    second = runner.invoke(app, [*args, "--no-cache"])
    assert second.exit_code == 1
    assert sorted(ids_in(out)) == ["a", "b", "c"], "nothing written twice"
    done = [json.loads(x) for x in second.stderr.splitlines() if x.startswith("{")][-1]
    assert done["skipped"] == 3 and done["failed"] == 1
    assert server.requests > requests, "only the failed article was asked again"


# --- partial faults, progress, writes that fail (issue 25) --------------------------------


PARTIAL = {
    "connection reset": ("kind=reset", {}),
    "timeout": ("kind=timeout delay_s=1", {"timeout_s": 0.3}),
}


@pytest.mark.parametrize(("fault", "config"), PARTIAL.values(), ids=list(PARTIAL))
def test_articles_that_fail_on_their_own_do_not_stop_the_run(
    server: FakeOpenAIServer, tmp_path: Path, fault: str, config: dict[str, Any]
) -> None:
    # issue 25 (7): the same few articles always resetting (or timing out) tripped the
    # breaker although the server answered the rest: every re-run stopped again
    corpus = tmp_path / "c.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for i in range(10):
            text = synthetic_article(i, fault=fault if i >= 7 else "")  # the last 3, in a row
            handle.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
    extractor = Extractor("toy@v1", config=extractor_for(server, tmp_path).config.with_(**config))
    out = tmp_path / "out.jsonl"
    options = BatchOptions(concurrency=1, output=out, breaker=3)
    stats = asyncio.run(run_batch(extractor, [corpus], options))
    assert (stats.done, stats.failed) == (7, 3)
    assert sorted(ids_in(out)) == [f"a{i}" for i in range(7)]
    errors = [json.loads(x) for x in (tmp_path / "out.jsonl.errors.jsonl").read_text().splitlines()]
    assert sorted(e["article_id"] for e in errors) == ["a7", "a8", "a9"]
    assert all(e["cause"] and "is the server running" not in e["message"] for e in errors)


def test_heartbeat_progress_while_an_answer_takes_long(tmp_path: Path) -> None:
    # issue 25 (10): no progress output while one answer takes minutes
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["slow"])
    stream = io.StringIO()
    with FakeOpenAIServer(latency_s=3.0, max_seconds=60) as slow:
        options = BatchOptions(concurrency=1, output=tmp_path / "out.jsonl")
        reporter = JsonLinesReporter(stream, interval_s=0.2)
        asyncio.run(run_batch(extractor_for(slow, tmp_path), [corpus], options, reporter=reporter))
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    waiting = [e for e in events if e["event"] == "progress" and e["done"] == 0]
    assert len(waiting) >= 2, events
    assert all(e["in_progress"] == 1 for e in waiting)
    assert events[-1]["event"] == "done" and events[-1]["done"] == 1


def test_a_full_disk_names_the_file_and_the_same_command_finishes_the_run(
    server: FakeOpenAIServer, tmp_path: Path, small_disk: Path
) -> None:
    # issue 25 (10): "No space left on device" did not name the file
    corpus = tmp_path / "c.jsonl"
    ids = write_jsonl(corpus, [f"a{i:03d}" for i in range(120)])
    out = small_disk / "out.jsonl"
    args = ["extract", str(corpus), "-o", str(out), "--base-url", server.base_url]
    args += ["--model", "synthetic", "-p", "toy@v1", "-j", "4", "--no-cache"]
    full = CliRunner().invoke(app, args)
    assert full.exit_code == 1, full.output
    assert f"cannot write {out}: No space left on device" in full.stderr
    assert "claimx bug" not in full.stderr
    written = ids_in_whole_lines(out)
    assert 0 < len(written) < len(ids) and len(set(written)) == len(written)
    moved = tmp_path / "out.jsonl"  # room again: the same run, on a disk with space
    moved.write_bytes(out.read_bytes())
    again = CliRunner().invoke(app, [*args[:3], str(moved), *args[4:]])
    assert again.exit_code == 0, again.output
    assert sorted(ids_in(moved)) == ids  # every article exactly once


def ids_in_whole_lines(path: Path) -> list[str]:
    lines = path.read_bytes().split(b"\n")
    return [json.loads(line)["article_id"] for line in lines[:-1] if line.strip()]


def test_every_output_is_owner_only_whatever_the_umask(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # issue 25 (9) and issue 24: results 0644, --format json 0600; failures for all to read
    import os
    import stat

    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["a", "b"])
    with corpus.open("a") as handle:
        handle.write(json.dumps({"id": "bad", "text": synthetic_article(3, fault=FAULT_400)}))
    common = ["--base-url", server.base_url, "--model", "synthetic", "-p", "toy@v1"]
    old = os.umask(0o022)
    try:
        for name, fmt in (("out.jsonl", "jsonl"), ("out.json", "json")):
            result = CliRunner().invoke(
                app, ["extract", str(corpus), "-o", str(tmp_path / name), "-f", fmt, *common]
            )
            assert result.exit_code == 1, result.output
    finally:
        os.umask(old)
    outputs = ["out.jsonl", "out.jsonl.errors.jsonl", "out.json", "out.json.errors.jsonl"]
    assert {n: oct(stat.S_IMODE((tmp_path / n).stat().st_mode)) for n in outputs} == {
        n: "0o600" for n in outputs
    }


FAULT_400 = "kind=status status=400"


@pytest.mark.parametrize("option", ["--output", "--errors"])
def test_an_unwritable_output_fails_before_any_model_call(
    server: FakeOpenAIServer, tmp_path: Path, read_only: Path, option: str
) -> None:
    # issue 24: output paths checked before the run
    corpus = tmp_path / "c.jsonl"
    write_jsonl(corpus, ["a", "b"])
    target = read_only / "results.jsonl"
    output = target if option == "--output" else tmp_path / "out.jsonl"
    args = ["extract", str(corpus), "-o", str(output), "--base-url", server.base_url]
    args += ["--model", "synthetic", "-p", "toy@v1"]
    if option == "--errors":
        args += ["--errors", str(target)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"cannot write {option} {target}" in result.stderr
    assert server.requests == 0, "refused before any model call"
