"""What decides an article's position when no model does: the lexical classifier or the encoder.

Step 4 of :mod:`claimx.targeted.answer` (and every position with
``use_model=False``) asks a *reader* for the article's position toward the claim:

* ``classifier`` (the default): the logistic regression over topic-free
  features (:mod:`claimx.targeted.classifier`), numpy only;
* ``encoder``: the MiniLM cross-encoder (:mod:`claimx.targeted.stance_encoder`),
  the ``[encoder]`` extra; it reads the claim and the sentences most related
  to it, so it sees what the features count (negations, hedges) in context.

Both answer the four positions and name no sources.
"""

from __future__ import annotations

from typing import Literal, Protocol

from claimx.errors import ConfigError
from claimx.models import ArticleStance
from claimx.targeted.features import pair_features
from claimx.targeted.lexical import ArticleView
from claimx.targeted.shipped import Shipped

__all__ = ["READERS", "Reader", "ReaderName", "reader"]

ReaderName = Literal["classifier", "encoder"]
READERS: tuple[ReaderName, ...] = ("classifier", "encoder")


class Reader(Protocol):
    """An article's position toward a claim, with no model call."""

    name: ReaderName

    def position(self, claim: str, article: ArticleView) -> ArticleStance: ...


class _Classifier:
    name: ReaderName = "classifier"

    def __init__(self, parts: Shipped) -> None:
        self.parts = parts

    def position(self, claim: str, article: ArticleView) -> ArticleStance:
        (guess,) = self.parts.classifier.predict([pair_features(claim, article, self.parts.idf)])
        return guess


class _Encoder:
    name: ReaderName = "encoder"

    def __init__(self, parts: Shipped) -> None:
        from claimx.tagging.onnx_tagger import require_encoder
        from claimx.targeted.stance_encoder import default_stance_encoder

        require_encoder()  # before the cached loader, which would not ask again
        self.parts = parts
        self.model = default_stance_encoder()

    def position(self, claim: str, article: ArticleView) -> ArticleStance:
        return self.model.predict(claim, article, self.parts.idf)


def reader(name: str, parts: Shipped) -> Reader:
    """The reader called ``name`` (:data:`READERS`), over the shipped lexical parts.

    Raises :class:`~claimx.errors.ConfigError` for an unknown name, and for
    ``encoder`` without its extra (saying what to install).
    """
    if name == "classifier":
        return _Classifier(parts)
    if name == "encoder":
        return _Encoder(parts)
    raise ConfigError(f"unknown reader {name!r}: choose one of {', '.join(READERS)}")
