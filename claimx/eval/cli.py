"""``claimx eval`` (and ``python -m claimx.eval``): run prompt versions over the gold, then score.

Offline unless told otherwise: the recorded responses of a real model
(``eval/cassettes/<model>/``) are replayed, whatever the environment says;
``--live`` or ``--record`` are the only ways to call a model, and the report's
first line says which happened.

A run writes one ``ExtractionResult`` JSONL file per system (``--runs DIR``
keeps them; the format of ``claimx extract``), and the report scores those
files; ``claimx eval score DIR/*.jsonl`` scores saved files again without a
model or a cassette.

Examples::

    python -m claimx.eval                                   # every shipped prompt, replayed
    python -m claimx.eval --prompt extract@v1 --prompt extract@v2   # A/B with intervals
    python -m claimx.eval --prompt latest --html report.html --runs runs/
    claimx eval score runs/*.jsonl --json report.json      # score saved runs again
    python -m claimx.eval --live --model local --base-url http://127.0.0.1:8011/v1
    python -m claimx.eval --oracle evidence                 # which stage loses what
    python -m claimx.eval --oracle claim                    # speaker and stance only
    python -m claimx.eval draws -p extract@v9 -p extract@v12 --draw eval/redraws/draw2
                                                            # A/B over several recordings
    scripts/record-cassettes.sh extract@v3                  # re-record one prompt
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from claimx.cli_errors import OneLineErrorsGroup
from claimx.errors import ConfigError

if TYPE_CHECKING:
    from claimx.eval.compare import Report
    from claimx.eval.gold import GoldItem
    from claimx.eval.oracle import Oracle
    from claimx.eval.results import ReportMeta, SystemRun
    from claimx.eval.runner import Source, System
    from claimx.prompts import PromptSpec

app = typer.Typer(cls=OneLineErrorsGroup, add_completion=False, pretty_exceptions_enable=False)

SOURCE_LINES = {
    "replayed": "REPLAYED: recorded responses, no model was called",
    "live": "LIVE: the model was called",
    "recorded": "RECORDED: the model was called and its answers recorded",
}

GoldOpt = Annotated[
    Path | None,
    typer.Option(
        help="Gold folder (<stem>.json + articles) or JSONL {id,text,claims}."
        " [default: eval/gold of the working tree]"
    ),
]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="JSON report path ('-': stdout).")]
MarkdownOpt = Annotated[Path | None, typer.Option("--markdown", help="Markdown report path.")]
HtmlOpt = Annotated[Path | None, typer.Option("--html", help="HTML report path.")]
PredictionsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--predictions",
        help="LABEL=DIR: another system's saved predictions (gold format) to compare.",
    ),
]
ReadmeOpt = Annotated[
    Path | None,
    typer.Option(help="Replace the report section of this markdown file (eval/README.md)."),
]
SeedOpt = Annotated[int, typer.Option(min=0, help="Bootstrap seed.")]
NoReportOpt = Annotated[bool, typer.Option("--no-report", help="Print no report on the terminal.")]
FullOpt = Annotated[
    bool,
    typer.Option(
        "--full",
        help="Print every table of the report, not the summary (the --html, --markdown and"
        " --json reports always hold every table).",
    ),
]


@dataclass(frozen=True)
class Selection:
    """What a run scores: prompt versions to run, and archived runs of retired ones."""

    specs: list[PromptSpec]
    #: prompt ref -> the archived results file (:mod:`claimx.eval.archive`)
    archived: dict[str, Path]
    #: the versions as named, in order (empty: every one there is)
    order: tuple[str, ...] = ()

    @property
    def named(self) -> bool:
        return bool(self.order)


def select_prompts(refs: list[str], archived: dict[str, Path] | None = None) -> Selection:
    """The prompt versions asked for (every runnable and archived one when none); a retired
    version named is its archived run; the same version twice is refused."""
    from claimx.errors import PromptError
    from claimx.prompts import EXTRACTION, default_registry

    registry = default_registry()
    archived = archived or {}
    if not refs or refs == ["all"]:
        return Selection(registry.all(EXTRACTION), dict(archived))
    specs: list[PromptSpec] = []
    kept: dict[str, Path] = {}
    seen: dict[str, str] = {}
    for ref in refs:
        try:
            spec = registry.get(ref)
            name = spec.ref
        except PromptError:
            name = _versioned(ref)
            if name not in archived:
                retired = f"; archived: {', '.join(archived)}" if archived else ""
                raise PromptError(
                    f"unknown prompt {ref!r}; runnable: {', '.join(registry.refs())}"
                    f" (or 'default'){retired}"
                ) from None
            kept[name] = archived[name]
        else:
            specs.append(spec)
        if name in seen:
            raise ConfigError(
                f"--prompt {ref} and --prompt {seen[name]} are both {name}:"
                " give each prompt version once"
            )
        seen[name] = ref
    return Selection(specs, kept, tuple(seen))


def _versioned(ref: str) -> str:
    """``extract@4`` and ``extract@v4`` as ``extract@v4``."""
    name, _, version = ref.strip().partition("@")
    return f"{name}@v{version.removeprefix('v')}" if version else name


def _default_path(path: Path | None, name: str) -> Path:
    if path is not None:
        return path
    from claimx.eval.paths import eval_dir

    return eval_dir() / name


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    prompt: Annotated[
        list[str] | None,
        typer.Option("--prompt", "-p", help="Prompt ref (repeat for A/B); 'all' or 'latest'."),
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model (repeat to compare models).")
    ] = None,
    gold: GoldOpt = None,
    live: Annotated[
        bool, typer.Option("--live", help="Call the model (no cassettes); see --base-url.")
    ] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Call the model and record its answers.")
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(help="With --live/--record: the endpoint (else $OPENAI_BASE_URL)."),
    ] = None,
    cassettes: Annotated[
        Path | None,
        typer.Option(help="Cassette folder. [default: eval/cassettes of the working tree]"),
    ] = None,
    runs: Annotated[
        Path | None,
        typer.Option(
            help="Keep each system's results (ExtractionResult JSONL) here; a --live or"
            " --record run into the same folder resumes. [default: a temporary folder]"
        ),
    ] = None,
    cache: Annotated[
        bool, typer.Option("--cache", help="Answer repeated requests from the response cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Response cache folder (implies --cache). [default: $CLAIMX_CACHE or"
            " ~/.cache/claimx]"
        ),
    ] = None,
    json_out: JsonOpt = None,
    markdown: MarkdownOpt = None,
    html: HtmlOpt = None,
    save_predictions: Annotated[
        Path | None, typer.Option("--save-predictions", help="Write predictions in gold format.")
    ] = None,
    predictions: PredictionsOpt = None,
    readme: ReadmeOpt = None,
    seed: SeedOpt = 0,
    no_report: NoReportOpt = False,
    full: FullOpt = False,
    oracle: Annotated[
        str | None,
        typer.Option(
            "--oracle",
            help="evidence: also ask every staged prompt about the gold evidence spans"
            " (recorded apart: record them with --record --oracle evidence) and score that"
            " run; claim: gold evidence and proposition, score speaker and stance only"
            " (from the same evidence run: no other request). Both add the rule baselines and the"
            " 'where joint F1 is lost' table.",
        ),
    ] = None,
) -> None:
    """Score prompt versions against the gold data; compare them when several are given."""
    if ctx.invoked_subcommand is not None:
        return
    from claimx.eval.targeted_run import TargetedOptions, is_targeted, run_targeted_eval

    if is_targeted(gold, prompt or []):  # targeted stance: its own run and report
        run_targeted_eval(
            TargetedOptions(
                prompt=prompt or [], model=model or [], gold=gold, live=live, record=record,
                base_url=base_url, cassettes=cassettes, runs=runs, cache=cache,
                cache_dir=cache_dir, json_out=json_out, markdown=markdown, html=html,
                save_predictions=save_predictions, predictions=predictions, readme=readme,
                seed=seed, no_report=no_report, full=full, oracle=oracle,
            )
        )  # fmt: skip
        return
    from claimx.eval.archive import ARCHIVE, archived_runs
    from claimx.eval.recordings import recording_key
    from claimx.eval.runner import plan, replay_models, resolve_source, run_systems
    from claimx.extraction.pipeline import Pipeline
    from claimx.llm.cache import ResponseCache
    from claimx.runs.progress import make_reporter

    # Everything that can be wrong with the command is checked before any work.
    source = resolve_source(live=live, record=record, base_url=base_url)
    mode = _check_oracle(oracle, source)
    others = _parse_predictions(predictions)
    outputs = _Outputs(json_out, markdown, html, readme, save_predictions, no_report, full)
    _check_outputs(outputs)
    gold_path = _default_path(gold, "gold")
    items = _checked_gold(gold_path)
    cassette_dir = _default_path(cassettes, "cassettes")
    archive_dir = cassette_dir.parent / ARCHIVE
    # The archived runs are those of the replayed model (a live run compares with them
    # only when they are named).
    replayed = replay_models(list(model or []), cassette_dir)
    archived = {
        ref: path for name in replayed for ref, path in archived_runs(archive_dir, name).items()
    }
    selection = select_prompts(prompt or [], archived)
    specs = selection.specs
    if source == "replayed" and not selection.named:
        specs = _recorded_only(specs, replayed, cassette_dir)
    if source != "replayed" and not selection.named:
        selection = replace(selection, archived={})
    # --record --oracle evidence records the oracle requests only: the end-to-end runs it
    # is compared with are replayed (recording them again would change the baseline).
    e2e_source: Source = "replayed" if mode is not None and source == "recorded" else source
    systems = plan(
        specs,
        list(model or []),
        source=e2e_source,
        cassettes=cassette_dir,
        base_url=None if e2e_source == "replayed" else base_url,
    )
    oracle_systems: list[System] = []
    oracle_archived: dict[str, Path] = {}
    if mode is not None:
        staged = [s for s in specs if Pipeline(s).takes_evidence]
        if source == "replayed" and not selection.named:
            staged = _recorded_only(staged, replayed, cassette_dir, oracle=True)
        oracle_systems = plan(
            staged, list(model or []), source=source, cassettes=cassette_dir,
            base_url=base_url, oracle=True,
        )  # fmt: skip
        oracle_archived = {
            ref: path
            for name in replayed
            for ref, path in archived_runs(archive_dir, name, oracle=True).items()
            if ref in selection.archived
        }
    response_cache = ResponseCache.open(cache_dir) if cache or cache_dir else None
    scratch = tempfile.TemporaryDirectory(prefix="claimx-eval-") if runs is None else None
    folder = runs if runs is not None else Path(scratch.name)  # type: ignore[union-attr]
    try:
        # A replay takes seconds; a model call minutes per article: show progress then.
        reporter = (
            make_reporter(Console(stderr=True), label=f"eval ({source})")
            if source != "replayed"
            else None
        )
        files = []
        for group, group_source in ((systems, e2e_source), (oracle_systems, source)):
            if group:
                files += run_systems(
                    group,
                    items,
                    source=group_source,
                    cassettes=cassette_dir,
                    folder=folder,
                    cache=response_cache,
                    reporter=reporter,
                )
        judged = (
            None
            if mode is None
            else _Judged(
                mode,
                {s.label for s in oracle_systems}
                | {recording_key(r, oracle=True) for r in oracle_archived},
                frozenset(s.ref for s in specs if not Pipeline(s).takes_evidence),
            )
        )
        kept = [*selection.archived.values(), *(oracle_archived.values() if mode else [])]
        _score(
            _ordered([*files, *kept], selection.order),
            items,
            gold_path=gold_path,
            others=others,
            first_line=SOURCE_LINES[source],
            seed=seed,
            outputs=outputs,
            oracle=judged,
        )
    finally:
        if response_cache is not None:
            response_cache.close()
        if scratch is not None:
            scratch.cleanup()


@app.command("score")
def score(
    files: Annotated[
        list[Path],
        typer.Argument(help="Results files (ExtractionResult JSONL, one system each) or folders."),
    ],
    gold: GoldOpt = None,
    json_out: JsonOpt = None,
    markdown: MarkdownOpt = None,
    html: HtmlOpt = None,
    predictions: PredictionsOpt = None,
    readme: ReadmeOpt = None,
    seed: SeedOpt = 0,
    no_report: NoReportOpt = False,
    full: FullOpt = False,
) -> None:
    """Score saved results (from '--runs DIR' or 'claimx extract') against the gold: no model."""
    others = _parse_predictions(predictions)
    outputs = _Outputs(json_out, markdown, html, readme, None, no_report, full)
    _check_outputs(outputs)
    gold_path = _default_path(gold, "gold")
    for path in files:
        if not path.exists():
            raise ConfigError(f"{path}: no such results file or folder")
    _score(
        files,
        _checked_gold(gold_path),
        gold_path=gold_path,
        others=others,
        first_line="SCORED: saved results, no model was called",
        seed=seed,
        outputs=outputs,
    )


@app.command("draws")
def draws(
    prompt: Annotated[
        list[str], typer.Option("--prompt", "-p", help="Prompt ref (repeat; the first is A).")
    ],
    draw: Annotated[
        list[Path],
        typer.Option(
            "--draw",
            help="Another recording of the same versions (repeat): a folder recorded with"
            " 'python -m claimx.eval --record --prompt ... --cassettes FOLDER'.",
        ),
    ],
    cassettes: Annotated[
        Path | None,
        typer.Option(help="The first recording. [default: eval/cassettes of the working tree]"),
    ] = None,
    gold: GoldOpt = None,
    seed: SeedOpt = 0,
) -> None:
    """Compare prompt versions over several recordings of each: the model's own noise.

    A server at temperature 0 can answer the same requests differently once it has
    processed other requests; the A/B interval resamples articles of one recording. This
    replays each version from every recording (no model is called) and prints how
    many answers agree, each draw's scores, and the A/B with the recordings
    resampled too (claimx.eval.draws).
    """
    from claimx.eval.draws import compare_draws

    specs = select_prompts(prompt).specs
    items = _checked_gold(_default_path(gold, "gold"))
    folders = [_default_path(cassettes, "cassettes"), *draw]
    report = compare_draws(specs, folders, items, seed=seed)
    typer.echo("REPLAYED: recorded responses, no model was called\n")
    typer.echo(report.markdown())


def _recorded_only(
    specs: list[PromptSpec], models: list[str], cassettes: Path, *, oracle: bool = False
) -> list[PromptSpec]:
    """Among every version, those with recordings of ``models`` to replay (of their
    oracle-evidence requests, with ``oracle``) and whose stages can run here; the others
    are named on stderr, with the command that records them or the extra to install
    (asked for by name, such a version is an error instead)."""
    from claimx.eval.recordings import record_command, recording_key, recording_status
    from claimx.extraction.pipeline import Pipeline
    from claimx.runs.progress import notice_line

    kept = []
    for spec in specs:
        try:
            if spec.pipeline is not None:
                Pipeline(spec)  # a stage that needs an extra says so when built
        except ConfigError as exc:
            notice_line(f"not replayed: {spec.ref}: {exc}")
            continue
        status = {m: recording_status(spec, m, cassettes, oracle=oracle) for m in models}
        if all(s == "recorded" for s in status.values()):
            kept.append(spec)
            continue
        for name in (m for m, s in status.items() if s != "recorded"):
            why = "changed since it was recorded" if status[name] == "stale" else "is not recorded"
            key = recording_key(spec.ref, oracle=oracle)
            notice_line(
                f"not replayed: {key} {why} (model {name!r}); record it with:"
                f" {record_command(spec.ref, name, cassettes, oracle=oracle)}"
            )
    return kept


def _ordered(files: list[Path], order: tuple[str, ...]) -> list[Path]:
    """Results files (run and archived) in the order the versions were named, else in
    version order: the first system is the one the others are compared with (the
    zero-shot baseline when every version is scored)."""

    def key(path: Path) -> tuple[int, int, str]:
        ref = path.stem.split("+", 1)[0].split("__", 1)[0]
        number = ref.rpartition("@v")[2]
        version = int(number) if number.isdigit() else 10**6
        return (order.index(ref) if ref in order else len(order), version, path.name)

    return sorted(files, key=key)


def _check_oracle(oracle: str | None, source: str) -> Oracle | None:
    """The --oracle mode, refused where it cannot run."""
    from claimx.eval.oracle import ORACLES

    if oracle is None:
        return None
    if oracle not in ORACLES:
        raise ConfigError(f"--oracle takes {' or '.join(ORACLES)}, not {oracle!r}")
    if oracle == "claim" and source == "recorded":
        raise ConfigError(
            "--oracle claim makes no request of its own (it scores the --oracle evidence"
            " run's answers): record with --record --oracle evidence"
        )
    return "evidence" if oracle == "evidence" else "claim"


@dataclass(frozen=True)
class _Judged:
    """What an --oracle run adds to the scoring: the mode, and its systems' labels."""

    mode: Oracle
    labels: set[str]
    #: the prompts whose pipeline has no stage one for the gold spans to replace
    whole_text: frozenset[str] = frozenset()


