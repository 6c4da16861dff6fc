"""The detection report (:mod:`claimx.eval.detection`) as rows, rich tables and markdown.

One table, one column per system (then one per comparison's bootstrap
interval); every row names the rule that produced its number.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx.eval.detection import (
    FORMS,
    HEADLINE_RULE,
    RULES,
    SOURCE_KINDS,
    DetectionCounts,
    DetectionReport,
)

__all__ = ["detection_dict", "detection_rows", "render_detection_markdown", "print_detection"]

MISSING = "–"


def _ratio(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}"


def _metric_rows(c: DetectionCounts) -> list[tuple[str, str, str]]:
    """(metric, rule, value) for one system."""
    rows = []
    for rule in RULES:
        p, r, f = c.prf(rule)
        rows += [
            ("evidence P", rule, _ratio(p)),
            ("evidence R", rule, _ratio(r)),
            ("evidence F1", rule, _ratio(f)),
        ]
    for kind in SOURCE_KINDS:
        acc, n = c.source_accuracy(kind)
        rows.append((f"source acc, {kind}", f"pairs of {HEADLINE_RULE}", f"{_ratio(acc)} ({n})"))
    for form in FORMS:
        rec, n = c.form_recall(form)
        rows.append((f"recall, {form}", HEADLINE_RULE, f"{_ratio(rec)} ({n})"))
    rows += [
        ("stage-one recall", "candidate overlaps gold", _ratio(c.stage_one_recall())),
        ("stage-one recall, indirect", "candidate overlaps gold",
         _ratio(c.stage_one_recall(indirect=True))),
        ("candidates / 1,000 chars", "stage one", _ratio(c.candidates_per_1000_chars())),
        ("gold / predicted", "", f"{c.n_gold} / {c.n_pred}"),
        ("articles (failed)", "", f"{c.articles} ({c.failed})"),
    ]  # fmt: skip
    return rows


def detection_rows(report: DetectionReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows: metric, rule, each system, each comparison's F1 interval."""
    header = ["metric", "rule", *(s.label for s in report.systems)]
    header += [f"Δ {c.system} vs {c.baseline} [95%]" for c in report.comparisons]
    per_system = [_metric_rows(s.total) for s in report.systems]
    rows = []
    for i, (metric, rule, _) in enumerate(per_system[0] if per_system else []):
        row = [metric, rule, *(p[i][2] for p in per_system)]
        for comp in report.comparisons:
            iv = comp.intervals.get(rule) if metric == "evidence F1" else None
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


def detection_dict(report: DetectionReport) -> dict[str, Any]:
    """The report's figures as plain JSON data."""
    systems = {}
    for s in report.systems:
        c = s.total
        systems[s.label] = {
            "evidence": {rule: dict(zip("prf", c.prf(rule), strict=True)) for rule in RULES},
            "source_accuracy": {k: c.source_accuracy(k)[0] for k in SOURCE_KINDS},
            "source_pairs": {k: c.source_accuracy(k)[1] for k in SOURCE_KINDS},
            "recall_by_form": {f: c.form_recall(f)[0] for f in FORMS},
            "gold_by_form": {f: c.form_recall(f)[1] for f in FORMS},
            "stage_one_recall": c.stage_one_recall(),
            "stage_one_recall_indirect": c.stage_one_recall(indirect=True),
            "candidates_per_1000_chars": c.candidates_per_1000_chars(),
            "gold": c.n_gold,
            "predicted": c.n_pred,
            "articles": c.articles,
            "failed": c.failed,
        }
    comparisons = [
        {
            "baseline": comp.baseline,
            "system": comp.system,
            "f1_intervals": {
                rule: {"point": iv.point, "low": iv.low, "high": iv.high, "verdict": iv.verdict}
                for rule, iv in comp.intervals.items()
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
