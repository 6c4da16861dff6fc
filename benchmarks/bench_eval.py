"""How long a replayed eval of every shipped prompt takes, and where the time goes.

    python benchmarks/bench_eval.py [--repeat 3] [--baseline 856b9bb]

Runs the same work as ``python -m claimx.eval --json ... --markdown ... --html ...``
in a fresh interpreter per repeat (imports included: they are part of what a
user waits for) and prints wall time split into import, load (gold + prompts),
replay (cassettes through instructor/openai/vcrpy, grounding, speakers; in
``claimx.eval.runner.replay_workers()`` processes), match (scoring +
bootstrap) and report (terminal, JSON, markdown, HTML). Then it times the user's
command itself, ``python -m claimx.eval`` (every shipped prompt, terminal report).
The target (issue 4) is under 3 seconds of wall time on a 2-core machine.

Then the replay's own cost per recorded request (issue 17, target 3 ms): the
CPU time of the replay phase (every shipped prompt over the gold, one process,
the SDK and HTTP-stack imports done before the clock starts) divided by the recorded requests
it played, in this checkout and in ``--baseline`` (a commit, extracted with
``git archive`` into a temporary folder and run from there), median of
``--repeat`` fresh interpreters each, with the ratio. This checkout keeps each
parsed cassette in the cache folder: measured with that cache empty (a first
replay) and filled (every later one). Last, ``python -m claimx.eval`` in both
trees, as a wall-time ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from claimx.eval.runner import replay_workers

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import gc, io, json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from rich.console import Console
from claimx.eval.runner import run_all
from claimx.eval.gold import load_gold
from claimx.prompts import default_registry
gc.freeze(); gc.set_threshold(50_000, 20, 20)  # as python -m claimx.eval does
t1 = time.perf_counter()
root = Path(sys.argv[1])
specs = default_registry().all()
gold = load_gold(root / "eval" / "gold")
t2 = time.perf_counter()
runs = run_all(specs, [None], gold, source="replayed", cassettes=root / "eval" / "cassettes")
t3 = time.perf_counter()
# Imported after the replay, as python -m claimx.eval does (the workers' replay
# overlaps the scorer's imports; what is left of them counts as scoring).
from claimx.eval.compare import build_report
from claimx.eval.reports import render_html, render_json, render_markdown, render_terminal
from claimx.eval.results import ReportMeta
report = build_report(runs, ReportMeta(gold="bench", claimx_version="bench", responses="bench"))
t4 = time.perf_counter()
render_terminal(report, Console(file=io.StringIO(), width=120))
render_json(report); render_markdown(report); render_html(report)
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "replay": t3 - t2, "match": t4 - t3,
                  "report": t5 - t4, "prompts": len(specs), "articles": len(gold),
                  "requests": sum(a.result.usage.calls
                                  for r in runs for a in r.articles if a.result)}))
"""


PER_PROMPT = r"""
import json, sys, time
from pathlib import Path
import openai.resources.chat  # the client's lazy imports, out of the first prompt's time
from claimx.eval.runner import run_all
from claimx.eval.gold import load_gold
from claimx.prompts import default_registry
root = Path(sys.argv[1])
gold = load_gold(root / "eval" / "gold")
rows = {}
for spec in default_registry().all():
    started = time.perf_counter()
    (run,) = run_all([spec], [None], gold, source="replayed",
                     cassettes=root / "eval" / "cassettes", workers=1)
    calls = sum(a.result.usage.calls for a in run.articles if a.result)
    rows[spec.ref] = [time.perf_counter() - started, calls]
print(json.dumps(rows))
"""


REPLAY_CPU = r"""
import json, resource, sys, time
from pathlib import Path
# Imports are not replay: the SDKs, and the HTTP stack the first client loads, before the clock.
import claimx.cassettes, openai.resources.chat, httpcore2, h11, anyio._backends._asyncio
from claimx.eval.runner import run_all
from claimx.eval.gold import load_gold
from claimx.prompts import default_registry
root = Path(sys.argv[1])
gold = load_gold(root / "eval" / "gold")
specs = default_registry().all()
def cpu():
    who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, who))
started = cpu()
runs = run_all(specs, [None], gold, source="replayed", cassettes=root / "eval" / "cassettes",
               workers=1)
spent = cpu() - started
print(json.dumps({"cpu": spent, "requests": sum(a.result.usage.calls
                  for r in runs for a in r.articles if a.result)}))
"""


