"""Reading articles from files, folders, JSONL and stdin, one clear error per bad input.

Inputs stream: a folder or a JSONL file of any size is read one article at a
time, and a bad input yields an error item instead of stopping the batch.

* A **file** is one article (its id is the file's stem), or, named ``*.jsonl``,
  one ``{"id": ..., "text": ...}`` object per line.
* A **folder** is searched recursively for the files matching a glob (default
  :data:`DEFAULT_GLOB`, ``.txt`` and ``.jsonl`` files; matched case-insensitively,
  so ``.TXT`` is found; hidden files and folders are skipped, e.g. ``.git`` or
  macOS ``._x.txt``).
  An article's id is its path relative to the folder without the suffix
  (``a/x.txt`` is ``a/x``), so ``a/x.txt`` and ``b/x.txt`` stay apart.
* ``-`` is standard input: JSONL when its first non-blank character is ``{``,
  otherwise one article with the id ``stdin``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from claimx.errors import InputError
from claimx.models import Article

JSONL_SUFFIX = ".jsonl"
#: the files a folder contributes when no ``--glob`` is given: articles (``.txt``) and
#: JSONL, at any depth. Not ``.md`` or ``.text``: a corpus folder's ``README.md`` is
#: documentation, not an article, and sending it to the model costs money for nothing;
#: other files are opt-in (``--glob '**/*.{txt,md}'``).
DEFAULT_GLOB = "**/*.{jsonl,txt}"
#: the path that stands for standard input
STDIN = Path("-")
STDIN_SOURCE = "<stdin>"
STDIN_ID = "stdin"


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


def read_article(path: Path, *, article_id: str | None = None) -> Article:
    """An article from a text file; its id is ``article_id``, by default the file's stem."""
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
    return Article(id=article_id or path.stem, text=decode_text(data, source=source))


# --- folders ------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def glob_pattern(glob: str) -> re.Pattern[str]:
    """A case-insensitive regex for a relative POSIX path, from a glob.

    ``**/`` is any number of folders (none included), ``*`` and ``?`` stay within
    one path segment, ``[abc]`` / ``[!abc]`` are character classes and
    ``{a,b}`` is either alternative. (``Path.glob`` is case-sensitive on Linux
    before Python 3.12, and knows no ``{a,b}``.)
    """
    return re.compile(_glob_regex(glob), re.IGNORECASE | re.DOTALL)


