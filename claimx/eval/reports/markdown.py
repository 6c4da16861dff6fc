"""The report as GitHub-flavoured markdown (for eval/README.md, pull requests, notes)."""

from __future__ import annotations

from claimx.eval.compare import Report
from claimx.eval.metrics import METRICS
from claimx.eval.reports.common import (
    AB_NOISE_NOTE,
    ORACLE_CLAIM_NOTE,
    WHERE_LOST_NOTE,
    ab_rows,
    by_article,
    delta_cell,
    delta_label,
    metric_cell,
    oracle_claim_rows,
    provenance,
    reliability_rows,
    where_lost_rows,
)
from claimx.eval.reports.detection import render_detection_markdown
from claimx.markdown import md_table, md_text
from claimx.models import STANCES

__all__ = ["render_markdown"]


def _metrics(report: Report) -> str:
    header = ["metric", *(s.label for s in report.systems)]
    header += [delta_label(c) for c in report.comparisons]
    rows: list[list[object]] = []
    for info in METRICS:
        row: list[object] = [info.label, *(metric_cell(info, s) for s in report.systems)]
        rows.append(row + [delta_cell(info, c, report) for c in report.comparisons])
    failed = [s.total.failed for s in report.systems]
    rows.append(["failed articles", *failed, *([""] * len(report.comparisons))])
    return md_table(header, rows, "l" + "r" * (len(header) - 1))


def _articles(report: Report) -> str:
    rows = []
    for article_id, scores in by_article(report):
        row: list[object] = [article_id]
        for art in scores:
            if art.error is not None:
                row.append(f"**failed**: {art.error}")
                continue
            m, c = art.metrics, art.counts
            row.append(
                f"{m['claim_f1'] or 0:.2f} / {m['joint_f1'] or 0:.2f} "
                f"({c.matched}/{c.n_pred} of {c.n_gold})"
            )
        rows.append(row)
    return md_table(["article", *(s.label for s in report.systems)], rows)


def _confusion(report: Report) -> str:
    rows: list[list[object]] = []
    for s in report.systems:
        for i, g in enumerate(STANCES):
            rows.append([s.label if i == 0 else "", g, *s.total.confusion[i]])
    return md_table(["system", "gold ↓ / predicted →", *STANCES], rows, "llrrr")


def _oracle(report: Report) -> list[str]:
    if report.oracle is None:
        return []
    out = ["\n## Oracle claim: speaker and stance given the gold evidence and proposition\n"]
    header, rows = oracle_claim_rows(report.oracle)
    out += [f"{ORACLE_CLAIM_NOTE}\n", md_table(header, rows, "l" + "r" * (len(header) - 1))]
    out += ["## Where joint F1 is lost\n", f"{WHERE_LOST_NOTE}\n"]
    header, rows = where_lost_rows(report.oracle)
    out.append(md_table(header, rows, "l" + "r" * (len(header) - 1)))
    return out


def _reliability(report: Report) -> list[str]:
    header, rows, lines = reliability_rows(report)
    out = ["## Reliability: claims by confidence\n"]
    if rows:
        out.append(md_table(header, rows, "llrrr"))
    out += [f"- {md_text(line)}" for line in lines]
    return [*out, ""]


def render_markdown(report: Report) -> str:
    """The whole report as one markdown document."""
    out = ["# claimx evaluation\n"]
    out += [f"- **{label}**: {md_text(value)}" for label, value in provenance(report)]
    if report.detection is not None:  # corpus gold (claimx.eval.detection)
        out.append("\n" + render_detection_markdown(report.detection))
        if not report.systems:
            return "\n".join(out)
    out += _oracle(report)
    if not report.systems:
        return "\n".join(out)
    out.append("\n## Systems\n")
    out.append(
        md_table(
            ["label", "model", "prompt", "prompt hash", "strategy", "responses"],
            [
                [
                    s.run.label,
                    s.run.model,
                    s.run.prompt,
                    f"`{s.run.prompt_hash}`",
                    s.run.strategy,
                    s.run.source,
                ]
                for s in report.systems
            ],
        )  # fmt: skip
    )
    out += ["## Metrics (micro-averaged over articles)\n", _metrics(report)]
    out += ["## Per article: claim F1 / joint F1 (matched/predicted of gold)\n"]
    out.append(_articles(report))
    out += ["## Stance on matched pairs\n", _confusion(report)]
    out += _reliability(report)
    if report.comparisons:
        out.append("## A/B: paired bootstrap over articles, 95% interval of the difference\n")
        out.append(
            md_table(
                [
                    "comparison",
                    "metric",
                    "Δ",
                    "interval (articles)",
                    "verdict",
                    "interval (claims, for reference)",
                ],
                ab_rows(report),
            )  # fmt: skip
        )
        out.append(f"{AB_NOISE_NOTE}\n")
        diffs = [d for c in report.comparisons for d in c.diffs]
        out.append("## Gold claims fully right in one system only\n")
        if diffs:
            rows = [
                [d.right_in, f"{d.wrong_in} ({d.wrong_how})", d.article_id, d.speaker,
                 d.stance, d.claim]
                for d in diffs
            ]  # fmt: skip
            header = ["right in", "wrong in (how)", "article", "speaker", "stance", "claim"]
            out.append(md_table(header, rows))
        else:
            out.append("None: both systems get the same gold claims fully right.\n")
    return "\n".join(out)