def timed_command(repeat: int, env: dict[str, str], root: Path = ROOT) -> list[float]:
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        command = [sys.executable, "-m", "claimx.eval"]
        subprocess.run(command, cwd=root, env=env, capture_output=True, check=True)
        walls.append(time.perf_counter() - started)
    return walls


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """The tree of ``rev`` in a temporary folder (``git archive``: the repository is untouched)."""
    with tempfile.TemporaryDirectory(prefix="claimx-baseline-") as folder:
        archive = subprocess.run(
            ["git", "archive", rev], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


def tree_env(root: Path, cache: Path) -> dict[str, str]:
    """Run the ``claimx`` of ``root`` (ahead of the installed one), with its own cache folder."""
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "CLAIMX_CACHE": str(cache)}


def ms_per_request(root: Path, env: dict[str, str]) -> tuple[float, int]:
    out = subprocess.run(
        [sys.executable, "-c", REPLAY_CPU, str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    row = json.loads(out.stdout.strip().splitlines()[-1])
    return 1000 * row["cpu"] / row["requests"], row["requests"]


def compare_with_baseline(rev: str, repeat: int) -> None:
    with checkout(rev) as base, tempfile.TemporaryDirectory(prefix="claimx-cache-") as caches:
        cache = Path(caches)
        rows: dict[str, list[float]] = {"baseline": [], "cold cache": [], "warm cache": []}
        requests = set()
        for k in range(repeat):  # interleaved, so a busy spell of the machine hits all alike
            ms, n = ms_per_request(base, tree_env(base, cache / f"base{k}"))
            rows["baseline"].append(ms)
            requests.add(n)
            for label in ("cold cache", "warm cache"):  # the second run finds the first's
                ms, n = ms_per_request(ROOT, tree_env(ROOT, cache / f"here{k}"))
                rows[label].append(ms)
                requests.add(n)
        print(
            f"replay CPU per recorded request ({'/'.join(map(str, sorted(requests)))} requests,"
            f" every shipped prompt, 1 process, median of {repeat}):"
        )
        base_ms = statistics.median(rows["baseline"])
        for label, values in rows.items():
            ms = statistics.median(values)
            print(
                f"  {label:<24} {ms:6.2f} ms/request   {ms / base_ms:5.2f}x baseline"
                f"   (min {min(values):.2f})" + (f"   [{rev}]" if label == "baseline" else "")
            )
        walls: dict[str, list[float]] = {"baseline": [], "this checkout": []}
        warm = cache / "eval"
        timed_command(1, tree_env(ROOT, warm))  # fills the cassette cache, as a first run does
        for _ in range(repeat):
            walls["baseline"] += timed_command(1, tree_env(base, cache / "base-eval"), base)
            walls["this checkout"] += timed_command(1, tree_env(ROOT, warm))
        before, after = (statistics.median(v) for v in walls.values())
        print(
            f"python -m claimx.eval wall: baseline {before:.2f} s, this checkout {after:.2f} s"
            f" (warm cache): {after / before:.2f}x, median of {repeat}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline", default="856b9bb", help="commit to compare the replay cost with"
    )
    args = parser.parse_args()
    compare_with_baseline(args.baseline, args.repeat)
    rows = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT)], capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - started
        rows.append({**json.loads(out.stdout.strip().splitlines()[-1]), "wall": wall})
    first = rows[0]
    print(
        f"replayed eval: {first['prompts']} prompts x {first['articles']} articles,"
        f" {first['requests']} recorded model requests; {args.repeat} runs, median seconds:"
    )
    for key in ("wall", "import", "load", "replay", "match", "report"):
        values = [r[key] for r in rows]
        print(f"  {key:<7} {statistics.median(values):6.2f}   (min {min(values):.2f})")
    workers = replay_workers()
    for label, env in (
        (f"{workers} replay worker(s) (the default)", dict(os.environ)),
        ("2 forked replay workers", {**os.environ, "CLAIMX_REPLAY_WORKERS": "2"}),
    ):
        walls = timed_command(args.repeat, env)
        print(
            f"python -m claimx.eval, {label}: median {statistics.median(walls):.2f} s"
            f" (min {min(walls):.2f}) over {args.repeat} runs; {os.cpu_count()} cores"
        )
    out = subprocess.run(
        [sys.executable, "-c", PER_PROMPT, str(ROOT)], capture_output=True, text=True, check=True
    )
    print("replay cost per prompt, one process, after warm-up:")
    for ref, (seconds, calls) in json.loads(out.stdout.strip().splitlines()[-1]).items():
        per_request = 1000 * seconds / calls
        print(f"  {ref:<12} {calls:4d} requests  {seconds:5.2f} s  {per_request:5.1f} ms/request")


if __name__ == "__main__":
    main()
