"""Prompts are data: versioned YAML files under ``prompts/``, loaded by a registry.

A prompt file ``prompts/<name>/v<N>.yaml`` holds a Jinja2 system and user
template, the extraction strategy that drives it, the template variables it
uses, generation parameters and few-shot examples. Everything is validated at
load time: unknown keys, undeclared template variables, and few-shot quotes
that do not occur in their example text are errors naming the file.

References: ``extract@v2`` (or ``extract@2``), ``extract`` (newest version of
that name) and ``latest`` (newest ``extract``).

Every prompt has a content hash over its templates, examples, parameters and
the answer schema, stored with every result and eval row, so a number always
says which exact prompt produced it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.meta
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from claimx.errors import PromptError
from claimx.extraction.drafts import (
    ClaimDraft,
    ClaimDrafts,
    NumberedAnswer,
    NumberedDraft,
    count_numbered,
    drafts_model,
    numbered_answer,
)

DEFAULT_NAME = "extract"
_REF = re.compile(r"^(?P<name>[a-z][a-z0-9_-]*)(?:@v?(?P<version>\d+))?$")
_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
)


class FewShotExample(BaseModel):
    """An example article excerpt and the answer the model should give for it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    #: strategy-specific template variables for this example (e.g. a candidate sentence)
    variables: dict[str, str] = Field(default_factory=dict)
    #: in the prompt's answer format: quoted claims, or claims of numbered sentences
    claims: list[ClaimDraft] | list[NumberedDraft]

    @model_validator(mode="after")
    def _quotes_occur_in_text(self) -> FewShotExample:
        numbered = count_numbered(self.text)
        for i, claim in enumerate(self.claims):
            if isinstance(claim, NumberedDraft) and not 1 <= claim.sentence <= numbered:
                raise ValueError(
                    f"claims[{i}].sentence is {claim.sentence}, but the example text numbers"
                    f" {numbered} sentence(s) ('[1] ...' lines)"
                )
            if isinstance(claim, ClaimDraft) and claim.quote not in self.text:
                raise ValueError(
                    f"claims[{i}].quote does not occur in the example text: {claim.quote!r}"
                )
        return self


class PromptParams(BaseModel):
    """Generation parameters a prompt version pins (override the client defaults)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    max_tokens: int | None = Field(default=None, ge=1)
    max_claims: int = Field(default=12, ge=1, le=60)
    #: staged strategies: paragraphs before a candidate shown as its context. Written
    #: ``context_sentences`` in the prompt files (the name it had): the key is part
    #: of every prompt's content hash, which the recordings' manifest pins.
    context_paragraphs: int = Field(default=1, ge=0, le=10, alias="context_sentences")


class PromptSpec(BaseModel):
    """One versioned prompt, as loaded from its YAML file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: int = Field(ge=1)
    description: str
    strategy: str = "single_pass"
    variables: list[str] = Field(min_length=1)
    params: PromptParams = Field(default_factory=PromptParams)
    #: what the model answers: claims with their quote, or claims of numbered
    #: sentences (the evidence read off the sentence by claimx; strategy ``paragraphs``)
    answer: Literal["quoted", "numbered"] = "quoted"
    #: who decides the stance: the model, or the attribution rules with the model's
    #: answer as a second opinion (:mod:`claimx.extraction.stance`)
    stance: Literal["model", "rules"] = "model"
    #: who names the speaker: the model, or the sentence itself when it names the
    #: subject of its reporting verb and the model's speaker is not in it
    #: (:mod:`claimx.speakers.attribution`)
    speaker: Literal["model", "rules"] = "model"
    #: which numbered sentences' claims are kept: all, or only those of sentences
    #: that quote or carry a frequent attribution cue
    #: (:func:`claimx.extraction.strategies.staged_lexicon.has_strong_signal`)
    claims: Literal["all", "signalled"] = "all"
    system: str
    user: str
    examples: list[FewShotExample] = Field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.name}@v{self.version}"

    @property
    def response_model(self) -> type[ClaimDrafts] | type[NumberedAnswer]:
        """The answer schema; a numbered request bounds it to its own sentence count
        (:func:`claimx.extraction.drafts.numbered_answer_model`)."""
        if self.answer == "numbered":
            return NumberedAnswer
        return drafts_model(self.params.max_claims)

    @model_validator(mode="after")
    def _examples_in_answer_format(self) -> PromptSpec:
        item = NumberedDraft if self.answer == "numbered" else ClaimDraft
        for i, example in enumerate(self.examples):
            if any(not isinstance(c, item) for c in example.claims):
                raise ValueError(
                    f"examples[{i}]: claims must be in the {self.answer!r} answer format"
                    f" ({item.__name__} fields)"
                )
        return self

    @cached_property
    def content_hash(self) -> str:
        """sha256 (12 hex) of everything that shapes the request: templates, examples, schema.

        The description is left out: rewording it changes no request.
        """
        # Fields added after the first recordings are left out at their defaults, so
        # the hashes the recordings' manifest pins stay what they were.
        later = {
            k
            for k in ("answer", "stance", "speaker", "claims")
            if getattr(self, k) == type(self).model_fields[k].default
        }
        payload = {
            "spec": self.model_dump(mode="json", by_alias=True, exclude={"description", *later}),
            "schema": self.response_model.model_json_schema(),
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    def check_templates(self) -> None:
        """Raise PromptError naming every template variable not declared in ``variables``."""
        declared = set(self.variables)
        for field in ("system", "user"):
            try:
                used = jinja2.meta.find_undeclared_variables(_ENV.parse(getattr(self, field)))
            except jinja2.TemplateSyntaxError as exc:
                raise PromptError(f"{self.ref}: {field} template: {exc}") from exc
            if unknown := sorted(used - declared):
                raise PromptError(
                    f"{self.ref}: {field} template uses undeclared variable(s)"
                    f" {', '.join(unknown)}; declared: {', '.join(sorted(declared))}"
                )

    def render(self, **variables: str) -> list[dict[str, str]]:
        """Chat messages: system, one user/assistant pair per few-shot example, the user turn.

        Raises PromptError listing the missing variables by name.
        """
        if missing := sorted(set(self.variables) - variables.keys()):
            raise PromptError(f"{self.ref}: missing template variable(s): {', '.join(missing)}")
        messages = [{"role": "system", "content": _render(self.system, variables)}]
        for example in self.examples:
            example_vars = {**variables, "text": example.text, **example.variables}
            if self.answer == "numbered":
                drafts = [c for c in example.claims if isinstance(c, NumberedDraft)]
                shown: BaseModel = numbered_answer(drafts, example.text)
            else:
                shown = ClaimDrafts.model_validate({"claims": example.claims})
            answer = shown.model_dump_json(exclude_none=False)
            messages.append({"role": "user", "content": _render(self.user, example_vars)})
            messages.append({"role": "assistant", "content": answer})
        messages.append({"role": "user", "content": _render(self.user, variables)})
        return messages


@lru_cache(maxsize=64)
def _compile(template: str) -> jinja2.Template:
    # Compiling costs ~2 ms a request; a prompt has two templates, used thousands of times.
    return _ENV.from_string(template)


@lru_cache(maxsize=64)
def _names(template: str) -> tuple[str, ...]:
    """The variables ``template`` reads."""
    return tuple(sorted(jinja2.meta.find_undeclared_variables(_ENV.parse(template))))


@lru_cache(maxsize=1024)
def _render_values(template: str, values: tuple[tuple[str, Any], ...]) -> str:
    return _compile(template).render(**dict(values)).strip()


#: renders reading more characters than this are not cached: those read an article,
#: never repeat, and would keep up to 1,024 articles alive in the cache
_CACHED_VALUES_MAX_CHARS = 4096


def _render(template: str, variables: Mapping[str, Any]) -> str:
    # Keyed by the values the template reads: the system prompt and the few-shot
    # examples come out the same for every request of a run, and render once.
    values = tuple((name, variables[name]) for name in _names(template) if name in variables)
    if sum(len(str(v)) for _, v in values) > _CACHED_VALUES_MAX_CHARS:
        return _compile(template).render(**dict(values)).strip()
    return _render_values(template, values)


def default_prompts_dir() -> Path:
    """``$CLAIMX_PROMPTS_DIR``, else the repository's ``prompts/``, else the copy in the wheel."""
    if env := os.environ.get("CLAIMX_PROMPTS_DIR"):
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "prompts", here / "_prompts"):
        if candidate.is_dir():
            return candidate
    raise PromptError("no prompts directory found; set CLAIMX_PROMPTS_DIR")


