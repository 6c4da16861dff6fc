"""Where a prompt version loses gold claims, from its replayed recordings.

    python benchmarks/error_breakdown.py [--prompt extract@v4] [--examples 5]

Splits the gold claims of the five articles into: matched (and of those,
speaker and stance right or wrong), missed although the prediction covers
the same evidence (the proposition differs too much, or another prediction
took the pair), missed with no prediction on its evidence, and missed outside
every candidate (for staged prompts: stage one never asked the model about
it). Offline: it replays ``eval/cassettes`` like ``python -m claimx.eval``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from claimx.eval.gold import load_gold
from claimx.eval.matching import match_claims
from claimx.eval.runner import run_all
from claimx.extraction.pipeline import Pipeline
from claimx.prompts import get_prompt
from claimx.speakers import same_source
from claimx.text.spans import Span

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default="latest")
    parser.add_argument("--examples", type=int, default=0, help="print N missed claims per kind")
    args = parser.parse_args()
    spec = get_prompt(args.prompt)
    # A stage one asks about candidates only; the whole text sees everything.
    pipeline = Pipeline(spec)
    gold = load_gold(ROOT / "eval" / "gold")
    (run,) = run_all([spec], [None], gold, source="replayed", cassettes=ROOT / "eval" / "cassettes")
    kinds: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    stance_errors: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    n_pred = 0
    for item, art in zip(gold, run.articles, strict=True):
        pred = art.result.claims if art.result else []
        n_pred += len(pred)
        names = [c.speaker for c in item.claims] + [c.speaker for c in pred]
        matched = {}
        for pair in match_claims(item.claims, pred, item.text):
            matched[pair.gold] = pred[pair.pred]
        whole = Span(0, len(item.text))
        spans = [r.window or whole for r in pipeline.plan(item.text)]
        for i, g in enumerate(item.claims):
            if i in matched:
                p = matched[i]
                speaker_ok = same_source(p.speaker, g.speaker, names)
                stance_ok = p.stance == g.stance
                pairs[
                    f"speaker {'right' if speaker_ok else 'wrong'},"
                    f" stance {'right' if stance_ok else 'wrong'}"
                ] += 1
                if not stance_ok:
                    stance_errors[f"gold {g.stance} -> predicted {p.stance}"] += 1
                continue
            if not any(s.overlaps(g.span) for s in spans):
                kind = "missed: outside every candidate"
            elif any(p.start < g.end and g.start < p.end for p in pred):
                kind = "missed: a prediction covers its evidence, proposition differs"
            else:
                kind = "missed: no prediction on its evidence"
            kinds[kind] += 1
            if shown[kind] < args.examples:
                shown[kind] += 1
                print(f"  [{kind}] {item.article_id[:3]} {g.speaker}: {g.claim}")
    total = sum(len(item.claims) for item in gold)
    print(f"{spec.ref}: {total} gold claims, {n_pred} predicted (replayed)")
    print(f"  matched: {sum(pairs.values())}")
    for key, n in sorted(pairs.items(), key=lambda kv: -kv[1]):
        print(f"    {key}: {n}")
    for key, n in sorted(stance_errors.items(), key=lambda kv: -kv[1]):
        print(f"      stance {key}: {n}")
    for key, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {key}: {n}")


if __name__ == "__main__":
    main()
