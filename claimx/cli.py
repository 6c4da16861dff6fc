"""The ``claimx`` command line: a thin layer over the library.

Results go to stdout (or ``--output``); progress, warnings and errors go to
stderr, so ``claimx extract ... > out.jsonl`` stays machine-readable. A failed
command prints one ``error:`` line and exits 2 for a usage error, 1 for failed
work (:mod:`claimx.cli_errors`).

Heavy modules (the model client, the eval) are imported inside the commands
that use them, so ``claimx --help``, ``claimx prompts`` and ``claimx check-gold``
start quickly.
"""

from __future__ import annotations

import importlib
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from claimx import __version__
from claimx.checkout import require_checkout
from claimx.cli_errors import OneLineErrorsGroup, error_line, run
from claimx.cli_options import BaseUrlOpt, CacheDirOpt, ModelOpt, ModeOpt, NoCacheOpt
from claimx.consolidate.model import DEFAULT_MIN_ARTICLES, DEFAULT_MIN_SOURCES
from claimx.datasets.cli import app as datasets_app
from claimx.errors import ConfigError
from claimx.prompts_cli import app as prompts_app
from claimx.runs.batch_cli import app as batch_app
from claimx.runs.inputs import DEFAULT_GLOB

if TYPE_CHECKING:
    from claimx.extraction.extractor import Extractor
    from claimx.runs.spec import RunSpec

app = typer.Typer(
    cls=OneLineErrorsGroup,
    help="Extract attributed claims, speakers and stances from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
app.add_typer(batch_app, name="batch")  # claimx batch submit|status|collect (runs/batch_cli.py)
app.add_typer(datasets_app, name="datasets")  # claimx datasets convert (datasets/cli.py)
app.add_typer(prompts_app, name="prompts")  # claimx prompts [new] (prompts_cli.py)
app.add_typer(importlib.import_module("claimx.stance_cli").app)  # claimx stance (stance_cli.py)


def _print_version(value: bool) -> None:
    if value:
        print(f"claimx {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="On an error, print the traceback too (or set CLAIMX_DEBUG=1)."
        ),
    ] = False,
) -> None:
    # --debug is read (and removed) by claimx.cli_errors before click parses the command
    # line, so it works after any subcommand too; it is declared here for --help.
    del version, debug


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    parquet = "parquet"  # --engine ray only


