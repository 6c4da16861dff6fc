"""Reading articles from files, folders and JSONL, one clear error per bad input.

Inputs stream: a folder or a JSONL file of any size is read one article at a
time, and a bad input yields an error item instead of stopping the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claimx.errors import InputError
from claimx.models import Article

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})


@dataclass(frozen=True)
class InputItem:
    """One input: an article, or the error that kept it from being read."""

    source: str
    article: Article | None = None
    error: InputError | None = None


def decode_text(data: bytes, *, source: str) -> str:
    """UTF-8 text from bytes, refusing empty, binary and non-UTF-8 content."""
    if not data.strip():
        raise InputError("the file is empty (or whitespace only)", source=source)
    if b"\x00" in data[:8192]:
        raise InputError(
            "this looks like a binary file (NUL bytes), not article text", source=source
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8",
            source=source,
        ) from None
    if not text.strip():
        raise InputError("the file is empty (or whitespace only)", source=source)
    return text


def read_article(path: Path) -> Article:
    """An article from a text file; its id is the file's stem."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except IsADirectoryError:
        raise InputError(
            "is a directory; pass its files or the folder itself", source=source
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=source) from None
    return Article(id=path.stem, text=decode_text(data, source=source))


def iter_jsonl(path: Path) -> Iterator[InputItem]:
    """Articles from a JSONL file of ``{"id": ..., "text": ...}`` objects, line by line."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputItem(
            str(path), error=InputError(f"cannot read: {exc.strerror}", source=str(path))
        )
        return
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            source = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield InputItem(source, error=InputError(f"not valid JSON: {exc}", source=source))
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield InputItem(
                    source,
                    error=InputError('expected an object with a "text" string', source=source),
                )
                continue
            article_id = str(record.get("id") or f"{path.stem}-{lineno}")
            if not record["text"].strip():
                yield InputItem(source, error=InputError("the text is empty", source=source))
                continue
            yield InputItem(source, article=Article(id=article_id, text=record["text"]))


def iter_inputs(paths: Iterable[Path]) -> Iterator[InputItem]:
    """Every article under ``paths``: text files, folders of them, JSONL files."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in TEXT_SUFFIXES | {".jsonl"})
            if not files:
                yield InputItem(
                    str(path),
                    error=InputError("folder has no .txt or .jsonl files", source=str(path)),
                )
            yield from iter_inputs(files)
        elif path.suffix == ".jsonl":
            yield from iter_jsonl(path)
        else:
            try:
                yield InputItem(str(path), article=read_article(path))
            except InputError as exc:
                yield InputItem(str(path), error=exc)
