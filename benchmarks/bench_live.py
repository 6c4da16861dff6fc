"""Live cost and throughput on the configured model server (issue 17): a script, not a test.

    python benchmarks/bench_live.py --prompt extract@v1 --prompt latest [--articles 5] [--repeat 3]
    python benchmarks/bench_live.py --prompt latest --slots 1,2,4 [--no-restart]
    python benchmarks/bench_live.py --prompt extract@v1 --prompt latest --limit

Every request is LIVE: it goes to the server (``OPENAI_BASE_URL`` or ``--base-url``,
model ``--model``, default ``local``) through claimx's one orchestrator
(:func:`claimx.runs.orchestrator.run_jobs`) with no response cache, over the
first ``--articles`` gold articles of the eval (``eval/``, found as
``python -m claimx.eval`` finds it, or ``--gold``). Outputs are scored by the
eval's own scorer (:func:`claimx.eval.metrics.score_system`).

Three measurements, each printed as markdown tables, every figure also as a
ratio to a baseline measured in the same run, medians over ``--repeat`` runs:

* **prompts** (default): per ``--prompt`` (the first one is the baseline), wall
  seconds per article, articles/hour, the median latency of an article,
  prompt / completion tokens and calls per article (``ExtractionResult.usage``),
  the prompt tokens the server really processed (llama-server's ``timings.prompt_n``
  of every answer: the rest came from its prompt cache), and joint F1. The
  prompts alternate across repeats (A B A B ...) so a drift of the machine
  hits both. Concurrency: ``--concurrency``, else the server's slot count
  (:func:`claimx.runs.orchestrator.default_concurrency`).
* **slots** (``--slots 1,2,4``): for each count (alternating over the
  repeats), the server is restarted with ``CLAIMX_LLM_SLOTS=N
  scripts/local-llm.sh stop/start`` (on the port of the base URL; put back to
  the slot count it had at the end), then each ``--prompt`` runs over the
  articles with concurrency N (across articles and within one): wall seconds,
  generated and prompt tokens/s, articles/hour, and the latency of the first
  article run alone; ratios to the first count. With ``--no-restart`` the
  server is left as it is (its count read from ``/props``) and only claimx's
  concurrency takes the listed values.
* **limit** (``--limit``): the physical limit. Fixed requests straight to the
  server (the longest chosen article and an instruction, ``max_tokens``
  ``--limit-tokens``, ``ignore_eos``, ``"cache_prompt": false``), one at a time,
  read llama-server's ``timings`` (``prompt_per_second``,
  ``predicted_per_second``); then, for each prompt (or slot count) measured,
  the floor of an article, processed prompt tokens / prompt tok/s + completion
  tokens / generation tok/s, and measured seconds per article / floor. The floor
  is that of one request stream: with several slots a run may go under it.

One tiny request warms the server up before anything is measured (and after
each restart). Each section ends with issue 17's targets, met or missed.
``--json`` also writes every figure and every pass.

The restart stops the server that scripts/local-llm.sh started (its pid file in
``$CLAIMX_CACHE``): never use ``--slots`` without ``--no-restart`` while
something else is using that server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel

import claimx.llm.client  # noqa: F401 - the SDKs' imports, out of the first pass's time
from claimx.errors import ConfigError
from claimx.eval.gold import GoldItem, load_gold
from claimx.eval.metrics import score_system
from claimx.eval.paths import eval_dir
from claimx.eval.results import load_runs
from claimx.extraction.extractor import Extractor
from claimx.llm.config import ClientConfig
from claimx.llm.layers import UsageMeter
from claimx.llm.protocol import Completion, Model
from claimx.llm.server import server_slots
from claimx.markdown import md_table
from claimx.models import Article, ExtractionResult
from claimx.prompts import PromptSpec, default_registry
from claimx.runs.inputs import InputItem
from claimx.runs.orchestrator import BatchOptions, Job, default_concurrency, run_jobs

ROOT = Path(__file__).resolve().parents[1]
SERVER_SCRIPT = ROOT / "scripts" / "local-llm.sh"
#: what the limit's requests ask after the article (any answer: only its speed counts)
LIMIT_INSTRUCTION = "Summarise the article above in one paragraph."

T = TypeVar("T")


# --- arithmetic ---------------------------------------------------------------------------


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values that are known; None when none is."""
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def ratio(value: float | None, base: float | None) -> float | None:
    """``value / base``, or None when either is unknown or the base is zero."""
    if value is None or base is None or base == 0:
        return None
    return value / base


