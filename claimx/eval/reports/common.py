"""What every renderer shares: labels, number formats, the provenance lines."""

from __future__ import annotations

from claimx.eval.compare import Comparison, Report
from claimx.eval.metrics import METRICS, ArticleScore, ClaimMetric, SystemScore
from claimx.eval.oracle import OracleReport, where_lost
from claimx.llm.pricing import is_priced

__all__ = [
    "AB_NOISE_NOTE",
    "HEADLINE",
    "ab_rows",
    "best_system",
    "by_article",
    "delta_cell",
    "delta_label",
    "fmt_delta",
    "fmt_interval",
    "fmt_signed",
    "fmt_value",
    "metric_cell",
    "oracle_claim_rows",
    "reliability_rows",
    "where_lost_rows",
    "provenance",
    "responses_line",
]

MISSING = "–"

HEADLINE = METRICS["joint_f1"]
"""The metric that ranks systems ("best" in the summaries): joint F1, a claim found with
its speaker and its stance right, which is what a user of claimx gets out of it."""


def best_system(report: Report) -> SystemScore | None:
    """The system with the highest :data:`HEADLINE` metric (the first of a tie; then the
    higher claim F1), or None when no system has a value for it."""
    scored = [s for s in report.systems if s.metrics[HEADLINE.key] is not None]
    if not scored:
        return None
    return max(scored, key=lambda s: (s.metrics[HEADLINE.key], s.metrics["claim_f1"] or 0.0))


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


def metric_cell(info: ClaimMetric, system: SystemScore) -> str:
    """One system's value of one metric; an unpriced model's cost is "n/a", not $0."""
    if info.kind == "usd" and not is_priced(system.run.model):
        return "n/a"
    return fmt_value(info.kind, system.metrics[info.key])


def delta_cell(info: ClaimMetric, comp: Comparison, report: Report) -> str:
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
    """(comparison, metric, delta, article interval, verdict, claim interval) per interval:
    every ``compared`` row of :data:`~claimx.eval.metrics.METRICS` ("–" for the claim
    interval of a row not computed per claim)."""
    rows = []
    for comp in report.comparisons:
        for metric, iv in comp.intervals.items():
            claim_iv = comp.claim_intervals.get(metric)
            rows.append(
                (
                    f"{comp.system} vs {comp.baseline}",
                    METRICS[metric].label,
                    fmt_signed(iv.point, ".3f"),
                    fmt_interval(iv.low, iv.high),
                    iv.verdict,
                    MISSING
                    if claim_iv is None
                    else f"{fmt_interval(claim_iv.low, claim_iv.high)} {claim_iv.verdict}",
                )
            )
    return rows


ORACLE_CLAIM_NOTE = (
    "gold evidence and gold proposition given; speaker and stance scored on every gold"
    " claim, paired with the oracle-evidence claim made for its span whose proposition is"
    " most similar (none: wrong on both). The"
    " model was not given the proposition in the prompt: the proposition is taken out of"
    " the scoring, not out of the prompt."
)
AB_NOISE_NOTE = (
    "The interval resamples the articles of one run of the model; it leaves out the"
    " model's own variation: a server at temperature 0 can answer the same requests"
    " differently in another session ('python -m claimx.eval draws' compares versions over"
    " several recordings)."
)

WHERE_LOST_NOTE = (
    "the gap of end-to-end joint F1 to 1.0, split: stage one = oracle-evidence joint F1 −"
    " end-to-end; proposition = oracle-claim both right − oracle-evidence joint F1; speaker"
    " and stance = 1 − oracle-claim both right."
)


def _ratio(value: float | None) -> str:
    return fmt_value("ratio", value)


def oracle_claim_rows(oracle: OracleReport) -> tuple[list[str], list[list[str]]]:
    """The oracle-claim table: each prompt version (n/a for single pass), then the baselines."""
    header = ["system", "speaker acc", "stance acc", "stance macro-F1", "both right", "missed"]
    rows = []
    for row in oracle.rows:
        label = row.evidence_label or row.prompt
        if row.claim is None:
            rows.append([label, row.why_not, "", "", "", ""])
            continue
        m = row.claim.metrics()
        rows.append([label, *(_ratio(m[k]) for k in m), f"{row.claim.missed}/{row.claim.n}"])
    for base in oracle.baselines:
        m = base.metrics()
        rows.append([base.label, *(_ratio(m[k]) for k in m), f"{base.missed}/{base.n}"])
    return header, rows


def where_lost_rows(oracle: OracleReport) -> tuple[list[str], list[list[str]]]:
    """The "where joint F1 is lost" table, one row per prompt version."""
    header = [
        "prompt",
        "end-to-end joint F1",
        "oracle-evidence joint F1",
        "oracle-claim both right",
        "lost in stage one",
        "lost to the proposition",
        "lost in speaker and stance",
    ]
    rows = []
    for row in oracle.rows:
        if not row.applicable:
            rows.append([row.prompt, _ratio(row.end_to_end_joint_f1), row.why_not, "", "", "", ""])
            continue
        lost = where_lost(row)
        both = row.claim.joint if row.claim else None
        rows.append(
            [
                row.prompt,
                _ratio(row.end_to_end_joint_f1),
                _ratio(row.evidence_joint_f1),
                _ratio(both),
                *(MISSING if v is None else fmt_signed(v, ".2f") for v in lost.values()),
            ]
        )
    return header, rows


def reliability_rows(report: Report) -> tuple[list[str], list[list[str]], list[str]]:
    """Claims binned by confidence, per system; and one line per system (best threshold, or
    that it has no confidence)."""
    header = ["system", "confidence", "claims", "claim P", "joint P"]
    rows: list[list[str]] = []
    lines = []
    for rel in report.reliability:
        if not rel.has_confidence:
            lines.append(f"{rel.label}: no claim has a confidence estimate")
            continue
        for b in rel.bins:
            rows.append(
                [
                    rel.label,
                    b.label,
                    str(b.count),
                    _ratio(b.claim_precision),
                    _ratio(b.joint_precision),
                ]
            )
        lines.append(
            f"{rel.label}: best joint F1 {_ratio(rel.best_joint_f1)} with --min-confidence"
            f" {rel.best_threshold:g} (all claims kept: {_ratio(rel.joint_f1)})"
        )
    return header, rows, lines
