"""The eval of targeted stance: ``python -m claimx.eval --gold GOLD.jsonl --prompt targeted@v1``.

``claimx/eval/cli.py`` hands over to :func:`run_targeted_eval` (one call, right
after its option parsing) when the gold is a targeted-stance file (a JSONL of
:class:`~claimx.models.TargetedRecord`: ``eval/targeted/gold.jsonl``, or
``claimx datasets convert fnc1 ... -o report.jsonl``) or a prompt named with
``--prompt`` is a ``targeted`` prompt (:func:`is_targeted`). Everything else
of the eval is left as it is: the same options, the same three sources of
answers and their first line, the same recordings and manifest
(:mod:`claimx.eval.recordings`, whose content hash covers any prompt).

**Systems.** Two that need no model, always: the ``lexical baseline``
(:mod:`claimx.targeted.baseline`) and ``screen + classifier`` (phase 1 without
extracted claims); ``screen + encoder`` (the same with the cross-encoder as the
reader, :mod:`claimx.targeted.readers`) where the ``[encoder]`` extra is
installed (else stderr says it was not run, and how to install it); then each
targeted prompt with each model (:func:`claimx.eval.runner.plan`): the screen, then the model
(:func:`claimx.targeted.answer.aanswer`; no extracted claims are given, so
the prompt is what is measured; ``python -m claimx.targeted.report`` measures
reading stances off extracted claims), the classifier where the model's
answer did not validate. Every prompt's default when none is named.

**Answers.** Replayed (the default), ``--live`` or ``--record``, as in the
extraction eval. A recording is one cassette per article,
``<cassettes>/<model>/<prompt>/<article_id>.yaml``, holding the requests of
every claim asked of it, and the manifest entry records the seconds each
*record* (claim x article, by its gold id) took, which a replay reports in
place of its own milliseconds. ``--cache``/``--cache-dir`` answer repeated
requests from the response cache (an interrupted live run, run again, asks
only what was not answered). ``--runs DIR`` keeps each system's
:class:`~claimx.models.TargetedAnswer` JSONL, in gold order.

**Saved extraction results** (``--predictions LABEL=RESULTS``, the path of
``claimx stance "CLAIM" results.jsonl``): each ``claimx extract`` output named
(a ``.jsonl`` of :class:`~claimx.models.ExtractionResult`, or a folder of gold
files) adds, for each targeted prompt, the system ``PROMPT + LABEL``: the
claims extracted from each article are matched first (step 2 of
:mod:`claimx.targeted.answer`, IDF over every claim of the results, as
:func:`claimx.stance_toward` weighs them), and the model is asked only where
none matches. Those requests are the same as the prompt's own, so a replay
plays them from the same cassettes, and the pairs the claims decide cost no
call. The extraction results of the shipped prompts come offline from
``python -m claimx.eval --prompt extract@v9 --runs runs --no-report``.

**Report** (:mod:`claimx.eval.targeted_report`): the terminal summary at 80
columns, ``--full`` every table, ``--json`` and ``--markdown`` files.
``--html``, ``--oracle``, ``--save-predictions`` and ``--readme`` are the
extraction eval's and are refused here.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from claimx.errors import ConfigError, GoldError, PromptError
from claimx.models import Claim, TargetedAnswer, TargetedRecord

if TYPE_CHECKING:
    from rich.console import Console

    from claimx.eval.runner import Source, System
    from claimx.llm.cache import ResponseCache
    from claimx.prompts import PromptSpec
    from claimx.runs.progress import Reporter, RunStats
    from claimx.targeted.shipped import Shipped

__all__ = [
    "BASELINE_LABEL",
    "CLASSIFIER_LABEL",
    "ENCODER_LABEL",
    "SavedResults",
    "TargetedOptions",
    "TargetedRun",
    "default_targeted_gold",
    "is_targeted",
    "is_targeted_gold",
    "load_saved_results",
    "run_targeted",
    "run_targeted_eval",
]

BASELINE_LABEL = "lexical baseline"
CLASSIFIER_LABEL = "screen + classifier"
ENCODER_LABEL = "screen + encoder"
TARGETED_TASK = "targeted"


@dataclass(frozen=True)
class TargetedOptions:
    """The eval's options, as ``claimx/eval/cli.py`` parsed them."""

    prompt: list[str] = field(default_factory=list)
    model: list[str] = field(default_factory=list)
    gold: Path | None = None
    live: bool = False
    record: bool = False
    base_url: str | None = None
    cassettes: Path | None = None
    runs: Path | None = None
    cache: bool = False
    cache_dir: Path | None = None
    json_out: Path | None = None
    markdown: Path | None = None
    html: Path | None = None
    save_predictions: Path | None = None
    predictions: list[str] | None = None
    readme: Path | None = None
    seed: int = 0
    no_report: bool = False
    full: bool = False
    oracle: str | None = None


