"""Targeted stance on the five articles' gold, with no model: ``python -m claimx.targeted.report``.

    python -m claimx.targeted.report                                  # gold claims as the results
    python -m claimx.eval --prompt latest --runs runs --no-report     # replayed, no model call
    python -m claimx.targeted.report --results runs/extract@v9.jsonl  # a real extractor's claims

It reads ``eval/targeted/gold.jsonl`` (``eval/ANNOTATION.md``, "Targeted
stance") and the claims extracted from the same articles: by default the
claim gold itself (``eval/gold``), the upper bound of what reading stances
off extracted claims can give; with ``--results``, the saved output of
``claimx extract`` (reused, never extracted again). It prints:

1. **matching**: each gold source's stance as read off the matched claims
   (:func:`claimx.targeted.matching.matched_sources`), source-level stance
   accuracy, recall, precision and joint F1
   (:mod:`claimx.targeted.source_metrics`), and every miss and false match;
   then the same at other similarity thresholds, for information (the
   threshold is the grouping's, not chosen here);
2. **aggregation**: the gold sources -> the article's position
   (:func:`claimx.targeted.aggregate.article_position`) against the gold position,
   then with the article's hedging words as the answers decide it
   (:func:`~claimx.targeted.aggregate.decide_position`);
3. **end to end** (:func:`claimx.targeted.answer.answer_corpus`): the screen,
   the matched sources and the classifier, article-level scores over the four
   classes and what decided each answer;
4. with ``--embeddings vectors.json`` (:mod:`claimx.targeted.embeddings`):
   matching by MiniLM cosine similarity instead of the lexical measure (same
   polarity rule, same one-per-source choice), over a sweep of thresholds,
   beside the lexical sweep.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO, cast

from claimx.consolidate.inputs import load_claims
from claimx.markdown import md_table
from claimx.models import (
    ARTICLE_STANCES,
    Claim,
    ExtractionResult,
    GoldArticle,
    MatchedSource,
    Polarity,
    TargetedRecord,
)
from claimx.speakers import same_source
from claimx.targeted.aggregate import article_position, decide_position, narration
from claimx.targeted.answer import answer_corpus
from claimx.targeted.gold import load_targeted_gold
from claimx.targeted.lexical import view
from claimx.targeted.matching import (
    MATCH_THRESHOLD,
    carry_stance,
    is_negated,
    matched_sources,
    proposition_weights,
)
from claimx.targeted.metrics import score
from claimx.targeted.shipped import shipped
from claimx.targeted.source_metrics import SourceCounts, count_sources

__all__ = ["main", "matching_counts"]

ROOT = Path(__file__).resolve().parents[2]
SWEEP = (0.35, 0.45, 0.55, 0.65)
EMBEDDING_SWEEP = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8)


def embedding_sources(
    claim: str, claims: Sequence[Claim], vectors: dict[str, list[float]], threshold: float
) -> list[MatchedSource]:
    """:func:`~claimx.targeted.matching.matched_sources` with cosine similarity of MiniLM
    vectors (normalised: a dot product) in place of the lexical measure."""
    target = vectors[claim]
    negated = is_negated(claim)
    best: dict[str, tuple[float, Claim]] = {}
    for c in claims:
        cos = sum(a * b for a, b in zip(target, vectors[c.claim], strict=True))
        key = next((k for k in best if same_source(k, c.speaker)), c.speaker)
        if cos >= threshold and (key not in best or cos > best[key][0]):
            best[key] = (cos, c)
    out = []
    for cos, c in best.values():
        polarity: Polarity = "same" if is_negated(c.claim) == negated else "negated"
        out.append(
            MatchedSource(
                speaker=c.speaker,
                stance=carry_stance(c.stance, polarity),
                quote=c.quote,
                start=c.start,
                end=c.end,
                proposition=c.claim,
                proposition_stance=c.stance,
                polarity=polarity,
                similarity=max(0.0, min(cos, 1.0)),
            )
        )
    return out


def matching_counts(
    records: Sequence[TargetedRecord],
    results: dict[str, ExtractionResult | GoldArticle],
    threshold: float = MATCH_THRESHOLD,
) -> tuple[SourceCounts, list[str]]:
    """Source-level counts of matching on the records whose sources are annotated, and the
    misses and false matches in words."""
    everything = [c.claim for r in results.values() for c in r.claims]
    pairs, notes = [], []
    for record in records:
        if record.sources is None or record.article_id not in results:
            continue
        weights = proposition_weights([record.claim, *everything])
        claims = cast(Sequence[Claim], results[record.article_id].claims)
        found = matched_sources(record.claim, claims, weights=weights, threshold=threshold)
        pairs.append((record.sources, found))
        for gold in record.sources:
            hit = next((f for f in found if same_source(f.speaker, gold.speaker)), None)
            if hit is None or hit.stance != gold.stance:
                got = f"{hit.stance} from {hit.proposition!r}" if hit else "no match"
                notes.append(f"{record.id}: {gold.speaker} {gold.stance}: {got}")
        for f in found:
            if not any(same_source(g.speaker, f.speaker) for g in record.sources):
                notes.append(
                    f"{record.id}: false match, {f.speaker} {f.stance} from {f.proposition!r}"
                    f" ({f.polarity}, {f.similarity:.2f})"
                )
    return count_sources(pairs), notes


def _counts_row(label: str, c: SourceCounts) -> list[object]:
    return [
        label,
        c.gold,
        c.predicted,
        c.found,
        c.right,
        f"**{c.stance_accuracy:.3f}**",
        f"{c.recall:.3f}",
        f"{c.precision:.3f}",
        f"{c.joint_f1:.3f}",
    ]


def run(
    gold_path: Path,
    results_path: Path,
    articles: Path,
    out: TextIO,
    embeddings: Path | None = None,
) -> None:
    """Print the report (module docstring)."""
    records = load_targeted_gold(gold_path, articles)
    results = {r.article_id: r for r in load_claims([results_path])}
    texts = {r.article_id: r.text or "" for r in records}
    print(f"# Targeted stance, five articles: claims from {results_path}\n", file=out)
    by_stance = Counter(r.stance for r in records)
    print(
        f"{len(records)} records ({len({r.claim_id for r in records})} claims x"
        f" {len(texts)} articles): "
        + ", ".join(f"{s} {by_stance[s]}" for s in ARTICLE_STANCES)
        + f"; {sum(len(r.sources or []) for r in records)} gold sources.\n",
        file=out,
    )

    header = ["", "gold", "predicted", "found", "right", "stance acc.", "recall", "precision"]
    header.append("joint F1")
    counts, notes = matching_counts(records, results)
    print(f"## Matching (threshold {MATCH_THRESHOLD})\n", file=out)
    print(md_table(header, [_counts_row("sources", counts)], "lrrrrrrrr"), file=out)
    print("\nMisses and false matches:\n", file=out)
    print("\n".join(f"- {n}" for n in notes) or "- none", file=out)
    sweep = [_counts_row(f"threshold {t}", matching_counts(records, results, t)[0]) for t in SWEEP]
    print("\nOther thresholds (for information; not chosen on this gold):\n", file=out)
    print(md_table(header, sweep, "lrrrrrrrr"), file=out)

    print("\n## Aggregation: gold sources -> the article's position\n", file=out)
    with_sources = [r for r in records if r.sources]
    differ, worded = [], []
    parts = shipped()
    for r in with_sources:
        got = article_position(s.stance for s in r.sources or [])
        if got != r.stance:
            differ.append(f"- {r.id}: gold {r.stance}, sources give {got}")
        words = narration(r.claim, view(texts[r.article_id]), parts.idf, parts.baseline)
        ruled, _ = decide_position((s.stance for s in r.sources or []), words)
        if ruled != r.stance:
            worded.append(
                f"- {r.id}: gold {r.stance}, sources and the article's words give {ruled}"
            )
    bare = Counter(r.stance for r in records if not r.sources)
    print(
        f"{len(with_sources) - len(differ)} of the {len(with_sources)} records with gold sources"
        " get the gold's position from them; the "
        f"{sum(bare.values())} without sources are undecided by design ("
        + ", ".join(f"{k} {v}" for k, v in sorted(bare.items()))
        + "). Differences:\n",
        file=out,
    )
    print("\n".join(differ) or "- none", file=out)
    print(
        f"\nWith the article's hedging words (decide_position, as the answers use it):"
        f" {len(with_sources) - len(worded)} of {len(with_sources)}. Differences:\n",
        file=out,
    )
    print("\n".join(worded) or "- none", file=out)

    print("\n## End to end, no model (screen, matched sources, classifier)\n", file=out)
    answers = {}
    for claim in dict.fromkeys(r.claim for r in records):
        for a in answer_corpus(claim, list(results.values()), texts):
            answers[(claim, a.article_id)] = a
    scored = [r for r in records if (r.claim, r.article_id) in answers]
    predicted = [answers[(r.claim, r.article_id)] for r in scored]
    s = score([r.stance for r in scored], [a.stance for a in predicted])
    print(
        f"Article level: accuracy {s.accuracy:.3f}, macro-F1 {s.macro_f1:.3f} over"
        f" {', '.join(s.macro_labels)}; decided by "
        + ", ".join(f"{k} {v}" for k, v in Counter(a.decided_by for a in predicted).items()),
        file=out,
    )
    rows = [
        [f"gold {c}", *(f"{x:g}" for x in row)]
        for c, row in zip(s.labels, s.confusion, strict=True)
    ]
    print("\n" + md_table(["", *(f"→ {c}" for c in s.labels)], rows, "lrrrr"), file=out)
    ends = count_sources(
        (r.sources or [], a.sources) for r, a in zip(scored, predicted, strict=True)
    )
    print("\nSources:\n", file=out)
    print(md_table(header, [_counts_row("end to end", ends)], "lrrrrrrrr"), file=out)
    print(
        "\nCost: 0 model calls, 0 extraction calls (the claims were read, not extracted).", file=out
    )
    if embeddings is None:
        return
    vectors = json.loads(embeddings.read_text(encoding="utf-8"))
    annotated = [r for r in records if r.sources is not None and r.article_id in results]
    rows_emb = []
    for t in EMBEDDING_SWEEP:
        pairs = [
            (
                r.sources or [],
                embedding_sources(
                    r.claim, cast(Sequence[Claim], results[r.article_id].claims), vectors, t
                ),
            )
            for r in annotated
        ]
        rows_emb.append(_counts_row(f"MiniLM cosine {t}", count_sources(pairs)))
    print("\n## Matching by MiniLM vectors (measured, not used)\n", file=out)
    print(md_table(header, rows_emb + sweep, "lrrrrrrrr"), file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m claimx.targeted.report", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "targeted" / "gold.jsonl")
    parser.add_argument(
        "--results",
        type=Path,
        default=ROOT / "eval" / "gold",
        help="claimx extract results (JSONL) or a gold folder [default: eval/gold]",
    )
    parser.add_argument("--articles", type=Path, default=ROOT / "eval" / "articles")
    parser.add_argument(
        "--embeddings", type=Path, help="vectors from python -m claimx.targeted.embeddings"
    )
    args = parser.parse_args(argv)
    run(args.gold, args.results, args.articles, sys.stdout, args.embeddings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
