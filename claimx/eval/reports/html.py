"""The report as one self-contained HTML file: no scripts, fonts or images from anywhere.

Besides the tables of the other formats, it shows, for every system and
article, the article text with the evidence spans highlighted:

* ``matched``: gold and predicted evidence of a matched pair (green); with
  ``speaker-error`` (wavy red underline) or ``stance-error`` (red outline) when
  the pair's speaker or stance is wrong;
* ``missed``: gold evidence no prediction matched (red);
* ``spurious``: predicted evidence that matched no gold claim (blue).

Overlapping spans are cut into segments; a segment carries the classes of
every span covering it, and its tooltip lists each claim, speaker and stance.
Under each text a table lists the same claims side by side. Every piece of
text from the data goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from claimx.eval.compare import Report
from claimx.eval.matching import has_valid_span
from claimx.eval.metrics import METRICS, ArticleScore, SystemScore
from claimx.eval.reports.common import ab_rows, delta_cell, metric_cell, provenance
from claimx.models import STANCES, Claim

__all__ = ["render_html"]

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .5em;
vertical-align:top}th{background:#f3f3f3;text-align:left}td.num{text-align:right}
.text{white-space:pre-wrap;border:1px solid #ddd;padding:1em;background:#fcfcfc;line-height:1.8}
mark{background:none;color:inherit;padding:1px 0;border-radius:2px}
mark.matched{background:#c6efce}mark.missed{background:#ffc7ce}mark.spurious{background:#cfe2ff}
mark.missed.spurious{background:linear-gradient(#ffc7ce 50%,#cfe2ff 50%)}
mark.matched.spurious,mark.matched.missed{background:linear-gradient(#c6efce 50%,#ffe8a8 50%)}
mark.speaker-error{text-decoration:underline wavy #c00}mark.stance-error{outline:2px solid #c00}
.legend mark{padding:0 .4em;margin-right:.6em}.error{color:#b00;font-weight:bold}
details{margin:.4em 0}summary{cursor:pointer;font-weight:600}.dim{color:#777}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(header: Iterable[str], rows: Iterable[Iterable[object]], numeric: int = 0) -> str:
    """An HTML table; columns from index ``numeric`` on (when > 0) are right-aligned."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = [
            f'<td class="num">{_e(c)}</td>' if numeric and i >= numeric else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row)
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _who(c: Claim) -> str:
    return f"{c.speaker} ({c.stance}): {c.claim}"


def _marks(art: ArticleScore) -> list[tuple[int, int, set[str], str]]:
    """(start, end, classes, tooltip) of every gold and predicted span of one article."""
    gold, pred, text = art.run.gold, art.predictions, art.run.text
    marks: list[tuple[int, int, set[str], str]] = []
    for p in art.pairs:
        g, q = gold[p.gold], pred[p.pred]
        classes = {"matched"}
        notes = []
        if not p.speaker_ok:
            classes.add("speaker-error")
            notes.append("speaker wrong")
        if not p.stance_ok:
            classes.add("stance-error")
            notes.append("stance wrong")
        tip = f"MATCHED{' (' + ', '.join(notes) + ')' if notes else ''}\n"
        tip += f"gold: {_who(g)}\npredicted: {_who(q)}"
        marks.append((g.start, g.end, classes, tip))
        if has_valid_span(q, text):
            marks.append((q.start, q.end, classes, tip))
    for i in art.missed:
        marks.append((gold[i].start, gold[i].end, {"missed"}, f"MISSED\ngold: {_who(gold[i])}"))
    for j in art.spurious:
        if has_valid_span(pred[j], text):
            tip = f"SPURIOUS\npredicted: {_who(pred[j])}"
            marks.append((pred[j].start, pred[j].end, {"spurious"}, tip))
    return [(s, e, c, t) for s, e, c, t in marks if 0 <= s < e <= len(text)]


