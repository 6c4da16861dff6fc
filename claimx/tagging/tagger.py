"""The runtime: an article in, its tagged attributions out (numpy only; no torch, no GPU).

:func:`tag` cuts the article into paragraphs of tokens
(:mod:`~claimx.tagging.tokens`), computes each token's features
(:mod:`~claimx.tagging.features`), labels each paragraph with the shipped
weights by integer Viterbi (:mod:`~claimx.tagging.model`,
:mod:`~claimx.tagging.viterbi`) and groups the labelled spans into
attributions (:mod:`~claimx.tagging.decode`). Everything after the feature
strings is integer arithmetic, so the same text gives the same spans on any
CPU. The weights are read once per process.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.decode import decode
from claimx.tagging.features import paragraph_features
from claimx.tagging.model import Model, load_model
from claimx.tagging.tokens import tokenize

__all__ = ["WEIGHTS", "default_model", "tag"]

WEIGHTS = "crf.bin.gz"
"""The shipped weights, in ``claimx/tagging/data/`` (MODEL_CARD.md says what they are)."""


@cache
def default_model() -> Model:
    """The shipped weights, loaded once per process."""
    data = resources.files("claimx.tagging").joinpath("data", WEIGHTS).read_bytes()
    return load_model(data)


def tag(text: str, model: Model | None = None) -> list[TaggedAttribution]:
    """The attributions of ``text``, in the order of their content (module doc).

    ``model`` defaults to the shipped weights (:func:`default_model`).
    """
    model = model or default_model()
    found: list[TaggedAttribution] = []
    for paragraph in tokenize(text):
        scores = model.scores(paragraph_features(paragraph, model.lexicon))
        found.extend(decode(paragraph, model.best(scores), model.cue_margins(scores)))
    return sorted(found, key=lambda a: (a.span.start, a.span.end, a.cue.start))
