"""Where the eval finds its data: explicit paths, else the working tree.

The gold, its articles and the cassettes belong to the claimx repository, not
to the installed package (``pip install .`` ships the code and the prompts
only). They are found, in this order:

1. the explicit option (``--gold``, ``--cassettes``);
2. ``$CLAIMX_EVAL_DIR`` (a folder holding ``gold/``, ``articles/``, ``cassettes/``);
3. ``eval/`` in the working directory or in the nearest parent folder whose
   ``pyproject.toml`` names the project ``claimx`` (the repository's root).

Otherwise :class:`~claimx.errors.ConfigError` says what to pass.
"""

from __future__ import annotations

import os
from pathlib import Path

from claimx.checkout import find_checkout
from claimx.errors import ConfigError

ENV_EVAL_DIR = "CLAIMX_EVAL_DIR"


def eval_dir(start: Path | None = None) -> Path:
    """The folder of the eval data (see the module docstring for the order)."""
    if env := os.environ.get(ENV_EVAL_DIR):
        folder = Path(env)
        if not folder.is_dir():
            raise ConfigError(f"${ENV_EVAL_DIR}={env} is not a folder")
        return folder
    here = start or Path.cwd()
    if (here / "eval" / "gold").is_dir():
        return here / "eval"
    root = find_checkout(here)
    if root is not None and (root / "eval").is_dir():
        return root / "eval"
    raise ConfigError(
        f"no eval data here ({here}): run from the claimx repository, pass --gold and"
        f" --cassettes, or set ${ENV_EVAL_DIR} to a folder with gold/, articles/ and cassettes/"
    )


def shown(path: Path) -> str:
    """A path as a reader wants it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
