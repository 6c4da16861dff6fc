"""The report as JSON, for machines: stable keys, versioned by ``schema_version``.

Layout (every key is always present; ``null`` marks an undefined value)::

    {
      "schema_version": 1,
      "meta": {"date", "gold", "claimx_version", "responses", "recorded_model",
               "recorded_at", "command",
               "bootstrap": {"resamples", "seed", "confidence", "unit"},
               "matching": {"min_similarity", "min_similarity_no_span", "overlap_weight"}},
      "systems": [{
        "label", "prompt", "prompt_hash", "model", "strategy", "source",
        "metrics": {<every key of claimx.eval.metrics.METRICS>: number | null},
        "counts": {"articles", "failed", "n_gold", "n_pred", "matched",
                   "matched_without_span", "speaker_ok", "stance_ok", "joint_ok",
                   "speakers_gold", "speakers_pred", "speakers_matched", "quotes",
                   "quotes_exact", "quotes_grounded", "prompt_tokens",
                   "completion_tokens", "calls", "latency_s", "cost_usd",
                   "gold_stances": [supports, refutes, uncertain]},
        "stance_confusion": {<gold stance>: {<predicted stance>: count}},
        "articles": [{"article_id", "error", "metrics", "counts",
                      "pairs": [{"gold", "pred", "similarity", "overlap",
                                 "speaker_ok", "stance_ok", "joint_ok"}],
                      "missed": [gold index], "spurious": [prediction index]}]
      }],
      "comparisons": [{
        "baseline", "system", "deltas": {<metric>: number | null},
        "intervals": {<every compared row of METRICS: claim_f1, joint_f1>:
                      {"unit", "point", "low", "high", "more_than_noise"}},
        "claim_intervals": {same shape, claim-level resampling, by_claim rows},
        "diffs": [{"article_id", "gold_index", "speaker", "stance", "claim",
                   "right_in", "wrong_in", "wrong_how"}]
      }],
      "reliability": [{"label", "best_threshold", "best_joint_f1", "joint_f1",
                       "bins": [{"label", "count", "matched", "joint_ok",
                                 "claim_precision", "joint_precision"}]}],
      "oracle": null | {"mode": "evidence" | "claim",
        "rows": [{"prompt", "strategy", "applicable", "end_to_end_joint_f1",
                  "evidence_label", "evidence_joint_f1",
                  "claim": null | <speaker-stance>,
                  "where_lost": {"stage_one", "proposition", "speaker_stance"}}],
        "baselines": [<speaker-stance>]}
    }

``<speaker-stance>`` is ``{"label", "n", "missed", "speaker_ok", "stance_ok",
"joint_ok", "speaker_accuracy", "stance_accuracy", "stance_macro_f1", "joint"}``
(:class:`claimx.eval.oracle.SpeakerStance`, over every gold claim); a row whose
pipeline takes no evidence (single pass), or whose oracle run is not recorded, has
``applicable`` false and nulls.

Indices in ``pairs``, ``missed`` and ``spurious`` point into the article's gold
claims and into ``result.claims``. Ratios are in 0..1, rounded to 4 places.
A change that removes or renames a key bumps :data:`JSON_SCHEMA_VERSION`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from claimx.eval.bootstrap import CONFIDENCE, Interval
from claimx.eval.compare import Comparison, Report
from claimx.eval.matching import MIN_SIMILARITY, MIN_SIMILARITY_NO_SPAN, OVERLAP_WEIGHT
from claimx.eval.metrics import ArticleScore, Counts, SystemScore
from claimx.eval.oracle import OracleReport, SpeakerStance, where_lost
from claimx.eval.reliability import Reliability
from claimx.eval.reports.detection import detection_dict

__all__ = ["JSON_SCHEMA_VERSION", "render_json", "report_to_dict"]

JSON_SCHEMA_VERSION = 1


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _metrics(values: dict[str, float | None]) -> dict[str, float | None]:
    return {k: _num(v) for k, v in values.items()}


def _counts(c: Counts) -> dict[str, Any]:
    out: dict[str, Any] = {f.name: getattr(c, f.name) for f in fields(c) if f.name != "confusion"}
    out["latency_s"] = round(c.latency_s, 3)
    out["cost_usd"] = round(c.cost_usd, 6)
    return out


def _article(art: ArticleScore) -> dict[str, Any]:
    return {
        "article_id": art.article_id,
        "error": art.error,
        "metrics": _metrics(art.metrics),
        "counts": _counts(art.counts),
        "pairs": [{**asdict(p), "joint_ok": p.joint_ok} for p in art.pairs],
        "missed": art.missed,
        "spurious": art.spurious,
    }


def _system(s: SystemScore) -> dict[str, Any]:
    r = s.run
    return {
        "label": r.label,
        "prompt": r.prompt,
        "prompt_hash": r.prompt_hash,
        "model": r.model,
        "strategy": r.strategy,
        "source": r.source,
        "metrics": _metrics(s.metrics),
        "counts": _counts(s.total),
        "stance_confusion": s.total.confusion_matrix(),
        "articles": [_article(a) for a in s.articles],
    }


def _interval(iv: Interval) -> dict[str, Any]:
    return {
        "unit": iv.unit,
        "point": _num(iv.point),
        "low": _num(iv.low),
        "high": _num(iv.high),
        "more_than_noise": iv.more_than_noise,
    }


def _comparison(c: Comparison) -> dict[str, Any]:
    return {
        "baseline": c.baseline,
        "system": c.system,
        "deltas": _metrics(c.deltas),
        "intervals": {k: _interval(v) for k, v in c.intervals.items()},
        "claim_intervals": {k: _interval(v) for k, v in c.claim_intervals.items()},
        "diffs": [asdict(d) for d in c.diffs],
    }


def _reliability(rel: Reliability) -> dict[str, Any]:
    return {
        "label": rel.label,
        "best_threshold": rel.best_threshold,
        "best_joint_f1": _num(rel.best_joint_f1),
        "joint_f1": _num(rel.joint_f1),
        "bins": [
            {
                **asdict(b),
                "claim_precision": _num(b.claim_precision),
                "joint_precision": _num(b.joint_precision),
            }
            for b in rel.bins
        ],
    }


def _speaker_stance(score: SpeakerStance | None) -> dict[str, Any] | None:
    if score is None:
        return None
    counts = {k: v for k, v in asdict(score).items() if k != "confusion"}
    return {**counts, **_metrics(score.metrics())}


def _oracle(oracle: OracleReport | None) -> dict[str, Any] | None:
    if oracle is None:
        return None
    return {
        "mode": oracle.mode,
        "rows": [
            {
                "prompt": row.prompt,
                "strategy": row.strategy,
                "applicable": row.applicable,
                "end_to_end_joint_f1": _num(row.end_to_end_joint_f1),
                "evidence_label": row.evidence_label,
                "evidence_joint_f1": _num(row.evidence_joint_f1),
                "claim": _speaker_stance(row.claim),
                "where_lost": _metrics(where_lost(row)),
            }
            for row in oracle.rows
        ],
        "baselines": [_speaker_stance(b) for b in oracle.baselines],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data, keys as in the module doc."""
    meta = report.meta
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "meta": {
            "date": meta.date,
            "gold": meta.gold,
            "claimx_version": meta.claimx_version,
            "responses": meta.responses,
            "recorded_model": meta.recorded_model,
            "recorded_at": meta.recorded_at,
            "command": meta.command,
            "bootstrap": {
                "resamples": meta.resamples,
                "seed": meta.seed,
                "confidence": CONFIDENCE,
                "unit": "article",
            },
            "matching": {
                "min_similarity": MIN_SIMILARITY,
                "min_similarity_no_span": MIN_SIMILARITY_NO_SPAN,
                "overlap_weight": OVERLAP_WEIGHT,
            },
        },
        "systems": [_system(s) for s in report.systems],
        "comparisons": [_comparison(c) for c in report.comparisons],
        "reliability": [_reliability(r) for r in report.reliability],
        "oracle": _oracle(report.oracle),
        **({"detection": detection_dict(report.detection)} if report.detection else {}),
    }


def render_json(report: Report) -> str:
    """The report as an indented JSON document (UTF-8 text, newline at the end)."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
