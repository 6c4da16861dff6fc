"""The public data formats of claimx.

Two layers share one claim shape:

* :class:`Claim` is the gold-standard record of ``eval/ANNOTATION.md``: the
  proposition, who said it, their stance and the verbatim evidence with its
  offsets. Gold files (:class:`GoldArticle`) hold lists of them.
* :class:`ExtractedClaim` is what :func:`claimx.extract` returns: a
  :class:`Claim` plus how its quote was grounded in the article and which
  resolved speaker it belongs to.

The JSON Schemas in ``schemas/`` are generated from these models
(``claimx schemas``); a test fails when they drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from claimx.text.spans import Span

Stance = Literal["supports", "refutes", "uncertain"]
STANCES: tuple[Stance, ...] = ("supports", "refutes", "uncertain")
OPPOSITE: dict[Stance, Stance] = {
    "supports": "refutes",
    "refutes": "supports",
    "uncertain": "uncertain",
}
"""A stance toward a proposition, as a stance toward its negation."""

GroundingMethod = Literal["exact", "normalized", "fuzzy", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Fragments = Annotated[
    list[tuple[int, int]],
    Field(
        default_factory=list,
        description="Discontinuous evidence: its pieces [start, end), each inside"
        " [start, end); empty for one piece.",
    ),
]
"""The pieces of a discontinuous evidence ("Her failings, it said, are ..." is two,
around "it said"): ``quote`` and ``start``/``end`` enclose them all."""


def _check_fragments(start: int, end: int, fragments: list[tuple[int, int]]) -> None:
    for s, e in fragments:
        if not start <= s < e <= end:
            raise ValueError(f"fragment [{s}:{e}] is not inside [{start}:{end}]")


def _pieces(start: int, end: int, fragments: list[tuple[int, int]]) -> tuple[Span, ...]:
    return tuple(Span(s, e) for s, e in fragments) or (Span(start, end),)


def evidence_fragments(pieces: Sequence[Span]) -> list[tuple[int, int]]:
    """The ``fragments`` field of evidence in ``pieces``: empty for one piece."""
    return [(p.start, p.end) for p in pieces] if len(pieces) > 1 else []


class Claim(_Strict):
    """One attributed claim, in the gold-standard format."""

    claim: str = Field(
        min_length=1,
        description="Self-contained proposition in affirmative form; denial is carried by stance.",
    )
    speaker: str = Field(min_length=1, description="The original source, at its fullest name.")
    speaker_role: str | None = Field(
        default=None, description="The descriptor the article gives the speaker, if any."
    )
    stance: Stance = Field(description="The speaker's stance toward the claim.")
    quote: str = Field(
        min_length=1,
        description="Exact verbatim evidence: text[start:end] (its fragments and all).",
    )
    start: int = Field(ge=0, description="Character offset of quote (Python str index).")
    end: int = Field(ge=0, description="End offset, exclusive.")
    fragments: Fragments
    direct: bool = Field(description="True when the evidence is a direct quotation.")

    @model_validator(mode="after")
    def _span_length_matches_quote(self) -> Claim:
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"offsets [{self.start}:{self.end}] span {self.end - self.start} characters "
                f"but quote has {len(self.quote)}"
            )
        _check_fragments(self.start, self.end, self.fragments)
        return self

    @property
    def span(self) -> Span:
        """The evidence's offsets as a :class:`~claimx.text.spans.Span`."""
        return Span(self.start, self.end)

    @property
    def pieces(self) -> tuple[Span, ...]:
        """The evidence as spans: its fragments, or the one span."""
        return _pieces(self.start, self.end, self.fragments)


class Attribution(_Strict):
    """An attribution as public corpora annotate it: evidence, source and cue, nothing more.

    Corpora such as PolNeAR mark where a source is reported (the content span,
    often in pieces: "Her failings, it said, are ..."), the source as written
    ("he", "the newspaper"; may be absent) and the cue ("said", "according to",
    ":"), but no proposition and no stance. Such a record is scored for
    detection only (:mod:`claimx.eval.detection`). ``start``/``end`` enclose
    every fragment; ``quote`` is ``text[start:end]``.
    """

    quote: str = Field(min_length=1, description="text[start:end], fragments and all.")
    start: int = Field(ge=0, description="Character offset of the evidence (Python str index).")
    end: int = Field(ge=0, description="End offset, exclusive.")
    fragments: Fragments
    source: str | None = Field(default=None, description="The source as written, if annotated.")
    source_start: int | None = Field(default=None, ge=0)
    source_end: int | None = Field(default=None, ge=0)
    cue: str | None = Field(default=None, description="The cue as written ('said', ':').")
    cue_start: int | None = Field(default=None, ge=0)
    cue_end: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _spans_are_consistent(self) -> Attribution:
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"offsets [{self.start}:{self.end}] span {self.end - self.start} characters "
                f"but quote has {len(self.quote)}"
            )
        _check_fragments(self.start, self.end, self.fragments)
        for name in ("source", "cue"):
            value = getattr(self, name)
            s, e = getattr(self, f"{name}_start"), getattr(self, f"{name}_end")
            if (s is None) != (e is None):
                raise ValueError(f"{name}_start and {name}_end go together")
            if value is not None and s is not None and e is not None and e - s != len(value):
                raise ValueError(f"{name} offsets [{s}:{e}] do not fit {name} {value!r}")
        return self

    @property
    def pieces(self) -> tuple[Span, ...]:
        """The evidence as spans: its fragments, or the one span."""
        return _pieces(self.start, self.end, self.fragments)


