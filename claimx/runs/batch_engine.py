"""``--engine batch``: a run through a provider's batch API, as one command.

The mechanism (request files, rounds, validation into the cache) is
:mod:`claimx.runs.provider_batch`; ``claimx batch submit`` and ``claimx batch
collect`` (:mod:`claimx.runs.batch_cli`) are its two halves for a run that
outlives the shell. This module holds what the engine and those commands add
around it: the lock of a batch run, the client of the batch API, and the
:class:`BatchEngine` of the engine registry (:mod:`claimx.runs.engine`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from claimx.errors import ConfigError, LLMError
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.llm.private import open_private_fd, private_dir
from claimx.runs.inputs import STDIN
from claimx.runs.orchestrator import check_run_paths, refuse_ray_settings
from claimx.runs.outputs import check_writable, lock_or_refuse
from claimx.runs.progress import Reporter, RunStats
from claimx.runs.provider_batch import (
    batch_dir,
    collect_until_done,
    load_state,
    start,
    state_path,
)
from claimx.runs.spec import RunSpec


@contextlib.contextmanager
def batch_lock(output: Path) -> Iterator[None]:
    """Hold the lock of ``output``'s batch run: one ``submit`` or ``collect`` at a time.

    Two collects at once would each submit the same follow-up round, and write the
    same results; the second is refused. Taken by the commands and the engine (the
    functions of this module leave it to their caller).
    """
    fd = open_private_fd(private_dir(batch_dir(output)) / "lock", os.O_RDWR)
    lock_or_refuse(
        fd,
        f"the batch run of {output} is being submitted or collected by another claimx run;"
        " wait for it to finish",
    )
    try:
        yield
    finally:
        os.close(fd)


class BatchEngine:
    """``--engine batch``: the run through the provider's batch API, waited for until done.

    ``claimx batch submit`` and ``claimx batch collect`` are its two halves, for a
    run that outlives the shell; this engine runs both, polling every
    ``spec.provider.poll_s`` seconds, then writes the results as the asyncio
    engine does (from the cache, no model call).
    """

    name = "batch"

    def check(self, spec: RunSpec) -> None:
        """Refuse what a batch run cannot take; an output, errors file or cache it could not
        write."""
        options = spec.run
        if options.output is None:
            raise ConfigError("--engine batch needs -o/--output: its state lives beside it")
        if options.format == "parquet":
            raise ConfigError("--engine batch writes --format jsonl or json")
        if STDIN in spec.inputs:
            raise ConfigError("--engine batch reads its inputs again when it collects: not stdin")
        if not spec.provider.upload:
            raise ConfigError(
                "--engine batch uploads its batches; to only write the files for vLLM's"
                " run_batch, use 'claimx batch submit --no-upload'"
            )
        refuse_ray_settings(spec)
        check_run_paths(spec)
        check_writable(batch_dir(options.output), what="the batch folder", folder=True)

    def run(self, spec: RunSpec, *, reporter: Reporter, stdout: TextIO) -> RunStats:
        """Submit (or go on with the run already submitted for this output) and collect
        until every request is answered; the results are then written."""
        assert spec.run.output is not None
        output = spec.run.output
        cache_dir = spec.cache_dir or batch_dir(output)  # the answers travel through a cache
        with (
            batch_lock(output),
            batch_client(spec.client_config()) as client,
            ResponseCache.open(cache_dir) as cache,
        ):
            if state_path(output).exists() and not load_state(output).done:
                state = load_state(output)
                _refuse_another_run(state.spec, spec)
            else:
                state, _ = start(spec, cache, client=client)
            result = collect_until_done(
                state, cache, client=client, poll_s=spec.provider.poll_s, reporter=reporter
            )
        if result.stats is None:
            raise LLMError(
                f"{result.tally.given_up} answer(s) still invalid after the re-asks: finish with"
                f" 'claimx batch collect -o {output} --live' (asks them from the endpoint)"
            )
        return result.stats


def _refuse_another_run(submitted: RunSpec, asked: RunSpec) -> None:
    """Go on with a batch run only for the command that started it: its answers were asked
    with that client, and its results are to be written with those options."""
    same = (
        submitted.prompt_hash == asked.prompt_hash
        and submitted.client == asked.client
        and submitted.extract == asked.extract
    )
    if not same:
        output = submitted.run.output
        raise ConfigError(
            f"{output} has a batch run in progress with other options (prompt, model,"
            f" endpoint or extraction options): finish it with 'claimx batch collect -o"
            f" {output}', or remove {batch_dir(Path(str(output)))} to start over"
        )


@contextlib.contextmanager
def batch_client(config: ClientConfig) -> Iterator[Any]:
    """The synchronous openai client of the batch API calls, closed after (the SDK's own
    retries kept: these are a handful of control calls, not the extraction's requests)."""
    import openai

    client = openai.OpenAI(base_url=config.base_url, api_key=config.resolved_api_key())
    try:
        yield client
    finally:
        client.close()


__all__ = ["BatchEngine", "batch_client", "batch_lock"]
