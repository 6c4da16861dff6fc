"""Family 2, an averaged structured perceptron: integers from the start (training code only).

Collins' perceptron over the same features, labels and decoder as the CRF:
for each paragraph, decode with the current weights
(:func:`~claimx.tagging.viterbi.viterbi`) and, where the best sequence is
wrong, add one to the weights of the gold labels' features and transitions
and take one from the predicted ones'. The **averaged** weights (the mean
over every step, which generalises far better than the last) are kept in
integers: after ``c`` steps they are ``(c * W - U) / c``, where ``U`` adds up
each update times the step it was made at, and dividing every weight by the
same ``c`` changes no decision, so ``c * W - U`` is stored as is (shifted
right only if it outgrows ``int32``). No float is ever involved, so training
too gives the same bits on any machine. The paragraph order of each epoch
is shuffled by a seeded generator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from claimx.tagging.labels import LABELS
from claimx.tagging.lexicon import CueLexicon
from claimx.tagging.model import Model
from claimx.tagging.viterbi import viterbi

__all__ = ["PerceptronParams", "train_perceptron"]


@dataclass(frozen=True)
class PerceptronParams:
    """Training parameters (chosen on train: MODEL_CARD.md)."""

    epochs: int = 12
    min_freq: int = 2
    seed: int = 0


def train_perceptron(
    data: Sequence[tuple[list[list[str]], list[str]]],
    lexicon: CueLexicon,
    params: PerceptronParams = PerceptronParams(),
    meta: dict[str, Any] | None = None,
) -> Model:
    """An averaged perceptron trained on ``(features, labels)`` sequences (module doc)."""
    counts = Counter(f for features, _ in data for token in features for f in token)
    names = sorted(f for f, n in counts.items() if n >= params.min_freq)
    index = {name: i for i, name in enumerate(names)}
    label_index = {label: i for i, label in enumerate(LABELS)}
    n_labels = len(LABELS)
    pad = len(names)  # a zero row, as in the model file: never updated

    # Each sequence once as arrays: the rows of every token's features, and where they start.
    prepared = []
    for features, labels in data:
        row_list: list[int] = []
        start_list: list[int] = []
        for token in features:
            start_list.append(len(row_list))
            row_list.append(pad)
            row_list.extend(index[f] for f in token if f in index)
        prepared.append(
            (
                np.array(row_list, dtype=np.intp),
                np.array(start_list, dtype=np.intp),
                np.array([label_index[y] for y in labels], dtype=np.int64),
            )
        )

    weights = np.zeros((pad + 1, n_labels), dtype=np.int64)
    summed = np.zeros_like(weights)  # U: each update times its step
    trans = np.zeros((n_labels, n_labels), dtype=np.int64)
    trans_summed = np.zeros_like(trans)
    rng = np.random.default_rng(params.seed)
    step = 1
    for _ in range(params.epochs):
        for k in rng.permutation(len(prepared)):
            flat, starts, gold = prepared[int(k)]
            scores = np.add.reduceat(weights[flat], starts, axis=0)
            guess = np.array(viterbi(scores, trans), dtype=np.int64)
            if not np.array_equal(guess, gold):
                ends = np.append(starts[1:], len(flat))
                for t in np.flatnonzero(guess != gold):
                    token_rows = flat[starts[t] + 1 : ends[t]]  # not the pad row
                    for label, delta in ((gold[t], 1), (guess[t], -1)):
                        weights[token_rows, label] += delta
                        summed[token_rows, label] += delta * step
                for path, delta in ((gold, 1), (guess, -1)):
                    for a, b in zip(path[:-1], path[1:], strict=True):
                        trans[a, b] += delta
                        trans_summed[a, b] += delta * step
            step += 1
    averaged = step * weights - summed
    averaged_trans = step * trans - trans_summed
    # Fit int32 by one shift of every weight alike (integer arithmetic, so still exact).
    top = int(max(np.abs(averaged).max(initial=0), np.abs(averaged_trans).max(initial=0)))
    shift = max(0, top.bit_length() - 30)
    averaged >>= shift
    averaged_trans >>= shift
    keep = [i for i in range(pad) if averaged[i].any()]
    emissions = np.vstack([averaged[keep], np.zeros((1, n_labels), dtype=np.int64)])
    return Model(
        labels=LABELS,
        features={names[i]: row for row, i in enumerate(keep)},
        emissions=emissions.astype(np.int32),
        transitions=averaged_trans.astype(np.int32),
        lexicon=lexicon,
        family="perceptron",
        # The stored weights are the average weights times the step count: that is their scale.
        scale=max(1, step >> shift),
        meta={"family": "perceptron", "params": asdict(params), "shift": shift, **(meta or {})},
    )
