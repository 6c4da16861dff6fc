"""``claimx batch submit | status | collect``: a corpus through a provider's batch API.

The mechanism, and what survives what, is in :mod:`claimx.runs.provider_batch`.
These commands only parse options and print; errors are
:class:`~claimx.errors.ClaimxError` subtypes, shown by the CLI as one line.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from claimx.cli_options import ModelOpt
from claimx.extraction.chunking import DEFAULT_CONTEXT_TOKENS

if TYPE_CHECKING:
    from claimx.llm.cache import ResponseCache
    from claimx.runs.provider_batch import BatchState

app = typer.Typer(
    help="Extract a corpus through a provider's batch API (half price, up to 24 hours),"
    " or through vLLM's offline run_batch.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)

OutputOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The results file (JSONL, as 'claimx extract -o'); the batch state lives in"
        " <output>.batch/ next to it.",
    ),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(help="Response cache folder. [default: $CLAIMX_CACHE or ~/.cache/claimx]"),
]


def _cache(cache_dir: Path | None) -> ResponseCache:
    from claimx.llm.cache import ResponseCache

    return ResponseCache.open(cache_dir)


@app.command()
def submit(
    paths: Annotated[
        list[Path], typer.Argument(help=".txt files, folders, or JSONL ({id, text} per line).")
    ],
    output: OutputOpt,
    prompt: Annotated[str, typer.Option("--prompt", "-p", help="name@vN or latest.")] = "latest",
    model: ModelOpt = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Batch API endpoint (env OPENAI_BASE_URL).")
    ] = None,
    mode: Annotated[str | None, typer.Option(help="instructor mode (json_schema...).")] = None,
    context_tokens: Annotated[int, typer.Option(min=512)] = DEFAULT_CONTEXT_TOKENS,
    keep_ungrounded: Annotated[bool, typer.Option()] = False,
    cache_dir: CacheDirOpt = None,
    upload: Annotated[
        bool,
        typer.Option(
            help="Upload and start the batches. --no-upload only writes the request files,"
            " e.g. for: python -m vllm.entrypoints.openai.run_batch -i FILE -o OUT",
        ),
    ] = True,
    max_requests: Annotated[
        int, typer.Option(min=1, help="Requests per batch file (OpenAI's limit: 50,000).")
    ] = 50_000,
) -> None:
    """Write every request of the corpus into batch files and start the batches."""
    from claimx.extraction.extractor import ExtractOptions, Extractor
    from claimx.llm.config import ClientConfig, default_cache_dir
    from claimx.runs.batch_engine import batch_client, batch_lock
    from claimx.runs.orchestrator import check_run_paths
    from claimx.runs.provider_batch import batch_dir, start
    from claimx.runs.spec import ProviderSettings, RunOptions, RunSpec

    # The same spec as 'claimx extract' builds: the state file keeps it whole.
    config = ClientConfig.from_env(model=model, base_url=base_url, mode=mode)
    options = ExtractOptions(context_tokens=context_tokens, keep_ungrounded=keep_ungrounded)
    spec = RunSpec.of(
        Extractor(prompt, config=config, options=options),
        inputs=paths,
        run=RunOptions(output=output),
        cache_dir=cache_dir or default_cache_dir(),
        provider=ProviderSettings(upload=upload, max_requests=max_requests),
    )
    check_run_paths(spec)
    connect = batch_client(spec.client_config()) if upload else contextlib.nullcontext()
    with batch_lock(output), _cache(cache_dir) as cache, connect as client:
        state, tally = start(spec, cache, client=client)
    folder = batch_dir(output)
    err.print(
        f"{tally.requests} request(s) of the corpus, {tally.answered} already in the cache,"
        f" {tally.pending} in {len(tally.shards)} batch file(s) under {folder}",
        highlight=False,
    )
    if not tally.shards:
        err.print(f"nothing to ask: run 'claimx batch collect -o {output}'", highlight=False)
    elif upload:
        for shard in state.rounds[-1].shards:
            err.print(f"  {shard.file}: batch {shard.batch_id} ({shard.status})", highlight=False)
        err.print(f"then: claimx batch status -o {output}; claimx batch collect -o {output}")
    else:
        for shard in state.rounds[-1].shards:
            err.print(
                f"  python -m vllm.entrypoints.openai.run_batch -i {folder / shard.file}"
                f" -o {folder / shard.file.replace('requests-', 'output-')} --model {state.model}",
                highlight=False,
            )
        err.print(f"then: claimx batch collect -o {output} --from-file OUT ...", highlight=False)


def _print_status(state: BatchState) -> None:
    from claimx.runs.provider_batch import state_cost

    for round_ in state.rounds:
        for shard in round_.shards:
            counts = shard.counts
            done = f"{counts.get('completed', 0)}/{counts.get('total', shard.requests)}"
            failed = f", {counts['failed']} failed" if counts.get("failed") else ""
            batch = shard.batch_id or "(file only)"
            err.print(
                f"round {round_.number} {shard.file}: {batch} {shard.status} {done} done{failed}",
                highlight=False,
            )
    err.print(
        f"answers collected: {state.answered}; {state_cost(state).describe()}", highlight=False
    )


@app.command()
def status(output: OutputOpt) -> None:
    """Where each batch of the run stands, and what its answers cost so far."""
    from claimx.runs.batch_engine import batch_client
    from claimx.runs.provider_batch import extractor_for, load_state, refresh

    state = load_state(output)
    if state.provider == "batches" and not state.done:
        with batch_client(extractor_for(state).config) as client:
            refresh(client, state)
    _print_status(state)
    if state.done:
        err.print(f"done: results in {state.output}", highlight=False)


@app.command()
def collect(
    output: OutputOpt,
    from_file: Annotated[
        list[Path] | None,
        typer.Option("--from-file", help="Output file(s) of vLLM's run_batch to read."),
    ] = None,
    live: Annotated[
        bool,
        typer.Option(
            help="Ask what the batches did not answer (expired, failed, still invalid) from the"
            " endpoint now, instead of in a follow-up batch."
        ),
    ] = False,
    resubmit: Annotated[
        bool, typer.Option(help="Submit the follow-up batch for unanswered requests.")
    ] = True,
    wait: Annotated[
        bool,
        typer.Option(
            help="Wait, submitting follow-ups, until every request is answered (the results"
            " are then written) or only --live can finish the rest."
        ),
    ] = False,
    poll_s: Annotated[float, typer.Option(min=0.01, help="Seconds between two polls.")] = 60.0,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", "-j", min=1, help="For --live: requests.")
    ] = None,
    cache_dir: CacheDirOpt = None,
) -> None:
    """Validate the answers into the cache; write the results when all are in."""
    from claimx.runs.batch_engine import batch_lock
    from claimx.runs.provider_batch import load_state

    load_state(output)  # no batch run: say how to start one (and create nothing)
    with batch_lock(output):
        _collect(output, from_file, live, resubmit, wait, poll_s, concurrency, cache_dir)


def _collect(
    output: Path,
    from_file: list[Path] | None,
    live: bool,
    resubmit: bool,
    wait: bool,
    poll_s: float,
    concurrency: int | None,
    cache_dir: Path | None,
) -> None:
    """``collect``, under the batch run's lock."""
    from claimx.runs.batch_engine import batch_client
    from claimx.runs.progress import make_reporter
    from claimx.runs.provider_batch import collect as run_collect
    from claimx.runs.provider_batch import collect_until_done, extractor_for, load_state

    state = load_state(output)
    if concurrency is not None:
        state.spec = state.spec.with_run(concurrency=concurrency)
    live_batches = state.provider == "batches" and not state.done
    connect = (
        batch_client(extractor_for(state).config) if live_batches else contextlib.nullcontext()
    )
    with _cache(cache_dir) as cache, connect as client:
        if wait and client is not None and not from_file:
            result = collect_until_done(
                state,
                cache,
                client=client,
                poll_s=poll_s,
                live=live,
                reporter=make_reporter(err),
                on_wait=_print_status,
            )
        else:
            result = run_collect(
                state,
                cache,
                client=client,
                files=from_file or (),
                live=live,
                resubmit=resubmit,
                reporter=make_reporter(err),
            )
    tally = result.tally
    if result.waiting:
        _print_status(state)
        err.print("batches still running: collect again later (or with --wait)")
        return
    err.print(
        f"{tally.requests} request(s): {tally.answered} answered ({tally.validated} new),"
        f" {tally.invalid} invalid answer(s) to re-ask, {tally.pending} unanswered,"
        f" {tally.given_up} still invalid after the re-asks",
        highlight=False,
    )
    if result.cost is not None:
        err.print(result.cost.describe(), highlight=False)
    if result.stats is not None:
        stats = result.stats
        err.print(
            f"results: {stats.done} written, {stats.skipped} already there, {stats.failed}"
            f" failed, {stats.calls} live call(s) -> {state.output}",
            highlight=False,
        )
        if stats.failed:
            raise typer.Exit(1)
    elif tally.pending == 0:
        err.print(
            f"{tally.given_up} answer(s) still invalid after the re-asks: finish with"
            f" 'claimx batch collect -o {output} --live' (asks them from the endpoint)",
            highlight=False,
        )
    elif state.provider == "batches" and resubmit:
        err.print(f"follow-up batch submitted: claimx batch collect -o {output} later")
    else:
        err.print(
            f"follow-up request files written under {output}.batch/: run them, then collect"
            " again (or collect --live)",
            highlight=False,
        )
