"""Rendering a :class:`~claimx.eval.report.Report`: terminal, JSON, markdown, HTML."""

from __future__ import annotations

import html
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from claimx.eval.report import JSON_SCHEMA_VERSION, Comparison, Report, SystemScore
from claimx.models import STANCES

HEADLINE = [
    ("claim_precision", "claim P"),
    ("claim_recall", "claim R"),
    ("claim_f1", "claim F1"),
    ("speaker_accuracy", "speaker acc"),
    ("stance_accuracy", "stance acc"),
    ("joint_f1", "joint F1"),
    ("speaker_set_f1", "speaker-set F1"),
    ("quotes_verbatim", "quotes verbatim"),
    ("quotes_grounded", "quotes grounded"),
]


def _source_line(report: Report) -> str:
    meta = report.meta
    line = f"{meta['date']} · claimx {meta['claimx_version']} · {meta['articles']} articles"
    rec = meta.get("recordings")
    if rec:
        line += (
            f" · REPLAYED recorded responses of {rec['model_description'] or rec['model']}"
            f" (recorded {rec['recorded_at']}; no model was called)"
        )
    else:
        line += f" · responses: {', '.join(meta['sources'])}"
    return line


def _cost(score: SystemScore) -> str:
    cost = score.cost_usd()
    return "n/a" if cost is None else f"${cost:.4f}"


def _per_article_cost(score: SystemScore) -> dict[str, Any]:
    n = max(1, len(score.articles))
    t = score.total
    return {
        "prompt_tokens": round(t.prompt_tokens / n),
        "completion_tokens": round(t.completion_tokens / n),
        "calls": round(t.calls / n, 1),
        "latency_s": round(t.latency_s / n, 1),
    }


def print_terminal(report: Report, console: Console) -> None:
    """Rich tables: the systems side by side, per-article F1, A/B intervals and diffs."""
    console.print(f"[bold]claimx eval[/] — {_source_line(report)}", highlight=False)
    table = Table(title="micro-averaged over articles", show_lines=False)
    table.add_column("metric")
    for s in report.systems:
        table.add_column(s.run.label, justify="right")
    for c in report.comparisons:
        table.add_column(f"Δ {c.b}", justify="right")
    for key, name in HEADLINE:
        row = [name] + [f"{s.metrics[key]:.2f}" for s in report.systems]
        row += [f"{c.deltas[key]:+.2f}" for c in report.comparisons]
        table.add_row(*row)
    for label, attr in (
        ("tokens in / article", "prompt_tokens"),
        ("tokens out / article", "completion_tokens"),
        ("calls / article", "calls"),
        ("seconds / article", "latency_s"),
    ):
        row = [label] + [str(_per_article_cost(s)[attr]) for s in report.systems]
        table.add_row(*(row + [""] * len(report.comparisons)))
    table.add_row(
        *(["est. cost (all)"] + [_cost(s) for s in report.systems] + [""] * len(report.comparisons))
    )
    console.print(table)

    per = Table(title="per article: claim F1 / joint F1 (gold claims)")
    per.add_column("article")
    for s in report.systems:
        per.add_column(s.run.label, justify="right")
    for i, art in enumerate(report.systems[0].run.articles):
        cells = []
        for s in report.systems:
            a = s.articles[i]
            m = a.counts.metrics()
            cells.append(
                "error" if a.counts.errors else f"{m['claim_f1']:.2f} / {m['joint_f1']:.2f}"
            )
        per.add_row(f"{art.article_id} ({len(art.gold)})", *cells)
    console.print(per)

    for s in report.systems:
        conf = Table(title=f"stance confusion, {s.run.label} (rows gold, columns predicted)")
        conf.add_column("")
        for p in STANCES:
            conf.add_column(p, justify="right")
        for g in STANCES:
            conf.add_row(g, *[str(s.total.confusion[g][p]) for p in STANCES])
        console.print(conf)

    for c in report.comparisons:
        _print_comparison(c, console)