def _parse_predictions(specs: list[str] | None) -> list[tuple[str, Path]]:
    out = []
    for text in specs or []:
        label, sep, folder = text.partition("=")
        if not sep or not label or not Path(folder).is_dir():
            raise ConfigError(f"--predictions takes LABEL=DIR with an existing DIR: {text!r}")
        out.append((label, Path(folder)))
    return out


@dataclass(frozen=True)
class _Outputs:
    """Where the report goes, and how much of it the terminal shows."""

    json_out: Path | None
    markdown: Path | None
    html: Path | None
    readme: Path | None
    save_predictions: Path | None
    no_report: bool
    full: bool = False


def _checked_gold(path: Path) -> list[GoldItem]:
    """The gold at ``path``, after the checks of ``claimx check-gold`` (offsets, schema,
    stances, duplicates, furniture): every problem on a line of its own, then one error."""
    from claimx.eval.gold import load_gold, require_valid_gold

    advice = f"; fix them before the eval runs ('claimx check-gold {path}' checks again)"
    require_valid_gold(path, Console(stderr=True), advice=advice)
    return load_gold(path)


def _unwritable(path: Path, *, folder: bool = False) -> str | None:
    """Why ``path`` cannot be written (a file, or a folder to fill), or None when it can.

    Nothing is created: the nearest existing ancestor must be a writable folder,
    and an existing ``path`` of the right kind writable itself.
    """
    if path.exists():
        if path.is_dir() != folder:
            return "it is a file, not a folder" if folder else "it is a folder, not a file"
        return None if os.access(path, os.W_OK) else "it is not writable"
    parent = next(p for p in path.absolute().parents if p.exists())
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{parent} is not writable"
    return None


