"""Scoring and reporting a targeted-stance eval: every system's answers against the gold.

:func:`build_report` scores each system (:class:`~claimx.eval.targeted_run.TargetedRun`,
one answer per gold record, in order) with the targeted metrics:

* **article level**, over the four positions (:func:`claimx.targeted.metrics.score`):
  accuracy, per-class precision, recall and F1, macro-F1 over the classes the gold
  or the predictions hold, the confusion matrix;
* **source level**, on the records whose sources are annotated (the five
  articles' gold; FNC-1 has none): sources paired by
  :func:`claimx.speakers.same_source`, stance accuracy where found (the
  issue's "source-level stance accuracy"), recall, precision and joint F1
  (:mod:`claimx.targeted.source_metrics`);
* **cost per related pair**: over the pairs the screen let through, model
  calls, prompt and completion tokens and seconds (recorded seconds in a
  replay), and the answers served by the response cache; and the share of
  the gold's ``unrelated`` pairs the screen decided with no model call.

**Comparisons** (:class:`Comparison`): screen + encoder (when run) and each prompt
system minus the lexical baseline, and each later prompt minus the first, on the same pairs: paired
bootstrap intervals (:data:`~claimx.eval.bootstrap.RESAMPLES` resamples, 95%)
of accuracy, per-class F1 and source joint F1 through
:func:`claimx.eval.bootstrap.f1_difference_intervals` (accuracy is the F1 of
units counting one gold item and one prediction per pair), and of macro-F1
through :func:`claimx.targeted.metrics.macro_f1_interval`. The unit is the
pair (claim x article): the five articles' 25 pairs share five texts, so
their intervals overstate certainty the way the claim-level ones of the
extraction eval do.

:func:`write_reports` prints the summary (80 columns) or, with ``--full``,
every table, and writes ``--json`` and ``--markdown``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from claimx.eval.bootstrap import RESAMPLES, Interval, f1_difference_intervals
from claimx.markdown import md_table
from claimx.models import ARTICLE_STANCES, TargetedRecord
from claimx.targeted.metrics import StanceScores, macro_f1_interval, score
from claimx.targeted.source_metrics import SourceCounts, count_sources

if TYPE_CHECKING:
    from rich.console import Console

    from claimx.eval.targeted_run import TargetedRun

__all__ = [
    "Comparison",
    "Cost",
    "SystemReport",
    "TargetedReport",
    "build_report",
    "render_markdown",
    "summary_lines",
    "write_reports",
]

SOURCE_LINES = {
    "replayed": "REPLAYED: recorded responses, no model was called",
    "live": "LIVE: the model was called",
    "recorded": "RECORDED: the model was called and its answers recorded",
}
SHORT = {"supports": "sup", "refutes": "ref", "uncertain": "unc", "unrelated": "unr"}


@dataclass(frozen=True)
class Cost:
    """What one system spent, over the pairs the screen let through (module docstring)."""

    related: int  # pairs not decided by the screen
    calls: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    cached: int  # answers from the response cache (no call made, seconds are this run's)
    unrelated: int  # gold pairs labelled unrelated
    screened_unrelated: int  # of those, decided by the screen with no model call

    def per_pair(self, value: float) -> float:
        return value / self.related if self.related else 0.0

    @property
    def screened_share(self) -> float:
        return self.screened_unrelated / self.unrelated if self.unrelated else 0.0


@dataclass(frozen=True)
class SystemReport:
    """One system's figures."""

    label: str
    prompt: str | None
    prompt_hash: str | None
    model: str | None
    scores: StanceScores
    sources: SourceCounts | None  # None: no record of the gold annotates sources
    decided_by: dict[str, int]
    cost: Cost


@dataclass(frozen=True)
class Comparison:
    """``b - a`` on the same pairs, with paired-bootstrap intervals by figure."""

    a: str
    b: str
    intervals: dict[str, Interval]


