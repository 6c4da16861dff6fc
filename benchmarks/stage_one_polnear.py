"""Stage-one recall on PolNeAR: which share of the annotated attributions each stage one asks about.

    python benchmarks/stage_one_polnear.py ~/src/PolNeAR            # dev (report)
    python benchmarks/stage_one_polnear.py ~/src/PolNeAR --split train --every 3   # tuning

No model is called: a stage one finds its candidates with rules. For each
variant it prints stage-one recall (share of gold attributions with a
character inside a candidate), the same for indirect attributions (no
quotation mark in the content), and candidates per 1,000 characters of
article text, against the default's stage one (``find: lexicon`` with its
defaults: "today"). Variants of the ``lexicon`` stage
(:mod:`claimx.extraction.stages.lexicon`) are named ``min<count>/<classes>``:
cue lemmas seen at least ``count`` times in train, the signal classes used.
The retired stage ones of extract@v3 (paragraphs) and v4 (sentences with a
hand-picked cue list) measured 0.75 and 0.63 (eval/README.md). Tune on train;
``test`` is held out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.datasets.polnear import convert_split  # noqa: E402
from claimx.eval.detection import CandidateFinder, detection_report  # noqa: E402
from claimx.eval.gold import GoldItem  # noqa: E402
from claimx.extraction.stages.lexicon import Lexicon, LexiconParams  # noqa: E402
from claimx.models import Attribution  # noqa: E402
from claimx.text.attribution import CLASSES  # noqa: E402

VARIANTS = [
    (3, "cues"), (10, "cues"), (30, "cues"), (3, "cues+quotes"), (3, "cues+quotes+nouns"),
    (10, "all"), (30, "all"),
]  # fmt: skip


def lexicon(min_count: int, classes: str) -> CandidateFinder:
    chosen = CLASSES if classes == "all" else frozenset(classes.split("+"))
    finder = Lexicon(LexiconParams(min_count=min_count, classes=chosen))
    return lambda text: [c.span for c in finder.find(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--every", type=int, default=1, help="every n-th text only")
    args = parser.parse_args()
    records = convert_split(args.checkout, args.split).records[:: args.every]
    gold = [
        GoldItem(r.id, r.text, [], args.split, [a for a in r.claims if isinstance(a, Attribution)])
        for r in records
    ]
    finders: dict[str, CandidateFinder | None] = {"lexicon (min3/all, today)": lexicon(3, "all")}
    for count, classes in VARIANTS:
        finders[f"min{count}/{classes}"] = lexicon(count, classes)
    report = detection_report(gold, {k: {} for k in finders}, candidates=finders, resamples=1)
    n = sum(len(g.attributions) for g in gold)
    print(f"PolNeAR {args.split}: {len(gold)} texts, {n} attributions\n")
    print("| stage one | recall | recall, indirect | candidates / 1,000 chars | × today |")
    print("|---|---:|---:|---:|---:|")
    today = report.systems[0].total.candidates_per_1000_chars() or 1.0
    for s in report.systems:
        c = s.total
        rate = c.candidates_per_1000_chars() or 0.0
        print(
            f"| {s.label} | {c.stage_one_recall() or 0:.3f} |"
            f" {c.stage_one_recall(indirect=True) or 0:.3f} | {rate:.2f} | {rate / today:.2f} |"
        )


if __name__ == "__main__":
    main()