def _highlight(text: str, marks: list[tuple[int, int, set[str], str]]) -> str:
    """``text`` escaped, with every segment under one or more marks wrapped in ``<mark>``."""
    cuts = sorted({0, len(text), *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        piece = _e(text[start:end])
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(sorted(set().union(*(c for _, _, c, _ in covering))))
        tips = "\n\n".join(dict.fromkeys(t for _, _, _, t in covering))
        out.append(f'<mark class="{_e(classes)}" title="{_e(tips)}">{piece}</mark>')
    return "".join(out)


def _claims_table(art: ArticleScore) -> str:
    gold, pred = art.run.gold, art.predictions
    rows: list[list[object]] = []
    by_gold = {p.gold: p for p in art.pairs}
    for i, g in enumerate(gold):
        p = by_gold.get(i)
        if p is None:
            rows.append(["missed", _who(g), "", ""])
            continue
        wrong = [w for w, ok in (("speaker", p.speaker_ok), ("stance", p.stance_ok)) if not ok]
        status = "matched" + "".join(f", {w} wrong" for w in wrong)
        rows.append([status, _who(g), _who(pred[p.pred]), f"{p.similarity:.2f}"])
    for j in art.spurious:
        spanless = "" if has_valid_span(pred[j], art.run.text) else " (no valid span)"
        rows.append(["spurious" + spanless, "", _who(pred[j]), ""])
    return _table(["status", "gold", "predicted", "similarity"], rows)


def _article(art: ArticleScore) -> str:
    m = art.metrics
    if art.error is not None:
        summary = f"{art.article_id}: extraction failed"
        body = f'<p class="error">{_e(art.error)}</p>'
    else:
        claim_f1, joint_f1 = m["claim_f1"] or 0.0, m["joint_f1"] or 0.0
        summary = (
            f"{art.article_id}: claim F1 {claim_f1:.2f}, joint F1 {joint_f1:.2f}"
            f" ({art.counts.matched} matched, {len(art.missed)} missed,"
            f" {len(art.spurious)} spurious)"
        )
        body = ""
    text = _highlight(art.run.text, _marks(art))
    return (
        f"<details><summary>{_e(summary)}</summary>{body}"
        f'<div class="text">{text}</div>{_claims_table(art)}</details>'
    )


def _system_section(s: SystemScore) -> str:
    r = s.run
    head = f"{r.label}: {r.model}, {r.prompt} ({r.prompt_hash}), {r.strategy}, {r.source}"
    return f"<h3>{_e(head)}</h3>" + "".join(_article(a) for a in s.articles)


def _tables(report: Report) -> str:
    systems = report.systems
    header = ["metric", *(s.label for s in systems), *(f"Δ {c.system}" for c in report.comparisons)]
    rows = [
        [info.label, *(metric_cell(info, s) for s in systems)]
        + [delta_cell(info, c, report) for c in report.comparisons]
        for info in METRICS
    ]
    out = ["<h2>Metrics (micro-averaged over articles)</h2>", _table(header, rows, numeric=1)]
    confusion = [
        [s.label if i == 0 else "", g, *s.total.confusion[i]]
        for s in systems
        for i, g in enumerate(STANCES)
    ]
    out += ["<h2>Stance on matched pairs (gold ↓, predicted →)</h2>"]
    out.append(_table(["system", "gold", *STANCES], confusion, numeric=2))
    if report.comparisons:
        out.append("<h2>A/B: paired bootstrap over articles, 95% interval of the difference</h2>")
        header = ["comparison", "metric", "Δ", "interval (articles)", "verdict", "claims"]
        out.append(_table(header, ab_rows(report)))
        diffs = [d for c in report.comparisons for d in c.diffs]
        rows = [
            [d.right_in, f"{d.wrong_in} ({d.wrong_how})", d.article_id, d.speaker, d.stance,
             d.claim]
            for d in diffs
        ]  # fmt: skip
        out.append("<h2>Gold claims fully right in one system only</h2>")
        out.append(_table(["right in", "wrong in", "article", "speaker", "stance", "claim"], rows))
    return "".join(out)


def render_html(report: Report) -> str:
    """The whole report as a standalone HTML document."""
    info = "".join(f"<li><b>{_e(k)}</b>: {_e(v)}</li>" for k, v in provenance(report))
    systems = [
        [s.run.label, s.run.model, s.run.prompt, s.run.prompt_hash, s.run.strategy, s.run.source]
        for s in report.systems
    ]
    legend = (
        '<p class="legend"><mark class="matched">matched</mark>'
        '<mark class="matched speaker-error">speaker wrong</mark>'
        '<mark class="matched stance-error">stance wrong</mark>'
        '<mark class="missed">missed (gold only)</mark>'
        '<mark class="spurious">spurious (predicted only)</mark>'
        '<span class="dim">hover a highlight for its claims</span></p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>claimx evaluation</title><style>{_CSS}</style></head><body>"
        f"<h1>claimx evaluation</h1><ul>{info}</ul><h2>Systems</h2>"
        + _table(["label", "model", "prompt", "prompt hash", "strategy", "responses"], systems)
        + _tables(report)
        + "<h2>Evidence in the articles</h2>"
        + legend
        + "".join(_system_section(s) for s in report.systems)
        + "</body></html>\n"
    )