@dataclass
class PromptRegistry:
    """All prompt versions under one directory, loaded and validated on first use."""

    root: Path

    @cached_property
    def _specs(self) -> dict[tuple[str, int], PromptSpec]:
        specs: dict[tuple[str, int], PromptSpec] = {}
        for path in sorted(self.root.glob("*/v*.yaml")):
            spec = load_prompt_file(path)
            specs[(spec.name, spec.version)] = spec
        if not specs:
            raise PromptError(f"no prompt files (<name>/v<N>.yaml) under {self.root}")
        return specs

    def refs(self) -> list[str]:
        """Every available reference, oldest first within a name."""
        return [spec.ref for spec in self.all()]

    def all(self) -> list[PromptSpec]:
        return [self._specs[key] for key in sorted(self._specs)]

    def get(self, ref: str) -> PromptSpec:
        """Resolve ``name@vN``, ``name`` (newest) or ``latest``; unknown refs list what exists."""
        match = _REF.match("extract" if ref == "latest" else ref.strip())
        if match:
            name, version = match["name"], match["version"]
            versions = sorted(v for (n, v) in self._specs if n == name)
            if versions and version is None:
                return self._specs[(name, versions[-1])]
            if version is not None and (name, int(version)) in self._specs:
                return self._specs[(name, int(version))]
        raise PromptError(
            f"unknown prompt {ref!r}; available: {', '.join(self.refs())} (or 'latest')"
        )


def load_prompt_file(path: Path) -> PromptSpec:
    """Load and validate one prompt file; errors name the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = PromptSpec.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PromptError(f"{path}: invalid prompt file: {exc}") from exc
    expected = f"v{spec.version}.yaml"
    if path.name != expected or path.parent.name != spec.name:
        raise PromptError(f"{path}: declares {spec.ref}; file must be {spec.name}/{expected}")
    try:
        spec.check_templates()
    except PromptError as exc:
        raise PromptError(f"{path}: {exc}") from exc
    return spec


_default: PromptRegistry | None = None


def default_registry() -> PromptRegistry:
    """The registry over :func:`default_prompts_dir`, created once."""
    global _default
    if _default is None:
        _default = PromptRegistry(default_prompts_dir())
    return _default


def get_prompt(ref: str = "latest") -> PromptSpec:
    """Shortcut for ``default_registry().get(ref)``."""
    return default_registry().get(ref)
