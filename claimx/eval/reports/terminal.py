"""The report as rich tables, printed to a console the caller passes in (tests use a StringIO)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx.eval.compare import Report
from claimx.eval.metrics import METRICS, ArticleScore
from claimx.eval.reports.common import (
    ab_rows,
    by_article,
    delta_cell,
    metric_cell,
    provenance,
)
from claimx.eval.reports.detection import print_detection
from claimx.models import STANCES

__all__ = ["render_terminal"]


def _article_cell(art: ArticleScore) -> str:
    if art.error is not None:
        return f"[red]FAILED[/] {escape(art.error[:60])}"
    m, c = art.metrics, art.counts
    claim_f1, joint_f1 = m["claim_f1"] or 0.0, m["joint_f1"] or 0.0
    return f"{claim_f1:.2f} / {joint_f1:.2f}  ({c.matched}/{c.n_pred} of {c.n_gold})"


def _metrics_table(report: Report) -> Table:
    table = Table(title="Micro-averaged over articles", title_justify="left")
    table.add_column("metric")
    for s in report.systems:
        table.add_column(escape(s.label), justify="right")
    for comp in report.comparisons:
        table.add_column(f"Δ {escape(comp.system)}", justify="right")
    for info in METRICS:
        row = [info.label] + [metric_cell(info, s) for s in report.systems]
        row += [delta_cell(info, c, report) for c in report.comparisons]
        table.add_row(*row)
    failed = [str(s.total.failed) for s in report.systems]
    table.add_row("failed articles", *failed, *([""] * len(report.comparisons)))
    return table


def _articles_table(report: Report) -> Table:
    table = Table(
        title="Per article: claim F1 / joint F1 (matched/predicted of gold)", title_justify="left"
    )
    table.add_column("article")
    for s in report.systems:
        table.add_column(escape(s.label))
    for article_id, scores in by_article(report):
        table.add_row(article_id, *(_article_cell(art) for art in scores))
    return table


def _confusion_table(report: Report) -> Table:
    table = Table(title="Stance on matched pairs: gold → predicted", title_justify="left")
    table.add_column("system")
    table.add_column("gold")
    for p in STANCES:
        table.add_column(p, justify="right")
    for s in report.systems:
        for i, g in enumerate(STANCES):
            cells = [
                f"[bold]{n}[/]" if i == j else (f"[red]{n}[/]" if n else "0")
                for j, n in enumerate(s.total.confusion[i])
            ]
            table.add_row(escape(s.label) if i == 0 else "", g, *cells)
    return table


def _ab_table(report: Report) -> Table:
    table = Table(
        title="A/B: paired bootstrap, 95% interval of the difference", title_justify="left"
    )
    for name in ("comparison", "metric", "Δ", "interval (articles)", "verdict"):
        table.add_column(name)
    table.add_column("interval (claims, for reference)")
    for row in ab_rows(report):
        verdict = f"[green]{row[4]}[/]" if row[4] == "more than noise" else row[4]
        table.add_row(*(escape(x) for x in row[:4]), verdict, escape(row[5]))
    return table


def _diffs_table(report: Report, max_diffs: int) -> Table | None:
    diffs = [d for c in report.comparisons for d in c.diffs]
    if not diffs:
        return None
    table = Table(title="Gold claims fully right in one system only", title_justify="left")
    for name in ("right in", "wrong in (how)", "article", "speaker", "stance", "claim"):
        table.add_column(name)
    for d in diffs[:max_diffs]:
        table.add_row(
            *(escape(x) for x in (d.right_in, f"{d.wrong_in} ({d.wrong_how})", d.article_id)),
            *(escape(x) for x in (d.speaker, d.stance, d.claim)),
        )
    if len(diffs) > max_diffs:
        table.caption = f"… {len(diffs) - max_diffs} more in the JSON/markdown/HTML reports"
    return table


def render_terminal(report: Report, console: Console, *, max_diffs: int = 40) -> None:
    """Print the whole report: provenance, systems, metrics, articles, stances, A/B, diffs."""
    console.print("[bold]claimx eval[/]")
    for label, value in provenance(report):
        console.print(f"  [dim]{label}:[/] {escape(value)}", highlight=False, soft_wrap=True)
    if report.detection is not None:  # corpus gold (claimx.eval.detection)
        print_detection(report.detection, console)
        if not report.systems:
            return
    systems = Table(title="Systems", title_justify="left")
    for name in ("label", "model", "prompt", "prompt hash", "strategy", "responses"):
        systems.add_column(name)
    for s in report.systems:
        r = s.run
        systems.add_row(*(escape(x) for x in (r.label, r.model, r.prompt, r.prompt_hash)),
                        escape(r.strategy), escape(r.source))  # fmt: skip
    console.print(systems)
    console.print(_metrics_table(report))
    console.print(_articles_table(report))
    console.print(_confusion_table(report))
    if report.comparisons:
        console.print(_ab_table(report))
        diffs = _diffs_table(report, max_diffs)
        if diffs is not None:
            console.print(diffs)
