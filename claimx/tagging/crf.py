"""Family 1, a CRF: trained by CRFsuite (``python-crfsuite``, the ``[train]`` extra), then
exported to the fixed-point :class:`~claimx.tagging.model.Model` (training code only).

CRFsuite's L-BFGS with elastic-net regularisation: the L1 term (``c1``)
zeroes most of the feature weights, which keeps the shipped file small; the
L2 term (``c2``) smooths the rest. The runtime never touches CRFsuite: the
weights are read from its model (``Tagger.info()``), rounded to integers
and decoded by :mod:`claimx.tagging.viterbi`. L-BFGS is deterministic on one
machine (no sampling, no threads), so a retrain gives the same weights there.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimx.tagging.labels import LABELS
from claimx.tagging.lexicon import CueLexicon
from claimx.tagging.model import Model, quantise

__all__ = ["CrfParams", "train_crf"]


@dataclass(frozen=True)
class CrfParams:
    """CRFsuite's training parameters (chosen by cross-validation on train: MODEL_CARD.md)."""

    c1: float = 1.0
    c2: float = 0.001
    max_iterations: int = 150
    min_freq: int = 2


def train_crf(
    data: Iterable[tuple[list[list[str]], list[str]]],
    lexicon: CueLexicon,
    params: CrfParams = CrfParams(),
    meta: dict[str, Any] | None = None,
) -> Model:
    """A CRF trained on ``(features, labels)`` sequences, as a fixed-point model."""
    import pycrfsuite  # the [train] extra; never imported by the runtime

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in data:
        trainer.append(features, labels)
    trainer.set_params(
        {
            "c1": params.c1,
            "c2": params.c2,
            "max_iterations": params.max_iterations,
            "feature.minfreq": params.min_freq,
            # Transitions never seen in train (O -> I-CON) get a weight too: a
            # strongly negative one, which keeps the output well formed.
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        tagger.close()
    return quantise(
        LABELS,
        info.state_features,
        info.transitions,
        lexicon=lexicon,
        family="crf",
        meta={"family": "crf", "params": asdict(params), **(meta or {})},
    )
