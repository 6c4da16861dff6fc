"""Scoring predicted claims against gold claims, as ``eval/ANNOTATION.md`` says.

**Matching.** A predicted claim *can* match a gold claim when

1. their evidence overlaps in the article (``p.start < g.end and g.start < p.end``), and
2. their propositions say the same thing: the Dice coefficient of their content
   words (:func:`claimx.consolidate.content_words`: stop words out, light
   stemming, US/Washington/America and similar metonyms folded) is at least
   :data:`MIN_PROPOSITION_SIMILARITY`.

Among the candidate pairs, matching is one-to-one and optimal: the Hungarian
algorithm (``scipy.optimize.linear_sum_assignment``) maximises the summed pair
score ``similarity + overlap`` (overlap = shared characters / shorter span),
so one prediction never takes two gold claims, a duplicate prediction is a
false positive, and the order of predictions does not matter.

**On matched pairs** the speaker is right when :func:`claimx.names.same_speaker`
says so (case, punctuation, honorifics, middle initials; a surname alone
matches the full name when no other name in the article shares it), and the
stance is right when equal. A claim is *jointly* right when it is matched and
both are right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from claimx.consolidate import content_words
from claimx.models import STANCES, Claim, ExtractionResult
from claimx.names import normalize_name, same_speaker

MIN_PROPOSITION_SIMILARITY = 0.2
"""Least content-word Dice for two claims with overlapping evidence to be the
same proposition. Evidence overlap already ties the pair to one passage; this
bar only keeps apart the different propositions one passage can carry (Peskov's
"targets" and "means", split by rule 4). On the gold, claims sharing a span
but stating different propositions score at most 0.18; rewordings by the
models that a reader accepts as the same claim score 0.25 and up."""


def proposition_similarity(a: str, b: str) -> float:
    """Dice coefficient of the two claims' content words (0..1)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def span_overlap(a: Claim, b: Claim) -> float:
    """Shared characters over the shorter span (0 when disjoint)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared <= 0:
        return 0.0
    return shared / max(1, min(a.end - a.start, b.end - b.start))


@dataclass(frozen=True)
class Pair:
    gold: int
    pred: int
    similarity: float
    speaker_ok: bool
    stance_ok: bool

    @property
    def joint_ok(self) -> bool:
        return self.speaker_ok and self.stance_ok


def match(gold: Sequence[Claim], pred: Sequence[Claim]) -> list[Pair]:
    """Optimal one-to-one matching of predictions to gold claims (see module doc)."""
    if not gold or not pred:
        return []
    score = np.zeros((len(gold), len(pred)))
    sims = np.zeros_like(score)
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            overlap = span_overlap(g, p)
            if overlap <= 0:
                continue
            sim = proposition_similarity(g.claim, p.claim)
            if sim >= MIN_PROPOSITION_SIMILARITY:
                score[i, j] = sim + overlap
                sims[i, j] = sim
    rows, cols = linear_sum_assignment(score, maximize=True)
    names = [c.speaker for c in gold] + [c.speaker for c in pred]
    pairs = []
    for i, j in zip(rows, cols, strict=True):
        if score[i, j] <= 0:
            continue
        g, p = gold[i], pred[j]
        pairs.append(
            Pair(
                gold=int(i),
                pred=int(j),
                similarity=round(float(sims[i, j]), 3),
                speaker_ok=same_speaker(p.speaker, g.speaker, names),
                stance_ok=p.stance == g.stance,
            )
        )
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (0 where undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Counts:
    """Everything the metrics are computed from; adds up across articles (micro average)."""

    n_gold: int = 0
    n_pred: int = 0
    matched: int = 0
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
    errors: int = 0
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {g: dict.fromkeys(STANCES, 0) for g in STANCES}
    )

    def __add__(self, other: Counts) -> Counts:
        out = Counts()
        for name in self.__dataclass_fields__:
            if name == "confusion":
                continue
            setattr(out, name, getattr(self, name) + getattr(other, name))
        for g in STANCES:
            for p in STANCES:
                out.confusion[g][p] = self.confusion[g][p] + other.confusion[g][p]
        return out

    def metrics(self) -> dict[str, float]:
        """The headline metrics, all in 0..1 except tokens and seconds."""
        p, r, f = prf(self.matched, self.n_pred, self.n_gold)
        jp, jr, jf = prf(self.joint_ok, self.n_pred, self.n_gold)
        sp, sr, sf = (
            self.speakers_matched / self.speakers_pred if self.speakers_pred else 0.0,
            self.speakers_matched / self.speakers_gold if self.speakers_gold else 0.0,
            0.0,
        )
        sf = 2 * sp * sr / (sp + sr) if sp + sr else 0.0
        return {
            "claim_precision": p,
            "claim_recall": r,
            "claim_f1": f,
            "speaker_accuracy": self.speaker_ok / self.matched if self.matched else 0.0,
            "stance_accuracy": self.stance_ok / self.matched if self.matched else 0.0,
            "joint_precision": jp,
            "joint_recall": jr,
            "joint_f1": jf,
            "speaker_set_precision": sp,
            "speaker_set_recall": sr,
            "speaker_set_f1": sf,
            "quotes_verbatim": self.quotes_exact / self.quotes if self.quotes else 0.0,
            "quotes_grounded": self.quotes_grounded / self.quotes if self.quotes else 0.0,
        }


def _speaker_set_matches(gold: Sequence[str], pred: Sequence[str]) -> int:
    names = list(gold) + list(pred)
    used: set[int] = set()
    hits = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and same_speaker(p, g, names):
                used.add(i)
                hits += 1
                break
    return hits


def _distinct(names: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for n in names:
        seen.setdefault(normalize_name(n) or n, n)
    return list(seen.values())


@dataclass(frozen=True)
class ArticleScore:
    """One system on one article: counts, and the matching behind them."""

    article_id: str
    counts: Counts
    pairs: list[Pair]


def score_article(
    article_id: str, gold: Sequence[Claim], result: ExtractionResult | None
) -> ArticleScore:
    """Score one extraction result (None: the extraction failed) against the gold."""
    counts = Counts(n_gold=len(gold))
    gold_speakers = _distinct([c.speaker for c in gold])
    counts.speakers_gold = len(gold_speakers)
    if result is None:
        counts.errors = 1
        return ArticleScore(article_id, counts, [])
    pred = result.claims
    pairs = match(gold, pred)
    counts.n_pred = len(pred)
    counts.matched = len(pairs)
    counts.speaker_ok = sum(p.speaker_ok for p in pairs)
    counts.stance_ok = sum(p.stance_ok for p in pairs)
    counts.joint_ok = sum(p.joint_ok for p in pairs)
    for pair in pairs:
        counts.confusion[gold[pair.gold].stance][pred[pair.pred].stance] += 1
    pred_speakers = _distinct([c.speaker for c in pred])
    counts.speakers_pred = len(pred_speakers)
    counts.speakers_matched = _speaker_set_matches(gold_speakers, pred_speakers)
    every = list(result.claims) + list(result.ungrounded)
    counts.quotes = len(every)
    counts.quotes_exact = sum(c.grounding.method == "exact" for c in every)
    counts.quotes_grounded = sum(c.grounding.grounded for c in every)
    counts.prompt_tokens = result.usage.prompt_tokens
    counts.completion_tokens = result.usage.completion_tokens
    counts.calls = result.usage.calls
    counts.latency_s = result.latency_s
    return ArticleScore(article_id, counts, pairs)