def _check_outputs(outputs: _Outputs) -> None:
    """Refuse, before any run, a report path the run could not write at its end."""
    named = [("--json", outputs.json_out), ("--markdown", outputs.markdown),
             ("--html", outputs.html), ("--readme", outputs.readme)]  # fmt: skip
    for option, path in named:
        if path is None or (option == "--json" and str(path) == "-"):
            continue
        why = _unwritable(path)
        if why is None and option == "--readme" and not path.exists():
            why = "no such file (--readme replaces a section of an existing file)"
        if why is not None:
            raise ConfigError(f"{option} {path}: cannot be written ({why}); choose another path")
    if outputs.save_predictions is not None:
        why = _unwritable(outputs.save_predictions, folder=True)
        if why is not None:
            raise ConfigError(
                f"--save-predictions {outputs.save_predictions}: cannot be written ({why});"
                " choose another folder"
            )


def _score(
    files: list[Path],
    items: list[GoldItem],
    *,
    gold_path: Path,
    others: list[tuple[str, Path]],
    first_line: str,
    seed: int,
    outputs: _Outputs,
    oracle: _Judged | None = None,
) -> None:
    """Score results files (and other systems' predictions) and write the report.

    With ``oracle``, the report's systems are the oracle-evidence runs (none for
    ``--oracle claim``), and its oracle section joins them to the end-to-end runs.
    """
    from claimx import __version__
    from claimx.eval.compare import build_report
    from claimx.eval.paths import shown
    from claimx.eval.predictions import predictions_run
    from claimx.eval.predictions import save_predictions as save_predictions_to
    from claimx.eval.reports import (
        render_html,
        render_json,
        render_markdown,
        render_summary,
        render_terminal,
    )
    from claimx.eval.results import ReportMeta, load_runs, run_provenance

    runs: list[SystemRun] = load_runs(files, items)
    runs += [predictions_run(label, folder, items) for label, folder in others]
    meta = ReportMeta(
        gold=shown(gold_path),
        claimx_version=__version__,
        command=_command_line(sys.argv[1:]),
        seed=seed,
        **run_provenance(files),
    )
    if oracle is None:
        report = build_report(runs, meta, gold=items)
    else:
        report = _oracle_report(runs, meta, items, oracle)
    # A detection or oracle report has its own few tables: printed whole, as with --full.
    full = outputs.full or report.detection is not None or report.oracle is not None
    console = Console(stderr=outputs.json_out is not None and str(outputs.json_out) == "-")
    if full and not console.is_terminal:
        # Piped or redirected: rich would assume 80 columns and split every table
        # of a nine-system report; a file or pager takes a wide table.
        console.width = max(console.width, 160)
    console.print(first_line, style="bold", highlight=False)
    if outputs.no_report:
        pass
    elif full:
        render_terminal(report, console)
    else:
        # The summary fits 80 columns wherever it goes (rich's width when piped).
        render_summary(report, console, full_report=_where_full(outputs))
    if outputs.json_out:
        _write(outputs.json_out, render_json(report), console)
    if outputs.markdown:
        _write(outputs.markdown, render_markdown(report), console)
    if outputs.html:
        _write(outputs.html, render_html(report), console)
    if outputs.readme:
        _replace_section(outputs.readme, render_markdown(report))
        console.print(f"updated the report in {outputs.readme}", style="dim")
    if outputs.save_predictions:
        written = save_predictions_to(runs, outputs.save_predictions)
        console.print(
            f"wrote {len(written)} prediction files under {outputs.save_predictions}", style="dim"
        )