class GoldRecord(_Strict):
    """One line of a JSONL gold file: an article and its claims.

    ``claims`` may mix full claims (:class:`Claim`) and detection-only
    records (:class:`Attribution`); each is scored by what it has.
    """

    id: str = Field(min_length=1)
    text: str
    claims: list[Claim | Attribution]


class GoldArticle(_Strict):
    """A gold file: every attributed claim of one article."""

    article_id: str = Field(min_length=1, description="The article file's stem.")
    claims: list[Claim]


class Grounding(_Strict):
    """Where and how an extracted quote was found in the article.

    Offsets are always set by claimx, never trusted from the model.
    """

    grounded: bool
    method: GroundingMethod
    score: float = Field(ge=0.0, le=100.0, description="Alignment score, 100 for exact.")
    model_quote: str = Field(description="The quote as the model wrote it.")


ConfidenceSource = Literal["agreement", "votes", "rule", "logprob"]


class Confidence(_Strict):
    """How sure claimx is of one extracted claim, and what the figure rests on.

    ``agreement``: independent deciders (the model and the attribution rules)
    were compared; ``votes``: the share of samples or prompt variants that gave
    this answer; ``rule``: a rule decided alone; ``logprob``: the model's own
    token probability. The eval's reliability table shows what each bin is worth.
    """

    value: float = Field(ge=0.0, le=1.0)
    source: ConfidenceSource
    detail: str = Field(default="", description="Which signals agreed or not, in words.")


class ExtractedClaim(Claim):
    """A claim produced by the extractor, with its grounding and speaker id."""

    speaker_id: str = Field(description="Id of the resolved speaker in ExtractionResult.speakers.")
    grounding: Grounding
    confidence: Confidence | None = Field(
        default=None, description="How sure claimx is of this claim (None: not estimated)."
    )


class Speaker(_Strict):
    """A source as resolved within one article: one person or body, all its names."""

    id: str
    name: str = Field(description="Fullest name used in the article.")
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)


