"""Output formats of ``claimx extract`` beyond the resumable JSONL default, and the
check that every output can be written before a run starts.

``--format json`` is ONE JSON document: an array of
:class:`~claimx.models.ExtractionResult` objects, however many articles there
are. The run itself still writes JSONL (into a staging file beside the output,
exactly-once as always, see :mod:`claimx.runs.orchestrator`); when it ends,
the records are streamed into the array, which replaces the output in one
``os.replace``, so a reader never sees half an array and memory stays flat.
An existing JSON output is only replaced when asked (``--force``): unlike a
JSONL output it cannot be resumed, so replacing it would lose its results.

Every output is owner-only, like the cache (:mod:`claimx.llm.private`): one
mode, 0600, for results, errors files and JSON arrays alike.

:func:`check_writable` is how every engine refuses an output it could not
write *before* the run (issue 24: an unwritable ``-o`` failed only after the
model calls; a read-only Ray folder failed after a whole cluster had started).
It really writes: it creates a probe file and removes it, because permission
bits say nothing about a read-only mount, a full disk's quota or root.

:func:`lock_or_refuse` is how every engine keeps a second run off what a run
is writing (the output file, a Ray output folder, a batch run's state).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from claimx.errors import ConfigError
from claimx.llm.private import make_private, private_dir

ERRORS_SUFFIX = ".errors.jsonl"


def errors_file(output: Path) -> Path:
    """Where a run into ``output`` lists its failed articles: ``<output>.errors.jsonl``."""
    return output.with_name(output.name + ERRORS_SUFFIX)


def lock_or_refuse(fd: int, busy: str) -> None:
    """Take an exclusive ``flock`` on ``fd`` without waiting; when another process holds
    it, close ``fd`` and raise :class:`ConfigError` saying ``busy``."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ConfigError(busy) from None


def busy_output(path: Path) -> str:
    """What :func:`lock_or_refuse` says of an output another run is writing."""
    return (
        f"{path} is being written by another claimx run; wait for it to finish"
        " or choose another --output"
    )


def check_output(path: Path, *, replace: bool, resumable: bool) -> None:
    """Refuse an ``--output`` that is a folder, or an existing file that may not be replaced.

    ``resumable``: an existing file is resumed (JSONL); otherwise it is only
    replaced when ``replace`` is true (``--force``).
    """
    suffix = ".jsonl" if resumable else ".json"
    if path.is_dir():
        raise ConfigError(
            f"--output {path} is a folder; give a file name, e.g. {path / ('results' + suffix)}"
        )
    if path.exists() and not resumable and not replace:
        raise ConfigError(
            f"--output {path} exists; pass --force to replace it, or choose another --output"
            " (a JSONL output, the default --format, is resumed instead of replaced)"
        )


@contextlib.contextmanager
def staging_jsonl(output: Path | None) -> Iterator[Path]:
    """A fresh JSONL file for the run's records, beside ``output`` (or in the temp folder).

    Removed on exit, whatever happens.
    """
    folder = private_dir(output.parent) if output is not None else None
    prefix = f".{output.name}." if output is not None else "claimx-"
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".jsonl", dir=folder)
    make_private(fd)
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def write_json_array(records: Path, out: TextIO) -> int:
    """Stream the JSONL ``records`` into ``out`` as one indented JSON array; return the count."""
    count = 0
    out.write("[")
    with records.open("rb") as handle:
        for line in handle:
            if not line.strip():
                continue
            item = json.dumps(json.loads(line), indent=2, ensure_ascii=False)
            # Each record indented one level inside the array.
            out.write(("," if count else "") + "\n  " + item.replace("\n", "\n  "))
            count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def publish_json(records: Path, output: Path | None, stream: TextIO) -> int:
    """Write the array to ``output`` (atomically replacing it) or to ``stream``."""
    if output is None:
        return write_json_array(records, stream)
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        make_private(fd)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            count = write_json_array(records, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, output)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return count


def check_writable(path: Path, *, what: str, folder: bool = False) -> None:
    """Refuse a ``path`` claimx could not write, naming it, before any work is done.

    ``folder``: ``path`` is a folder claimx writes files into; else a file. Nothing
    is created: a probe file is made and removed in the path (or its nearest
    existing folder, where claimx would create the rest). ``what`` names the
    option in the message (``--output``, ``--errors``, ``--cache-dir``).
    """
    try:
        if folder and path.exists() and not path.is_dir():
            raise ConfigError(f"{what} {path} is a file; a folder is needed here")
        if not folder and path.is_dir():
            raise ConfigError(f"{what} {path} is a folder; give a file name")
        if not folder and path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))  # no truncation: just a try
            return
        existing = path if folder else path.parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise ConfigError(f"{what} {path}: {existing} is a file, not a folder")
        fd, probe = tempfile.mkstemp(prefix=".claimx-probe-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {what} {path}: {exc.strerror}; choose another {what},"
            " or free the disk / fix its permissions"
        ) from None
