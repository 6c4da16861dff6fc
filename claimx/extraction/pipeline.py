"""One pipeline of named stages, configured by a prompt file: the one way claimx asks a model.

A prompt version (:class:`claimx.prompts.PromptSpec`) names one stage of each
kind under ``pipeline:`` (:mod:`claimx.extraction.stages`); :class:`Pipeline`
builds them, checks the prompt against them (its variables are ones the ask
stage fills; its few-shot examples are in the ask stage's answer format) and
runs an article through them:

1. **find**: stage one's candidates (or the given spans that replace it);
2. **ask**: the candidates packed into requests, sent together
   (:meth:`Pipeline.drafts`), each answer read into drafts;
3. **keep**: the drafts kept.

Grounding, the **speaker** and **stance** stages, speaker resolution and
de-duplication follow in :func:`claimx.extraction.assemble.assemble`, the same
for every pipeline.

The content hash of a prompt (:attr:`Pipeline.content_hash`) covers what
shapes its requests: the prompt file's templates, examples, parameters and
pipeline, and the ask stage's answer schema.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from claimx.errors import ExtractionError, PromptError
from claimx.extraction.records import Candidate, Drafts, Request
from claimx.extraction.stages import (
    Asker,
    ClaimFilter,
    Finder,
    SpeakerRule,
    StanceRule,
    build_stage,
)
from claimx.extraction.stages.given_spans import given_candidates
from claimx.llm.protocol import Completion, Model
from claimx.prompts import PromptSpec
from claimx.text.spans import Span

__all__ = ["Pipeline"]


class Pipeline:
    """A prompt version's stages, built and checked; runs one article at a time."""

    def __init__(self, spec: PromptSpec) -> None:
        self.spec = spec
        where = spec.where
        stages = spec.pipeline
        if stages is None:  # a prompt of another task (claimx.tasks)
            raise PromptError(
                f"{spec.ref} is a prompt for the task {spec.task_name!r}, not for extraction:"
                " name an extraction prompt (claimx prompts lists them)"
            )
        find = build_stage("find", stages.find, where=where)
        ask = build_stage("ask", stages.ask, where=where)
        keep = build_stage("keep", stages.keep, where=where)
        speaker = build_stage("speaker", stages.speaker, where=where)
        stance = build_stage("stance", stages.stance, where=where)
        assert isinstance(find, Finder) and isinstance(ask, Asker)
        assert isinstance(keep, ClaimFilter) and isinstance(speaker, SpeakerRule)
        assert isinstance(stance, StanceRule)
        self.find, self.ask, self.keep = find, ask, keep
        self.speaker, self.stance = speaker, stance
        if missing := set(spec.variables) - ask.provides:
            raise PromptError(
                f"{where}: uses variable(s) {', '.join(sorted(missing))} that ask stage"
                f" {ask.name!r} does not fill ({', '.join(sorted(ask.provides))})"
            )
        self.example_answers = []
        for i, example in enumerate(spec.examples):
            try:
                self.example_answers.append(ask.example_answer(spec, example))
            except ValueError as exc:
                raise PromptError(
                    f"{where}: examples[{i}] is not in the {ask.name!r} answer format: {exc}"
                ) from None

    @property
    def ref(self) -> str:
        """The prompt version, ``name@vN``."""
        return self.spec.ref

    @property
    def names(self) -> str:
        """The stages, in one line: ``lexicon -> numbered -> signalled; speaker rules, ...``."""
        return (
            f"{self.find.name} -> {self.ask.name} -> keep {self.keep.name};"
            f" speaker {self.speaker.name}, stance {self.stance.name}"
        )

    @property
    def chunkable(self) -> bool:
        """Whether an article too long for one request may be cut into chunks."""
        return self.find.chunkable

    @property
    def takes_evidence(self) -> bool:
        """Whether given spans can replace stage one (the eval's oracle)."""
        return self.find.replaceable

    @property
    def independent(self) -> bool:
        """Whether every request is planned from the text alone (provider batch needs it)."""
        return self.ask.independent

    @cached_property
    def content_hash(self) -> str:
        """sha256 (12 hex) of everything that shapes the requests (module docstring)."""
        return self.spec.hash_with_schema(self.ask.response_model(self.spec).model_json_schema())

    def messages(self, variables: dict[str, str]) -> list[dict[str, str]]:
        """Chat messages: system, one user/assistant pair per few-shot example, the user turn.

        Raises PromptError listing the missing variables by name.
        """
        spec = self.spec
        messages = [{"role": "system", "content": spec.render("system", variables)}]
        for example, answer in zip(spec.examples, self.example_answers, strict=True):
            shown = {**variables, "text": example.text, **example.variables}
            messages.append({"role": "user", "content": spec.render("user", shown)})
            messages.append({"role": "assistant", "content": answer})
        messages.append({"role": "user", "content": spec.render("user", variables)})
        return messages

    def candidates(self, text: str, evidence: Sequence[Span] | None = None) -> list[Candidate]:
        """Stage one's candidates of ``text``, or the given ``evidence`` spans' (the oracle)."""
        if evidence is None:
            return self.find.find(text)
        if not self.takes_evidence:
            raise PromptError(
                f"{self.ref} has no stage one for given spans to replace (find:"
                f" {self.find.name}: the whole article at once). Use a prompt whose pipeline"
                " finds candidates (e.g. find: lexicon), or extract without evidence"
            )
        return given_candidates(text, evidence)

    def plan(self, text: str, *, evidence: Sequence[Span] | None = None) -> list[Request]:
        """The requests :meth:`drafts` will send for ``text``, without calling the model."""
        return self.ask.requests(text, self.candidates(text, evidence), self.spec)

    async def drafts(
        self, llm: Model, text: str, *, evidence: Sequence[Span] | None = None
    ) -> Drafts:
        """Ask the model about one article (about ``evidence`` only, when given).

        The requests are independent: they are all handed to ``llm`` at once, and
        its :class:`~claimx.llm.layers.RequestLimit` decides how many are in
        flight; the drafts come in plan order whatever the limit, so results do
        not depend on it. A request whose answer fails validation
        (:class:`~claimx.errors.ExtractionError`) is skipped with a warning, one
        bad candidate must not lose the article; but when every request fails,
        the article fails, with the first failure. Any other error is raised at
        once and the requests not yet answered are cancelled.
        """
        requests = self.plan(text, evidence=evidence)
        answers = await _send(llm, requests, self)
        out = Drafts()
        failures: list[tuple[Request, ExtractionError]] = []
        for request, answer in zip(requests, answers, strict=True):
            if isinstance(answer, ExtractionError):
                failures.append((request, answer))
                continue
            out.usage = out.usage + answer.usage
            out.drafts.extend(self.ask.drafts(text, request, answer.value))
        if failures and len(failures) == len(requests):
            raise failures[0][1]
        for request, failure in failures:
            where = f" at {request.window.start}-{request.window.end}" if request.window else ""
            out.warnings.append(f"request{where} skipped: {failure}")
        if evidence is None or not self.keep.judges_stage_one:
            out.drafts = self.keep.keep(text, out.drafts)
        return out


async def _send(
    llm: Model, requests: Sequence[Request], pipeline: Pipeline
) -> list[Completion[Any] | ExtractionError]:
    """Every request at once; an :class:`ExtractionError` is returned in its place."""
    spec = pipeline.spec

    async def one(request: Request) -> Completion[Any] | ExtractionError:
        messages = pipeline.messages(request.variables)
        answer = request.answer or pipeline.ask.response_model(spec)
        try:
            return await llm.complete(messages, answer, max_tokens=spec.params.max_tokens)
        except ExtractionError as exc:
            return exc

    tasks = [asyncio.ensure_future(one(request)) for request in requests]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # retrieved: none left pending
        raise
