"""The ONNX tagger families over MiniLM's wordpieces, run by onnxruntime.

Family 3 (``encoder``) is MiniLM fine-tuned for token classification
(:mod:`claimx.tagging.encoder_train`); family 4 (``bilstm``) a two-layer
BiLSTM over MiniLM's frozen wordpiece vectors and each piece's written
:func:`shape` (:mod:`claimx.tagging.bilstm_train`), a fifth of the encoder's
CPU. One runtime serves both: the graph's inputs say whether it reads shapes.

The runtime needs numpy, ``onnxruntime`` and ``tokenizers`` (the ``[encoder]``
extra), never torch. It labels the same tokens with the same BIO scheme as the
CRF (:mod:`~claimx.tagging.tokens`, :mod:`~claimx.tagging.labels`) and hands
them to the same decoder (:func:`~claimx.tagging.decode.decode`), so its
attributions are :class:`~claimx.tagging.attribution.TaggedAttribution` too:

1. each paragraph is cut into wordpieces (the model's own ``tokenizer.json``,
   with character offsets); a project token is represented by its **head**,
   the first wordpiece that starts inside it (:func:`align`): the models were
   trained to label heads only (:func:`claimx.tagging.encoder_train.windows_of`);
2. a paragraph longer than :data:`MAX_PIECES` wordpieces is read in windows
   overlapping by :data:`OVERLAP`; a head's scores come from the window in
   which it lies farthest from an edge (most context on both sides);
3. the heads' log-probabilities are rounded to fixed point
   (:data:`SCALE` per nat) and decoded by the CRF's integer Viterbi
   (:func:`~claimx.tagging.viterbi.viterbi`) with the BIO constraint as the
   only transition scores (``I-X`` only after ``B-X`` or ``I-X``); the cue
   margins for orphan contents are the same fixed-point numbers.

Unlike the CRF, the scores are floats from onnxruntime before rounding, so a
label whose margin is a rounding unit or two may differ across CPUs and
onnxruntime builds: the CRF's spans are pinned bit for bit; the encoder's on the
five articles (``extract@v12``'s stage one, which its recorded requests hold) are
checked to survive noise a hundred times larger than float rounding
(``tests/tagging/test_onnx_tagger.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from claimx.errors import ConfigError
from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.labels import LABELS, OUTSIDE
from claimx.tagging.tokens import Paragraph
from claimx.tagging.viterbi import IntArray, near_attribution, viterbi

__all__ = [
    "MAX_PIECES",
    "OVERLAP",
    "SCALE",
    "SHAPES",
    "Alignment",
    "OnnxFamily",
    "OnnxTagger",
    "align",
    "bio_transitions",
    "load_tokenizer",
    "meta_file",
    "model_file",
    "onnx_session",
    "require_encoder",
    "shape",
    "shipped_meta",
    "shipped_tagger",
]

MAX_PIECES = 254
"""Wordpieces per window, not counting ``[CLS]`` and ``[SEP]`` (256 in all)."""

OVERLAP = 64
"""Wordpieces shared by two consecutive windows of a long paragraph."""

SCALE = 1000
"""Fixed-point units per nat of log-probability (module doc, step 3)."""

OnnxFamily = Literal["encoder", "bilstm"]
"""The families this runtime runs: ONNX graphs over MiniLM's wordpieces."""

TOKENIZER_FILE = "encoder.tokenizer.json"
"""MiniLM's wordpieces in ``claimx/tagging/data/``, which both families read."""


def model_file(family: OnnxFamily) -> str:
    """The shipped int8 graph of ``family`` in ``claimx/tagging/data/`` (MODEL_CARD.md)."""
    return f"{family}.int8.onnx"


def meta_file(family: OnnxFamily) -> str:
    """What trained the shipped ``family`` (the ``meta.json`` of its run)."""
    return f"{family}.meta.json"


_FORBIDDEN = -(10**9)


@dataclass(frozen=True)
class Alignment:
    """One paragraph's wordpieces and which of them stand for its tokens."""

    ids: list[int]
    """Wordpiece ids of the paragraph, no special tokens."""
    heads: list[int]
    """For each project token, the index in ``ids`` of the wordpiece that represents it."""
    windows: list[tuple[int, int]]
    """``[start, end)`` ranges of ``ids`` read together (module doc, step 2)."""
    pieces: list[tuple[int, int]]
    """Each wordpiece's ``[start, end)`` characters in the article."""

    def shapes(self, text: str) -> list[int]:
        """Each wordpiece's :func:`shape` in ``text`` (the uncased ids lose it): computed
        only for a graph that reads it."""
        return [shape(text[start:end]) for start, end in self.pieces]


SHAPES = 6
"""Shape ids: 0 a special piece or padding, then :func:`shape`'s five."""


