"""From the sources' stances toward a claim to the article's overall position.

The rule (:func:`article_position`), the part of the guide's article-level
rule (``eval/ANNOTATION.md``, "Targeted stance", T5) that sources alone can
decide:

* no source speaks to the claim: **None**, undecided. Not ``unrelated``: an
  article can take a position in its own voice with no source quoted
  ("Putin was not in the Kremlin at the time"), so what comes next (the
  ``targeted`` prompt, else the classifier) decides;
* every source on one side (all supports, or all refutes): that side. News
  that relays one account with no counter-statement presents it as the story;
* otherwise (sources on both sides, or any source uncertain): **uncertain**,
  the article reports a contested or open claim without settling it.

What it cannot see is the article's own voice: narration that calls the
event "alleged" makes the guide's position uncertain even when every quoted
source is on one side, and narration can settle a claim no source speaks to.
On the five articles' gold (``python -m claimx.targeted.report``), the gold
sources give the gold position for 15 of the 16 records that have sources;
the one missed is 003 on staging (one side quoted, the attack "alleged" in
the article's words). The 9 records without sources are undecided here: 7
unrelated, and 2 that the narration refutes ("Putin was not in the Kremlin
at the time"), the kind the ``targeted`` prompt asks the model about.
"""

from __future__ import annotations

from collections.abc import Iterable

from claimx.models import ArticleStance, Stance

__all__ = ["article_position"]


def article_position(stances: Iterable[Stance]) -> ArticleStance | None:
    """The article's position from its sources' stances (module docstring); None: undecided."""
    found = set(stances)
    if not found:
        return None
    if found == {"supports"}:
        return "supports"
    if found == {"refutes"}:
        return "refutes"
    return "uncertain"
