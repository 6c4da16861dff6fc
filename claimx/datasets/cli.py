"""``claimx datasets``: convert a public attribution corpus into JSONL gold.

Examples::

    claimx datasets convert polnear ~/src/PolNeAR --split dev -o dev.jsonl
    claimx datasets convert polnear ~/src/PolNeAR --split dev --limit 20 -o dev20.jsonl
    claimx datasets convert brat my-corpus/ --event Quote -o mine.jsonl
    python -m claimx.eval --gold dev.jsonl --prompt extract@v1 --prompt latest
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from claimx.cli_errors import report
from claimx.errors import ClaimxError, DatasetError
from claimx.models import GoldRecord

app = typer.Typer(
    help="Public attribution corpora as claimx gold (your own checkout; nothing is shipped).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


class Corpus(StrEnum):
    polnear = "polnear"
    brat = "brat"


def write_jsonl(records: list[GoldRecord], output: Path | None) -> None:
    """One gold record per line, to ``output`` or stdout."""
    lines = "".join(r.model_dump_json(exclude_defaults=True) + "\n" for r in records)
    if output is None:
        sys.stdout.write(lines)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(lines, encoding="utf-8")


def _brat_records(folder: Path, event: list[str], limit: int | None) -> list[GoldRecord]:
    from claimx.datasets.brat import read_document
    from claimx.datasets.polnear import Roles, attributions

    roles = Roles(events=frozenset(event)) if event else Roles()
    if not folder.is_dir():
        raise DatasetError(f"{folder}: not a folder of .txt and .ann files")
    records: list[GoldRecord] = []
    for txt in sorted(folder.rglob("*.txt")):
        ann = txt.with_suffix(".ann")
        if not ann.exists():
            continue
        found, _ = attributions(read_document(txt, ann), roles)
        text = txt.read_text(encoding="utf-8")
        records.append(GoldRecord(id=txt.stem, text=text, claims=list(found)))
        if limit is not None and len(records) >= limit:
            break
    if not records:
        raise DatasetError(f"{folder}: no .txt file with an .ann beside it")
    return records


@app.command()
def convert(
    corpus: Annotated[Corpus, typer.Argument(help="Corpus format.")],
    path: Annotated[Path, typer.Argument(help="Your checkout (PolNeAR) or BRAT folder.")],
    split: Annotated[str, typer.Option(help="PolNeAR split: train or dev.")] = "dev",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL file [default: stdout].")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="First N texts only.")] = None,
    annotator: Annotated[
        str | None,
        typer.Option(help="PolNeAR: this annotator's file where a text has several."),
    ] = None,
    event: Annotated[
        list[str] | None, typer.Option(help="BRAT: event types that are attributions.")
    ] = None,
    allow_test: Annotated[
        bool, typer.Option(help="PolNeAR: read the held-out test split (independent scoring only).")
    ] = False,
) -> None:
    """Convert a corpus into JSONL gold ({"id", "text", "claims"} per line)."""
    try:
        if corpus is Corpus.polnear:
            from claimx.datasets.polnear import convert_split

            conv = convert_split(
                path, split, allow_test=allow_test, annotator=annotator, limit=limit
            )
            records = conv.records
            err.print(
                f"{len(records)} texts, {sum(len(r.claims) for r in records)} attributions;"
                f" {conv.multi_annotated} texts with several annotators (the median one used),"
                f" {conv.skipped_events} events without content skipped",
                highlight=False,
            )
        else:
            records = _brat_records(path, event or [], limit)
        write_jsonl(records, output)
    except ClaimxError as exc:
        raise typer.Exit(report(exc)) from None
