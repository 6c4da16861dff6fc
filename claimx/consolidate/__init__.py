"""Across articles: the same proposition, who supports, refutes or doubts it.

The package, one module per concern (an article's claims flow top to bottom):

* :mod:`~claimx.consolidate.lexicon`: the words and anchors (numbers, dates,
  months) of a proposition;
* :mod:`~claimx.consolidate.grouping`: which claims state one proposition;
* :mod:`~claimx.consolidate.affiliation`: whom a source speaks for;
* :mod:`~claimx.consolidate.build`: :func:`consolidate`, the stance matrix;
* :mod:`~claimx.consolidate.model`: the matrix as data (JSON);
* :mod:`~claimx.consolidate.markdown`, :mod:`~claimx.consolidate.html`:
  the matrix as markdown and as a self-contained web page;
* :mod:`~claimx.consolidate.quality`: how well the grouping does on gold data.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimx.consolidate.build import consolidate
    from claimx.consolidate.grouping import GROUP_THRESHOLD, group_propositions
    from claimx.consolidate.html import render_html
    from claimx.consolidate.markdown import render_markdown
    from claimx.consolidate.model import (
        Affiliation,
        Cell,
        Consolidation,
        Evidence,
        PropositionGroup,
    )
    from claimx.consolidate.quality import grouping_quality, pairwise_quality

# Exports load on first use, so that `claimx --help` (which reads the CLI's
# defaults from claimx.consolidate.model) does not import the speaker resolver,
# Jinja2 or the clustering.
_HOME = {
    "consolidate": "build",
    "GROUP_THRESHOLD": "grouping",
    "group_propositions": "grouping",
    "Affiliation": "model",
    "Cell": "model",
    "Consolidation": "model",
    "Evidence": "model",
    "PropositionGroup": "model",
    "grouping_quality": "quality",
    "pairwise_quality": "quality",
    "render_html": "html",
    "render_markdown": "markdown",
}

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


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'claimx.consolidate' has no attribute {name!r}")
    return getattr(import_module(f"claimx.consolidate.{_HOME[name]}"), name)
