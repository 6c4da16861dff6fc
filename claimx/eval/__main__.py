"""``python -m claimx.eval``: accuracy report and prompt A/B on the gold data.

Offline by default: with no server configured, the recorded responses of a
real model (``eval/cassettes/``) are replayed and the report says so.

Examples::

    python -m claimx.eval                                   # every shipped prompt, replayed
    python -m claimx.eval --prompt extract@v1 --prompt extract@v2   # A/B with intervals
    python -m claimx.eval --prompt latest --html report.html --save-predictions out/
    python -m claimx.eval --live --model gpt-4o-mini        # live against OPENAI_BASE_URL/OpenAI
    python -m claimx.eval --record --prompt extract@v3      # re-record one prompt's cassettes
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from claimx import __version__
from claimx.errors import ClaimxError
from claimx.eval.runner import resolve_source, run_all
from claimx.prompts import PromptSpec, default_registry

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = ROOT / "eval" / "gold"
DEFAULT_CASSETTES = ROOT / "eval" / "cassettes"

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def select_prompts(refs: list[str]) -> list[PromptSpec]:
    registry = default_registry()
    if not refs or refs == ["all"]:
        return registry.all()
    return [registry.get(ref) for ref in refs]


def _write(path: Path, text: str, console: Console) -> None:
    if str(path) == "-":
        sys.stdout.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    console.print(f"wrote {path}", style="dim")


@app.command()
def main(
    prompt: Annotated[
        list[str] | None,
        typer.Option("--prompt", "-p", help="Prompt ref (repeat for A/B); 'all' or 'latest'."),
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model (repeat to compare models).")
    ] = None,
    gold: Annotated[
        Path, typer.Option(help="Gold folder (<stem>.json + articles) or JSONL {id,text,claims}.")
    ] = DEFAULT_GOLD,
    live: Annotated[bool, typer.Option("--live", help="Call the model, no cassettes.")] = False,
    record: Annotated[bool, typer.Option("--record", help="Call the model and re-record.")] = False,
    base_url: Annotated[str | None, typer.Option("--base-url")] = None,
    cassettes: Annotated[Path, typer.Option(help="Cassette folder.")] = DEFAULT_CASSETTES,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="JSON report path ('-': stdout).")
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Markdown report path.")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="HTML report path.")] = None,
    save_predictions: Annotated[
        Path | None, typer.Option("--save-predictions", help="Write predictions in gold format.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Skip the terminal table.")
    ] = False,
    model_description: Annotated[
        str, typer.Option(help="With --record: what the model is, for the manifest.")
    ] = "",
) -> None:
    """Score prompt versions against the gold data; compare them when several are given."""
    from claimx.eval import render
    from claimx.eval.report import build, make_meta
    from claimx.eval.report import save_predictions as save_predictions_to
    from claimx.gold import load_gold

    console = Console(stderr=json_out is not None and str(json_out) == "-")
    try:
        specs = select_prompts(prompt or [])
        items = load_gold(gold)
        source = resolve_source(live=live, record=record, base_url=base_url)
        runs = run_all(
            specs,
            list(model) if model else [None],
            items,
            source=source,
            cassettes=cassettes,
            base_url=base_url,
            model_description=model_description,
        )
    except ClaimxError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    meta = make_meta(
        runs,
        gold=gold,
        cassettes=cassettes,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        seed=seed,
    )
    report = build(runs, meta, seed=seed)
    if not no_report:
        render.print_terminal(report, console)
    if json_out:
        _write(json_out, render.to_json(report), console)
    if markdown:
        _write(markdown, render.to_markdown(report), console)
    if html:
        _write(html, render.to_html(report), console)
    if save_predictions:
        written = save_predictions_to(runs, save_predictions)
        console.print(
            f"wrote {len(written)} prediction files under {save_predictions}", style="dim"
        )


if __name__ == "__main__":
    app()
