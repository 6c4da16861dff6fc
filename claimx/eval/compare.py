"""A/B comparison of systems on the same gold articles, and the report data built from it.

Every later system is compared with the first (the baseline): each metric
side by side with its delta, the paired bootstrap interval of the difference of
every ``compared`` row of :data:`~claimx.eval.metrics.METRICS` (claim F1 and
joint F1; :mod:`claimx.eval.bootstrap`: the article-level one gives the
verdict, the claim-level one is shown for reference), and the gold claims one
system gets fully right (claim, speaker and stance) and the other does not.

:func:`build_report` is the one call from runs to a :class:`Report`, which the
renderers in :mod:`claimx.eval.reports` print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from claimx.eval.bootstrap import Interval, Resampling, paired_bootstraps
from claimx.eval.detection import DetectionReport, detection_from_runs
from claimx.eval.gold import GoldItem
from claimx.eval.metrics import METRICS, ArticleScore, SystemScore, score_system
from claimx.eval.oracle import OracleReport
from claimx.eval.reliability import Reliability, reliability
from claimx.eval.results import ReportMeta, SystemRun

__all__ = ["ClaimDiff", "Comparison", "Report", "build_report", "compare"]


@dataclass(frozen=True)
class ClaimDiff:
    """A gold claim one system gets jointly right and the other does not."""

    article_id: str
    gold_index: int
    speaker: str
    stance: str
    claim: str
    right_in: str  # label of the system that gets it right
    wrong_in: str  # label of the system that does not
    wrong_how: str  # "missed", or what the matched prediction got wrong


@dataclass(frozen=True)
class Comparison:
    """``system`` against ``baseline`` on the same articles."""

    baseline: str
    system: str
    deltas: dict[str, float | None]  # metric(system) - metric(baseline); None if undefined
    intervals: dict[str, Interval]  # article-level bootstrap: the verdict
    claim_intervals: dict[str, Interval]  # claim-level bootstrap: for reference
    diffs: list[ClaimDiff]  # system right, baseline wrong first; then the reverse


@dataclass(frozen=True)
class Report:
    """Everything a report shows: provenance, every system's scores, the comparisons."""

    meta: ReportMeta
    systems: list[SystemScore]
    comparisons: list[Comparison] = field(default_factory=list)
    #: evidence-span detection, when some gold records carry no proposition (corpus gold)
    detection: DetectionReport | None = None
    #: per system: claims binned by confidence, and the best threshold
    reliability: list[Reliability] = field(default_factory=list)
    #: ``--oracle evidence|claim``: which stage loses what, and the rule baselines
    oracle: OracleReport | None = None


def _wrong_how(art: ArticleScore, gold_index: int) -> str:
    pair = next((p for p in art.pairs if p.gold == gold_index), None)
    if pair is None:
        return "missed" if art.error is None else "article failed"
    pred = art.predictions[pair.pred]
    wrong = []
    if not pair.speaker_ok:
        wrong.append(f"speaker {pred.speaker!r}")
    if not pair.stance_ok:
        wrong.append(f"stance {pred.stance}")
    return ", ".join(wrong)


def _diffs(right: SystemScore, wrong: SystemScore) -> list[ClaimDiff]:
    other = {a.article_id: a for a in wrong.articles}
    out = []
    for art in right.articles:
        theirs = other[art.article_id]
        lost = {p.gold for p in theirs.pairs if p.joint_ok}
        for pair in art.pairs:
            if pair.joint_ok and pair.gold not in lost:
                g = art.run.gold[pair.gold]
                out.append(
                    ClaimDiff(
                        article_id=art.article_id,
                        gold_index=pair.gold,
                        speaker=g.speaker,
                        stance=g.stance,
                        claim=g.claim,
                        right_in=right.label,
                        wrong_in=wrong.label,
                        wrong_how=_wrong_how(theirs, pair.gold),
                    )
                )
    return out


def compare(
    baseline: SystemScore, system: SystemScore, *, seed: int = 0, resamples: int = 10_000
) -> Comparison:
    """Compare ``system`` with ``baseline``; ValueError when their articles differ."""
    ma, mb = baseline.metrics, system.metrics
    deltas: dict[str, float | None] = {}
    for key, a in ma.items():
        b = mb[key]
        deltas[key] = None if a is None or b is None else b - a

    compared = METRICS.compared()
    by_claim = [m for m in compared if m.by_claim]
    draws = Resampling(resamples, seed)
    return Comparison(
        baseline=baseline.label,
        system=system.label,
        deltas=deltas,
        intervals=paired_bootstraps(baseline, system, metrics=compared, draws=draws),
        claim_intervals=paired_bootstraps(
            baseline, system, metrics=by_claim, unit="claim", draws=draws
        ),
        diffs=_diffs(system, baseline) + _diffs(baseline, system),
    )


def build_report(
    runs: Sequence[SystemRun], meta: ReportMeta, gold: Sequence[GoldItem] | None = None
) -> Report:
    """Score every run and compare each later one with the first (seed and resamples from meta).

    With ``gold`` holding detection-only records (:class:`~claimx.models.Attribution`),
    every article is also scored for detection (:mod:`claimx.eval.detection`),
    and the claim metrics cover only the articles with full claims (none: no
    claim metrics at all, ``systems`` is empty).

    Raises ValueError when the runs do not cover the same articles, or two
    runs share a label (the reports tell systems apart by label).
    """
    labels = [r.label for r in runs]
    if len(set(labels)) != len(labels):
        raise ValueError(f"system labels must be unique, got {labels}")
    detection = None
    if gold is not None and any(item.attributions for item in gold):
        detection = detection_from_runs(runs, gold, seed=meta.seed, resamples=meta.resamples)
        only = {item.article_id for item in gold if item.detection_only}
        kept = [
            replace(r, articles=[a for a in r.articles if a.article_id not in only]) for r in runs
        ]
        runs = kept if any(r.articles for r in kept) else []
    systems = [score_system(r) for r in runs]
    comparisons = [
        compare(systems[0], other, seed=meta.seed, resamples=meta.resamples)
        for other in systems[1:]
    ]
    return Report(meta, systems, comparisons, detection, [reliability(s) for s in systems])
