"""Gold data: loading it (folder or JSONL), checking it against the standard, summarising it.

A gold **folder** holds ``<stem>.json`` files (:class:`~claimx.models.GoldArticle`)
whose article texts are ``<stem>.txt`` in ``../articles/`` (the layout of
``eval/``) or beside them. A **JSONL** file holds one ``{"id", "text", "claims"}``
object per line, for users who bring their own data.

:func:`gold_problems` checks every file and names the file and claim of each
problem: JSON Schema validation (``schemas/gold_article.schema.json``, or the
schema generated from the models), ``text[start:end] == quote``, valid stances,
one claim per (speaker, proposition), and no evidence in page furniture or a
teaser headline of another story (:mod:`claimx.text.furniture`).
:func:`require_valid_gold` is that check as both of its callers run it,
``claimx check-gold`` and the eval before any run: every problem printed on a
line of its own, then one error saying how many.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx.errors import GoldError
from claimx.models import STANCES, Attribution, Claim, GoldArticle, GoldRecord
from claimx.schema_export import schema_text
from claimx.speakers import distinct_sources, same_source
from claimx.text.furniture import furniture_lines
from claimx.text.normalize import proposition_key

__all__ = [
    "GoldItem",
    "GoldProblem",
    "check_gold",
    "gold_problems",
    "require_valid_gold",
    "gold_summary",
    "gold_summary_markdown",
    "gold_summary_table",
    "load_gold",
]


@dataclass(frozen=True)
class GoldItem:
    """One gold article: its id, text and claims, and where they were read from.

    ``attributions`` are the detection-only records (evidence, source, cue; no
    proposition or stance) of a JSONL gold converted from a corpus
    (:mod:`claimx.datasets`): they are scored by :mod:`claimx.eval.detection`
    only, the full ``claims`` by every metric.
    """

    article_id: str
    text: str
    claims: list[Claim]
    source: str
    attributions: list[Attribution] = field(default_factory=list)

    @property
    def detection_only(self) -> bool:
        """Gold with attributions and no full claim: claim metrics do not apply to it."""
        return bool(self.attributions) and not self.claims


@dataclass(frozen=True)
class GoldProblem:
    """One problem of a gold file. ``claim`` is the claim's index, None for the whole file."""

    file: str
    claim: int | None
    kind: str  # "json" | "schema" | "article" | "offsets" | "stance" | "duplicate" | "furniture"
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: " if self.claim is None else f"{self.file}: claims[{self.claim}]: "
        return where + self.message


def _article_text(gold_file: Path) -> Path:
    for folder in (gold_file.parent.parent / "articles", gold_file.parent):
        candidate = folder / f"{gold_file.stem}.txt"
        if candidate.exists():
            return candidate
    raise GoldError(
        f"{gold_file}: no article text {gold_file.stem}.txt in ../articles/ or beside it"
    )


LAYOUT = (
    "a gold folder holds <stem>.json files (articles in ../articles or beside them),"
    " a gold JSONL file one {id, text, claims} object per line"
)
"""What a gold path must be, said by every error about one that is not."""


def _folder_files(path: Path) -> list[Path]:
    files = sorted(path.glob("*.json"))
    if not files:
        raise GoldError(f"{path}: no gold files (<article stem>.json); {LAYOUT}")
    return files


