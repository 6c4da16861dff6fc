"""From one paragraph's labels to attributions: which source and content go with which cue.

The labels say only which tokens are sources, cues and contents; PolNeAR
often has several attributions in one sentence ("A, he said, and B, she
added") and content that wraps around its source and cue ("Her failings,
it said, are ..."). Each cue anchors one attribution, and the other spans
join the nearest cue:

0. **Orphan contents** (when the model's cue margins are given). A content
   segment with no cue in its sentences or the sentences next to them gets
   one: the free token of its sentences (in no segment) whose score for
   ``B-CUE`` comes closest to its best label's. The model found the content
   but let its cue fall just short (PolNeAR's cues are many and rare:
   "ranged from skeptical to hostile:", "is counting on"); without a cue the
   content would be lost.
1. **Sources.** Pairs of a source and a cue in one sentence are taken
   greedily, fewest tokens between them first; each cue gets at most one
   source and each source serves one cue. A cue left without one (``he
   said A and added B``) shares the nearest source of its sentence.
2. **Contents.** Each content segment joins the cue it is closest to: the
   tokens between them, not counting the cue's own source (so "A, it said,
   B" gives both pieces to "said"), plus :data:`SENTENCE_COST` for every
   sentence end between them (so "“A,” X said. “B,” Y said." gives B to Y).
   Every content segment joins some cue of its paragraph; a cue that gets
   no content is dropped (every PolNeAR attribution has content).

Ties go to the earlier cue, so the result is a pure function of the labels
(and margins).
"""

from __future__ import annotations

from collections.abc import Sequence

from claimx.tagging.attribution import TaggedAttribution
from claimx.tagging.labels import Segment, segments
from claimx.tagging.tokens import Paragraph
from claimx.text.spans import Span

__all__ = ["SENTENCE_COST", "decode"]

SENTENCE_COST = 100
"""Cost of one sentence end between a content segment and a cue, in tokens."""


def _gap(a: Segment, b: Segment) -> int:
    """Tokens strictly between two disjoint segments."""
    return b.first - a.last - 1 if a.last < b.first else a.first - b.last - 1


def _between(a: Segment, b: Segment, inner: Segment | None) -> int:
    """Tokens between ``a`` and ``b``, less those of ``inner`` when it lies between them."""
    gap = _gap(a, b)
    lo, hi = min(a.last, b.last), max(a.first, b.first)
    if inner is not None and lo < inner.first and inner.last < hi:
        gap -= inner.last - inner.first + 1
    return gap


def _sentence_ends(paragraph: Paragraph, a: Segment, b: Segment) -> int:
    """Sentence ends between the facing ends of two disjoint segments."""
    tokens = paragraph.tokens
    if a.last < b.first:
        return tokens[b.first].sentence - tokens[a.last].sentence
    return tokens[a.first].sentence - tokens[b.last].sentence


def _span(paragraph: Paragraph, seg: Segment) -> Span:
    return Span(paragraph.tokens[seg.first].span.start, paragraph.tokens[seg.last].span.end)


def _recover_cues(
    paragraph: Paragraph, labels: Sequence[str], cue_margin: Sequence[int]
) -> list[str]:
    """``labels`` with a cue added for each orphan content segment (module doc, step 0)."""
    out = list(labels)
    segs = segments(labels)
    sentence = [t.sentence for t in paragraph.tokens]
    cue_sentences = {sentence[i] for s in segs if s.role == "CUE" for i in (s.first, s.last)}
    taken = {i for s in segs for i in range(s.first, s.last + 1)}
    for con in (s for s in segs if s.role == "CON"):
        first, last = sentence[con.first], sentence[con.last]
        if cue_sentences & set(range(first - 1, last + 2)):
            continue
        free = [i for i, k in enumerate(sentence) if first <= k <= last and i not in taken]
        if not free:
            continue
        best = max(free, key=lambda i: (cue_margin[i], -i))
        out[best] = "B-CUE"
        taken.add(best)
        cue_sentences.add(sentence[best])
    return out


def decode(
    paragraph: Paragraph, labels: Sequence[str], cue_margin: Sequence[int] | None = None
) -> list[TaggedAttribution]:
    """The attributions of one paragraph given its tokens' labels (module doc), in cue order.

    ``cue_margin``, when given, is each token's score for ``B-CUE`` less its
    best score (0 where ``B-CUE`` is best): it lets an orphan content find its cue.
    """
    if cue_margin is not None:
        labels = _recover_cues(paragraph, labels, cue_margin)
    segs = segments(labels)
    cues = [s for s in segs if s.role == "CUE"]
    if not cues:
        return []
    sources = [s for s in segs if s.role == "SRC"]
    contents = [s for s in segs if s.role == "CON"]

    def same_sentence(a: Segment, b: Segment) -> bool:
        return _sentence_ends(paragraph, a, b) == 0

    # 1. Sources: greedy one-to-one, fewest tokens between first.
    pairs = sorted(
        (_gap(s, c), ci, si)
        for ci, c in enumerate(cues)
        for si, s in enumerate(sources)
        if same_sentence(s, c)
    )
    source_of: dict[int, int] = {}
    taken: set[int] = set()
    for _, ci, si in pairs:
        if ci not in source_of and si not in taken:
            source_of[ci] = si
            taken.add(si)
    for _, ci, si in pairs:  # a cue left without a source shares its nearest one
        source_of.setdefault(ci, si)

    # 2. Contents: each to its closest cue.
    pieces: dict[int, list[Segment]] = {}
    for con in contents:
        best = min(
            range(len(cues)),
            key=lambda ci: (
                _between(con, cues[ci], sources[source_of[ci]] if ci in source_of else None)
                + SENTENCE_COST * abs(_sentence_ends(paragraph, con, cues[ci])),
                ci,
            ),
        )
        pieces.setdefault(best, []).append(con)

    out = []
    for ci, cue in enumerate(cues):
        if ci not in pieces:
            continue
        source = _span(paragraph, sources[source_of[ci]]) if ci in source_of else None
        content = tuple(_span(paragraph, s) for s in pieces[ci])
        out.append(TaggedAttribution(source, _span(paragraph, cue), content))
    return out
