"""Benchmark of the Ray Data engine against the asyncio engine, 1,000 articles.

    python benchmarks/bench_ray.py               # about 8 minutes on 2 cores
    python benchmarks/bench_ray.py --repeat 1    # one run of each, about 3 minutes

Everything runs against the SYNTHETIC server of ``tests/fake_openai_server.py``
in its own process, answering every request after a fixed 200 ms (regex
cut-outs of synthetic articles, not model output), prompt extract@v2 (one
request per article), response cache on and empty. Each run is a fresh child
process; a Ray child starts its own local Ray (``ray.init(num_cpus=2)``, not
timed, as claimx's engine starts it) and runs the engine,
:class:`claimx.runs.ray_engine.RayEngine` (read JSONL, extract, write Parquet
from the driver), with the same :class:`~claimx.runs.spec.RunSpec` the CLI
builds. Every article has its own text (``synthetic_article(distinct=True)``).

Figures printed (medians over ``--repeat`` runs):

* wall time and throughput of the asyncio engine at concurrency 16 and of Ray
  with the same ``-j 16`` and its default pool (autoscaling up to one actor per
  CPU: what ``claimx extract --engine ray -j 16`` runs; the target: at most
  1.3x the asyncio engine's wall time), and with the same 16 requests in flight
  in all (1 actor x 16, 2 actors x 8): end to end (actor start-up included) and
  steady (from the first actor ready to the last batch done); and the peak of
  requests in flight the server saw in each run, so the concurrency is seen to
  be reached. Both engines' runs include their first-client start-up (``--cold``);
* claimx's own CPU per article: the asyncio process; under Ray, the actor
  processes (claimx plus Ray's in-actor work) and every process of the Ray
  session (driver, GCS, raylet, workers: Ray's whole overhead). Target: Ray's
  within 2x of the asyncio engine's;
* a projection to N machines.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_batch import (  # noqa: E402
    LATENCY_S,
    PROMPT,
    _load,
    _machine,
    _ok,
    start_server,
    write_corpus,
)
from bench_batch import child as asyncio_child  # noqa: E402

N = 1_000
#: requests in flight of the asyncio engine, and of Ray in all (actors x per actor)
CONCURRENCY = 16
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of ``root`` and all its descendants, by pid (from /proc)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return {pid: cpu[pid] for pid in tree if pid in cpu}


class TreeSampler:
    """Samples the CPU of a process tree; a process that exits keeps its last sample."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.last.update(tree_cpu_s(self.root))

    def __enter__(self) -> TreeSampler:
        self.base = tree_cpu_s(self.root)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.last.update(tree_cpu_s(self.root))

    def used_s(self) -> float:
        return sum(v - self.base.get(pid, 0.0) for pid, v in self.last.items())


