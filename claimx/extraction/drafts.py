"""What the model is asked to fill in: claim drafts, before grounding.

Kept apart from :mod:`claimx.models` because this is a wire format tuned for
small models: the quote comes first (copy the evidence, then say what it
claims), and every string and list is bounded, because an unbounded schema
lets a small model keep adding claims until ``max_tokens`` cuts the JSON.
Offsets are not asked for: claimx finds the quote in the article itself.

Changing anything here changes the request body, so it invalidates the
recorded cassettes (re-record them with ``scripts/record-cassettes.sh``;
:mod:`claimx.cassettes`).
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from claimx.models import Stance


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


class ClaimDraft(BaseModel):
    """One claim as the model reports it."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(
        max_length=400,
        description="The exact words of the article that carry the claim, copied verbatim.",
    )
    speaker: str = Field(
        max_length=80,
        description="Who makes the claim: the original source, by full name as in the article.",
    )
    speaker_role: str | None = Field(
        default=None,
        max_length=100,
        description="The speaker's title or role, if the article gives one.",
    )
    stance: Stance = Field(
        description="supports: the speaker asserts it; refutes: denies it; uncertain: cannot say."
    )
    claim: str = Field(
        max_length=300,
        description="The proposition as a self-contained affirmative sentence.",
    )

    @field_validator("quote", "speaker", "claim")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return _non_blank(value)


class ClaimDrafts(BaseModel):
    """The model's whole answer for one request."""

    model_config = ConfigDict(extra="forbid")

    claims: list[ClaimDraft]


class NumberedDraft(BaseModel):
    """One claim of a numbered sentence (``answer: numbered`` prompts).

    No quote: the evidence is read off the numbered sentence by claimx
    (:mod:`claimx.extraction.evidence`), so the model spends no output tokens
    copying text it was given, and the span is exact by construction.
    """

    model_config = ConfigDict(extra="forbid")

    sentence: int = Field(ge=1, le=40, description="The number of the sentence the claim is in.")
    speaker: str = Field(
        max_length=80,
        description="Who makes the claim: the original source, by full name as in the article.",
    )
    stance: Stance = Field(
        description="supports: the speaker asserts it; refutes: denies it; uncertain: cannot say."
    )
    claim: str = Field(
        max_length=300,
        description="The proposition as a self-contained affirmative sentence.",
    )

    @field_validator("speaker", "claim")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return _non_blank(value)


class NumberedDrafts(BaseModel):
    """The model's whole answer for one request of numbered sentences."""

    model_config = ConfigDict(extra="forbid")

    claims: list[NumberedDraft]


@cache
def numbered_drafts_model(max_claims: int) -> type[NumberedDrafts]:
    """The numbered answer schema with the claim list bounded at ``max_claims``."""
    return create_model(
        "NumberedDrafts",
        __base__=NumberedDrafts,
        __doc__=NumberedDrafts.__doc__,
        claims=(list[NumberedDraft], Field(max_length=max_claims)),
    )


@cache
def drafts_model(max_claims: int) -> type[ClaimDrafts]:
    """The answer schema with the claim list bounded at ``max_claims`` (a prompt parameter)."""
    return create_model(
        "ClaimDrafts",
        __base__=ClaimDrafts,
        __doc__=ClaimDrafts.__doc__,
        claims=(list[ClaimDraft], Field(max_length=max_claims)),
    )