def load_gold(path: Path) -> list[GoldItem]:
    """Every gold article under ``path`` (a folder of JSON files, or a JSONL file).

    Raises :class:`~claimx.errors.GoldError` naming the file (and line) that does not load.
    """
    if path.is_dir():
        items = []
        for file in _folder_files(path):
            try:
                gold = GoldArticle.model_validate_json(file.read_text(encoding="utf-8"))
            except ValidationError as exc:
                raise GoldError(f"{file}: not a valid gold file: {exc}") from None
            text = _article_text(file).read_text(encoding="utf-8")
            items.append(GoldItem(gold.article_id, text, gold.claims, str(file)))
        return items
    if path.suffix == ".jsonl" and path.is_file():
        items = []
        for lineno, record in _jsonl(path):
            where = f"{path}:{lineno}"
            try:
                line = GoldRecord.model_validate(
                    {"id": str(record["id"]), "text": record["text"], "claims": record["claims"]}
                )
                claims = [c for c in line.claims if isinstance(c, Claim)]
                evidence = [c for c in line.claims if isinstance(c, Attribution)]
                items.append(GoldItem(line.id, line.text, claims, where, evidence))
            except (KeyError, TypeError, ValidationError) as exc:
                raise GoldError(
                    f'{where}: expected {{"id", "text", "claims": [...]}}: {exc}'
                ) from None
        return items
    raise GoldError(f"{path}: not a gold folder or a .jsonl file; {LAYOUT}")


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}:{lineno}: not JSON: {exc}") from None


def _check_claims(file: str, text: str, claims: list[Any]) -> Iterator[GoldProblem]:
    """Offsets, stances, duplicates and furniture of one article's claims (raw JSON objects)."""
    furniture = furniture_lines(text)
    names = [str(c.get("speaker", "")) for c in claims if isinstance(c, dict)]
    seen: list[tuple[int, str, str]] = []  # (index, speaker, normalised claim)
    for i, claim in enumerate(claims):
        if not isinstance(claim, dict):
            continue  # the schema check reports it
        start, end, quote = claim.get("start"), claim.get("end"), claim.get("quote")
        span = (start, end) if isinstance(start, int) and isinstance(end, int) else None
        if span is not None and text[span[0] : span[1]] != quote:
            inside = 0 <= span[0] <= span[1] <= len(text)
            found = repr(text[span[0] : span[1]]) if inside else "outside the text"
            message = f"text[{start}:{end}] != quote {quote!r} (it is {found})"
            yield GoldProblem(file, i, "offsets", message)
        stance = claim.get("stance")
        if stance not in STANCES:
            yield GoldProblem(
                file, i, "stance", f"stance {stance!r} is not one of {', '.join(STANCES)}"
            )
        speaker = str(claim.get("speaker", ""))
        proposition = proposition_key(str(claim.get("claim")))
        for j, other_speaker, other in seen:
            if other == proposition and same_source(speaker, other_speaker, names):
                yield GoldProblem(
                    file, i, "duplicate", f"same speaker and proposition as claims[{j}]"
                )
                break
        seen.append((i, speaker, proposition))
        if span is not None:
            lies_in = [f for f in furniture if f.start <= span[0] and span[1] <= f.end]
            if lies_in:
                what = f"{lies_in[0].kind}: {lies_in[0].text[:60]!r}"
                message = f"evidence lies in page furniture or a teaser headline ({what})"
                yield GoldProblem(file, i, "furniture", message)


def _validator(schema: Path | None) -> jsonschema.Draft202012Validator:
    if schema is None:
        return jsonschema.Draft202012Validator(json.loads(schema_text("gold_article")))
    if not schema.is_file():
        raise GoldError(f"{schema}: no such schema file; write it with 'claimx schemas'")
    return jsonschema.Draft202012Validator(json.loads(schema.read_text(encoding="utf-8")))


def _check_record(
    file: str, data: Any, text: str | None, validator: jsonschema.Draft202012Validator
) -> list[GoldProblem]:
    """Every problem of one gold record, the file's own first, then claim by claim."""
    found = list(_record_problems(file, data, text, validator))
    return sorted(found, key=lambda p: -1 if p.claim is None else p.claim)


def _record_problems(
    file: str, data: Any, text: str | None, validator: jsonschema.Draft202012Validator
) -> Iterator[GoldProblem]:
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        claim = (
            path[1] if len(path) > 1 and path[0] == "claims" and isinstance(path[1], int) else None
        )
        pointer = "/".join(str(p) for p in path) or "(root)"
        yield GoldProblem(file, claim, "schema", f"schema: {pointer}: {error.message}")
    if text is not None and isinstance(data, dict) and isinstance(data.get("claims"), list):
        yield from _check_claims(file, text, data["claims"])


