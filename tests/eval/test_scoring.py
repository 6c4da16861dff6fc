"""The scorer on hand-made cases: each rule of eval/README.md "How scoring works"."""

from __future__ import annotations

from claimx.eval.report import build, paired_bootstrap, score_system
from claimx.eval.results import ArticleRun, SystemRun
from claimx.eval.scoring import match, score_article
from claimx.models import Claim, ExtractedClaim, ExtractionResult, Grounding, Stance

TEXT = (
    "“We had nothing to do with this,” said John Kirby. "
    "Dmitry Peskov said Washington selects the targets and the means of the attacks. "
    "Kirby added that he did not know what happened."
)


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def gold_claim(claim: str, speaker: str, stance: Stance, quote: str) -> Claim:
    s, e = span(quote)
    return Claim(
        claim=claim, speaker=speaker, stance=stance, quote=quote, start=s, end=e, direct=False
    )


GOLD = [
    gold_claim(
        "The United States was involved in the drone attack on the Kremlin.",
        "John Kirby",
        "refutes",
        "We had nothing to do with this",
    ),
    gold_claim(
        "Washington selects the targets of Ukraine's attacks.",
        "Dmitry Peskov",
        "supports",
        "Washington selects the targets and the means of the attacks",
    ),
    gold_claim(
        "Washington selects the means of Ukraine's attacks.",
        "Dmitry Peskov",
        "supports",
        "Washington selects the targets and the means of the attacks",
    ),
    gold_claim(
        "The drone incident at the Kremlin was a real attack as Russia describes it.",
        "John Kirby",
        "uncertain",
        "he did not know what happened",
    ),
]


def pred(
    c: Claim, *, speaker: str | None = None, stance: Stance | None = None, method: str = "exact"
) -> ExtractedClaim:
    return ExtractedClaim(
        **{**c.model_dump(), "speaker": speaker or c.speaker, "stance": stance or c.stance},
        speaker_id="x",
        grounding=Grounding(
            grounded=method != "none", method=method, score=100.0, model_quote=c.quote
        ),  # type: ignore[arg-type]
    )


def result(
    claims: list[ExtractedClaim], ungrounded: list[ExtractedClaim] | None = None
) -> ExtractionResult:
    return ExtractionResult(
        article_id="a",
        claims=claims,
        ungrounded=ungrounded or [],
        model="m",
        prompt="extract@v1",
        prompt_hash="h",
        strategy="single_pass",
        latency_s=1.0,
    )


def metrics(preds: list[ExtractedClaim], **kw: list[ExtractedClaim]) -> dict[str, float]:
    return score_article("a", GOLD, result(preds, **kw)).counts.metrics()


def test_identical_output_scores_one() -> None:
    m = metrics([pred(c) for c in GOLD])
    for key in ("claim_f1", "joint_f1", "speaker_accuracy", "stance_accuracy", "speaker_set_f1"):
        assert m[key] == 1.0, key


def test_empty_output_scores_zero() -> None:
    m = metrics([])
    assert m["claim_recall"] == 0 and m["claim_f1"] == 0 and m["joint_f1"] == 0


def test_swapped_stance_keeps_claim_score_and_costs_joint() -> None:
    preds = [pred(GOLD[0], stance="supports")] + [pred(c) for c in GOLD[1:]]
    art = score_article("a", GOLD, result(preds))
    m = art.counts.metrics()
    assert m["claim_f1"] == 1.0
    assert m["stance_accuracy"] == 0.75 and m["joint_f1"] == 0.75
    assert art.counts.confusion["refutes"]["supports"] == 1


def test_wrong_speaker_but_surname_alone_is_right() -> None:
    preds = [pred(GOLD[0], speaker="Dmitry Peskov"), pred(GOLD[3], speaker="Mr. Kirby")]
    pairs = match(GOLD, [p for p in preds])
    assert len(pairs) == 2
    assert [p.speaker_ok for p in sorted(pairs, key=lambda p: p.gold)] == [False, True]


def test_duplicated_prediction_is_a_false_positive() -> None:
    m = metrics([pred(GOLD[0]), pred(GOLD[0])])
    assert m["claim_precision"] == 0.5 and m["claim_recall"] == 0.25


def test_quote_not_in_article_counts_against_grounding_not_matching() -> None:
    ghost = pred(GOLD[0], method="none")
    m = metrics([pred(GOLD[1])], ungrounded=[ghost])
    assert m["quotes_grounded"] == 0.5 and m["quotes_verbatim"] == 0.5
    assert m["claim_precision"] == 1.0  # ungrounded claims are not predictions


def test_same_span_different_propositions_do_not_cross_match() -> None:
    # One passage carries "targets" and "means" (split by rule 4): each prediction
    # must pair with its own gold claim, whatever the order.
    preds = [pred(GOLD[2]), pred(GOLD[1])]
    pairs = match(GOLD, preds)
    assert {(p.gold, p.pred) for p in pairs} == {(1, 1), (2, 0)}


def test_assignment_is_optimal_not_greedy() -> None:
    # A generic prediction overlapping both gold claims must not steal the one a
    # more specific prediction needs.
    generic = pred(GOLD[1]).model_copy(
        update={"claim": "Washington selects the targets and the means of Ukraine's attacks."}
    )
    specific = pred(GOLD[1])
    pairs = match(GOLD, [generic, specific])
    assert len(pairs) == 2


def test_unrelated_proposition_on_same_span_does_not_match() -> None:
    wrong = pred(GOLD[0]).model_copy(update={"claim": "Kirby appeared on MSNBC on Wednesday."})
    assert match(GOLD, [wrong]) == []


def _run(label: str, preds: list[list[ExtractedClaim]]) -> SystemRun:
    articles = [
        ArticleRun(article_id=f"a{i}", text=TEXT, gold=GOLD, result=result(p))
        for i, p in enumerate(preds)
    ]
    return SystemRun(label, label, "h", "m", "single_pass", "replayed", articles)


def test_bootstrap_is_deterministic_and_sees_a_real_difference() -> None:
    perfect = [[pred(c) for c in GOLD] for _ in range(5)]
    poor = [[pred(GOLD[0])] for _ in range(5)]
    a, b = score_system(_run("poor", poor)), score_system(_run("perfect", perfect))
    one = paired_bootstrap(a, b, numerator="matched", seed=1)
    two = paired_bootstrap(a, b, numerator="matched", seed=1)
    assert one == two
    assert one.delta > 0 and one.low > 0 and one.significant


def test_report_lists_claims_right_only_in_one_system() -> None:
    perfect = [[pred(c) for c in GOLD]]
    poor = [[pred(GOLD[0])]]
    report = build([_run("poor", poor), _run("perfect", perfect)], meta={})
    (comparison,) = report.comparisons
    assert comparison.deltas["claim_recall"] == 0.75
    assert {d.right_in for d in comparison.diffs} == {"perfect"}
    assert len(comparison.diffs) == 3