PromptOpt = Annotated[
    str, typer.Option("--prompt", "-p", help="Prompt reference: name@vN or latest.")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as the command's one error line; raise the returned Exit."""
    error_line(message)
    return typer.Exit(code)


@app.command()
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Article .txt files, folders (searched recursively for .txt and .jsonl files,"
            " see --glob), JSONL files ({id, text} per line), or - for standard input (one"
            " article, or JSONL).",
            show_default=False,
        ),
    ],
    prompt: PromptOpt = "latest",
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one result per line, resumable. json: one JSON array of all results."
            " parquet: Parquet files (--engine ray).",
        ),
    ] = OutputFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here, not stdout (a folder for --engine ray). An existing JSONL output"
            " is resumed: articles already in it are skipped. An existing JSON output is"
            " replaced only with --force.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --format json, replace an existing --output.")
    ] = False,
    glob: Annotated[
        str,
        typer.Option(
            help="The files a folder contributes: a glob over their paths inside it, matched"
            " case-insensitively ('**/' is any depth, '{a,b}' either). Other files, such as"
            " .md, only when named here.",
        ),
    ] = DEFAULT_GLOB,
    errors: Annotated[
        Path | None,
        typer.Option(
            help="Failed articles, one JSON line each; written only when something failed."
            " \\[default: <output>.errors.jsonl]"
        ),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            help="Requests (and articles) in flight; with --engine ray, per actor."
            " \\[default: 4; for a server on this machine, the slots it reports (llama-server"
            " /props), else 1; --engine ray: 16 per actor]",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=0.001,
            help="Seconds to wait for one answer before it is retried (then the article fails)."
            " \\[default: 300]",
            show_default=False,
        ),
    ] = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    context_tokens: Annotated[
        int | None,
        typer.Option(
            min=512,
            # The number is claimx.extraction.chunking.DEFAULT_CONTEXT_TOKENS (a test checks
            # it): importing that here would load the extraction stack for every --help.
            help="The model's context; longer articles are split in chunks. \\[default: 8192]",
            show_default=False,
        ),
    ] = None,
    keep_ungrounded: Annotated[
        bool, typer.Option(help="Keep claims whose quote is not found in the article.")
    ] = False,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            help="Drop claims whose confidence (0..1) is below this; a claim with no"
            " confidence estimate is kept. The eval's reliability table shows what each"
            " threshold is worth.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            help="asyncio (this process), ray (Ray Data: -o is a folder) or batch (the"
            " provider's batch API, waiting until every request is answered)."
            " \\[default: asyncio; ray for --format parquet]",
            show_default=False,
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            help="--engine ray: a running Ray cluster (auto, ray://host:10001)."
            " \\[default: a local Ray started for this run]",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print the plan (articles, requests, estimated tokens and price) and stop:"
            " no model call.",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Run a large input without asking for confirmation first."
        ),
    ] = False,
) -> None:
    """Extract claims from articles, concurrently; one JSON result per article.

    Results are written as each article finishes (not in input order). Re-running
    the same command finishes an interrupted run: every article ends up exactly
    once in the output or in the errors file, and answers already received come
    from the response cache.
    """
    from claimx.extraction.chunking import DEFAULT_CONTEXT_TOKENS
    from claimx.extraction.extractor import ExtractOptions, Extractor
    from claimx.llm.config import ClientConfig, default_cache_dir
    from claimx.runs.engine import get_engine
    from claimx.runs.progress import make_reporter
    from claimx.runs.spec import RaySettings, RunOptions, RunSpec

    name = engine or ("ray" if output_format is OutputFormat.parquet else "asyncio")
    chosen = get_engine(name)
    # Everything the run needs, built once: the client (base URL checked first), the
    # options, the extractor that validates them, then the spec every engine takes whole.
    config = ClientConfig.from_env(model=model, base_url=base_url, mode=mode, timeout_s=timeout)
    options = ExtractOptions(
        keep_ungrounded=keep_ungrounded,
        context_tokens=DEFAULT_CONTEXT_TOKENS if context_tokens is None else context_tokens,
        min_confidence=min_confidence,
    )
    extractor = Extractor(prompt, config=config, options=options)
    spec = RunSpec.of(
        extractor,
        inputs=paths,
        run=RunOptions(
            output=output,
            format=output_format.value,
            errors=errors,
            force=force,
            glob=glob,
            concurrency=concurrency,
        ),
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
        ray=RaySettings(address=address),
    )
    chosen.check(spec)  # unwritable outputs fail here: before any model call or cluster start
    if dry_run:
        _print_plan(spec, extractor, name)
        return
    _confirm_large_input(spec, yes=yes)
    try:
        stats = chosen.run(spec, reporter=make_reporter(err), stdout=sys.stdout)
    except KeyboardInterrupt:
        raise fail("interrupted; run the same command again to finish the rest", 130) from None
    if stats.failed:
        where = spec.run.errors_path()
        said = f"see {where}" if where is not None else "each is named above"
        raise fail(f"{stats.failed} article(s) failed, {stats.done} extracted: {said}", 1)


def _interactive() -> bool:
    """True when someone can answer a question: stdin and stderr are terminals."""
    return sys.stdin.isatty() and err.is_terminal


def _confirm_large_input(spec: RunSpec, *, yes: bool) -> None:
    """Ask before a live run over a large input, when someone is there to answer."""
    from claimx.runs.plan import LARGE_INPUT_BYTES, input_bytes

    if yes or not _interactive():
        return
    size = input_bytes(spec.inputs, glob=spec.run.glob)
    if size <= LARGE_INPUT_BYTES:
        return
    err.print(
        f"the input is {size / 1024 / 1024:.1f} MB of text (about {size // 4:,} tokens before"
        " the prompt's own): 'claimx extract ... --dry-run' prints the requests, tokens and"
        " price it costs",
        highlight=False,
    )
    if not typer.confirm("run it now?", default=False, err=True):
        raise fail("cancelled: nothing was sent (--yes runs without asking)", 1)


