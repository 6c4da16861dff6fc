"""The report as rich tables, printed to a console the caller passes in (tests use a StringIO).

The tables fit the console's width without cutting a label or a number: a
table with a column per system is split into several tables (the first column
repeated) when the systems do not fit side by side, and the tables with long
texts (systems, claims) switch to fewer, wrapping columns on a narrow console.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Column, Table
from rich.text import Text

from claimx.eval.compare import Report
from claimx.eval.metrics import METRICS, ArticleScore
from claimx.eval.reports.common import (
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
from claimx.eval.reports.detection import print_detection
from claimx.models import STANCES

__all__ = ["fit_table", "render_terminal"]

#: cells up to this many characters (numbers, labels, ids) are never wrapped
KEEP_WHOLE = 24


def _column_range(column: Column) -> tuple[int, int]:
    """(narrowest, widest) content width of a column that wraps only between words."""
    low = high = 1
    for cell in (column.header, *column.cells):
        text = Text.from_markup(cell) if isinstance(cell, str) else Text(str(cell))
        full = text.cell_len
        words = max((Text(w).cell_len for w in text.plain.split()), default=0)
        low = max(low, full if full <= KEEP_WHOLE or column.no_wrap else words)
        high = max(high, full)
    return low, high


def fit_table(console: Console, table: Table) -> bool:
    """Give ``table``'s columns widths that fit the console; False when they cannot.

    Rich alone shrinks the widest columns first, below their longest word, and
    then ellipsizes it; here every column keeps at least its longest word (its
    whole content when short), and the room left is shared in proportion to what
    each column would need to be on one line.
    """
    ranges = [_column_range(column) for column in table.columns]
    # A border and a space either side of every column, and the closing border.
    room = console.width - (3 * len(ranges) + 1)
    lows, highs = sum(low for low, _ in ranges), sum(high for _, high in ranges)
    if lows > room:
        return False
    if highs > room:
        spare, wanted = room - lows, highs - lows
        for column, (low, high) in zip(table.columns, ranges, strict=True):
            column.width = low + (high - low) * spare // wanted
    return True


@dataclass(frozen=True)
class _Column:
    """One column of a table that may be split: header and cells as rich markup."""

    header: str
    cells: Sequence[str]
    justify: JustifyMethod = "left"


def _split_tables(
    console: Console, title: str, key: _Column, columns: list[_Column]
) -> list[Table]:
    """``key`` and ``columns`` as one table, or as several (``key`` in each) when too wide."""

    def build(group: list[_Column], part: int) -> Table:
        table = Table(title=title if part == 0 else f"{title} (continued)", title_justify="left")
        for column in (key, *group):
            table.add_column(column.header, justify=column.justify)
        for i, cell in enumerate(key.cells):
            table.add_row(cell, *(column.cells[i] for column in group))
        return table

    groups: list[list[_Column]] = [[]]
    for column in columns:
        if groups[-1] and not fit_table(console, build([*groups[-1], column], 0)):
            groups.append([])
        groups[-1].append(column)
    tables = [build(group, part) for part, group in enumerate(groups)]
    for table in tables:
        fit_table(console, table)
    return tables


def _provenance(report: Report) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in provenance(report):
        grid.add_row(f" {label}:", escape(value))
    return grid


def _systems_table(console: Console, report: Report) -> Table:
    table = Table(title="Systems", title_justify="left")
    for name in ("label", "model", "prompt", "prompt hash", "strategy", "responses"):
        table.add_column(name, no_wrap=name in ("label", "prompt hash"))
    for s in report.systems:
        r = s.run
        table.add_row(*(escape(x) for x in (r.label, r.model, r.prompt, r.prompt_hash)),
                      escape(r.strategy), escape(r.source))  # fmt: skip
    if fit_table(console, table):
        return table
    narrow = Table(title="Systems", title_justify="left")
    narrow.add_column("label", no_wrap=True)
    narrow.add_column("model · prompt (hash) · strategy · responses", overflow="fold")
    for s in report.systems:
        r = s.run
        run = f"{r.model} · {r.prompt} ({r.prompt_hash}) · {r.strategy} · {r.source}"
        narrow.add_row(escape(r.label), escape(run))
    fit_table(console, narrow)
    return narrow


def _metrics_tables(console: Console, report: Report) -> list[Table]:
    key = _Column("metric", [info.label for info in METRICS] + ["failed articles"])
    columns = [
        _Column(
            escape(s.label),
            [metric_cell(info, s) for info in METRICS] + [str(s.total.failed)],
            "right",
        )
        for s in report.systems
    ]
    columns += [
        _Column(escape(delta_label(c)), [delta_cell(info, c, report) for info in METRICS] + [""],
                "right")
        for c in report.comparisons
    ]  # fmt: skip
    return _split_tables(console, "Micro-averaged over articles", key, columns)


def _article_cell(art: ArticleScore) -> str:
    if art.error is not None:
        return f"[red]FAILED[/] {escape(art.error[:60])}"
    m, c = art.metrics, art.counts
    claim_f1, joint_f1 = m["claim_f1"] or 0.0, m["joint_f1"] or 0.0
    return f"{claim_f1:.2f} / {joint_f1:.2f}  ({c.matched}/{c.n_pred} of {c.n_gold})"


def _articles_tables(console: Console, report: Report) -> list[Table]:
    rows = by_article(report)
    key = _Column("article", [escape(article_id) for article_id, _ in rows])
    columns = [
        _Column(escape(s.label), [_article_cell(scores[i]) for _, scores in rows])
        for i, s in enumerate(report.systems)
    ]
    title = "Per article: claim F1 / joint F1 (matched/predicted of gold)"
    return _split_tables(console, title, key, columns)


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


def _ab_table(console: Console, report: Report) -> Table:
    title = "A/B: paired bootstrap, 95% interval of the difference"
    table = Table(title=title, title_justify="left")
    for name in ("comparison", "metric", "Δ", "interval (articles)", "verdict"):
        table.add_column(name, no_wrap=name in ("Δ", "interval (articles)"))
    table.add_column("interval (claims, for reference)")
    rows = ab_rows(report)
    for row in rows:
        verdict = f"[green]{row[4]}[/]" if row[4] == "more than noise" else row[4]
        table.add_row(*(escape(x) for x in row[:4]), verdict, escape(row[5]))
    if fit_table(console, table):
        return table
    narrow = Table(title=title, title_justify="left")
    narrow.add_column("comparison: metric")
    narrow.add_column("Δ, interval, verdict (articles)")
    narrow.add_column("claims")
    for row in rows:
        verdict = f"[green]{row[4]}[/]" if row[4] == "more than noise" else row[4]
        narrow.add_row(escape(f"{row[0]}: {row[1]}"), f"{escape(row[2])} {escape(row[3])}"
                       f" {verdict}", escape(row[5]))  # fmt: skip
    fit_table(console, narrow)
    return narrow


def _diffs_table(console: Console, report: Report, max_diffs: int) -> Table | None:
    diffs = [d for c in report.comparisons for d in c.diffs]
    if not diffs:
        return None
    title = "Gold claims fully right in one system only"
    caption = (
        f"and {len(diffs) - max_diffs} more in the JSON/markdown/HTML reports"
        if len(diffs) > max_diffs
        else None
    )
    table = Table(title=title, title_justify="left", caption=caption)
    for name in ("right in", "wrong in (how)", "article", "speaker", "stance", "claim"):
        table.add_column(name)
    for d in diffs[:max_diffs]:
        table.add_row(
            *(escape(x) for x in (d.right_in, f"{d.wrong_in} ({d.wrong_how})", d.article_id)),
            *(escape(x) for x in (d.speaker, d.stance, d.claim)),
        )
    if fit_table(console, table):
        return table
    narrow = Table(title=title, title_justify="left", caption=caption)
    narrow.add_column("article: right in, wrong in (how)")
    narrow.add_column("speaker (stance): claim")
    for d in diffs[:max_diffs]:
        where = f"{d.article_id}: {d.right_in}, not {d.wrong_in} ({d.wrong_how})"
        narrow.add_row(escape(where), escape(f"{d.speaker} ({d.stance}): {d.claim}"))
    fit_table(console, narrow)
    return narrow


def _plain_table(
    console: Console, title: str, header: list[str], rows: list[list[str]], caption: str = ""
) -> Table:
    table = Table(
        title=title, title_justify="left", caption=caption or None, caption_justify="left"
    )
    for i, name in enumerate(header):
        table.add_column(escape(name), justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    fit_table(console, table)
    return table


def _print_oracle(report: Report, console: Console) -> None:
    oracle = report.oracle
    if oracle is None:
        return
    header, rows = oracle_claim_rows(oracle)
    title = "Oracle claim: speaker and stance given the gold evidence and proposition"
    console.print(_plain_table(console, title, header, rows, ORACLE_CLAIM_NOTE))
    header, rows = where_lost_rows(oracle)
    console.print(_plain_table(console, "Where joint F1 is lost", header, rows, WHERE_LOST_NOTE))


def _print_reliability(report: Report, console: Console) -> None:
    header, rows, lines = reliability_rows(report)
    if rows:
        console.print(_plain_table(console, "Reliability: claims by confidence", header, rows))
    else:
        console.print("[bold]Reliability: claims by confidence[/]")
    for line in lines:
        console.print(f" {escape(line)}", highlight=False)


def render_terminal(report: Report, console: Console, *, max_diffs: int = 40) -> None:
    """Print the whole report: provenance, systems, metrics, articles, stances, A/B, diffs."""
    console.print("[bold]claimx eval[/]")
    console.print(_provenance(report))
    if report.detection is not None:  # corpus gold (claimx.eval.detection)
        print_detection(report.detection, console)
        if not report.systems:
            return
    _print_oracle(report, console)
    if not report.systems:
        return
    console.print(_systems_table(console, report))
    for table in _metrics_tables(console, report) + _articles_tables(console, report):
        console.print(table)
    console.print(_confusion_table(report))
    _print_reliability(report, console)
    if report.comparisons:
        console.print(_ab_table(console, report))
        diffs = _diffs_table(console, report, max_diffs)
        if diffs is not None:
            console.print(diffs)
