"""The dev report: how well a tagger finds PolNeAR's attributions (training and benchmarks only).

Every figure uses the project's own scorer where it has one:

* **content spans**: the tagger as a system (:func:`claimx.tagging.result.as_result`)
  scored by :func:`claimx.eval.detection.detection_report`: P/R/F1 under each
  overlap rule (``token>=0.3``: :func:`~claimx.eval.detection.token_overlap`
  at least 0.3; ``exact``: the same characters after trimming), one-to-one
  matching. A wrapped content ("Her failings, it said, are ...") is
  predicted as one span from its first to its last character, as the claim
  format holds it, so it can never be ``exact`` against gold that counts its
  pieces only;
* **stage one** (same scorer): candidates are those of :func:`claimx.tagging.tagger.stage_one`;
  recall is the share of gold attributions with a character inside one,
  cost the candidates per 1,000 characters and the share of the text they
  hold (runs of sentences merge, so the count alone is bounded by the
  paragraphs: asking about every paragraph would cost about 4.3 per 1,000
  characters on PolNeAR);
* **source** and **cue** spans: P/R/F1 over each article's distinct spans,
  a pair matching when the spans overlap and are the same characters after
  trimming (the scorer's ``exact`` rule), one-to-one in text order. This
  scores the spans alone, not which attribution they were grouped into.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from claimx.eval.detection import detection_report
from claimx.eval.gold import GoldItem
from claimx.eval.overlap import same_trimmed
from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.candidates import candidates
from claimx.tagging.corpus import Document, role_spans
from claimx.tagging.result import as_result
from claimx.text.spans import Span

__all__ = ["REPORT_RULES", "DevReport", "SpanCounts", "evaluate"]

REPORT_RULES = ("any", "token>=0.3", "token>=0.8", "exact")

Tagger = Callable[[str], list[TaggedAttribution]]


@dataclass(frozen=True)
class SpanCounts:
    """Predicted, gold and matched spans of one role, pooled over articles."""

    predicted: int = 0
    gold: int = 0
    matched: int = 0

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(
            self.predicted + other.predicted, self.gold + other.gold, self.matched + other.matched
        )

    def prf(self) -> tuple[float, float, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class DevReport:
    """Every figure of the report (module doc)."""

    articles: int
    attributions: int
    chars: int
    content: dict[str, tuple[float, float, float]]
    source: SpanCounts
    cue: SpanCounts
    stage_one_recall: float
    candidates_per_1000: float
    candidate_share: float
    """Share of the articles' characters inside a candidate: what the model is asked to read."""
    predicted: int

    def lines(self, title: str) -> list[str]:
        """The report as a markdown table, under ``title``."""
        out = [
            f"{title}: {self.articles} texts, {self.attributions} gold attributions,"
            f" {self.predicted} predicted",
            "",
            "| measure | P | R | F1 |",
            "|---|---:|---:|---:|",
        ]
        for rule in REPORT_RULES:
            p, r, f = self.content[rule]
            out.append(f"| content span, {rule} | {p:.3f} | {r:.3f} | **{f:.3f}** |")
        for name, counts in (("source span, exact", self.source), ("cue span, exact", self.cue)):
            p, r, f = counts.prf()
            out.append(f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** |")
        out += [
            "",
            f"stage one: recall {self.stage_one_recall:.3f} at"
            f" {self.candidates_per_1000:.2f} candidates per 1,000 characters, holding"
            f" {self.candidate_share:.0%} of the text",
        ]
        return out


def _match_spans(text: str, predicted: Sequence[Span], gold: Sequence[Span]) -> SpanCounts:
    pred, want = sorted(set(predicted)), sorted(set(gold))
    used: set[int] = set()
    matched = 0
    for g in want:
        for j, p in enumerate(pred):
            if j not in used and p.overlaps(g):
                if same_trimmed(text, [p], [g]):
                    used.add(j)
                    matched += 1
                    break
    return SpanCounts(len(pred), len(want), matched)


def evaluate(
    documents: Sequence[Document],
    tagger: Tagger,
    *,
    name: str = "tagger",
    stage_one: Callable[[str], list[Span]] | None = None,
) -> DevReport:
    """Tag every document and score it (module doc).

    ``stage_one`` finds the candidates (default: the sentences holding a
    tagged attribution, :func:`~claimx.tagging.candidates.candidates`).
    """
    gold = [GoldItem(d.id, d.text, [], "polnear", list(d.attributions)) for d in documents]
    tagged = {d.id: tagger(d.text) for d in documents}
    by_text = {d.text: tagged[d.id] for d in documents}

    found: dict[str, list[Span]] = {}

    def finder(text: str) -> list[Span]:
        if text not in found:
            found[text] = stage_one(text) if stage_one else candidates(text, by_text[text])
        return found[text]

    results = {
        d.id: as_result(d.text, tagged[d.id], article_id=d.id, model=f"{name}@eval")
        for d in documents
    }
    report = detection_report(
        gold,
        {name: results},
        candidates={name: finder},
        resamples=1,
    )
    total = report.systems[0].total
    source = cue = SpanCounts()
    for d in documents:
        atts = tagged[d.id]
        wanted = [role_spans(a) for a in d.attributions]
        source = source + _match_spans(
            d.text,
            [a.source for a in atts if a.source is not None],
            [g.source for g in wanted if g.source is not None],
        )
        cue = cue + _match_spans(
            d.text, [a.cue for a in atts], [g.cue for g in wanted if g.cue is not None]
        )
    return DevReport(
        articles=len(documents),
        attributions=total.n_gold,
        chars=total.chars,
        content={rule: total.prf(rule) for rule in REPORT_RULES},
        source=source,
        cue=cue,
        stage_one_recall=total.stage_one_recall() or 0.0,
        candidates_per_1000=total.candidates_per_1000_chars() or 0.0,
        candidate_share=sum(c.length for f in found.values() for c in f) / max(1, total.chars),
        predicted=total.n_pred,
    )