def _print_plan(spec: RunSpec, extractor: Extractor, engine: str) -> None:
    """``--dry-run``: what the run would send, and what it would cost, on stdout."""
    from claimx.llm.cache import ResponseCache
    from claimx.llm.pricing import estimate_cost, is_priced
    from claimx.runs.plan import plan_run
    from claimx.runs.provider_batch import batch_discount

    cache = ResponseCache.open(spec.cache_dir) if spec.cache_dir is not None else None
    try:
        plan = plan_run(extractor, spec.inputs, glob=spec.run.glob, cache=cache)
    finally:
        if cache is not None:
            cache.close()
    model = spec.client.model
    lines = [
        f"plan of 'claimx extract' with {spec.prompt} on {model} (engine {engine}):"
        " no model call made",
        f"  articles        {plan.articles:,}"
        + (f" (+{plan.unreadable:,} unreadable: errors file)" if plan.unreadable else ""),
        f"  requests        {plan.requests:,}"
        + (f" ({plan.cached:,} answered from the cache, not sent)" if plan.cached else ""),
        f"  prompt tokens   about {plan.prompt_tokens:,} (4 characters a token)",
        f"  completion      at most {plan.completion_tokens_max:,} tokens (max_tokens each)",
    ]
    if plan.most_requests_id is not None and plan.articles > 1:
        lines.append(f"  largest article {plan.most_requests_id}: {plan.most_requests:,} requests")
    if is_priced(model):
        prompt_usd = estimate_cost(model, plan.prompt_tokens, 0)
        most_usd = prompt_usd + estimate_cost(model, 0, plan.completion_tokens_max)
        price = f"  price           ${prompt_usd:.4f} for the prompts, at most ${most_usd:.4f}"
        discount = batch_discount(spec.client.base_url) if engine == "batch" else 0.0
        if discount:
            price += f" (list; {discount:.0%} off with the batch API)"
        lines.append(price + " (an estimate: claimx/llm/pricing.py)")
    else:
        lines.append(f"  price           not known for {model!r} (local or unlisted model)")
    sys.stdout.write("\n".join(lines) + "\n")


class ConsolidateFormat(StrEnum):
    markdown = "markdown"
    json = "json"
    html = "html"


@app.command()
def consolidate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Extraction results (JSONL from 'claimx extract'), gold JSON files, or folders."
        ),
    ],
    output_format: Annotated[
        ConsolidateFormat | None,
        typer.Option(
            "--format", "-f", help="Printed to stdout (default markdown, none with --html)."
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the stance matrix as a web page here.")
    ] = None,
    articles: Annotated[
        Path | None,
        typer.Option(help="Folder of <id>.txt articles, to resolve speakers in context."),
    ] = None,
    outlets: Annotated[
        Path | None,
        typer.Option(help="JSON object of article id -> outlet name, shown with every quote."),
    ] = None,
    min_articles: Annotated[
        int,
        typer.Option(
            min=1,
            help="Show a proposition only if it is reported in at least N articles "
            "AND stated by at least --min-speakers sources (both must hold).",
        ),
    ] = DEFAULT_MIN_ARTICLES,
    min_speakers: Annotated[
        int,
        typer.Option(
            "--min-speakers",
            "--min-sources",
            min=1,
            help="... AND stated by at least N distinct sources (1: no condition on sources).",
        ),
    ] = DEFAULT_MIN_SOURCES,
    columns: Annotated[
        str, typer.Option(help="Web page columns: by country, organisation or source.")
    ] = "country",
    quality: Annotated[
        bool,
        typer.Option(
            "--quality",
            help="Print how well the grouping reunites the gold's propositions across "
            "articles (pairwise P/R/F1; gold files only) instead of the matrix.",
        ),
    ] = False,
) -> None:
    """Group the same proposition across articles: who supports, refutes, is uncertain.

    The markdown, JSON and web page show the propositions that pass both
    --min-articles and --min-speakers; the web page opens with those filters
    and lets the reader change them.
    """
    from claimx.consolidate import consolidate as run_consolidate
    from claimx.consolidate import render_html, render_markdown
    from claimx.consolidate.html import GROUP_BY
    from claimx.consolidate.inputs import load_claims, load_outlets, load_texts
    from claimx.consolidate.quality import format_quality, grouping_quality
    from claimx.errors import ConfigError, InputError
    from claimx.models import GoldArticle

    if columns not in GROUP_BY:
        raise ConfigError(f"--columns must be one of {', '.join(GROUP_BY)}, not {columns!r}")
    loaded = load_claims(paths)
    if quality:
        gold = [a for a in loaded if isinstance(a, GoldArticle)]
        if len(gold) != len(loaded):
            raise InputError("--quality needs gold files (.json), not extraction results",
                             source=" ".join(map(str, paths)))  # fmt: skip
        sys.stdout.write(format_quality(grouping_quality(gold)))
        return
    texts = load_texts(articles, [a.article_id for a in loaded]) if articles else {}
    result = run_consolidate(loaded, texts=texts)
    if html is not None:
        page = render_html(
            result,
            outlets=load_outlets(outlets) if outlets else None,
            min_articles=min_articles,
            min_speakers=min_speakers,
            group_by=columns,
            texts=texts,
        )
        html.write_text(page, encoding="utf-8")
        n = len(result.shared(min_articles=min_articles, min_speakers=min_speakers))
        err.print(f"wrote {html}: {len(result.groups)} propositions, {n} shown at first")
    if output_format is None:
        output_format = None if html is not None else ConsolidateFormat.markdown
    if output_format is ConsolidateFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif output_format is ConsolidateFormat.html:
        sys.stdout.write(
            render_html(
                result,
                min_articles=min_articles,
                min_speakers=min_speakers,
                group_by=columns,
                texts=texts,
            )
        )
    elif output_format is ConsolidateFormat.markdown:
        sys.stdout.write(
            render_markdown(result, min_articles=min_articles, min_speakers=min_speakers)
        )