class Usage(_Strict):
    """Token usage of every model call made for one article, retries included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
        )


class ExtractionResult(_Strict):
    """Everything claimx knows about one extraction run on one article."""

    article_id: str
    claims: list[ExtractedClaim]
    ungrounded: list[ExtractedClaim] = Field(
        default_factory=list,
        description="Claims whose quote could not be located; excluded from claims unless kept.",
    )
    speakers: list[Speaker] = Field(default_factory=list)
    model: str
    prompt: str = Field(description="Prompt reference, name@version.")
    prompt_hash: str = Field(
        description="Content hash of the prompt template, examples and schema."
    )
    strategy: str
    usage: Usage = Field(
        default_factory=Usage, description="The model calls made for this article by this run."
    )
    cached: bool = Field(
        default=False,
        description="Some answers came from the response cache: no call was made for them,"
        " and latency_s is this run's time, not the model's.",
    )
    cached_usage: Usage | None = Field(
        default=None,
        description="What the calls behind the cached answers cost when they were made"
        " (not part of usage).",
    )
    latency_s: float = Field(ge=0.0)
    warnings: list[str] = Field(
        default_factory=list,
        description="What went wrong without failing the article (e.g. a skipped candidate).",
    )

    def to_gold(self) -> GoldArticle:
        """The grounded claims in the gold file format, for any other scorer."""
        return GoldArticle(
            article_id=self.article_id,
            claims=[
                Claim.model_validate(c.model_dump(include=set(Claim.model_fields)))
                for c in self.claims
            ],
        )


class Article(_Strict):
    """An article to extract from."""

    id: str = Field(min_length=1)
    text: str


PUBLIC_SCHEMAS: dict[str, type[BaseModel]] = {
    "claim": Claim,
    "gold_article": GoldArticle,
    "attribution": Attribution,
    "gold_record": GoldRecord,
    "extraction_result": ExtractionResult,
}


# --- targeted stance: what one article says about one given claim -------------------

ArticleStance = Literal["supports", "refutes", "uncertain", "unrelated"]
"""An article's overall position toward a given claim: a :data:`Stance`, or ``unrelated``
when the article does not address the claim. Only the article level needs the fourth
class: a source quoted on the claim always takes one of the three."""
ARTICLE_STANCES: tuple[ArticleStance, ...] = (*STANCES, "unrelated")


class SourceStance(_Strict):
    """One source's stance toward a given claim in one article, with its verbatim evidence.

    The labelling rules are in ``eval/ANNOTATION.md`` ("Targeted stance").
    """

    speaker: str = Field(min_length=1, description="The source, named as in the claim gold.")
    stance: Stance = Field(description="The source's stance toward the given claim.")
    quote: str = Field(min_length=1, description="Exact verbatim evidence: text[start:end].")
    start: int = Field(ge=0, description="Character offset of quote (Python str index).")
    end: int = Field(ge=0, description="End offset, exclusive.")

    @model_validator(mode="after")
    def _span_length_matches_quote(self) -> SourceStance:
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"offsets [{self.start}:{self.end}] span {self.end - self.start} characters "
                f"but quote has {len(self.quote)}"
            )
        return self


class Excerpt(_Strict):
    """A verbatim passage of an article: ``text[start:end] == quote``."""

    quote: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _span_length_matches_quote(self) -> Excerpt:
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"offsets [{self.start}:{self.end}] span {self.end - self.start} characters "
                f"but quote has {len(self.quote)}"
            )
        return self


class TargetedRecord(_Strict):
    """One line of a targeted-stance gold file: a claim, an article, the article's position.

    ``sources`` is None when only the article level is annotated (FNC-1 gives one
    label per headline-body pair) and a list, possibly empty, when every source's
    stance was annotated (the five articles' gold). ``text`` is the article inline,
    or None when ``article_id`` names a file of the articles folder the gold is
    read with (``eval/articles``), so that the five articles are not copied.
    ``narration`` holds the article's own words (narration, an unattributed
    headline) where they, and not the sources, set ``stance``.
    """

    id: str = Field(min_length=1, description="Unique within its file.")
    claim_id: str | None = Field(
        default=None, description="Groups the records that ask about one claim."
    )
    claim: str = Field(min_length=1, description="The given claim, as a user would type it.")
    article_id: str = Field(min_length=1)
    text: str | None = Field(
        default=None, description="The article; None: read <articles>/<article_id>.txt."
    )
    stance: ArticleStance = Field(description="The article's overall position.")
    sources: list[SourceStance] | None = Field(
        default=None, description="Every source's stance; None when not annotated."
    )
    narration: list[Excerpt] = Field(
        default_factory=list,
        description="The article's own words that set its position where its sources do not.",
    )


Polarity = Literal["same", "negated"]
"""How an extracted proposition relates to the given claim: it states the claim
(its stance carries over) or the claim's negation (supports and refutes swap)."""

TargetedDecider = Literal["screen", "sources", "classifier", "model"]
"""What settled an article's position: the unrelated screen, the matched sources
(extracted claims that state the claim), a reader with no model (``classifier``:
the lexical classifier or the cross-encoder, :mod:`claimx.targeted.readers`), or the
model (a ``targeted`` prompt)."""


class MatchedSource(SourceStance):
    """A source's stance toward the given claim: read off one extracted claim, or named by
    the model (then the proposition fields are None and the evidence is the part of the
    sentence the model pointed at, read by rule: exact by construction)."""

    speaker_id: str | None = Field(
        default=None,
        description="The resolved speaker's id (in the ExtractionResult, or among the"
        " sources the model named).",
    )
    proposition: str | None = Field(
        default=None, description="The extracted claim the stance was read from (None: the model)."
    )
    proposition_stance: Stance | None = Field(
        default=None, description="The extracted claim's own stance (None: the model)."
    )
    polarity: Polarity | None = None
    similarity: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Proposition match score (None: the model)."
    )


class TargetedAnswer(_Strict):
    """What claimx answers about one given claim in one article.

    ``decided_by`` says what settled ``stance`` (:data:`TargetedDecider`). ``usage``
    counts the model calls made for this answer only: extraction reused from saved
    results costs none; ``latency_s`` is the seconds those calls took. ``prompt``,
    ``prompt_hash`` and ``model`` say which targeted prompt and model were asked
    (None when none was configured), whatever settled the answer.
    """

    claim: str
    article_id: str
    stance: ArticleStance
    decided_by: TargetedDecider
    sources: list[MatchedSource] = Field(default_factory=list)
    relatedness: float = Field(
        ge=0.0, le=1.0, description="The screen's score: the best sentence's claim coverage."
    )
    best_start: int | None = Field(default=None, ge=0, description="Best-matching sentence.")
    best_end: int | None = Field(default=None, ge=0)
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = Field(default=0.0, ge=0.0, description="Seconds of this answer's calls.")
    cached: bool = Field(
        default=False, description="The model's answer came from the response cache."
    )
    prompt: str | None = Field(default=None, description="The targeted prompt, name@version.")
    prompt_hash: str | None = Field(default=None, description="Its content hash.")
    model: str | None = None
    warnings: list[str] = Field(default_factory=list)


# Added here rather than in the dict above: the classes must exist first.
PUBLIC_SCHEMAS["targeted_record"] = TargetedRecord
PUBLIC_SCHEMAS["targeted_answer"] = TargetedAnswer