@dataclass(frozen=True)
class TargetedReport:
    """Everything a targeted-stance eval reports."""

    gold: str
    source: str
    pairs: int
    composition: dict[str, int]
    annotated: int  # records whose sources are annotated
    gold_sources: int
    systems: list[SystemReport]
    comparisons: list[Comparison] = field(default_factory=list)
    seed: int = 0

    def as_json(self) -> dict[str, Any]:
        """JSON-ready (``--json``)."""
        data = asdict(self)
        for system, raw in zip(self.systems, data["systems"], strict=True):
            s = system.scores
            raw["scores"] = {
                "accuracy": s.accuracy,
                "macro_f1": s.macro_f1,
                "macro_labels": list(s.macro_labels),
                "labels": list(s.labels),
                "confusion": [list(row) for row in s.confusion],
                "per_class": [asdict(c) for c in s.per_class],
            }
            if system.sources is not None:
                c = system.sources
                raw["sources"] |= {
                    "stance_accuracy": c.stance_accuracy,
                    "recall": c.recall,
                    "precision": c.precision,
                    "joint_f1": c.joint_f1,
                }
        return data


def _cost(records: list[TargetedRecord], run: TargetedRun) -> Cost:
    answers = run.answers
    related = [a for a in answers if a.decided_by != "screen"]
    unrelated = [a for r, a in zip(records, answers, strict=True) if r.stance == "unrelated"]
    return Cost(
        related=len(related),
        calls=sum(a.usage.calls for a in related),
        prompt_tokens=sum(a.usage.prompt_tokens for a in related),
        completion_tokens=sum(a.usage.completion_tokens for a in related),
        seconds=round(sum(a.latency_s for a in related), 3),
        cached=sum(a.cached for a in related),
        unrelated=len(unrelated),
        screened_unrelated=sum(a.decided_by == "screen" for a in unrelated),
    )


def _system(records: list[TargetedRecord], run: TargetedRun) -> SystemReport:
    if len(run.answers) != len(records):
        raise ValueError(f"{run.label}: {len(run.answers)} answers for {len(records)} records")
    annotated = [(r, a) for r, a in zip(records, run.answers, strict=True) if r.sources is not None]
    return SystemReport(
        label=run.label,
        prompt=run.prompt,
        prompt_hash=run.prompt_hash,
        model=run.model,
        scores=score([r.stance for r in records], [a.stance for a in run.answers]),
        sources=count_sources((r.sources or [], a.sources) for r, a in annotated)
        if annotated
        else None,
        decided_by=dict(Counter(a.decided_by for a in run.answers)),
        cost=_cost(records, run),
    )


def _source_rows(records: list[TargetedRecord], run: TargetedRun) -> list[tuple[int, int, int]]:
    """(right, predicted, gold) of each record; zeros where sources are not annotated."""
    rows = []
    for r, a in zip(records, run.answers, strict=True):
        if r.sources is None:
            rows.append((0, 0, 0))
            continue
        c = count_sources([(r.sources, a.sources)])
        rows.append((c.right, c.predicted, c.gold))
    return rows


def compare(
    records: list[TargetedRecord], a: TargetedRun, b: TargetedRun, *, seed: int = 0
) -> Comparison:
    """``b - a`` with paired-bootstrap intervals (module docstring)."""
    gold = [r.stance for r in records]
    pa, pb = [x.stance for x in a.answers], [x.stance for x in b.answers]
    units = [
        np.array(
            [[int(g == x), 1, int(g == y), 1, 1] for g, x, y in zip(gold, pa, pb, strict=True)],
            dtype=np.int64,
        ).reshape(-1, 5)
    ]
    names = ["accuracy"]
    for label in ARTICLE_STANCES:
        units.append(
            np.array(
                [
                    [int(g == label == x), int(x == label), int(g == label == y)]
                    + [int(y == label), int(g == label)]
                    for g, x, y in zip(gold, pa, pb, strict=True)
                ],
                dtype=np.int64,
            ).reshape(-1, 5)
        )
        names.append(f"f1_{label}")
    if any(r.sources is not None for r in records):
        sa, sb = _source_rows(records, a), _source_rows(records, b)
        units.append(
            np.array(
                [[x[0], x[1], y[0], y[1], x[2]] for x, y in zip(sa, sb, strict=True)],
                dtype=np.int64,
            ).reshape(-1, 5)
        )
        names.append("source_joint_f1")
    found = f1_difference_intervals(units, names, unit="pair", seed=seed)
    intervals = {"macro_f1": macro_f1_interval(gold, pa, pb, seed=seed), **found}
    return Comparison(a.label, b.label, intervals)


