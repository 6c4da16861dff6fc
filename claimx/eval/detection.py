"""Detection scoring: were the attributions found, and their sources? (no propositions needed)

Corpora such as PolNeAR annotate where an attribution's content lies, its
source as written and its cue, with no proposition and no stance
(:class:`~claimx.models.Attribution`). This module scores a system on what
such gold has; a full gold claim (:class:`~claimx.models.Claim`) is scored
here too, by its evidence span and speaker. Everything is a pure function of
gold items and :class:`~claimx.models.ExtractionResult` records, so a score
of saved run files (``claimx extract -o runs.jsonl``) calls the same code as
the eval.

The rules (each number in a report names the rule that produced it):

* **Evidence-span P / R / F1** under four overlap rules, each with its own
  one-to-one matching (``scipy.optimize.linear_sum_assignment``, most pairs
  first, then the largest overlap): ``any`` (at least one shared character),
  ``token>=0.3`` and ``token>=0.8`` (shared word tokens divided by the tokens
  of the *longer* of the two spans: at least 30% / 80% of each; tokens are
  ``\\w+`` runs, positions in the article, so a repeated word elsewhere does
  not count), ``exact`` (the same characters after trimming spaces and
  punctuation at both ends). A discontinuous gold span counts its fragments
  only. Predictions are the distinct evidence spans of ``result.claims``
  (grounded quotes): claims sharing one span (a statement split into its
  propositions, rule 4 of the annotation standard) are one predicted span,
  with the first claim's speaker. P is over predicted spans, R over gold records.
* **Source accuracy** on the pairs matched under ``token>=0.3``, by kind of
  gold source: ``named`` (a capitalised word other than a pronoun: "Clinton",
  "The New York Post"), ``nominal`` (a description: "sources", "the
  campaign"), ``pronoun`` ("he", "they"). A named or nominal source is right
  when :func:`~claimx.speakers.identity.same_source` joins it with the predicted
  speaker or the predicted name is a run of its words ("Republican nominee
  Donald Trump" ~ "Donald Trump", but not "Donald Trump's campaign"). The
  corpus has no coreference, so a pronoun source is compared with its nearest
  *named* gold source earlier in the article (a proxy, reported apart). A
  gold source is also compared without its appositive or relative clause
  ("Gonzalez, 55, of Brigantine" ~ "Mayra Gonzalez").
  Gold without a source is not scored for it.
* **Recall by form**, ``token>=0.3``: ``direct`` (at least half of the
  evidence's letters inside quotation marks), ``mixed`` (some), ``indirect``
  (none): the rule that sets every extracted claim's ``direct`` flag
  (:func:`claimx.text.attribution.quotation_form`).
* **Stage-one recall**: the share of gold records with at least one character
  inside a candidate the strategy asks the model about (before any model
  call), and **candidates per 1,000 characters** of article text. A strategy
  without a stage one (single pass) asks about the whole text: one candidate.

Totals are micro averages (pooled counts). Side by side, every later system
is compared with the first by a paired bootstrap over articles of each rule's
F1 difference (:func:`claimx.eval.bootstrap.f1_difference_intervals`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from scipy.optimize import linear_sum_assignment

from claimx.errors import ClaimxError
from claimx.eval.bootstrap import RESAMPLES, Interval, f1_difference_intervals
from claimx.eval.gold import GoldItem
from claimx.eval.results import SystemRun, read_errors, read_results
from claimx.models import Attribution, Claim, ExtractedClaim, ExtractionResult
from claimx.speakers.identity import name_tokens, same_source
from claimx.text.attribution import quotation_form
from claimx.text.spans import Span as TextSpan

__all__ = [
    "FORMS",
    "RULES",
    "SOURCE_KINDS",
    "ArticleDetection",
    "DetectionCounts",
    "DetectionReport",
    "GoldEvidence",
    "SystemDetection",
    "detection_from_runs",
    "load_results",
    "detection_report",
    "prompt_candidates",
    "evidence_form",
    "gold_evidence",
    "score_detection_article",
    "source_kind",
    "token_overlap",
]

Span = tuple[int, int]
Form = Literal["direct", "mixed", "indirect"]
SourceKind = Literal["named", "nominal", "pronoun", "none"]
CandidateFinder = Callable[[str], Sequence[Span]]

RULES: tuple[str, ...] = ("any", "token>=0.3", "token>=0.8", "exact")
"""The overlap rules, loosest first."""
HEADLINE_RULE = "token>=0.3"
"""The rule whose matching scores sources and recall by form."""
FORMS: tuple[Form, ...] = ("direct", "mixed", "indirect")
SOURCE_KINDS: tuple[SourceKind, ...] = ("named", "nominal", "pronoun")

_TOKEN = re.compile(r"\w+")
_TRIM = ' \t\n.,;:!?—–-"“”‘’«»()'
PRONOUNS = frozenset(
    "i me my we us our you your he him his she her they them their it its who one"
    " this that these those".split()
)


@dataclass(frozen=True)
class GoldEvidence:
    """What detection scores of one gold record: evidence pieces, source, form."""

    pieces: tuple[Span, ...]
    source: str | None
    form: Form
    source_kind: SourceKind

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return max(e for _, e in self.pieces)


def evidence_form(text: str, pieces: Sequence[Span]) -> Form:
    """Direct, mixed or indirect: the one rule of :func:`claimx.text.attribution.quotation_form`
    (the share of the evidence's letters inside quotation marks), as the extractor's
    ``direct`` flag reads it."""
    return quotation_form(text, [TextSpan(s, e) for s, e in pieces])


def source_kind(source: str | None) -> SourceKind:
    """Named, nominal or pronoun source, or none (module doc)."""
    if source is None or not source.strip():
        return "none"
    words = _TOKEN.findall(source)
    if words and all(w.casefold() in PRONOUNS for w in words):
        return "pronoun"
    if any(w[:1].isupper() and w.casefold() not in PRONOUNS | {"the", "a", "an"} for w in words):
        return "named"
    return "nominal"


def _evidence(text: str, pieces: Sequence[Span], source: str | None) -> GoldEvidence:
    ordered = tuple(sorted(pieces))
    return GoldEvidence(ordered, source, evidence_form(text, ordered), source_kind(source))


def gold_evidence(item: GoldItem) -> list[GoldEvidence]:
    """Every gold record of an article as evidence: full claims and attributions alike."""
    records: list[Claim | Attribution] = [*item.claims, *item.attributions]
    out = []
    for record in records:
        if isinstance(record, Attribution):
            out.append(_evidence(item.text, record.pieces, record.source))
        else:
            out.append(_evidence(item.text, [(record.start, record.end)], record.speaker))
    return sorted(out, key=lambda g: g.pieces)


@cache
def _token_starts(text: str) -> np.ndarray:
    return np.array([m.start() for m in _TOKEN.finditer(text)], dtype=np.int64)


def _tokens(text: str, pieces: Sequence[Span]) -> set[int]:
    starts = _token_starts(text)
    out: set[int] = set()
    for s, e in pieces:
        lo, hi = np.searchsorted(starts, s), np.searchsorted(starts, e)
        out.update(range(int(lo), int(hi)))
    return out


def token_overlap(text: str, a: Sequence[Span], b: Sequence[Span]) -> float:
    """Shared word tokens over the tokens of the longer span (0 when either has none)."""
    ta, tb = _tokens(text, a), _tokens(text, b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / max(len(ta), len(tb))


def _chars(a: Sequence[Span], b: Sequence[Span]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _trimmed(text: str, pieces: Sequence[Span]) -> str:
    return " ".join(" ".join(text[s:e] for s, e in pieces).strip(_TRIM).split())


def _rule_holds(rule: str, text: str, gold: GoldEvidence, pred: Span) -> tuple[bool, float]:
    """Whether ``pred`` matches ``gold`` under ``rule``, and the overlap that ranks pairs."""
    shared = _chars(gold.pieces, [pred])
    if shared == 0:
        return False, 0.0
    overlap = token_overlap(text, gold.pieces, [pred])
    if rule == "any":
        return True, overlap
    if rule == "exact":
        return _trimmed(text, gold.pieces) == _trimmed(text, [pred]), overlap
    return overlap >= float(rule.split(">=")[1]), overlap


def _match(rule: str, text: str, gold: Sequence[GoldEvidence], pred: Sequence[Span]) -> list[Span]:
    """One-to-one (gold index, prediction index) pairs under ``rule``."""
    if not gold or not pred:
        return []
    score = np.zeros((len(gold), len(pred)))
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if p[0] >= g.end or g.start >= p[1]:
                continue
            ok, overlap = _rule_holds(rule, text, g, p)
            if ok:
                score[i, j] = 10.0 + overlap  # more pairs first, then the closer ones
    rows, cols = linear_sum_assignment(score, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if score[r, c] > 0]


_RULE_FIELD = {"any": "any", "token>=0.3": "token30", "token>=0.8": "token80", "exact": "exact"}


@dataclass(frozen=True)
class DetectionCounts:
    """Pooled counts behind every detection metric; ``a + b`` adds articles.

    ``matched_<rule>``: pairs under each rule; ``gold_<form>`` and
    ``found_<form>``: gold records of each form and those matched under the
    headline rule; ``pairs_<kind>`` and ``right_<kind>``: headline pairs whose
    gold source is of that kind, and those whose source is right.
    """

    articles: int = 0
    failed: int = 0
    chars: int = 0
    n_gold: int = 0
    n_pred: int = 0
    matched_any: int = 0
    matched_token30: int = 0
    matched_token80: int = 0
    matched_exact: int = 0
    gold_direct: int = 0
    gold_mixed: int = 0
    gold_indirect: int = 0
    found_direct: int = 0
    found_mixed: int = 0
    found_indirect: int = 0
    pairs_named: int = 0
    pairs_nominal: int = 0
    pairs_pronoun: int = 0
    right_named: int = 0
    right_nominal: int = 0
    right_pronoun: int = 0
    stage_one_covered: int = 0
    stage_one_indirect_covered: int = 0
    candidates: int = 0
    #: articles scored without a known stage one (saved predictions of another tool)
    without_candidates: int = 0

    def __add__(self, other: DetectionCounts) -> DetectionCounts:
        return DetectionCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def matched(self, rule: str) -> int:
        """Pairs matched under ``rule``."""
        return int(getattr(self, f"matched_{_RULE_FIELD[rule]}"))

    def prf(self, rule: str) -> tuple[float, float, float]:
        """Precision, recall and F1 of evidence spans under ``rule``."""
        tp = self.matched(rule)
        if self.n_pred == 0 and self.n_gold == 0:
            return 1.0, 1.0, 1.0
        p = tp / self.n_pred if self.n_pred else 0.0
        r = tp / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def form_recall(self, form: str) -> tuple[float | None, int]:
        """Recall of one form under the headline rule, and how many gold records have it."""
        gold, found = getattr(self, f"gold_{form}"), getattr(self, f"found_{form}")
        return (found / gold if gold else None), gold

    def source_accuracy(self, kind: str) -> tuple[float | None, int]:
        """Share of matched pairs with a ``kind`` gold source whose source is right, and pairs."""
        pairs, right = getattr(self, f"pairs_{kind}"), getattr(self, f"right_{kind}")
        return (right / pairs if pairs else None), pairs

    def stage_one_recall(self, *, indirect: bool = False) -> float | None:
        """Share of gold records (indirect ones only) a candidate overlaps."""
        if self.without_candidates:
            return None
        if indirect:
            n = self.gold_indirect
            return self.stage_one_indirect_covered / n if n else None
        return self.stage_one_covered / self.n_gold if self.n_gold else None

    def candidates_per_1000_chars(self) -> float | None:
        if self.without_candidates or not self.chars:
            return None
        return 1000 * self.candidates / self.chars


def _run_of(short: Sequence[str], long: Sequence[str]) -> int | None:
    """Where ``short`` occurs as a contiguous run of ``long``, or None."""
    for i in range(len(long) - len(short) + 1):
        if long[i : i + len(short)] == short:
            return i
    return None


# Where a source's appositive or relative clause begins: "Gonzalez, 55, of Brigantine",
# "Sen. Jim Whelan who represents Atlantic City", "Rep. Ryan (R-WI)".
_APPOSITIVE = re.compile(r",|\s\(|\s(?:who|which|that)\s")


def _source_ok(pred_speaker: str, gold_source: str, names: Sequence[str]) -> bool:
    """Whether the predicted speaker is the gold source as written (module doc)."""
    head = _APPOSITIVE.split(gold_source, maxsplit=1)[0].strip()
    if head and head != gold_source.strip() and _source_ok(pred_speaker, head, names):
        return True
    if same_source(pred_speaker, gold_source, names):
        return True
    p, g = name_tokens(pred_speaker), name_tokens(gold_source)
    if not p or not g:
        return False
    if len(p) <= len(g) and _run_of(p, g) is not None:
        # "Donald Trump's campaign" is not Donald Trump: the run must not be possessive.
        last = re.escape(pred_speaker.split()[-1])
        return not re.search(rf"{last}['’]s\b", gold_source)
    # The source as written is the short form of the predicted name ("Caddell" for
    # "Pat Caddell"): a capitalised run that ends the predicted name.
    at = _run_of(g, p) if len(g) < len(p) else None
    return at is not None and at + len(g) == len(p) and gold_source.strip()[:1].isupper()


def _pronoun_antecedents(gold: Sequence[GoldEvidence]) -> list[str | None]:
    """For each gold record: its source, or for a pronoun the nearest earlier named one."""
    out: list[str | None] = []
    last_named: str | None = None
    for g in gold:
        if g.source_kind == "named":
            last_named = g.source
        out.append(last_named if g.source_kind == "pronoun" else g.source)
    return out


@dataclass(frozen=True)
class ArticleDetection:
    """One system on one article: its matchings and counts."""

    article_id: str
    gold: list[GoldEvidence]
    predictions: list[ExtractedClaim]
    #: rule -> (gold index, prediction index) pairs
    pairs: dict[str, list[Span]]
    counts: DetectionCounts
    error: str | None = None


def score_detection_article(
    article_id: str,
    text: str,
    gold: Sequence[GoldEvidence],
    result: ExtractionResult | None,
    candidates: Sequence[Span] | None,
    *,
    error: str | None = None,
) -> ArticleDetection:
    """Score one article (module doc); ``candidates`` None when the stage one is unknown."""
    gold = list(gold)
    # One prediction per distinct span (module doc): the first claim holding it.
    firsts = {(c.start, c.end): c for c in reversed(result.claims)} if result else {}
    preds = sorted(firsts.values(), key=lambda c: (c.start, c.end))
    spans = [(c.start, c.end) for c in preds]
    pairs = {rule: _match(rule, text, gold, spans) for rule in RULES}
    headline = pairs[HEADLINE_RULE]
    found = [gold[i].form for i, _ in headline]
    refs = _pronoun_antecedents(gold)
    names = [g.source for g in gold if g.source] + [c.speaker for c in preds]
    pairs_of: dict[str, int] = dict.fromkeys(SOURCE_KINDS, 0)
    right_of: dict[str, int] = dict.fromkeys(SOURCE_KINDS, 0)
    for gi, pj in headline:
        kind, ref = gold[gi].source_kind, refs[gi]
        if kind == "none" or ref is None:
            continue
        pairs_of[kind] += 1
        right_of[kind] += _source_ok(preds[pj].speaker, ref, names)
    covered = [
        candidates is not None and any(_chars(g.pieces, [c]) for c in candidates) for g in gold
    ]
    counts = DetectionCounts(
        articles=1,
        failed=int(result is None),
        chars=len(text),
        n_gold=len(gold),
        n_pred=len(preds),
        **{f"matched_{_RULE_FIELD[r]}": len(pairs[r]) for r in RULES},
        **{f"gold_{f}": sum(g.form == f for g in gold) for f in FORMS},
        **{f"found_{f}": found.count(f) for f in FORMS},
        **{f"pairs_{k}": pairs_of[k] for k in SOURCE_KINDS},
        **{f"right_{k}": right_of[k] for k in SOURCE_KINDS},
        stage_one_covered=sum(covered),
        stage_one_indirect_covered=sum(
            c for c, g in zip(covered, gold, strict=True) if g.form == "indirect"
        ),
        candidates=len(candidates) if candidates is not None else 0,
        without_candidates=int(candidates is None),
    )
    return ArticleDetection(article_id, gold, preds, pairs, counts, error)


@dataclass(frozen=True)
class SystemDetection:
    """One system's detection scores, per article and pooled."""

    label: str
    articles: list[ArticleDetection]
    total: DetectionCounts


@dataclass(frozen=True)
class DetectionComparison:
    """``system`` against ``baseline``: bootstrap intervals of each rule's F1 difference."""

    baseline: str
    system: str
    intervals: dict[str, Interval]


@dataclass(frozen=True)
class DetectionReport:
    """Every system's detection scores over the same articles, and the comparisons."""

    systems: list[SystemDetection]
    comparisons: list[DetectionComparison] = field(default_factory=list)
    seed: int = 0
    resamples: int = RESAMPLES
    #: label -> what produced it (model, prompt and hash, strategy, live or replayed)
    about: dict[str, str] = field(default_factory=dict)


def _units(a: SystemDetection, b: SystemDetection, rule: str) -> np.ndarray:
    by_id = {x.article_id: x for x in b.articles}
    rows = []
    for x in a.articles:
        y = by_id[x.article_id]
        ca, cb = x.counts, y.counts
        rows.append([ca.matched(rule), ca.n_pred, cb.matched(rule), cb.n_pred, ca.n_gold])
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


def compare_detection(
    baseline: SystemDetection, system: SystemDetection, *, seed: int = 0, resamples: int = RESAMPLES
) -> DetectionComparison:
    """Paired bootstrap over articles of the F1 difference under every rule.

    Raises ValueError when the two systems were not scored on the same articles.
    """
    if sorted(x.article_id for x in baseline.articles) != sorted(
        x.article_id for x in system.articles
    ):
        raise ValueError(f"{baseline.label} and {system.label} were not run on the same articles")
    units = [_units(baseline, system, rule) for rule in RULES]
    intervals = f1_difference_intervals(
        units, RULES, unit="article", resamples=resamples, seed=seed
    )
    return DetectionComparison(baseline.label, system.label, intervals)


def detection_report(
    gold: Sequence[GoldItem],
    systems: Mapping[str, Mapping[str, ExtractionResult | None]],
    *,
    candidates: Mapping[str, CandidateFinder | None] | None = None,
    errors: Mapping[str, Mapping[str, str]] | None = None,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> DetectionReport:
    """Score every system (label -> article id -> result, None if it failed) on ``gold``.

    ``candidates`` maps a label to its stage one (text -> candidate spans);
    missing or None: stage-one figures are not reported for that system. An
    article absent from a system's results counts as failed.
    """
    scored = []
    for label, results in systems.items():
        finder = (candidates or {}).get(label)
        articles = [
            score_detection_article(
                item.article_id,
                item.text,
                gold_evidence(item),
                results.get(item.article_id),
                finder(item.text) if finder is not None else None,
                error=(errors or {}).get(label, {}).get(item.article_id),
            )
            for item in gold
        ]
        total = DetectionCounts()
        for art in articles:
            total = total + art.counts
        scored.append(SystemDetection(label, articles, total))
    comparisons = [
        compare_detection(scored[0], other, seed=seed, resamples=resamples) for other in scored[1:]
    ]
    return DetectionReport(scored, comparisons, seed, resamples)


def prompt_candidates(ref: str) -> CandidateFinder | None:
    """The stage one of a prompt version (text -> candidate spans), None if not a prompt.

    A pipeline without a stage one (``find: whole_text``) asks about the whole text.
    """
    from claimx.extraction.pipeline import Pipeline
    from claimx.prompts import default_registry

    try:
        pipeline = Pipeline(default_registry().get(ref))
    except ClaimxError:
        return None
    return lambda text: [(c.start, c.end) for c in pipeline.candidates(text)]


def detection_from_runs(
    runs: Sequence[SystemRun],
    gold: Sequence[GoldItem],
    *,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> DetectionReport:
    """:func:`detection_report` of the eval's runs (saved predictions get no stage one)."""
    report = detection_report(
        gold,
        {r.label: {a.article_id: a.result for a in r.articles} for r in runs},
        candidates={
            r.label: None if r.source == "predictions" else prompt_candidates(r.prompt)
            for r in runs
        },
        errors={r.label: {a.article_id: a.error for a in r.articles if a.error} for r in runs},
        seed=seed,
        resamples=resamples,
    )
    about = {
        r.label: f"{r.model}, {r.prompt} (hash {r.prompt_hash}), {r.strategy}, {r.source}"
        for r in runs
    }
    return replace(report, about=about)


def load_results(path: Path) -> dict[str, ExtractionResult | None]:
    """Saved results (``claimx extract -o runs.jsonl``): article id -> result.

    Articles of the errors file beside it (``<output>.errors.jsonl``) map to
    None: failed, so their gold counts as missed.
    """
    out: dict[str, ExtractionResult | None] = dict.fromkeys(read_errors(path))
    if path.exists():
        out.update(read_results(path))
    return out
