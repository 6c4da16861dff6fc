"""Retrain the tagger from a PolNeAR checkout and print its dev report.

    python -m claimx.tagging.train ~/src/PolNeAR                    # the shipped CRF
    python -m claimx.tagging.train ~/src/PolNeAR --family perceptron  # family 2
    python -m claimx.tagging.train ~/src/PolNeAR --out claimx/tagging/data   # replace them

Trains on PolNeAR ``train`` only, writes ``<out>/<family>.bin.gz`` (default
``out/tagger``), prints its sha256 and size, then tags every ``dev`` text
and prints the report of :mod:`claimx.tagging.evaluate`. The held-out split
is never read. Needs the ``[train]`` extra (``pip install -e '.[train]'``)
for the CRF. Seeds and parameters are fixed, so the same checkout gives the
same figures (MODEL_CARD.md says when the bytes are identical too).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import claimx
from claimx.tagging.corpus import read_split, sequences
from claimx.tagging.crf import CrfParams, train_crf
from claimx.tagging.evaluate import evaluate
from claimx.tagging.lexicon import read_cue_tsv
from claimx.tagging.model import Model, save_model
from claimx.tagging.perceptron import PerceptronParams, train_perceptron
from claimx.tagging.tagger import stage_one, tag

__all__ = ["CUE_TSV", "main", "train"]

CUE_TSV = Path(claimx.__file__).parent / "text" / "data" / "cues.tsv"
"""The cue lexicon the features read (stored into the weights: lexicon.py says why)."""

FAMILIES = ("crf", "perceptron")


def train(
    checkout: Path, family: str, cue_tsv: Path = CUE_TSV, iterations: int | None = None
) -> Model:
    """A model of ``family`` trained on PolNeAR train (``iterations``: L-BFGS iterations
    or perceptron epochs, instead of the shipped weights' number)."""
    lexicon = read_cue_tsv(cue_tsv)
    documents = read_split(checkout, "train")
    data = list(sequences(documents, lexicon))
    meta = {
        "corpus": "PolNeAR v1.0.0",
        "split": "train",
        "texts": len(documents),
        "attributions": sum(len(d.attributions) for d in documents),
        "paragraphs": len(data),
    }
    if family == "crf":
        crf = CrfParams() if iterations is None else CrfParams(max_iterations=iterations)
        return train_crf(data, lexicon, crf, meta)
    perceptron = PerceptronParams() if iterations is None else PerceptronParams(epochs=iterations)
    return train_perceptron(data, lexicon, perceptron, meta)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help="PolNeAR checkout (or its data/ folder)")
    parser.add_argument("--family", choices=FAMILIES, default="crf")
    parser.add_argument("--out", type=Path, default=Path("out/tagger"))
    parser.add_argument("--cue-tsv", type=Path, default=CUE_TSV)
    parser.add_argument(
        "--iterations", type=int, default=None, help="for a quick try: not the shipped weights"
    )
    args = parser.parse_args(argv)

    started = time.process_time()
    model = train(args.checkout, args.family, args.cue_tsv, args.iterations)
    seconds = time.process_time() - started
    path = args.out / f"{args.family}.bin.gz"
    digest = save_model(model, path)
    print(f"trained {args.family} on PolNeAR train in {seconds:.0f} s of CPU")
    print(
        f"wrote {path}: {path.stat().st_size:,} bytes, sha256 {digest},"
        f" {len(model.features):,} features, {model.size:,} weights"
    )
    dev = read_split(args.checkout, "dev")
    report = evaluate(
        dev,
        lambda text: tag(text, model),
        name=f"tagger-{args.family}",
        stage_one=lambda text: stage_one(text, model),
    )
    print()
    print("\n".join(report.lines(f"PolNeAR dev, tagger alone ({args.family})")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
