"""The attribution tagger on PolNeAR dev: quality, CPU cost and size of the shipped weights.

    python benchmarks/tagger_polnear.py ~/src/PolNeAR
    python benchmarks/tagger_polnear.py ~/src/PolNeAR --weights out/tagger/perceptron.bin.gz

Not part of CI: the corpus is not shipped (point it at your own checkout of
``networkdynamics/PolNeAR``; see ../shared/DATASETS.md). It tags all 84 texts
of the ``dev`` split and prints the report of :mod:`claimx.tagging.evaluate`
(content, source and cue spans; stage one), then the CPU cost of
:func:`~claimx.tagging.tag` and of :func:`~claimx.tagging.stage_one` (which
tags too): each dev text run ``--runs`` times, CPU time
(``time.process_time_ns``, one thread) scaled to 3,000 characters, the
median over every run of every text. The weights are loaded before timing (a
process loads them once). The held-out split is never read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.tagging import tag  # noqa: E402
from claimx.tagging.corpus import read_split  # noqa: E402
from claimx.tagging.evaluate import evaluate  # noqa: E402
from claimx.tagging.model import load_model  # noqa: E402
from claimx.tagging.tagger import WEIGHTS, default_model, stage_one  # noqa: E402


def cpu_ms_per_3000(
    texts: list[str], run: Callable[[str], object], runs: int
) -> tuple[float, float]:
    """Median and 90th percentile CPU milliseconds per 3,000 characters (module doc)."""
    samples = []
    for text in texts:
        for _ in range(runs):
            started = time.process_time_ns()
            run(text)
            samples.append((time.process_time_ns() - started) / 1e6 * 3000 / len(text))
    samples.sort()
    return statistics.median(samples), samples[int(0.9 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help="PolNeAR checkout (or its data/ folder)")
    parser.add_argument("--weights", type=Path, default=None, help="default: the shipped ones")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per dev text")
    args = parser.parse_args()

    if args.weights is None:
        model = default_model()
        path = ROOT / "claimx" / "tagging" / "data" / WEIGHTS
    else:
        model, path = load_model(args.weights), args.weights
    dev = read_split(args.checkout, "dev")
    report = evaluate(
        dev,
        lambda text: tag(text, model),
        name=f"tagger-{model.family}",
        stage_one=lambda text: stage_one(text, model),
    )
    print("\n".join(report.lines(f"PolNeAR dev, tagger alone ({model.family}, {path.name})")))
    chars = statistics.median(len(d.text) for d in dev)
    print()
    print(
        f"CPU per 3,000-character article ({len(dev)} texts x {args.runs} runs;"
        f" dev texts' median length {chars:,.0f} chars):"
    )
    for name, run in (
        ("tag", lambda text: tag(text, model)),
        ("stage_one", lambda text: stage_one(text, model)),
    ):
        median, p90 = cpu_ms_per_3000([d.text for d in dev], run, args.runs)
        print(f"  {name}: median {median:.1f} ms, 90th percentile {p90:.1f} ms")
    print(
        f"weights: {path.stat().st_size:,} bytes on disk, {len(model.features):,} features,"
        f" {model.size:,} int32 weights ({model.emissions.nbytes + model.transitions.nbytes:,}"
        " bytes in memory)"
    )


if __name__ == "__main__":
    main()
