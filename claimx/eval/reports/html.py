"""The report as one self-contained web page (``python -m claimx.eval --html report.html``).

It opens on a **summary**: each system's headline metrics, its difference
from the baseline with the interval, and the **best** system (highest
:data:`~claimx.eval.reports.common.HEADLINE` metric, joint F1), named as such.
Then the **evidence**, one tab per system, the best one open: each article
(named by its headline, :func:`claimx.html_page.article_title`, the id on
hover) with the gold and predicted evidence spans highlighted; the first
article of a system open, the others one click away. Then every table of the
terminal report (systems, metrics, differences from the baseline coloured by
direction with their intervals, per article, stance confusion, reliability,
A/B, the claims one system gets right and the other not, each comparison's
list folded). Wide tables scroll inside their own box (their first column
stays put), so the page itself never scrolls sideways, at 1,400 px or 400 px.

A claim is one of four kinds, each with its colour in the legend: ``matched``
with speaker and stance right, ``matched`` with the speaker or the stance
wrong (``speaker-error`` / ``stance-error``), ``missed`` (gold only) and
``spurious`` (predicted only; a matched pair highlights both its gold and its
predicted span). Overlapping spans are drawn as **one highlight** (a
``<mark>`` per region of overlapping spans) cut into segments; a segment
covered by claims of several kinds shows one colour band per kind. Clicking
(or tapping, or Enter on) a segment shows the claims covering it, gold and
predicted claim, speaker and stance side by side: in the table beside the
text on a wide screen, and right under the highlight when the table is
below the text (a phone). Without a click the table lists every claim of the
article; printing shows every system, article and claim.

The template is ``templates/report.html.j2``; see :mod:`claimx.html_page`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claimx.eval.compare import Comparison, Report
from claimx.eval.matching import has_valid_span
from claimx.eval.metrics import METRICS, ArticleScore, ClaimMetric, SystemScore
from claimx.eval.reports.common import (
    HEADLINE,
    ORACLE_CLAIM_NOTE,
    WHERE_LOST_NOTE,
    ab_rows,
    best_system,
    by_article,
    delta_cell,
    delta_label,
    fmt_interval,
    metric_cell,
    oracle_claim_rows,
    provenance,
    reliability_rows,
    responses_line,
    where_lost_rows,
)
from claimx.html_page import article_title, render_page
from claimx.models import STANCES, Claim

__all__ = ["KINDS", "SHORT_KINDS", "render_html"]

KINDS: dict[str, tuple[str, str]] = {
    "matched": ("#9be3b0", "matched: claim, speaker and stance right"),
    "error": ("#ffc861", "matched, but the speaker or the stance is wrong (the table says which)"),
    "missed": ("#ff9fa8", "missed: gold claim no prediction matched"),
    "spurious": ("#9cc4ff", "spurious: predicted claim that matches no gold claim"),
}
"""Highlight kind -> (colour, legend text); the order of the colour bands."""

SHORT_KINDS: dict[str, str] = {
    "matched": "matched",
    "error": "speaker/stance wrong",
    "missed": "missed",
    "spurious": "spurious",
}
"""The kinds in a word or three, for the key that stays on screen while reading."""


@dataclass(eq=False)  # identity: one item may cover many segments
class Item:
    """One row of an article's claims table: a matched pair, a miss or a spurious claim."""

    id: str
    kind: str
    status: str
    gold: Claim | None = None
    pred: Claim | None = None
    speaker_ok: bool = True
    stance_ok: bool = True
    similarity: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def classes(self) -> str:
        """The CSS classes of the item's highlight segments."""
        if self.kind != "error":
            return self.kind
        classes = ["matched"]
        if not self.speaker_ok:
            classes.append("speaker-error")
        if not self.stance_ok:
            classes.append("stance-error")
        return " ".join(classes)


@dataclass
class Segment:
    """A run of text covered by the same items (none for plain text)."""

    text: str
    items: list[Item] = field(default_factory=list)

    @property
    def ids(self) -> str:
        return " ".join(i.id for i in self.items)

    @property
    def kinds(self) -> list[str]:
        return [k for k in KINDS if any(i.kind == k for i in self.items)]

    @property
    def classes(self) -> str:
        return " ".join(sorted({c for i in self.items for c in i.classes.split()}))

    @property
    def style(self) -> str:
        """One colour band per kind of claim covering the segment."""
        colours = [KINDS[k][0] for k in self.kinds]
        if len(colours) == 1:
            return f"background:{colours[0]}"
        step = 100 / len(colours)
        bands = ", ".join(
            f"{c} {i * step:.0f}% {(i + 1) * step:.0f}%" for i, c in enumerate(colours)
        )
        return f"background:linear-gradient(to bottom, {bands})"