def alternate(items: Sequence[T], repeat: int) -> list[tuple[int, T]]:
    """(repeat index, item) in the order A B A B ...: every item once per repeat."""
    return [(r, item) for r in range(repeat) for item in items]


def parse_counts(text: str) -> list[int]:
    """``"1,2,4"`` -> ``[1, 2, 4]``; a count below 1 or a non-number is a ConfigError."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConfigError(
            f"--slots takes whole numbers separated by commas, got {text!r}"
        ) from None
    if not counts or min(counts) < 1:
        raise ConfigError(f"--slots takes counts of at least 1, got {text!r}")
    return counts


@dataclass(frozen=True)
class Timings:
    """What llama-server says one request cost (its ``timings`` object)."""

    prompt_n: int  # prompt tokens processed (not served from its prompt cache)
    cache_n: int  # prompt tokens served from its prompt cache
    prompt_ms: float
    predicted_n: int
    predicted_ms: float

    @property
    def prompt_per_second(self) -> float | None:
        return self.prompt_n / self.prompt_ms * 1000 if self.prompt_ms > 0 else None

    @property
    def predicted_per_second(self) -> float | None:
        return self.predicted_n / self.predicted_ms * 1000 if self.predicted_ms > 0 else None


def parse_timings(body: Any) -> Timings | None:
    """The ``timings`` of a llama-server response body (a dict), or None when it has none."""
    found = body.get("timings") if isinstance(body, dict) else None
    if not isinstance(found, dict):
        return None
    try:
        return Timings(
            prompt_n=int(found["prompt_n"]),
            cache_n=int(found.get("cache_n", 0)),
            prompt_ms=float(found["prompt_ms"]),
            predicted_n=int(found["predicted_n"]),
            predicted_ms=float(found["predicted_ms"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Limit:
    """The server's speeds for one request stream, tokens per second (medians)."""

    prompt_tps: float
    gen_tps: float
    runs: int
    prompt_n: float  # tokens of the fixed prompt, as the server counted them

    def floor_s(self, prompt_tokens: float, completion_tokens: float) -> float:
        """The fewest seconds one stream needs to process and generate these tokens."""
        return prompt_tokens / self.prompt_tps + completion_tokens / self.gen_tps


def summarise_limit(timings: Sequence[Timings]) -> Limit:
    """Medians of several runs of the fixed request."""
    prompt = median(t.prompt_per_second for t in timings)
    gen = median(t.predicted_per_second for t in timings)
    if prompt is None or gen is None:
        raise ConfigError("the server's timings report no time spent: cannot measure its speed")
    return Limit(prompt, gen, len(timings), median(t.prompt_n for t in timings) or 0.0)