def is_targeted_gold(path: Path | None) -> bool:
    """Whether ``path`` is a targeted-stance gold: a JSONL file whose first record has a
    ``claim`` and no ``claims`` (a claim gold's JSONL lines have ``claims``)."""
    if path is None or not path.is_file() or path.suffix != ".jsonl":
        return False
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), "")
        record = json.loads(first) if first else None
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(record, dict) and "claim" in record and "claims" not in record


def is_targeted(gold: Path | None, prompts: list[str]) -> bool:
    """Whether the eval asked for is of targeted stance (module docstring); a mix of
    targeted and extraction prompts is refused."""
    from claimx.prompts import default_registry

    registry = default_registry()
    tasks = set()
    for ref in prompts:
        try:
            tasks.add(registry.get(ref).task_name == TARGETED_TASK)
        except PromptError:
            continue  # an archived extraction version, or a typo: the extraction eval says
    if len(tasks) > 1:
        raise ConfigError(
            "--prompt names targeted and extraction prompts together: they are scored on"
            " different gold, so run them apart"
        )
    return tasks == {True} or is_targeted_gold(gold)


def default_targeted_gold() -> Path:
    """The five articles' targeted-stance gold of the working tree."""
    from claimx.eval.paths import eval_dir

    return eval_dir() / "targeted" / "gold.jsonl"


def _refuse_extraction_options(options: TargetedOptions) -> None:
    named = {
        "--html": options.html is not None,
        "--oracle": options.oracle is not None,
        "--save-predictions": options.save_predictions is not None,
        "--readme": options.readme is not None,
    }
    if refused := [name for name, given in named.items() if given]:
        raise ConfigError(
            f"{', '.join(refused)}: not for a targeted-stance eval (the extraction eval's);"
            " use --json or --markdown"
        )


@dataclass(frozen=True)
class SavedResults:
    """Claims extracted before (``--predictions LABEL=RESULTS``), by article id."""

    label: str
    claims: dict[str, list[Claim]]
    #: IDF over every claim of the results and the gold's given claims
    #: (:func:`claimx.targeted.matching.proposition_weights`)
    weights: dict[str, float]


def load_saved_results(specs: list[str], records: list[TargetedRecord]) -> list[SavedResults]:
    """The ``LABEL=PATH`` results files (or folders of gold files) named with ``--predictions``.

    Raises :class:`ConfigError` for a spec without an existing path or a label given twice.
    """
    from claimx.consolidate.inputs import load_claims
    from claimx.targeted.matching import proposition_weights

    out: list[SavedResults] = []
    for spec in specs:
        label, _, where = spec.partition("=")
        path = Path(where)
        if not label or not where or not path.exists():
            raise ConfigError(
                f"--predictions takes LABEL=RESULTS with an existing file or folder of saved"
                f" extraction results (claimx extract's JSONL) for a targeted eval: {spec!r}"
            )
        if any(r.label == label for r in out):
            raise ConfigError(f"--predictions: the label {label!r} is given twice")
        claims = {r.article_id: cast(list[Claim], list(r.claims)) for r in load_claims([path])}
        every = [c.claim for found in claims.values() for c in found]
        given = sorted({r.claim for r in records})
        out.append(SavedResults(label, claims, proposition_weights([*given, *every])))
    return out


