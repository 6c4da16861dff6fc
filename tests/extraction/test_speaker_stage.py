"""The speaker stages (claimx.extraction.stages.speaker) on drafts whose source stage one found."""

from __future__ import annotations

from claimx.extraction.drafts import ClaimDraft
from claimx.extraction.records import Draft
from claimx.extraction.stages.registry import NoParams
from claimx.extraction.stages.speaker import TaggedSpeaker
from claimx.text.grounding import Located
from claimx.text.spans import Span

TEXT = (
    "At The Hague, Zelensky said the Russian leader “deserves to be sentenced,” the Associated"
    " Press reported.\n\n"
    "The strike killed 23 people, the Russian news agency Tass reported.\n"
)


def _draft(evidence: str, source: str, model_speaker: str) -> tuple[Draft, Located]:
    start = TEXT.index(evidence)
    span = Span(start, start + len(evidence))
    at = TEXT.index(source)
    claim = ClaimDraft.model_construct(
        quote=evidence, speaker=model_speaker, speaker_role=None, stance="supports", claim="x"
    )
    located = Located(span=span, method="exact", score=100.0, grounded=True)
    return Draft(claim=claim, located=located, source=Span(at, at + len(source))), located


def test_an_outlet_that_relays_a_source_its_words_name_gives_way_to_it() -> None:
    # The tagger reads the outlet as the source of the whole nested report; the annotation
    # standard's speaker is the original source, named inside it.
    relayed = _draft(
        "Zelensky said the Russian leader “deserves to be sentenced,”",
        "the Associated Press",
        "Associated Press",
    )
    # An outlet with no other source in its sentence stays the source.
    own = _draft("The strike killed 23 people", "the Russian news agency Tass", "Tass")
    names = TaggedSpeaker(NoParams()).names(TEXT, [relayed[0], own[0]], [relayed[1], own[1]])
    assert names == ["Zelensky", "the Russian news agency Tass"]
