"""A learned reader of an article's position toward a claim: MiniLM as a cross-encoder.

The ``[encoder]`` extra's runtime (numpy, ``onnxruntime``, ``tokenizers``; never
torch), the same as the encoder tagger's (:mod:`claimx.tagging.onnx_tagger`), and
its vocabulary: one ``tokenizer.json`` serves both. What it reads about one
claim and one article (:func:`pair_ids`):

* ``[CLS] claim [SEP] passage [SEP]``, 256 wordpieces at most, the claim cut at
  :data:`CLAIM_PIECES`;
* the passage is the sentences a targeted request would show
  (:func:`claimx.targeted.passages.sentences_by_priority`, default
  :class:`~claimx.targeted.passages.PassageParams`) **in the order they were
  chosen**: the sentences that cover most of the claim, then the lead, then
  their neighbours, so cutting at 256 pieces drops the least telling ones.

It answers the four article positions (:data:`~claimx.models.ARTICLE_STANCES`)
for the pairs the screen lets through: the screen still decides the clearly
unrelated ones with no model (:mod:`claimx.targeted.screen`). Trained on FNC-1's
tune part with the report sample's claims left out
(:mod:`claimx.targeted.encoder_train`; figures in ``data/MODEL_CARD.md``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimx.models import ARTICLE_STANCES, ArticleStance
from claimx.tagging.onnx_tagger import TOKENIZER_FILE, load_tokenizer, onnx_session, require_encoder
from claimx.targeted.lexical import ArticleView, Idf
from claimx.targeted.passages import PassageParams, sentences_by_priority

__all__ = [
    "CLAIM_PIECES",
    "MAX_PIECES",
    "MODEL_FILE",
    "StanceEncoder",
    "default_stance_encoder",
    "pair_ids",
    "passage_text",
    "shipped_meta",
]

MAX_PIECES = 256
"""Wordpieces of one pair, ``[CLS]`` and both ``[SEP]`` included."""
CLAIM_PIECES = 48
"""Longest claim kept (a headline is some 15 pieces)."""

MODEL_FILE = "stance.int8.onnx"
META_FILE = "stance.meta.json"
"""The shipped files in ``claimx/targeted/data/`` (the tokenizer is the tagger's)."""


def passage_text(claim: str, article: ArticleView, idf: Idf) -> str:
    """The chosen sentences, best first, on one line each (module doc)."""
    chosen = sentences_by_priority(claim, article, idf, PassageParams())
    return "\n".join(
        " ".join(article.sentences[i].span.slice(article.text).split()) for i in chosen
    )


def pair_ids(tokenizer: Any, claim: str, passage: str) -> tuple[list[int], list[int]]:
    """Wordpiece ids and token types of ``[CLS] claim [SEP] passage [SEP]`` (module doc)."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    first = tokenizer.encode(claim, add_special_tokens=False).ids[:CLAIM_PIECES]
    room = MAX_PIECES - 3 - len(first)
    second = tokenizer.encode(passage, add_special_tokens=False).ids[:room]
    ids = [cls, *first, sep, *second, sep]
    types = [0] * (len(first) + 2) + [1] * (len(second) + 1)
    return ids, types


def _softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    x = logits.astype(np.float64)
    x = np.exp(x - x.max(axis=-1, keepdims=True))
    out: npt.NDArray[np.float64] = x / x.sum(axis=-1, keepdims=True)
    return out


class StanceEncoder:
    """ONNX weights of the cross-encoder and the tokenizer (module doc)."""

    classes: tuple[ArticleStance, ...] = ARTICLE_STANCES

    def __init__(self, model: Path | str | bytes, tokenizer: Path | str, threads: int = 1) -> None:
        self.session = onnx_session(model, threads)
        self.tokenizer = load_tokenizer(tokenizer)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """``[len(pairs), 4]`` class probabilities of ``(claim, passage)`` pairs."""
        out = np.zeros((len(pairs), len(self.classes)))
        for row, (claim, passage) in enumerate(pairs):
            ids, types = pair_ids(self.tokenizer, claim, passage)
            batch = np.array([ids], dtype=np.int64)
            (logits,) = self.session.run(
                ["logits"],
                {
                    "input_ids": batch,
                    "attention_mask": np.ones_like(batch),
                    "token_type_ids": np.array([types], dtype=np.int64),
                },
            )
            out[row] = _softmax(np.asarray(logits[0], dtype=np.float32))
        return out

    def predict(self, claim: str, article: ArticleView, idf: Idf) -> ArticleStance:
        """The most probable position of ``article`` toward ``claim``."""
        probabilities = self.probabilities([(claim, passage_text(claim, article, idf))])[0]
        return self.classes[int(probabilities.argmax())]


@cache
def default_stance_encoder() -> StanceEncoder:
    """The shipped cross-encoder (``[encoder]`` extra), loaded once per process."""
    require_encoder()
    data = resources.files("claimx.targeted").joinpath("data")
    model = data.joinpath(MODEL_FILE).read_bytes()
    with resources.as_file(
        resources.files("claimx.tagging").joinpath("data", TOKENIZER_FILE)
    ) as tokenizer:
        return StanceEncoder(model, tokenizer)


def shipped_meta() -> dict[str, Any]:
    """What trained the shipped cross-encoder (pairs, steps, parameters, CPU seconds)."""
    data = resources.files("claimx.targeted").joinpath("data", META_FILE)
    loaded: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))
    return loaded
