"""``claimx stance "CLAIM" INPUT...``: what each article, and each source in it, says about a claim.

Examples::

    claimx stance "The US was behind the drone attack on the Kremlin." eval/articles/ \\
        --model local --base-url http://127.0.0.1:8011/v1 --format table
    claimx extract corpus/ -o results.jsonl                  # extract once ...
    claimx stance "CLAIM" results.jsonl corpus/ -o answers.jsonl   # ... ask many claims
    claimx stance "CLAIM" corpus/ --no-model --format table  # screen + classifier only
    claimx stance "CLAIM" corpus/ --no-model --reader encoder  # the cross-encoder instead

INPUT is what ``claimx extract`` reads (article files, folders, JSONL of
``{"id", "text"}``, ``-``) and, besides, the results ``claimx extract`` wrote
(JSONL of ``ExtractionResult``, or the JSON array of ``--format json``) or gold
files (``eval/gold/<id>.json``), recognised by their content (:func:`read_results`):
their claims are reused, never extracted again,
and joined to the articles by id, so give the articles they were extracted
from too (the screen and the model read the text). Nothing is extracted
here; the model is asked only about related articles that no extracted claim
settles (:mod:`claimx.targeted.answer`).

The answers (:class:`~claimx.models.TargetedAnswer`, one per article) go to
stdout or ``--output``: JSON lines (default), one JSON array, or a short
table of 80 columns. A bad input is named on stderr and the others go on
(exit 1 at the end).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from claimx.cli_errors import OneLineErrorsGroup, error_line
from claimx.cli_options import BaseUrlOpt, CacheDirOpt, ModelOpt, ModeOpt, NoCacheOpt

if TYPE_CHECKING:
    from claimx.models import ExtractionResult, GoldArticle, TargetedAnswer
    from claimx.targeted.api import StanceInput

app = typer.Typer(cls=OneLineErrorsGroup, add_completion=False, pretty_exceptions_enable=False)

#: the table's width: a terminal's default
WIDTH = 80


class StanceFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class ReaderChoice(StrEnum):
    classifier = "classifier"
    encoder = "encoder"


def read_results(path: Path) -> list[ExtractionResult | GoldArticle] | None:
    """The claims in ``path`` when it holds ``claimx extract`` results or a gold file,
    else None (then it is read as articles).

    Recognised by content, not by name: a JSONL (or JSON array) whose first record has
    ``claims`` and a ``prompt_hash`` is results; one JSON object with ``article_id`` and
    ``claims`` is a gold file (``eval/gold``); an article JSONL has ``text`` instead.
    """
    from pydantic import ValidationError

    from claimx.errors import InputError
    from claimx.models import ExtractionResult, GoldArticle

    if not path.is_file() or path.suffix not in (".jsonl", ".json"):
        return None
    try:
        raw = path.read_text(encoding="utf-8")
        parsed = json.loads(raw) if path.suffix == ".json" else None
        records = (
            parsed
            if isinstance(parsed, list)
            else [parsed]
            if parsed is not None
            else [json.loads(line) for line in raw.splitlines() if line.strip()]
        )
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # the article reader says what is wrong with it
    first = records[0] if records else None
    if not isinstance(first, dict) or "claims" not in first:
        return None
    try:
        if "prompt_hash" in first:
            return [ExtractionResult.model_validate(r) for r in records]
        return [GoldArticle.model_validate(r) for r in records]
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(x) for x in error["loc"])
        raise InputError(
            f"not claimx extract results or a gold file: {where}: {error['msg']}",
            source=str(path),
        ) from None


def table_lines(answers: list[TargetedAnswer], width: int = WIDTH) -> list[str]:
    """The short table: one line per article, then the totals; no line over ``width``."""
    from collections import Counter

    def cut(text: str, n: int) -> str:
        return text if len(text) <= n else text[: n - 1] + "…"

    lines = [f"{'article':<20} {'position':<10} {'by':<10} sources"]
    for a in answers:
        sources = "; ".join(f"{s.speaker} {s.stance}" for s in a.sources) or "-"
        head = f"{cut(a.article_id, 20):<20} {a.stance:<10} {a.decided_by:<10} "
        lines.append(head + cut(sources, width - len(head)))
    counts = Counter(a.stance for a in answers)
    calls = sum(a.usage.calls for a in answers)
    tokens = sum(a.usage.prompt_tokens + a.usage.completion_tokens for a in answers)
    seconds = sum(a.latency_s for a in answers)
    lines.append(
        cut(
            f"{len(answers)} articles: "
            + ", ".join(f"{counts[s]} {s}" for s in ("supports", "refutes", "uncertain"))
            + f", {counts['unrelated']} unrelated",
            width,
        )
    )
    lines.append(cut(f"{calls} model calls, {tokens} tokens, {seconds:.1f} s", width))
    return lines


def _inputs(paths: list[Path], glob: str, err: Console) -> tuple[list[StanceInput], int]:
    """The articles and results of ``paths``, and how many inputs could not be read (each
    named on ``err``: the command's one error line comes at its end)."""
    from claimx.errors import InputError
    from claimx.runs.inputs import iter_inputs

    out: list[StanceInput] = []
    failed = 0
    for path in paths:
        try:
            results = read_results(path) if path != Path("-") else None
        except InputError as exc:
            err.print(f"skipped {exc}", markup=False)
            failed += 1
            continue
        if results is not None:
            out.extend(results)
            continue
        for item in iter_inputs([path], glob=glob):
            if item.article is not None:
                out.append(item.article)
            else:
                err.print(f"skipped {item.error}", markup=False)
                failed += 1
    return out, failed


@app.command("stance")
def stance(
    claim: Annotated[str, typer.Argument(help="The claim, in your own words.", show_default=False)],
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Articles (files, folders, JSONL, - for stdin) and claimx extract results"
            " (JSONL or JSON), whose claims are reused.",
            show_default=False,
        ),
    ],
    prompt: Annotated[
        str, typer.Option("--prompt", "-p", help="The targeted prompt: name@vN or targeted.")
    ] = "targeted",
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    mode: ModeOpt = None,
    output_format: Annotated[
        StanceFormat,
        typer.Option("--format", "-f", help="jsonl, json (one array) or table (80 columns)."),
    ] = StanceFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
    glob: Annotated[
        str | None, typer.Option(help="The files a folder contributes (claimx extract's).")
    ] = None,
    no_model: Annotated[
        bool,
        typer.Option("--no-model", help="Ask no model: the reader decides what the claims do not."),
    ] = False,
    reader: Annotated[
        ReaderChoice,
        typer.Option(
            "--reader",
            help="What decides where no model does: the lexical classifier, or the"
            " cross-encoder (pip install 'claimx[encoder]').",
        ),
    ] = ReaderChoice.classifier,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", "-j", min=1, help="Requests in flight."),
    ] = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """What each article, and each source in it, says about CLAIM: one answer per article."""
    from claimx.errors import ConfigError
    from claimx.llm.cache import ResponseCache
    from claimx.prompts import default_registry
    from claimx.runs.inputs import DEFAULT_GLOB
    from claimx.targeted.api import stance_toward

    if not claim.strip():
        raise typer.BadParameter("the claim is empty: give it in quotes", param_hint="CLAIM")
    # The prompt is checked before a corpus is read.
    spec = default_registry().get(prompt)
    if spec.task_name != "targeted":
        raise ConfigError(f"{spec.ref} is not a targeted prompt: name one, e.g. targeted@v1")
    err = Console(stderr=True, highlight=False)
    found, failed = _inputs(paths, glob or DEFAULT_GLOB, err)
    cache = None if no_cache or no_model else ResponseCache.open(cache_dir)
    try:
        answers = stance_toward(
            claim,
            found,
            prompt=spec,
            use_model=not no_model,
            reader=reader.value,
            model=model,
            base_url=base_url,
            mode=mode,
            cache=cache,
            concurrency=concurrency,
        )
    finally:
        if cache is not None:
            cache.close()
    if output_format is StanceFormat.jsonl:
        text = "".join(a.model_dump_json() + "\n" for a in answers)
    elif output_format is StanceFormat.json:
        text = json.dumps([a.model_dump(mode="json") for a in answers], indent=1) + "\n"
    else:
        text = "\n".join(table_lines(answers)) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {len(answers)} answers to {output}")
    if failed:
        error_line(f"{failed} input(s) could not be read (named above); {len(answers)} answered")
        raise typer.Exit(1)
