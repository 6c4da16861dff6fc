"""The cue lexicon the features read: attribution cue forms and how often train used them.

The forms come from ``claimx/text/data/cues.tsv`` (the
lemmatised heads of PolNeAR *train*'s cues, with counts and inflected forms).
The training command reads that file once and **stores the lexicon in the
weights file**, so the runtime never reads it: the tagger's output depends on
its weights file alone, and an edit of the shared lexicon cannot change a
pinned result behind the weights' back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

__all__ = ["MIN_COUNT", "CueLexicon", "read_cue_tsv"]

MIN_COUNT = 2
"""Least train count for a lemma's forms to enter the lexicon (a single use may be noise)."""


@dataclass(frozen=True)
class CueLexicon:
    """Cue form (lower case, one space between words) -> frequency class: hi, mid or lo."""

    forms: dict[str, str]

    @cached_property
    def phrases(self) -> dict[tuple[str, ...], str]:
        """The forms of several words ("according to"), as word tuples."""
        return {tuple(f.split()): c for f, c in self.forms.items() if " " in f}

    def to_lines(self) -> list[str]:
        """``form<TAB>class`` lines, sorted: how the weights file stores it."""
        return [f"{f}\t{c}" for f, c in sorted(self.forms.items())]

    @classmethod
    def from_lines(cls, lines: list[str]) -> CueLexicon:
        """The inverse of :meth:`to_lines`."""
        return cls(dict(line.split("\t") for line in lines if line))


_RANK = {"hi": 0, "mid": 1, "lo": 2}


def _frequency_class(count: int) -> str:
    # Three classes: "said" (thousands) and "noted" (hundreds) behave unlike a
    # verb seen twice, and the word feature already tells frequent forms apart.
    return "hi" if count >= 100 else "mid" if count >= 20 else "lo"


def read_cue_tsv(path: Path, min_count: int = MIN_COUNT) -> CueLexicon:
    """The lexicon of a ``lemma<TAB>count<TAB>form,form,...`` file (``#`` lines are comments)."""
    forms: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        _, count, listed = line.split("\t")
        if int(count) < min_count:
            continue
        for form in listed.split(","):
            key = " ".join(form.lower().split())
            # A form shared by two lemmas keeps the more frequent class.
            cls = _frequency_class(int(count))
            if key and (key not in forms or _RANK[forms[key]] > _RANK[cls]):
                forms[key] = cls
    return CueLexicon(forms)
