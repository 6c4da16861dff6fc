"""Options that several commands declare alike: the model a command asks and its response
cache, written once so that every ``--help`` says the same of them.

Typer copies an option's declaration for each command that uses it, so one
``Annotated`` alias serves them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["BaseUrlOpt", "CacheDirOpt", "ModeOpt", "ModelOpt", "NoCacheOpt"]

ModelOpt = Annotated[str | None, typer.Option(help="Model name (env CLAIMX_MODEL).")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL).")
]
ModeOpt = Annotated[
    str | None, typer.Option(help="instructor mode: json_schema (default), tools, md_json, json.")
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(help="Response cache folder. \\[default: $CLAIMX_CACHE or ~/.cache/claimx]"),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor fill the response cache.")
]