@dataclass
class Region:
    """Overlapping spans drawn as one highlight, or a run of plain text (no segments)."""

    segments: list[Segment]
    highlighted: bool


def _spans(claim: Claim) -> list[tuple[int, int]]:
    """What to highlight of a claim's evidence: its pieces (the words between left out)."""
    return [(p.start, p.end) for p in claim.pieces]


def _items(art: ArticleScore, prefix: str) -> list[Item]:
    gold, pred, text = art.run.gold, art.predictions, art.run.text
    items: list[Item] = []
    for p in art.pairs:
        g, q = gold[p.gold], pred[p.pred]
        wrong = [w for w, ok in (("speaker", p.speaker_ok), ("stance", p.stance_ok)) if not ok]
        item = Item(
            id="",
            kind="error" if wrong else "matched",
            status="matched" + "".join(f", {w} wrong" for w in wrong),
            gold=g,
            pred=q,
            speaker_ok=p.speaker_ok,
            stance_ok=p.stance_ok,
            similarity=f"{p.similarity:.2f}",
            spans=_spans(g) + (_spans(q) if has_valid_span(q, text) else []),
        )
        items.append(item)
    for i in art.missed:
        items.append(
            Item(
                id="",
                kind="missed",
                status="missed",
                gold=gold[i],
                spans=_spans(gold[i]),
            )
        )
    for j in art.spurious:
        valid = has_valid_span(pred[j], text)
        items.append(
            Item(
                id="",
                kind="spurious",
                status="spurious" + ("" if valid else " (no valid span)"),
                pred=pred[j],
                spans=_spans(pred[j]) if valid else [],
            )
        )
    items.sort(key=lambda it: min((s for s, _ in it.spans), default=len(text)))
    for k, it in enumerate(items):
        it.id = f"{prefix}-c{k}"
        it.spans = [(s, e) for s, e in it.spans if 0 <= s < e <= len(text)]
    return items


def _regions(text: str, items: list[Item]) -> list[Region]:
    """The text cut into plain runs and highlights (maximal runs of overlapping spans)."""
    spans = sorted(((s, e, it) for it in items for s, e in it.spans), key=lambda x: (x[0], x[1]))
    merged: list[list[int]] = []
    for s, e, _ in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[Region] = []
    pos = 0
    for start, end in merged:
        if pos < start:
            out.append(Region([Segment(text[pos:start])], highlighted=False))
        cuts = sorted({start, end, *(x for s, e, _ in spans for x in (s, e) if start < x < end)})
        segments = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            covering = list(dict.fromkeys(it for s, e, it in spans if s <= a and b <= e))
            segments.append(Segment(text[a:b], covering))
        out.append(Region(segments, highlighted=True))
        pos = end
    if pos < len(text):
        out.append(Region([Segment(text[pos:])], highlighted=False))
    return out


@dataclass
class ArticleView:
    """One system's result on one article, ready for the template."""

    id: str
    title: str
    anchor: str
    summary: str
    error: str | None
    regions: list[Region]
    items: list[Item]


def _article(art: ArticleScore, anchor: str) -> ArticleView:
    if art.error is not None:
        summary = "extraction failed"
    else:
        m = art.metrics
        summary = (
            f"claim F1 {m['claim_f1'] or 0.0:.2f}, joint F1 {m['joint_f1'] or 0.0:.2f}"
            f" ({art.counts.matched} matched, {len(art.missed)} missed,"
            f" {len(art.spurious)} spurious)"
        )
    items = _items(art, anchor)
    title = article_title(art.run.text) or art.article_id
    return ArticleView(
        art.article_id, title, anchor, summary, art.error, _regions(art.run.text, items), items
    )


@dataclass
class DeltaView:
    """A comparison's delta of one metric, with its colour and (for compared metrics) interval."""

    text: str
    direction: str  # "better" | "worse" | "same" | ""
    significant: bool
    interval: str


def _delta(info: ClaimMetric, comp: Comparison, report: Report) -> DeltaView:
    text = delta_cell(info, comp, report)
    value = comp.deltas.get(info.key)
    direction = ""
    if value is not None and text != "n/a":
        gain = value if info.higher_is_better else -value
        shown_zero = not any(ch in "123456789" for ch in text)  # "-0.00" reads as no change
        direction = "same" if shown_zero else "better" if gain > 0 else "worse"
    iv = comp.intervals.get(info.key)
    if iv is None:
        return DeltaView(text, direction, False, "")
    return DeltaView(
        text, direction, iv.more_than_noise, f"{fmt_interval(iv.low, iv.high)} {iv.verdict}"
    )


@dataclass(frozen=True)
class ArticleCell:
    """One system's scores on one article in the per-article table."""

    f1s: str  # "claim F1 / joint F1", or the error
    counts: str  # "(matched/predicted of gold)"
    failed: bool


