"""Scores of one system: per article and micro-averaged over articles.

Every metric is a row of :data:`METRICS` (:mod:`claimx.eval.metric`) computed
from :class:`Counts`, which add up across articles, so the totals are **micro
averages** (pooled counts, then the ratio) and the bootstrap can resample
articles, or single claims, and recompute any of them. A new metric is one row
there. Definitions (``eval/README.md ("How scoring works")`` has the long form):

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from claimx.eval.assign import assign
from claimx.eval.matching import match_claims
from claimx.eval.metric import Metric, MetricTable, Values, f1, precision, recall, share
from claimx.eval.results import ArticleRun, SystemRun
from claimx.llm.pricing import estimate_cost
from claimx.models import STANCES, Claim, ExtractedClaim
from claimx.speakers import distinct_sources, same_source

__all__ = [
    "METRICS",
    "ArticleScore",
    "ClaimMetric",
    "Counts",
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


def _macro_f1(confusion: Values) -> Values:
    """Mean F1 of the stances of confusion matrices (..., gold rows, predicted columns);
    NaN where no stance is in the gold or predicted (the doc of :func:`stance_macro_f1`)."""
    k = confusion.shape[-2]
    tp = np.diagonal(confusion[..., :, :k], axis1=-2, axis2=-1)
    gold = confusion.sum(axis=-1)
    predicted = confusion[..., :, :k].sum(axis=-2)
    present = gold + predicted > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(present, 2 * tp / np.where(present, gold + predicted, 1), 0.0)
        return np.where(present.any(axis=-1), scores.sum(axis=-1) / present.sum(axis=-1), np.nan)


def stance_macro_f1(confusion: Sequence[Sequence[int]]) -> float | None:
    """Mean F1 of the stances in a confusion matrix (gold rows x predicted columns).

    Rows and the first columns are :data:`~claimx.models.STANCES`; further
    columns (a claim with no prediction) are never right. A stance neither in
    the gold nor predicted is left out of the mean; None when none is left.
    """
    value = float(_macro_f1(np.asarray(confusion, dtype=np.float64)))
    return None if np.isnan(value) else value


def majority_stance(gold_stances: Sequence[int]) -> int | None:
    """Index in :data:`~claimx.models.STANCES` of the commonest gold stance (ties: first)."""
    return (
        max(range(len(gold_stances)), key=lambda k: gold_stances[k]) if any(gold_stances) else None
    )


_N = len(STANCES)


def _confusion_cells(c: Counts) -> tuple[int, ...]:
    return tuple(n for row in c.confusion for n in row)


def _stance_macro_f1(v: Values) -> Values:
    return _macro_f1(v.reshape(*v.shape[:-1], _N, _N))


def _majority_accuracy(v: Values) -> Values:
    """From (gold stances, confusion cells, matched): the stance accuracy of always answering
    the commonest gold stance (ties: the first) on the matched pairs."""
    stances, cells, matched = v[..., :_N], v[..., _N:-1], v[..., -1]
    rows = cells.reshape(*cells.shape[:-1], _N, _N).sum(axis=-1)
    majority = np.argmax(stances, axis=-1)[..., None]
    right = np.take_along_axis(rows, majority, axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((stances.sum(axis=-1) > 0) & (matched > 0), right / matched, np.nan)


@dataclass(frozen=True)
class ClaimMetric(Metric[Counts]):
    """A claim metric (:class:`claimx.eval.metric.Metric` over :class:`Counts`).

    ``by_claim``: its counts add up over single gold claims too (a gold claim with
    the prediction matched to it, or an unmatched prediction: the claim-level
    bootstrap units), not only over articles. ``summary``: shown in the terminal's
    and the web page's summaries, not only in the full tables.
    """

    by_claim: bool = False
    summary: bool = False


def _found(c: Counts) -> tuple[int, int, int]:
    return c.matched, c.n_pred, c.n_gold


def _joint(c: Counts) -> tuple[int, int, int]:
    return c.joint_ok, c.n_pred, c.n_gold


def _speaker_set(c: Counts) -> tuple[int, int, int]:
    return c.speakers_matched, c.speakers_pred, c.speakers_gold


def _per_article(field_name: str) -> Callable[[Counts], tuple[float, int]]:
    return lambda c: (getattr(c, field_name), c.scored_articles)


METRICS: MetricTable[ClaimMetric] = MetricTable(
    [
        ClaimMetric("claim_precision", "claim P", _found, precision, by_claim=True, summary=True),
        ClaimMetric("claim_recall", "claim R", _found, recall, by_claim=True, summary=True),
        ClaimMetric(
            "claim_f1", "claim F1", _found, f1, compared=True, by_claim=True, summary=True
        ),
        ClaimMetric(
            "speaker_accuracy", "speaker acc", lambda c: (c.speaker_ok, c.matched), share,
            by_claim=True,
        ),
        ClaimMetric(
            "stance_accuracy", "stance acc", lambda c: (c.stance_ok, c.matched), share,
            by_claim=True,
        ),
        ClaimMetric(
            "stance_majority_accuracy", "stance acc (majority)",
            lambda c: (*c.gold_stances, *_confusion_cells(c), c.matched), _majority_accuracy,
            by_claim=True,
        ),
        ClaimMetric(
            "stance_macro_f1", "stance macro-F1", _confusion_cells, _stance_macro_f1,
            by_claim=True,
        ),
        ClaimMetric("joint_precision", "joint P", _joint, precision, by_claim=True),
        ClaimMetric("joint_recall", "joint R", _joint, recall, by_claim=True),
        ClaimMetric(
            "joint_f1", "joint F1", _joint, f1, compared=True, by_claim=True, summary=True
        ),
        ClaimMetric("speaker_set_precision", "speaker-set P", _speaker_set, precision),
        ClaimMetric("speaker_set_recall", "speaker-set R", _speaker_set, recall),
        ClaimMetric("speaker_set_f1", "speaker-set F1", _speaker_set, f1),
        ClaimMetric("quotes_exact", "quotes exact", lambda c: (c.quotes_exact, c.quotes), share),
        ClaimMetric(
            "quotes_grounded", "quotes grounded", lambda c: (c.quotes_grounded, c.quotes), share
        ),
        ClaimMetric(
            "prompt_tokens", "tokens in / article", _per_article("prompt_tokens"), share,
            "tokens", higher_is_better=False,
        ),
        ClaimMetric(
            "completion_tokens", "tokens out / article", _per_article("completion_tokens"),
            share, "tokens", higher_is_better=False,
        ),
        ClaimMetric(
            "calls", "calls / article", _per_article("calls"), share, "calls",
            higher_is_better=False, summary=True,
        ),
        ClaimMetric(
            "latency_s", "seconds / article", _per_article("latency_s"), share, "seconds",
            higher_is_better=False,
        ),
        ClaimMetric(
            "cost_usd", "est. USD / article", _per_article("cost_usd"), share, "usd",
            higher_is_better=False,
        ),
    ]
)  # fmt: skip
"""Every claim metric, in report order: what :func:`compute_metrics` returns, what the
reports print and, for the ``compared`` rows, what the A/B intervals are of."""


def compute_metrics(c: Counts) -> dict[str, float | None]:
    """Every metric of :data:`METRICS` from pooled counts; None where undefined."""
    return {m.key: m.of(c) for m in METRICS}


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

    def claim_counts(self) -> tuple[list[Counts], list[Counts]]:
        """The counts of single claims: one per gold claim (with the prediction matched to
        it, if any) and one per unmatched prediction. They add up to the article's counts
        in every field a ``by_claim`` metric reads."""
        gold = self.run.gold
        by_gold = {p.gold: p for p in self.pairs}
        per_gold = []
        for i, g in enumerate(gold):
            stances = _stance_counts([g])
            pair = by_gold.get(i)
            if pair is None:
                per_gold.append(Counts(n_gold=1, gold_stances=stances))
                continue
            per_gold.append(
                Counts(
                    n_gold=1,
                    n_pred=1,
                    matched=1,
                    matched_without_span=int(pair.overlap == 0),
                    speaker_ok=int(pair.speaker_ok),
                    stance_ok=int(pair.stance_ok),
                    joint_ok=int(pair.joint_ok),
                    confusion=_confusion(gold, self.predictions, [pair]),
                    gold_stances=stances,
                )
            )
        return per_gold, [Counts(n_pred=1) for _ in self.spurious]


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
