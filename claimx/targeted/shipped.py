"""The learned parts shipped with claimx: the IDF table, the screen's threshold, the
baseline's thresholds and the classifier's weights.

Two files in ``claimx/targeted/data/``, both written by one command,
``python -m claimx.targeted.train PATH/TO/fnc-1`` (:mod:`claimx.targeted.train`),
from the FNC-1 tune part only; ``data/MODEL_CARD.md`` says what they were
trained on and how well they do:

* ``idf.tsv``: :class:`~claimx.targeted.lexical.Idf`;
* ``targeted.json``: ``screen`` (threshold), ``baseline``
  (:class:`~claimx.targeted.baseline.BaselineRule`), ``classifier``
  (:class:`~claimx.targeted.classifier.LogisticModel`), and ``tune``, the
  figures measured on the tune part when they were set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from claimx.targeted.baseline import BaselineRule
from claimx.targeted.classifier import LogisticModel
from claimx.targeted.lexical import Idf

__all__ = ["IDF_FILE", "SETTINGS_FILE", "Shipped", "shipped"]

IDF_FILE = "idf.tsv"
SETTINGS_FILE = "targeted.json"


@dataclass(frozen=True)
class Shipped:
    """Everything the no-model decisions need, as shipped."""

    idf: Idf
    screen_threshold: float
    baseline: BaselineRule
    classifier: LogisticModel
    tune: dict[str, Any]  # figures on the tune part, for the record

    @classmethod
    def from_files(cls, idf_text: str, settings_text: str) -> Shipped:
        """Read the two files' contents."""
        settings = json.loads(settings_text)
        rule = settings["baseline"]
        return cls(
            idf=Idf.loads(idf_text),
            screen_threshold=float(settings["screen"]["threshold"]),
            baseline=BaselineRule(
                float(rule["related_at"]), int(rule["refute_at"]), int(rule["hedge_at"])
            ),
            classifier=LogisticModel.from_dict(settings["classifier"]),
            tune=dict(settings.get("tune", {})),
        )


@lru_cache(maxsize=1)
def shipped() -> Shipped:
    """The shipped files, read once."""
    folder = resources.files(__package__).joinpath("data")
    return Shipped.from_files(
        folder.joinpath(IDF_FILE).read_text(encoding="utf-8"),
        folder.joinpath(SETTINGS_FILE).read_text(encoding="utf-8"),
    )