def is_detection_only(claim: Any) -> bool:
    """A raw gold claim with evidence but no proposition, speaker or stance (an Attribution)."""
    return isinstance(claim, dict) and not {"claim", "speaker", "stance"} & claim.keys()


def _split_claims(raw: list[Any]) -> tuple[list[Any], list[int]]:
    """The full claims of a raw list, and the indices of its detection-only records."""
    evidence = [i for i, c in enumerate(raw) if is_detection_only(c)]
    return [c for i, c in enumerate(raw) if i not in set(evidence)], evidence


def _renumber(
    problems: list[GoldProblem], full: list[Any] | None, raw: Any
) -> Iterator[GoldProblem]:
    """Problems found in the full claims only, with their indices in the whole list."""
    if full is None or len(full) == len(raw):
        yield from problems
        return
    index = [i for i, c in enumerate(raw) if not is_detection_only(c)]
    for p in problems:
        if p.claim is None:
            yield p
            continue
        shown = p.message.replace(f"claims/{p.claim}", f"claims/{index[p.claim]}")
        yield GoldProblem(p.file, index[p.claim], p.kind, shown)


_ATTRIBUTION = jsonschema.Draft202012Validator(json.loads(schema_text("attribution")))


def _check_attributions(
    file: str, text: str, raw: Any, evidence: list[int]
) -> Iterator[GoldProblem]:
    """Schema and offsets of the detection-only records (evidence, source, cue spans)."""
    for i in evidence:
        item = raw[i]
        errors = list(_ATTRIBUTION.iter_errors(item))
        for error in errors:
            pointer = "/".join(str(p) for p in error.absolute_path) or "(root)"
            yield GoldProblem(file, i, "schema", f"schema: claims/{i}/{pointer}: {error.message}")
        if errors:
            continue
        wrong = [
            f"text[{s}:{e}] != {name} {item.get(name)!r} (it is {text[s:e]!r})"
            for name, s, e in (
                ("quote", item.get("start"), item.get("end")),
                ("source", item.get("source_start"), item.get("source_end")),
                ("cue", item.get("cue_start"), item.get("cue_end")),
            )
            if s is not None and e is not None and text[s:e] != item.get(name)
        ]
        yield from (GoldProblem(file, i, "offsets", message) for message in wrong)
        if wrong:
            continue
        try:
            Attribution.model_validate(item)
        except ValidationError as exc:
            yield GoldProblem(file, i, "offsets", exc.errors()[0]["msg"])


def gold_problems(path: Path, *, schema: Path | None = None) -> list[GoldProblem]:
    """Every problem of the gold at ``path`` (folder or JSONL), in file and claim order.

    ``schema`` is the JSON Schema file to validate against; by default the
    schema generated from :class:`~claimx.models.GoldArticle` (what
    ``claimx schemas`` writes to ``schemas/gold_article.schema.json``).
    """
    validator = _validator(schema)
    problems: list[GoldProblem] = []
    if path.is_dir():
        for file in _folder_files(path):
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                problems.append(GoldProblem(str(file), None, "json", f"not JSON: {exc}"))
                continue
            if isinstance(data, dict) and data.get("article_id") != file.stem:
                message = f"article_id {data.get('article_id')!r} is not the file stem"
                problems.append(GoldProblem(str(file), None, "article", message))
            try:
                text: str | None = _article_text(file).read_text(encoding="utf-8")
            except GoldError as exc:
                problems.append(GoldProblem(str(file), None, "article", str(exc)))
                text = None
            problems.extend(_check_record(str(file), data, text, validator))
        return problems
    if path.suffix == ".jsonl" and path.is_file():
        ids: Counter[str] = Counter()
        for lineno, record in _jsonl(path):
            where = f"{path}:{lineno}"
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                problems.append(
                    GoldProblem(where, None, "json", 'expected {"id", "text", "claims"}')
                )
                continue
            ids[str(record.get("id"))] += 1
            if ids[str(record.get("id"))] == 2:
                problems.append(
                    GoldProblem(where, None, "article", f"id {record.get('id')!r} repeats")
                )
            raw = record.get("claims")
            full, evidence = _split_claims(raw) if isinstance(raw, list) else (None, [])
            data = {"article_id": str(record.get("id")), "claims": raw if full is None else full}
            found = _check_record(where, data, record["text"], validator)
            problems.extend(_renumber(found, full, raw))
            problems.extend(_check_attributions(where, record["text"], raw, evidence))
        return problems
    raise GoldError(f"{path}: not a gold folder or a .jsonl file; {LAYOUT}")