@app.command("check-gold")
def check_gold_command(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Gold folder (<stem>.json, articles in ../articles) or JSONL file."
            " \\[default: eval/gold of the claimx checkout around the working directory]",
            show_default=False,
        ),
    ] = None,
    markdown: Annotated[bool, typer.Option(help="Print the summary as markdown.")] = False,
) -> None:
    """Check gold files against the standard and print a summary of what they hold."""
    from claimx.eval.gold import (
        gold_summary,
        gold_summary_markdown,
        gold_summary_table,
        load_gold,
        require_valid_gold,
    )

    if folder is None:
        how = "the gold: claimx check-gold PATH (a folder of <stem>.json files, or a .jsonl file)"
        folder = require_checkout("eval/gold", how) / "eval" / "gold"
    elif not folder.exists():
        raise typer.BadParameter(f"{folder} does not exist", param_hint="FOLDER")
    require_valid_gold(folder, err)
    rows = gold_summary(load_gold(folder))
    if markdown:
        sys.stdout.write(gold_summary_markdown(rows))
        return
    Console().print(gold_summary_table(rows, title=f"gold: {folder} (all checks passed)"))


@app.command()
def schemas(
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Schema folder. \\[default: schemas/ of the claimx checkout around the working"
            " directory]",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Fail if files differ from the models.")
    ] = False,
) -> None:
    """Write (or check) the JSON Schemas of the public formats."""
    from claimx.schema_export import export_schemas

    rerun = "claimx schemas" if out_dir is None else f"claimx schemas --dir {out_dir}"
    if out_dir is None:
        out_dir = require_checkout("the schemas/ folder", "--dir PATH") / "schemas"
    elif out_dir.exists() and not out_dir.is_dir():
        raise typer.BadParameter(f"{out_dir} is a file, not a folder", param_hint="--dir")
    stale = export_schemas(out_dir, write=not check)
    if check and stale:
        raise ConfigError(
            f"schemas in {out_dir} are missing or out of date: {', '.join(stale)};"
            f" run '{rerun}' to regenerate them"
        )
    err.print(f"{'checked' if check else 'wrote'} schemas in {out_dir}", highlight=False)


app.add_typer(importlib.import_module("claimx.eval.cli").app, name="eval")


def main() -> None:
    """Console-script entry point: errors end as one line (see :mod:`claimx.cli_errors`)."""
    run(app)


if __name__ == "__main__":
    main()
