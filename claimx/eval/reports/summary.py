"""The eval's default terminal output: a summary that fits 80 columns in a screenful.

What a reader looks at first, and nothing else: where the responses came from,
each system's headline metrics, which system is best (highest
:data:`~claimx.eval.reports.common.HEADLINE` metric) and the A/B verdicts with
their intervals. Every table is in the full report (``--full``, and the
HTML, markdown and JSON reports, which are not affected by this summary).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx.eval.bootstrap import Interval
from claimx.eval.compare import Report
from claimx.eval.metrics import METRICS, ClaimMetric, SystemScore
from claimx.eval.reports.common import (
    AB_NOISE_NOTE,
    HEADLINE,
    best_system,
    fmt_interval,
    fmt_signed,
    responses_line,
)
from claimx.eval.reports.terminal import fit_table

__all__ = ["render_summary", "summary_metrics"]


def summary_metrics() -> list[ClaimMetric]:
    """The metrics of the summary's systems table: the ``summary`` rows of
    :data:`~claimx.eval.metrics.METRICS`, in order (every row is in ``--full``)."""
    return [m for m in METRICS if m.summary]


def _iv(iv: Interval | None) -> str:
    """A delta with its interval, two decimals, and ``*`` when it is more than noise."""
    if iv is None:
        return "–"
    mark = "*" if iv.more_than_noise else " "
    return f"{fmt_signed(iv.point, '.2f')} {fmt_interval(iv.low, iv.high)}{mark}"


def _value(metric: ClaimMetric, value: float | None) -> str:
    """Two decimals (calls: one), so the five columns stay narrow."""
    if value is None:
        return "–"
    return f"{value:.1f}" if metric.kind == "calls" else f"{value:.2f}"


def _natural_width(table: Table) -> int:
    """How wide ``table`` prints when nothing limits it."""
    wide = Console(file=io.StringIO(), width=1000, color_system=None)
    with wide.capture() as captured:
        wide.print(table)
    return max((len(line.rstrip()) for line in captured.get().splitlines()), default=0)


def _systems(console: Console, report: Report, best: SystemScore | None) -> Table:
    failed = any(s.total.failed for s in report.systems)
    shown = summary_metrics()

    def build(with_strategy: bool) -> Table:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column("system")
        if with_strategy:
            table.add_column("strategy")
        for m in shown:
            # "claim F1" as two lines: five narrow columns leave room for the strategy.
            header = "calls per\narticle" if m.key == "calls" else m.label.replace(" ", "\n")
            table.add_column(header, justify="right", no_wrap=True)
        if failed:
            table.add_column("failed", justify="right")
        table.add_column("", no_wrap=True)
        for s in report.systems:
            values = [_value(m, s.metrics[m.key]) for m in shown]
            row = [escape(s.label), *([escape(s.run.strategy)] if with_strategy else []), *values]
            row += [str(s.total.failed)] if failed else []
            table.add_row(*row, "[bold]best[/]" if s is best else "")
        return table

    table = build(with_strategy=True)
    if _natural_width(table) <= console.width:
        return table
    table = build(with_strategy=False)
    fit_table(console, table)
    return table


def _ab(console: Console, report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("system")
    # The compared rows of the summary: each with its article-level interval.
    compared = [m for m in summary_metrics() if m.compared]
    for m in compared:
        table.add_column(f"Δ {m.label} [95% interval]", no_wrap=True)
    for comp in report.comparisons:
        table.add_row(escape(comp.system), *(_iv(comp.intervals.get(m.key)) for m in compared))
    fit_table(console, table)
    return table


def render_summary(report: Report, console: Console, *, full_report: Sequence[str] = ()) -> None:
    """Print the summary of ``report``; ``full_report``: where every table is (lines)."""
    articles = len(report.systems[0].articles) if report.systems else 0
    gold = report.systems[0].total.n_gold if report.systems else 0
    console.print(
        f"[bold]claimx eval[/]: {len(report.systems)} system{'s' * (len(report.systems) != 1)}"
        f" on {articles} articles,"
        f" {gold} gold claims ({escape(report.meta.gold)})",
        highlight=False,
    )
    meta = report.meta
    console.print(f"[dim]responses:[/] {escape(responses_line(report))}", highlight=False)
    console.print(
        f"[dim]made:[/] {escape(meta.date)} · claimx {escape(meta.claimx_version)} · bootstrap"
        f" {meta.resamples:,} resamples, seed {meta.seed}",
        highlight=False,
    )
    if not report.systems:
        return
    best = best_system(report)
    console.print()
    console.print(_systems(console, report, best))
    if best is not None:
        value = best.metrics[HEADLINE.key]
        tied = sum(s.metrics[HEADLINE.key] == value for s in report.systems) - 1
        console.print(
            f"[bold]Best: {escape(best.label)}[/], the highest {HEADLINE.label} ({value or 0:.2f}"
            + (f", tied with {tied} other{'s' * (tied > 1)}" if tied else "")
            + "): claims found with their speaker and stance right.",
            highlight=False,
        )
    if report.comparisons:
        console.print()
        console.print(
            f"[bold]A/B[/] against {escape(report.comparisons[0].baseline)}: the difference and"
            " its 95% paired-bootstrap interval over articles; * more than noise (the interval"
            f" excludes 0). {AB_NOISE_NOTE}",
            highlight=False,
        )
        console.print(_ab(console, report))
    console.print()
    for line in full_report:
        console.print(line, style="dim", highlight=False)
