"""Fixed-point weights: quantising, the file, and scoring a token's features."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from claimx.errors import ClaimxError
from claimx.tagging.labels import LABELS
from claimx.tagging.lexicon import CueLexicon
from claimx.tagging.model import SCALE, Model, load_model, quantise, save_model

LEXICON = CueLexicon({"said": "hi", "according to": "mid"})


def _model() -> Model:
    state = {
        ("w=said", "B-CUE"): 2.5,
        ("w=said", "O"): -0.75,
        ("w=he", "B-SRC"): 1.0,
        ("w=tiny", "O"): 1e-9,  # rounds to zero: dropped
    }
    transitions = {("B-SRC", "B-CUE"): 0.5, ("O", "I-CON"): -3.0}
    return quantise(LABELS, state, transitions, lexicon=LEXICON, family="crf", meta={"seed": 0})


def test_quantise_rounds_to_fixed_point_and_drops_zero_features() -> None:
    model = _model()
    assert sorted(model.features) == ["w=he", "w=said"]
    said = model.emissions[model.features["w=said"]]
    assert said[LABELS.index("B-CUE")] == int(2.5 * SCALE)
    assert said[LABELS.index("O")] == int(-0.75 * SCALE)
    assert not model.emissions[-1].any()  # the pad row
    assert model.transitions[LABELS.index("O"), LABELS.index("I-CON")] == -3 * SCALE


def test_scores_add_the_known_features_of_each_token() -> None:
    model = _model()
    scores = model.scores([["w=he", "unknown"], ["w=said"], []])
    assert scores.dtype == np.int64
    assert scores[0, LABELS.index("B-SRC")] == SCALE
    assert scores[1, LABELS.index("B-CUE")] == int(2.5 * SCALE)
    assert not scores[2].any()
    assert model.tag([["w=he"], ["w=said"]]) == ["B-SRC", "B-CUE"]


def test_file_round_trip_is_exact_and_the_same_model_gives_the_same_bytes(tmp_path: Path) -> None:
    model = _model()
    first = save_model(model, tmp_path / "a.bin.gz")
    second = save_model(model, tmp_path / "b.bin.gz")
    assert first == second
    assert (tmp_path / "a.bin.gz").read_bytes() == (tmp_path / "b.bin.gz").read_bytes()
    back = load_model(tmp_path / "a.bin.gz")
    assert back.features == model.features
    assert np.array_equal(back.emissions, model.emissions)
    assert np.array_equal(back.transitions, model.transitions)
    assert back.lexicon == LEXICON
    assert (back.labels, back.family, back.scale, back.meta) == (
        model.labels,
        "crf",
        SCALE,
        {"seed": 0},
    )


def test_a_model_without_features_round_trips(tmp_path: Path) -> None:
    empty = quantise(LABELS, {}, {}, lexicon=CueLexicon({}), family="crf")
    save_model(empty, tmp_path / "e.bin.gz")
    assert load_model(tmp_path / "e.bin.gz").features == {}


def test_a_file_that_is_not_weights_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ClaimxError, match="not a tagger weights file"):
        load_model(bad)
    bad.write_bytes(gzip.compress(b"something else\n"))
    with pytest.raises(ClaimxError, match="bad magic"):
        load_model(bad)


def test_weights_for_other_features_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.bin.gz"
    save_model(_model(), path)
    raw = gzip.decompress(path.read_bytes()).replace(
        b'"feature_version": ', b'"feature_version": 9', 1
    )
    path.write_bytes(gzip.compress(raw))
    with pytest.raises(ClaimxError, match="retrain"):
        load_model(path)
