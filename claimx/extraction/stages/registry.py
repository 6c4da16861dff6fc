"""The stages of the pipeline: their contracts, and the one registry they are found in.

An extraction is one pipeline of five steps, each a *kind* of stage:

======== ============================================================ ====================
kind     what it does                                                 contract
======== ============================================================ ====================
find     stage one: where claims may be, without the model            :class:`Finder`
ask      how candidates are packed into requests, answers into drafts :class:`Asker`
keep     which drafts are kept                                        :class:`ClaimFilter`
speaker  who each claim's speaker is: the model's, or the sentence's  :class:`SpeakerRule`
stance   who decides the stance: the model, or the attribution rules  :class:`StanceRule`
======== ============================================================ ====================

A prompt file names one stage of each kind, with its parameters, under
``pipeline:`` (:class:`claimx.prompts.StageRef`); a version is a choice of
stages plus templates and examples. A stage is a class with a ``name``, a
``Params`` pydantic model (its typed parameters, checked when the prompt's
pipeline is built) and the methods of its kind, registered once with
:func:`register`. Adding one is one module and one decorator; every caller
reads what it needs from the contract (no ``getattr`` for optional methods).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from claimx.errors import PromptError

if TYPE_CHECKING:
    from claimx.extraction.records import Candidate, Draft, Request
    from claimx.extraction.stance import StanceDecision
    from claimx.models import Stance
    from claimx.prompts import FewShotExample, PromptSpec, StageRef
    from claimx.text.grounding import Located

__all__ = [
    "KINDS",
    "Asker",
    "ClaimFilter",
    "Finder",
    "Kind",
    "NoParams",
    "SpeakerRule",
    "Stage",
    "StanceRule",
    "build_stage",
    "register",
    "registered",
]

Kind = Literal["find", "ask", "keep", "speaker", "stance"]
KINDS: tuple[Kind, ...] = ("find", "ask", "keep", "speaker", "stance")


class NoParams(BaseModel):
    """A stage without parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(ABC):  # noqa: B024 - the kinds below declare the abstract methods
    """A stage: a ``kind``, a ``name``, and its typed parameters (``Params``)."""

    kind: ClassVar[Kind]
    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, params: BaseModel) -> None:
        self.params = params


class Finder(Stage):
    """Stage one: the candidates of an article, found without the model."""

    kind = "find"
    #: whether an article too long for one request may be cut into chunks, each going
    #: through the pipeline as an article (the whole text; a finder of sentences never
    #: overflows a request)
    chunkable: ClassVar[bool] = False
    #: whether this is a stage one that given spans can replace (the eval's oracle);
    #: the whole text is not: there is nothing to replace
    replaceable: ClassVar[bool] = True

    @abstractmethod
    def find(self, text: str) -> list[Candidate]:
        """The candidates of ``text``, in article order (what the eval's stage-one recall reads)."""


class Asker(Stage):
    """How candidates become requests, and each answer drafts."""

    kind = "ask"
    #: the template variables its requests fill
    provides: ClassVar[frozenset[str]]
    #: whether each request is planned from the text alone, never from an earlier
    #: answer: then every request of a corpus is known before any is sent (the
    #: provider batch engine needs it)
    independent: ClassVar[bool] = True

    @abstractmethod
    def requests(
        self, text: str, candidates: Sequence[Candidate], spec: PromptSpec
    ) -> list[Request]:
        """The requests that ask about ``candidates`` (given spans among them, maybe)."""

    @abstractmethod
    def response_model(self, spec: PromptSpec) -> type[BaseModel]:
        """The answer schema (part of the prompt's content hash)."""

    @abstractmethod
    def example_answer(self, spec: PromptSpec, example: FewShotExample) -> str:
        """A few-shot example's answer, as the assistant turn shows it (JSON).

        Raises ValueError saying what is wrong with the example's claims."""

    @abstractmethod
    def drafts(self, text: str, request: Request, answer: Any) -> list[Draft]:
        """The drafts of one request's validated answer."""


class ClaimFilter(Stage):
    """Which drafts are kept."""

    kind = "keep"
    #: a filter that judges stage one's candidates is off when given spans replace them
    judges_stage_one: ClassVar[bool] = False

    @abstractmethod
    def keep(self, text: str, drafts: list[Draft]) -> list[Draft]:
        """The drafts kept, in order."""


class SpeakerRule(Stage):
    """Who each claim's speaker is, before the article's speakers are resolved."""

    kind = "speaker"

    @abstractmethod
    def names(self, text: str, drafts: Sequence[Draft], located: Sequence[Located]) -> list[str]:
        """One speaker name per draft (``located``: where each draft's evidence is)."""


class StanceRule(Stage):
    """Who decides each claim's stance; the other opinion is the check behind its confidence."""

    kind = "stance"

    @abstractmethod
    def decide(self, claim: str, quote: str, before: str, model_stance: Stance) -> StanceDecision:
        """The stance (and the affirmative proposition) of one claim
        (:func:`claimx.extraction.stance.decide`)."""


_REGISTRY: dict[tuple[Kind, str], type[Stage]] = {}
S = TypeVar("S", bound=type[Stage])


def register(cls: S) -> S:
    """Register a stage class under its kind and name (a class decorator)."""
    key = (cls.kind, cls.name)
    if key in _REGISTRY and _REGISTRY[key] is not cls:
        raise PromptError(f"a {cls.kind} stage named {cls.name!r} is registered already")
    _REGISTRY[key] = cls
    return cls


def registered(kind: Kind) -> list[str]:
    """The names of the stages of ``kind``."""
    return sorted(name for k, name in _REGISTRY if k == kind)


def build_stage(kind: Kind, ref: StageRef, *, where: str) -> Stage:
    """The stage ``ref`` names, with its parameters checked; errors name ``where``."""
    cls = _REGISTRY.get((kind, ref.name))
    if cls is None:
        raise PromptError(
            f"{where}: unknown {kind} stage {ref.name!r}; available: {', '.join(registered(kind))}"
        )
    try:
        params = cls.Params.model_validate(ref.params)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in exc.errors()
        )
        raise PromptError(f"{where}: {kind} stage {ref.name!r}: {problems}") from None
    return cls(params)
