"""Who a source as written is: "Kirby", "he", "the spokesman", resolved to a name by rule.

A stage one that reads attributions (the tagger) says where each one's source
is written. :func:`source_name` turns that span into the name a reader would
give: a name stays a name (the article's speakers are merged into their
fullest form afterwards, :func:`claimx.speakers.resolve_speakers`); a personal
pronoun ("he", "she") is the nearest person named before it in its paragraph
or the one before, outside quotations, when exactly one person is named
nearest ("he" after "Kirby and Peskov" is ambiguous: None); "they" and "it"
the nearest body or group; a description ("the spokesman", "U.S. officials")
stays as written, for the resolver to join to a name it describes. A
possessive ending or a trailing time ("Trump's", "the Supreme Court this
month") is no part of the name and is dropped. None
means the rule cannot say, and the caller decides (the model's answer, the
sentence's own subject).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimx.speakers.identity import is_personish
from claimx.speakers.lexicon import WEEKDAYS
from claimx.speakers.mentions import parse_mention
from claimx.text.attribution import quoted_regions
from claimx.text.segments import paragraphs
from claimx.text.spans import Span

__all__ = ["PERSONAL", "PLURAL", "source_name"]

PERSONAL = frozenset({"he", "she", "him", "her", "his"})
"""Pronouns that stand for one person."""
PLURAL = frozenset({"they", "it", "its", "their", "them"})
"""Pronouns that stand for a body or a group."""
#: paragraphs before the source's own searched for the person a pronoun stands for
PARAGRAPHS_BACK = 1
# What a tagged source span may carry past the name and a name never ends in: a possessive
# ("Trump's tweet said"), a time ("the Supreme Court this month", "the Council in 2015").
_TRAILING = re.compile(
    r"(?:['’]s|\s+(?:in \d{4}|(?:this|last|next|earlier this|later this)"
    r" (?:week|month|year|spring|summer|fall|autumn|winter)"
    rf"|on (?:{'|'.join(sorted(d.capitalize() for d in WEEKDAYS))})))$"
)


def _quoted(text: str, paragraph: Span) -> list[Span]:
    return [
        Span(paragraph.start + a, paragraph.start + b)
        for a, b in quoted_regions(paragraph.slice(text))
    ]


def source_name(text: str, source: Span, mentions: Sequence[tuple[Span, str]]) -> str | None:
    """The name ``source`` (a span of ``text``) stands for, or None (module docstring).

    ``mentions``: the article's named mentions, with their spans, in text order
    (:func:`claimx.speakers.attribution.named_mentions`).
    """
    written = _TRAILING.sub("", " ".join(source.slice(text).split()))
    word = written.casefold()
    if word not in PERSONAL and word not in PLURAL:
        mention = parse_mention(written)
        if mention.kind == "name" and mention.name:
            return written
        if mention.kind in ("role", "group"):
            return written
        return None
    body = paragraphs(text)
    index = next((i for i, p in enumerate(body) if p.start <= source.start < p.end), None)
    if index is None:
        return None
    window = body[max(0, index - PARAGRAPHS_BACK) : index + 1]
    quoted = [q for p in window for q in _quoted(text, p)]
    before = [
        (span, name)
        for span, name in mentions
        if window[0].start <= span.start
        and span.end <= source.start
        and not any(q.contains(span) for q in quoted)
        and (is_personish(name) == (word in PERSONAL))
    ]
    if not before:
        return None
    nearest = max(span.end for span, _ in before)
    named = {name for span, name in before if span.end == nearest}
    # "Kirby and Peskov ... he said": the nearest name must be one person
    close = {name for span, name in before if nearest - span.end < 40}
    return named.pop() if len(named) == 1 and len(close) == 1 else None