def _select(refs: list[str]) -> list[PromptSpec]:
    """The targeted prompts named, else every targeted prompt; each once."""
    from claimx.prompts import default_registry

    registry = default_registry()
    specs = [registry.get(ref) for ref in refs] if refs else registry.all(TARGETED_TASK)
    if not specs:
        raise PromptError(f"no {TARGETED_TASK} prompt under {registry.root}")
    for spec in specs:
        if spec.task_name != TARGETED_TASK:
            raise ConfigError(f"{spec.ref} is not a targeted prompt: a targeted gold needs one")
    if len({s.ref for s in specs}) < len(specs):
        raise ConfigError("give each prompt version once")
    return specs


@dataclass
class TargetedRun:
    """One system's answers, one per gold record and in its order."""

    label: str
    answers: list[TargetedAnswer]
    prompt: str | None = None
    prompt_hash: str | None = None
    model: str | None = None


def no_model_runs(records: list[TargetedRecord], parts: Shipped) -> list[TargetedRun]:
    """The systems that need no model: the lexical baseline, screen + classifier and,
    with the ``[encoder]`` extra, screen + encoder (without it, stderr says what to install)."""
    from claimx.runs.progress import notice_line
    from claimx.targeted.answer import answer
    from claimx.targeted.features import pair_features
    from claimx.targeted.lexical import ArticleView, view_once
    from claimx.targeted.readers import Reader, reader

    views: dict[str, ArticleView] = {}
    encoder: Reader | None = None
    try:
        encoder = reader("encoder", parts)
    except ConfigError as exc:
        notice_line(f"not run: {ENCODER_LABEL}: {exc}")
    baseline, classified, encoded = [], [], []
    for r in records:
        text = r.text or ""
        article = view_once(views, r.article_id, text)
        phase1 = answer(r.claim, r.article_id, text, [], parts=parts, article=article)
        classified.append(phase1)
        guess = parts.baseline.decide(pair_features(r.claim, article, parts.idf))
        baseline.append(
            phase1.model_copy(update={"stance": guess, "decided_by": "classifier", "warnings": []})
        )
        if encoder is not None:
            encoded.append(
                answer(r.claim, r.article_id, text, [], parts=parts, article=article, by=encoder)
            )
    runs = [TargetedRun(BASELINE_LABEL, baseline), TargetedRun(CLASSIFIER_LABEL, classified)]
    return runs + ([TargetedRun(ENCODER_LABEL, encoded)] if encoder is not None else [])


