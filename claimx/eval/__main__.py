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

import gc
import sys
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


def _shown(path: Path) -> str:
    """A path as a reader of the report wants it: relative to the working directory if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _write(path: Path, text: str, console: Console) -> None:
    if str(path) == "-":
        sys.stdout.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    console.print(f"wrote {path}", style="dim")


REPORT_START, REPORT_END = "<!-- report:start -->", "<!-- report:end -->"


def _replace_section(path: Path, report_md: str) -> None:
    text = path.read_text(encoding="utf-8")
    if REPORT_START not in text or REPORT_END not in text:
        raise typer.BadParameter(f"{path} has no {REPORT_START} ... {REPORT_END} section")
    head, rest = text.split(REPORT_START, 1)
    _, tail = rest.split(REPORT_END, 1)
    body = report_md.replace("# claimx evaluation", "### Latest report", 1)
    path.write_text(f"{head}{REPORT_START}\n{body}\n{REPORT_END}{tail}", encoding="utf-8")


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
    predictions: Annotated[
        list[str] | None,
        typer.Option(
            "--predictions",
            help="LABEL=DIR: another system's saved predictions (gold format) to compare.",
        ),
    ] = None,
    readme: Annotated[
        Path | None,
        typer.Option(help="Replace the report section of this markdown file (eval/README.md)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Bootstrap seed.")] = 0,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Skip the terminal table.")
    ] = False,
    model_description: Annotated[
        str, typer.Option(help="With --record: what the model is, for the manifest.")
    ] = "",
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Live runs: answer from this response cache (claimx extract's)."),
    ] = None,
) -> None:
    """Score prompt versions against the gold data; compare them when several are given."""
    from claimx.eval.gold import load_gold
    from claimx.eval.runner import Manifest, predictions_run
    from claimx.eval.runner import save_predictions as save_predictions_to
    from claimx.llm.cache import ResponseCache

    console = Console(stderr=json_out is not None and str(json_out) == "-")
    if not console.is_terminal:
        # Piped or redirected: rich would assume 80 columns and cut the labels of
        # a four-system comparison; a file or pager takes a wide table.
        console.width = max(console.width, 160)
    try:
        specs = select_prompts(prompt or [])
        items = load_gold(gold)
        source = resolve_source(live=live, record=record, base_url=base_url)
        cache = ResponseCache.open(cache_dir) if cache_dir else None  # general: issue 12
        runs = run_all(
            specs,
            list(model) if model else [None],
            items,
            source=source,
            cassettes=cassettes,
            base_url=base_url,
            model_description=model_description,
            cache=cache,
        )
        for spec_text in predictions or []:
            label, sep, folder = spec_text.partition("=")
            if not sep or not Path(folder).is_dir():
                raise ClaimxError(
                    f"--predictions takes LABEL=DIR with an existing DIR: {spec_text!r}"
                )
            runs.append(predictions_run(label, Path(folder), items))
    except ClaimxError as exc:
        console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    # Imported after the run: a parallel replay loads the scorer while its workers run.
    from claimx.eval.compare import build_report
    from claimx.eval.reports import render_html, render_json, render_markdown, render_terminal
    from claimx.eval.results import ReportMeta

    manifest = Manifest.load(cassettes)
    replayed = source == "replayed"
    meta = ReportMeta.now(
        gold=_shown(gold),
        claimx_version=__version__,
        responses={
            "replayed": f"cassettes in {_shown(cassettes)}; seconds per article are those"
            " measured when recording",
            "live": "live calls to the configured endpoint",
            "recorded": f"live calls, recorded into {_shown(cassettes)}",
        }[source],
        recorded_model=(manifest.model_description or manifest.model) if replayed else None,
        recorded_at=manifest.recorded_at if replayed else None,
        command="python -m claimx.eval " + " ".join(sys.argv[1:]),
        seed=seed,
    )
    report = build_report(runs, meta, gold=items)
    if not no_report:
        render_terminal(report, console)
    if json_out:
        _write(json_out, render_json(report), console)
    if markdown:
        _write(markdown, render_markdown(report), console)
    if html:
        _write(html, render_html(report), console)
    if readme:
        _replace_section(readme, render_markdown(report))
        console.print(f"updated the report in {readme}", style="dim")
    if save_predictions:
        written = save_predictions_to(runs, save_predictions)
        console.print(
            f"wrote {len(written)} prediction files under {save_predictions}", style="dim"
        )


def _tune_gc_for_a_short_run() -> None:
    """Garbage-collector settings for one command-line run (not for library use).

    The client libraries' imports leave ~150,000 long-lived objects (openai's typed
    models): freezing them spares the collector from re-walking them in every full
    collection, in the forked replay workers and at exit. A replay allocates many
    short-lived objects; collecting the young generation every 50,000 allocations
    instead of every 700 costs little memory in a run of seconds. Together about
    0.6 s of a 3-second replayed eval (benchmarks/bench_eval.py).
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


if __name__ == "__main__":
    _tune_gc_for_a_short_run()
    app()
