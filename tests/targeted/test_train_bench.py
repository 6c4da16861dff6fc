"""The rebuild command and the FNC-1 benchmark, on a synthetic checkout."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from claimx.datasets.fnc1 import load
from claimx.targeted.shipped import IDF_FILE, SETTINGS_FILE, Shipped
from claimx.targeted.train import main as train_main
from tests.targeted.sample import write_fnc1

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("fnc")
    checkout = write_fnc1(root / "fnc-1")
    assert train_main([str(checkout), "--out", str(root / "data")]) == 0
    return checkout, root / "data"


def test_train_writes_files_that_load_and_are_reproducible(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    checkout, data = trained
    parts = Shipped.from_files(
        (data / IDF_FILE).read_text(encoding="utf-8"),
        (data / SETTINGS_FILE).read_text(encoding="utf-8"),
    )
    assert parts.tune["pairs"] == len(load(checkout).part("tune"))
    assert parts.tune["screen"]["related_screened"] <= 0.01
    assert parts.baseline.refute_at >= 1 and parts.classifier.classes
    assert train_main([str(checkout), "--out", str(tmp_path)]) == 0
    for name in (IDF_FILE, SETTINGS_FILE):
        assert (tmp_path / name).read_text() == (data / name).read_text()


def test_the_benchmark_scores_the_report_part(
    trained: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    checkout, data = trained
    spec = importlib.util.spec_from_file_location(
        "targeted_fnc1", ROOT / "benchmarks" / "targeted_fnc1.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["targeted_fnc1"] = bench
    spec.loader.exec_module(bench)
    assert bench.main([str(checkout), "--data", str(data), "--per-class", "2"]) == 0
    out = capsys.readouterr().out
    assert "| balanced sample | 2 | 2 | 2 | 2 |" in out
    assert "unrelated screened (no model call)" in out
    assert "lexical baseline, balanced sample" in out and "screen + classifier, report part" in out
    assert "0 model calls" in out
