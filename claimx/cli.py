"""The ``claimx`` command line: a thin layer over the library.

Results go to stdout (or ``--output``); progress, warnings and errors go to
stderr, so ``claimx extract ... > out.jsonl`` stays machine-readable.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from claimx.datasets.cli import app as datasets_app
from claimx.errors import ClaimxError
from claimx.extraction.chunking import DEFAULT_CONTEXT_TOKENS
from claimx.prompts import default_registry

app = typer.Typer(
    help="Extract attributed claims, speakers and stances from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
app.add_typer(datasets_app, name="datasets")  # claimx.datasets.cli (general)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"


PromptOpt = Annotated[
    str, typer.Option("--prompt", "-p", help="Prompt reference: name@vN or latest.")
]
ModelOpt = Annotated[str | None, typer.Option(help="Model name (env CLAIMX_MODEL).")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL).")
]
ModeOpt = Annotated[
    str | None, typer.Option(help="instructor mode: json_schema (default), tools, md_json, json.")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@app.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(help=".txt files, folders, or JSONL ({id, text} per line).")
    ],
    prompt: PromptOpt = "latest",
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here, not stdout. An existing JSONL output is resumed: articles"
            " already in it are skipped.",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(help="Failed articles, one JSON line each. [default: <output>.errors.jsonl]"),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            help="Articles (requests) in flight. [default: 4; 1 for a server on this machine,"
            " which serves one request at a time]",
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Response cache folder. [default: $CLAIMX_CACHE or ~/.cache/claimx]"),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor fill the response cache.")
    ] = False,
    context_tokens: Annotated[
        int,
        typer.Option(min=512, help="The model's context; longer articles are split in chunks."),
    ] = DEFAULT_CONTEXT_TOKENS,
    keep_ungrounded: Annotated[
        bool, typer.Option(help="Keep claims whose quote is not found in the article.")
    ] = False,
) -> None:
    """Extract claims from articles, concurrently; one JSON result per article.

    Results are written as each article finishes (not in input order). Re-running
    the same command finishes an interrupted run: every article ends up exactly
    once in the output or in the errors file, and answers already received come
    from the response cache.
    """
    import asyncio

    from claimx.extraction.extractor import Extractor
    from claimx.llm.cache import ResponseCache
    from claimx.runs.orchestrator import DEFAULT_CONCURRENCY, BatchOptions, run_batch
    from claimx.runs.progress import make_reporter

    try:
        extractor = Extractor(
            prompt,
            model=model,
            base_url=base_url,
            mode=mode,
            keep_ungrounded=keep_ungrounded,
            context_tokens=context_tokens,
        )
    except ClaimxError as exc:
        raise fail(str(exc)) from None
    if concurrency is None:
        # A local llama-server (scripts/local-llm.sh) has one slot: more requests would
        # only queue there and run into timeout_s.
        concurrency = 1 if extractor.config.is_local else DEFAULT_CONCURRENCY
    options = BatchOptions(
        concurrency=concurrency,
        output=output,
        errors=errors,
        pretty=output_format is OutputFormat.json,
    )
    try:
        cache = None if no_cache else ResponseCache.open(cache_dir)
    except ClaimxError as exc:
        raise fail(str(exc)) from None
    try:
        stats = asyncio.run(
            run_batch(
                extractor,
                paths,
                options,
                cache=cache,
                reporter=make_reporter(err),
                stream=sys.stdout,
            )
        )
    except ClaimxError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; run the same command again to finish the rest", 130) from None
    finally:
        if cache is not None:
            cache.close()
    if stats.failed:
        where = options.errors_path()
        if where is not None:
            err.print(f"{stats.failed} article(s) failed: see {where}", highlight=False)
        raise typer.Exit(1)


class ConsolidateFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


@app.command()
def consolidate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Extraction results (JSONL from 'claimx extract') or gold JSON files."),
    ],
    output_format: Annotated[ConsolidateFormat, typer.Option("--format", "-f")] = (
        ConsolidateFormat.markdown
    ),
    articles: Annotated[
        Path | None,
        typer.Option(help="Folder of <id>.txt articles, to resolve speakers in context."),
    ] = None,
    min_articles: Annotated[int, typer.Option(help="Show propositions found in N+ articles.")] = 2,
    min_speakers: Annotated[int, typer.Option(help="... and stated by N+ sources.")] = 1,
) -> None:
    """Group the same proposition across articles: who supports, refutes, is uncertain."""
    from claimx.consolidate.matrix import consolidate as run_consolidate
    from claimx.models import ExtractionResult, GoldArticle

    loaded: list[GoldArticle | ExtractionResult] = []
    for path in paths:
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"{path}: cannot read: {exc.strerror}") from None
        try:
            if path.suffix == ".jsonl":
                loaded += [ExtractionResult.model_validate_json(x) for x in raw.splitlines() if x]
            else:
                loaded.append(GoldArticle.model_validate_json(raw))
        except ValueError as exc:
            raise fail(f"{path}: not an extraction result or gold file: {exc}") from None
    texts = {}
    if articles is not None:
        for item in loaded:
            candidate = articles / f"{item.article_id}.txt"
            if candidate.exists():
                texts[item.article_id] = candidate.read_text(encoding="utf-8")
    result = run_consolidate(loaded, texts=texts)
    if output_format is ConsolidateFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif output_format is ConsolidateFormat.html:
        sys.stdout.write(
            result.to_html_fragment(min_articles=min_articles, min_speakers=min_speakers) + "\n"
        )
    else:
        sys.stdout.write(result.to_markdown(min_articles=min_articles, min_speakers=min_speakers))


@app.command("check-gold")
def check_gold_command(
    folder: Annotated[
        Path, typer.Argument(help="Gold folder (<stem>.json, articles in ../articles).")
    ] = Path("eval/gold"),
    markdown: Annotated[bool, typer.Option(help="Print the summary as markdown.")] = False,
) -> None:
    """Check gold files against the standard and print a summary of what they hold."""
    from claimx.eval.gold import check_gold, gold_summary, load_gold

    problems = check_gold(folder)
    for problem in problems:
        err.print(f"[red]problem[/] {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise fail(f"{len(problems)} problem(s) in {folder}", 1)
    rows = gold_summary(load_gold(folder))
    totals = {k: sum(int(r[k]) for r in rows) for k in rows[0] if k != "article"}
    rows.append({"article": "total", **totals})
    if markdown:
        keys = list(rows[0])
        lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
        sys.stdout.write("\n".join(lines) + "\n")
        return
    table = Table(*rows[0].keys(), title=f"gold: {folder} (all checks passed)")
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    Console().print(table)


@app.command("prompts")
def list_prompts() -> None:
    """List the prompt versions the registry knows."""
    table = Table("ref", "strategy", "hash", "description", title="prompts")
    try:
        specs = default_registry().all()
    except ClaimxError as exc:
        raise fail(str(exc)) from None
    latest = default_registry().get("latest").ref
    for spec in specs:
        ref = spec.ref + (" (latest)" if spec.ref == latest else "")
        table.add_row(ref, spec.strategy, spec.content_hash, " ".join(spec.description.split()))
    Console().print(table)


@app.command()
def schemas(
    out_dir: Annotated[Path, typer.Option("--dir")] = Path("schemas"),
    check: Annotated[
        bool, typer.Option("--check", help="Fail if files differ from the models.")
    ] = False,
) -> None:
    """Write (or check) the JSON Schemas of the public formats."""
    from claimx.schema_export import export_schemas

    stale = export_schemas(out_dir, write=not check)
    if check and stale:
        raise fail(
            f"schemas out of date: {', '.join(stale)}; run 'claimx schemas' to regenerate", 1
        )
    err.print(f"{'checked' if check else 'wrote'} schemas in {out_dir}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
