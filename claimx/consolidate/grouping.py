"""Which claims state the same proposition: lexical, offline clustering.

1. **Terms** (:func:`terms`): a claim's content words and anchors
   (:mod:`claimx.consolidate.lexicon`).
2. **Similarity** (:func:`similarity`): IDF-weighted Jaccard of two claims'
   content-word sets, IDF taken over the claims being grouped. Words every
   claim of a single-event corpus shares ("drone", "Kremlin", "attack") weigh
   little, so "The United States *encourages* Ukraine to strike outside
   Ukraine" and "... *enables* ..." (two propositions by rule 4 of the
   annotation standard) stay apart while paraphrases come together. It is 0
   (a blocked merge) when both claims carry numbers, dates or named months
   and not the same ones, and when only one of them is a claim about
   someone's statement (:data:`~claimx.consolidate.lexicon.META_STEMS`).
3. **Clusters**: average-linkage agglomerative clustering (scipy), cut at
   :data:`GROUP_THRESHOLD`. On the development set single, average and
   complete linkage tie; average is the middle way between single linkage,
   which lets one compound claim ("Washington selects the targets and the
   means ...") chain two propositions together, and complete linkage, which
   splits paraphrases more often. (Average linkage still merges that compound
   case; only complete linkage keeps it apart.)

The lexicon and the threshold were chosen on a development set of
hand-written paraphrases (``tests/consolidate/paraphrases.py``; ``test_grouping.py``
holds the checks and their floors); :mod:`claimx.consolidate.quality`
measures the grouping on gold data. Negated wordings ("The US was not
involved ...") are not turned into their affirmative proposition: they form
groups of their own.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimx.consolidate.lexicon import META_STEMS, anchors, content_words

__all__ = [
    "GROUP_THRESHOLD",
    "METHOD",
    "Terms",
    "group_propositions",
    "idf",
    "similarity",
    "terms",
]

GROUP_THRESHOLD = 0.55
"""Least average IDF-weighted Jaccard similarity between two groups for them to
merge. Chosen on the development paraphrases (pairwise F1 0.92 there, as at
0.50; 0.45 and 0.60 give 0.80 and 0.78)."""

METHOD = "content words + IDF-weighted Jaccard, average linkage; numbers, dates and months block"


@dataclass(frozen=True)
class Terms:
    """What the grouping compares of one claim."""

    words: frozenset[str]
    anchors: frozenset[str]


def terms(claim: str) -> Terms:
    """The content words and anchors of a claim."""
    return Terms(content_words(claim), anchors(claim))


def idf(items: Sequence[Terms]) -> dict[str, float]:
    """Smoothed inverse document frequency of every content word over ``items``."""
    df = Counter(w for t in items for w in t.words)
    n = len(items)
    return {w: math.log((n + 1) / (d + 1)) + 1.0 for w, d in df.items()}


def similarity(a: Terms, b: Terms, weights: Mapping[str, float]) -> float:
    """IDF-weighted Jaccard similarity of two claims' content words, 0..1.

    Unknown words weigh 1. 0 when the merge is blocked (see the module docstring).
    """
    if a.anchors and b.anchors and a.anchors != b.anchors:
        return 0.0
    union = a.words | b.words
    if not union:
        return 1.0
    if bool(a.words & META_STEMS) != bool(b.words & META_STEMS):
        return 0.0
    inter = sum(weights.get(w, 1.0) for w in a.words & b.words)
    return inter / sum(weights.get(w, 1.0) for w in union)


def group_propositions(claims: Sequence[str], *, threshold: float = GROUP_THRESHOLD) -> list[int]:
    """Group index of each claim: claims stating the same proposition share one.

    Indices are 0..k-1 in order of first appearance. Identical claims (after
    :func:`terms`) always share a group.
    """
    n = len(claims)
    if n <= 1:
        return [0] * n
    # Imported here: scipy is slow to import, and `claimx --help` must not pay for it.
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    items = [terms(c) for c in claims]
    weights = idf(items)
    # Condensed distance matrix, in the order scipy expects (i < j, row-major).
    dist = np.fromiter(
        (
            1.0 - similarity(items[i], items[j], weights)
            for i, j in itertools.combinations(range(n), 2)
        ),
        dtype=float,
        count=n * (n - 1) // 2,
    )
    tree = linkage(np.clip(dist, 0.0, None), method="average")
    labels = [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]
    first: dict[int, int] = {}
    return [first.setdefault(label, len(first)) for label in labels]
