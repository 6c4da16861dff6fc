"""Who a sentence itself says is talking: the named subject of its reporting cue.

A small model shown a sentence with its paragraph often names the speaker of
the context ("John Kirby", quoted a paragraph earlier) for a sentence that
names its own source: "The US responded by saying the claims are false",
"Peskov called the denials “absolutely ridiculous”", "the Kremlin
administration shifted the focus onto the US". :func:`sentence_source` reads
that source off the sentence: the named mention (:func:`named_mentions`) that
is the subject of a reporting verb outside the evidence
(:data:`claimx.text.attribution.REPORTING_VERBS`): the nearest one before the
verb in the same clause, or, inverted ("..., said John Kirby", "according to
Tass"), the one right after it. Not after a pronoun ("he said"): who "he" is,
the model read from the context. A news outlet that relays another source of
the sentence ("Zelensky said ..., the Associated Press reported"; "asked
Anatoly Antonov, according to Tass") is not the source: the annotation
standard's speaker is the original one (:func:`is_outlet`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimx.speakers.identity import group_key, is_personish
from claimx.speakers.lexicon import MEDIA_WORDS
from claimx.speakers.mentions import name_runs, parse_mention
from claimx.text.attribution import REPORTING_VERBS
from claimx.text.segments import sentences
from claimx.text.spans import Span

__all__ = ["is_outlet", "named_mentions", "sentence_source"]

#: characters between an inverted cue and its subject at most ("said on Thursday John Kirby")
AFTER_CHARS = 30


def named_mentions(text: str) -> list[tuple[Span, str]]:
    """The mentions of ``text`` that name a person or a body (their names), with their spans."""
    out = []
    for run, _ in name_runs(text, titles=False):
        # A run can cross a sentence end ("said John Kirby. Dmitry Peskov said"): cut it
        # where the one sentence splitter would ("Sen. Jim Whelan", "U.S." stay whole).
        for piece in sentences(text, run):
            mention = parse_mention(piece.slice(text))
            if mention.kind == "name" and mention.name:
                out.append((piece, mention.name))
    return out


_CLAUSE_END = re.compile(r"[,;:“”\"—–]")
_PRONOUN_BEFORE = re.compile(
    r"(?<![\w’'-])(?:he|she|they|it|we|i|you)\s+(?:\w+\s+)?$", re.IGNORECASE
)
_INVERTS = re.compile(r"[,”\"—–]\s*$")


def is_outlet(name: str) -> bool:
    """Whether ``name`` is a news outlet's ("The New York Times", "the Russian news agency
    Tass", "Tass"): its last word is an outlet's, and it is no person's full name ("Fox
    News host Sean Hannity")."""
    words = group_key(name).split()
    return bool(words) and words[-1] in MEDIA_WORDS and (len(words) == 1 or not is_personish(name))


def sentence_source(
    text: str, sentence: Span, evidence: Span, mentions: Sequence[tuple[Span, str]]
) -> str | None:
    """The named source the sentence attributes ``evidence`` to, or None (module docstring).

    ``mentions``: :func:`named_mentions` of the article. The cue nearest to the
    evidence decides; names inside the evidence are what is talked about, never
    the source.
    """
    inside = [
        (span, name)
        for span, name in mentions
        if sentence.contains(span) and not span.overlaps(evidence)
    ]
    if not inside:
        return None
    cues = [
        Span(sentence.start + m.start(), sentence.start + m.end())
        for m in REPORTING_VERBS.finditer(sentence.slice(text))
    ]
    cues = [c for c in cues if not c.overlaps(evidence)]
    cues.sort(key=lambda c: max(c.start - evidence.end, evidence.start - c.end, 0))
    relayed = None  # an outlet, the source only when the sentence names no other
    for cue in cues:
        lead = text[sentence.start : cue.start]
        if _PRONOUN_BEFORE.search(lead):
            return None  # "he said": who "he" is, the model read from the context
        name = _subject(text, cue, lead, inside)
        if name is not None and not is_outlet(name):
            return name
        relayed = relayed or name
    return relayed


def _subject(text: str, cue: Span, lead: str, inside: Sequence[tuple[Span, str]]) -> str | None:
    """The named subject of ``cue``: the nearest name before it in its clause, or, inverted
    ("...,” said Kirby", "according to Tass"), the one right after it."""
    before = [
        (span, name)
        for span, name in inside
        if span.end <= cue.start and not _CLAUSE_END.search(text[span.end : cue.start])
    ]
    if before:
        return max(before, key=lambda m: m[0].end)[1]
    # Inverted only after a quotation or a comma ("...,” said Kirby"), or "according to".
    if not (cue.slice(text).casefold() == "according to" or _INVERTS.search(lead)):
        return None
    after = [
        (span, name)
        for span, name in inside
        if cue.end <= span.start <= cue.end + AFTER_CHARS
        and not _CLAUSE_END.search(text[cue.end : span.start])
    ]
    return min(after, key=lambda m: m[0].start)[1] if after else None
