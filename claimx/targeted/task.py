"""The ``targeted`` prompt task: a versioned prompt that asks the model about one claim.

A prompt file names it instead of a pipeline (:mod:`claimx.prompts`, "Tasks")::

    task: {name: targeted, sentences: 3, lead: 1, around: 3, max_numbered: 12, max_sources: 3,
           stance: rules}
    variables: [claim, text]

:class:`TargetedTask` is that prompt built and checked, as
:class:`claimx.extraction.pipeline.Pipeline` is an extraction prompt:

* its parameters (:class:`TargetedParams`: which sentences a request shows,
  :class:`~claimx.targeted.passages.PassageParams`, and the most sources an
  answer lists) are validated, naming the file;
* its templates use only the variables a request fills (:data:`PROVIDES`:
  ``claim``, the given claim, and ``text``, the numbered sentences);
* each few-shot example's ``answer`` validates against the answer schema of
  its own numbered text (:func:`claimx.targeted.schema.answer_model`): a
  sentence number it does not have, a blank speaker or more sources than
  the prompt allows are load errors.

:meth:`TargetedTask.request` plans the one request for a claim and an
article, with no model; :attr:`TargetedTask.content_hash` covers what shapes
every request (the file's templates, examples, parameters and task, and the
answer schema), as an extraction prompt's does, and leaves out the name,
version and description.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from pydantic import Field, ValidationError

from claimx.errors import PromptError
from claimx.extraction.drafts import count_numbered
from claimx.prompts import FewShotExample, PromptSpec
from claimx.targeted.lexical import ArticleView, Idf
from claimx.targeted.passages import Passage, PassageParams, render, select_sentences
from claimx.targeted.schema import REFERENCE_NUMBERED, StanceAnswer, answer_model

__all__ = ["PROVIDES", "TargetedParams", "TargetedRequest", "TargetedTask"]

PROVIDES = frozenset({"claim", "text"})
"""The template variables a targeted request fills."""


class TargetedParams(PassageParams):
    """A targeted prompt's parameters: what a request shows, the most sources it names, and
    who decides a source's stance (:mod:`claimx.targeted.asking`)."""

    #: sources one answer lists at most (the schema's bound)
    max_sources: int = Field(default=3, ge=1, le=8)
    #: model: the stance the model gave; rules: the attribution rules read it off the
    #: evidence, the model's "uncertain" kept where they find no marker
    stance: Literal["model", "rules"] = "model"


@dataclass(frozen=True)
class TargetedRequest:
    """One planned request: its messages, the sentences it numbers, its answer schema."""

    messages: list[dict[str, str]]
    passage: Passage
    answer: type[StanceAnswer]


class TargetedTask:
    """A ``targeted`` prompt version, built and checked (module docstring)."""

    def __init__(self, spec: PromptSpec) -> None:
        self.spec = spec
        where = spec.where
        if spec.task is None or spec.task.name != "targeted":
            raise PromptError(f"{spec.ref} is not a targeted prompt (task: {spec.task_name})")
        try:
            self.params = TargetedParams.model_validate(spec.task.params)
        except ValidationError as exc:
            raise PromptError(f"{where}: task targeted: invalid parameters: {exc}") from None
        if missing := set(spec.variables) - PROVIDES:
            raise PromptError(
                f"{where}: uses variable(s) {', '.join(sorted(missing))} that a targeted request"
                f" does not fill ({', '.join(sorted(PROVIDES))})"
            )
        self.example_answers = [self._example_answer(i, e) for i, e in enumerate(spec.examples)]

    def _example_answer(self, index: int, example: FewShotExample) -> str:
        numbered = count_numbered(example.text)
        try:
            if "claim" not in example.variables:
                raise ValueError("variables has no claim (the given claim of the example)")
            if numbered == 0:
                raise ValueError("the text numbers no sentence ('[1] ...' lines)")
            model = answer_model(numbered, self.params.max_sources)
            return model.model_validate(example.answer).model_dump_json()
        except (ValueError, ValidationError) as exc:
            raise PromptError(
                f"{self.spec.where}: examples[{index}] is not in the targeted answer format: {exc}"
            ) from None

    @property
    def ref(self) -> str:
        """The prompt version, ``name@vN``."""
        return self.spec.ref

    @property
    def names(self) -> str:
        """How it runs, in one line (for ``claimx prompts``)."""
        p = self.params
        return (
            f"targeted: {p.sentences} best ±{p.around}, lead {p.lead}, ≤{p.max_numbered}"
            f" -> ≤{p.max_sources} sources, stance {p.stance}"
        )

    @cached_property
    def content_hash(self) -> str:
        """sha256 (12 hex) of everything that shapes the requests (module docstring)."""
        reference = answer_model(REFERENCE_NUMBERED, self.params.max_sources)
        return self.spec.hash_with_schema(reference.model_json_schema())

    def messages(self, variables: dict[str, str]) -> list[dict[str, str]]:
        """System, one user/assistant pair per few-shot example, then the user turn.

        The instructions and examples come first and are the same for every request,
        so a server's prefix cache reads them once for a whole run.
        """
        spec = self.spec
        out = [{"role": "system", "content": spec.render("system", variables)}]
        for example, answer in zip(spec.examples, self.example_answers, strict=True):
            shown = {**variables, **example.variables, "text": example.text}
            out.append({"role": "user", "content": spec.render("user", shown)})
            out.append({"role": "assistant", "content": answer})
        out.append({"role": "user", "content": spec.render("user", variables)})
        return out

    def passage(self, claim: str, article: ArticleView, idf: Idf) -> Passage:
        """The numbered sentences a request about ``claim`` shows (:mod:`~.passages`)."""
        return render(article, select_sentences(claim, article, idf, self.params))

    def request(self, claim: str, article: ArticleView, idf: Idf) -> TargetedRequest | None:
        """The request about ``claim`` and ``article``; None when the article has no sentence."""
        passage = self.passage(claim, article, idf)
        if not len(passage):
            return None
        return TargetedRequest(
            self.messages({"claim": claim, "text": passage.text}),
            passage,
            answer_model(len(passage), self.params.max_sources),
        )