def build_report(
    records: list[TargetedRecord],
    runs: list[TargetedRun],
    *,
    gold: str,
    source: str,
    seed: int = 0,
) -> TargetedReport:
    """Every system scored, and the comparisons (module docstring)."""
    from claimx.eval.targeted_run import BASELINE_LABEL, ENCODER_LABEL

    systems = [_system(records, run) for run in runs]
    prompted = [run for run in runs if run.prompt is not None]
    baseline = next((run for run in runs if run.label == BASELINE_LABEL), None)
    learned = [run for run in runs if run.label == ENCODER_LABEL]
    comparisons = []
    for run in [*learned, *prompted]:
        if baseline is not None:
            comparisons.append(compare(records, baseline, run, seed=seed))
    for run in prompted[1:]:
        comparisons.append(compare(records, prompted[0], run, seed=seed))
    counts = Counter(r.stance for r in records)
    return TargetedReport(
        gold=gold,
        source=source,
        pairs=len(records),
        composition={s: counts[s] for s in ARTICLE_STANCES},
        annotated=sum(r.sources is not None for r in records),
        gold_sources=sum(len(r.sources or []) for r in records),
        systems=systems,
        comparisons=comparisons,
        seed=seed,
    )


# --- rendering -----------------------------------------------------------------------------


def _f(x: float) -> str:
    return f"{x:.3f}"


def _interval(i: Interval) -> str:
    mark = "*" if i.more_than_noise else " "
    return f"{i.point:+.3f} [{i.low:+.3f}, {i.high:+.3f}]{mark}"


def _cost_line(s: SystemReport) -> str:
    c = s.cost
    cached = f", {c.cached} cached" if c.cached else ""
    line = (
        f"  {s.label[:22]:<22} {c.related:>4} related, {c.per_pair(c.calls):.2f} calls,"
        f" {c.per_pair(c.prompt_tokens):.0f}+{c.per_pair(c.completion_tokens):.0f} tok,"
        f" {c.per_pair(c.seconds):.1f} s{cached}"
    )
    return line[:80]


def summary_lines(report: TargetedReport) -> list[str]:
    """The terminal summary: every line at most 80 columns."""
    comp = ", ".join(f"{s} {n}" for s, n in report.composition.items())
    lines = [
        SOURCE_LINES.get(report.source, report.source),
        f"Targeted stance on {report.gold}"[:80],
        f"{report.pairs} pairs ({comp})"[:80],
    ]
    if report.annotated:
        lines.append(f"{report.gold_sources} gold sources in {report.annotated} annotated pairs")
    lines.append("")
    head = f"{'system':<24}{'acc.':>7}{'macro':>7}" + "".join(
        f"{'F1 ' + SHORT[c]:>8}" for c in ARTICLE_STANCES
    )
    lines.append(head + f"{'src':>7}")
    for s in report.systems:
        row = f"{s.label[:23]:<24}{_f(s.scores.accuracy):>7}{_f(s.scores.macro_f1):>7}"
        row += "".join(f"{_f(s.scores.of(c).f1):>8}" for c in ARTICLE_STANCES)
        row += f"{_f(s.sources.stance_accuracy) if s.sources else '-':>7}"
        lines.append(row)
    lines += [
        "src: source-level stance accuracy where the source was found.",
        "",
        "Cost per related pair (calls, prompt+completion tokens, seconds):",
    ]
    lines += [_cost_line(s) for s in report.systems if s.prompt is not None]
    # The screen is the same in every system that has one (the baseline has none).
    screened = [s for s in report.systems if s.prompt is not None] or report.systems[1:]
    screen = screened[0].cost if screened else None
    if screen is not None and screen.unrelated:
        lines.append(
            f"Screen: {screen.screened_unrelated} of {screen.unrelated} unrelated pairs"
            f" ({screen.screened_share:.0%}) decided with no model call."
        )
    for comp_ in report.comparisons:
        lines += ["", f"{comp_.b} - {comp_.a} (paired bootstrap, pairs; * beyond noise):"[:80]]
        for name in ("macro_f1", "accuracy", "f1_supports", "f1_refutes", "source_joint_f1"):
            if name in comp_.intervals:
                lines.append(f"  {name:<16} {_interval(comp_.intervals[name])}")
    return lines


def _confusion(s: SystemReport) -> str:
    rows = [
        [f"gold {c}", *(f"{x:g}" for x in row)]
        for c, row in zip(s.scores.labels, s.scores.confusion, strict=True)
    ]
    return md_table(["", *(f"→ {c}" for c in s.scores.labels)], rows, "lrrrr")