def child_ray(args: argparse.Namespace) -> dict[str, Any]:
    import ray

    from claimx.extraction.extractor import Extractor
    from claimx.llm.config import ClientConfig
    from claimx.runs import ray_engine
    from claimx.runs.progress import NullReporter
    from claimx.runs.spec import RaySettings, RunOptions, RunSpec

    class Instrumented(ray_engine.ExtractBatches):
        """Records this actor's CPU and wall time after start-up and after each batch."""

        def __init__(self, *a: Any, **k: Any) -> None:
            super().__init__(*a, **k)
            self._record = {"ready": time.time(), "cpu0": time.process_time(), "rows": 0}
            self._write()

        async def __call__(self, batch: Any) -> Any:
            out = await super().__call__(batch)
            self._record.update(last=time.time(), cpu=time.process_time())
            self._record["rows"] += batch.num_rows
            self._write()
            return out

        def _write(self) -> None:
            path = Path(os.environ["CLAIMX_BENCH_ACTORS"]) / f"{os.getpid()}.json"
            path.write_text(json.dumps(self._record))

    scratch = Path(args.scratch)
    actors_dir = scratch / f"actors-{args.actors}-{time.monotonic_ns()}"
    actors_dir.mkdir()
    os.environ["CLAIMX_BENCH_ACTORS"] = str(actors_dir)
    # started as the engine starts a local Ray (not timed: a cost per run, not per article)
    with ray_engine.ray_session(None):
        config = ClientConfig(
            model="synthetic", base_url=args.base_url, timeout_s=60, failures_dir=scratch / "f"
        )
        out = scratch / f"ray-out-{args.actors}-{time.monotonic_ns()}"
        spec = RunSpec.of(
            Extractor(PROMPT, config=config),
            inputs=[args.corpus],
            run=RunOptions(output=out, format="parquet", concurrency=args.concurrency),
            cache_dir=scratch / f"cache-{out.name}",
            # 0: the engine's default pool, autoscaling up to an actor per CPU
            ray=RaySettings(actors=args.actors or None),
        )
        ray_engine.ExtractBatches = Instrumented  # type: ignore[misc]  # the engine's actor
        with TreeSampler(os.getpid()) as sampler:
            driver_cpu = time.process_time()
            started = time.time()
            stats = ray_engine.RayEngine().run(spec, reporter=NullReporter(), stdout=sys.stdout)
            seconds = time.time() - started
            driver_cpu = time.process_time() - driver_cpu
        records = [json.loads(p.read_text()) for p in actors_dir.glob("*.json")]
        assert ray.is_initialized()
    ready = min(r["ready"] for r in records)
    last = max(r.get("last", r["ready"]) for r in records)
    return {
        "seconds": seconds,
        "steady_s": last - ready,
        "rows": sum(r["rows"] for r in records),
        "written": stats.done,
        "failed": stats.failed,
        "actor_cpu_s": sum(r.get("cpu", r["cpu0"]) - r["cpu0"] for r in records),
        "driver_cpu_s": driver_cpu,
        "all_cpu_s": sampler.used_s(),
    }


