"""``python -m claimx.eval draws``: versions compared over two real recordings of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.cli_errors import run
from claimx.errors import ConfigError
from claimx.eval.cli import app
from claimx.eval.draws import agreement, compare_draws
from claimx.eval.gold import load_gold
from claimx.prompts import get_prompt

ROOT = Path(__file__).resolve().parents[2]
FIRST, SECOND = ROOT / "eval" / "cassettes", ROOT / "eval" / "redraws" / "draw2"
GOLD = ROOT / "eval" / "gold"

pytestmark = pytest.mark.usefixtures("shipped_prompts")


def test_a_recording_agrees_with_itself_on_every_answer() -> None:
    folder = FIRST / "local" / "extract@v9"
    n, shared, same = agreement(folder, folder)
    assert n == shared == same > 0


def test_two_runs_of_the_server_got_the_same_requests_and_not_all_the_same_answers() -> None:
    # The second draw was recorded from the same prompt files: every body is in the first.
    n, shared, same = agreement(FIRST / "local" / "extract@v9", SECOND / "local" / "extract@v9")
    assert n == shared > 0
    assert same < shared  # what the command is for: temperature 0 is not one answer


def test_each_version_is_scored_in_each_draw_and_compared_three_ways() -> None:
    specs = [get_prompt("extract@v9"), get_prompt("extract@v12")]
    report = compare_draws(specs, [FIRST, SECOND], load_gold(GOLD))
    assert sorted(report.scores) == [(d, v) for d in (0, 1) for v in ("extract@v12", "extract@v9")]
    found = dict(report.differences)
    assert len(found) == 5  # v12 - v9 in each draw, each version's draw 2 - draw 1, pooled
    joint = {k: s.metrics["joint_f1"] or 0.0 for k, s in report.scores.items()}
    moved = found["extract@v9: draw 2 − draw 1"]
    assert moved.point == pytest.approx(joint[1, "extract@v9"] - joint[0, "extract@v9"], abs=1e-6)
    pooled = found["extract@v12 − extract@v9, every draw (articles and recordings resampled)"]
    assert pooled.unit == "article+draw" and pooled.low <= pooled.point <= pooled.high
    assert "| extract@v9 | eval/redraws/draw2 |" in report.markdown().replace(str(ROOT) + "/", "")


def test_one_recording_or_a_version_not_recorded_is_refused_with_the_command() -> None:
    gold = load_gold(GOLD)
    with pytest.raises(ConfigError, match="two recordings"):
        compare_draws([get_prompt("extract@v9")], [FIRST], gold)
    with pytest.raises(
        ConfigError, match=r"no recording of extract@v1; record one with .*--record"
    ):
        compare_draws([get_prompt("extract@v1")], [FIRST, SECOND], gold)


def test_the_command_prints_the_tables(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["draws", "--prompt", "extract@v12", "--draw", str(SECOND), "--cassettes", str(FIRST)]
    with pytest.raises(SystemExit) as info:
        run(app, argv=args)
    out, err = capsys.readouterr()
    assert info.value.code in (0, None), err
    assert out.startswith("REPLAYED")
    assert "## Scores per draw (replayed)" in out and "extract@v12: draw 2 − draw 1" in out
