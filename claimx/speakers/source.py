"""Who a source as written is: "Kirby", "he", "the spokesman", resolved to a name by rule.

A stage one that reads attributions (the tagger) says where each one's source
is written. :func:`source_name` turns that span into the name a reader would
give: a name stays a name (the article's speakers are merged into their
fullest form afterwards, :func:`claimx.speakers.resolve_speakers`); a personal
pronoun ("he", "she") is the nearest person named before it in its paragraph
or the one before, outside quotations, when exactly one person is named
nearest ("he" after "Kirby and Peskov" is ambiguous: None); "they" and "it"
the nearest body or group; a description ("the spokesman", "U.S. officials")
stays as written, for the resolver to join to a name it describes, except
the definite description of a body ("the command", "the department"), which
is the body the article named before it with those words at its end
("Ukraine's southern military command", "the State Department") when it
named exactly one. A possessive ending or a trailing time ("Trump's", "the
Supreme Court this month") is no part of the name and is dropped, nor is the
place of a phrase the source span opens inside ("In Odessa, Ukraine's
southern military command reported"). None means the rule cannot say, and
the caller decides (the model's answer, the sentence's own subject).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimx.speakers.identity import group_key, is_personish
from claimx.speakers.lexicon import ARTICLES, FUNCTION_WORDS, ORG_WORDS, RUN_STOP_WORDS, WEEKDAYS
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
# A source span that opens inside a place phrase: "In Odessa, Ukraine's ... command reported"
# (the preposition before the span, a capitalised place, a comma, a capitalised source).
_PLACE_PHRASE = re.compile(r"(?i)\b(?:in|at|from)\s+$")
_PLACE_FIRST = re.compile(r"^[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2},\s+(?=[A-Z])")
# Words a capitalised run before a body's name opens with that are not part of it ("In", "The").
_NOT_A_NAME = RUN_STOP_WORDS | ARTICLES
# "the command", "the air force": lower-case words after the article, a body noun last.
_BODY_DESCRIPTION = re.compile(r"^[Tt]he\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)$")


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
    if _PLACE_PHRASE.search(text[max(0, source.start - 6) : source.start]):
        written = _PLACE_FIRST.sub("", written, count=1)
    word = written.casefold()
    if word not in PERSONAL and word not in PLURAL:
        described = _BODY_DESCRIPTION.match(written)
        if described and described[1].split()[-1] in ORG_WORDS:
            return _described_body(text[: source.start], described[1].split()) or written
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


def _described_body(before: str, words: list[str]) -> str | None:
    """The body named in ``before`` whose name ends in ``words`` ("southern military command"
    for "command"), when every such name is one body (by :func:`group_key`), else None."""
    tail = r"\s+".join(re.escape(w) for w in words)
    # Capitalised words (a possessive allowed), up to two lower-case modifiers, the words.
    pattern = re.compile(rf"((?:[A-Z][\w.-]*(?:['’]s)?\s+)+(?:[a-z][\w-]*\s+){{0,2}})(?i:{tail})\b")
    found: dict[str, str] = {}
    for hit in pattern.finditer(before):
        tokens = hit[0].split()
        while tokens and tokens[0].casefold() in _NOT_A_NAME:
            tokens = tokens[1:]
        lead = tokens[: len(tokens) - len(words)]
        if not lead or not lead[0][:1].isupper() or any(t in FUNCTION_WORDS for t in lead):
            continue
        name = " ".join(tokens)
        found[group_key(name)] = name  # the nearest spelling of each body
    return next(iter(found.values())) if len(found) == 1 else None
