"""The stages of the extraction pipeline, one module each, found by kind and name.

:mod:`~claimx.extraction.stages.registry` states the contract of each kind and
holds the registry; importing this package registers the built-in stages:

* find: :mod:`~claimx.extraction.stages.whole_text`, :mod:`~claimx.extraction.stages.lexicon`,
  :mod:`~claimx.extraction.stages.tagger`
  (and :mod:`~claimx.extraction.stages.given_spans`, the oracle's, given at run time);
* ask: :mod:`~claimx.extraction.stages.quoted`, :mod:`~claimx.extraction.stages.numbered`;
* keep: :mod:`~claimx.extraction.stages.keep`;
* speaker: :mod:`~claimx.extraction.stages.speaker`;
* stance: :mod:`~claimx.extraction.stages.stance`.
"""

from __future__ import annotations

from claimx.extraction.stages import (
    keep,
    lexicon,
    numbered,
    quoted,
    speaker,
    stance,
    tagger,
    whole_text,
)
from claimx.extraction.stages.registry import (
    KINDS,
    Asker,
    ClaimFilter,
    Finder,
    Kind,
    SpeakerRule,
    Stage,
    StanceRule,
    build_stage,
    register,
    registered,
)

BUILT_IN = (keep, lexicon, numbered, quoted, speaker, stance, tagger, whole_text)
"""The modules of the built-in stages (imported for their registrations)."""

__all__ = [
    "BUILT_IN",
    "KINDS",
    "Asker",
    "ClaimFilter",
    "Finder",
    "Kind",
    "SpeakerRule",
    "Stage",
    "StanceRule",
    "build_stage",
    "register",
    "registered",
]
