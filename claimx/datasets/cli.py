"""``claimx datasets``: convert a public attribution corpus into JSONL gold.

Examples::

    claimx datasets convert polnear ~/src/PolNeAR --split dev -o dev.jsonl
    claimx datasets convert polnear ~/src/PolNeAR --split dev --limit 20 -o dev20.jsonl
    claimx datasets convert brat my-corpus/ --event Quote -o mine.jsonl
    python -m claimx.eval --gold dev.jsonl --prompt extract@v1 --prompt latest
    claimx datasets convert fnc1 ~/src/fnc-1 --part report -o fnc1-report.jsonl
    claimx datasets convert fnc1 ~/src/fnc-1 --part tune --all -o fnc1-tune.jsonl
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
from claimx.models import GoldRecord, TargetedRecord

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
    fnc1 = "fnc1"


class Fnc1Part(StrEnum):
    tune = "tune"
    report = "report"


def write_jsonl(records: list[GoldRecord] | list[TargetedRecord], output: Path | None) -> None:
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


def _fnc1_records(
    path: Path, part: Fnc1Part, all_pairs: bool, per_class: int, limit: int | None
) -> list[TargetedRecord]:
    from claimx.datasets.fnc1 import composition, load, records, report_sample

    data = load(path)
    pairs = data.part(part.value)
    if part is Fnc1Part.report and not all_pairs:
        pairs = report_sample(pairs, per_class)
    pairs = pairs[:limit] if limit is not None else pairs
    counts = ", ".join(f"{stance} {n}" for stance, n in composition(pairs).items())
    err.print(
        f"{len(pairs)} pairs of the {part.value} part ({counts});"
        f" {data.duplicates} duplicate rows dropped",
        highlight=False,
    )
    return list(records(pairs, data.bodies))


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
    part: Annotated[
        Fnc1Part | None,
        typer.Option(help="FNC-1: the part of the train pairs, split by body (required)."),
    ] = None,
    all_pairs: Annotated[
        bool,
        typer.Option(
            "--all", help="FNC-1 report: every pair of the part, not the balanced sample."
        ),
    ] = False,
    per_class: Annotated[
        int, typer.Option(min=1, help="FNC-1 report: pairs of each class in the sample.")
    ] = 100,
) -> None:
    """Convert a corpus into JSONL gold ({"id", "text", "claims"} per line; FNC-1:
    targeted-stance records, {"id", "claim", "article_id", "text", "stance"})."""
    try:
        if corpus is Corpus.fnc1:
            if part is None:
                raise typer.BadParameter("FNC-1 needs --part tune or --part report")
            write_jsonl(_fnc1_records(path, part, all_pairs, per_class, limit), output)
            return
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
