"""The retrain command on an invented PolNeAR-shaped corpus: it runs, writes weights, reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.tagging.model import load_model
from claimx.tagging.tagger import tag
from claimx.tagging.train import main
from tests.tagging.synthetic import write_corpus


def _run(tmp_path: Path, family: str, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    checkout = write_corpus(tmp_path / "polnear")
    out = tmp_path / "out"
    assert main([str(checkout), "--family", family, "--out", str(out), "--iterations", "3"]) == 0
    return out / f"{family}.bin.gz", capsys.readouterr().out


def test_perceptron_retrain_writes_weights_that_find_the_attributions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, printed = _run(tmp_path, "perceptron", capsys)
    model = load_model(path)
    assert model.family == "perceptron" and model.meta["split"] == "train"
    assert "PolNeAR dev" in printed and "content span, token>=0.3" in printed
    assert "sha256" in printed
    text = "\u201cTaxes are too high,\u201d Ana Ruiz said. Bo Chen said that the vote was fair.\n"
    found = [a.texts(text) for a in tag(text, model)]
    assert ("Ana Ruiz", "said", "\u201cTaxes are too high,\u201d") in found
    assert ("Bo Chen", "said", "that the vote was fair") in found


def test_the_same_corpus_retrains_to_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = _run(tmp_path / "a", "perceptron", capsys)
    second, _ = _run(tmp_path / "b", "perceptron", capsys)
    assert first.read_bytes() == second.read_bytes()


def test_crf_retrain_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pycrfsuite", reason="the CRF trains with the [train] extra")
    path, printed = _run(tmp_path, "crf", capsys)
    assert load_model(path).family == "crf"
    assert "cue span, exact" in printed


def test_tuning_tables_run_on_train_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from claimx.tagging.tune import main as tune

    checkout = write_corpus(tmp_path / "polnear", train=8, dev=0)
    assert tune([str(checkout), "--only", "perceptron"]) == 0
    printed = capsys.readouterr().out
    assert "fit on 4 texts, scored on 1 others" in printed
    assert printed.count("\n| ") >= 4  # header and one row per epoch setting
    assert tune([str(checkout), "--only", "ceiling"]) == 0
    printed = capsys.readouterr().out
    assert "train attributions: 16; in one paragraph 100.0%" in printed
    assert "gold labels, decoded (held-out part): content F1 1.000" in printed