@dataclass
class Pass:
    """One prompt over the articles, once: what it cost and how well it did."""

    label: str
    articles: int
    wall_s: float
    latencies: list[float]  # seconds of each article that succeeded
    prompt_tokens: int
    completion_tokens: int
    calls: int
    processed_tokens: int | None  # llama-server's prompt_n summed; None without timings
    failed: int
    joint_f1: float | None
    alone_s: float | None = None  # one article run by itself (slots measurement)

    def figures(self, limit: Limit | None = None) -> dict[str, float | None]:
        """The figures of the tables, per article where it says so."""
        n = self.articles
        done = max(1, n - self.failed)
        per_article = self.wall_s / n if n else None
        completion = self.completion_tokens / done
        processed = self.processed_tokens / done if self.processed_tokens is not None else None
        floor = None
        if limit is not None:
            prompt = processed if processed is not None else self.prompt_tokens / done
            floor = limit.floor_s(prompt, completion)
        return {
            "s_per_article": per_article,
            "articles_per_hour": 3600 / per_article if per_article else None,
            "latency_s": median(self.latencies),
            "alone_s": self.alone_s,
            "prompt_tokens": self.prompt_tokens / done,
            "processed_tokens": processed,
            "completion_tokens": completion,
            "calls": self.calls / done,
            "gen_tps": self.completion_tokens / self.wall_s if self.wall_s else None,
            "prompt_tps": self.prompt_tokens / self.wall_s if self.wall_s else None,
            "processed_tps": (
                self.processed_tokens / self.wall_s
                if self.processed_tokens is not None and self.wall_s
                else None
            ),
            "wall_s": self.wall_s,
            "failed": float(self.failed),
            "joint_f1": self.joint_f1,
            "floor_s": floor,
            "over_floor": ratio(per_article, floor),
        }


def median_figures(passes: Sequence[Pass], limit: Limit | None = None) -> dict[str, float | None]:
    """Each figure's median over the repeats."""
    rows = [p.figures(limit) for p in passes]
    return {key: median(row[key] for row in rows) for key in rows[0]}


def ratios(figures: dict[str, float | None], base: dict[str, float | None]) -> dict[str, Any]:
    """Every figure as a ratio to the baseline's."""
    return {key: ratio(value, base.get(key)) for key, value in figures.items()}


# --- tables ---------------------------------------------------------------------------------

#: (figure, column header, decimals)
Column = tuple[str, str, int]
#: (label, figures) per system
Rows = list[tuple[str, dict[str, Any]]]

PROMPT_COLUMNS: list[Column] = [
    ("s_per_article", "s/article", 1),
    ("articles_per_hour", "articles/h", 1),
    ("latency_s", "latency s", 1),
    ("prompt_tokens", "prompt tok", 0),
    ("processed_tokens", "processed tok", 0),
    ("completion_tokens", "completion tok", 0),
    ("calls", "calls", 1),
    ("joint_f1", "joint F1", 3),
]
SLOT_COLUMNS: list[Column] = [
    ("wall_s", "wall s", 1),
    ("gen_tps", "gen tok/s", 2),
    ("prompt_tps", "prompt tok/s", 1),
    ("processed_tps", "processed tok/s", 1),
    ("articles_per_hour", "articles/h", 1),
    ("alone_s", "1 article alone s", 1),
    ("joint_f1", "joint F1", 3),
]
FLOOR_COLUMNS: list[Column] = [
    ("s_per_article", "measured s/article", 1),
    ("floor_s", "floor s/article", 1),
    ("over_floor", "measured / floor", 2),
]


#: issue 17's targets: seconds per article against the baseline's, prompt tokens per
#: article, articles/hour of the best slot count against one slot's
TARGET_SECONDS_RATIO = 1.5
TARGET_PROMPT_TOKENS = 12_000
TARGET_SLOTS_SPEEDUP = 2.0


def verdict(value: float | None, target: float, *, at_most: bool) -> str:
    """Whether ``value`` meets ``target`` (at most it, or at least it)."""
    if value is None:
        return "unknown"
    return "met" if (value <= target if at_most else value >= target) else "MISSED"


def prompt_targets(rows: Rows) -> list[str]:
    """One line per prompt after the baseline: issue 17's targets, met or missed."""
    (base_label, base), others = rows[0], rows[1:]
    lines = []
    for label, f in others:
        speed = ratio(f["s_per_article"], base["s_per_article"])
        tokens = f["prompt_tokens"]
        lines.append(
            f"- {label}: s/article {times(speed)} {base_label}'s"
            f" (target ≤ {TARGET_SECONDS_RATIO}×): "
            + verdict(speed, TARGET_SECONDS_RATIO, at_most=True)
            + f"; prompt tokens/article {number(tokens, 0)}"
            f" (target ≤ {TARGET_PROMPT_TOKENS:,}): "
            + verdict(tokens, TARGET_PROMPT_TOKENS, at_most=True)
            + f"; joint F1 {number(f['joint_f1'], 3)} ({base_label}:"
            f" {number(base['joint_f1'], 3)})"
        )
    return lines