def shape(piece: str) -> int:
    """The written shape of a wordpiece's characters: 1 lower case, 2 capitalised, 3 all
    capitals, 4 a digit first, 5 anything else. The vocabulary is uncased, and a name
    ("Trump", "NATO") is much of what tells a source from the words around it.

    Not the CRF's word shape (:func:`claimx.tagging.features.shape`, strings with
    mixed case and each punctuation mark apart): these are a few ids for an
    embedding, read on pieces, and the shipped BiLSTM was trained on exactly them."""
    first = piece[:1]
    if first.isdigit():
        return 4
    if not first.isalpha():
        return 5
    if first.islower():
        return 1
    return 3 if len(piece) > 1 and piece.isupper() else 2


def load_tokenizer(path: Path | str) -> Any:
    """A ``tokenizers.Tokenizer`` from ``tokenizer.json``, with no truncation or padding
    (a sentence-transformers file may cut at 128 pieces; windows are cut here instead)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def onnx_session(model: Path | str | bytes, threads: int = 1) -> Any:
    """An onnxruntime session of ``model`` (a path or the file's bytes) on the CPU, with
    ``threads`` intra-op threads (one by default: its CPU cost compares with the CRF's)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(
        model if isinstance(model, bytes) else str(model),
        sess_options=options,
        providers=["CPUExecutionProvider"],
    )


def windows(n: int, size: int = MAX_PIECES, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """``[start, end)`` windows of at most ``size`` covering ``range(n)``, consecutive ones
    sharing ``overlap`` (a single window, empty when ``n == 0``)."""
    if n <= size:
        return [(0, n)]
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + size, n)
        out.append((start, end))
        if end == n:
            return out
        start = end - overlap


def align(text: str, paragraph: Paragraph, tokenizer: Any) -> Alignment:
    """The wordpieces of ``paragraph`` and the head of each of its tokens (module doc).

    A token with no wordpiece starting inside it (the normaliser dropped its
    characters, or a piece began in an earlier token: "€5" read as one
    unknown piece) is represented by the piece that overlaps it, else by the
    previous token's head, so every token gets scores.
    """
    offset = paragraph.span.start
    encoding = tokenizer.encode(text[offset : paragraph.span.end], add_special_tokens=False)
    ids = list(encoding.ids)
    starts = [s + offset for s, _ in encoding.offsets]
    ends = [e + offset for _, e in encoding.offsets]
    heads: list[int] = []
    piece = 0
    for tok in paragraph.tokens:
        # Pieces come in text order: skip those that end before this token.
        while piece < len(ids) and ends[piece] <= tok.span.start:
            piece += 1
        if piece < len(ids) and starts[piece] < tok.span.end and ends[piece] > tok.span.start:
            heads.append(piece)
        elif heads:
            heads.append(heads[-1])
        else:
            heads.append(min(piece, max(0, len(ids) - 1)))
    return Alignment(ids, heads, windows(len(ids)), list(zip(starts, ends, strict=True)))


def bio_transitions(labels: Sequence[str] = LABELS) -> IntArray:
    """Transition scores that allow every well-formed BIO step and forbid ``X -> I-Y``
    unless ``X`` is ``B-Y`` or ``I-Y``."""
    n = len(labels)
    out = np.zeros((n, n), dtype=np.int64)
    for j, label in enumerate(labels):
        if label.startswith("I-"):
            for i, previous in enumerate(labels):
                if previous[2:] != label[2:]:
                    out[i, j] = _FORBIDDEN
    return out


def _log_softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    x: npt.NDArray[np.float64] = logits.astype(np.float64)
    x = x - x.max(axis=-1, keepdims=True)
    out: npt.NDArray[np.float64] = x - np.log(np.exp(x).sum(axis=-1, keepdims=True))
    return out


class OnnxTagger:
    """The runtime of the wordpiece families: ONNX weights and their tokenizer (module doc).

    ``family``: ``encoder`` (family 3) or ``bilstm`` (family 4, which also reads each
    piece's :func:`shape`); the graph's inputs say which, the name is for reports.
    ``threads`` is onnxruntime's intra-op thread count: 1 by default, so its
    CPU cost compares with the CRF's (which is one thread).
    """

    scale = SCALE

    def __init__(
        self,
        model: Path | str | bytes,
        tokenizer: Path | str,
        threads: int = 1,
        family: OnnxFamily = "encoder",
    ) -> None:
        self.family = family
        self.session = onnx_session(model, threads)
        self.reads_shapes = any(i.name == "shape_ids" for i in self.session.get_inputs())
        self.tokenizer = load_tokenizer(tokenizer)
        self.cls = int(self.tokenizer.token_to_id("[CLS]"))
        self.sep = int(self.tokenizer.token_to_id("[SEP]"))
        self.labels = LABELS
        self.transitions = bio_transitions(LABELS)
        self._first = np.array(
            [_FORBIDDEN if label.startswith("I-") else 0 for label in LABELS], dtype=np.int64
        )
        self._cue = LABELS.index("B-CUE")

    def logits(
        self, ids: Sequence[int], shapes: Sequence[int] | None = None
    ) -> npt.NDArray[np.float32]:
        """``[len(ids), labels]`` logits of one window (``[CLS]`` and ``[SEP]`` added);
        ``shapes``: the pieces' shapes, which a graph that reads them needs."""
        row = np.array([[self.cls, *ids, self.sep]], dtype=np.int64)
        feed = {"input_ids": row, "attention_mask": np.ones_like(row)}
        if self.reads_shapes:
            if shapes is None:
                raise ValueError(f"the {self.family} graph reads the pieces' shapes: pass them")
            feed["shape_ids"] = np.array([[0, *shapes, 0]], dtype=np.int64)
        (out,) = self.session.run(["logits"], feed)
        return np.asarray(out[0, 1:-1], dtype=np.float32)

    def paragraph_scores(self, text: str, paragraph: Paragraph) -> IntArray:
        """``[tokens, labels]`` fixed-point log-probabilities of the paragraph's tokens."""
        alignment = align(text, paragraph, self.tokenizer)
        n = len(alignment.ids)
        if n == 0:  # nothing the tokenizer keeps: every token outside
            out = np.full((len(paragraph.tokens), len(LABELS)), -SCALE * 10, dtype=np.int64)
            out[:, LABELS.index(OUTSIDE)] = 0
            return out
        pieces = np.zeros((n, len(LABELS)), dtype=np.float64)
        reach = np.full(n, -1)
        shapes = alignment.shapes(text) if self.reads_shapes else None
        for start, end in alignment.windows:
            window = None if shapes is None else shapes[start:end]
            logp = _log_softmax(self.logits(alignment.ids[start:end], window))
            position = np.arange(start, end)
            room = np.minimum(position - start, end - 1 - position)
            better = room > reach[start:end]
            pieces[start:end][better] = logp[better]
            reach[start:end] = np.maximum(reach[start:end], room)
        return np.rint(pieces[alignment.heads] * SCALE).astype(np.int64)

    def _first_constrained(self, scores: IntArray) -> IntArray:
        """``scores`` with ``I-*`` forbidden on the first token (a paragraph opens no inside)."""
        start = scores.copy()
        start[0] += self._first
        return start

    def best(self, scores: IntArray) -> list[str]:
        """The best well-formed label sequence (BIO-constrained integer Viterbi)."""
        if len(scores) == 0:
            return []
        return [self.labels[i] for i in viterbi(self._first_constrained(scores), self.transitions)]

    def cue_margins(self, scores: IntArray) -> list[int]:
        """Each token's ``B-CUE`` score less its best one (<= 0), as the decoder reads it."""
        return [int(x) for x in scores[:, self._cue] - scores.max(axis=1)]

    def near(self, scores: IntArray, slack: int) -> npt.NDArray[np.bool_]:
        """Per token: whether a well-formed labelling putting it in an attribution comes
        within ``slack`` of the best."""
        start = self._first_constrained(scores)
        return near_attribution(start, self.transitions, LABELS.index(OUTSIDE), slack)

    def tag(self, text: str) -> list[TaggedAttribution]:
        """The attributions of ``text``, in the order of their content (as :func:`tag`),
        by :func:`~claimx.tagging.tagger.label_text`, the loop the CRF runs too (its
        stage one: :func:`~claimx.tagging.tagger.stage_one` with this encoder)."""
        from claimx.tagging.tagger import label_text  # here: tagger imports this module

        return label_text(text, self)[0]


def require_encoder() -> None:
    """Say how to install the ``[encoder]`` extra when its packages are missing."""
    import importlib.util

    missing = [m for m in ("onnxruntime", "tokenizers") if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigError(
            f"the encoder models (tagger, stance reader) need {' and '.join(missing)}:"
            " pip install 'claimx[encoder]'"
            " (in a checkout: pip install -e '.[encoder]')"
        )


@cache
def shipped_tagger(family: OnnxFamily = "encoder") -> OnnxTagger:
    """The shipped ``family`` (``[encoder]`` extra), loaded once per process."""
    require_encoder()
    data = resources.files("claimx.tagging").joinpath("data")
    model = data.joinpath(model_file(family)).read_bytes()
    with resources.as_file(data.joinpath(TOKENIZER_FILE)) as tokenizer:
        return OnnxTagger(model, tokenizer, family=family)


def shipped_meta(family: OnnxFamily = "encoder") -> dict[str, Any]:
    """What trained the shipped ``family`` (corpus, split, steps, parameters, CPU seconds)."""
    data = resources.files("claimx.tagging").joinpath("data", meta_file(family))
    loaded: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))
    return loaded