def _cell(art: ArticleScore) -> ArticleCell:
    if art.error is not None:
        return ArticleCell(f"failed: {art.error}", "", True)
    m, c = art.metrics, art.counts
    f1s = f"{m['claim_f1'] or 0:.2f} / {m['joint_f1'] or 0:.2f}"
    return ArticleCell(f1s, f"({c.matched}/{c.n_pred} of {c.n_gold})", False)


@dataclass(frozen=True)
class SummaryRow:
    """One system in the summary: what it is, its headline metrics, its difference."""

    system: SystemScore
    anchor: str
    best: bool
    values: list[str]
    delta: DeltaView | None  # the headline metric against the baseline; None for it


def _after_headline() -> list[ClaimMetric]:
    """The summary's metrics after the headline one and its difference (every metric is in
    the tables below it): the other ``summary`` rows of
    :data:`~claimx.eval.metrics.METRICS`, those with intervals first. On a phone the
    headline is what shows first."""
    rows = [m for m in METRICS if m.summary and m.key != HEADLINE.key]
    return [m for m in rows if m.compared] + [m for m in rows if not m.compared]


@dataclass(frozen=True)
class DiffGroup:
    """A comparison's claims fully right in one system only, folded under one line."""

    comparison: Comparison
    right_in_system: int
    right_in_baseline: int


@dataclass(frozen=True)
class ExtraTable:
    """A table of plain cells after the stance confusion (oracle, reliability)."""

    id: str
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    lines: list[str] = field(default_factory=list)


def _extra_tables(report: Report) -> list[ExtraTable]:
    out = []
    if report.oracle is not None:
        title = "Oracle claim: speaker and stance given the gold evidence and proposition"
        out.append(ExtraTable("oracle-claim", title, *oracle_claim_rows(report.oracle),
                              ORACLE_CLAIM_NOTE))  # fmt: skip
        out.append(ExtraTable("where-lost", "Where joint F1 is lost",
                              *where_lost_rows(report.oracle), WHERE_LOST_NOTE))  # fmt: skip
    header, rows, lines = reliability_rows(report)
    out.append(ExtraTable("reliability", "Reliability: claims by confidence", header, rows,
                          lines=lines))  # fmt: skip
    return out


def render_html(report: Report) -> str:
    """The whole report as a standalone HTML document."""
    systems: list[SystemScore] = report.systems
    best = best_system(report)
    anchors = {s.label: f"s{i}" for i, s in enumerate(systems)}
    shown = _after_headline()
    metrics = [(info, [metric_cell(info, s) for s in systems]) for info in METRICS]
    deltas = [(info, [_delta(info, c, report) for c in report.comparisons]) for info in METRICS]
    headline_deltas = {c.system: _delta(HEADLINE, c, report) for c in report.comparisons}
    summary = [
        SummaryRow(
            s,
            anchors[s.label],
            s is best,
            [metric_cell(m, s) for m in (HEADLINE, *shown)],
            headline_deltas.get(s.label),
        )
        for s in systems
    ]
    texts = {a.article_id: a.run.text for s in systems for a in s.articles}
    titles = {aid: article_title(text) or aid for aid, text in texts.items()}
    articles = [
        (aid, titles[aid], [_cell(a) for a in scores]) for aid, scores in by_article(report)
    ]
    views = [
        (
            s,
            anchors[s.label],
            [_article(a, f"{anchors[s.label]}-a{k}") for k, a in enumerate(s.articles)],
        )
        for s in systems
    ]
    # The best system's evidence comes first in the page (and opens first).
    views.sort(key=lambda v: v[0] is not best)
    diffs = [
        DiffGroup(
            c,
            sum(d.right_in == c.system for d in c.diffs),
            sum(d.right_in == c.baseline for d in c.diffs),
        )
        for c in report.comparisons
    ]
    return render_page(
        "claimx.eval.reports",
        "report.html.j2",
        provenance=provenance(report),
        responses=responses_line(report),
        systems=systems,
        best=best,
        best_anchor=anchors[best.label] if best is not None else "",
        headline=HEADLINE,
        summary=summary,
        summary_headers=[m.label for m in shown],
        comparisons=report.comparisons,
        baseline=report.comparisons[0].baseline if report.comparisons else None,
        delta_labels=[delta_label(c) for c in report.comparisons],
        metrics=metrics,
        deltas=deltas,
        articles=articles,
        titles=titles,
        stances=STANCES,
        ab_rows=ab_rows(report),
        diffs=diffs,
        views=views,
        kinds=KINDS,
        short_kinds=SHORT_KINDS,
        extra_tables=_extra_tables(report),
    )