def slot_target(rows: Rows) -> str:
    """The best row's articles/hour against the first row's (issue 17: at least 2×)."""
    base_label, base = rows[0]
    label, best = max(rows, key=lambda row: row[1]["articles_per_hour"] or 0.0)
    gain = ratio(best["articles_per_hour"], base["articles_per_hour"])
    return (
        f"- best: {label}, articles/h {times(gain)} {base_label}'s"
        f" (target ≥ {TARGET_SLOTS_SPEEDUP}×): "
        + verdict(gain, TARGET_SLOTS_SPEEDUP, at_most=False)
    )


def number(value: float | None, decimals: int) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def figures_table(rows: Rows, columns: Sequence[Column]) -> str:
    """One row per system: its figures."""
    header = ["", *(title for _, title, _ in columns)]
    body = [[label, *(number(f[key], d) for key, _, d in columns)] for label, f in rows]
    return md_table(header, body, "l" + "r" * len(columns))


def ratios_table(rows: Rows, columns: Sequence[Column]) -> str:
    """One row per system: its figures as ratios to the first row's."""
    base = rows[0][1]
    header = ["", *(title for _, title, _ in columns)]
    body = [[label, *(times(ratios(f, base)[key]) for key, _, _ in columns)] for label, f in rows]
    return md_table(header, body, "l" + "r" * len(columns))


# --- live runs --------------------------------------------------------------------------------