def _where_full(outputs: _Outputs) -> list[str]:
    """The summary's last line(s): where every table is."""
    written = [str(p) for p in (outputs.html, outputs.markdown, outputs.json_out)
               if p is not None and str(p) != "-"]  # fmt: skip
    if written:
        return [f"Every table: --full, or the reports written below ({', '.join(written)})."]
    return ["Every table: --full; as a web page with the evidence: --html report.html."]


def _oracle_report(
    runs: list[SystemRun], meta: ReportMeta, items: list[GoldItem], oracle: _Judged
) -> Report:
    from claimx.eval.baselines import attribution_rules, rules
    from claimx.eval.compare import build_report
    from claimx.eval.metrics import score_system
    from claimx.eval.oracle import build_oracle

    evidence = [r for r in runs if r.label in oracle.labels]
    end_to_end = [r for r in runs if r.label not in oracle.labels]
    report = build_report(evidence if oracle.mode == "evidence" else [], meta, gold=items)
    section = build_oracle(
        oracle.mode,
        [score_system(r) for r in end_to_end],
        [score_system(r) for r in evidence],
        items,
        [rules(items), attribution_rules(items)],
        whole_text=oracle.whole_text,
    )
    return replace(report, oracle=section)


def _command_line(args: list[str]) -> str:
    """The command that made the report, as the user typed it."""
    if args[:1] == ["eval"]:  # claimx eval ... (the console script, or python -m claimx)
        return " ".join(["claimx", *args])
    return " ".join(["python -m claimx.eval", *args])


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
        raise ConfigError(f"{path} has no {REPORT_START} ... {REPORT_END} section")
    head, rest = text.split(REPORT_START, 1)
    _, tail = rest.split(REPORT_END, 1)
    body = report_md.replace("# claimx evaluation", "### Latest report", 1)
    path.write_text(f"{head}{REPORT_START}\n{body}\n{REPORT_END}{tail}", encoding="utf-8")
