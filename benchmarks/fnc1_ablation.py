"""What was tried to lift the targeted classifier on FNC-1, and what it measured (issue 26).

    python benchmarks/fnc1_ablation.py ~/src/fnc-1
    python benchmarks/fnc1_ablation.py ~/src/fnc-1 --combine REPORT.jsonl RUNS/targeted@v1.jsonl

Not part of CI (FNC-1 is not shipped; ../shared/DATASETS.md). Two questions:

1. **More features** (tune part only, the report part never read): 3-fold
   cross-validation by body, exactly as :mod:`claimx.targeted.train` chooses
   its settings, of the shipped features against the shipped features plus
   :data:`CANDIDATES` (cues of the best-matching sentence, cues weighted by
   each sentence's coverage of the claim, cues of the lead, a negation
   mismatch, word bigrams and the longest common word run shared with the
   best sentences, question marks, quotation share, how much of the article
   is about the claim). Prints macro-F1 at the tune part's own class mix and
   at a balanced mix (the report sample is balanced: :func:`~claimx.targeted.metrics.reweight`).
2. **The model's answer beside the classifier** (``--combine``): a
   naive-Bayes product of the classifier's class probabilities and
   P(model answer | class), for the pairs the model answered. The answer
   likelihoods are estimated **on the report sample itself**, so the figure is
   an upper bound of what a combination calibrated on the tune part could reach,
   read to decide whether recording the model's answers on tune pairs is worth it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.datasets.fnc1 import load  # noqa: E402
from claimx.models import ArticleStance  # noqa: E402
from claimx.targeted.classifier import fit  # noqa: E402
from claimx.targeted.cues import CUE_KINDS, count_cues  # noqa: E402
from claimx.targeted.features import FEATURES, pair_features  # noqa: E402
from claimx.targeted.lexical import ArticleView, Idf, claim_words, coverage, view  # noqa: E402
from claimx.targeted.metrics import reweight, score, scores_from_confusion  # noqa: E402
from claimx.targeted.shipped import shipped  # noqa: E402
from claimx.targeted.train import CV_FOLDS, _fold  # noqa: E402
from claimx.text.normalize import words as fold_words  # noqa: E402


def _longest_run(a: list[str], b: list[str]) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                current[j + 1] = previous[j] + 1
                best = max(best, current[j + 1])
        previous = current
    return best


def candidates(claim: str, article: ArticleView, idf: Idf) -> dict[str, float]:
    """The candidate features (module docstring)."""
    words = claim_words(claim)
    sentences = article.sentences
    scores = [coverage(words, s.words, idf) for s in sentences]
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    first = sentences[order[0]].cues if order else count_cues("")
    n, total = max(len(sentences), 1), sum(scores) or 1.0
    out: dict[str, float] = {}
    for kind in CUE_KINDS:
        out[f"best_{kind}"] = float(getattr(first, kind))
        out[f"weighted_{kind}"] = (
            sum(getattr(s.cues, kind) * c for s, c in zip(sentences, scores, strict=True)) / total
        )
    out["lead_refute"] = float(sum(s.cues.refute for s in sentences[:3]))
    out["lead_hedge"] = float(sum(s.cues.hedge for s in sentences[:3]))
    out["negation_mismatch"] = float((first.negation > 0) != (count_cues(claim).negation > 0))
    claim_tokens = fold_words(claim)
    pairs = set(zip(claim_tokens, claim_tokens[1:], strict=False))
    bigram = run = 0.0
    for i in order[:3]:
        tokens = fold_words(sentences[i].span.slice(article.text))
        if pairs:
            bigram = max(
                bigram, len(pairs & set(zip(tokens, tokens[1:], strict=False))) / len(pairs)
            )
        if claim_tokens:
            run = max(run, _longest_run(claim_tokens, tokens) / len(claim_tokens))
    out["bigram"], out["longest_run"] = bigram, run
    out["questions"] = article.text.count("?") / n
    out["quoted"] = sum(any(q in s.span.slice(article.text) for q in '"“') for s in sentences) / n
    out["about"] = sum(c >= 0.3 for c in scores) / n
    top = [scores[i] for i in order[:3]]
    out["top3_mean"] = sum(top) / len(top) if top else 0.0
    return out


CANDIDATES: tuple[str, ...] = tuple(
    candidates("a claim", view("An article. It says so."), Idf({}, 1)).keys()
)


def cross_validated(
    rows: list[dict[str, float]],
    labels: list[ArticleStance],
    folds: np.ndarray,
    names: tuple[str, ...],
    keep: Callable[[dict[str, float]], bool],
) -> tuple[float, float]:
    """Macro-F1 (tune mix, balanced mix) of the screen then the classifier on ``names``,
    with :mod:`claimx.targeted.train`'s shipped setting (squared features, L2 0.01)."""
    kept = [i for i, r in enumerate(rows) if keep(r)]
    x = np.array([[rows[i][f] for f in names] for i in kept])
    predicted: list[ArticleStance] = ["unrelated"] * len(labels)
    for k in range(CV_FOLDS):
        train = [j for j, i in enumerate(kept) if folds[i] != k]
        test = [j for j, i in enumerate(kept) if folds[i] == k]
        model = fit(x[train], [labels[kept[j]] for j in train], names, l2=1e-2, squares=True)
        for j, c in zip(test, model.probabilities(x[test]).argmax(axis=1), strict=True):
            predicted[kept[j]] = model.classes[c]
    natural = score(labels, predicted)
    balanced = scores_from_confusion(reweight(np.asarray(natural.confusion), [0.25] * 4))
    return natural.macro_f1, balanced.macro_f1


