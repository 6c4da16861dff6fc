"""Speakers: one source, all the ways it is named, within an article and across articles.

Modules by concern: :mod:`~claimx.speakers.identity` (the one rule, :func:`same_source`),
:mod:`~claimx.speakers.mentions` (a speaker string parsed into name and role),
:mod:`~claimx.speakers.resolve` (the speakers of one article),
:mod:`~claimx.speakers.registry` (the sources of a corpus), and
:mod:`~claimx.speakers.lexicon` (their word lists).
"""

from claimx.speakers.identity import (
    FIRST_NAME_THRESHOLD,
    UNKNOWN_SPEAKER_ID,
    distinct_sources,
    same_person,
    same_source,
    slugify,
)
from claimx.speakers.mentions import Mention, parse_mention
from claimx.speakers.registry import SpeakerRegistry
from claimx.speakers.resolve import resolve_speakers

__all__ = [
    "FIRST_NAME_THRESHOLD",
    "UNKNOWN_SPEAKER_ID",
    "Mention",
    "SpeakerRegistry",
    "distinct_sources",
    "parse_mention",
    "resolve_speakers",
    "same_person",
    "same_source",
    "slugify",
]
