"""Prompts are data: versioned YAML files under ``prompts/``, loaded by a registry.

A prompt file ``prompts/<name>/v<N>.yaml`` holds the pipeline that runs it
(one stage of each kind, with its parameters: :class:`PipelineSpec`; the
stages are :mod:`claimx.extraction.stages`), a Jinja2 system and user template,
the template variables they use, generation parameters and few-shot examples.
The file's shape is validated at load: unknown keys and undeclared template
variables are errors naming the file. The pipeline is built and checked
against the prompt (stage names and parameters, the variables the ask stage
fills, each example in the ask stage's answer format) when it is first used
(:class:`claimx.extraction.pipeline.Pipeline`); ``claimx prompts`` builds
every one.

**Tasks.** A prompt is for extraction unless it names another *task*
(``task: targeted``, or ``task: {name: targeted, <its parameters>}``): then it
has no ``pipeline:``, and its task's class builds and checks it, as the
pipeline does an extraction prompt, and owns its answer schema
(:mod:`claimx.tasks`: :func:`~claimx.tasks.build_task`,
:func:`~claimx.tasks.prompt_hash`). This module holds the prompts as data and
imports no task.

References: ``extract@v9`` (or ``extract@9``); ``extract``, the *default*
version of that name; ``default`` (or ``latest``, its older name), the
default ``extract``. Which version is the default is an explicit, reviewed
choice written in ``prompts/defaults.yaml``, never "the highest number":
adding a file changes no default.
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
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from claimx.errors import PromptError

__all__ = [
    "DEFAULT_NAME",
    "DEFAULTS_FILE",
    "EXTRACTION",
    "TASK_NAMES",
    "FewShotExample",
    "PipelineSpec",
    "PromptParams",
    "PromptRegistry",
    "PromptSpec",
    "StageRef",
    "default_registry",
    "get_prompt",
    "load_prompt_file",
]

DEFAULT_NAME = "extract"
"""The prompt name ``default`` (and ``latest``) refer to."""
DEFAULTS_FILE = "defaults.yaml"
"""``prompts/defaults.yaml``: each prompt name's default version (``extract: 9``), and
optionally ``default: <name>``, the name ``default`` refers to (else :data:`DEFAULT_NAME`)."""
EXTRACTION = "extraction"
"""The task of a prompt that names none: extraction, run by its ``pipeline:``."""
TASK_NAMES = frozenset({EXTRACTION, "targeted"})
"""The tasks a prompt may name (their classes: :data:`claimx.tasks.TASKS`)."""
_DEFAULT_REFS = frozenset({"default", "latest"})
_REF = re.compile(r"^(?P<name>[a-z][a-z0-9_-]*)(?:@v?(?P<version>\d+))?$")
_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
)


class StageRef(BaseModel):
    """One stage of a pipeline: its name, and its parameters.

    Written ``find: lexicon``, or ``ask: {name: numbered, per_request: 6}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _written_short(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"name": data}
        if isinstance(data, Mapping) and "params" not in data:
            return {
                "name": data.get("name"),
                "params": {k: v for k, v in data.items() if k != "name"},
            }
        return data

    def written(self) -> str | dict[str, Any]:
        """As a prompt file writes it (the short form when there are no parameters)."""
        return {"name": self.name, **self.params} if self.params else self.name


class PipelineSpec(BaseModel):
    """The stages a prompt version runs, one of each kind (:mod:`claimx.extraction.stages`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: stage one: where claims may be, found without the model (whole_text, lexicon, ...)
    find: StageRef
    #: how candidates are packed into requests and answers read (quoted, numbered, ...)
    ask: StageRef
    #: which drafts are kept (all, signalled)
    keep: StageRef
    #: who names the speaker (model, rules)
    speaker: StageRef
    #: who decides the stance (model, rules)
    stance: StageRef


class FewShotExample(BaseModel):
    """An example article excerpt and the answer the model should give for it.

    ``claims`` are in the answer format of the prompt's ask stage, which checks
    them when the pipeline is built (e.g. each quote occurs in ``text``).
    """

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    #: other template variables for this example (e.g. its context paragraph)
    variables: dict[str, str] = Field(default_factory=dict)
    #: an extraction prompt's example answer (required there, written ``claims: []`` for none)
    claims: list[dict[str, Any]] = Field(default_factory=list)
    #: another task's example answer, in that task's answer format; left out of the
    #: prompt's dump when absent, so an extraction prompt's content hash is unchanged
    answer: dict[str, Any] | None = Field(default=None, exclude_if=lambda v: v is None)


class PromptParams(BaseModel):
    """Generation parameters a prompt version pins (override the client defaults)."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int | None = Field(default=None, ge=1)
    #: the most claims one answer may hold (per request, or per numbered sentence)
    max_claims: int = Field(default=12, ge=1, le=60)


