"""Recordings of real model exchanges for the eval: where they live and what made them.

``eval/cassettes/<model>/<prompt ref>/<article>.yaml``, one folder per model, each
with a ``manifest.json`` (:class:`Manifest`): which real model answered, from which
endpoint, when, the content hash of each prompt version recorded and the wall
seconds each article took. Recordings of several models live side by side; a
recording that would put a second model's answers into a model's folder is
refused (:func:`check_record`). Every hint prints the whole command that
records a prompt again (:func:`record_command`).

The oracle run (``--oracle evidence``, :mod:`claimx.eval.oracle`) asks other
requests than the end-to-end one: its recordings are filed under
``<prompt ref>+oracle-evidence`` (:func:`recording_key`), in the folder and in
the manifest's ``prompts`` and ``seconds``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from claimx.errors import CassetteMissError, ConfigError
from claimx.eval.paths import shown
from claimx.llm.config import LOCAL_HOSTS, OPENAI_BASE_URL
from claimx.prompts import PromptSpec

#: the base URL of a replayed client and of the local server recordings are made with
#: (scripts/local-llm.sh); a replay never contacts it: cassettes match on path and body
REPLAY_BASE_URL = "http://127.0.0.1:8011/v1"
LOCAL_MODEL = "local"
ORACLE_EVIDENCE = "oracle-evidence"


def recording_key(ref: str, *, oracle: bool = False) -> str:
    """Where a prompt's recordings are filed: its ref, or ``<ref>+oracle-evidence``."""
    return f"{ref}+{ORACLE_EVIDENCE}" if oracle else ref


@dataclass(frozen=True)
class Manifest:
    """What the recordings of one model folder were made with."""

    model: str = LOCAL_MODEL
    model_description: str = ""
    recorded_at: str = ""
    #: the endpoint they were recorded from (for the command that records them again)
    base_url: str = ""
    prompts: dict[str, str] = field(default_factory=dict)  # ref -> content hash
    #: ref -> article id -> wall seconds of the live extraction when it was recorded
    #: (a replay takes milliseconds; reports show what the model really cost)
    seconds: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        path = folder / "manifest.json"
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"
        (folder / "manifest.json").write_text(payload, encoding="utf-8")


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
        if (manifest := Manifest.load(folder)) is not None
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


def check_recorded(spec: PromptSpec, model: str, cassettes: Path, *, oracle: bool = False) -> None:
    """A replay of a prompt edited since its recording would miss: say so up front."""
    manifest = Manifest.load(model_folder(cassettes, model))
    key = recording_key(spec.ref, oracle=oracle)
    recorded = manifest.prompts.get(key) if manifest else None
    if manifest is not None and recorded is not None and recorded != spec.content_hash:
        command = record_command(spec.ref, model, cassettes, manifest.base_url, oracle=oracle)
        raise CassetteMissError(
            f"{key} changed since its responses were recorded (content hash"
            f" {recorded} -> {spec.content_hash}); re-record with: {command}"
        )


def check_record(recording: dict[str, set[str]], cassettes: Path, model_description: str) -> None:
    """Refuse a recording (model -> prompt refs) that would mix two models in one folder."""
    for model, refs in recording.items():
        manifest = Manifest.load(model_folder(cassettes, model))
        if manifest is None:
            continue
        folder = shown(model_folder(cassettes, model))
        if manifest.model != model:
            raise ConfigError(
                f"{folder}/manifest.json is for model {manifest.model!r}, not {model!r};"
                " record into another --cassettes folder"
            )
        kept = set(manifest.prompts) - refs
        described = model_description and manifest.model_description
        if kept and described and model_description != manifest.model_description:
            raise ConfigError(
                f"{folder} holds recordings of {manifest.model_description!r} for"
                f" {', '.join(sorted(kept))}; recording {model_description!r} there would mix"
                " two models under one name: re-record every prompt (--prompt all), or record"
                " under another --model name"
            )


def save_manifest(
    cassettes: Path,
    model: str,
    recorded: Iterable[tuple[str, PromptSpec, dict[str, float]]],
    *,
    base_url: str | None,
    model_description: str,
) -> None:
    """Add what was just recorded (recording key, prompt, seconds per article) to
    ``model``'s manifest."""
    old = Manifest.load(model_folder(cassettes, model)) or Manifest(model=model)
    prompts, seconds = dict(old.prompts), dict(old.seconds)
    for key, spec, per_article in recorded:
        prompts[key] = spec.content_hash
        seconds[key] = per_article
    Manifest(
        model=model,
        model_description=model_description or old.model_description,
        recorded_at=datetime.now(UTC).strftime("%Y-%m-%d"),
        base_url=base_url or OPENAI_BASE_URL,
        prompts=prompts,
        seconds=seconds,
    ).save(model_folder(cassettes, model))
