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
from functools import cache, lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, field_validator

from claimx.models import Stance


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


# The fields both answer formats share, defined once (their schema is part of every
# request body: a change here invalidates the recordings).
Speaker = Annotated[
    str,
    AfterValidator(_non_blank),
    Field(
        max_length=80,
        description="Who makes the claim: the original source, by full name as in the article.",
    ),
]
StanceField = Annotated[
    Stance,
    Field(
        description="supports: the speaker asserts it; refutes: denies it; uncertain: cannot say."
    ),
]


def _proposition(value: str) -> str:
    # A small model sometimes closes its JSON inside the string ('... ahead.”}]}]}'):
    # brackets that open nowhere in the claim are debris, not words of it.
    value = _non_blank(value)
    if "{" not in value and "[" not in value:
        value = _non_blank(re.sub(r"[\s,\"]*[}\]][\s}\],\"]*$", "", value))
    return value


Proposition = Annotated[
    str,
    AfterValidator(_proposition),
    Field(max_length=300, description="The proposition as a self-contained affirmative sentence."),
]


class ClaimDraft(BaseModel):
    """One claim as the model reports it."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(
        max_length=400,
        description="The exact words of the article that carry the claim, copied verbatim.",
    )
    speaker: Speaker
    speaker_role: str | None = Field(
        default=None,
        max_length=100,
        description="The speaker's title or role, if the article gives one.",
    )
    stance: StanceField
    claim: Proposition

    @field_validator("quote")
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

    speaker: Speaker
    stance: StanceField
    claim: Proposition


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

    #: the sentence's number and first words, which the grammar fixes
    #: (:func:`numbered_answer_model`): the model writes where it is before what it read
    sentence: str
    claims: list[SpokenClaim]


class NumberedAnswer(BaseModel):
    """The model's whole answer for one request of numbered sentences."""

    model_config = ConfigDict(extra="forbid")

    sentences: Sequence[SentenceClaims]


OPENING_WORDS = 4
"""Words of a numbered sentence its answer entry opens with."""


def opening(number: int, sentence: str) -> str:
    """How the answer entry of sentence ``number`` starts: ``[2] Peskov is just lying``."""
    return f"[{number}] " + " ".join(sentence.split()[:OPENING_WORDS])


@lru_cache(maxsize=128)  # one per request: bounded, or a corpus keeps every one (issue 25)
def numbered_answer_model(openings: tuple[str, ...], max_claims: int) -> type[NumberedAnswer]:
    """The answer for the numbered sentences ``openings`` (:func:`opening`): one entry per
    sentence, in order, each starting with its opening as a constant, each with at most
    ``max_claims`` claims. A small model asked for a list of entries loses count and
    answers sentence 2 in entry 1; with the opening forced it reads each in turn.
    """
    # Fields built at run time: typed Any, as pydantic's stubs for ``create_model``
    # differ between its releases.
    claims: Any = (list[SpokenClaim], Field(max_length=max_claims))
    entries = []
    for n, text in enumerate(openings, 1):
        sentence: Any = (Literal[text], ...)
        entries.append(
            create_model(
                f"Sentence{n}",
                __base__=SentenceClaims,
                __doc__=SentenceClaims.__doc__,
                sentence=sentence,
                claims=claims,
            )
        )
    sentences: Any = (tuple[tuple(entries)], ...)  # type: ignore[misc]
    return create_model(
        "NumberedAnswer",
        __base__=NumberedAnswer,
        __doc__=NumberedAnswer.__doc__,
        sentences=sentences,
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


def openings_of(text: str) -> tuple[str, ...]:
    """The openings (:func:`opening`) of a request text's numbered sentences."""
    return tuple(
        opening(int(m.group(1)), text[m.end() :].split("\n", 1)[0])
        for m in NUMBER_MARK.finditer(text)
    )


def numbered_answer(drafts: list[NumberedDraft], text: str) -> NumberedAnswer:
    """``drafts`` (each naming its sentence) as the answer to the numbered request ``text``."""
    entries = [
        SentenceClaims(
            sentence=head,
            claims=[
                SpokenClaim(**d.model_dump(exclude={"sentence"})) for d in drafts if d.sentence == n
            ],
        )
        for n, head in enumerate(openings_of(text), 1)
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
