"""What ``claimx consolidate`` reads: claims of many articles, their texts and outlets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from claimx.errors import InputError
from claimx.models import ExtractionResult, GoldArticle

__all__ = ["load_claims", "load_outlets", "load_texts"]


def _files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".json", ".jsonl"))
            if not found:
                raise InputError("no .json or .jsonl file in this folder", source=str(path))
            out += found
        else:
            out.append(path)
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8",
            source=str(path),
        ) from None


def load_claims(paths: Sequence[Path]) -> list[GoldArticle | ExtractionResult]:
    """Extraction results (``.jsonl`` from ``claimx extract``) and gold files (``.json``,
    also the gold-format predictions ``python -m claimx.eval --save-predictions``
    writes); a folder stands for its ``.json`` and ``.jsonl`` files."""
    loaded: list[GoldArticle | ExtractionResult] = []
    for path in _files(paths):
        raw = _read(path)
        try:
            if path.suffix == ".jsonl":
                loaded += [ExtractionResult.model_validate_json(x) for x in raw.splitlines() if x]
            else:
                loaded.append(GoldArticle.model_validate_json(raw))
        except ValidationError as exc:
            kind = "an extraction result (JSONL)" if path.suffix == ".jsonl" else "a gold file"
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise InputError(
                f"not {kind}: {where}: {first['msg']} (expected the output of 'claimx extract' "
                "or a gold file of eval/gold)",
                source=str(path),
            ) from None
    return loaded


def load_texts(articles: Path, article_ids: Iterable[str]) -> dict[str, str]:
    """The ``<id>.txt`` texts found in the folder ``articles`` (missing ones are skipped)."""
    if not articles.is_dir():
        raise InputError("not a folder of <id>.txt articles", source=str(articles))
    texts = {}
    for article_id in article_ids:
        candidate = articles / f"{article_id}.txt"
        if candidate.exists():
            texts[article_id] = _read(candidate)
    return texts


def load_outlets(path: Path) -> dict[str, str]:
    """A JSON object mapping article id to outlet name (``{"003_bf86...": "Washington Post"}``)."""
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}", source=str(path)) from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise InputError(
            'expected one JSON object of article id -> outlet name, e.g. {"a1": "Reuters"}',
            source=str(path),
        )
    return data
