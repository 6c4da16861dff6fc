"""The tagger's weights: a linear-chain model in fixed point, and its file.

A model scores label ``y`` at a token by the sum of ``emissions[f, y]`` over
the token's features ``f`` (:mod:`claimx.tagging.features`) and a label pair
by ``transitions[x, y]``; :mod:`claimx.tagging.viterbi` finds the best
sequence. Both matrices are **integers** (``int32``): a float weight ``w`` is
stored as ``round(w * scale)``, so decoding is integer arithmetic, exact and
the same on every CPU (a recorded eval replays identically anywhere). With
``scale`` = 4096 the rounding moves no weight by more than 1/8192, far below
what the training regularisation can tell apart.

**The file** (``claimx/tagging/data/*.bin.gz``) is gzip (no timestamp, so
the same weights make the same bytes) of: a magic line; one line of JSON
(labels, feature version, scale, family, the cue lexicon, training facts);
the feature names, UTF-8, one a line; the emission matrix then the
transition matrix, ``int32`` little-endian (explicitly, so a big-endian
machine reads the same numbers).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimx.errors import ClaimxError
from claimx.tagging.features import FEATURE_VERSION, paragraph_features
from claimx.tagging.labels import OUTSIDE
from claimx.tagging.lexicon import CueLexicon
from claimx.tagging.tokens import Paragraph
from claimx.tagging.viterbi import IntArray, near_attribution, viterbi

__all__ = ["SCALE", "Model", "load_model", "quantise", "save_model"]

SCALE = 4096
"""Fixed-point scale of float weights (module doc)."""

_MAGIC = b"claimx-tagger 1\n"
_INT = np.dtype("<i4")


@dataclass(frozen=True, eq=False)
class Model:
    """A linear-chain tagger in fixed point (module doc)."""

    labels: tuple[str, ...]
    features: dict[str, int]
    """Feature name -> row of ``emissions``."""
    emissions: npt.NDArray[np.int32]
    """``[features + 1, labels]``; the last row is zeros (a token with no known feature)."""
    transitions: npt.NDArray[np.int32]
    lexicon: CueLexicon
    family: str
    scale: int = SCALE
    meta: dict[str, Any] = field(default_factory=dict)
    """What trained it (corpus, split, parameters, seed): written into the model card."""

    def scores(self, token_features: Sequence[Sequence[str]]) -> IntArray:
        """``[tokens, labels]`` emission scores (int64: sums of int32 weights are exact)."""
        pad = len(self.features)
        rows: list[int] = []
        starts: list[int] = []
        get = self.features.get
        for feats in token_features:
            starts.append(len(rows))
            rows.append(pad)  # every token has a row, so reduceat sees no empty group
            rows.extend(r for r in map(get, feats) if r is not None)
        if not starts:
            return np.zeros((0, len(self.labels)), dtype=np.int64)
        gathered = self.emissions[np.array(rows, dtype=np.intp)].astype(np.int64)
        return np.add.reduceat(gathered, np.array(starts, dtype=np.intp), axis=0)

    def paragraph_scores(self, text: str, paragraph: Paragraph) -> IntArray:
        """The emission scores of the paragraph's tokens (``text`` is not read: the
        features hold what the model sees)."""
        return self.scores(paragraph_features(paragraph, self.lexicon))

    def near(self, scores: IntArray, slack: int) -> npt.NDArray[np.bool_]:
        """Per token: whether a labelling putting it in an attribution comes within
        ``slack`` of the best (:func:`~claimx.tagging.viterbi.near_attribution`)."""
        transitions = self.transitions.astype(np.int64)
        return near_attribution(scores, transitions, self.labels.index(OUTSIDE), slack)

    def tag(self, token_features: Sequence[Sequence[str]]) -> list[str]:
        """The best label of each token (:func:`~claimx.tagging.viterbi.viterbi`)."""
        return self.best(self.scores(token_features))

    def best(self, scores: IntArray) -> list[str]:
        """The best label sequence for emission ``scores``."""
        path = viterbi(scores, self.transitions.astype(np.int64))
        return [self.labels[i] for i in path]

    def cue_margins(self, scores: IntArray) -> list[int]:
        """Each token's ``B-CUE`` score less its best score (<= 0): how near it came to a cue."""
        column = scores[:, self.labels.index("B-CUE")]
        return [int(x) for x in column - scores.max(axis=1)]

    @property
    def size(self) -> int:
        """Number of stored weights."""
        return int(self.emissions.size + self.transitions.size)


