"""What-if scores on saved PolNeAR runs: the choices behind extract@v9, no model call.

    python benchmarks/bench_polnear.py PATH --split train --prompt extract@v8 --n 12 \\
        --out /tmp/claimx-train                     # the saved run (response cache)
    python benchmarks/polnear_variants.py /tmp/claimx-train --prompt extract@v8

Prints the detection figures (:mod:`claimx.eval.detection`, token>=0.3) of one
prompt's saved results as they are, and with only the claims of sentences that
quote or carry a cue seen at least N times in train
(:func:`~claimx.text.attribution.has_strong_signal`), for
several N; then the **ceiling of the clause rule**: with the sentence of each
gold attribution given and its gold content standing in for the claim, how
many evidence spans of :func:`~claimx.extraction.evidence.claim_evidence`
(and of the whole sentence) reach token>=0.3 and >=0.8. Tune on ``train``;
``dev`` is for reporting, ``test`` is never read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.eval.detection import (  # noqa: E402
    HEADLINE_RULE,
    detection_report,
    gold_evidence,
    load_results,
)
from claimx.eval.gold import GoldItem, load_gold  # noqa: E402
from claimx.eval.overlap import token_overlap  # noqa: E402
from claimx.extraction.evidence import claim_evidence  # noqa: E402
from claimx.models import ExtractionResult  # noqa: E402
from claimx.text.attribution import has_strong_signal  # noqa: E402
from claimx.text.segments import enclosing, paragraphs, sentences  # noqa: E402
from claimx.text.spans import Span  # noqa: E402

COUNTS = (3, 10, 30, 100)


def signalled(result: ExtractionResult, text: str, min_count: int) -> ExtractionResult:
    """``result`` with only the claims of sentences with a signal of ``min_count``.

    Sentences are cut within their paragraph, as the ``numbered`` ask stage numbers them.
    """
    body = paragraphs(text)
    kept = []
    for c in result.claims:
        paragraph = enclosing(body, c.span)
        sentence = enclosing(sentences(text, paragraph), c.span)
        if has_strong_signal(text, paragraph, sentence, min_count=min_count):
            kept.append(c)
    return result.model_copy(update={"claims": kept})


def ceiling(gold: list[GoldItem]) -> dict[str, int]:
    """Gold attributions the clause rule (and the whole sentence) would reach (module doc)."""
    out = dict.fromkeys(["gold", "clause>=0.3", "sentence>=0.3", "clause>=0.8"], 0)
    for item in gold:
        spans = sentences(item.text)
        for g in gold_evidence(item):
            sentence = enclosing(spans, Span(g.start, g.start + 1))
            clause = claim_evidence(item.text, sentence, item.text[g.start : g.end])
            on_clause = token_overlap(item.text, g.pieces, [clause])
            whole = token_overlap(item.text, g.pieces, [sentence])
            out["gold"] += 1
            out["clause>=0.3"] += on_clause >= 0.3
            out["clause>=0.8"] += on_clause >= 0.8
            out["sentence>=0.3"] += whole >= 0.3
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="bench_polnear.py's --out folder")
    parser.add_argument("--prompt", default="extract@v8")
    args = parser.parse_args()
    gold = load_gold(args.out / "gold.jsonl")
    results = load_results(args.out / f"{args.prompt.replace('@', '_')}.jsonl")
    gold = [g for g in gold if results.get(g.article_id) is not None]
    texts = {g.article_id: g.text for g in gold}
    systems = {"as saved": {a: r for a, r in results.items() if a in texts}}
    for n in COUNTS:
        systems[f"signal >= {n}"] = {
            a: signalled(r, texts[a], n) for a, r in systems["as saved"].items() if r
        }
    report = detection_report(gold, systems, resamples=1)
    print(f"{args.prompt} on {len(gold)} articles ({HEADLINE_RULE})")
    for system in report.systems:
        p, r, f = system.total.prf(HEADLINE_RULE)
        named, pairs = system.total.source_accuracy("named")
        named_text = f"{named:.2f} ({pairs})" if named is not None else "-"
        print(
            f"  {system.label:14s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  "
            f"predicted {system.total.n_pred}  named sources {named_text}"
        )
    c = ceiling(gold)
    print(
        f"ceiling, sentence given: clause rule {c['clause>=0.3']} / {c['gold']} at token>=0.3"
        f" ({c['clause>=0.8']} at >=0.8), whole sentence {c['sentence>=0.3']}"
    )


if __name__ == "__main__":
    main()
