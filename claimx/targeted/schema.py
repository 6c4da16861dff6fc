"""What the model answers about one claim: its sources, by sentence number, and the position.

A wire format for a 1.5B model that generates 10-15 tokens a second on two
cores, so every string and list is bounded (unbounded, a small model keeps
adding sources until ``max_tokens`` cuts the JSON) and nothing is copied:

* ``sources``: at most ``max_sources`` entries, each the **number** of the
  sentence the source speaks in (one of the request's numbers: the grammar
  allows no other), the speaker's name (at most :data:`SPEAKER_CHARS`
  characters) and its stance. No quote: the evidence is read off the
  numbered sentence by rule (:func:`claimx.extraction.evidence.claim_evidence`),
  so it is the article's own words at no output token;
* ``position``: the article's overall position, one of the four.

Sources come first: the model names who says what before it judges the
article, whose position T5 of ``eval/ANNOTATION.md`` derives largely from its
sources. A typical answer is 20 to 50 tokens.

:func:`answer_model` builds the schema for one request (its sentence numbers,
the prompt's bound on sources), cached; :class:`StanceAnswer` with
:data:`REFERENCE_NUMBERED` numbers is the schema the prompt's content hash
covers. Changing anything here changes the request body, so it invalidates the
recordings of every ``targeted`` prompt.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from claimx.models import ArticleStance, Stance

__all__ = [
    "REFERENCE_NUMBERED",
    "SPEAKER_CHARS",
    "SourceAnswer",
    "StanceAnswer",
    "answer_model",
]

SPEAKER_CHARS = 60
"""Longest speaker name: "Mykhailo Podolyak, an adviser to the head of the Ukrainian
presidential office" is what a name must never become (the role is not asked for)."""
REFERENCE_NUMBERED = 12
"""The number of sentences of the schema a prompt's content hash covers (a request's own
schema has its own count, at most the prompt's ``max_numbered``)."""


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class SourceAnswer(BaseModel):
    """One source that speaks to the claim, as the model answers it."""

    model_config = ConfigDict(extra="forbid")

    sentence: int = Field(description="The number of the sentence where the source says it.")
    speaker: Annotated[
        str,
        AfterValidator(_non_blank),
        Field(
            max_length=SPEAKER_CHARS,
            description="Who: a person, body or country, by name as the article gives it.",
        ),
    ]
    stance: Stance = Field(
        description="supports: says the claim is true; refutes: says it is false;"
        " uncertain: says it is unknown or unproven."
    )


class StanceAnswer(BaseModel):
    """The model's whole answer about one claim and one article."""

    model_config = ConfigDict(extra="forbid")

    sources: list[SourceAnswer]
    position: ArticleStance = Field(
        description="What the article as a whole says about the claim (unrelated: nothing)."
    )


@cache
def answer_model(numbered: int, max_sources: int) -> type[StanceAnswer]:
    """The answer schema of a request numbering ``numbered`` sentences (module docstring)."""
    if numbered < 1:
        raise ValueError("a request numbers at least one sentence")
    numbers: Any = Literal[tuple(range(1, numbered + 1))]  # the grammar allows no other number
    source = create_model(
        "SourceAnswer",
        __base__=SourceAnswer,
        __doc__=SourceAnswer.__doc__,
        sentence=(numbers, Field(description=SourceAnswer.model_fields["sentence"].description)),
    )
    return create_model(
        "StanceAnswer",
        __base__=StanceAnswer,
        __doc__=StanceAnswer.__doc__,
        sources=(list[source], Field(max_length=max_sources)),  # type: ignore[valid-type]
    )