def check_gold(path: Path, *, schema: Path | None = None) -> list[str]:
    """:func:`gold_problems` as messages ("<file>: claims[<i>]: <what>"), for printing."""
    return [str(p) for p in gold_problems(path, schema=schema)]


def require_valid_gold(
    path: Path, console: Console, *, schema: Path | None = None, advice: str = ""
) -> None:
    """Print every problem of the gold at ``path`` on ``console``, one line each; then
    raise :class:`~claimx.errors.GoldError` saying how many (``advice`` appended).

    Returns quietly when the gold passes every check of :func:`gold_problems`.
    ``claimx check-gold`` calls it before its summary, the eval before any run.
    """
    problems = gold_problems(path, schema=schema)
    for problem in problems:
        # soft_wrap: one line per problem whatever the console width, for grep and logs.
        console.print(f"[red]problem[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
    if problems:
        raise GoldError(f"{len(problems)} problem(s) in {path}; each is named above{advice}")


def gold_summary(items: list[GoldItem]) -> list[dict[str, int | str]]:
    """Per article: claims, distinct speakers, stance counts, direct and indirect evidence.

    Gold with detection-only records (a converted corpus) gets an ``attributions`` column.
    """
    rows: list[dict[str, int | str]] = []
    corpus = any(item.attributions for item in items)
    for item in items:
        stances = Counter(c.stance for c in item.claims)
        rows.append(
            {
                "article": item.article_id,
                "claims": len(item.claims),
                "speakers": len(distinct_sources(names := [c.speaker for c in item.claims], names)),
                **{s: stances.get(s, 0) for s in STANCES},
                "direct": sum(c.direct for c in item.claims),
                "indirect": sum(not c.direct for c in item.claims),
                **({"attributions": len(item.attributions)} if corpus else {}),
            }
        )
    return rows


def _with_total(rows: list[dict[str, int | str]]) -> list[dict[str, int | str]]:
    if not rows:
        return rows
    total: dict[str, int | str] = {"article": "total"}
    for key in list(rows[0])[1:]:
        total[key] = sum(int(r[key]) for r in rows)
    return [*rows, total]


def gold_summary_table(rows: list[dict[str, int | str]], *, title: str = "gold") -> Table:
    """The summary as a rich table, with a total row.

    Columns are one space apart and fold rather than cut, so the five articles of
    ``eval/gold`` fit 80 columns with every id and header whole.
    """
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
        padding=0, pad_edge=False,
    )  # fmt: skip
    for key in rows[0] if rows else ["article"]:
        table.add_column(key, justify="left" if key == "article" else "right", overflow="fold")
    for row in _with_total(rows):
        table.add_row(*(str(v) for v in row.values()))
    return table


def gold_summary_markdown(rows: list[dict[str, int | str]]) -> str:
    """The summary as a markdown table, with a total row."""
    keys = list(rows[0]) if rows else ["article"]
    lines = ["| " + " | ".join(keys) + " |", "| --- |" + " ---: |" * (len(keys) - 1)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in _with_total(rows)]
    return "\n".join(lines) + "\n"