def quantise(
    labels: Sequence[str],
    state: Mapping[tuple[str, str], float],
    transitions: Mapping[tuple[str, str], float],
    *,
    lexicon: CueLexicon,
    family: str,
    meta: Mapping[str, Any] | None = None,
    scale: int = SCALE,
) -> Model:
    """A fixed-point :class:`Model` from float weights ``(feature, label) -> w``.

    Features whose weights all round to zero are dropped; features are sorted,
    so the same weights give the same model and the same file.
    """
    index = {label: i for i, label in enumerate(labels)}
    rounded: dict[str, dict[int, int]] = {}
    for (feature, label), w in state.items():
        q = int(np.rint(w * scale))
        if q:
            rounded.setdefault(feature, {})[index[label]] = q
    names = sorted(rounded)
    emissions = np.zeros((len(names) + 1, len(labels)), dtype=np.int32)
    for row, name in enumerate(names):
        for col, q in rounded[name].items():
            emissions[row, col] = q
    trans = np.zeros((len(labels), len(labels)), dtype=np.int32)
    for (a, b), w in transitions.items():
        trans[index[a], index[b]] = int(np.rint(w * scale))
    return Model(
        labels=tuple(labels),
        features={name: row for row, name in enumerate(names)},
        emissions=emissions,
        transitions=trans,
        lexicon=lexicon,
        family=family,
        scale=scale,
        meta=dict(meta or {}),
    )


def save_model(model: Model, path: Path) -> str:
    """Write ``model`` to ``path`` (module doc); returns the file's sha256."""
    names = sorted(model.features, key=model.features.__getitem__)
    blob = "\n".join(names).encode("utf-8")  # feature names never hold white space
    header = {
        "labels": list(model.labels),
        "feature_version": FEATURE_VERSION,
        "scale": model.scale,
        "family": model.family,
        "features": len(names),
        "feature_bytes": len(blob),
        "lexicon": model.lexicon.to_lines(),
        "meta": model.meta,
    }
    raw = io.BytesIO()
    raw.write(_MAGIC)
    raw.write(json.dumps(header, sort_keys=True, ensure_ascii=True).encode() + b"\n")
    raw.write(blob)
    raw.write(model.emissions.astype(_INT).tobytes())
    raw.write(model.transitions.astype(_INT).tobytes())
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(packed.getvalue())
    return hashlib.sha256(packed.getvalue()).hexdigest()


def load_model(path: Path | bytes) -> Model:
    """Read a model written by :func:`save_model` (a path, or the file's bytes)."""
    where = str(path) if isinstance(path, Path) else "tagger weights"
    try:
        data = gzip.decompress(path.read_bytes() if isinstance(path, Path) else path)
    except (OSError, EOFError) as exc:
        raise ClaimxError(f"{where}: not a tagger weights file ({exc})") from None
    if not data.startswith(_MAGIC):
        raise ClaimxError(f"{where}: not a tagger weights file (bad magic line)")
    at = len(_MAGIC)
    end = data.index(b"\n", at)
    header = json.loads(data[at:end])
    if header["feature_version"] != FEATURE_VERSION:
        raise ClaimxError(
            f"{where}: weights for features v{header['feature_version']}, this claimx computes"
            f" v{FEATURE_VERSION}: retrain with python -m claimx.tagging.train"
        )
    n, labels = header["features"], header["labels"]
    at = end + 1
    blob = data[at : at + header["feature_bytes"]].decode("utf-8")
    names = blob.split("\n") if n else []
    at += header["feature_bytes"]
    width = len(labels)
    size = (n + 1) * width * _INT.itemsize
    emissions = np.frombuffer(data, dtype=_INT, count=(n + 1) * width, offset=at)
    transitions = np.frombuffer(data, dtype=_INT, count=width * width, offset=at + size)
    return Model(
        labels=tuple(labels),
        features={name: row for row, name in enumerate(names)},
        emissions=emissions.reshape(n + 1, width).astype(np.int32),
        transitions=transitions.reshape(width, width).astype(np.int32),
        lexicon=CueLexicon.from_lines(header["lexicon"]),
        family=header["family"],
        scale=header["scale"],
        meta=header["meta"],
    )
