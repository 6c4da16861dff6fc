"""Targeted stance on FNC-1's report part, with no model: the screen, the baseline, the classifier.

    python benchmarks/targeted_fnc1.py ~/src/fnc-1                 # the shipped files
    python benchmarks/targeted_fnc1.py ~/src/fnc-1 --data /tmp/new  # files from train --out
    python benchmarks/targeted_fnc1.py ~/src/fnc-1 --encoder      # and the cross-encoder
    python benchmarks/targeted_fnc1.py ~/src/fnc-1 --encoder out/stance/model.int8.onnx

Reads the two train files of your FNC-1 checkout (:mod:`claimx.datasets.fnc1`)
and scores on the **report** part only (the shipped files were set on the
tune part: ``python -m claimx.targeted.train``). It prints:

1. the report part's composition and the balanced sample's (100 pairs a
   class, seeded: the eval's report set);
2. **the screen**: the share of unrelated pairs decided with no model call,
   and the related pairs it wrongly screens (by class), on the sample and on
   every pair of the part;
3. **the lexical baseline** and **the classifier** (screen, then
   classifier): accuracy, macro-F1 over the four classes, per-class F1, on
   the sample, on the sample reweighted to the part's class mix
   (:func:`claimx.targeted.metrics.reweight`) and on every pair of the part;
   confusion matrices on the sample;
4. the paired bootstrap of classifier minus baseline on the sample
   (per-class F1 and macro-F1, 95% intervals);
5. the cost: model calls (none) and CPU seconds per pair.

With ``--encoder`` (the ``[encoder]`` extra; the shipped weights, or the ONNX
file named), the system **screen + encoder** too
(:mod:`claimx.targeted.stance_encoder`): on the sample, the sample reweighted
to the part's class mix, and every report pair of the sample's claims (claims it
was never trained on, in their own class mix); its confusion matrix; the
bootstrap of encoder minus classifier; its CPU milliseconds per pair asked (one
thread), timed beside the classifier's.

About two minutes on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.datasets.fnc1 import (  # noqa: E402
    SAMPLE_PER_CLASS,
    Pair,
    composition,
    load,
    report_sample,
)
from claimx.markdown import md_table  # noqa: E402
from claimx.models import ARTICLE_STANCES, ArticleStance  # noqa: E402
from claimx.targeted.metrics import (  # noqa: E402
    StanceScores,
    class_f1_intervals,
    confusion,
    macro_f1_interval,
    reweight,
    score,
    scores_from_confusion,
)
from claimx.targeted.shipped import IDF_FILE, SETTINGS_FILE, Shipped, shipped  # noqa: E402
from claimx.targeted.train import pair_rows  # noqa: E402

FNC_NAMES = {"supports": "agree", "refutes": "disagree", "uncertain": "discuss"}


def _name(stance: str) -> str:
    return f"{stance} ({FNC_NAMES.get(stance, stance)})"


def _screen_table(label: str, pairs: Sequence[Pair], screened: Sequence[bool]) -> list[object]:
    unrelated = [s for p, s in zip(pairs, screened, strict=True) if p.stance == "unrelated"]
    wrong = {
        c: sum(s for p, s in zip(pairs, screened, strict=True) if p.stance == c)
        for c in ARTICLE_STANCES[:3]
    }
    related = sum(p.stance != "unrelated" for p in pairs)
    lost = sum(wrong.values())
    return [
        label,
        f"{sum(unrelated)} / {len(unrelated)} = **{sum(unrelated) / len(unrelated):.1%}**",
        f"{lost} / {related} = {lost / related:.2%}",
        ", ".join(f"{c} {n}" for c, n in wrong.items()),
    ]


def _scores_row(label: str, s: StanceScores) -> list[object]:
    row: list[object] = [label, f"{s.accuracy:.3f}", f"**{s.macro_f1:.3f}**"]
    return row + [f"{s.of(c).f1:.3f}" for c in ARTICLE_STANCES]


def _confusion_table(s: StanceScores) -> str:
    rows = [
        [f"gold {c}"] + [f"{x:g}" for x in row]
        for c, row in zip(s.labels, s.confusion, strict=True)
    ]
    return md_table(["", *(f"→ {c}" for c in s.labels)], rows, "l" + "r" * len(s.labels))


def _difference_table(
    gold: Sequence[ArticleStance],
    before: Sequence[ArticleStance],
    after: Sequence[ArticleStance],
    seed: int,
) -> str:
    """``after`` minus ``before``: per-class and macro F1, paired bootstrap intervals."""
    per_class = class_f1_intervals(gold, before, after, seed=seed)
    macro = macro_f1_interval(gold, before, after, seed=seed)
    rows = [
        [f"F1 {_name(c)}", f"{i.point:+.3f}", f"[{i.low:+.3f}, {i.high:+.3f}]", i.verdict]
        for c, i in per_class.items()
    ]
    rows.append(
        ["macro-F1", f"{macro.point:+.3f}", f"[{macro.low:+.3f}, {macro.high:+.3f}]", macro.verdict]
    )
    return md_table(["figure", "difference", "95% interval", "verdict"], rows, "lrrl")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="your FNC-1 checkout (its train files)")
    parser.add_argument("--data", type=Path, help="folder of idf.tsv and targeted.json")
    parser.add_argument("--per-class", type=int, default=SAMPLE_PER_CLASS)
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument(
        "--encoder",
        nargs="?",
        const="shipped",
        help="add screen + encoder (the shipped weights, or this ONNX file)",
    )
    args = parser.parse_args(argv)

    parts = (
        Shipped.from_files(
            (args.data / IDF_FILE).read_text(encoding="utf-8"),
            (args.data / SETTINGS_FILE).read_text(encoding="utf-8"),
        )
        if args.data
        else shipped()
    )
    data = load(args.path)
    report = data.part("report")
    sample = report_sample(report, args.per_class)

    print("## Report part of FNC-1 train (split by body id; never tuned on)\n")
    comp_all, comp_sample = composition(report), composition(sample)
    print(
        md_table(
            ["pairs", *(_name(c) for c in ARTICLE_STANCES), "bodies"],
            [
                ["report part", *comp_all.values(), len({p.body_id for p in report})],
                ["balanced sample", *comp_sample.values(), len({p.body_id for p in sample})],
            ],
            "l" + "r" * 5,
        )
    )

    started = time.process_time()
    rows = pair_rows(report, data.bodies, parts.idf)
    screened = [r["best"] < parts.screen_threshold for r in rows]
    baseline = [parts.baseline.decide(r) for r in rows]
    learned = parts.classifier.predict(rows)
    system: list[ArticleStance] = [
        "unrelated" if s else c for s, c in zip(screened, learned, strict=True)
    ]
    cpu = time.process_time() - started
    in_sample = {p.row for p in sample}
    pick = [i for i, p in enumerate(report) if p.row in in_sample]

    def sub(xs: Sequence[ArticleStance]) -> list[ArticleStance]:
        return [xs[i] for i in pick]

    print(f"\n## The unrelated screen (threshold {parts.screen_threshold:.4f})\n")
    print(
        md_table(
            [
                "pairs",
                "unrelated screened (no model call)",
                "related screened (lost)",
                "lost by class",
            ],
            [
                _screen_table("balanced sample", sample, [screened[i] for i in pick]),
                _screen_table("report part", report, screened),
            ],
        )
    )

    gold_all = [p.stance for p in report]
    gold = sub(gold_all)
    mix = list(comp_all.values())
    print("\n## Article position, no model\n")
    header = ["system, pairs", "accuracy", "macro-F1", *(f"F1 {_name(c)}" for c in ARTICLE_STANCES)]
    table = []
    found: dict[str, StanceScores] = {}
    for label, predicted in (("lexical baseline", baseline), ("screen + classifier", system)):
        on_sample = score(gold, sub(predicted))
        found[label] = on_sample
        table.append(_scores_row(f"{label}, balanced sample", on_sample))
        table.append(
            _scores_row(
                f"{label}, sample reweighted to the part's mix",
                scores_from_confusion(reweight(confusion(gold, sub(predicted)), mix)),
            )
        )
        table.append(_scores_row(f"{label}, report part", score(gold_all, predicted)))
    print(md_table(header, table, "lrrrrrr"))
    print(
        f"\nBaseline: {parts.baseline}. Classifier: {len(parts.classifier.features)} features,"
        f" squares={parts.classifier.squares}, l2={parts.classifier.l2:g}."
    )
    for label, s in found.items():
        print(f"\n### Confusion, {label}, balanced sample\n")
        print(_confusion_table(s))

    print("\n## Classifier minus baseline, balanced sample (paired bootstrap, 10,000 resamples)\n")
    print(_difference_table(gold, sub(baseline), sub(system), args.seed))

    print(
        f"\n## Cost\n\n0 model calls, 0 tokens; {1000 * cpu / len(report):.2f} ms CPU per pair"
        f" ({len(report)} pairs, features, screen, baseline and classifier)."
    )
    if args.encoder:
        _encoder_section(args.encoder, parts, data.bodies, report, sample, screened, system, args)
    return 0


def _encoder_section(
    weights: str,
    parts: Shipped,
    bodies: dict[int, str],
    report: Sequence[Pair],
    sample: Sequence[Pair],
    screened: Sequence[bool],
    system: Sequence[ArticleStance],
    args: argparse.Namespace,
) -> None:
    """Screen + encoder on the sample and on the report pairs of the sample's claims."""
    from claimx.targeted.features import pair_features
    from claimx.targeted.lexical import ArticleView, view_once
    from claimx.targeted.stance_encoder import StanceEncoder, default_stance_encoder

    if weights == "shipped":
        encoder = default_stance_encoder()
    else:
        from importlib import resources

        from claimx.tagging.onnx_tagger import TOKENIZER_FILE

        tokenizer = resources.files("claimx.tagging").joinpath("data", TOKENIZER_FILE)
        encoder = StanceEncoder(weights, str(tokenizer))
    claims = {p.headline for p in sample}
    chosen = [i for i, p in enumerate(report) if p.headline in claims]
    views: dict[int, ArticleView] = {}
    guesses: dict[int, ArticleStance] = {}
    encoder_cpu = classifier_cpu = 0.0
    asked = 0
    for i in chosen:
        if screened[i]:
            guesses[i] = "unrelated"
            continue
        pair = report[i]
        article = view_once(views, pair.body_id, bodies[pair.body_id])
        started = time.process_time()
        guesses[i] = encoder.predict(pair.headline, article, parts.idf)
        encoder_cpu += time.process_time() - started
        started = time.process_time()
        parts.classifier.predict([pair_features(pair.headline, article, parts.idf)])
        classifier_cpu += time.process_time() - started
        asked += 1
    in_sample = {p.row for p in sample}
    pick = [i for i in chosen if report[i].row in in_sample]
    gold = [report[i].stance for i in pick]
    print("\n## Screen + encoder (claims it never saw in training)\n")
    header = ["system, pairs", "accuracy", "macro-F1", *(f"F1 {_name(c)}" for c in ARTICLE_STANCES)]
    encoded = score(gold, [guesses[i] for i in pick])
    print(
        md_table(
            header,
            [
                _scores_row(
                    "screen + classifier, balanced sample", score(gold, [system[i] for i in pick])
                ),
                _scores_row("screen + encoder, balanced sample", encoded),
                _scores_row(
                    "screen + encoder, sample reweighted to the part's mix",
                    scores_from_confusion(
                        reweight(
                            confusion(gold, [guesses[i] for i in pick]),
                            list(composition(report).values()),
                        )
                    ),
                ),
                _scores_row(
                    f"screen + classifier, report pairs of those claims ({len(chosen)})",
                    score([report[i].stance for i in chosen], [system[i] for i in chosen]),
                ),
                _scores_row(
                    f"screen + encoder, report pairs of those claims ({len(chosen)})",
                    score([report[i].stance for i in chosen], [guesses[i] for i in chosen]),
                ),
            ],
            "lrrrrrr",
        )
    )
    print("\n### Confusion, screen + encoder, balanced sample\n")
    print(_confusion_table(encoded))
    print("\n### Encoder minus classifier, balanced sample (paired bootstrap)\n")
    print(_difference_table(gold, [system[i] for i in pick], [guesses[i] for i in pick], args.seed))
    print(
        f"\nCost: 0 model calls; encoder {1000 * encoder_cpu / max(asked, 1):.1f} ms CPU per pair"
        f" asked ({asked} pairs past the screen, one thread), the classifier"
        f" {1000 * classifier_cpu / max(asked, 1):.2f} ms on the same pairs"
        f" ({encoder_cpu / max(classifier_cpu, 1e-9):.0f}x)."
    )


if __name__ == "__main__":
    raise SystemExit(main())
