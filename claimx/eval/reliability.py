"""How much a claim's confidence is worth: claims binned by it, and the best threshold.

:attr:`claimx.models.ExtractedClaim.confidence` says how sure claimx is of a
claim. Per system, the scored claims are put in :data:`BINS` of their
confidence value (and a bin "none" for claims without one), each with its
count, its **claim precision** (the share matched to a gold claim) and its
**joint precision** (matched with the right speaker and stance). A reliable
confidence has precisions that rise with the bins.

**Best threshold**: the joint F1 of the system when the claims below a
threshold are dropped, as ``claimx extract --min-confidence`` drops them
(:func:`claimx.extraction.extractor.confident`: a claim with no confidence is
kept), swept over the distinct confidence values; each threshold is scored
again from scratch (the matching can change when claims go), and the one
with the highest joint F1 (ties: the lowest threshold) is reported. More
than :data:`MAX_THRESHOLDS` distinct values are thinned to that many, evenly
spread over their sorted list (the lowest and highest kept), so a confidence
with many decimals does not multiply the cost of a report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from claimx.eval.metrics import Counts, SystemScore, compute_metrics, score_article
from claimx.extraction.extractor import confident
from claimx.models import ExtractedClaim

__all__ = ["BINS", "MAX_THRESHOLDS", "Bin", "Reliability", "bin_label", "reliability"]

BINS: tuple[float, ...] = (0.5, 0.7, 0.9)
"""Upper edges of the confidence bins: <0.5, 0.5–0.7, 0.7–0.9, ≥0.9."""

NONE_BIN = "none"
MAX_THRESHOLDS = 40


def bin_label(value: float | None) -> str:
    """The bin a confidence value falls in ("none" for no confidence)."""
    if value is None:
        return NONE_BIN
    lows = (None, *BINS)
    highs = (*BINS, None)
    for low, high in zip(lows, highs, strict=True):
        if high is not None and value < high:
            return f"<{high}" if low is None else f"{low}–{high}"
    return f"≥{BINS[-1]}"


def bin_labels() -> list[str]:
    """Every bin, in order, "none" last."""
    return [bin_label(edge - 1e-9) for edge in BINS] + [bin_label(1.0), NONE_BIN]


@dataclass(frozen=True)
class Bin:
    """The claims of one confidence bin."""

    label: str
    count: int = 0
    matched: int = 0
    joint_ok: int = 0

    @property
    def claim_precision(self) -> float | None:
        return self.matched / self.count if self.count else None

    @property
    def joint_precision(self) -> float | None:
        return self.joint_ok / self.count if self.count else None


@dataclass(frozen=True)
class Reliability:
    """One system's reliability table (module docstring)."""

    label: str
    bins: list[Bin]
    #: None when no claim has a confidence
    best_threshold: float | None
    best_joint_f1: float | None
    #: the joint F1 with every claim kept, for comparison
    joint_f1: float | None

    @property
    def has_confidence(self) -> bool:
        return self.best_threshold is not None


def _bins(system: SystemScore) -> list[Bin]:
    tallies = {label: [0, 0, 0] for label in bin_labels()}
    for art in system.articles:
        by_pred = {p.pred: p for p in art.pairs}
        for j, claim in enumerate(art.predictions):
            tally = tallies[bin_label(claim.confidence.value if claim.confidence else None)]
            tally[0] += 1
            if j in by_pred:
                tally[1] += 1
                tally[2] += by_pred[j].joint_ok
    return [Bin(label, *tally) for label, tally in tallies.items()]


def _joint_f1_at(system: SystemScore, threshold: float) -> float | None:
    total = Counts()
    for art in system.articles:
        run = art.run
        if run.result is not None:
            kept: list[ExtractedClaim] = confident(list(run.result.claims), threshold)
            run = replace(run, result=run.result.model_copy(update={"claims": kept}))
        total = total + score_article(run, model=system.run.model).counts
    return compute_metrics(total)["joint_f1"]


def reliability(system: SystemScore) -> Reliability:
    """Bin ``system``'s claims by confidence and find its best threshold."""
    values = sorted(
        {c.confidence.value for a in system.articles for c in a.predictions if c.confidence}
    )
    if len(values) > MAX_THRESHOLDS:
        step = (len(values) - 1) / (MAX_THRESHOLDS - 1)
        values = [values[round(k * step)] for k in range(MAX_THRESHOLDS)]
    best: tuple[float, float] | None = None
    for threshold in values:
        f1 = _joint_f1_at(system, threshold) or 0.0
        if best is None or f1 > best[1]:
            best = (threshold, f1)
    return Reliability(
        label=system.label,
        bins=_bins(system),
        best_threshold=best[0] if best else None,
        best_joint_f1=best[1] if best else None,
        joint_f1=system.metrics["joint_f1"],
    )