def _print_comparison(c: Comparison, console: Console) -> None:
    console.print(f"[bold]A/B: {c.b} vs {c.a}[/] (paired bootstrap over articles, 95%)")
    for key, iv in c.intervals.items():
        verdict = "more than noise" if iv.significant else "within noise"
        console.print(f"  Δ {key}: {iv.delta:+.3f}  [{iv.low:+.3f}, {iv.high:+.3f}]  {verdict}")
    wins = [d for d in c.diffs if d.right_in == c.b]
    losses = [d for d in c.diffs if d.right_in == c.a]
    console.print(
        f"  gold claims jointly right only in {c.b}: {len(wins)}; only in {c.a}: {len(losses)}"
    )
    for d in wins[:8] + losses[:8]:
        console.print(
            f"    [{'green' if d.right_in == c.b else 'red'}]{d.right_in}[/] {d.article_id[:3]}"
            f" {d.speaker} ({d.stance}): {d.claim}",
            highlight=False,
        )


def to_json(report: Report) -> str:
    """Stable keys: schema_version, meta, systems[], comparisons[]."""
    payload = {
        "schema_version": JSON_SCHEMA_VERSION,
        "meta": report.meta,
        "systems": [
            {
                **report.meta["systems"][i],
                "metrics": {k: round(v, 4) for k, v in s.metrics.items()},
                "stance_confusion": s.total.confusion,
                "usage": {
                    "prompt_tokens": s.total.prompt_tokens,
                    "completion_tokens": s.total.completion_tokens,
                    "calls": s.total.calls,
                    "latency_s": round(s.total.latency_s, 2),
                    "per_article": _per_article_cost(s),
                    "estimated_cost_usd": s.cost_usd(),
                },
                "articles": [
                    {
                        "article_id": a.article_id,
                        "n_gold": a.counts.n_gold,
                        "n_pred": a.counts.n_pred,
                        "error": s.run.articles[j].error,
                        "metrics": {k: round(v, 4) for k, v in a.counts.metrics().items()},
                    }
                    for j, a in enumerate(s.articles)
                ],
            }
            for i, s in enumerate(report.systems)
        ],
        "comparisons": [
            {
                "baseline": c.a,
                "system": c.b,
                "deltas": c.deltas,
                "intervals": {
                    k: {
                        "delta": v.delta,
                        "low": v.low,
                        "high": v.high,
                        "significant": v.significant,
                    }
                    for k, v in c.intervals.items()
                },
                "claim_diffs": [d.__dict__ for d in c.diffs],
            }
            for c in report.comparisons
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def to_markdown(report: Report) -> str:
    """A markdown report: the systems table, per-article F1, A/B intervals."""
    labels = [s.run.label for s in report.systems]
    out = [f"_{_source_line(report)}_", ""]
    head = ["metric", *labels, *[f"Δ {c.b}" for c in report.comparisons]]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, name in HEADLINE:
        row = [name, *[f"{s.metrics[key]:.2f}" for s in report.systems]]
        row += [f"{c.deltas[key]:+.2f}" for c in report.comparisons]
        out.append("| " + " | ".join(row) + " |")
    for label, attr in (
        ("tokens in / article", "prompt_tokens"),
        ("tokens out / article", "completion_tokens"),
        ("model calls / article", "calls"),
        ("seconds / article", "latency_s"),
    ):
        row = [label, *[str(_per_article_cost(s)[attr]) for s in report.systems]]
        out.append("| " + " | ".join(row + [""] * len(report.comparisons)) + " |")
    out += ["", "Per article, claim F1 / joint F1:", ""]
    out += ["| article | gold | " + " | ".join(labels) + " |", "|" + "---|" * (len(labels) + 2)]
    for i, art in enumerate(report.systems[0].run.articles):
        cells = []
        for s in report.systems:
            m = s.articles[i].counts.metrics()
            cells.append(
                "error"
                if s.articles[i].counts.errors
                else f"{m['claim_f1']:.2f} / {m['joint_f1']:.2f}"
            )
        out.append(f"| {art.article_id} | {len(art.gold)} | " + " | ".join(cells) + " |")
    for c in report.comparisons:
        out += ["", f"**{c.b} vs {c.a}** (paired bootstrap over articles, 95%):", ""]
        for key, iv in c.intervals.items():
            verdict = "more than noise" if iv.significant else "within noise"
            out.append(f"- Δ {key} {iv.delta:+.3f} [{iv.low:+.3f}, {iv.high:+.3f}]: {verdict}")
        wins = sum(d.right_in == c.b for d in c.diffs)
        losses = len(c.diffs) - wins
        out.append(f"- gold claims jointly right only in {c.b}: {wins}; only in {c.a}: {losses}")
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;line-height:1.5}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px}
.article{white-space:pre-wrap;border:1px solid #ddd;padding:1em;background:#fafafa}
.matched{background:#c8f7c5}.missed{background:#ffd59e}.spurious{background:#ffc4c4}
.err{outline:2px solid #8a2be2}.legend span{padding:0 6px;margin-right:8px}
"""


def _highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Text with spans wrapped; overlapping spans split into segments with combined classes."""
    bounds = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    parts = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        covering = [(cls, tip) for s, e, cls, tip in spans if s <= lo and hi <= e]
        chunk = html.escape(text[lo:hi])
        if not covering:
            parts.append(chunk)
            continue
        classes = " ".join(sorted({c for c, _ in covering}))
        tips = html.escape(" | ".join(t for _, t in covering), quote=True)
        parts.append(f'<span class="{classes}" title="{tips}">{chunk}</span>')
    return "".join(parts)


def _markdown_tables_to_html(md: str) -> str:
    """The markdown report's tables and lines as HTML (all text escaped)."""
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            head, *rest = rows
            ths = "".join(f"<th>{html.escape(c)}</th>" for c in head)
            out.append(f"<table><tr>{ths}</tr>")
            for r in rest:
                tds = "".join(f"<td>{html.escape(c)}</td>" for c in r)
                out.append(f"<tr>{tds}</tr>")
            out.append("</table>")
            rows.clear()

    for line in md.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                rows.append(cells)
            continue
        flush()
        if line.strip():
            out.append(f"<p>{html.escape(line.lstrip('- ').replace('**', ''))}</p>")
    flush()
    return "\n".join(out)


def to_html(report: Report, extra_sections: str = "") -> str:
    """One self-contained page: tables, then every article with gold and predictions highlighted."""
    body = [f"<h1>claimx eval</h1><p>{html.escape(_source_line(report))}</p>"]
    body.append(_markdown_tables_to_html(to_markdown(report).split("\n", 1)[1]))
    body.append(
        '<p class="legend"><span class="matched">matched</span>'
        '<span class="missed">missed gold</span>'
        '<span class="spurious">spurious prediction</span>'
        '<span class="matched err">speaker or stance wrong</span></p>'
    )
    for s in report.systems:
        body.append(f"<h2>{html.escape(s.run.label)}</h2>")
        for art_run, art in zip(s.run.articles, s.articles, strict=True):
            preds = art_run.result.claims if art_run.result else []
            matched_g = {p.gold: p for p in art.pairs}
            matched_p = {p.pred for p in art.pairs}
            spans: list[tuple[int, int, str, str]] = []
            for i, g in enumerate(art_run.gold):
                pair = matched_g.get(i)
                tip = f"GOLD {g.speaker} [{g.stance}]: {g.claim}"
                if pair is None:
                    spans.append((g.start, g.end, "missed", tip))
                else:
                    p = preds[pair.pred]
                    cls = "matched" if pair.joint_ok else "matched err"
                    tip += f" || PRED {p.speaker} [{p.stance}]: {p.claim}"
                    spans.append((g.start, g.end, cls, tip))
            for j, p in enumerate(preds):
                if j not in matched_p:
                    spans.append(
                        (p.start, p.end, "spurious", f"PRED {p.speaker} [{p.stance}]: {p.claim}")
                    )
            m = art.counts.metrics()
            body.append(
                f"<h3>{html.escape(art_run.article_id)} — claim F1 {m['claim_f1']:.2f},"
                f" joint F1 {m['joint_f1']:.2f}</h3>"
            )
            if art_run.error:
                body.append(f"<p><b>extraction failed:</b> {html.escape(art_run.error)}</p>")
            body.append(f'<div class="article">{_highlight(art_run.text, spans)}</div>')
    body.append(extra_sections)
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>claimx eval</title>"
        f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )
