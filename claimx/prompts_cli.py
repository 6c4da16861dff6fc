"""``claimx prompts``: the prompt versions, one line each; ``claimx prompts new``: start one.

A user's own version goes from idea to A/B verdict in a few commands (README,
"Your own prompt version"): ``claimx prompts new extract`` copies the default
into the next version number with its description to be written; ``claimx
prompts`` lists it as *unrecorded*; a live run (``claimx extract --prompt
extract@v10 --model ... --base-url ... --cache-dir ...``) tries it, ``python -m
claimx.eval --record --prompt extract@v10 ...`` records it, and ``python -m
claimx.eval --prompt default --prompt extract@v10`` compares the two. Adding a
version changes no default (``prompts/defaults.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from claimx.cli_errors import OneLineErrorsGroup
from claimx.errors import ConfigError

app = typer.Typer(
    cls=OneLineErrorsGroup,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="List the prompt versions (default), or start a new one ('claimx prompts new').",
)

#: columns a line of the listing keeps to (a terminal's default width)
WIDTH = 80


def _statuses(specs: list[object]) -> dict[str, str]:
    """Each version's recording status for the recorded model of the checkout's eval data
    (empty when there is none, as for an installed package)."""
    from claimx.eval.paths import eval_dir
    from claimx.eval.recordings import recorded_models, recording_status
    from claimx.prompts import PromptSpec

    try:
        cassettes = eval_dir() / "cassettes"
    except ConfigError:
        return {}
    models = recorded_models(cassettes)
    out = {}
    for spec in specs:
        assert isinstance(spec, PromptSpec)
        found = [(m, recording_status(spec, m, cassettes)) for m in models]
        out[spec.ref] = ", ".join(f"{s} ({m})" for m, s in found) or "unrecorded"
    return out


def listing(width: int = WIDTH) -> list[str]:
    """One line per prompt version: ref, marks, pipeline, description (cut to ``width``)."""
    from claimx.prompts import default_registry
    from claimx.tasks import build_task

    registry = default_registry()
    specs = registry.all()
    statuses = _statuses(list(specs))
    lines = []
    for spec in specs:
        marks = ["default"] if registry.is_default(spec) else []
        if status := statuses.get(spec.ref):
            marks.append(status)
        task = build_task(spec)  # any task: an extraction pipeline, or targeted
        head = f"{spec.ref:<11} {', '.join(marks)}"
        lines.append(head[:width])
        detail = f"  {task.names} · {task.content_hash}"
        lines.append(_cut(detail, width))
        lines.append(_cut("  " + " ".join(spec.description.split()), width))
    return lines


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


@app.callback(invoke_without_command=True)
def list_prompts(ctx: typer.Context) -> None:
    """List the prompt versions: which is the default, which are recorded, their pipeline."""
    if ctx.invoked_subcommand is not None:
        return
    console = Console(highlight=False)
    for line in listing():
        console.print(line, soft_wrap=True, markup=False)


@app.command("new")
def new_version(
    name: Annotated[str, typer.Argument(help="The prompt name, e.g. extract.")] = "extract",
    source: Annotated[
        str,
        typer.Option(
            "--from",
            help="The version to start from (a reference: extract@v9, or default)."
            " [default: the name's default]",
            show_default=False,
        ),
    ] = "",
) -> None:
    """Write the next version of NAME as a copy of --from, to be described and edited."""
    from claimx.prompts import default_registry

    registry = default_registry()
    root = registry.root
    if "site-packages" in root.parts or root.name == "_prompts":
        raise ConfigError(
            f"the prompts in use ({root}) are the installed package's: copy them to a folder"
            " of your own and set CLAIMX_PROMPTS_DIR to it, or work in a claimx checkout"
        )
    path = registry.new_version(source or name, name=name)
    ref = f"{name}@v{int(path.stem[1:])}"
    console = Console(highlight=False)
    console.print(f"wrote {_shown(path)}: {ref}, a copy of {registry.get(source or name).ref}")
    console.print(
        "Next: write its description and edit it; then try it live, record it and compare"
        " it (README, 'Your own prompt version'):",
        soft_wrap=True,
    )
    base = "--model local --base-url http://127.0.0.1:8011/v1"
    for step in (
        f"claimx extract eval/articles/001_542e584fe1452441.txt --prompt {ref} {base}"
        " --cache-dir .claimx-cache",
        f"python -m claimx.eval --record --prompt {ref} {base}",
        f"python -m claimx.eval --prompt default --prompt {ref}",
    ):
        console.print(f"  {step}", soft_wrap=True, markup=False)


def _shown(path: Path) -> str:
    from claimx.eval.paths import shown

    return shown(path)
