"""Source-level scores: who was found taking a stance toward the claim, and with which stance.

Per record (one claim, one article), predicted sources are paired with gold
sources one-to-one: a pair needs the same source by
:func:`claimx.speakers.same_source` (the names of the article's other gold
sources as context, as the eval does), and pairs are taken in gold order,
each gold source with the first unpaired prediction that names it. Then,
pooled over records:

* ``found``: gold sources with a prediction; ``right``: those whose stance
  is also right;
* **stance accuracy** ``right / found``: how often the stance is right where
  the source was found (the issue's "source-level stance accuracy");
* **recall** ``found / gold``, **precision** ``found / predicted``, and
  **joint F1** ``2 right / (gold + predicted)``: found *and* right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claimx.models import SourceStance
from claimx.speakers import same_source

__all__ = ["SourceCounts", "count_sources"]


@dataclass(frozen=True)
class SourceCounts:
    """Pooled counts of source-level pairing (module docstring)."""

    gold: int = 0
    predicted: int = 0
    found: int = 0
    right: int = 0

    def __add__(self, other: SourceCounts) -> SourceCounts:
        return SourceCounts(
            self.gold + other.gold,
            self.predicted + other.predicted,
            self.found + other.found,
            self.right + other.right,
        )

    @property
    def stance_accuracy(self) -> float:
        """Right stances among found sources (0 when none was found)."""
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def joint_f1(self) -> float:
        """Sources found with the right stance, as an F1 over gold and predictions."""
        total = self.gold + self.predicted
        return 2 * self.right / total if total else 0.0


def _pair(gold: Sequence[SourceStance], predicted: Sequence[SourceStance]) -> SourceCounts:
    names = [g.speaker for g in gold]
    free = list(range(len(predicted)))
    found = right = 0
    for g in gold:
        context = [n for n in names if n != g.speaker]
        hit = next((i for i in free if same_source(g.speaker, predicted[i].speaker, context)), None)
        if hit is None:
            continue
        free.remove(hit)
        found += 1
        right += predicted[hit].stance == g.stance
    return SourceCounts(len(gold), len(predicted), found, right)


def count_sources(
    records: Iterable[tuple[Sequence[SourceStance], Sequence[SourceStance]]],
) -> SourceCounts:
    """Pooled counts over (gold sources, predicted sources) of each record."""
    return sum((_pair(g, p) for g, p in records), SourceCounts())
