"""The detection report (:mod:`claimx.eval.detection`) as rows, rich tables and markdown.

One table, one column per system (then one per comparison's bootstrap
interval); every row names the rule that produced its number. The rows are
those of :data:`~claimx.eval.detection.DETECTION_METRICS`, read when a report
is made, then the counts (gold and predicted, articles and failed).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx.eval.detection import (
    DETECTION_METRICS,
    HEADLINE_RULE,
    DetectionCounts,
    DetectionMetric,
    DetectionReport,
)

__all__ = ["detection_dict", "detection_rows", "render_detection_markdown", "print_detection"]

MISSING = "–"


def _ratio(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}"


def _cell(row: DetectionMetric, c: DetectionCounts) -> str:
    value = _ratio(row.of(c))
    return value if row.support is None else f"{value} ({c.count(row.support)})"


def _metric_rows(c: DetectionCounts) -> list[tuple[str, str, str]]:
    """(metric, rule, value) for one system: every metric row, then the counts."""
    rows = [(row.label, row.rule, _cell(row, c)) for row in DETECTION_METRICS]
    rows += [
        ("gold / predicted", "", f"{c.n_gold} / {c.n_pred}"),
        ("articles (failed)", "", f"{c.articles} ({c.failed})"),
    ]
    return rows


def detection_rows(report: DetectionReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows: metric, rule, each system, each comparison's F1 interval."""
    header = ["metric", "rule", *(s.label for s in report.systems)]
    header += [f"Δ {c.system} vs {c.baseline} [95%]" for c in report.comparisons]
    per_system = [_metric_rows(s.total) for s in report.systems]
    keys = [row.key for row in DETECTION_METRICS]
    rows = []
    for i, (metric, rule, _) in enumerate(per_system[0] if per_system else []):
        row = [metric, rule, *(p[i][2] for p in per_system)]
        key = keys[i] if i < len(keys) else None
        for comp in report.comparisons:
            iv = comp.intervals.get(key) if key is not None else None
            row.append(
                f"{iv.point:+.3f} [{iv.low:+.3f}, {iv.high:+.3f}] {iv.verdict}" if iv else ""
            )
        rows.append(row)
    return header, rows


_TITLE = "Detection (evidence spans, sources, stage one)"


def _caption(report: DetectionReport) -> str:
    return (
        f"token>=t: shared word tokens / tokens of the longer span; exact: same text after"
        f" trimming spaces and punctuation; source acc on the pairs matched under"
        f" {HEADLINE_RULE}; intervals: paired bootstrap over articles, {report.resamples:,}"
        f" resamples, seed {report.seed}"
    )


def print_detection(report: DetectionReport, console: Console) -> None:
    """The detection table on a rich console."""
    for label, about in report.about.items():
        console.print(f"  [dim]{escape(label)}:[/] {escape(about)}", highlight=False)
    header, rows = detection_rows(report)
    table = Table(title=_TITLE, title_justify="left", caption=_caption(report))
    for i, name in enumerate(header):
        table.add_column(escape(name), justify="left" if i < 2 else "right")
    for row in rows:
        table.add_row(*(escape(x) for x in row))
    console.print(table)


def render_detection_markdown(report: DetectionReport) -> str:
    """The detection table as a markdown section."""
    from claimx.markdown import md_table

    header, rows = detection_rows(report)
    align = "ll" + "r" * (len(header) - 2)
    about = "".join(f"- **{label}**: {text}\n" for label, text in report.about.items())
    about = about + "\n" if about else ""
    return f"## {_TITLE}\n\n{about}{md_table(header, rows, align)}\n{_caption(report)}.\n"


def _put(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        tree = tree.setdefault(name, {})
    tree[path[-1]] = value


def detection_dict(report: DetectionReport) -> dict[str, Any]:
    """The report's figures as plain JSON data: each system's metric rows at their
    ``json`` paths (and supports), then its counts; each comparison's intervals."""
    systems = {}
    for s in report.systems:
        c = s.total
        figures: dict[str, Any] = {}
        for row in DETECTION_METRICS:
            _put(figures, row.json or (row.key,), row.of(c))
            if row.support is not None and row.support_json:
                _put(figures, row.support_json, c.count(row.support))
        figures.update(gold=c.n_gold, predicted=c.n_pred, articles=c.articles, failed=c.failed)
        systems[s.label] = figures
    comparisons = [
        {
            "baseline": comp.baseline,
            "system": comp.system,
            "f1_intervals": {
                key: {"point": iv.point, "low": iv.low, "high": iv.high, "verdict": iv.verdict}
                for key, iv in comp.intervals.items()
            },
        }
        for comp in report.comparisons
    ]
    return {
        "systems": systems,
        "comparisons": comparisons,
        "headline_rule": HEADLINE_RULE,
        "about": report.about,
    }