class PromptSpec(BaseModel):
    """One versioned prompt, as loaded from its YAML file.

    An extraction prompt has a ``pipeline``; a prompt of another task names it in
    ``task`` and has none (module docstring).
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    version: int = Field(ge=1)
    description: str
    #: another task than extraction, with its parameters; left out of the dump when
    #: absent, so an extraction prompt's content hash is what it was before tasks
    task: StageRef | None = Field(default=None, exclude_if=lambda v: v is None)
    pipeline: PipelineSpec | None = Field(default=None, exclude_if=lambda v: v is None)
    variables: list[str] = Field(min_length=1)
    params: PromptParams = Field(default_factory=PromptParams)
    system: str
    user: str
    examples: list[FewShotExample] = Field(default_factory=list)
    _path: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _one_task(self) -> PromptSpec:
        if self.task is None:
            if self.pipeline is None:
                raise ValueError("an extraction prompt needs a pipeline: (or name its task:)")
            for i, example in enumerate(self.examples):
                # Required here as before tasks: an example with no claims says so.
                if "claims" not in example.model_fields_set:
                    raise ValueError(f"examples[{i}] has no claims: (write claims: [] for none)")
                if example.answer is not None:
                    raise ValueError(f"examples[{i}]: an extraction example lists claims:")
            return self
        if self.task.name not in TASK_NAMES or self.task.name == EXTRACTION:
            others = ", ".join(sorted(TASK_NAMES - {EXTRACTION}))
            raise ValueError(
                f"unknown task {self.task.name!r}: one of {others}, or none for extraction"
            )
        if self.pipeline is not None:
            raise ValueError(f"a {self.task.name} prompt has no pipeline: (that is extraction's)")
        for i, example in enumerate(self.examples):
            if example.answer is None or example.claims:
                raise ValueError(f"examples[{i}]: a {self.task.name} example has an answer:")
        return self

    @property
    def ref(self) -> str:
        return f"{self.name}@v{self.version}"

    @property
    def task_name(self) -> str:
        """The prompt's task: :data:`EXTRACTION`, or the one it names."""
        return self.task.name if self.task is not None else EXTRACTION

    @property
    def path(self) -> Path | None:
        """The file it was loaded from (None: built in code)."""
        return self._path

    @property
    def where(self) -> str:
        """How errors name it: its file, else its reference."""
        return str(self._path) if self._path is not None else self.ref

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

    def hash_with_schema(self, schema: Mapping[str, Any]) -> str:
        """sha256 (12 hex) of the prompt and the answer ``schema`` its task asks for: what
        shapes its requests (a task's ``content_hash``, :class:`claimx.tasks.PromptTask`).

        The name, version and description are left out: they change no request, so two
        versions that send the same requests have the same hash.
        """
        payload = {
            "spec": self.model_dump(mode="json", exclude={"name", "version", "description"}),
            "schema": schema,
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    def render(self, field: Literal["system", "user"], variables: Mapping[str, Any]) -> str:
        """One template filled in; PromptError lists the missing variables by name."""
        if missing := sorted(set(self.variables) - variables.keys()):
            raise PromptError(f"{self.ref}: missing template variable(s): {', '.join(missing)}")
        return _render(getattr(self, field), variables)

    def written(self) -> dict[str, Any]:
        """The prompt as its file writes it (stages in their short form)."""
        data = self.model_dump(mode="json", exclude_defaults=False)
        if self.task is not None:
            data["task"] = self.task.written()
        if self.pipeline is not None:
            data["pipeline"] = {
                k: getattr(self.pipeline, k).written() for k in PipelineSpec.model_fields
            }
        return data


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

    @cached_property
    def _defaults_file(self) -> tuple[str, dict[str, int]]:
        path = self.root / DEFAULTS_FILE
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        except (OSError, yaml.YAMLError) as exc:
            raise PromptError(f"{path}: unreadable: {exc}") from exc
        data = dict(data or {})
        name = data.pop("default", DEFAULT_NAME)
        if not isinstance(name, str) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in data.items()
        ):
            raise PromptError(f"{path}: write one 'name: version' per line, e.g. 'extract: 9'")
        for prompt, version in data.items():
            if (prompt, version) not in self._specs:
                raise PromptError(
                    f"{path}: the default {prompt}@v{version} has no file {prompt}/v{version}.yaml"
                )
        return name, data

    @property
    def defaults(self) -> dict[str, int]:
        """Each prompt name's default version (``prompts/defaults.yaml``), checked to exist."""
        return self._defaults_file[1]

    @property
    def default_name(self) -> str:
        """The prompt name ``default`` (and ``latest``) refer to."""
        return self._defaults_file[0]

    def refs(self) -> list[str]:
        """Every available reference, oldest first within a name."""
        return [spec.ref for spec in self.all()]

    def all(self, task: str | None = None) -> list[PromptSpec]:
        """Every version, oldest first within a name; only those of ``task`` when given."""
        specs = [self._specs[key] for key in sorted(self._specs)]
        return specs if task is None else [s for s in specs if s.task_name == task]

    def is_default(self, spec: PromptSpec) -> bool:
        return self.defaults.get(spec.name) == spec.version

    def get(self, ref: str) -> PromptSpec:
        """Resolve ``name@vN``, ``name`` (its default) or ``default``/``latest``; unknown refs
        list what exists."""
        ref = ref.strip()
        match = _REF.match(self.default_name if ref in _DEFAULT_REFS else ref)
        if match:
            name, version = match["name"], match["version"]
            if version is None and name in self.defaults:
                return self._specs[(name, self.defaults[name])]
            if version is not None and (name, int(version)) in self._specs:
                return self._specs[(name, int(version))]
            if version is None and any(n == name for n, _ in self._specs):
                raise PromptError(
                    f"prompt {name!r} has no default version ({self.root / DEFAULTS_FILE});"
                    f" name one: {', '.join(s.ref for s in self.all() if s.name == name)}"
                )
        raise PromptError(
            f"unknown prompt {ref!r}; available: {', '.join(self.refs())} (or 'default')"
        )

    def new_version(self, source: str, *, name: str | None = None) -> Path:
        """Write a new version of ``source``'s prompt (or of ``name``) as the next number:
        the same pipeline, templates and examples, the description to be written.

        The new version is nobody's default until ``defaults.yaml`` says so.
        """
        spec = self.get(source)
        name = name or spec.name
        version = max((v for n, v in self._specs if n == name), default=0) + 1
        data = spec.written()
        data.update(
            name=name,
            version=version,
            description=f"TODO: what {name}@v{version} changes, and why (copied from {spec.ref}).",
        )
        path = self.root / name / f"v{version}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
        with path.open("x", encoding="utf-8") as handle:  # never overwrite a version
            handle.write(text)
        for cached in ("_specs", "_defaults_file"):
            self.__dict__.pop(cached, None)
        return path


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as ``|`` blocks, as the prompt files are written by hand."""


def _block(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _block)


def load_prompt_file(path: Path) -> PromptSpec:
    """Load and validate one prompt file; errors name the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = PromptSpec.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PromptError(f"{path}: invalid prompt file: {exc}") from exc
    spec._path = path
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
    """The registry over :func:`default_prompts_dir` (created once per directory)."""
    global _default
    root = default_prompts_dir()
    if _default is None or _default.root != root:
        _default = PromptRegistry(root)
    return _default


def get_prompt(ref: str = "default") -> PromptSpec:
    """Shortcut for ``default_registry().get(ref)``."""
    return default_registry().get(ref)
