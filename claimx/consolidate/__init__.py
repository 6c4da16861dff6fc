"""Across articles: the same proposition, who supports, refutes or doubts it.

The package, one module per concern (an article's claims flow top to bottom):

* :mod:`~claimx.consolidate.lexicon`: the words and anchors (numbers, dates,
  months) of a proposition;
* :mod:`~claimx.consolidate.grouping`: which claims state one proposition;
* :mod:`~claimx.consolidate.affiliation`: whom a source speaks for;
* :mod:`~claimx.consolidate.build`: :func:`consolidate`, the stance matrix;
* :mod:`~claimx.consolidate.model`: the matrix as data (JSON);
* :mod:`~claimx.consolidate.render_markdown`, :mod:`~claimx.consolidate.render_html`:
  the matrix as markdown and as a self-contained web page;
* :mod:`~claimx.consolidate.quality`: how well the grouping does on gold data.
"""

from claimx.consolidate.build import consolidate
from claimx.consolidate.grouping import GROUP_THRESHOLD, group_propositions
from claimx.consolidate.model import (
    Affiliation,
    Cell,
    Consolidation,
    Evidence,
    PropositionGroup,
)
from claimx.consolidate.quality import grouping_quality, pairwise_quality
from claimx.consolidate.render_html import render_html
from claimx.consolidate.render_markdown import render_markdown

__all__ = [
    "GROUP_THRESHOLD",
    "Affiliation",
    "Cell",
    "Consolidation",
    "Evidence",
    "PropositionGroup",
    "consolidate",
    "group_propositions",
    "grouping_quality",
    "pairwise_quality",
    "render_html",
    "render_markdown",
]