class ObservedExtractor(Extractor):
    """An extractor that keeps the server's ``timings`` of every answer, per article.

    The orchestrator hands each article the run's model; this wraps it in a
    :class:`~claimx.llm.layers.UsageMeter` whose listener reads the extra
    ``timings`` field llama-server puts in each completion body.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timings: dict[str, list[Timings | None]] = {}

    async def aextract(
        self, text: str, *, article_id: str = "article", llm: Model | None = None
    ) -> ExtractionResult:
        if llm is None:
            raise ConfigError("an observed extraction needs the run's model")
        seen = self.timings.setdefault(article_id, [])

        def on_call(answer: Completion[BaseModel]) -> None:
            extra = getattr(answer.response, "model_extra", None)
            seen.append(parse_timings(extra))

        observed = UsageMeter(llm, on_call=on_call)
        return await super().aextract(text, article_id=article_id, llm=observed)

    def processed_tokens(self) -> int | None:
        """Prompt tokens the server processed in every call so far; None if one had no timings."""
        calls = [t for seen in self.timings.values() for t in seen]
        if not calls or any(t is None for t in calls):
            return None
        return sum(t.prompt_n for t in calls if t is not None)


def gold_items(gold: Path | None, articles: int) -> list[GoldItem]:
    items = load_gold(gold or eval_dir() / "gold")
    if articles < 1 or articles > len(items):
        raise ConfigError(f"--articles takes 1 to {len(items)} (the gold has {len(items)})")
    return items[:articles]


async def one_pass(
    label: str,
    spec: PromptSpec,
    config: ClientConfig,
    gold: Sequence[GoldItem],
    concurrency: int,
    folder: Path,
) -> Pass:
    """``spec`` over ``gold``, live, no response cache, ``concurrency`` requests in flight."""
    extractor = ObservedExtractor(spec, config=config)
    output = folder / f"{time.monotonic_ns()}.jsonl"
    items = [InputItem(g.source, Article(id=g.article_id, text=g.text)) for g in gold]
    options = BatchOptions(concurrency=concurrency, output=output, durable=False)
    started = time.perf_counter()
    stats = await run_jobs([Job(extractor, items, options, total=len(items))])
    wall = time.perf_counter() - started
    results: list[ExtractionResult] = []
    joint = None
    if output.stat().st_size:  # load_runs needs one result to know the system
        (run,) = load_runs([output], list(gold))
        results = [a.result for a in run.articles if a.result is not None]
        joint = score_system(run).metrics["joint_f1"]
        for failed in (a for a in run.articles if a.result is None):
            say(f"{label}: {failed.article_id} failed: {failed.error}")
    elif stats.failed and (errors := options.errors_path()) is not None:
        first = json.loads(errors.read_text(encoding="utf-8").splitlines()[0])
        say(f"{label}: every article failed, the first with {first['message']}")
    return Pass(
        label=label,
        articles=len(items),
        wall_s=wall,
        latencies=[r.latency_s for r in results],
        prompt_tokens=sum(r.usage.prompt_tokens for r in results),
        completion_tokens=sum(r.usage.completion_tokens for r in results),
        calls=sum(r.usage.calls for r in results),
        processed_tokens=extractor.processed_tokens(),
        failed=stats.failed,
        joint_f1=joint,
    )


def say(text: str) -> None:
    print(f"[bench_live] {text}", file=sys.stderr, flush=True)


def compare_prompts(
    specs: Sequence[PromptSpec],
    config: ClientConfig,
    gold: Sequence[GoldItem],
    *,
    repeat: int,
    concurrency: int,
) -> dict[str, list[Pass]]:
    """Every prompt over the articles ``repeat`` times, alternating: ref -> its passes."""
    passes: dict[str, list[Pass]] = {spec.ref: [] for spec in specs}
    with tempfile.TemporaryDirectory(prefix="claimx-bench-live-") as folder:
        for r, spec in alternate(specs, repeat):
            done = asyncio.run(one_pass(spec.ref, spec, config, gold, concurrency, Path(folder)))
            passes[spec.ref].append(done)
            say(f"repeat {r + 1}/{repeat} {spec.ref}: {done.wall_s:.1f} s, {done.failed} failed")
    return passes


# --- slots --------------------------------------------------------------------------------

#: restarts the server with this many slots (the default runs scripts/local-llm.sh)
Restart = Callable[[int], None]


#: a command line and the environment it adds
Command = tuple[list[str], dict[str, str]]


def restart_commands(script: Path, slots: int, base_url: str) -> list[Command]:
    """The two commands that restart the local server with ``slots`` slots on its port."""
    env = {"CLAIMX_LLM_SLOTS": str(slots)}
    if (port := urlsplit(base_url).port) is not None:
        env["CLAIMX_LLM_PORT"] = str(port)
    return [([str(script), "stop"], env), ([str(script), "start"], env)]


def script_restart(script: Path, base_url: str) -> Restart:
    def restart(slots: int) -> None:
        for argv, env in restart_commands(script, slots, base_url):
            subprocess.run(argv, env={**os.environ, **env}, check=True)
        if (found := server_slots(base_url)) != slots:
            raise ConfigError(
                f"restarted with {slots} slot(s) but {base_url} reports {found}: is another"
                " server on that port? see the server's log (scripts/local-llm.sh)"
            )

    return restart


@dataclass
class SlotRow:
    """One slot count (or, without restarts, one concurrency) and its passes."""

    label: str
    slots: int | None
    concurrency: int
    passes: list[Pass] = field(default_factory=list)

    @property
    def title(self) -> str:
        slots = "?" if self.slots is None else str(self.slots)
        return f"{slots} slot(s) × concurrency {self.concurrency}"


def sweep_slots(
    specs: Sequence[PromptSpec],
    config: ClientConfig,
    gold: Sequence[GoldItem],
    counts: Sequence[int],
    *,
    repeat: int,
    restart: Restart | None,
) -> dict[str, list[SlotRow]]:
    """Every prompt at each count, the counts alternating over ``repeat`` runs: ref -> rows.

    With ``restart``, the server is restarted once per count and run, and put
    back to the slot count it reported before, however the sweep ends.
    """
    base_url = config.base_url or ""
    rows = {
        spec.ref: [
            SlotRow(f"{n} slot(s)" if restart else f"concurrency {n}", None, n) for n in counts
        ]
        for spec in specs
    }
    before = server_slots(base_url) if restart is not None else None
    try:
        with tempfile.TemporaryDirectory(prefix="claimx-bench-live-") as folder:
            for r, k in alternate(range(len(counts)), repeat):
                if restart is not None:
                    say(f"restarting the server with {counts[k]} slot(s)")
                    restart(counts[k])
                    warm_up(config)
                slots = server_slots(base_url)
                for spec in specs:
                    row = rows[spec.ref][k]
                    row.slots = slots
                    run = asyncio.run(
                        one_pass(row.label, spec, config, gold, row.concurrency, Path(folder))
                    )
                    alone = asyncio.run(
                        one_pass(row.label, spec, config, gold[:1], row.concurrency, Path(folder))
                    )
                    run.alone_s = alone.wall_s
                    row.passes.append(run)
                    say(
                        f"repeat {r + 1}/{repeat} {spec.ref} {row.label}: {run.wall_s:.1f} s,"
                        f" one article alone {alone.wall_s:.1f} s"
                    )
    finally:
        if restart is not None and before is not None:
            say(f"putting the server back to {before} slot(s)")
            restart(before)
    return rows


# --- the physical limit --------------------------------------------------------------------


def limit_body(model: str, text: str, max_tokens: int) -> dict[str, Any]:
    """A fixed request the server answers from scratch: no prompt cache, exactly max_tokens."""
    return {
        "model": model,
        "messages": [{"role": "user", "content": f"{text}\n\n{LIMIT_INSTRUCTION}"}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "cache_prompt": False,  # llama-server: process the whole prompt again
        "ignore_eos": True,  # llama-server: generate all max_tokens
    }


def post_json(config: ClientConfig, body: dict[str, Any]) -> Any:
    url = (config.base_url or "").rstrip("/") + "/chat/completions"
    headers = {"content-type": "application/json"}
    if key := config.resolved_api_key():
        headers["authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=config.timeout_s) as response:  # noqa: S310
        return json.loads(response.read())


def warm_up(config: ClientConfig) -> None:
    """One tiny request, so that no measured pass pays for a cold server."""
    post_json(
        config,
        {"model": config.model, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1},
    )


def measure_limit(
    config: ClientConfig, text: str, *, repeat: int, max_tokens: int
) -> tuple[Limit, list[Timings]]:
    """The server's prompt and generation speeds, one request at a time (after a warm-up)."""
    body = limit_body(config.model, text, max_tokens)
    runs: list[Timings] = []
    for r in range(repeat + 1):
        timings = parse_timings(post_json(config, body))
        if timings is None:
            raise ConfigError(
                f"{config.base_url} answers without llama-server's timings: --limit needs"
                " llama-server (scripts/local-llm.sh)"
            )
        if r:  # the first one warms the server up
            runs.append(timings)
            say(
                f"limit run {r}/{repeat}: prompt {timings.prompt_per_second or 0:.1f} tok/s,"
                f" generation {timings.predicted_per_second or 0:.2f} tok/s"
            )
    return summarise_limit(runs), runs


