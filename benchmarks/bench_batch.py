"""Benchmark of corpus runs: throughput by concurrency, own overhead, peak memory.

    python benchmarks/bench_batch.py            # about 20 minutes on 2 cores
    python benchmarks/bench_batch.py --full     # every concurrency over 1,000 articles
    python benchmarks/bench_batch.py --memory   # only the peak memory at 1k / 10k / 50k

Everything runs against the SYNTHETIC server of ``tests/fake_openai_server.py``
in its own process, answering every request after a fixed 200 ms. Its answers
are regex cut-outs of synthetic articles (about 3,400 characters, eight quotes
each), so they measure claimx's machinery, not a model. Every article has its
own speakers, topic and wording (``synthetic_article(distinct=True)``), as a
real corpus does: caches keyed by names or text see new keys all along (an
earlier version repeated five names and most words, which hid caches that grew
with the corpus). Each corpus run is a fresh child process (``--child run``), so
its peak memory is its own.

Figures printed:

* throughput at concurrency 1, 4, 16 and 64 (prompt extract@v2, response cache
  on but empty, results fsync-ed), the speed-up over concurrency 1 (target:
  16 is at least 12 times faster), and the client process's CPU per article
  (claimx plus openai/httpx/instructor). Concurrency 16 and 64 run over 1,000
  articles; 1 and 4, whose rate is set by the 200 ms latency alone, over the
  first 100 and 400 unless ``--full`` (1,000 at concurrency 1 is 200 s);
* a re-run of the same 1,000 articles from the cache: time and model calls;
* claimx's own overhead per article, by stage, without network (CPU time):
  parse and validate the answer, ground and assemble, serialise and write the
  result, cache key/lookup/store (target: under 5 ms), and apart from those,
  rendering the prompt;
* peak memory (RSS, ``getrusage``) of a run over 1,000, 10,000 and 50,000
  articles at concurrency 64 (target: the peak at 50,000 at most 1.1 times the
  peak at 1,000).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fake_openai_server

from tests.fake_openai_server import synthetic_answer, synthetic_article  # noqa: E402

LATENCY_S = 0.2
PROMPT = "extract@v2"
CONCURRENCIES = (1, 4, 16, 64)
SIZES = (100, 400, 1000, 10_000, 50_000)
#: the corpus sizes of the memory figures
MEMORY_SIZES = (1000, 10_000, 50_000)
#: synthetic articles of about 3,000 characters with 8 attributed quotes, news-sized
PARAGRAPHS = 16
QUOTES = PARAGRAPHS // 2


def article(i: int) -> str:
    """Article ``i``: its own speakers, topic and wording (``distinct=True``), as in a real
    corpus; caches keyed by names or text see new keys with every article."""
    return synthetic_article(i, paragraphs=PARAGRAPHS, distinct=True)


# --- children: one measurement each, result as one JSON line on stdout ----------------------


def _extractor(base_url: str, scratch: Path) -> Any:
    from claimx.extraction.extractor import Extractor
    from claimx.llm.config import ClientConfig

    config = ClientConfig(
        model="synthetic", base_url=base_url, timeout_s=60, failures_dir=scratch / "failures"
    )
    return Extractor(PROMPT, config=config)


async def _run(
    corpus: Path, concurrency: int, base_url: str, scratch: Path, rerun: bool, cold: bool = False
) -> dict[str, Any]:
    from claimx.llm.cache import ResponseCache
    from claimx.llm.client import LLM
    from claimx.runs.orchestrator import BatchOptions, run_batch

    extractor = _extractor(base_url, scratch)
    # openai imports its resources lazily, on the first client (about 3 s here): a
    # one-time start-up cost that is not throughput, so it is paid before the clock
    # (unless --cold: the Ray benchmark compares whole runs, where both engines pay it).
    if not cold:
        warm = LLM(extractor.config)
        assert warm.client is not None
        await warm.aclose()
    figures: dict[str, Any] = {"baseline_rss_mb": _rss_kb() / 1024}
    with ResponseCache.open(scratch / "cache") as cache:
        for label in ("first", "rerun") if rerun else ("first",):
            options = BatchOptions(concurrency=concurrency, output=scratch / f"{label}.jsonl")
            cpu, wall = time.process_time(), time.perf_counter()
            stats = await run_batch(extractor, [corpus], options, cache=cache)
            figures[label] = {
                "seconds": time.perf_counter() - wall,
                "cpu_s": time.process_time() - cpu,
                "done": stats.done,
                "failed": stats.failed,
                "calls": stats.calls,
                "cache_hits": stats.cache_hits,
                # the process's peak so far: the run's own peak, as imports weigh less
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
    return figures


def child_run(args: argparse.Namespace) -> dict[str, Any]:
    """One corpus run in this fresh process (so its peak memory is the run's alone)."""
    with tempfile.TemporaryDirectory(prefix="claimx-bench-") as scratch:
        return asyncio.run(
            _run(args.corpus, args.concurrency, args.base_url, Path(scratch), args.rerun, args.cold)
        )


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_overhead(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="claimx-bench-") as scratch:
        return asyncio.run(_overhead(args.n, Path(scratch)))


async def _overhead(n: int, scratch: Path) -> dict[str, Any]:
    """claimx's own work per article, stage by stage, with the answer already in hand.

    Timed in CPU time of this thread (``time.thread_time``), so a busy machine
    (other processes, the background fsync) does not inflate the figures.
    """
    from claimx.extraction.assemble import assemble
    from claimx.extraction.pipeline import Pipeline
    from claimx.extraction.records import Draft
    from claimx.llm.cache import ResponseCache, request_key
    from claimx.llm.config import ClientConfig
    from claimx.models import ExtractionResult, Usage
    from claimx.prompts import get_prompt
    from claimx.runs.orchestrator import AppendFile

    spec = get_prompt(PROMPT)
    pipeline = Pipeline(spec)
    config = ClientConfig(model="synthetic", base_url="http://127.0.0.1:1/v1")
    model = pipeline.ask.response_model(spec)
    answers = []
    for i in range(n):
        text = article(i)
        answers.append((text, json.dumps(synthetic_answer(text, spec.params.max_claims))))
    stages = dict.fromkeys(("render", "parse_validate", "ground_assemble", "write", "cache"), 0.0)
    out = AppendFile(scratch / "out.jsonl", fresh=True, durable=True, lock=True)
    with ResponseCache.open(scratch / "cache") as cache:
        for i, (text, content) in enumerate(answers):
            t0 = time.thread_time()
            messages = pipeline.messages(pipeline.plan(text)[0].variables)
            t1 = time.thread_time()
            key = request_key(config, messages, model, spec.params.max_tokens or 1200)
            cache.get(key, model)
            t2 = time.thread_time()
            value = model.model_validate_json(content)
            t3 = time.thread_time()
            drafts = [Draft(claim=c) for c in value.claims]
            done = assemble(
                text, drafts, threshold=90.0, stance=pipeline.stance, speaker=pipeline.speaker
            )
            t4 = time.thread_time()
            usage = Usage(prompt_tokens=1000, completion_tokens=200, calls=1)
            cache.put(key, model="synthetic", completion={"raw": content}, value=value, usage=usage)
            t5 = time.thread_time()
            result = ExtractionResult(
                article_id=f"a{i}",
                claims=done.claims,
                ungrounded=done.ungrounded,
                speakers=done.speakers,
                model="synthetic",
                prompt=spec.ref,
                prompt_hash=pipeline.content_hash,
                strategy=pipeline.names,
                usage=usage,
                latency_s=0.2,
                warnings=done.warnings,
            )
            out.write(result.model_dump_json() + "\n")
            t6 = time.thread_time()
            assert len(result.claims) == QUOTES, "the synthetic quotes must all ground"
            stages["render"] += t1 - t0
            stages["cache"] += (t2 - t1) + (t5 - t4)
            stages["parse_validate"] += t3 - t2
            stages["ground_assemble"] += t4 - t3
            stages["write"] += t6 - t5
            await asyncio.sleep(0)  # let the background fsync run, as in a real batch
    await out.aclose()
    return {name: seconds / n * 1000 for name, seconds in stages.items()}


CHILDREN = {"run": child_run, "overhead": child_overhead}


# --- the parent: corpus, server, children, report -----------------------------------------


def write_corpus(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps({"id": f"bench-{i:05d}", "text": article(i)}) + "\n")
    return path


def child(kind: str, **options: Any) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is not False:
            command += [flag] if value is True else [flag, str(value)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fake_openai_server.py")]
        + ["--latency", str(LATENCY_S), "--max-seconds", "3600", "--max-requests", "200000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    base_url = json.loads(server.stdout.readline())["base_url"]
    return server, base_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="every concurrency over 1,000")
    parser.add_argument("--memory", action="store_true", help="only the peak memory figures")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--rerun", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=1000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimx-bench-") as scratch:
        sizes = MEMORY_SIZES if args.memory else SIZES
        corpora = {n: write_corpus(Path(scratch) / f"corpus-{n}.jsonl", n) for n in sizes}
        run_all(corpora, full=args.full, memory_only=args.memory)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


def run_all(corpora: dict[int, Path], *, full: bool, memory_only: bool = False) -> None:
    server, base_url = start_server()
    latency_ms = LATENCY_S * 1000
    print("claimx batch benchmark")
    print(f"  server   SYNTHETIC (tests/fake_openai_server.py), fixed latency {latency_ms:.0f} ms")
    print(f"  corpus   synthetic articles, ~{len(article(0)):,} chars and {QUOTES} quotes each")
    print(f"  run      prompt {PROMPT}, response cache on (empty), results fsync-ed")
    print(f"  machine  {_machine()}")
    print(f"  load     {_load()}")
    try:
        if memory_only:
            report_memory(corpora, base_url, None)
            return
        at_64, rerun = report_throughput(corpora, base_url, full=full)
        print("\nre-run of the 1,000 articles from the cache (concurrency 64)")
        print(
            f"  {rerun['seconds']:.2f} s, {rerun['calls']} model calls,"
            f" {rerun['cache_hits']} cache hits, {rerun['done']} results written"
        )
        report_overhead()
        report_memory(corpora, base_url, at_64)
    finally:
        server.terminate()
        server.wait(timeout=30)


SAMPLE = {1: 100, 4: 400, 16: 1000, 64: 1000}


def report_throughput(
    corpora: dict[int, Path], base_url: str, *, full: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Print the throughput table; return the concurrency-64 run (with its cache re-run)."""
    print("\nthroughput")
    print("  concurrency  articles  seconds  articles/s  speed-up  client CPU ms/article")
    rates: dict[int, float] = {}
    at_64: dict[str, Any] = {}
    for concurrency in CONCURRENCIES:
        n = 1000 if full else SAMPLE[concurrency]
        figures = child(
            "run",
            corpus=corpora[n],
            concurrency=concurrency,
            base_url=base_url,
            rerun=concurrency == 64,
        )
        first = figures["first"]
        if first["done"] != n or first["failed"]:
            raise SystemExit(f"run at concurrency {concurrency} incomplete: {first}")
        rate = rates[concurrency] = n / first["seconds"]
        if concurrency == 64:
            at_64 = figures
        print(
            f"  {concurrency:>11}  {n:>8}  {first['seconds']:>7.1f}  {rate:>10.1f}"
            f"  {rate / rates[1]:>7.1f}x  {first['cpu_s'] / n * 1000:>21.2f}"
        )
    speedup = rates[16] / rates[1]
    print(f"  target: concurrency 16 >= 12x concurrency 1 -> {speedup:.1f}x", _ok(speedup >= 12))
    return at_64, at_64["rerun"]


def report_overhead() -> None:
    print("\nclaimx's own overhead per article (no network; CPU ms, mean of 1,000 articles)")
    stages = child("overhead", n=1000)
    labels = {
        "parse_validate": "parse + validate the answer",
        "ground_assemble": "ground quotes, resolve speakers, dedupe",
        "write": "serialise + append the result (fsync in background)",
        "cache": "cache key, lookup and store (SQLite)",
    }
    for name, label in labels.items():
        print(f"  {label:<54} {stages[name]:>6.3f} ms")
    total = sum(stages[name] for name in labels)
    print(f"  {'total':<54} {total:>6.3f} ms   target < 5 ms {_ok(total < 5)}")
    render = "(not in the target: rendering the prompt, per request)"
    print(f"  {render:<54} {stages['render']:>6.3f} ms")


def report_memory(corpora: dict[int, Path], base_url: str, at_64: dict[str, Any] | None) -> None:
    print("\npeak memory (concurrency 64, one fresh process per corpus size)")
    print("  articles  seconds  RSS before the run MB  peak RSS MB  growth MB")
    runs: dict[int, dict[str, Any]] = {}
    for n in MEMORY_SIZES:
        if n == 1000 and at_64 is not None:
            runs[n] = at_64  # the throughput run of 1,000 articles at concurrency 64
        else:
            runs[n] = child("run", corpus=corpora[n], concurrency=64, base_url=base_url)
        first = runs[n]["first"]
        if first["done"] != n:
            raise SystemExit(f"run over {n} incomplete: {first}")
        growth = first["peak_rss_mb"] - runs[n]["baseline_rss_mb"]
        print(
            f"  {n:>8}  {first['seconds']:>7.1f}  {runs[n]['baseline_rss_mb']:>21.1f}"
            f"  {first['peak_rss_mb']:>11.1f}  {growth:>9.1f}"
        )
    small = runs[MEMORY_SIZES[0]]["first"]["peak_rss_mb"]
    for n in MEMORY_SIZES[1:]:
        ratio = runs[n]["first"]["peak_rss_mb"] / small
        print(f"  peak at {n:,} / peak at {MEMORY_SIZES[0]:,}: x{ratio:.3f}")
    ratio = runs[MEMORY_SIZES[-1]]["first"]["peak_rss_mb"] / small
    print(f"  target: peak at 50,000 <= 1.1 x peak at 1,000 -> x{ratio:.3f}", _ok(ratio <= 1.1))


def _load() -> str:
    import os

    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) at the start"


def _ok(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def _machine() -> str:
    import os
    import platform

    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"


if __name__ == "__main__":
    main()
