"""The strategy contract and the records strategies produce.

A strategy owns its contract: what it plans to ask about (:meth:`Strategy.plan`,
without the model), whether it can be told where the claims are
(:attr:`Strategy.takes_evidence`: the eval's oracle gives the gold evidence
spans in place of stage one, to measure what the strategy adds after it),
whether a long article may be cut into chunks for it
(:attr:`Strategy.chunkable`), which template variables it fills
(:attr:`Strategy.provides`) and which prompt parameters it reads (typed, on the
strategy). :func:`ask` is the request loop they share.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from claimx.errors import ExtractionError, PromptError
from claimx.extraction.drafts import ClaimDraft, ClaimDrafts
from claimx.llm.protocol import Completion, Model
from claimx.models import Usage
from claimx.prompts import PromptSpec
from claimx.text.grounding import Located
from claimx.text.spans import Span


@dataclass(frozen=True)
class Draft:
    """A claim as the model wrote it, and where the strategy asked about it."""

    claim: ClaimDraft
    #: the span of the article the model was shown, when it saw only part of it;
    #: the quote must be found there (a quote from the context paragraph belongs
    #: to that paragraph's own request, and would otherwise be counted twice)
    window: Span | None = None
    #: where the quote was found, in article offsets, when that is known already
    #: (chunking grounds each draft to merge the chunks' overlaps): grounding runs
    #: once per draft
    located: Located | None = None


@dataclass(frozen=True)
class Request:
    """One planned request: the template variables, and the part of the article shown."""

    variables: dict[str, str]
    #: None: the model sees the whole text it was given
    window: Span | None = None
    #: the answer schema of this request, when it is not the prompt's own
    #: (a numbered request is bounded to its sentence count)
    answer: type[BaseModel] | None = None


@dataclass
class StrategyOutput:
    """Drafts, the usage of every call made, and what was skipped on the way."""

    drafts: list[Draft] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    warnings: list[str] = field(default_factory=list)


class Strategy(Protocol):
    """Turns one article into claim drafts with the model."""

    name: str
    #: template variables the strategy provides to the prompt
    provides: frozenset[str]
    #: whether an article too long for one request may be split into chunks, each
    #: chunk going through the strategy as an article (:mod:`claimx.extraction.chunking`);
    #: False for strategies whose requests show only a paragraph at a time
    chunkable: bool

    #: whether :meth:`plan` and :meth:`drafts` accept ``evidence``: the spans to ask
    #: about instead of the strategy's own stage one (one request per distinct span)
    takes_evidence: bool

    def plan(
        self, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> list[Request]:
        """The requests :meth:`drafts` will send for ``text``, without calling the model.

        ``evidence`` (article offsets; only when :attr:`takes_evidence`): ask about
        exactly these spans instead of the strategy's own candidates.
        """
        ...

    async def drafts(
        self, llm: Model, spec: PromptSpec, text: str, *, evidence: Sequence[Span] | None = None
    ) -> StrategyOutput:
        """Ask the model about one article (about ``evidence`` only, when given)."""
        ...


def refuse_evidence(
    strategy: Strategy, evidence: Sequence[Span] | None, *, prompt: str = ""
) -> None:
    """Raise :class:`PromptError` when ``evidence`` is given to a strategy that cannot take it."""
    if evidence is not None and not strategy.takes_evidence:
        uses = f"{prompt} uses strategy" if prompt else "strategy"
        raise PromptError(
            f"{uses} {strategy.name!r}, which cannot be given evidence spans: it asks about the"
            " whole article at once, with no stage one to replace. Use a prompt with a staged"
            " strategy (extract@v3 or later), or extract without evidence"
        )


def claim_drafts(request: Request, answer: ClaimDrafts) -> list[Draft]:
    """The drafts of one answer in the quoted format: each claim as the model wrote it."""
    return [Draft(claim=c, window=request.window) for c in answer.claims]


async def ask(
    llm: Model,
    spec: PromptSpec,
    requests: Sequence[Request],
    *,
    skip_failures: bool,
    to_drafts: Callable[[Request, Any], list[Draft]] = claim_drafts,
) -> StrategyOutput:
    """Send ``requests`` together and collect their drafts and usage, in plan order.

    The requests are independent: they are all handed to ``llm`` at once, and
    its :class:`~claimx.llm.layers.RequestLimit` decides how many are in
    flight (one by default: a one-slot local server answers one at a time,
    and requests sharing the system prompt and examples reuse its KV cache).
    Whatever the limit, the drafts come in the order of ``requests``, so the
    results do not depend on it. With ``skip_failures`` a request that fails
    with an :class:`~claimx.errors.ExtractionError` is skipped with a warning
    (one bad candidate must not lose the article). Any other failure is
    raised at once and the requests not yet answered are cancelled.
    ``to_drafts`` turns one answer (of ``spec.response_model``) into drafts.
    """

    async def one(request: Request) -> Completion[Any] | ExtractionError:
        messages = spec.render(**request.variables)
        try:
            answer = request.answer or spec.response_model
            return await llm.complete(messages, answer, max_tokens=spec.params.max_tokens)
        except ExtractionError as exc:
            if not skip_failures:
                raise
            return exc

    tasks = [asyncio.ensure_future(one(request)) for request in requests]
    try:
        answers = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # retrieved: none left pending
        raise
    out = StrategyOutput()
    for request, answer in zip(requests, answers, strict=True):
        if isinstance(answer, ExtractionError):
            where = f" at {request.window.start}-{request.window.end}" if request.window else ""
            out.warnings.append(f"candidate{where} skipped: {answer}")
            continue
        out.usage = out.usage + answer.usage
        out.drafts.extend(to_drafts(request, answer.value))
    return out
