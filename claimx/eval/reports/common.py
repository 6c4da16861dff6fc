"""What every renderer shares: labels, number formats, the provenance lines."""

from __future__ import annotations

from claimx.eval.compare import Comparison, Report
from claimx.eval.metrics import METRICS, ArticleScore, MetricInfo, SystemScore
from claimx.eval.pricing import is_priced

__all__ = [
    "KINDS",
    "ab_rows",
    "by_article",
    "delta_cell",
    "delta_label",
    "fmt_delta",
    "fmt_interval",
    "fmt_signed",
    "fmt_value",
    "metric_cell",
    "provenance",
    "responses_line",
]

KINDS = {m.key: m for m in METRICS}
MISSING = "–"


def by_article(report: Report) -> list[tuple[str, list[ArticleScore]]]:
    """Each article id (in the first system's order) with every system's score of it."""
    lookup = [{a.article_id: a for a in s.articles} for s in report.systems]
    first = report.systems[0].articles if report.systems else []
    return [(a.article_id, [scores[a.article_id] for scores in lookup]) for a in first]


def fmt_value(kind: str, value: float | None) -> str:
    """A metric value as reports print it ("–" when undefined)."""
    if value is None:
        return MISSING
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "tokens":
        return f"{value:,.0f}"
    if kind == "usd":
        return f"${value:.4f}"
    return f"{value:.1f}" if kind == "calls" else f"{value:.2f}"


def fmt_signed(value: float, spec: str) -> str:
    """``value`` formatted with ``spec`` and its sign; no sign when it shows as zero.

    So a difference never prints as ``-0.00`` (a negative zero, or -0.001 at two
    decimals), which reads as "worse" when nothing changed.
    """
    text = format(value, "+" + spec)
    return text if any(c in "123456789" for c in text) else text[1:]


def fmt_delta(kind: str, value: float | None) -> str:
    """A difference with its sign ("–" when undefined, no sign when it shows as zero)."""
    if value is None:
        return MISSING
    if kind == "tokens":
        return fmt_signed(value, ",.0f")
    if kind == "usd":
        return fmt_signed(value, ".4f")
    return fmt_signed(value, ".2f")


def delta_label(comp: Comparison) -> str:
    """What a delta is of: system minus baseline, ``Δ v2−v1`` for extract@v2 − extract@v1.

    The shared ``name@`` of two prompt versions is said once; other labels are kept whole.
    """
    system, baseline = comp.system, comp.baseline
    name, _, version = system.partition("@")
    base_name, _, base_version = baseline.partition("@")
    if version and base_version and name == base_name:
        return f"Δ {version}−{base_version}"
    return f"Δ {system} − {baseline}"


def metric_cell(info: MetricInfo, system: SystemScore) -> str:
    """One system's value of one metric; an unpriced model's cost is "n/a", not $0."""
    if info.kind == "usd" and not is_priced(system.run.model):
        return "n/a"
    return fmt_value(info.kind, system.metrics[info.key])


def delta_cell(info: MetricInfo, comp: Comparison, report: Report) -> str:
    """A comparison's delta of one metric; "n/a" for cost when either model has no price."""
    if info.kind == "usd":
        models = {s.label: s.run.model for s in report.systems}
        if not (is_priced(models[comp.baseline]) and is_priced(models[comp.system])):
            return "n/a"
    return fmt_delta(info.kind, comp.deltas[info.key])


def fmt_interval(low: float, high: float) -> str:
    """A 95% interval of a difference."""
    return f"[{fmt_signed(low, '.3f')}, {fmt_signed(high, '.3f')}]"


def responses_line(report: Report) -> str:
    """One line saying whether any model was called, and which recorded one was replayed."""
    meta = report.meta
    sources = sorted({s.run.source for s in report.systems})
    line = meta.responses or ", ".join(sources)
    if "replayed" in sources:
        made = meta.recorded_model or "a recorded model"
        when = f", recorded {meta.recorded_at}" if meta.recorded_at else ""
        line = f"REPLAYED responses of {made}{when}; no model was called. {line}".strip()
    return line


def provenance(report: Report) -> list[tuple[str, str]]:
    """(label, value) lines of the report header."""
    meta = report.meta
    rows = [
        ("date", meta.date),
        ("claimx", meta.claimx_version),
        ("gold", meta.gold),
        ("responses", responses_line(report)),
        ("bootstrap", f"{meta.resamples:,} paired resamples of articles, seed {meta.seed}"),
    ]
    if meta.command:
        rows.append(("command", meta.command))
    return rows


def ab_rows(report: Report) -> list[tuple[str, str, str, str, str, str]]:
    """(comparison, metric, delta, article interval, verdict, claim interval) per interval."""
    rows = []
    for comp in report.comparisons:
        for metric, iv in comp.intervals.items():
            claim_iv = comp.claim_intervals[metric]
            rows.append(
                (
                    f"{comp.system} vs {comp.baseline}",
                    KINDS[metric].label,
                    fmt_signed(iv.point, ".3f"),
                    fmt_interval(iv.low, iv.high),
                    iv.verdict,
                    f"{fmt_interval(claim_iv.low, claim_iv.high)} {claim_iv.verdict}",
                )
            )
    return rows