# --- main -------------------------------------------------------------------------------------


def print_section(title: str, rows: Rows, columns: list[Column]) -> None:
    print(f"\n## {title}\n")
    print(figures_table(rows, columns))
    print(f"\nAs ratios to {rows[0][0]} (measured in the same run):\n")
    print(ratios_table(rows, columns))


def print_floor(rows: Rows, limit: Limit, processed: bool) -> None:
    print("\n## Against the physical limit\n")
    print(
        f"One request stream, median of {limit.runs} runs of a {limit.prompt_n:.0f}-token prompt"
        f" with no prompt cache: prompt processing {limit.prompt_tps:.1f} tok/s, generation"
        f" {limit.gen_tps:.2f} tok/s.\n"
    )
    print(figures_table(rows, FLOOR_COLUMNS))
    if processed:
        print("\nfloor = processed prompt tokens / prompt tok/s + completion tokens / gen tok/s.")
    else:
        print(
            "\nfloor = ALL prompt tokens / prompt tok/s + completion tokens / gen tok/s: the"
            " server's answers carried no timings, so its prompt cache is not accounted for."
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--prompt", action="append", help="a prompt ref; the first is the baseline")
    parser.add_argument("--articles", type=int, default=5, help="the first N gold articles")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, medians reported")
    parser.add_argument("--base-url", default=None, help="default: $OPENAI_BASE_URL")
    parser.add_argument("--model", default=os.environ.get("CLAIMX_MODEL", "local"))
    parser.add_argument("--gold", type=Path, default=None, help="default: eval/gold")
    parser.add_argument("--concurrency", type=int, default=None, help="default: the server's slots")
    parser.add_argument("--slots", default=None, help="e.g. 1,2,4: measure each slot count")
    parser.add_argument(
        "--no-restart", action="store_true", help="--slots: keep the server, vary concurrency only"
    )
    parser.add_argument("--server-script", type=Path, default=SERVER_SCRIPT)
    parser.add_argument("--limit", action="store_true", help="measure the server's own speeds")
    parser.add_argument("--limit-tokens", type=int, default=128, help="max_tokens of --limit")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat takes at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config = ClientConfig.from_env(model=args.model, base_url=args.base_url)
    registry = default_registry()
    specs = [registry.get(ref) for ref in args.prompt or ["extract@v1", "latest"]]
    gold = gold_items(args.gold, args.articles)
    report: dict[str, Any] = {"base_url": config.base_url, "model": config.model}
    say(f"LIVE against {config.base_url}, model {config.model}, {len(gold)} article(s)")
    warm_up(config)

    limit = None
    if args.limit:
        longest = max(gold, key=lambda g: len(g.text)).text
        limit, runs = measure_limit(
            config, longest, repeat=args.repeat, max_tokens=args.limit_tokens
        )
        report["limit"] = {"summary": asdict(limit), "runs": [asdict(t) for t in runs]}

    sections: list[tuple[str, Rows, list[Column]]] = []
    all_passes: list[Pass] = []
    if args.slots:
        counts = parse_counts(args.slots)
        restart = None
        if not args.no_restart:
            if not config.is_local:
                raise ConfigError("--slots restarts a local server: use --no-restart elsewhere")
            restart = script_restart(args.server_script, config.base_url or "")
        swept = sweep_slots(specs, config, gold, counts, repeat=args.repeat, restart=restart)
        for ref, rows in swept.items():
            table = [(row.title, median_figures(row.passes, limit)) for row in rows]
            title = f"{ref}: server slots × claimx concurrency, {len(gold)} article(s)"
            sections.append((f"{title}, {args.repeat} run(s)", table, SLOT_COLUMNS))
            all_passes += [p for row in rows for p in row.passes]
    else:
        concurrency = args.concurrency or default_concurrency(config)
        say(f"concurrency {concurrency}")
        passes = compare_prompts(specs, config, gold, repeat=args.repeat, concurrency=concurrency)
        table = [(ref, median_figures(runs, limit)) for ref, runs in passes.items()]
        title = f"Prompts, concurrency {concurrency}, {len(gold)} article(s), {args.repeat} run(s)"
        sections.append((title, table, PROMPT_COLUMNS))
        all_passes = [p for runs in passes.values() for p in runs]

    for title, table, columns in sections:
        print_section(title, table, columns)
        targets = prompt_targets(table) if columns is PROMPT_COLUMNS else [slot_target(table)]
        print("\nIssue 17's targets:\n\n" + "\n".join(targets))
        if limit is not None:
            processed = all(p.processed_tokens is not None for p in all_passes)
            print_floor(table, limit, processed)
    report["sections"] = [{"title": t, "rows": dict(rows)} for t, rows, _ in sections]
    report["passes"] = [asdict(p) for p in all_passes]
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