def render_markdown(report: TargetedReport) -> str:
    """Every table, as markdown (``--markdown``, and ``--full`` on the terminal)."""
    comp = ", ".join(f"{s} {n}" for s, n in report.composition.items())
    out = [
        "# claimx targeted-stance evaluation\n",
        f"{SOURCE_LINES.get(report.source, report.source)}.\n",
        f"Gold: {report.gold}: {report.pairs} pairs ({comp});"
        f" {report.gold_sources} gold sources in {report.annotated} annotated pairs.\n",
        "## Article level\n",
    ]
    head = ["system", "prompt", "accuracy", "macro-F1", *(f"F1 {c}" for c in ARTICLE_STANCES)]
    rows = [
        [s.label, f"{s.prompt} · {s.prompt_hash}" if s.prompt else "no model"]
        + [_f(s.scores.accuracy), f"**{_f(s.scores.macro_f1)}**"]
        + [_f(s.scores.of(c).f1) for c in ARTICLE_STANCES]
        for s in report.systems
    ]
    out.append(md_table(head, rows, "llrrrrrr"))
    for s in report.systems:
        out.append(f"### {s.label}\n")
        per_class = [
            [c.label, _f(c.precision), _f(c.recall), _f(c.f1), f"{c.support:g}", f"{c.predicted:g}"]
            for c in s.scores.per_class
        ]
        out.append(md_table(["class", "P", "R", "F1", "gold", "predicted"], per_class, "lrrrrr"))
        out.append("\n" + _confusion(s))
        decided = ", ".join(f"{k} {v}" for k, v in sorted(s.decided_by.items()))
        out.append(f"\nDecided by: {decided}.\n")
    if report.annotated:
        out.append("## Source level\n")
        head = ["system", "gold", "predicted", "found", "right", "stance acc.", "recall"]
        head += ["precision", "joint F1"]
        counted: list[list[object]] = [
            [s.label, n.gold, n.predicted, n.found, n.right, f"**{_f(n.stance_accuracy)}**"]
            + [_f(n.recall), _f(n.precision), _f(n.joint_f1)]
            for s in report.systems
            if (n := s.sources) is not None
        ]
        out.append(md_table(head, counted, "lrrrrrrrr"))
    out.append("## Cost per related pair\n")
    head = ["system", "related pairs", "calls", "prompt tokens", "completion tokens", "seconds"]
    head += ["cached answers", "unrelated screened"]
    costs: list[list[object]] = [
        [s.label, s.cost.related]
        + [f"{s.cost.per_pair(v):.2f}" for v in (s.cost.calls, s.cost.prompt_tokens)]
        + [f"{s.cost.per_pair(v):.2f}" for v in (s.cost.completion_tokens, s.cost.seconds)]
        + [s.cost.cached, f"{s.cost.screened_unrelated} / {s.cost.unrelated}"]
        for s in report.systems
    ]
    out.append(md_table(head, costs, "lrrrrrrr"))
    for c in report.comparisons:
        out.append(f"## {c.b} minus {c.a}\n")
        rows = [
            [name, f"{i.point:+.3f}", f"[{i.low:+.3f}, {i.high:+.3f}]", i.verdict]
            for name, i in c.intervals.items()
        ]
        out.append(
            f"Paired bootstrap over pairs, {RESAMPLES:,} resamples, seed {report.seed}.\n\n"
            + md_table(["figure", "difference", "95% interval", "verdict"], rows, "lrrl")
        )
    return "\n".join(out)


def write_reports(
    report: TargetedReport,
    console: Console | None = None,
    *,
    json_out: Path | None = None,
    markdown: Path | None = None,
    no_report: bool = False,
    full: bool = False,
) -> None:
    """The terminal report and the report files (module docstring)."""
    from rich.console import Console

    to_stdout = json_out is not None and str(json_out) == "-"
    console = console or Console(stderr=to_stdout, highlight=False)
    if no_report:
        console.print(SOURCE_LINES.get(report.source, report.source), markup=False)
    elif full:
        console.print(SOURCE_LINES.get(report.source, report.source), markup=False)
        console.print(render_markdown(report), markup=False, soft_wrap=True)
    else:
        for line in summary_lines(report):
            console.print(line, markup=False, soft_wrap=True)
    if json_out is not None:
        text = json.dumps(report.as_json(), indent=1, ensure_ascii=False) + "\n"
        if to_stdout:
            sys.stdout.write(text)
        else:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(text, encoding="utf-8")
            console.print(f"wrote {json_out}", style="dim")
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(render_markdown(report), encoding="utf-8")
        console.print(f"wrote {markdown}", style="dim")
