"""Gold data: loading it (folder or JSONL) and checking it against the standard.

A gold folder holds ``<stem>.json`` files (:class:`~claimx.models.GoldArticle`)
whose article texts are ``<stem>.txt`` in ``../articles/`` (the layout of
``eval/``) or beside them. A JSONL file holds one ``{"id", "text", "claims"}``
object per line, for users who bring their own data.

:func:`check_gold` returns every problem, each naming the file and claim.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jsonschema
from pydantic import ValidationError

from claimx.errors import GoldError
from claimx.furniture import furniture_spans, in_furniture
from claimx.models import STANCES, Claim, GoldArticle
from claimx.names import normalize_name
from claimx.schema_export import schema_text


@dataclass(frozen=True)
class GoldItem:
    """One gold article: its id, text and claims."""

    article_id: str
    text: str
    claims: list[Claim]
    source: str


def _article_text(gold_file: Path) -> Path:
    for folder in (gold_file.parent.parent / "articles", gold_file.parent):
        candidate = folder / f"{gold_file.stem}.txt"
        if candidate.exists():
            return candidate
    raise GoldError(
        f"{gold_file}: no article text {gold_file.stem}.txt in ../articles/ or beside it"
    )


def load_gold(path: Path) -> list[GoldItem]:
    """Every gold article under ``path`` (a folder of JSON files, or a JSONL file)."""
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise GoldError(f"{path}: no gold files (<article stem>.json)")
        items = []
        for file in files:
            try:
                gold = GoldArticle.model_validate_json(file.read_text(encoding="utf-8"))
            except ValidationError as exc:
                raise GoldError(f"{file}: not a valid gold file: {exc}") from None
            text = _article_text(file).read_text(encoding="utf-8")
            items.append(GoldItem(gold.article_id, text, gold.claims, str(file)))
        return items
    if path.suffix == ".jsonl" and path.exists():
        items = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                claims = [Claim.model_validate(c) for c in record["claims"]]
                items.append(
                    GoldItem(str(record["id"]), record["text"], claims, f"{path}:{lineno}")
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValidationError) as exc:
                raise GoldError(
                    f'{path}:{lineno}: expected {{"id", "text", "claims": [...]}}: {exc}'
                ) from None
        return items
    raise GoldError(f"{path}: not a gold folder or a .jsonl file")


def check_gold(folder: Path) -> list[str]:
    """Every problem of the gold files in ``folder``, each naming file and claim."""
    problems: list[str] = []
    validator = jsonschema.Draft202012Validator(json.loads(schema_text("gold_article")))
    files = sorted(folder.glob("*.json"))
    if not files:
        return [f"{folder}: no gold files"]
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            problems.append(f"{file}: not JSON: {exc}")
            continue
        for error in validator.iter_errors(data):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{file}: schema: {where or '(root)'}: {error.message}")
        if data.get("article_id") != file.stem:
            problems.append(f"{file}: article_id {data.get('article_id')!r} != file stem")
        try:
            text = _article_text(file).read_text(encoding="utf-8")
        except GoldError as exc:
            problems.append(str(exc))
            continue
        furniture = furniture_spans(text)
        seen: Counter[tuple[str, str]] = Counter()
        for i, claim in enumerate(data.get("claims", [])):
            where = f"{file}: claims[{i}]"
            if not isinstance(claim, dict):
                continue
            start, end, quote = claim.get("start"), claim.get("end"), claim.get("quote")
            if isinstance(start, int) and isinstance(end, int) and text[start:end] != quote:
                problems.append(f"{where}: text[{start}:{end}] != quote {quote!r}")
            if claim.get("stance") not in STANCES:
                problems.append(f"{where}: stance {claim.get('stance')!r} not in {STANCES}")
            key = (
                normalize_name(str(claim.get("speaker", ""))),
                " ".join(str(claim.get("claim", "")).lower().split()),
            )
            seen[key] += 1
            if seen[key] == 2:
                problems.append(f"{where}: same speaker and proposition as an earlier claim")
            if isinstance(start, int) and isinstance(end, int):
                if in_furniture(furniture, start, end):
                    problems.append(f"{where}: evidence lies in page furniture or a teaser")
    return problems


def gold_summary(items: list[GoldItem]) -> list[dict[str, int | str]]:
    """Per article: claims, distinct speakers, stance counts, direct/indirect."""
    rows: list[dict[str, int | str]] = []
    for item in items:
        stances = Counter(c.stance for c in item.claims)
        rows.append(
            {
                "article": item.article_id,
                "claims": len(item.claims),
                "speakers": len({normalize_name(c.speaker) for c in item.claims}),
                **{s: stances.get(s, 0) for s in STANCES},
                "direct": sum(c.direct for c in item.claims),
                "indirect": sum(not c.direct for c in item.claims),
            }
        )
    return rows
