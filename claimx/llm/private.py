"""Files that hold article text or model answers: readable by their owner only.

A failure dump holds the whole prompt, the article and the model's raw answer;
the response cache holds every answer; batch files hold every request; a run's
outputs and errors file hold quotes of every article. On a machine shared with
other users, none of that is theirs to read, whatever the umask of the shell
that started claimx (a common ``022`` would make them world-readable). So
claimx writes every such file mode :data:`FILE_MODE` (0600) and creates every
folder for them mode :data:`DIR_MODE` (0700): one mode for every output.

The mode is set with ``fchmod`` after the file is opened, because ``open``'s
mode is masked by the umask (an unusual umask such as ``0277`` would otherwise
leave a file the owner cannot write). Only a file the process owns is
changed: a file of another user's (a shared cache the group may write) keeps
the mode its owner chose. Folders that already exist are left as they are:
their owner chose their mode.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, overload

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """``path`` as a folder, creating it and any missing parent mode 0700; returns it."""
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # another process made it meanwhile: its mode is its own
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def make_private(fd: int) -> None:
    """Set an open file to mode 0600 when this process owns it (see module doc)."""
    info = os.fstat(fd)
    if info.st_uid == os.getuid() and info.st_mode & 0o777 != FILE_MODE:
        os.fchmod(fd, FILE_MODE)


def open_private_fd(path: Path, flags: int) -> int:
    """``os.open`` creating ``path`` (and its folder) owner-only; ``O_CREAT`` is added."""
    private_dir(path.parent)
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        make_private(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


@overload
def open_private(path: Path, mode: Literal["w", "a"] = "w") -> IO[str]: ...
@overload
def open_private(path: Path, mode: Literal["wb", "ab"]) -> IO[bytes]: ...
def open_private(path: Path, mode: str = "w") -> IO[str] | IO[bytes]:
    """A new (``w``, truncated) or appended (``a``) file, owner-only; text is UTF-8."""
    flags = os.O_WRONLY | (os.O_APPEND if mode.startswith("a") else os.O_TRUNC)
    fd = open_private_fd(path, flags)
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding="utf-8")


def write_private(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` whole, owner-only (a new file, or the old one truncated)."""
    with open_private(path, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def replace_private(path: Path, data: str | bytes, *, sync: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (a reader or a crash never sees half of it)."""
    private_dir(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        make_private(fd)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


@contextlib.contextmanager
def private_temp(folder: Path, *, prefix: str, suffix: str) -> Iterator[Path]:
    """An empty owner-only file in ``folder``, removed on exit whatever happens."""
    private_dir(folder)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    try:
        make_private(fd)
    finally:
        os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "make_private",
    "open_private",
    "open_private_fd",
    "private_dir",
    "private_temp",
    "replace_private",
    "write_private",
]
