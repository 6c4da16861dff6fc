"""What flows between the stages of the pipeline: candidates, requests, drafts.

Stage one finds :class:`Candidate` s (where claims may be, without the model);
the ask stage packs them into :class:`Request` s and reads each answer into
:class:`Draft` s (what the model said, and where in the article to look for
its evidence); :class:`Drafts` is what an article's requests produced, with
their usage and what was skipped on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from claimx.extraction.drafts import ClaimDraft
from claimx.models import Usage
from claimx.text.grounding import Located
from claimx.text.spans import Span, Spanned

__all__ = ["Candidate", "Draft", "Drafts", "Request"]


@dataclass(frozen=True)
class Candidate(Spanned):
    """A part of the article to ask the model about, found without the model.

    ``span`` is what is asked about (a sentence, a given span, the whole text);
    ``paragraph`` the paragraph(s) holding it, shown as its context. ``window``
    is where the evidence of its claims may lie: a quote is grounded there, and
    one found elsewhere (in the context) belongs to another candidate; None
    for the whole text (a quote found nowhere is then an ungrounded claim).
    ``exact``: the span is itself the evidence of the claims asked about it (a
    span the caller gave, the eval's oracle; an attribution's content tagged by
    a model); else the evidence is found within it.
    """

    span: Span
    paragraph: Span
    window: Span | None
    exact: bool = False
    #: a finder that reads attributions (a tagger) says who (the source as written,
    #: if any) and by which cue
    source: Span | None = None
    cue: Span | None = None
    #: the pieces of an ``exact`` span, which it encloses: several for a discontinuous
    #: content ("Her failings, it said, are ..."); empty when the finder does not say
    pieces: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Request:
    """One planned request: the template variables and the candidates it asks about."""

    variables: dict[str, str]
    candidates: tuple[Candidate, ...]
    #: where this request's quotes are grounded (None: anywhere in the text)
    window: Span | None = None
    #: the answer schema of this request, when it is not the ask stage's own
    #: (a numbered request is bounded to its sentence count)
    answer: type[BaseModel] | None = None


@dataclass(frozen=True)
class Draft:
    """A claim as the model wrote it, and where it was asked about."""

    claim: ClaimDraft
    #: the span of the article the model was shown, when it saw only part of it;
    #: the quote must be found there (a quote from the context paragraph belongs
    #: to that paragraph's own request, and would otherwise be counted twice)
    window: Span | None = None
    #: where the evidence is, in article offsets, when that is known already (read
    #: off the sentence, or grounded once by chunking): grounding runs once per draft
    located: Located | None = None
    #: the source as the article writes it ("he", "Kirby", "the spokesman"), when stage
    #: one found it (the speaker stage may resolve it to a name)
    source: Span | None = None
    #: the pieces of the evidence that ``located`` encloses (its exact candidate's
    #: :attr:`Candidate.pieces`); empty when not known
    pieces: tuple[Span, ...] = ()


@dataclass
class Drafts:
    """An article's drafts, the usage of every call made, and what was skipped on the way."""

    drafts: list[Draft] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    warnings: list[str] = field(default_factory=list)
