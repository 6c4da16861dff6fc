"""Recordings of real model exchanges for the eval: where they live and what made them.

``eval/cassettes/<model>/<prompt ref>/<article>.yaml``, one folder per model name,
each with a ``manifest.json`` (:class:`Manifest`) holding, **per prompt
version**, what answered and when (:class:`Recording`): the content hash of the
prompt recorded, the server's own description of the model (asked of the
endpoint that answered: :func:`describe_server`), the endpoint, the date and
the wall seconds each article took. Recording one version writes its entry
and no other; recordings of several models live side by side, one folder
each, and a recording whose server describes another model than a folder's
other entries is refused (:func:`check_record`): record it under another
``--model`` name. Every hint prints the whole command that records a prompt
(:func:`record_command`).

The oracle run (``--oracle evidence``, :mod:`claimx.eval.oracle`) asks other
requests than the end-to-end one: its recordings are filed under
``<prompt ref>+oracle-evidence`` (:func:`recording_key`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from claimx.errors import CassetteMissError, ConfigError
from claimx.eval.paths import shown
from claimx.llm.config import LOCAL_HOSTS, OPENAI_BASE_URL
from claimx.prompts import PromptSpec
from claimx.tasks import prompt_hash

#: the base URL of a replayed client and of the local server recordings are made with
#: (scripts/local-llm.sh); a replay never contacts it: cassettes match on path and body
REPLAY_BASE_URL = "http://127.0.0.1:8011/v1"
LOCAL_MODEL = "local"
ORACLE_EVIDENCE = "oracle-evidence"
MANIFEST_VERSION = 2

Status = Literal["recorded", "stale", "unrecorded"]


def recording_key(ref: str, *, oracle: bool = False) -> str:
    """Where a prompt's recordings are filed: its ref, or ``<ref>+oracle-evidence``."""
    return f"{ref}+{ORACLE_EVIDENCE}" if oracle else ref


@dataclass(frozen=True)
class Recording:
    """What answered one prompt version's recorded requests, and when."""

    #: the prompt's content hash when it was recorded
    hash: str
    recorded_at: str = ""
    #: what the server said it was (:func:`describe_server`), or the model name given
    model_description: str = ""
    #: the endpoint it was recorded from (for the command that records it again)
    base_url: str = ""
    #: article id -> wall seconds of the live extraction when it was recorded (a
    #: replay takes milliseconds; reports show what the model really cost)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """The recordings of one model folder: one :class:`Recording` per prompt version."""

    model: str = LOCAL_MODEL
    prompts: dict[str, Recording] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        path = folder / "manifest.json"
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls._from_json(data)
        except (ValueError, TypeError, KeyError) as exc:
            raise ConfigError(f"{path}: not a recordings manifest ({exc})") from None

    @classmethod
    def _from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("version") == MANIFEST_VERSION:
            prompts = {k: Recording(**v) for k, v in data["prompts"].items()}
            return cls(model=data["model"], prompts=prompts)
        # Version 1 held one description, date and endpoint for the whole folder: each
        # prompt keeps them (the date was that of the folder's last recording).
        seconds = data.get("seconds", {})
        prompts = {
            key: Recording(
                hash=digest,
                recorded_at=data.get("recorded_at", ""),
                model_description=data.get("model_description", ""),
                base_url=data.get("base_url", ""),
                seconds=seconds.get(key, {}),
            )
            for key, digest in data.get("prompts", {}).items()
        }
        return cls(model=data.get("model", LOCAL_MODEL), prompts=prompts)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": MANIFEST_VERSION,
            "model": self.model,
            "prompts": {k: asdict(v) for k, v in sorted(self.prompts.items())},
        }
        text = json.dumps(payload, indent=2, sort_keys=True) + "\n"
        (folder / "manifest.json").write_text(text, encoding="utf-8")

    @property
    def descriptions(self) -> set[str]:
        return {r.model_description for r in self.prompts.values() if r.model_description}


def model_folder(cassettes: Path, model: str) -> Path:
    """Where the recordings of ``model`` live."""
    return cassettes / model.replace("/", "_")


def recorded_models(cassettes: Path) -> list[str]:
    """The models with recordings (a folder with a manifest) under ``cassettes``."""
    if not cassettes.is_dir():
        return []
    return sorted(
        manifest.model
        for folder in cassettes.iterdir()
        if folder.is_dir() and (manifest := Manifest.load(folder)) is not None
    )


def record_command(
    ref: str, model: str, cassettes: Path, base_url: str | None = None, *, oracle: bool = False
) -> str:
    """The whole command that (re-)records ``ref`` with ``model`` (its oracle-evidence
    requests with ``oracle``), ready to paste."""
    url = base_url or (REPLAY_BASE_URL if model == LOCAL_MODEL else OPENAI_BASE_URL)
    local = urlparse(url).hostname in LOCAL_HOSTS
    start = "scripts/local-llm.sh start && " if local else "OPENAI_API_KEY=<your key> "
    return (
        f"{start}python -m claimx.eval --record{' --oracle evidence' if oracle else ''}"
        f" --prompt {ref} --model {model} --base-url {url} --cassettes {shown(cassettes)}"
    )


def cassette_path(cassettes: Path, model: str, key: str, article_id: str) -> Path:
    """The recording of one article; ``key`` is a :func:`recording_key`."""
    return model_folder(cassettes, model) / key / f"{article_id}.yaml"


