"""Scores of one system: per article and micro-averaged over articles.

Every metric is computed from :class:`Counts`, which add up across articles, so
the totals are **micro averages** (pooled counts, then the ratio) and the
bootstrap can resample articles and recompute them. Definitions
(``eval/README.md ("How scoring works")`` has the long form):

* **claim P / R / F1**: a prediction is a true positive when
  :func:`~claimx.eval.matching.match_claims` pairs it with a gold claim;
  P = matched / predictions, R = matched / gold claims, F1 their harmonic mean.
* **speaker accuracy**, **stance accuracy**: shares of matched pairs whose
  speaker is right (:func:`claimx.speakers.same_source`, the article's gold and
  predicted names as context) and whose stance is equal. Undefined (None)
  with no matched pair.
* **stance macro-F1**: the mean over stances of each stance's F1 on the
  matched pairs (:func:`stance_macro_f1`), so a system that always answers
  ``supports`` is not rewarded for the majority; **stance acc (majority)**:
  the stance accuracy that always answering the majority gold stance (over
  every gold claim scored) would get on the same matched pairs, the trivial
  baseline stance accuracy must beat.
* **joint P / R / F1**: as claim P/R/F1, but a true positive also needs the
  right speaker and the right stance.
* **speaker-set P / R / F1**: per article, the distinct sources named by the
  gold and by the predictions (names that :func:`same_source` joins are one
  source), matched one-to-one; pooled over articles.
* **stance confusion**: gold stance (rows) x predicted stance (columns) over
  matched pairs.
* **quotes exact / grounded**: of every quote the model gave
  (``result.claims`` + ``result.ungrounded``), the share located verbatim
  (grounding method ``exact``) and the share located at all.
* **tokens, calls, seconds, cost per article**: means over the articles that
  produced a result; cost from :mod:`claimx.llm.pricing` (an estimate).

A failed article (``result is None``) keeps its gold claims in the
denominators: all of them count as missed, so failing never raises recall.
With no gold and no prediction, P, R and F1 are 1 (nothing to find, nothing
wrongly found); with predictions but no gold, P is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from claimx.eval.assign import assign
from claimx.eval.matching import match_claims
from claimx.eval.results import ArticleRun, SystemRun
from claimx.llm.pricing import estimate_cost
from claimx.models import STANCES, Claim, ExtractedClaim
from claimx.speakers import distinct_sources, same_source

__all__ = [
    "METRICS",
    "ArticleScore",
    "Counts",
    "MetricInfo",
    "PairJudgement",
    "SystemScore",
    "compute_metrics",
    "majority_stance",
    "score_article",
    "score_system",
    "stance_macro_f1",
]

_EMPTY_CONFUSION = ((0, 0, 0), (0, 0, 0), (0, 0, 0))


@dataclass(frozen=True)
class MetricInfo:
    """How a metric is labelled and read; renderers share this table."""

    key: str
    label: str
    kind: str  # "ratio" (0..1) | "tokens" | "calls" | "seconds" | "usd"
    higher_is_better: bool = True


METRICS: tuple[MetricInfo, ...] = (
    MetricInfo("claim_precision", "claim P", "ratio"),
    MetricInfo("claim_recall", "claim R", "ratio"),
    MetricInfo("claim_f1", "claim F1", "ratio"),
    MetricInfo("speaker_accuracy", "speaker acc", "ratio"),
    MetricInfo("stance_accuracy", "stance acc", "ratio"),
    MetricInfo("stance_majority_accuracy", "stance acc (majority)", "ratio"),
    MetricInfo("stance_macro_f1", "stance macro-F1", "ratio"),
    MetricInfo("joint_precision", "joint P", "ratio"),
    MetricInfo("joint_recall", "joint R", "ratio"),
    MetricInfo("joint_f1", "joint F1", "ratio"),
    MetricInfo("speaker_set_precision", "speaker-set P", "ratio"),
    MetricInfo("speaker_set_recall", "speaker-set R", "ratio"),
    MetricInfo("speaker_set_f1", "speaker-set F1", "ratio"),
    MetricInfo("quotes_exact", "quotes exact", "ratio"),
    MetricInfo("quotes_grounded", "quotes grounded", "ratio"),
    MetricInfo("prompt_tokens", "tokens in / article", "tokens", False),
    MetricInfo("completion_tokens", "tokens out / article", "tokens", False),
    MetricInfo("calls", "calls / article", "calls", False),
    MetricInfo("latency_s", "seconds / article", "seconds", False),
    MetricInfo("cost_usd", "est. USD / article", "usd", False),
)
"""Every metric :func:`compute_metrics` returns, in report order."""


@dataclass(frozen=True)
class Counts:
    """Everything the metrics are computed from. ``a + b`` pools two sets of articles."""

    articles: int = 0
    failed: int = 0  # articles whose extraction failed
    n_gold: int = 0
    n_pred: int = 0
    matched: int = 0
    matched_without_span: int = 0
    speaker_ok: int = 0
    stance_ok: int = 0
    joint_ok: int = 0
    speakers_gold: int = 0
    speakers_pred: int = 0
    speakers_matched: int = 0
    quotes: int = 0
    quotes_exact: int = 0
    quotes_grounded: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    latency_s: float = 0.0
    cost_usd: float = 0.0
    # gold stance (row) x predicted stance (column), both in STANCES order
    confusion: tuple[tuple[int, ...], ...] = field(default=_EMPTY_CONFUSION)
    #: every gold claim's stance, counted in STANCES order (the majority baseline)
    gold_stances: tuple[int, ...] = (0, 0, 0)

    def __add__(self, other: Counts) -> Counts:
        summed = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name not in ("confusion", "gold_stances")
        }
        confusion = tuple(
            tuple(a + b for a, b in zip(ra, rb, strict=True))
            for ra, rb in zip(self.confusion, other.confusion, strict=True)
        )
        stances = tuple(a + b for a, b in zip(self.gold_stances, other.gold_stances, strict=True))
        return Counts(**summed, confusion=confusion, gold_stances=stances)

    @property
    def scored_articles(self) -> int:
        """Articles that produced a result (the denominator of per-article costs)."""
        return self.articles - self.failed

    def confusion_matrix(self) -> dict[str, dict[str, int]]:
        """``{gold stance: {predicted stance: count}}``."""
        return {
            g: {p: self.confusion[i][j] for j, p in enumerate(STANCES)}
            for i, g in enumerate(STANCES)
        }


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _share(num: float, den: float) -> float | None:
    return num / den if den else None


def stance_macro_f1(confusion: Sequence[Sequence[int]]) -> float | None:
    """Mean F1 of the stances in a confusion matrix (gold rows x predicted columns).

    Rows and the first columns are :data:`~claimx.models.STANCES`; further
    columns (a claim with no prediction) are never right. A stance neither in
    the gold nor predicted is left out of the mean; None when none is left.
    """
    scores = []
    for k, row in enumerate(confusion):
        tp, gold = row[k], sum(row)
        predicted = sum(r[k] for r in confusion)
        if gold + predicted:
            scores.append(2 * tp / (gold + predicted))
    return sum(scores) / len(scores) if scores else None


def majority_stance(gold_stances: Sequence[int]) -> int | None:
    """Index in :data:`~claimx.models.STANCES` of the commonest gold stance (ties: first)."""
    return (
        max(range(len(gold_stances)), key=lambda k: gold_stances[k]) if any(gold_stances) else None
    )


def compute_metrics(c: Counts) -> dict[str, float | None]:
    """Every metric of :data:`METRICS` from pooled counts; None where undefined."""
    cp, cr, cf = _prf(c.matched, c.n_pred, c.n_gold)
    jp, jr, jf = _prf(c.joint_ok, c.n_pred, c.n_gold)
    sp, sr, sf = _prf(c.speakers_matched, c.speakers_pred, c.speakers_gold)
    n = c.scored_articles
    majority = majority_stance(c.gold_stances)
    return {
        "claim_precision": cp,
        "claim_recall": cr,
        "claim_f1": cf,
        "speaker_accuracy": _share(c.speaker_ok, c.matched),
        "stance_accuracy": _share(c.stance_ok, c.matched),
        "stance_majority_accuracy": None
        if majority is None
        else _share(sum(c.confusion[majority]), c.matched),
        "stance_macro_f1": stance_macro_f1(c.confusion),
        "joint_precision": jp,
        "joint_recall": jr,
        "joint_f1": jf,
        "speaker_set_precision": sp,
        "speaker_set_recall": sr,
        "speaker_set_f1": sf,
        "quotes_exact": _share(c.quotes_exact, c.quotes),
        "quotes_grounded": _share(c.quotes_grounded, c.quotes),
        "prompt_tokens": _share(c.prompt_tokens, n),
        "completion_tokens": _share(c.completion_tokens, n),
        "calls": _share(c.calls, n),
        "latency_s": _share(c.latency_s, n),
        "cost_usd": _share(c.cost_usd, n),
    }


@dataclass(frozen=True)
class PairJudgement:
    """A matched pair and whether its speaker and stance are right."""

    gold: int
    pred: int
    similarity: float
    overlap: float
    speaker_ok: bool
    stance_ok: bool

    @property
    def joint_ok(self) -> bool:
        """Claim, speaker and stance all right."""
        return self.speaker_ok and self.stance_ok


@dataclass(frozen=True)
class ArticleScore:
    """One system on one article: the matching and the counts behind the metrics."""

    run: ArticleRun
    predictions: list[ExtractedClaim]  # what was scored: result.claims
    pairs: list[PairJudgement]
    counts: Counts
    missed: list[int]  # gold indices left unmatched
    spurious: list[int]  # prediction indices left unmatched

    @property
    def article_id(self) -> str:
        return self.run.article_id

    @property
    def error(self) -> str | None:
        """Why the extraction failed, or None."""
        if self.run.result is None:
            return self.run.error or "extraction failed"
        return None

    @property
    def metrics(self) -> dict[str, float | None]:
        return compute_metrics(self.counts)


@dataclass(frozen=True)
class SystemScore:
    """One system's scores: per article and pooled."""

    run: SystemRun
    articles: list[ArticleScore]
    total: Counts

    @property
    def label(self) -> str:
        return self.run.label

    @property
    def metrics(self) -> dict[str, float | None]:
        return compute_metrics(self.total)


