"""Targeted-stance gold files: one :class:`~claimx.models.TargetedRecord` per JSONL line.

Two kinds, one format:

* the five articles' gold, ``eval/targeted/gold.jsonl`` (labelled by
  ``eval/ANNOTATION.md``, "Targeted stance"): every source's stance, and the
  article text left out (``text`` null), read from ``<articles>/<article_id>.txt``;
* a converted corpus (``claimx datasets convert fnc1``): article level only,
  the text inline.

:func:`load_targeted_gold` reads a file and puts every article's text in its
record; it refuses, naming the line, a record that does not validate, a
duplicate id, a text it cannot find, and an evidence span that is not
``text[start:end]``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from claimx.errors import GoldError
from claimx.models import TargetedRecord

__all__ = ["default_articles", "load_targeted_gold", "span_problems"]


def default_articles(gold: Path) -> Path:
    """A gold file's default articles folder: ``../articles`` (the layout of ``eval/``)."""
    return gold.resolve().parent.parent / "articles"


def span_problems(record: TargetedRecord, text: str) -> list[str]:
    """Every evidence span of ``record`` that is not ``text[start:end]``, in words."""
    spans = [("source", s.speaker, s.quote, s.start, s.end) for s in record.sources or []]
    spans += [("narration", "", n.quote, n.start, n.end) for n in record.narration]
    return [
        f"{kind} {who + ' ' if who else ''}[{start}:{end}]: text there is "
        f"{text[start:end]!r}, quote is {quote!r}"
        for kind, who, quote, start, end in spans
        if text[start:end] != quote
    ]


def load_targeted_gold(path: Path, articles: Path | None = None) -> list[TargetedRecord]:
    """The records of a gold file, each with its article text (module docstring).

    ``articles``: the folder of ``<article_id>.txt`` files for records without
    ``text``; by default :func:`default_articles`.
    """
    folder = articles if articles is not None else default_articles(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read the gold file ({exc.strerror})") from None
    texts: dict[str, str] = {}
    records, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            record = TargetedRecord.model_validate_json(line)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(x) for x in first["loc"])
            raise GoldError(
                f"{where}: not a targeted-stance record: {field}: {first['msg']}"
            ) from None
        if record.id in seen:
            raise GoldError(f"{where}: id {record.id!r} occurs twice")
        seen.add(record.id)
        text = record.text
        if text is None:
            if record.article_id not in texts:
                file = folder / f"{record.article_id}.txt"
                if not file.is_file():
                    raise GoldError(
                        f"{where}: no text inline and no {file}; pass the articles folder"
                    )
                texts[record.article_id] = file.read_text(encoding="utf-8")
            text = texts[record.article_id]
        problems = span_problems(record, text)
        if problems:
            raise GoldError(f"{where} ({record.id}): " + "; ".join(problems))
        records.append(record.model_copy(update={"text": text}))
    if not records:
        raise GoldError(f"{path}: no records")
    return records
