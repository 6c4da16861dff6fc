"""Benchmark of provider batch runs: building the request files, collecting the output.

    python benchmarks/bench_provider_batch.py          # about 3 minutes on 2 cores

No endpoint is involved: the request files are written as for ``claimx batch
submit --no-upload``, and the "provider's output" is made by the SYNTHETIC
answer logic of ``tests/fake_batch_server.py`` (regex cut-outs of synthetic
articles, not model output), then read back as ``claimx batch collect
--from-file`` does: validated into the response cache, and the results
written by the corpus runner from the cache. Each step runs in a fresh child
process, so its peak memory (RSS, ``getrusage``) is its own.

Figures printed, for 1,000 and 10,000 articles (prompt extract@v2, one request
per article) and for 1,000 articles of extract@v4 (staged per sentence, about
26 requests each): seconds and peak memory of the plan (request files) and of
the collect; the target is memory flat in corpus size.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import _load, _machine, _ok, write_corpus  # noqa: E402

CASES = (("extract@v2", 1_000), ("extract@v2", 10_000), ("extract@v4", 1_000))


def _state(scratch: Path, corpus: Path, prompt: str) -> Any:
    """The state ``claimx batch submit --no-upload`` starts from, its spec whole."""
    from claimx.extraction.extractor import Extractor
    from claimx.llm.config import ClientConfig
    from claimx.runs.provider_batch import BatchState
    from claimx.runs.spec import ProviderSettings, RunOptions, RunSpec

    config = ClientConfig(model="synthetic", base_url="http://127.0.0.1:9/v1")
    spec = RunSpec.of(
        Extractor(prompt, config=config),
        inputs=[corpus],
        run=RunOptions(output=scratch / "out.jsonl", concurrency=16),
        provider=ProviderSettings(upload=False),
    )
    return BatchState(spec=spec, provider="files")


def _extractor(state: Any) -> Any:
    from claimx.runs.provider_batch import extractor_for

    return extractor_for(state)


def child_plan(args: argparse.Namespace) -> dict[str, Any]:
    from claimx.llm.cache import ResponseCache
    from claimx.runs.provider_batch import plan_round, save_state

    state = _state(args.scratch, args.corpus, args.prompt)
    extractor = _extractor(state)
    with ResponseCache.open(args.scratch / "cache") as cache:
        started = time.perf_counter()
        tally = plan_round(extractor, state, cache)
        seconds = time.perf_counter() - started
    save_state(state)
    files = [args.scratch / "out.jsonl.batch" / s.file for s in tally.shards]
    return {
        "seconds": seconds,
        "requests": tally.pending,
        "shards": len(files),
        "mb": sum(f.stat().st_size for f in files) / 2**20,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_collect(args: argparse.Namespace) -> dict[str, Any]:
    from claimx.llm.cache import ResponseCache
    from claimx.runs.provider_batch import collect, load_state

    state = load_state(args.scratch / "out.jsonl")
    outputs = sorted((args.scratch / "out.jsonl.batch").glob("vllm-output-*.jsonl"))
    with ResponseCache.open(args.scratch / "cache") as cache:
        started = time.perf_counter()
        result = collect(state, cache, files=outputs)
        seconds = time.perf_counter() - started
    assert result.stats is not None, "collect did not finish the run"
    return {
        "seconds": seconds,
        # the last part: the corpus runner writing the results from the cache (as any
        # cached re-run of claimx extract); the rest is reading and validating answers
        "results_s": result.stats.elapsed_s,
        "validated": result.tally.validated,
        "written": result.stats.done,
        "calls": result.stats.calls,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


CHILDREN = {"plan": child_plan, "collect": child_collect}


def child(kind: str, scratch: Path, corpus: Path, prompt: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--scratch", str(scratch)]
    command += ["--corpus", str(corpus), "--prompt", prompt]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child {kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def play_provider(folder: Path) -> None:
    """The provider's side (not timed): answer every request line, as run_batch writes them."""
    from tests.fake_batch_server import answer_line

    for requests in sorted(folder.glob("requests-*.jsonl")):
        target = folder / requests.name.replace("requests-", "vllm-output-")
        with requests.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as dst:
            for raw in src:
                dst.write(json.dumps(answer_line(json.loads(raw))) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prompt", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return
    print("claimx provider batch benchmark (request files and collect; no endpoint)")
    print("  answers  SYNTHETIC (tests/fake_batch_server.py answer logic), not model output")
    print(f"  machine  {_machine()}")
    print(f"  load     {_load()}")
    started = time.perf_counter()
    peaks: dict[tuple[str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="claimx-bench-") as tmp:
        for prompt, n in CASES:
            scratch = Path(tmp) / f"{prompt}-{n}"
            scratch.mkdir()
            corpus = write_corpus(scratch / "corpus.jsonl", n)
            plan = child("plan", scratch, corpus, prompt)
            play_provider(scratch / "out.jsonl.batch")
            got = child("collect", scratch, corpus, prompt)
            peaks[(prompt, n)] = (plan["peak_rss_mb"], got["peak_rss_mb"])
            print(f"\n{prompt}, {n:,} articles: {plan['requests']:,} requests")
            print(
                f"  plan     {plan['seconds']:7.1f} s  ({plan['seconds'] / n * 1000:.2f} ms per"
                f" article)  {plan['shards']} file(s), {plan['mb']:,.0f} MB"
                f"  peak RSS {plan['peak_rss_mb']:.0f} MB"
            )
            print(
                f"  collect  {got['seconds']:7.1f} s  ({got['seconds'] / n * 1000:.2f} ms per"
                f" article)  {got['validated']:,} answers validated, {got['written']:,} results"
                f" written, {got['calls']} model calls  peak RSS {got['peak_rss_mb']:.0f} MB"
            )
            answers_s = got["seconds"] - got["results_s"]
            print(
                f"           of which reading + validating the answers {answers_s:.1f} s"
                f" ({answers_s / plan['requests'] * 1000:.2f} ms per answer), writing the"
                f" results from the cache {got['results_s']:.1f} s (grounding, assembly)"
            )
    small, large = peaks[("extract@v2", 1_000)], peaks[("extract@v2", 10_000)]
    for step, i in (("plan", 0), ("collect", 1)):
        ratio = large[i] / small[i]
        print(
            f"\n  {step}: peak memory x{ratio:.2f} for 10x the articles"
            " (target: flat in corpus size)",
            _ok(ratio < 1.15),
        )
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