def _glob_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and (end := glob.find("]", i + 2)) != -1:
            body = glob[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace("\\-", "-")
            out.append(f"[{'^/' if negate else ''}{body}]")
            i = end + 1
        elif glob[i] == "{" and (end := glob.find("}", i)) != -1:
            options = glob[i + 1 : end].split(",")
            out.append("(?:" + "|".join(_glob_regex(o) for o in options) + ")")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def folder_files(folder: Path, glob: str = DEFAULT_GLOB) -> list[tuple[Path, str]]:
    """(file, article id) of every file under ``folder`` matching ``glob``, in path order.

    The id is the path relative to ``folder`` without its suffix.
    """
    pattern = glob_pattern(glob)
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            relative = PurePosixPath(Path(root, name).relative_to(folder).as_posix())
            if pattern.fullmatch(str(relative)):
                found.append((relative, Path(root, name)))
    found.sort()
    return [(path, str(relative.with_suffix(""))) for relative, path in found]


def _no_files(folder: Path, glob: str) -> InputItem:
    message = f"folder has no files matching {glob!r} (case-insensitive); try --glob '**/*'"
    return InputItem(str(folder), error=InputError(message, source=str(folder)))


# --- JSONL --------------------------------------------------------------------------------


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() == JSONL_SUFFIX


def iter_jsonl(path: Path, *, id_prefix: str | None = None) -> Iterator[InputItem]:
    """Articles from a JSONL file of ``{"id": ..., "text": ...}`` objects, line by line.

    A line without an id gets ``<id_prefix>-<line number>`` (default prefix: the file's stem).
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputItem(
            str(path), error=InputError(f"cannot read: {exc.strerror}", source=str(path))
        )
        return
    with handle:
        yield from _jsonl_items(handle, source=str(path), id_prefix=id_prefix or path.stem)


def _jsonl_items(lines: Iterable[bytes], *, source: str, id_prefix: str) -> Iterator[InputItem]:
    for lineno, raw in enumerate(lines, start=1):
        where = f"{source}:{lineno}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield InputItem(where, error=InputError(f"not valid JSON: {exc}", source=where))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputItem(
                where, error=InputError('expected an object with a "text" string', source=where)
            )
            continue
        article_id = str(record.get("id") or f"{id_prefix}-{lineno}")
        if not record["text"].strip():
            yield InputItem(where, error=InputError("the text is empty", source=where))
            continue
        yield InputItem(where, article=Article(id=article_id, text=record["text"]))


# --- stdin --------------------------------------------------------------------------------


def iter_stdin(stream: BinaryIO) -> Iterator[InputItem]:
    """Standard input: JSONL if its first non-blank character is ``{``, else one article."""
    head: list[bytes] = []
    for line in stream:  # only up to the first non-blank line: JSONL keeps streaming
        head.append(line)
        if line.strip():
            break
    first = b"".join(head).lstrip().removeprefix(b"\xef\xbb\xbf")
    if first.startswith(b"{"):
        yield from _jsonl_items(
            itertools.chain(head, stream), source=STDIN_SOURCE, id_prefix=STDIN_ID
        )
        return
    try:
        text = decode_text(b"".join(head) + stream.read(), source=STDIN_SOURCE)
    except InputError as exc:
        yield InputItem(STDIN_SOURCE, error=exc)
        return
    yield InputItem(STDIN_SOURCE, article=Article(id=STDIN_ID, text=text))


# --- all of them --------------------------------------------------------------------------


def iter_inputs(
    paths: Iterable[Path], *, glob: str = DEFAULT_GLOB, stdin: BinaryIO | None = None
) -> Iterator[InputItem]:
    """Every article under ``paths``: text files, folders (searched with ``glob``), JSONL, ``-``.

    ``stdin`` is what ``-`` reads (default: the process's standard input).
    """
    stdin_read = False
    for path in paths:
        if path == STDIN:
            if stdin_read:
                error = InputError("'-' (standard input) is given twice", source=STDIN_SOURCE)
                yield InputItem(STDIN_SOURCE, error=error)
                continue
            stdin_read = True
            yield from iter_stdin(sys.stdin.buffer if stdin is None else stdin)
        elif path.is_dir():
            files = folder_files(path, glob)
            if not files:
                yield _no_files(path, glob)
            for file, article_id in files:
                yield from _file_items(file, article_id)
        else:
            yield from _file_items(path, path.stem)


def _file_items(path: Path, article_id: str) -> Iterator[InputItem]:
    if _is_jsonl(path):
        yield from iter_jsonl(path, id_prefix=article_id)
        return
    try:
        yield InputItem(str(path), article=read_article(path, article_id=article_id))
    except InputError as exc:
        yield InputItem(str(path), error=exc)


def count_inputs(paths: Iterable[Path], *, glob: str = DEFAULT_GLOB) -> int | None:
    """How many items :func:`iter_inputs` will yield, without parsing them.

    Folders are listed, JSONL files are counted by non-blank lines (a streaming
    pass), so the progress bar can show a total and an ETA. ``None`` when
    standard input is among the paths: it cannot be read twice.
    """
    total = 0
    for path in paths:
        if path == STDIN:
            return None
        if path.is_dir():
            files = [file for file, _ in folder_files(path, glob)]
            total += (count_inputs(files) or 0) if files else 1
        elif _is_jsonl(path):
            try:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total
