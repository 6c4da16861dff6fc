"""The runtime: an article in, its tagged attributions out (numpy only; no torch, no GPU).

:func:`tag` cuts the article into paragraphs of tokens
(:mod:`~claimx.tagging.tokens`), computes each token's features
(:mod:`~claimx.tagging.features`), labels each paragraph with the shipped
weights by integer Viterbi (:mod:`~claimx.tagging.model`,
:mod:`~claimx.tagging.viterbi`) and groups the labelled spans into
attributions (:mod:`~claimx.tagging.decode`). Everything after the feature
strings is integer arithmetic, so the same text gives the same spans on any
CPU. The weights are read once per process.

:func:`stage_one` gives the sentences a pipeline should ask a model about:
those holding a tagged attribution, and those where the model *nearly*
tagged one (the best labelling that puts some token of the sentence in an
attribution scores within :data:`STAGE_ONE_SLACK` of the best labelling of
all: :func:`~claimx.tagging.viterbi.max_marginals`), widened by
:data:`STAGE_ONE_CONTEXT` sentences (:func:`~claimx.tagging.candidates.candidates`).
Both numbers were chosen on a held-out part of PolNeAR *train* (MODEL_CARD.md).

``tag(text, family="encoder")`` uses family 3 instead, the fine-tuned MiniLM
of :mod:`~claimx.tagging.onnx_tagger` (the ``[encoder]`` extra: onnxruntime and
tokenizers). The CRF stays the default: recorded pipelines depend on its
spans, which are pinned; the encoder's come from float scores.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.candidates import candidates
from claimx.tagging.decode import decode
from claimx.tagging.model import Model, load_model
from claimx.tagging.onnx_tagger import OnnxFamily, shipped_tagger
from claimx.tagging.tokens import Paragraph, tokenize
from claimx.tagging.viterbi import IntArray
from claimx.text.spans import Span

__all__ = ["STAGE_ONE_CONTEXT", "STAGE_ONE_SLACK", "WEIGHTS", "default_model", "stage_one", "tag"]

WEIGHTS = "crf.bin.gz"
"""The shipped weights, in ``claimx/tagging/data/`` (MODEL_CARD.md says what they are)."""

STAGE_ONE_SLACK = 2.0
"""How far (in float weight units) a labelling with an attribution may fall short of the best."""

STAGE_ONE_CONTEXT = 1
"""Sentences added on each side of a candidate run (within its paragraph)."""


@cache
def default_model() -> Model:
    """The shipped weights, loaded once per process."""
    data = resources.files("claimx.tagging").joinpath("data", WEIGHTS).read_bytes()
    return load_model(data)


class Labeller(Protocol):
    """What the labelling loop asks of a family (the CRF's :class:`Model`, the encoder's
    :class:`~claimx.tagging.onnx_tagger.OnnxTagger`), all in integers: ``scale`` per nat."""

    @property
    def scale(self) -> int: ...
    def paragraph_scores(self, text: str, paragraph: Paragraph) -> IntArray: ...
    def best(self, scores: IntArray) -> list[str]: ...
    def cue_margins(self, scores: IntArray) -> list[int]: ...
    def near(self, scores: IntArray, slack: int) -> npt.NDArray[np.bool_]: ...


def label_text(
    text: str, labeller: Labeller, slack: int | None = None
) -> tuple[list[TaggedAttribution], list[Span]]:
    """Attributions of ``text``, in the order of their content, and (with ``slack``, in
    the labeller's units) the tokens that came within it of one."""
    found: list[TaggedAttribution] = []
    near: list[Span] = []
    for paragraph in tokenize(text):
        scores = labeller.paragraph_scores(text, paragraph)
        found.extend(decode(paragraph, labeller.best(scores), labeller.cue_margins(scores)))
        if slack is not None:
            close = labeller.near(scores, slack)
            near.extend(tok.span for tok, c in zip(paragraph.tokens, close, strict=True) if c)
    found.sort(key=lambda a: (a.span.start, a.span.end, a.cue.start))
    return found, near


Family = Literal["crf"] | OnnxFamily
"""Every tagger family: the CRF (numpy only) and the ONNX ones (the ``[encoder]`` extra)."""


def tag(
    text: str, model: Model | None = None, *, family: Family = "crf"
) -> list[TaggedAttribution]:
    """The attributions of ``text``, in the order of their content (module doc).

    ``model`` defaults to the shipped weights (:func:`default_model`).
    ``family="encoder"`` or ``"bilstm"`` tags with that shipped ONNX family instead
    (module doc; ``model`` must then be None).
    """
    if family != "crf":
        if model is not None:
            raise ValueError(f"model is a linear model; the {family} has its own weights")
        return shipped_tagger(family).tag(text)  # says what to install without the extra
    return label_text(text, model or default_model())[0]


def stage_one(
    text: str,
    model: Labeller | None = None,
    *,
    slack: float = STAGE_ONE_SLACK,
    context: int = STAGE_ONE_CONTEXT,
) -> list[Span]:
    """The candidate spans of ``text`` a pipeline asks a model about (module doc);
    ``model``: the CRF's weights (default: the shipped ones) or an encoder."""
    model = model or default_model()
    found, near = label_text(text, model, round(slack * model.scale))
    return candidates(text, found, context=context, near=near)
