"""From system runs to a report: scores, A/B comparisons, per-claim diffs.

The :class:`Report` is plain data; :mod:`claimx.eval.render` turns it into a
terminal table, JSON, markdown or HTML.

**Is a difference more than noise?** A paired bootstrap over articles: the
articles are resampled with replacement (the same resample for both systems,
which is what makes it paired), the micro-averaged F1 of each system is
recomputed from the summed counts, and the 2.5th and 97.5th percentiles of
the difference give a 95% interval. 10,000 resamples, fixed seed. A
difference whose interval excludes 0 is reported as more than noise. With five
articles the interval is wide; it says honestly how little five articles can
show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from claimx.eval.pricing import estimate_cost
from claimx.eval.results import SystemRun
from claimx.eval.scoring import ArticleScore, Counts, score_article

BOOTSTRAP_RESAMPLES = 10_000
JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class SystemScore:
    """One system's scores: per article and micro-averaged."""

    run: SystemRun
    articles: list[ArticleScore]
    total: Counts

    @property
    def metrics(self) -> dict[str, float]:
        return self.total.metrics()

    def cost_usd(self) -> float | None:
        return estimate_cost(self.run.model, self.total.prompt_tokens, self.total.completion_tokens)


@dataclass(frozen=True)
class Interval:
    delta: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class ClaimDiff:
    """A gold claim one system gets jointly right and the other does not."""

    article_id: str
    speaker: str
    stance: str
    claim: str
    right_in: str
    wrong_in: str


@dataclass(frozen=True)
class Comparison:
    """System ``b`` against the baseline ``a``."""

    a: str
    b: str
    deltas: dict[str, float]
    intervals: dict[str, Interval]
    diffs: list[ClaimDiff]


@dataclass(frozen=True)
class Report:
    meta: dict[str, Any]
    systems: list[SystemScore]
    comparisons: list[Comparison] = field(default_factory=list)


def score_system(run: SystemRun) -> SystemScore:
    articles = [score_article(a.article_id, a.gold, a.result) for a in run.articles]
    total = Counts()
    for art in articles:
        total = total + art.counts
    return SystemScore(run, articles, total)


def _f1(tp: np.ndarray, npred: np.ndarray, ngold: np.ndarray) -> np.ndarray:
    denom = npred + ngold
    return np.divide(2 * tp, denom, out=np.zeros_like(tp, dtype=float), where=denom > 0)


def paired_bootstrap(
    a: SystemScore,
    b: SystemScore,
    *,
    numerator: str,
    seed: int,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> Interval:
    """95% interval of micro F1(b) - F1(a), resampling articles (paired)."""

    def arrays(s: SystemScore) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        tp = np.array([getattr(x.counts, numerator) for x in s.articles], dtype=float)
        npred = np.array([x.counts.n_pred for x in s.articles], dtype=float)
        ngold = np.array([x.counts.n_gold for x in s.articles], dtype=float)
        return tp, npred, ngold

    ta, pa, ga = arrays(a)
    tb, pb, gb = arrays(b)
    n = len(ta)
    idx = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    fa = _f1(ta[idx].sum(1), pa[idx].sum(1), ga[idx].sum(1))
    fb = _f1(tb[idx].sum(1), pb[idx].sum(1), gb[idx].sum(1))
    diff = fb - fa
    point = float(
        _f1(tb.sum(keepdims=True), pb.sum(keepdims=True), gb.sum(keepdims=True))[0]
    ) - float(_f1(ta.sum(keepdims=True), pa.sum(keepdims=True), ga.sum(keepdims=True))[0])
    low, high = np.percentile(diff, [2.5, 97.5])
    return Interval(round(point, 4), round(float(low), 4), round(float(high), 4))


def _joint_right(score: SystemScore) -> set[tuple[str, int]]:
    return {(art.article_id, p.gold) for art in score.articles for p in art.pairs if p.joint_ok}


def compare(a: SystemScore, b: SystemScore, *, seed: int) -> Comparison:
    """Every metric's delta, bootstrap intervals of claim and joint F1, per-claim diffs."""
    ma, mb = a.metrics, b.metrics
    deltas = {k: round(mb[k] - ma[k], 4) for k in ma}
    intervals = {
        "claim_f1": paired_bootstrap(a, b, numerator="matched", seed=seed),
        "joint_f1": paired_bootstrap(a, b, numerator="joint_ok", seed=seed),
    }
    right_a, right_b = _joint_right(a), _joint_right(b)
    gold = {art.article_id: art.gold for art in a.run.articles}
    diffs = []
    for (article_id, i), right_in, wrong_in in [
        *((k, b.run.label, a.run.label) for k in sorted(right_b - right_a)),
        *((k, a.run.label, b.run.label) for k in sorted(right_a - right_b)),
    ]:
        claim = gold[article_id][i]
        diffs.append(
            ClaimDiff(article_id, claim.speaker, claim.stance, claim.claim, right_in, wrong_in)
        )
    return Comparison(a.run.label, b.run.label, deltas, intervals, diffs)


def build(runs: list[SystemRun], meta: dict[str, Any], *, seed: int = 0) -> Report:
    """Score every system; compare each later one with the first."""
    systems = [score_system(run) for run in runs]
    comparisons = [compare(systems[0], other, seed=seed) for other in systems[1:]]
    return Report(meta, systems, comparisons)


def make_meta(
    runs: list[SystemRun], *, gold: Path, cassettes: Path, date: str, version: str, seed: int
) -> dict[str, Any]:
    """What a reader needs to know which exact thing produced the numbers."""
    from claimx.eval.runner import Manifest

    manifest = Manifest.load(cassettes)
    sources = sorted({r.source for r in runs})
    meta: dict[str, Any] = {
        "date": date,
        "claimx_version": version,
        "gold": str(gold),
        "articles": len(runs[0].articles) if runs else 0,
        "sources": sources,
        "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "seed": seed, "unit": "article"},
        "systems": [
            {
                "label": r.label,
                "prompt": r.prompt,
                "prompt_hash": r.prompt_hash,
                "model": r.model,
                "strategy": r.strategy,
                "source": r.source,
            }
            for r in runs
        ],
    }
    if "replayed" in sources:
        meta["recordings"] = {
            "folder": str(cassettes),
            "model": manifest.model,
            "model_description": manifest.model_description,
            "recorded_at": manifest.recorded_at,
        }
    return meta


def save_predictions(runs: list[SystemRun], folder: Path) -> list[Path]:
    """Each article's predictions in the gold file format, for any other scorer."""
    written = []
    for run in runs:
        target = folder if len(runs) == 1 else folder / run.label.replace(" · ", "__")
        target.mkdir(parents=True, exist_ok=True)
        for art in run.articles:
            if art.result is None:
                continue
            path = target / f"{art.article_id}.json"
            path.write_text(art.result.to_gold().model_dump_json(indent=2) + "\n", encoding="utf-8")
            written.append(path)
    return written