def _by_article(records: list[TargetedRecord]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        groups.setdefault(r.article_id, []).append(i)
    return groups


@dataclass
class _Progress:
    reporter: Reporter | None
    stats: RunStats

    def done(self, got: TargetedAnswer) -> None:
        self.stats.done += 1
        self.stats.calls += got.usage.calls
        self.stats.prompt_tokens += got.usage.prompt_tokens
        self.stats.completion_tokens += got.usage.completion_tokens
        self.stats.cache_hits += got.cached
        if self.reporter is not None:
            self.reporter.update(self.stats)


async def _run_system(
    system: System,
    records: list[TargetedRecord],
    *,
    source: Source,
    cassettes: Path,
    cache: ResponseCache | None,
    parts: Shipped,
    seconds: dict[str, float],
    progress: _Progress,
    saved: SavedResults | None = None,
) -> TargetedRun:
    from claimx.eval.recordings import cassette_path
    from claimx.llm.layers import open_model
    from claimx.runs.orchestrator import default_concurrency
    from claimx.targeted.answer import ModelStep, aanswer
    from claimx.targeted.lexical import view
    from claimx.targeted.task import TargetedTask

    model_name = system.config.model
    live = source == "live"
    llm = open_model(
        system.config, cache=cache, max_requests=default_concurrency(system.config) if live else 1
    )
    step = ModelStep(llm, TargetedTask(system.spec), model_name)
    record_hint = _record_hint(system, source, cassettes)
    answers: list[TargetedAnswer | None] = [None] * len(records)

    def recorded(article_id: str) -> AbstractContextManager[object]:
        """The article's cassette (none when live: the model is called)."""
        if live:
            return nullcontext()
        from claimx.cassettes import use_cassette

        path = cassette_path(cassettes, model_name, system.key, article_id)
        return use_cassette(
            path, "none" if source == "replayed" else "all", rerecord_hint=record_hint
        )

    async def article(article_id: str, indices: list[int]) -> None:
        text = records[indices[0]].text or ""
        shown = view(text)
        with recorded(article_id):
            for i in indices:
                r = records[i]
                got = await aanswer(
                    r.claim,
                    r.article_id,
                    text,
                    saved.claims.get(article_id, []) if saved is not None else (),
                    step=step,
                    weights=saved.weights if saved is not None else None,
                    parts=parts,
                    article=shown,
                )
                if (
                    r.id in seconds
                    and got.decided_by in ("model", "classifier")
                    and got.usage.calls
                ):
                    got = got.model_copy(update={"latency_s": seconds[r.id]})
                answers[i] = got
                progress.done(got)

    try:
        groups = _by_article(records)
        if live:  # no cassette patches the transport: articles go side by side
            await asyncio.gather(*(article(a, ix) for a, ix in groups.items()))
        else:
            for article_id, indices in groups.items():
                await article(article_id, indices)
    finally:
        await llm.aclose()
    return TargetedRun(
        system.label if saved is None else f"{system.label} + {saved.label}",
        [a for a in answers if a is not None],
        prompt=step.task.ref,
        prompt_hash=step.task.content_hash,
        model=model_name,
    )


def _record_hint(system: System, source: Source, cassettes: Path) -> str:
    """The command that records ``system`` again (for a replay's miss): the endpoint it
    was recorded from, or the one a recording calls now."""
    from claimx.eval.recordings import Manifest, model_folder, record_command

    model = system.config.model
    manifest = Manifest.load(model_folder(cassettes, model))
    recording = manifest.prompts.get(system.key) if manifest else None
    url = system.config.base_url if source == "recorded" else recording and recording.base_url
    return record_command(system.spec.ref, model, cassettes, url or None)


def run_targeted(
    systems: list[System],
    records: list[TargetedRecord],
    *,
    source: Source,
    cassettes: Path,
    cache: ResponseCache | None = None,
    parts: Shipped | None = None,
    reporter: Reporter | None = None,
    saved: list[SavedResults] | None = None,
) -> list[TargetedRun]:
    """Every system's answers to every record (module docstring); a recording updates
    the model's manifest. ``saved``: extraction results each prompt is also run with,
    replayed (or asked) after the prompt's own run."""
    from claimx.eval.recordings import (
        Manifest,
        check_record,
        describe_server,
        model_folder,
        save_recordings,
    )
    from claimx.runs.progress import RunStats
    from claimx.targeted.shipped import shipped

    parts = parts if parts is not None else shipped()
    descriptions: dict[str, str] = {}
    if source == "recorded":
        keys: dict[str, set[str]] = {}
        for s in systems:
            keys.setdefault(s.config.model, set()).add(s.key)
        for model in keys:
            first = next(s for s in systems if s.config.model == model)
            descriptions[model] = describe_server(first.config.base_url, model)
        check_record(keys, cassettes, descriptions)
    saved = saved or []
    stats = RunStats(total=len(records) * len(systems) * (1 + len(saved)))
    progress = _Progress(reporter, stats)
    if reporter is not None:
        reporter.start(stats)
    out = []
    for system in systems:
        manifest = Manifest.load(model_folder(cassettes, system.config.model))
        recording = manifest.prompts.get(system.key) if manifest else None
        seconds = recording.seconds if recording is not None and source == "replayed" else {}
        run = asyncio.run(
            _run_system(
                system, records, source=source, cassettes=cassettes, cache=cache,
                parts=parts, seconds=seconds, progress=progress,
            )
        )  # fmt: skip
        out.append(run)
        if source == "recorded":
            took = {
                r.id: a.latency_s
                for r, a in zip(records, run.answers, strict=True)
                if a.usage.calls
            }
            save_recordings(
                cassettes,
                system.config.model,
                [(system.key, system.spec, took)],
                base_url=system.config.base_url,
                model_description=descriptions[system.config.model],
            )
        for results in saved:
            out.append(
                asyncio.run(
                    _run_system(
                        system,
                        records,
                        source=source,
                        cassettes=cassettes,
                        cache=cache,
                        parts=parts,
                        seconds=seconds,
                        progress=progress,
                        saved=results,
                    )
                )  # fmt: skip
            )
    if reporter is not None:
        reporter.finish(stats)
    return out


def _write_runs(folder: Path, runs: list[TargetedRun]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for run in runs:
        name = run.label.replace(" · ", "__").replace("/", "_").replace(" ", "_") + ".jsonl"
        lines = "".join(a.model_dump_json() + "\n" for a in run.answers)
        (folder / name).write_text(lines, encoding="utf-8")


def run_targeted_eval(options: TargetedOptions, console: Console | None = None) -> None:
    """The targeted-stance eval, from the command line's options (module docstring)."""
    from rich.console import Console

    from claimx.eval.paths import shown
    from claimx.eval.runner import plan, resolve_source
    from claimx.eval.targeted_report import build_report, write_reports
    from claimx.llm.cache import ResponseCache
    from claimx.runs.progress import make_reporter
    from claimx.targeted.gold import load_targeted_gold
    from claimx.targeted.shipped import shipped

    _refuse_extraction_options(options)
    source = resolve_source(live=options.live, record=options.record, base_url=options.base_url)
    specs = _select(options.prompt)
    gold_path = options.gold or default_targeted_gold()
    if not is_targeted_gold(gold_path):
        raise GoldError(
            f"{shown(gold_path)}: not a targeted-stance gold (JSONL of records with a claim,"
            " an article and its stance: eval/targeted/gold.jsonl, or claimx datasets convert"
            " fnc1 ... -o FILE.jsonl)"
        )
    records = load_targeted_gold(gold_path)
    saved = load_saved_results(list(options.predictions or []), records)
    if saved and source == "recorded":
        # Recording rewrites each article's cassette with the requests made: a run with
        # saved results makes fewer, so it would drop the others from the recording.
        raise ConfigError(
            "--predictions with --record: record the prompt first, then replay it with"
            " --predictions (the requests are the same)"
        )
    cassette_dir = options.cassettes
    if cassette_dir is None:
        from claimx.eval.paths import eval_dir

        cassette_dir = eval_dir() / "cassettes"
    systems = plan(
        specs,
        list(options.model),
        source=source,
        cassettes=cassette_dir,
        base_url=None if source == "replayed" else options.base_url,
    )
    parts = shipped()
    cache = ResponseCache.open(options.cache_dir) if options.cache or options.cache_dir else None
    reporter = (
        make_reporter(Console(stderr=True), label=f"targeted ({source})")
        if source != "replayed"
        else None
    )
    try:
        runs = no_model_runs(records, parts) + run_targeted(
            systems, records, source=source, cassettes=cassette_dir, cache=cache,
            parts=parts, reporter=reporter, saved=saved,
        )  # fmt: skip
    finally:
        if cache is not None:
            cache.close()
    if options.runs is not None:
        _write_runs(options.runs, runs)
    report = build_report(records, runs, gold=shown(gold_path), source=source, seed=options.seed)
    write_reports(
        report,
        console,
        json_out=options.json_out,
        markdown=options.markdown,
        no_report=options.no_report,
        full=options.full,
    )
