"""A small learned classifier of an article's position: multinomial logistic regression.

Numpy and scipy only (L-BFGS on the softmax loss with an L2 penalty), weights
shipped as JSON beside the code (``data/targeted.json``, ``classifier``), and
:mod:`claimx.targeted.train` rebuilds them from the FNC-1 tune part.

* **Inputs**: the named features of :mod:`claimx.targeted.features`,
  standardised with the tune part's mean and spread; with ``squares`` the
  squares of the standardised features are appended (a cheap curve: "a lot of
  overlap" and "a little" need not lie on one line).
* **Classes**: the four article positions. Each class weighs the same in the
  loss (an item of class *c* counts ``n / (4 n_c)``), since the target is
  macro-F1 and the tune part is 71% unrelated and 2% refutes.
* **Trained on** the tune pairs the screen lets through: those are the only
  pairs it is ever asked about.

The model's answer could join the feature vector (nothing here would change
but :data:`~claimx.targeted.features.FEATURES`), once the model has answered
the tune part's pairs to retrain on; until then the classifier is the
fallback where the model is not asked or gives no valid answer
(:mod:`claimx.targeted.answer`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from claimx.models import ARTICLE_STANCES, ArticleStance

__all__ = ["LogisticModel", "fit"]


@dataclass(frozen=True)
class LogisticModel:
    """Weights of a multinomial logistic regression over named features."""

    features: tuple[str, ...]
    classes: tuple[ArticleStance, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # one row per input, the bias last; one column per class
    squares: bool
    l2: float

    def inputs(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """Raw feature rows (n, features) -> standardised inputs with a bias column."""
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        if self.squares:
            z = np.hstack([z, z**2])
        return np.hstack([z, np.ones((len(z), 1))])

    def probabilities(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """Class probabilities (n, classes) of raw feature rows (n, features)."""
        return _softmax(self.inputs(rows) @ np.asarray(self.weights))

    def matrix(self, items: Sequence[Mapping[str, float]]) -> NDArray[np.float64]:
        """Feature dicts -> raw feature rows, in :attr:`features` order."""
        return np.array([[item[f] for f in self.features] for item in items], dtype=np.float64)

    def predict(self, items: Sequence[Mapping[str, float]]) -> list[ArticleStance]:
        """The most probable class of each item."""
        if not items:
            return []
        best = self.probabilities(self.matrix(items)).argmax(axis=1)
        return [self.classes[i] for i in best]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (``data/targeted.json``)."""
        return {
            "features": list(self.features),
            "classes": list(self.classes),
            "mean": [_short(x) for x in self.mean],
            "scale": [_short(x) for x in self.scale],
            "weights": [[_short(x) for x in row] for row in self.weights],
            "squares": self.squares,
            "l2": self.l2,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LogisticModel:
        """Read :meth:`to_dict`'s form back, checking the shapes agree."""
        classes = tuple(data["classes"])
        if not set(classes) <= set(ARTICLE_STANCES):
            raise ValueError(f"unknown classes {classes}")
        model = cls(
            features=tuple(data["features"]),
            classes=cast(tuple[ArticleStance, ...], classes),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            weights=tuple(tuple(row) for row in data["weights"]),
            squares=bool(data["squares"]),
            l2=float(data["l2"]),
        )
        if any(x <= 0 for x in model.scale):
            raise ValueError("every feature scale must be positive")
        inputs = len(model.features) * (2 if model.squares else 1) + 1
        if len(model.weights) != inputs or any(len(r) != len(classes) for r in model.weights):
            raise ValueError(f"weights are not {inputs} x {len(classes)}")
        return model


def _short(x: float) -> float:
    # Eight significant digits: the file stays small and a tiny scale never rounds to 0.
    return float(f"{x:.8g}")


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return cast(NDArray[np.float64], e / e.sum(axis=1, keepdims=True))


def fit(
    rows: NDArray[np.float64],
    labels: Sequence[ArticleStance],
    features: Sequence[str],
    *,
    l2: float = 1e-3,
    squares: bool = False,
    classes: Sequence[ArticleStance] | None = None,
) -> LogisticModel:
    """Fit the weights on raw feature rows (module docstring: balanced class weights).

    ``classes``: the classes to learn, each of which must occur in ``labels``; by
    default those that occur, in the order of :data:`~claimx.models.ARTICLE_STANCES`.
    """
    # scipy is imported here: `claimx --help` must not pay for it.
    from scipy.optimize import minimize

    if classes is None:
        classes = [c for c in ARTICLE_STANCES if c in set(labels)]
    y = np.array([list(classes).index(label) for label in labels])
    k = len(classes)
    counts = np.bincount(y, minlength=k)
    if np.any(counts == 0):
        missing = [c for c, n in zip(classes, counts, strict=True) if n == 0]
        raise ValueError(f"no training items of {missing}")
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)  # a constant feature: leave it unscaled
    shell = LogisticModel(
        tuple(features), tuple(classes), tuple(mean), tuple(scale), (), squares, l2
    )
    x = shell.inputs(rows)
    n, d = x.shape
    item_weight = (n / (k * counts))[y] / n
    onehot = np.eye(k)[y]
    penalised = np.ones((d, 1))
    penalised[-1] = 0.0  # no penalty on the bias

    def loss(flat: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        w = flat.reshape(d, k)
        p = _softmax(x @ w)
        value = -float(np.sum(item_weight * np.log(p[np.arange(n), y] + 1e-12)))
        value += l2 * float(np.sum(penalised * w**2))
        grad = x.T @ ((p - onehot) * item_weight[:, None]) + 2 * l2 * penalised * w
        return value, grad.ravel()

    found = minimize(loss, np.zeros(d * k), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    weights = found.x.reshape(d, k)
    return LogisticModel(
        tuple(features),
        tuple(classes),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(tuple(float(v) for v in row) for row in weights),
        squares,
        l2,
    )
