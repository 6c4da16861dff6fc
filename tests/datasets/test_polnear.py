from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.datasets.polnear import convert_split
from claimx.errors import DatasetError
from claimx.eval.gold import check_gold, load_gold
from tests.datasets.sample import TEXT, ann, write_checkout


def test_attribution_events_become_detection_gold(tmp_path: Path) -> None:
    conv = convert_split(write_checkout(tmp_path), "dev")
    (record,) = conv.records
    first, second, third = record.claims
    assert first.quote == "The bridge, the mayor said, will open in May"
    assert [TEXT[s:e] for s, e in first.fragments] == ["The bridge", "will open in May"]
    assert (first.source, first.cue) == ("the mayor", "said")
    assert second.quote == "We are ready," and second.source == "Ana Ruiz"
    assert third.source is None and third.cue == "found"
    assert conv.annotators == {"city_bridge": "ab12"} and conv.multi_annotated == 0


def test_the_median_annotator_is_used(tmp_path: Path) -> None:
    lines = ann().splitlines()
    one_event = "\n".join(lines[:5]) + "\n"  # E1 only
    two_events = "\n".join(lines[:10]) + "\n"  # E1, E2
    checkout = write_checkout(
        tmp_path, annotators={"aaaa": one_event, "bbbb": ann(), "cccc": two_events}
    )
    conv = convert_split(checkout, "dev")
    assert conv.annotators == {"city_bridge": "cccc"}
    assert len(conv.records[0].claims) == 2 and conv.multi_annotated == 1
    named = convert_split(checkout, "dev", annotator="bbbb")
    assert len(named.records[0].claims) == 3


def test_the_test_split_is_held_out(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="held out"):
        convert_split(write_checkout(tmp_path), "test")


def test_convert_command_writes_gold_the_eval_loads(tmp_path: Path) -> None:
    out = tmp_path / "dev.jsonl"
    result = CliRunner().invoke(
        app, ["datasets", "convert", "polnear", str(write_checkout(tmp_path)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert set(record) == {"id", "text", "claims"}
    assert check_gold(out) == []
    (item,) = load_gold(out)
    assert item.claims == [] and len(item.attributions) == 3 and item.detection_only


def test_convert_brat_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ann(), encoding="utf-8")
    out = tmp_path / "a.jsonl"
    args = ["datasets", "convert", "brat", str(tmp_path), "--event", "Attribution", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    (item,) = load_gold(out)
    assert len(item.attributions) == 2  # the Attribution-no-source event is not asked for


def test_convert_reports_a_missing_checkout(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["datasets", "convert", "polnear", str(tmp_path)])
    assert result.exit_code == 1
    assert "PolNeAR checkout" in result.output
