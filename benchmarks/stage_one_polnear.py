"""Stage-one recall on PolNeAR: which share of the annotated attributions each stage one asks about.

    python benchmarks/stage_one_polnear.py ~/src/PolNeAR            # dev (report)
    python benchmarks/stage_one_polnear.py ~/src/PolNeAR --split train --every 3   # tuning

No model is called: a stage one finds its candidates with rules. For each
variant it prints stage-one recall (share of gold attributions with a
character inside a candidate), the same for indirect attributions (no
quotation mark in the content), and candidates per 1,000 characters of
article text, against extract@v4's stage one (``find_sentence_candidates``,
"today"). Variants of :func:`~claimx.extraction.strategies.staged_lexicon.
find_lexicon_candidates` are named ``min<count>/w<window>/<classes>``: cue
lemmas seen at least ``count`` times in train, up to ``window`` sentences
per candidate, the signal classes used. The variant ``staged_lexicon``
(extract@v5) is ``min3/w2/all``. Tune on train; ``test`` is held out.
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
from claimx.extraction.strategies.candidates import (  # noqa: E402
    find_candidates,
    find_sentence_candidates,
)
from claimx.extraction.strategies.staged_lexicon import (  # noqa: E402
    CLASSES,
    find_lexicon_candidates,
)
from claimx.models import Attribution  # noqa: E402

VARIANTS = [
    (3, 1, "cues"), (10, 1, "cues"), (30, 1, "cues"), (3, 1, "cues+quotes"),
    (3, 1, "cues+quotes+nouns"), (3, 1, "all"), (10, 1, "all"), (30, 1, "all"),
    (3, 2, "all"), (10, 2, "all"), (30, 2, "all"), (3, 3, "all"),
]  # fmt: skip


def lexicon(min_count: int, window: int, classes: str) -> CandidateFinder:
    chosen = CLASSES if classes == "all" else frozenset(classes.split("+"))

    def find(text: str) -> list[tuple[int, int]]:
        found = find_lexicon_candidates(text, min_count=min_count, window=window, classes=chosen)
        return [(c.start, c.end) for c in found]

    return find


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
    finders: dict[str, CandidateFinder | None] = {
        "extract@v4 (sentences, today)": lambda t: [
            (c.start, c.end) for c in find_sentence_candidates(t)
        ],
        "extract@v3 (paragraphs)": lambda t: [(c.start, c.end) for c in find_candidates(t)],
    }
    for count, window, classes in VARIANTS:
        finders[f"min{count}/w{window}/{classes}"] = lexicon(count, window, classes)
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
