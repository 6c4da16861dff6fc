"""The input of a report: systems (prompt x model) run over gold articles, and what ran them.

A run (:mod:`claimx.eval.runner`, or ``claimx extract``) leaves one
:class:`~claimx.models.ExtractionResult` JSONL file per system;
:func:`load_runs` reads such files back against the gold, and
:func:`claimx.eval.compare.build_report` scores them and the renderers in
:mod:`claimx.eval.reports` print them. Nothing here calls a model.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimx.errors import ConfigError
from claimx.models import Claim, ExtractionResult
from claimx.runs.outputs import ERRORS_SUFFIX, errors_file

if TYPE_CHECKING:
    from claimx.eval.gold import GoldItem

__all__ = [
    "RUN_FILE",
    "ArticleRun",
    "ReportMeta",
    "SystemInfo",
    "SystemRun",
    "load_runs",
    "run_provenance",
]

#: written by the eval beside its results files: what each file is (label, source...)
RUN_FILE = "run.json"


@dataclass(frozen=True)
class ArticleRun:
    """One system on one article."""

    article_id: str
    text: str
    gold: list[Claim]
    result: ExtractionResult | None  # None when the extraction failed
    error: str | None = None


@dataclass(frozen=True)
class SystemInfo:
    """What a system is, apart from its results."""

    label: str  # "extract@v2", or "extract@v2 · gpt-4o-mini" when models are compared
    prompt: str
    prompt_hash: str
    model: str
    strategy: str
    source: str  # "replayed" | "live" | "recorded" | "predictions" | "saved"


@dataclass(frozen=True)
class SystemRun(SystemInfo):
    """One prompt version (or model, or saved predictions) over every gold article."""

    articles: list[ArticleRun]


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True, kw_only=True)
class ReportMeta:
    """What a reader needs to know which exact thing produced the numbers.

    Per-system facts (model, prompt version and hash, strategy, live or
    replayed) live on each :class:`SystemRun`; this is the rest. Made without a
    ``date``, it is stamped with the current UTC time.
    """

    date: str = field(default_factory=_utc_now)  # when the report was made
    gold: str  # the gold folder or JSONL file scored against
    claimx_version: str
    responses: str  # how responses were obtained, one sentence for the report header
    recorded_model: str | None = None  # the real model behind replayed responses
    recorded_at: str | None = None  # when those responses were recorded
    command: str | None = None  # the command line that made the report
    seed: int = 0  # bootstrap seed
    resamples: int = 10_000  # bootstrap resamples


def load_runs(files: list[Path], gold: list[GoldItem]) -> list[SystemRun]:
    """Saved results files (``ExtractionResult`` JSONL), one system each, against ``gold``.

    A folder stands for the results files in it. Each file's errors file
    (``<file>.errors.jsonl``, as the orchestrator writes it) gives the reason an
    article has no result; an errors file given as a file is not a system. The
    eval's ``run.json`` beside the files names their systems; without it a
    system is named by its prompt (and model, when the files hold several), and
    files that would share a name are told apart by their file names.
    """
    paths = []
    for path in files:
        found = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        paths += [p for p in found if not p.name.endswith(ERRORS_SUFFIX)]
    if not paths:
        raise ConfigError(f"no results files (.jsonl) in {', '.join(map(str, files))}")
    loaded = [(path, read_results(path), read_errors(path)) for path in paths]
    models = {r.model for _, results, _ in loaded for r in results.values()}
    runs = []
    for path, results, errors in loaded:
        info = _info(path, results, several_models=len(models) > 1)
        articles = []
        for item in gold:
            result = results.get(item.article_id)
            error = None
            if result is None:
                error = errors.get(item.article_id, f"not in {path}: the run did not reach it")
            articles.append(ArticleRun(item.article_id, item.text, item.claims, result, error))
        runs.append(SystemRun(**asdict(info), articles=articles))
    # Two files of one prompt (a rerun, a filtered copy) are told apart by file name.
    labels = [r.label for r in runs]
    return [
        replace(r, label=f"{r.label} ({path.name})") if labels.count(r.label) > 1 else r
        for r, (path, _, _) in zip(runs, loaded, strict=True)
    ]


def run_provenance(files: list[Path]) -> dict[str, Any]:
    """How the responses of saved results were obtained, from the eval's ``run.json``.

    ``{"responses": ..., "recorded_model": ..., "recorded_at": ...}``; for files
    without one (``claimx extract`` output), a line naming them.
    """
    folders = sorted({(p if p.is_dir() else p.parent) for p in files})
    metas = [
        json.loads((f / RUN_FILE).read_text(encoding="utf-8")).get("meta", {})
        if (f / RUN_FILE).exists()
        else {"responses": f"saved results in {f}"}
        for f in folders
    ]
    if len(metas) == 1:
        return dict(metas[0])
    # A run and the archived runs beside it (eval/archive): each folder says how its
    # responses were obtained.
    merged: dict[str, Any] = {"responses": "; ".join(m["responses"] for m in metas)}
    for key in ("recorded_model", "recorded_at"):
        found = sorted({str(m[key]) for m in metas if m.get(key)})
        merged[key] = "; ".join(found) or None
    return merged


def read_results(path: Path) -> dict[str, ExtractionResult]:
    """The results of one results file, by article id (a clear error for a bad line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    out = {}
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            result = ExtractionResult.model_validate_json(line)
        except ValueError:
            raise ConfigError(
                f"{path}:{lineno} is not an extraction result (claimx extract's JSONL)"
            ) from None
        out[result.article_id] = result
    return out


def read_errors(path: Path) -> dict[str, str]:
    """The articles of ``path``'s errors file (``<file>.errors.jsonl``) and why they failed."""
    errors = errors_file(path)
    if not errors.exists():
        return {}
    out = {}
    for line in errors.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("article_id"):
            out[record["article_id"]] = f"{record['error_type']}: {record['message']}"
    return out


def _info(path: Path, results: dict[str, ExtractionResult], *, several_models: bool) -> SystemInfo:
    run_file = path.parent / RUN_FILE
    if run_file.exists():
        described: dict[str, Any] = json.loads(run_file.read_text(encoding="utf-8"))["systems"]
        if path.name in described:
            return SystemInfo(**described[path.name])
    first = next(iter(results.values()), None)
    if first is None:
        raise ConfigError(f"{path} holds no results, and no {RUN_FILE} beside it says what it is")
    label = f"{first.prompt} · {first.model}" if several_models else first.prompt
    return SystemInfo(
        label=label,
        prompt=first.prompt,
        prompt_hash=first.prompt_hash,
        model=first.model,
        strategy=first.strategy,
        source="saved",
    )
