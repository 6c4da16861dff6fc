"""Finding the claimx checkout (the repository) a command works on.

Commands that maintain files of the repository itself (``claimx schemas``,
``claimx check-gold`` by default) look for it from the working directory
upward, as git does: the first folder whose ``pyproject.toml`` names the
project ``claimx``. Outside a checkout they say so instead of writing or
checking files in an arbitrary folder; an explicit path always wins.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from claimx.errors import ConfigError

PROJECT = "claimx"


def is_checkout(folder: Path) -> bool:
    """Whether ``folder`` holds the ``pyproject.toml`` of claimx."""
    try:
        with (folder / "pyproject.toml").open("rb") as handle:
            project = tomllib.load(handle).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == PROJECT


def find_checkout(start: Path | None = None) -> Path | None:
    """The claimx checkout containing ``start`` (default: the working directory), or None."""
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if is_checkout(folder)), None)


def require_checkout(what: str, option: str, start: Path | None = None) -> Path:
    """:func:`find_checkout`, or a :class:`ConfigError` saying where it looked and what to pass.

    ``what`` names what was looked for (``"the schemas/ folder"``), ``option``
    how to give it explicitly (``"--dir PATH"``).
    """
    found = find_checkout(start)
    if found is None:
        here = (start or Path.cwd()).resolve()
        raise ConfigError(
            f"no claimx checkout here: looked for {what} from {here} upward (a pyproject.toml"
            f" of claimx); run this inside the claimx repository, or pass {option}"
        )
    return found
