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

import re
from collections.abc import Sequence
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


class SpokenClaim(BaseModel):
    """One claim of a numbered sentence, as the model answers it (no quote, no number)."""

    model_config = ConfigDict(extra="forbid")

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


class NumberedDraft(SpokenClaim):
    """A claim of numbered sentence ``sentence``: how ``answer: numbered`` prompts write examples.

    The model is not asked for a quote: the evidence is read off the numbered
    sentence by claimx (:mod:`claimx.extraction.evidence`), so the model spends
    no output tokens copying text it was given, and the span is exact by
    construction. Nor for the number: its answer has one entry per numbered
    sentence, in order (:func:`numbered_answer_model`), which the grammar
    enforces, so no sentence is skipped unread.
    """

    sentence: int = Field(ge=1, description="The number of the sentence the claim is in.")


class SentenceClaims(BaseModel):
    """The claims of one numbered sentence (empty when it has none)."""

    model_config = ConfigDict(extra="forbid")

    claims: list[SpokenClaim]


class NumberedAnswer(BaseModel):
    """The model's whole answer for one request of numbered sentences."""

    model_config = ConfigDict(extra="forbid")

    sentences: list[SentenceClaims]


@cache
def numbered_answer_model(sentences: int, max_claims: int) -> type[NumberedAnswer]:
    """The answer for ``sentences`` numbered sentences: exactly that many entries, in order,
    each with at most ``max_claims`` claims."""
    entry = create_model(
        "SentenceClaims",
        __base__=SentenceClaims,
        __doc__=SentenceClaims.__doc__,
        claims=(list[SpokenClaim], Field(max_length=max_claims)),
    )
    return create_model(
        "NumberedAnswer",
        __base__=NumberedAnswer,
        __doc__=NumberedAnswer.__doc__,
        sentences=(list[entry], Field(min_length=sentences, max_length=sentences)),  # type: ignore[valid-type]
    )


NUMBER_MARK = re.compile(r"^\[(\d+)\] ", re.MULTILINE)
"""How a numbered sentence starts its line in a request: ``[3] The mayor said ...``."""


def numbered_lines(numbered: Sequence[str], context: Sequence[tuple[int, str]] = ()) -> str:
    """The request text: sentence n as ``[n] ...``; ``context`` lines (after the numbered
    sentence of that index, 0 for before the first) as ``- ...``."""
    out = [f"- {line}" for i, line in context if i == 0]
    for n, sentence in enumerate(numbered, 1):
        out.append(f"[{n}] {sentence}")
        out.extend(f"- {line}" for i, line in context if i == n)
    return "\n".join(out)


def count_numbered(text: str) -> int:
    """How many numbered sentences a request text has."""
    return len(NUMBER_MARK.findall(text))


def numbered_answer(drafts: list[NumberedDraft], sentences: int) -> NumberedAnswer:
    """``drafts`` (each naming its sentence) as the answer for ``sentences`` numbered sentences."""
    entries = [
        SentenceClaims(
            claims=[
                SpokenClaim(**d.model_dump(exclude={"sentence"})) for d in drafts if d.sentence == n
            ]
        )
        for n in range(1, sentences + 1)
    ]
    return NumberedAnswer(sentences=entries)


@cache
def drafts_model(max_claims: int) -> type[ClaimDrafts]:
    """The answer schema with the claim list bounded at ``max_claims`` (a prompt parameter)."""
    return create_model(
        "ClaimDrafts",
        __base__=ClaimDrafts,
        __doc__=ClaimDrafts.__doc__,
        claims=(list[ClaimDraft], Field(max_length=max_claims)),
    )