def _speaker_set_matches(gold: Sequence[str], pred: Sequence[str], context: Sequence[str]) -> int:
    """Size of the largest one-to-one pairing of gold and predicted sources."""

    def one_source(i: int, j: int) -> float | None:
        return 0.0 if same_source(pred[j], gold[i], context) else None

    return len(assign(len(gold), len(pred), one_source))


def _confusion(
    gold: Sequence[Claim], pred: Sequence[Claim], pairs: Sequence[PairJudgement]
) -> tuple[tuple[int, ...], ...]:
    grid = [[0, 0, 0] for _ in STANCES]
    for pair in pairs:
        grid[STANCES.index(gold[pair.gold].stance)][STANCES.index(pred[pair.pred].stance)] += 1
    return tuple(tuple(row) for row in grid)


def _stance_counts(claims: Sequence[Claim]) -> tuple[int, ...]:
    return tuple(sum(c.stance == s for c in claims) for s in STANCES)


def score_article(run: ArticleRun, *, model: str = "") -> ArticleScore:
    """Score one article's result against its gold.

    ``model`` prices the tokens when the result does not name its model.
    """
    gold = run.gold
    result = run.result
    gold_names = [c.speaker for c in gold]
    if result is None:
        counts = Counts(
            articles=1,
            failed=1,
            n_gold=len(gold),
            speakers_gold=len(distinct_sources(gold_names, gold_names)),
            gold_stances=_stance_counts(gold),
        )
        return ArticleScore(run, [], [], counts, list(range(len(gold))), [])
    pred = list(result.claims)
    names = gold_names + [c.speaker for c in pred]
    pairs = [
        PairJudgement(
            gold=m.gold,
            pred=m.pred,
            similarity=m.similarity,
            overlap=m.overlap,
            speaker_ok=same_source(pred[m.pred].speaker, gold[m.gold].speaker, names),
            stance_ok=pred[m.pred].stance == gold[m.gold].stance,
        )
        for m in match_claims(gold, pred, run.text)
    ]
    gold_sources = distinct_sources(gold_names, names)
    pred_sources = distinct_sources([c.speaker for c in pred], names)
    quotes = pred + list(result.ungrounded)
    usage = result.usage
    counts = Counts(
        articles=1,
        n_gold=len(gold),
        n_pred=len(pred),
        matched=len(pairs),
        matched_without_span=sum(p.overlap == 0 for p in pairs),
        speaker_ok=sum(p.speaker_ok for p in pairs),
        stance_ok=sum(p.stance_ok for p in pairs),
        joint_ok=sum(p.joint_ok for p in pairs),
        speakers_gold=len(gold_sources),
        speakers_pred=len(pred_sources),
        speakers_matched=_speaker_set_matches(gold_sources, pred_sources, names),
        quotes=len(quotes),
        quotes_exact=sum(q.grounding.method == "exact" for q in quotes),
        quotes_grounded=sum(q.grounding.grounded for q in quotes),
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        calls=usage.calls,
        latency_s=result.latency_s,
        cost_usd=estimate_cost(result.model or model, usage.prompt_tokens, usage.completion_tokens),
        confusion=_confusion(gold, pred, pairs),
        gold_stances=_stance_counts(gold),
    )
    matched_gold = {p.gold for p in pairs}
    matched_pred = {p.pred for p in pairs}
    return ArticleScore(
        run,
        pred,
        pairs,
        counts,
        missed=[i for i in range(len(gold)) if i not in matched_gold],
        spurious=[j for j in range(len(pred)) if j not in matched_pred],
    )


def score_system(run: SystemRun) -> SystemScore:
    """Score every article of a system and pool the counts."""
    articles = [score_article(a, model=run.model) for a in run.articles]
    total = Counts()
    for art in articles:
        total = total + art.counts
    return SystemScore(run, articles, total)