def recording_status(
    spec: PromptSpec, model: str, cassettes: Path, *, oracle: bool = False
) -> Status:
    """Whether ``spec`` has recordings of ``model`` that a replay can use: ``recorded``,
    ``stale`` (recorded, but the prompt changed since) or ``unrecorded``."""
    manifest = Manifest.load(model_folder(cassettes, model))
    key = recording_key(spec.ref, oracle=oracle)
    recording = manifest.prompts.get(key) if manifest else None
    folder = model_folder(cassettes, model) / key
    if recording is None or not folder.is_dir():
        return "unrecorded"
    return "recorded" if recording.hash == prompt_hash(spec) else "stale"


def check_recorded(spec: PromptSpec, model: str, cassettes: Path, *, oracle: bool = False) -> None:
    """Refuse to replay what would miss, saying how to record it: a prompt edited since its
    recording, or one never recorded with ``model``."""
    status = recording_status(spec, model, cassettes, oracle=oracle)
    if status == "recorded":
        return
    manifest = Manifest.load(model_folder(cassettes, model))
    key = recording_key(spec.ref, oracle=oracle)
    recording = manifest.prompts.get(key) if manifest else None
    url = recording.base_url if recording else None
    command = record_command(spec.ref, model, cassettes, url, oracle=oracle)
    if status == "stale" and recording is not None:
        raise CassetteMissError(
            f"{key} changed since its responses were recorded (content hash"
            f" {recording.hash} -> {prompt_hash(spec)}); re-record with: {command}"
        )
    raise CassetteMissError(
        f"{key} has no recordings of model {model!r} in {shown(cassettes)}; record them with:"
        f" {command}"
    )


def check_record(
    recording: dict[str, set[str]], cassettes: Path, descriptions: dict[str, str]
) -> None:
    """Refuse a recording (model name -> recording keys) that would put another model's
    answers in a folder: ``descriptions`` says what each endpoint describes itself as."""
    for model, keys in recording.items():
        manifest = Manifest.load(model_folder(cassettes, model))
        if manifest is None:
            continue
        folder = shown(model_folder(cassettes, model))
        if manifest.model != model:
            raise ConfigError(
                f"{folder}/manifest.json is for model {manifest.model!r}, not {model!r};"
                " record into another --cassettes folder"
            )
        described = model_identity(descriptions.get(model, ""))
        others = {
            model_identity(r.model_description)
            for k, r in manifest.prompts.items()
            if k not in keys and r.model_description
        }
        if described and others and described not in others:
            raise ConfigError(
                f"{folder} holds recordings of {', '.join(sorted(others))}; the endpoint now"
                f" describes itself as {described!r}: record under another --model name (a"
                " folder of its own), or re-record every prompt there (--prompt all)"
            )


def save_recordings(
    cassettes: Path,
    model: str,
    recorded: Iterable[tuple[str, PromptSpec, dict[str, float]]],
    *,
    base_url: str | None,
    model_description: str,
) -> None:
    """Write the entries of what was just recorded (recording key, prompt, seconds per
    article) into ``model``'s manifest; every other entry stays as it was."""
    old = Manifest.load(model_folder(cassettes, model)) or Manifest(model=model)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    prompts = dict(old.prompts)
    for key, spec, per_article in recorded:
        prompts[key] = Recording(
            hash=prompt_hash(spec),
            recorded_at=today,
            model_description=model_description or model,
            base_url=base_url or OPENAI_BASE_URL,
            seconds=per_article,
        )
    Manifest(model=model, prompts=prompts).save(model_folder(cassettes, model))


RUNTIME = " | "
"""Between what a model is and how it was served, in a description (:func:`describe_server`)."""


def model_identity(description: str) -> str:
    """The part of a description that says which model answered (not how it was served)."""
    return description.split(RUNTIME, 1)[0]


def describe_server(base_url: str | None, model: str, *, timeout_s: float = 5.0) -> str:
    """What the endpoint says the model is: its ``/v1/models`` entry for ``model`` (owner,
    parameters, quantisation) and, for llama.cpp, ``/props`` (the weights file), then after
    :data:`RUNTIME` how it is served (context, build, slots); the model name alone when
    it says nothing. Two recordings are of the same model when the part before
    :data:`RUNTIME` is the same (:func:`model_identity`)."""
    from claimx.llm.server import get_json, server_root

    url = (base_url or OPENAI_BASE_URL).rstrip("/")
    parts: list[str] = []
    runtime: list[str] = []
    try:
        listing = get_json(f"{url}/models", timeout_s)
    except Exception:  # noqa: BLE001 - no listing: the name given is all there is
        listing = None
    entry = next(
        (
            m
            for m in (listing or {}).get("data", [])
            if isinstance(m, dict) and m.get("id") == model
        ),
        None,
    )
    if entry is not None:
        meta = entry.get("meta") or {}
        if owner := entry.get("owned_by"):
            parts.append(f"owned by {owner}")
        if params := meta.get("n_params"):
            parts.append(f"{params / 1e9:.2f}B parameters")
        if ftype := meta.get("ftype"):
            parts.append(str(ftype))
        if ctx := meta.get("n_ctx"):
            runtime.append(f"context {ctx}")
    try:
        props = get_json(server_root(url) + "/props", timeout_s)
    except Exception:  # noqa: BLE001 - not llama.cpp, or not exposed
        props = None
    if isinstance(props, dict):
        if weights := props.get("model_path"):
            parts.insert(0, Path(str(weights)).name)
        if build := props.get("build_info"):
            runtime.insert(0, f"llama.cpp llama-server {build}")
        if slots := props.get("total_slots"):
            runtime.append(f"{slots} slot(s)")
    described = ", ".join(parts) or model
    return described + (RUNTIME + ", ".join(runtime) if runtime else "")
