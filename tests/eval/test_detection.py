"""Detection scoring: overlap rules, sources by kind, recall by form, stage one, bootstrap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from claimx.eval.detection import (
    detection_report,
    evidence_form,
    gold_evidence,
    source_kind,
)
from claimx.eval.gold import GoldItem
from claimx.eval.overlap import token_overlap
from claimx.eval.reports.detection import detection_dict, print_detection
from claimx.eval.reports.markdown import render_markdown
from claimx.models import Attribution, Claim, ExtractedClaim, ExtractionResult, Grounding
from claimx.text.spans import Span
from tests.eval.factory import span

TEXT = (
    "Senator Jane Doe said the budget would pass next week. "
    "“We have the votes,” she told reporters. "
    "A Gallup poll found that most voters back the plan. "
    "The mayor called the plan for the new city hall “a disaster,” aides said."
)


def attribution(quote: str, source: str | None, *pieces: str) -> Attribution:
    start, end = span(quote, TEXT)
    frags = [span(p, TEXT) for p in pieces]
    s = span(source, TEXT) if source else (None, None)
    return Attribution(
        quote=quote, start=start, end=end, fragments=frags,
        source=source, source_start=s[0], source_end=s[1],
    )  # fmt: skip


GOLD = GoldItem(
    "a1",
    TEXT,
    [],
    "test",
    [
        attribution("the budget would pass next week", "Senator Jane Doe"),
        attribution("We have the votes,", "she"),
        attribution("that most voters back the plan", "A Gallup poll"),
        attribution("called the plan for the new city hall “a disaster,”", "aides"),
    ],
)


def predicted(quote: str, speaker: str, text: str = TEXT) -> ExtractedClaim:
    start, end = span(quote, text)
    return ExtractedClaim(
        claim="x", speaker=speaker, stance="supports", quote=quote, start=start, end=end,
        direct=False, speaker_id="s",
        grounding=Grounding(grounded=True, method="exact", score=100.0, model_quote=quote),
    )  # fmt: skip


def result(*claims: ExtractedClaim) -> ExtractionResult:
    return ExtractionResult(
        article_id="a1", claims=list(claims), model="m", prompt="p@v1", prompt_hash="h",
        strategy="s", latency_s=0.0,
    )  # fmt: skip


def full_claim() -> Claim:
    s, e = span("the budget would pass next week", TEXT)
    return Claim(
        claim="The budget passes.", speaker="Jane Doe", stance="supports",
        quote=TEXT[s:e], start=s, end=e, direct=False,
    )  # fmt: skip


def test_forms_and_source_kinds() -> None:
    forms = [g.form for g in gold_evidence(GOLD)]
    assert forms == ["indirect", "direct", "indirect", "mixed"]
    assert [g.source_kind for g in gold_evidence(GOLD)] == ["named", "pronoun", "named", "nominal"]
    assert source_kind(None) == "none" and source_kind("the campaign") == "nominal"
    two = [Span(*span("“We have the votes,”", TEXT)), Span(*span("“a disaster,”", TEXT))]
    assert evidence_form(TEXT, two) == "direct"


def test_token_overlap_is_over_the_longer_span() -> None:
    whole = [Span(*span("the budget would pass next week", TEXT))]
    half = [Span(*span("the budget would", TEXT))]
    assert token_overlap(TEXT, whole, half) == pytest.approx(3 / 6)
    assert token_overlap(TEXT, half, whole) == pytest.approx(3 / 6)


def test_rules_sources_forms_and_stage_one() -> None:
    system = result(
        predicted("the budget would pass next week.", "Jane Doe"),  # exact after trimming
        predicted("We have the votes", "Jane Doe"),  # pronoun -> nearest named: right
        # 3/6 tokens: any and 0.3, not 0.8; and "Gallup" is not "A Gallup poll", a
        # document is a source of its own (eval/ANNOTATION.md, section 5.7)
        predicted("most voters back", "Gallup"),
        predicted("aides said", "aides"),  # no overlap with gold at all
    )
    candidates = [Span(*span("Senator Jane Doe said the budget would pass next week.", TEXT))]
    report = detection_report(
        [GOLD], {"sys": {"a1": system}}, candidates={"sys": lambda t: candidates}, resamples=10
    )
    c = report.systems[0].total
    assert [c.matched(r) for r in ("any", "token>=0.3", "token>=0.8", "exact")] == [3, 3, 2, 2]
    p, r, f = c.prf("token>=0.3")
    assert (p, r) == (0.75, 0.75) and f == pytest.approx(0.75)
    assert c.source_accuracy("named") == (0.5, 2)
    assert c.source_accuracy("pronoun") == (1.0, 1)
    assert c.source_accuracy("nominal") == (None, 0)
    assert c.form_recall("indirect") == (1.0, 2) and c.form_recall("mixed") == (0.0, 1)
    assert c.stage_one_recall() == 0.25 and c.stage_one_recall(indirect=True) == 0.5
    assert c.candidates_per_1000_chars() == pytest.approx(1000 / len(TEXT))


def test_sources_as_written_are_judged_by_the_one_speaker_rule() -> None:
    # A corpus writes sources with their descriptions; the rule reads the name in them
    # (tests/speakers/test_identity.py has the rule's own cases).
    text = (
        "Democrat pollster Pat Caddell said the race was close. "
        "Gonzalez, 55, of Brigantine, said the casino would close. "
        "The Clinton campaign said the ad was false."
    )
    gold = GoldItem(
        "a1", text, [], "test",
        [
            Attribution(quote=q, start=text.index(q), end=text.index(q) + len(q), source=src)
            for q, src in (
                ("the race was close", "Democrat pollster Pat Caddell"),
                ("the casino would close", "Gonzalez, 55, of Brigantine"),
                ("the ad was false", "The Clinton campaign"),
            )
        ],
    )  # fmt: skip
    system = result(
        predicted("the race was close", "Pat Caddell", text),
        predicted("the casino would close", "Mayra Gonzalez", text),
        predicted("the ad was false", "Hillary Clinton", text),  # a campaign is not its candidate
    )
    c = detection_report([gold], {"s": {"a1": system}}, resamples=10).systems[0].total
    assert c.source_accuracy("named") == (2 / 3, 3)


def test_wrong_and_possessive_sources_are_wrong() -> None:
    system = result(
        predicted("the budget would pass next week", "John Doe"),
        predicted("that most voters back the plan", "Gallup's editors"),
    )
    c = detection_report([GOLD], {"s": {"a1": system}}, resamples=10).systems[0].total
    assert c.source_accuracy("named") == (0.0, 2)
    assert c.stage_one_recall() is None  # no stage one given


def test_full_claims_are_scored_by_their_evidence_and_speaker() -> None:
    s, e = span("the budget would pass next week", TEXT)
    full = full_claim()
    item = GoldItem("a1", TEXT, [full], "test")
    c = (
        detection_report(
            [item], {"s": {"a1": result(predicted(TEXT[s:e], "Jane Doe"))}}, resamples=10
        )
        .systems[0]
        .total
    )
    assert c.matched("exact") == 1 and c.source_accuracy("named") == (1.0, 1)


def test_side_by_side_with_intervals_in_every_renderer() -> None:
    good = result(predicted("the budget would pass next week", "Jane Doe"))
    report = detection_report([GOLD], {"a": {"a1": None}, "b": {"a1": good}}, seed=3, resamples=200)
    assert report.systems[0].total.failed == 1
    (comp,) = report.comparisons
    assert set(comp.intervals) == {"any", "token>=0.3", "token>=0.8", "exact"}
    assert comp.intervals["exact"].point == pytest.approx(2 * 1 / 5)
    console = Console(record=True, width=200)
    print_detection(report, console)
    shown = console.export_text()
    assert "token>=0.8" in shown and "b vs a" in shown
    data = detection_dict(report)
    assert data["systems"]["b"]["evidence"]["exact"]["r"] == 0.25
    assert data["comparisons"][0]["f1_intervals"]["exact"]["point"] == comp.intervals["exact"].point
    assert callable(render_markdown)


def test_build_report_scores_each_article_by_what_its_gold_has() -> None:
    from claimx.eval.compare import build_report
    from claimx.eval.results import ArticleRun, ReportMeta, SystemRun

    s, e = span("the budget would pass next week", TEXT)
    full = full_claim()
    full_item = GoldItem("a2", TEXT, [full], "test")
    answer = result(predicted(TEXT[s:e], "Jane Doe"))
    runs = [
        SystemRun(
            label="extract@v1", prompt="extract@v1", prompt_hash="h", model="m",
            strategy="single_pass", source="live",
            articles=[
                ArticleRun("a1", TEXT, [], answer),
                ArticleRun("a2", TEXT, [full], answer.model_copy(update={"article_id": "a2"})),
            ],
        )
    ]  # fmt: skip
    meta = ReportMeta(gold="g", claimx_version="0", responses="live", resamples=10)
    report = build_report(runs, meta, gold=[GOLD, full_item])
    assert [a.article_id for a in report.systems[0].articles] == ["a2"]
    assert report.systems[0].total.n_gold == 1  # the claim metrics see the full claim only
    assert report.detection is not None
    total = report.detection.systems[0].total
    assert total.articles == 2 and total.n_gold == 5
    # single pass: the whole text is its one candidate
    assert total.stage_one_recall() == 1.0 and total.candidates == 2
    only_corpus = build_report(runs[:1], meta, gold=[GOLD, GoldItem("a2", TEXT, [], "t", [])])
    assert len(only_corpus.systems) == 1  # a2 has no attributions: it keeps the claim metrics
    corpus = build_report(
        [SystemRun(**{**runs[0].__dict__, "articles": runs[0].articles[:1]})], meta, gold=[GOLD]
    )
    assert corpus.systems == [] and "Detection" in render_markdown(corpus)


def test_claims_sharing_one_span_are_one_prediction_with_the_first_speaker() -> None:
    # A statement split into two propositions (rule 4) is one predicted attribution.
    first = predicted("the budget would pass next week", "Jane Doe")
    second = first.model_copy(update={"claim": "y", "speaker": "John Doe"})
    c = detection_report([GOLD], {"s": {"a1": result(first, second)}}, resamples=10)
    total = c.systems[0].total
    assert total.n_pred == 1
    assert total.matched("token>=0.3") == 1
    assert total.source_accuracy("named") == (1.0, 1)
    flipped = detection_report([GOLD], {"s": {"a1": result(second, first)}}, resamples=10)
    assert flipped.systems[0].total.source_accuracy("named") == (0.0, 1)


def test_discontinuous_evidence_is_scored_by_its_pieces_gold_and_predicted() -> None:
    # "The mayor called ... “a disaster,” aides said": gold in two pieces around a cue.
    quote = "called the plan for the new city hall “a disaster,” aides said"
    pieces = ("called the plan for the new city hall", "“a disaster,”")
    gold = GoldItem("a1", TEXT, [], "test", [attribution(quote, "aides", *pieces)])
    enclosing = predicted(quote, "aides")
    end = enclosing.end
    split = enclosing.model_copy(update={"fragments": [span(p, TEXT) for p in pieces]})
    assert split.pieces == tuple(Span(*span(p, TEXT)) for p in pieces)

    def exact(claim: ExtractedClaim) -> int:
        report = detection_report([gold], {"s": {"a1": result(claim)}}, resamples=10)
        return report.systems[0].total.matched("exact")

    # The one span holds the cue, which gold leaves out; its pieces are gold's own.
    assert (exact(enclosing), exact(split)) == (0, 1)
    # Two claims on the same pieces are one prediction; other pieces are another.
    other = split.model_copy(update={"fragments": [span(pieces[0], TEXT), (end - 4, end)]})
    report = detection_report([gold], {"s": {"a1": result(split, split, other)}}, resamples=10)
    assert report.systems[0].total.n_pred == 2


def test_fragments_lie_inside_the_claims_evidence() -> None:
    claim = predicted("the budget would pass next week", "Jane Doe")
    start, end = claim.start, claim.end
    assert claim.pieces == (claim.span,)
    with pytest.raises(ValueError, match="not inside"):
        ExtractedClaim.model_validate({**claim.model_dump(), "fragments": [(start, end + 1)]})


def test_saved_results_count_the_errors_files_articles_as_failed(tmp_path: Path) -> None:
    from claimx.eval.detection import load_results
    from claimx.runs.orchestrator import BatchOptions

    out = tmp_path / "runs.jsonl"
    out.write_text(
        result(predicted("the budget would pass next week", "Jane Doe")).model_dump_json()
    )
    # the file `claimx extract -o runs.jsonl` writes its failures to
    failures = BatchOptions(output=out).errors_path()
    assert failures is not None
    failure = {"article_id": "a2", "error_type": "LLMTimeoutError", "message": "timed out"}
    failures.write_text(json.dumps(failure) + "\n")
    loaded = load_results(out)
    assert loaded["a2"] is None and loaded["a1"] is not None
