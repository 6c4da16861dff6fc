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
of :mod:`~claimx.tagging.encoder` (the ``[encoder]`` extra: onnxruntime and
tokenizers). The CRF stays the default: recorded pipelines depend on its
spans, which are pinned; the encoder's come from float scores.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import numpy as np

from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.candidates import candidates
from claimx.tagging.decode import decode
from claimx.tagging.features import paragraph_features
from claimx.tagging.labels import OUTSIDE
from claimx.tagging.model import Model, load_model
from claimx.tagging.tokens import tokenize
from claimx.tagging.viterbi import near_attribution
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


def _run(text: str, model: Model, slack: int | None) -> tuple[list[TaggedAttribution], list[Span]]:
    """Attributions, and (with ``slack``) the tokens that came within it of one."""
    found: list[TaggedAttribution] = []
    near: list[Span] = []
    for paragraph in tokenize(text):
        scores = model.scores(paragraph_features(paragraph, model.lexicon))
        found.extend(decode(paragraph, model.best(scores), model.cue_margins(scores)))
        if slack is not None:
            close = near_attribution(
                scores, model.transitions.astype(np.int64), model.labels.index(OUTSIDE), slack
            )
            near.extend(tok.span for tok, c in zip(paragraph.tokens, close, strict=True) if c)
    found.sort(key=lambda a: (a.span.start, a.span.end, a.cue.start))
    return found, near


Family = Literal["crf", "encoder"]


def tag(
    text: str, model: Model | None = None, *, family: Family = "crf"
) -> list[TaggedAttribution]:
    """The attributions of ``text``, in the order of their content (module doc).

    ``model`` defaults to the shipped weights (:func:`default_model`).
    ``family="encoder"`` tags with the shipped encoder instead (module doc;
    ``model`` must then be None).
    """
    if family == "encoder":
        if model is not None:
            raise ValueError("model is a linear model; the encoder has its own weights")
        # Imported here: the linear path must not need the [encoder] extra.
        from claimx.tagging.encoder import default_encoder

        return default_encoder().tag(text)
    return _run(text, model or default_model(), None)[0]


def stage_one(
    text: str,
    model: Model | None = None,
    *,
    slack: float = STAGE_ONE_SLACK,
    context: int = STAGE_ONE_CONTEXT,
) -> list[Span]:
    """The candidate spans of ``text`` a pipeline asks a model about (module doc)."""
    model = model or default_model()
    found, near = _run(text, model, round(slack * model.scale))
    return candidates(text, found, context=context, near=near)
