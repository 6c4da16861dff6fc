"""The attribution tagger on PolNeAR dev: quality, CPU cost and size of the shipped weights.

    python benchmarks/tagger_polnear.py ~/src/PolNeAR
    python benchmarks/tagger_polnear.py ~/src/PolNeAR --weights out/tagger/perceptron.bin.gz
    python benchmarks/tagger_polnear.py ~/src/PolNeAR --family encoder \
        --weights out/encoder/model.int8.onnx --tokenizer out/encoder/tokenizer.json --crf

Not part of CI: the corpus is not shipped (point it at your own checkout of
``networkdynamics/PolNeAR``; see ../shared/DATASETS.md). It tags all 84 texts
of the ``dev`` split and prints the report of :mod:`claimx.tagging.evaluate`
(content, source and cue spans; stage one), then the CPU cost of
:func:`~claimx.tagging.tag` and of :func:`~claimx.tagging.stage_one` (which
tags too): each dev text run ``--runs`` times, CPU time
(``time.process_time_ns``, one thread) scaled to 3,000 characters, the
median over every run of every text. The weights are loaded before timing (a
process loads them once). The held-out split is never read.

``--family encoder`` scores family 3 (:mod:`claimx.tagging.onnx_tagger`, the
``[encoder]`` extra) the same way, ``--family bilstm`` family 4 (its BiLSTM,
run by the same runtime): ``--weights`` an ONNX file (default: the
shipped one), onnxruntime on one thread so its CPU compares with the CRF's;
its stage one uses ``--slack`` in nats of log-probability (not tuned). With
``--crf`` the shipped CRF is timed in the same run, for the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import get_args

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.tagging import tag  # noqa: E402
from claimx.tagging.corpus import read_split  # noqa: E402
from claimx.tagging.evaluate import evaluate  # noqa: E402
from claimx.tagging.model import load_model  # noqa: E402
from claimx.tagging.onnx_tagger import OnnxFamily  # noqa: E402
from claimx.tagging.tagger import WEIGHTS, default_model, stage_one  # noqa: E402
from claimx.text.spans import Span  # noqa: E402

Run = Callable[[str], object]


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


def encoder_runs(args: argparse.Namespace) -> tuple[Path, Run, Run, str]:
    """An ONNX family's weights file, tag and stage one (``--slack`` nats), and its size line."""
    from claimx.tagging.onnx_tagger import TOKENIZER_FILE, OnnxTagger, model_file, shipped_tagger

    data = ROOT / "claimx" / "tagging" / "data"
    if args.weights is None:
        encoder = shipped_tagger(args.family)
        path, tokenizer = data / model_file(args.family), data / TOKENIZER_FILE
    else:
        tokenizer = args.tokenizer or args.weights.with_name("tokenizer.json")
        encoder = OnnxTagger(args.weights, tokenizer, family=args.family)
        path = args.weights

    def stage(text: str) -> list[Span]:
        return stage_one(text, encoder, slack=args.slack, context=args.context)

    size = (
        f"weights: {path.stat().st_size:,} bytes on disk (ONNX), tokenizer"
        f" {Path(tokenizer).stat().st_size:,} bytes"
    )
    return path, encoder.tag, stage, size


def print_cpu(texts: list[str], runs_of: list[tuple[str, Run]], runs: int) -> None:
    """The CPU lines of the report: each runner over every text, ``runs`` times (0: none)."""
    if runs <= 0:
        return
    chars = statistics.median(len(t) for t in texts)
    print()
    print(
        f"CPU per 3,000-character article ({len(texts)} texts x {runs} runs;"
        f" dev texts' median length {chars:,.0f} chars):"
    )
    for name, run in runs_of:
        median, p90 = cpu_ms_per_3000(texts, run, runs)
        print(f"  {name}: median {median:.1f} ms, 90th percentile {p90:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help="PolNeAR checkout (or its data/ folder)")
    parser.add_argument("--family", choices=("linear", *get_args(OnnxFamily)), default="linear")
    parser.add_argument("--weights", type=Path, default=None, help="default: the shipped ones")
    parser.add_argument("--tokenizer", type=Path, default=None, help="encoder: tokenizer.json")
    parser.add_argument("--slack", type=float, default=2.0, help="encoder stage one, nats")
    parser.add_argument("--context", type=int, default=1, help="encoder stage one, sentences")
    parser.add_argument("--crf", action="store_true", help="time the shipped CRF too")
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per dev text (0: no timing)"
    )
    args = parser.parse_args()

    dev = read_split(args.checkout, "dev")
    texts = [d.text for d in dev]
    if args.family != "linear":
        path, tag_run, stage_run, size = encoder_runs(args)
        report = evaluate(dev, tag_run, name=f"tagger-{args.family}", stage_one=stage_run)
        print("\n".join(report.lines(f"PolNeAR dev, tagger alone ({args.family}, {path.name})")))
        timed: list[tuple[str, Run]] = [("tag", tag_run), ("stage_one", stage_run)]
        if args.crf:
            crf = default_model()
            timed += [
                ("CRF tag", lambda text: tag(text, crf)),
                ("CRF stage_one", lambda text: stage_one(text, crf)),
            ]
        print_cpu(texts, timed, args.runs)
        print(size)
        return

    if args.weights is None:
        model = default_model()
        path = ROOT / "claimx" / "tagging" / "data" / WEIGHTS
    else:
        model, path = load_model(args.weights), args.weights
    report = evaluate(
        dev,
        lambda text: tag(text, model),
        name=f"tagger-{model.family}",
        stage_one=lambda text: stage_one(text, model),
    )
    print("\n".join(report.lines(f"PolNeAR dev, tagger alone ({model.family}, {path.name})")))
    print_cpu(
        texts,
        [
            ("tag", lambda text: tag(text, model)),
            ("stage_one", lambda text: stage_one(text, model)),
        ],
        args.runs,
    )
    print(
        f"weights: {path.stat().st_size:,} bytes on disk, {len(model.features):,} features,"
        f" {model.size:,} int32 weights ({model.emissions.nbytes + model.transitions.nbytes:,}"
        " bytes in memory)"
    )


if __name__ == "__main__":
    main()