def ray_child(
    corpus: Path, base_url: str, scratch: Path, actors: int, concurrency: int
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "ray", "--corpus", str(corpus)]
    command += ["--base-url", base_url, "--scratch", str(scratch), "--actors", str(actors)]
    command += ["--concurrency", str(concurrency)]
    server_stats(base_url, reset=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ray child failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["max_in_flight"] = server_stats(base_url)["max_answering"]
    return result


def server_stats(base_url: str, *, reset: bool = False) -> dict[str, int]:
    """What the synthetic server saw: requests, and the peak of requests in flight."""
    import urllib.request

    root = base_url.removesuffix("/v1")
    with urllib.request.urlopen(root + "/synthetic/stats" + ("?reset" if reset else "")) as r:
        stats: dict[str, int] = json.loads(r.read())
    return stats


def asyncio_run(corpus: Path, base_url: str, concurrency: int) -> dict[str, Any]:
    server_stats(base_url, reset=True)
    figures = asyncio_child(
        "run", corpus=corpus, concurrency=concurrency, base_url=base_url, cold=True
    )
    figures["max_in_flight"] = server_stats(base_url)["max_answering"]
    return figures


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each configuration")
    parser.add_argument("--child", choices=["ray"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    parser.add_argument("--actors", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_ray(args)))
        return
    started = time.perf_counter()
    server, base_url = start_server()
    print("claimx Ray benchmark")
    latency_ms = LATENCY_S * 1000
    print(f"  server   SYNTHETIC (tests/fake_openai_server.py), fixed latency {latency_ms:.0f} ms")
    print(f"  run      {N:,} synthetic articles, prompt {PROMPT}, cache on (empty)")
    print(f"  machine  {_machine()}")
    print(f"  load     {_load()}")
    print(f"  runs     median of {args.repeat} per configuration")
    try:
        with tempfile.TemporaryDirectory(prefix="claimx-bench-ray-") as tmp:
            scratch = Path(tmp)
            corpus = write_corpus(scratch / "corpus.jsonl", N)
            local: list[dict[str, Any]] = []
            rays: dict[tuple[int, int], list[dict[str, Any]]] = {c: [] for c in RAY_CONFIGS}
            # interleaved, so that a change in the machine's load hits every engine alike
            for _ in range(args.repeat):
                local.append(asyncio_run(corpus, base_url, CONCURRENCY))
                for actors, concurrency in RAY_CONFIGS:
                    rays[(actors, concurrency)].append(
                        ray_child(corpus, base_url, scratch, actors, concurrency)
                    )
    finally:
        server.terminate()
        server.wait()
    report(local, rays)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")


#: (actors, requests in flight per actor) of the Ray runs; 0 actors: the engine's default
#: pool (autoscaling up to one actor per CPU), what ``claimx extract --engine ray -j 16`` runs
RAY_CONFIGS = ((0, 16), (1, 16), (2, 8))


def report(local: list[dict[str, Any]], rays: dict[tuple[int, int], list[dict[str, Any]]]) -> None:
    print("\nwall time, 1,000 articles (ideal = 1,000 x 200 ms / requests in flight)")
    seconds = statistics.median(r["first"]["seconds"] for r in local)
    cpu = statistics.median(r["first"]["cpu_s"] for r in local) / N * 1000
    peak = max(r["max_in_flight"] for r in local)
    print(
        f"  asyncio engine, concurrency {CONCURRENCY}:  {seconds:5.1f} s  {N / seconds:6.1f}/s"
        f"  (ideal {N * LATENCY_S / CONCURRENCY:4.1f} s; in flight at the server: {peak})"
        f"  CPU {cpu:.2f} ms/article"
    )
    ratios = {}
    for (actors, concurrency), runs in rays.items():
        wall, steady = median(runs, "seconds"), median(runs, "steady_s")
        assert all(r["written"] == N and r["failed"] == 0 for r in runs), runs
        peak = max(r["max_in_flight"] for r in runs)
        ratios[(actors, concurrency)] = wall / seconds
        pool = (
            f"{actors} actor(s) x {concurrency:>2}" if actors else f"default pool x {concurrency}"
        )
        most = actors * concurrency if actors else f"{concurrency} per actor"
        print(
            f"  Ray, {pool}:  {wall:5.1f} s  {N / wall:6.1f}/s end to end,"
            f" {N / steady:6.1f}/s steady (in flight at the server: {peak}; at most {most})"
        )
        print(
            f"      x{wall / seconds:.2f} the asyncio engine's wall time; CPU per article:"
            f" actors {median(runs, 'actor_cpu_s') / N * 1000:.2f} ms, every Ray process"
            f" {median(runs, 'all_cpu_s') / N * 1000:.2f} ms"
            f" (driver {median(runs, 'driver_cpu_s') / N * 1000:.2f} ms)"
        )
    same_command = ratios[(0, CONCURRENCY)]
    print(
        f"\ntarget: 'claimx extract --engine ray -j {CONCURRENCY}' (the default pool: an actor"
        f" per CPU here) within 1.3x the wall time of 'claimx extract -j {CONCURRENCY}'"
        f" -> x{same_command:.2f}",
        _ok(same_command <= 1.3),
    )
    equal = min(ratios[c] for c in RAY_CONFIGS if c[0] * c[1] == CONCURRENCY)
    print(
        f"  with the same {CONCURRENCY} requests in flight in all (1 x 16 or 2 x 8):"
        f" x{equal:.2f}; the rest is Ray's start-up (actors, imports) and its runtime's CPU"
        " on these 2 cores"
    )
    runtime = median(rays[(1, 16)], "all_cpu_s") - median(rays[(1, 16)], "actor_cpu_s")
    print(
        f"  outside the actors Ray used {runtime / median(rays[(1, 16)], 'seconds'):.2f} core(s)"
        " for the run (its runtime: a cost per machine and second, not per article)"
    )
    per_actor = N / median(rays[(1, 16)], "steady_s")
    actor_ms = median(rays[(1, 16)], "actor_cpu_s") / N * 1000
    print("\nprojection to N machines (each runs A actors x concurrency C)")
    print(
        f"  measured: one actor x 16 at 200 ms latency = {per_actor:.0f} articles/s"
        f" (ideal {16 / LATENCY_S:.0f}/s), {actor_ms:.1f} ms of actor CPU per"
        f" article: one core keeps ~{1000 / max(actor_ms, 0.01):.0f} articles/s in flight"
    )
    print(
        "  throughput = N x A x C / latency while each machine has the cores for it and the"
        " endpoint keeps up; past the endpoint's rate limit more machines only queue on 429s:"
        " articles/s <= min(RPM / 60 / requests-per-article, TPM / 60 / tokens-per-article)."
    )


if __name__ == "__main__":
    main()
