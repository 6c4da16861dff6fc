"""The oracle evaluation, the rule baselines and the reliability table, on hand-made gold."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.eval.baselines import attribution_rules, majority_gold_stance, nearest_name, rules
from claimx.eval.gold import GoldItem
from claimx.eval.metrics import score_system, stance_macro_f1
from claimx.eval.oracle import (
    Guess,
    OracleRow,
    claim_guesses,
    claims_by_span,
    gold_evidence,
    score_guesses,
    where_lost,
)
from claimx.eval.recordings import record_command, recording_key
from claimx.eval.reliability import bin_label, reliability
from claimx.models import Confidence, ExtractedClaim
from claimx.text.spans import Span

from .factory import GOLD, MEANS, TARGETS, TEXT, perfect, pred, system
from .test_eval_cli import invoke

ITEM = GoldItem("a", TEXT, GOLD, "hand-made")


def test_gold_evidence_is_the_distinct_spans_in_order() -> None:
    # TARGETS and MEANS share one evidence span: asked about once
    assert gold_evidence(ITEM) == sorted({c.span for c in GOLD})
    assert len(gold_evidence(ITEM)) == 3


def test_each_gold_claim_takes_the_most_similar_claim_made_for_its_span() -> None:
    claims = {
        "a": [
            pred(GOLD[0], speaker="Dmitry Peskov"),
            # one span, two propositions: each gold claim takes its own
            pred(GOLD[1], claim=MEANS, stance="refutes"),
            pred(GOLD[1], claim=TARGETS),
            # GOLD[3]'s span produced nothing: missed
        ]
    }
    guesses = claim_guesses([ITEM], claims)["a"]
    assert guesses[0] == Guess("Dmitry Peskov", "refutes")
    assert guesses[1] == Guess("Dmitry Peskov", "supports")  # TARGETS, stance right
    assert guesses[2] == Guess("Dmitry Peskov", "refutes")  # MEANS, stance wrong
    assert guesses[3] == Guess(None, None)
    score = score_guesses("s", [ITEM], {"a": guesses})
    assert (score.n, score.missed, score.speaker_ok, score.stance_ok, score.joint_ok) == (
        4,
        1,
        2,
        2,
        1,
    )
    assert score.joint == 0.25


def _at(start: int, end: int, speaker: str = "John Kirby") -> ExtractedClaim:
    base = pred(GOLD[0], speaker=speaker)
    return base.model_copy(update={"start": start, "end": end, "quote": TEXT[start:end]})


def test_a_claim_goes_under_the_span_it_overlaps_most_else_the_nearest_of_its_paragraph() -> None:
    first, second, _, third = (c.span for c in GOLD)
    widened = _at(first.start, second.start + 5)  # mostly the first span
    beside = _at(second.end + 1, second.end + 10)  # no overlap: nearest span, one paragraph
    spans = claims_by_span(ITEM, [widened, beside])
    assert spans[first] == [widened] and spans[second] == [beside] and spans[third] == []


def test_stance_macro_f1_averages_the_stances_present() -> None:
    # gold supports x3 (2 right, 1 refutes), refutes x1 (right); uncertain absent
    grid = ((2, 1, 0), (0, 1, 0), (0, 0, 0))
    assert stance_macro_f1(grid) == pytest.approx((0.8 + 2 / 3) / 2)
    assert stance_macro_f1(((0, 0, 0), (0, 0, 0), (0, 0, 0))) is None
    # a missed claim (last column) is never right
    assert stance_macro_f1(((0, 0, 0, 1), (0, 0, 0, 0), (0, 0, 0, 0))) == 0.0


def test_majority_stance_metric_is_the_trivial_baseline_on_matched_pairs() -> None:
    m = score_system(system("s", [perfect()])).metrics
    # gold: refutes, supports, supports, uncertain -> majority supports: 2 of 4 pairs
    assert m["stance_majority_accuracy"] == 0.5
    assert m["stance_accuracy"] == 1.0 and m["stance_macro_f1"] == 1.0


def test_baselines_majority_stance_and_nearest_name() -> None:
    assert majority_gold_stance([ITEM]) == "supports"
    base = rules([ITEM])
    # the name nearest each span in its sentence: Kirby, Peskov, Peskov; "Kirby added"
    # names the surname only, which is no two-word name but still a named mention
    assert base.n == 4 and base.speaker_ok == 4
    assert base.stance_ok == 2 and base.joint_ok == 2


def test_attribution_rules_read_the_source_and_the_stance_off_the_sentence() -> None:
    base = attribution_rules([ITEM])
    # "..., said John Kirby" (inverted), "Dmitry Peskov said", "Kirby added"; the stance by
    # negation (refutes), no cue (supports twice), "did not know" (uncertain)
    assert (base.n, base.speaker_ok, base.stance_ok, base.joint_ok) == (4, 4, 4, 4)


def test_nearest_name_prefers_its_sentence_and_skips_names_inside_the_quote() -> None:
    text = "Anna Berg spoke first. “Paul Smit lied,” said Carl Jonas at the hearing."
    quote = text.index("Paul Smit lied")
    span = Span(quote, quote + len("Paul Smit lied"))
    from claimx.eval.baselines import named_mentions

    assert nearest_name(text, span, named_mentions(text)) == "Carl Jonas"


def test_where_lost_splits_the_gap_to_one() -> None:
    both = score_guesses("s", [ITEM], {"a": [Guess("John Kirby", "refutes")] * 4})
    row = OracleRow("extract@v4", "staged_sentences", 0.3, 0.5, "x", both)
    lost = where_lost(row)
    assert lost == pytest.approx(
        {"stage_one": 0.2, "proposition": both.joint - 0.5, "speaker_stance": 1 - both.joint}
    )
    assert sum(v for v in lost.values() if v is not None) == pytest.approx(1 - 0.3)
    assert where_lost(OracleRow("extract@v1", "single_pass", 0.1)) == {
        "stage_one": None,
        "proposition": None,
        "speaker_stance": None,
    }


def _with(claim: ExtractedClaim, value: float) -> ExtractedClaim:
    return claim.model_copy(update={"confidence": Confidence(value=value, source="rule")})


def test_reliability_bins_and_best_threshold() -> None:
    right = [_with(p, 0.95) for p in perfect()[:2]]
    wrong_stance = _with(pred(GOLD[2], stance="refutes"), 0.6)
    spurious = _with(pred(GOLD[3], claim="Kirby plays golf on Sundays."), 0.3)
    rel = reliability(score_system(system("s", [[*right, wrong_stance, spurious]])))
    bins = {b.label: b for b in rel.bins}
    assert bins["≥0.9"].count == 2 and bins["≥0.9"].joint_precision == 1.0
    assert bins["0.5–0.7"].claim_precision == 1.0 and bins["0.5–0.7"].joint_precision == 0.0
    assert bins["<0.5"].claim_precision == 0.0 and bins["none"].count == 0
    # keeping only the two right claims: P 1, R 2/4 -> joint F1 2/3
    assert rel.best_threshold == 0.95 and rel.best_joint_f1 == pytest.approx(2 / 3)
    assert rel.joint_f1 == pytest.approx(2 * 0.5 * 0.5 / 1.0)


def test_many_distinct_values_are_thinned_keeping_the_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    import claimx.eval.reliability as module

    swept: list[float] = []
    real = module._joint_f1_at

    def spy(system: object, threshold: float) -> float | None:
        swept.append(threshold)
        return real(system, threshold)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "MAX_THRESHOLDS", 2)
    monkeypatch.setattr(module, "_joint_f1_at", spy)
    claims = [_with(p, v) for p, v in zip(perfect(), (0.3, 0.6, 0.8, 0.95), strict=True)]
    rel = reliability(score_system(system("s", [claims])))
    assert swept == [0.3, 0.95] and rel.best_threshold == 0.3  # all right: keep all


def test_a_system_without_confidence_has_no_threshold() -> None:
    rel = reliability(score_system(system("s", [perfect()])))
    assert not rel.has_confidence and rel.best_threshold is None
    assert {b.label: b.count for b in rel.bins}["none"] == 4
    assert bin_label(None) == "none" and bin_label(0.5) == "0.5–0.7"


def test_oracle_recordings_are_filed_apart_and_the_hint_records_them() -> None:
    assert recording_key("extract@v4", oracle=True) == "extract@v4+oracle-evidence"
    command = record_command("extract@v4", "local", Path("eval/cassettes"), oracle=True)
    assert "--record --oracle evidence --prompt extract@v4 --model local" in command


def test_a_missing_oracle_recording_says_how_to_record_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the end-to-end recordings are there (copied), the oracle ones are not
    import shutil

    from claimx.eval.paths import eval_dir

    shutil.copytree(eval_dir() / "cassettes" / "local", tmp_path / "local")
    assert not (tmp_path / "local" / "extract@v9+oracle-evidence").exists()
    args = ["--prompt", "extract@v9", "--oracle", "evidence", "--cassettes", str(tmp_path)]
    code, out, err = invoke(args, capsys)
    assert code == 1
    assert "extract@v9+oracle-evidence" in err
    assert (
        "python -m claimx.eval --record --oracle evidence --prompt extract@v9 --model local" in err
    )


def test_without_prompts_the_oracle_names_the_versions_it_has_no_recordings_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from claimx.eval.paths import eval_dir

    shutil.copytree(eval_dir() / "cassettes" / "local", tmp_path / "local")
    code, out, err = invoke(["--oracle", "claim", "--cassettes", str(tmp_path)], capsys)
    assert code == 0
    said = " ".join(err.split())
    assert "not replayed: extract@v9+oracle-evidence is not recorded (model 'local')" in said
    assert "--record --oracle evidence --prompt extract@v9" in said
    assert "n/a (not recorded)" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--oracle", "stage"], "--oracle takes evidence or claim"),
        (["--oracle", "claim", "--record", "--model", "local"], "makes no request"),
    ],
)
def test_bad_oracle_commands_fail_at_once(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(args, capsys)
    assert code != 0 and says in err
