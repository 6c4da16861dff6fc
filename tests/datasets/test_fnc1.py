"""The FNC-1 adapter, on small CSV files written here (never the real corpus)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.datasets.fnc1 import (
    BODIES_FILE,
    STANCES_FILE,
    composition,
    load,
    part_of,
    records,
    report_sample,
)
from claimx.errors import DatasetError
from claimx.models import TargetedRecord

LABELS = ("agree", "disagree", "discuss", "unrelated")
# Body ids by part (pinned below): pairs of 2, 7, 8 are report pairs, of 0, 1, 3 tune pairs.
REPORT_BODIES = (2, 7, 8)
TUNE_BODIES = (0, 1, 3)


def write_checkout(
    root: Path,
    stances: list[tuple[str, str, str]],
    bodies: dict[str, str],
    *,
    stance_header: tuple[str, ...] = ("Headline", "Body ID", "Stance"),
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / STANCES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(stance_header)
        writer.writerows(stances)
    with (root / BODIES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("Body ID", "articleBody"))
        writer.writerows(bodies.items())
    return root


def balanced_checkout(root: Path, per_class: int = 3) -> Path:
    """``per_class`` pairs of every label on every body, so both parts hold every class."""
    ids = (*REPORT_BODIES, *TUNE_BODIES)
    bodies = {str(b): f"Body {b}, with a comma.\nAnd a second line." for b in ids}
    stances = [
        (f"Headline {label} {i} of body {b}", str(b), label)
        for b in ids
        for label in LABELS
        for i in range(per_class)
    ]
    return write_checkout(root, stances, bodies)


def test_the_split_is_pinned_to_the_body_id() -> None:
    # The figures reported on the report part depend on this exact split.
    assert [b for b in range(15) if part_of(b) == "report"] == [2, 7, 8, 11, 12, 13, 14]
    share = sum(part_of(b) == "report" for b in range(5000)) / 5000
    assert 0.17 < share < 0.23


def test_labels_map_and_every_pair_of_a_body_is_in_its_part(tmp_path: Path) -> None:
    data = load(balanced_checkout(tmp_path))
    assert len(data.pairs) == 6 * 4 * 3 and data.duplicates == 0
    report = data.part("report")
    assert {p.body_id for p in report} == set(REPORT_BODIES)
    assert {p.body_id for p in data.part("tune")} == set(TUNE_BODIES)
    by_headline = {p.headline: p.stance for p in data.pairs}
    assert by_headline["Headline agree 0 of body 2"] == "supports"
    assert by_headline["Headline disagree 0 of body 2"] == "refutes"
    assert by_headline["Headline discuss 0 of body 2"] == "uncertain"
    assert by_headline["Headline unrelated 0 of body 2"] == "unrelated"


def test_records_carry_the_body_inline_and_no_sources(tmp_path: Path) -> None:
    data = load(balanced_checkout(tmp_path))
    first = data.pairs[0]
    (record,) = records([first], data.bodies)
    assert record.id == "fnc1-1" and record.article_id == f"fnc1-body-{first.body_id}"
    assert record.text == f"Body {first.body_id}, with a comma.\nAnd a second line."
    assert record.claim == first.headline and record.sources is None


def test_report_sample_is_balanced_seeded_and_stable(tmp_path: Path) -> None:
    data = load(balanced_checkout(tmp_path))
    report = data.part("report")  # 9 pairs of each class
    sample = report_sample(report, per_class=4)
    assert composition(sample) == {"supports": 4, "refutes": 4, "uncertain": 4, "unrelated": 4}
    assert sample == report_sample(list(reversed(report)), per_class=4)  # order-free
    assert [p.row for p in sample] == sorted(p.row for p in sample)
    other_seeds = {tuple(p.row for p in report_sample(report, 4, seed=s)) for s in range(5)}
    assert len(other_seeds) > 1  # the seed does choose


def test_report_sample_refuses_tune_pairs_and_short_classes(tmp_path: Path) -> None:
    data = load(balanced_checkout(tmp_path))
    with pytest.raises(DatasetError, match="tune part"):
        report_sample(data.pairs, per_class=1)
    with pytest.raises(DatasetError, match="too few pairs for 10 per class"):
        report_sample(data.part("report"), per_class=10)


def test_duplicate_rows_are_dropped(tmp_path: Path) -> None:
    rows = [("A claim", "2", "agree"), ("A claim", "2", "agree"), ("A claim", "7", "discuss")]
    data = load(write_checkout(tmp_path, rows, {"2": "x", "7": "y"}))
    assert [(p.row, p.body_id) for p in data.pairs] == [(1, 2), (3, 7)]
    assert data.duplicates == 1


@pytest.mark.parametrize(
    ("rows", "bodies", "message"),
    [
        ([("h", "2", "maybe")], {"2": "x"}, r"data row 1: stance 'maybe' is not one of agree"),
        ([("h", "9", "agree")], {"2": "x"}, r"data row 1: Body ID 9 is not in train_bodies.csv"),
        ([("h", "two", "agree")], {"2": "x"}, r"Body ID 'two' is not a whole number"),
        ([], {"2": "x"}, r"no pairs"),
    ],
)
def test_bad_rows_name_the_file_and_row(
    tmp_path: Path, rows: list[tuple[str, str, str]], bodies: dict[str, str], message: str
) -> None:
    with pytest.raises(DatasetError, match=message):
        load(write_checkout(tmp_path, rows, bodies))


def test_wrong_columns_and_missing_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such folder"):
        load(tmp_path / "nowhere")
    with pytest.raises(DatasetError, match="train_bodies.csv: not found; give the folder"):
        load(tmp_path)
    checkout = write_checkout(
        tmp_path / "c", [("h", "2", "agree")], {"2": "x"}, stance_header=("Title", "Body", "Label")
    )
    with pytest.raises(DatasetError, match="expected 'Headline,Body ID,Stance'"):
        load(checkout)


def test_convert_command_writes_the_balanced_report_sample(tmp_path: Path) -> None:
    out = tmp_path / "report.jsonl"
    checkout = balanced_checkout(tmp_path / "fnc-1")
    result = CliRunner().invoke(
        app,
        ["datasets", "convert", "fnc1", str(checkout), "--part", "report"]
        + ["--per-class", "2", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    got = [TargetedRecord.model_validate(json.loads(line)) for line in lines]
    assert len(got) == 8 and {r.stance for r in got} == {
        "supports",
        "refutes",
        "uncertain",
        "unrelated",
    }
    assert all(part_of(int(r.article_id.rsplit("-", 1)[1])) == "report" for r in got)
    assert "8 pairs of the report part" in result.stderr


def test_convert_command_tune_part_and_errors(tmp_path: Path) -> None:
    checkout = balanced_checkout(tmp_path / "fnc-1")
    tune = CliRunner().invoke(app, ["datasets", "convert", "fnc1", str(checkout), "--part", "tune"])
    assert tune.exit_code == 0, tune.output
    assert len(tune.stdout.splitlines()) == 3 * 4 * 3
    no_part = CliRunner().invoke(app, ["datasets", "convert", "fnc1", str(checkout)])
    assert no_part.exit_code == 2 and "--part tune or --part report" in no_part.stderr
    missing = CliRunner().invoke(
        app, ["datasets", "convert", "fnc1", str(tmp_path / "no"), "--part", "tune"]
    )
    assert missing.exit_code == 1 and "no such folder" in missing.stderr