def features_table(checkout: Path) -> None:
    data = load(checkout)
    pairs = data.part("tune")
    views = {b: view(data.bodies[b]) for b in sorted({p.body_id for p in pairs})}
    idf = Idf.build(views.values())
    rows = []
    for p in pairs:
        row = pair_features(p.headline, views[p.body_id], idf)
        row.update(candidates(p.headline, views[p.body_id], idf))
        rows.append(row)
    labels = [p.stance for p in pairs]
    folds = np.array([_fold(p.body_id) for p in pairs])
    threshold = shipped().screen_threshold
    print(f"{len(pairs)} tune pairs, 3-fold CV by body; macro-F1 at the tune mix / balanced")
    for label, names in (("shipped features", FEATURES), ("+ candidates", FEATURES + CANDIDATES)):
        natural, balanced = cross_validated(
            rows, labels, folds, names, lambda r: r["best"] >= threshold
        )
        print(f"| {label} | {len(names)} | {natural:.3f} | {balanced:.3f} |")


def combine(report: Path, run: Path) -> None:
    parts = shipped()
    clf = parts.classifier
    gold = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line]
    answers = [json.loads(line) for line in run.read_text(encoding="utf-8").splitlines() if line]
    asked = [i for i, a in enumerate(answers) if a["decided_by"] == "model"]
    rows = [pair_features(gold[i]["claim"], view(gold[i]["text"]), parts.idf) for i in asked]
    probabilities = clf.probabilities(clf.matrix(rows))
    counts = np.ones((4, 4))  # add-one: no answer is impossible for any class
    for i in asked:
        counts[clf.classes.index(gold[i]["stance"]), clf.classes.index(answers[i]["stance"])] += 1
    likelihood = counts / counts.sum(axis=1, keepdims=True)
    truth = [g["stance"] for g in gold]
    print("weight of the answer | macro-F1 | accuracy (0 = the classifier alone)")
    for weight in (0.0, 0.5, 1.0, 2.0):
        predicted = [a["stance"] for a in answers]
        for k, i in enumerate(asked):
            s = np.log(probabilities[k]) + weight * np.log(
                likelihood[:, clf.classes.index(answers[i]["stance"])]
            )
            predicted[i] = clf.classes[int(s.argmax())]
        result = score(truth, predicted)
        print(f"| {weight:g} | {result.macro_f1:.3f} | {result.accuracy:.3f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help="your FNC-1 checkout (its train files)")
    parser.add_argument(
        "--combine", nargs=2, type=Path, metavar=("REPORT_JSONL", "RUN_JSONL"),
        help="the report sample and the saved targeted@v1 answers to it (python -m claimx.eval"
        " --gold REPORT_JSONL --prompt targeted@v1 --runs DIR)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.combine:
        combine(*args.combine)
    else:
        features_table(args.checkout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
