"""Detection scoring: were the attributions found, and their sources? (no propositions needed)

Corpora such as PolNeAR annotate where an attribution's content lies, its
source as written and its cue, with no proposition and no stance
(:class:`~claimx.models.Attribution`). This module scores a system on what
such gold has; a full gold claim (:class:`~claimx.models.Claim`) is scored
here too, by its evidence span and speaker. Everything is a pure function of
gold items and :class:`~claimx.models.ExtractionResult` records, so a score
of saved run files (``claimx extract -o runs.jsonl``) calls the same code as
the eval. Every figure is a row of :data:`DETECTION_METRICS`
(:mod:`claimx.eval.metric`), which the report, the JSON and the bootstrap read.

The rules (each number in a report names the rule that produced it):

* **Evidence-span P / R / F1** under four overlap rules (:data:`OVERLAP_RULES`),
  each with its own one-to-one matching (:func:`claimx.eval.assign.assign`:
  most pairs first, then the largest token overlap): ``any`` (at least one
  shared character), ``token>=0.3`` and ``token>=0.8``
  (:func:`~claimx.eval.overlap.token_overlap`: shared word tokens divided by the
  tokens of the *longer* of the two spans: at least 30% / 80% of each; tokens
  are ``\\w+`` runs, positions in the article, so a repeated word elsewhere does
  not count), ``exact`` (:func:`~claimx.eval.overlap.same_trimmed`: the same
  characters after trimming spaces and punctuation at both ends). A
  discontinuous span, gold or predicted (:attr:`claimx.models.Claim.fragments`),
  counts its pieces only. Predictions are the distinct evidence of
  ``result.claims`` (grounded quotes, in pieces when discontinuous): claims
  sharing one evidence (a statement split into its propositions, rule 4 of the
  annotation standard) are one predicted span, with the first claim's speaker.
  P is over predicted spans, R over gold records.
* **Source accuracy** on the pairs matched under ``token>=0.3``, by kind of
  gold source: ``named`` (a capitalised word other than a pronoun: "Clinton",
  "The New York Post"), ``nominal`` (a description: "sources", "the
  campaign"), ``pronoun`` ("he", "they"). A named or nominal source is right
  when :func:`~claimx.speakers.identity.same_source`, the one speaker rule,
  joins it with the predicted speaker (a source as written keeps its
  description: "Republican nominee Donald Trump", "Gonzalez, 55, of
  Brigantine"; the rule reads the name in it). The corpus has no coreference,
  so a pronoun source is compared with its nearest *named* gold source earlier
  in the article (a proxy, reported apart). Gold without a source is not
  scored for it.
* **Recall by form**, ``token>=0.3``: ``direct`` (at least half of the
  evidence's letters inside quotation marks), ``mixed`` (some), ``indirect``
  (none): the rule that sets every extracted claim's ``direct`` flag
  (:func:`claimx.text.attribution.quotation_form`).
* **Stage-one recall**: the share of gold records with at least one character
  inside a candidate the pipeline asks the model about (before any model
  call), and **candidates per 1,000 characters** of article text. A pipeline
  without a stage one (single pass) asks about the whole text: one candidate.

Totals are micro averages (pooled counts). Side by side, every later system
is compared with the first by a paired bootstrap over articles of each
``compared`` row (the F1 under each rule; :func:`claimx.eval.bootstrap.paired_intervals`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Literal

import numpy as np

from claimx.errors import ClaimxError
from claimx.eval.assign import assign_matrix
from claimx.eval.bootstrap import RESAMPLES, Interval, Resampling, paired_intervals
from claimx.eval.gold import GoldItem
from claimx.eval.metric import Metric, MetricTable, Values, f1, precision, recall, share
from claimx.eval.overlap import same_trimmed, shared_chars, token_overlap
from claimx.eval.results import SystemRun, read_errors, read_results
from claimx.models import Attribution, Claim, ExtractedClaim, ExtractionResult
from claimx.speakers.identity import same_source
from claimx.text.attribution import quotation_form
from claimx.text.spans import Span

__all__ = [
    "DETECTION_METRICS",
    "FORMS",
    "OVERLAP_RULES",
    "RULES",
    "SOURCE_KINDS",
    "ArticleDetection",
    "DetectionCounts",
    "DetectionMetric",
    "DetectionReport",
    "GoldEvidence",
    "OverlapRule",
    "SystemDetection",
    "detection_from_runs",
    "load_results",
    "detection_report",
    "prompt_candidates",
    "evidence_form",
    "gold_evidence",
    "score_detection_article",
    "source_kind",
]

Form = Literal["direct", "mixed", "indirect"]
SourceKind = Literal["named", "nominal", "pronoun", "none"]
CandidateFinder = Callable[[str], Sequence[Span]]


@dataclass(frozen=True)
class OverlapRule:
    """When a predicted span matches a gold one: some shared characters, and then
    ``min_tokens`` of :func:`~claimx.eval.overlap.token_overlap` or, for ``exact``,
    the same trimmed text. Pairs are ranked by token overlap either way."""

    name: str
    field: str  # its pairs are DetectionCounts.matched_<field>
    min_tokens: float = 0.0
    exact: bool = False


OVERLAP_RULES: tuple[OverlapRule, ...] = (
    OverlapRule("any", "any"),
    OverlapRule("token>=0.3", "token30", min_tokens=0.3),
    OverlapRule("token>=0.8", "token80", min_tokens=0.8),
    OverlapRule("exact", "exact", exact=True),
)
"""The overlap rules, loosest first."""
RULES: tuple[str, ...] = tuple(rule.name for rule in OVERLAP_RULES)
"""Their names."""
HEADLINE_RULE = "token>=0.3"
"""The rule whose matching scores sources and recall by form."""
FORMS: tuple[Form, ...] = ("direct", "mixed", "indirect")
SOURCE_KINDS: tuple[SourceKind, ...] = ("named", "nominal", "pronoun")

_WORD = re.compile(r"\w+")
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
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return max(p.end for p in self.pieces)


def evidence_form(text: str, pieces: Sequence[Span]) -> Form:
    """Direct, mixed or indirect: the one rule of :func:`claimx.text.attribution.quotation_form`
    (the share of the evidence's letters inside quotation marks), as the extractor's
    ``direct`` flag reads it."""
    return quotation_form(text, pieces)


def source_kind(source: str | None) -> SourceKind:
    """Named, nominal or pronoun source, or none (module doc)."""
    if source is None or not source.strip():
        return "none"
    words = _WORD.findall(source)
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
        source = record.source if isinstance(record, Attribution) else record.speaker
        out.append(_evidence(item.text, record.pieces, source))
    return sorted(out, key=lambda g: g.pieces)


def _pairs(
    text: str, gold: Sequence[GoldEvidence], pred: Sequence[tuple[Span, ...]]
) -> dict[str, list[tuple[int, int]]]:
    """Each rule's one-to-one (gold index, prediction index) pairs; ``pred``: each
    prediction's evidence pieces."""
    n, m = len(gold), len(pred)
    tokens = np.full((n, m), np.nan)  # NaN: no character in common, never a match
    exact = np.zeros((n, m), dtype=bool)
    for j, p in enumerate(pred):
        start, end = min(x.start for x in p), max(x.end for x in p)
        for i, g in enumerate(gold):
            if start >= g.end or g.start >= end or not shared_chars(g.pieces, p):
                continue
            tokens[i, j] = token_overlap(text, g.pieces, p)
            exact[i, j] = same_trimmed(text, g.pieces, p)
    out = {}
    for rule in OVERLAP_RULES:
        scores = np.where(exact, tokens, np.nan) if rule.exact else tokens
        found = assign_matrix(scores, minimum=rule.min_tokens)
        out[rule.name] = [(pair.row, pair.col) for pair in found]
    return out


@dataclass(frozen=True)
class DetectionCounts:
    """Pooled counts behind every detection metric; ``a + b`` adds articles.

    ``matched_<rule field>``: pairs under each rule; ``gold_<form>`` and
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

    def count(self, name: str) -> int:
        """The count field ``name`` ("matched_any", "right_named"...)."""
        return int(getattr(self, name))

    def matched(self, rule: str) -> int:
        """Pairs matched under ``rule``."""
        return self.count(f"matched_{_rule(rule).field}")

    def prf(self, rule: str) -> tuple[float, float, float]:
        """Precision, recall and F1 of evidence spans under ``rule`` (never undefined)."""
        p, r, f = (DETECTION_METRICS[key].of(self) for key in (f"P {rule}", f"R {rule}", rule))
        return p or 0.0, r or 0.0, f or 0.0

    def form_recall(self, form: str) -> tuple[float | None, int]:
        """Recall of one form under the headline rule, and how many gold records have it."""
        return DETECTION_METRICS[f"recall, {form}"].of(self), self.count(f"gold_{form}")

    def source_accuracy(self, kind: str) -> tuple[float | None, int]:
        """Share of matched pairs with a ``kind`` gold source whose source is right, and pairs."""
        return DETECTION_METRICS[f"source acc, {kind}"].of(self), self.count(f"pairs_{kind}")

    def stage_one_recall(self, *, indirect: bool = False) -> float | None:
        """Share of gold records (indirect ones only) a candidate overlaps."""
        key = "stage-one recall, indirect" if indirect else "stage-one recall"
        return DETECTION_METRICS[key].of(self)

    def candidates_per_1000_chars(self) -> float | None:
        return DETECTION_METRICS["candidates / 1,000 chars"].of(self)


def _rule(name: str) -> OverlapRule:
    for rule in OVERLAP_RULES:
        if rule.name == name:
            return rule
    raise KeyError(f"no overlap rule {name!r}; the rules are {', '.join(RULES)}")


@dataclass(frozen=True)
class DetectionMetric(Metric[DetectionCounts]):
    """A detection metric (:class:`claimx.eval.metric.Metric` over :class:`DetectionCounts`).

    ``rule``: what the report's rule column says produced it; ``json``: where its
    value goes in the JSON report's system object; ``support``: the count shown
    beside it in brackets (and at ``support_json``), such as the pairs an accuracy is of.
    """

    rule: str = ""
    json: tuple[str, ...] = ()
    support: str | None = None  # a DetectionCounts field
    support_json: tuple[str, ...] = ()


def _fields(*names: str) -> Callable[[DetectionCounts], tuple[int, ...]]:
    return lambda c: tuple(c.count(n) for n in names)


def _unless_unknown(value: Callable[[Values], Values]) -> Callable[[Values], Values]:
    """``value`` of all counts but the last, undefined when the last (articles without a
    known stage one) is not 0: stage-one figures of a mix would mean nothing."""
    return lambda c: np.where(c[..., -1] > 0, np.nan, value(c[..., :-1]))


def _per_1000(c: Values) -> Values:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c[..., 1] > 0, 1000 * c[..., 0] / c[..., 1], np.nan)


def _evidence_rows(rule: OverlapRule) -> list[DetectionMetric]:
    counts = _fields(f"matched_{rule.field}", "n_pred", "n_gold")
    path = ("evidence", rule.name)
    return [
        DetectionMetric(f"P {rule.name}", "evidence P", counts, precision, rule=rule.name,
                        json=(*path, "p")),
        DetectionMetric(f"R {rule.name}", "evidence R", counts, recall, rule=rule.name,
                        json=(*path, "r")),
        # Keyed by the rule alone: each rule's F1 is what comparisons give an interval of.
        DetectionMetric(rule.name, "evidence F1", counts, f1, compared=True, rule=rule.name,
                        json=(*path, "f")),
    ]  # fmt: skip


DETECTION_METRICS: MetricTable[DetectionMetric] = MetricTable(
    [
        *(row for rule in OVERLAP_RULES for row in _evidence_rows(rule)),
        *(
            DetectionMetric(
                f"source acc, {kind}", f"source acc, {kind}",
                _fields(f"right_{kind}", f"pairs_{kind}"), share,
                rule=f"pairs of {HEADLINE_RULE}", json=("source_accuracy", kind),
                support=f"pairs_{kind}", support_json=("source_pairs", kind),
            )
            for kind in SOURCE_KINDS
        ),
        *(
            DetectionMetric(
                f"recall, {form}", f"recall, {form}", _fields(f"found_{form}", f"gold_{form}"),
                share, rule=HEADLINE_RULE, json=("recall_by_form", form),
                support=f"gold_{form}", support_json=("gold_by_form", form),
            )
            for form in FORMS
        ),
        DetectionMetric(
            "stage-one recall", "stage-one recall",
            _fields("stage_one_covered", "n_gold", "without_candidates"), _unless_unknown(share),
            rule="candidate overlaps gold", json=("stage_one_recall",),
        ),
        DetectionMetric(
            "stage-one recall, indirect", "stage-one recall, indirect",
            _fields("stage_one_indirect_covered", "gold_indirect", "without_candidates"),
            _unless_unknown(share), rule="candidate overlaps gold",
            json=("stage_one_recall_indirect",),
        ),
        DetectionMetric(
            "candidates / 1,000 chars", "candidates / 1,000 chars",
            _fields("candidates", "chars", "without_candidates"), _unless_unknown(_per_1000),
            kind="per_1000_chars", higher_is_better=False, rule="stage one",
            json=("candidates_per_1000_chars",),
        ),
    ]
)  # fmt: skip
"""Every detection metric, in report order (module doc); the ``compared`` ones get
bootstrap intervals in the comparisons."""


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
    pairs: dict[str, list[tuple[int, int]]]
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
    # One prediction per distinct evidence (module doc): the first claim holding it.
    firsts = {c.pieces: c for c in reversed(result.claims)} if result else {}
    preds = sorted(firsts.values(), key=lambda c: c.pieces)
    pairs = _pairs(text, gold, [c.pieces for c in preds])
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
        right_of[kind] += same_source(preds[pj].speaker, ref, names)
    covered = [
        candidates is not None and any(shared_chars(g.pieces, [c]) for c in candidates)
        for g in gold
    ]
    counts = DetectionCounts(
        articles=1,
        failed=int(result is None),
        chars=len(text),
        n_gold=len(gold),
        n_pred=len(preds),
        **{f"matched_{r.field}": len(pairs[r.name]) for r in OVERLAP_RULES},
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
    """``system`` against ``baseline``: bootstrap intervals of each compared row's difference
    (keyed by row: each rule's F1 by the rule's name)."""

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


def compare_detection(
    baseline: SystemDetection, system: SystemDetection, *, seed: int = 0, resamples: int = RESAMPLES
) -> DetectionComparison:
    """Paired bootstrap over articles of every ``compared`` row (the F1 under each rule).

    Raises ValueError when the two systems were not scored on the same articles.
    """
    by_id = {x.article_id: x for x in system.articles}
    if sorted(x.article_id for x in baseline.articles) != sorted(by_id):
        raise ValueError(f"{baseline.label} and {system.label} were not run on the same articles")
    intervals = paired_intervals(
        DETECTION_METRICS.compared(),
        [x.counts for x in baseline.articles],
        [by_id[x.article_id].counts for x in baseline.articles],
        unit="article",
        draws=Resampling(resamples, seed),
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
    return lambda text: [c.span for c in pipeline.candidates(text)]


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
