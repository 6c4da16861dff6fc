"""End-to-end benchmark on PolNeAR dev: a strategy's detection of attributions.

    python benchmarks/bench_polnear.py ~/src/PolNeAR --prompt latest --n 24
    python benchmarks/bench_polnear.py ~/src/PolNeAR --prompt extract@v1 --prompt extract@v4 \\
        --prompt latest --n 24               # the same articles, side by side
    python benchmarks/bench_polnear.py ~/src/PolNeAR --n 24 --sample-only   # just the gold
    python benchmarks/bench_polnear.py ~/src/PolNeAR --prompt extract@v10 --tagger --n 20
                                             # and the tagger alone (no model) beside it
                                             # (--tagger encoder / bilstm: [encoder] extra)

Not part of CI: the corpus is not shipped (point it at your own checkout of
``networkdynamics/PolNeAR``; see ../shared/DATASETS.md). It reports on the
``dev`` split; ``--split train`` runs the same on train articles, the split to
study errors and tune on. ``test`` is held out and never read.

What it does:

1. converts the split (:mod:`claimx.datasets.polnear`) and takes N articles: the
   articles of at most ``--max-chars`` characters, in the order of the sha256
   of their id (a fixed pseudo-random sample, not the first publishers in
   alphabetical order);
2. writes them as gold JSONL (``<out>/gold.jsonl``);
3. for each prompt, runs ``claimx extract`` over them against the configured
   server (``OPENAI_BASE_URL``, e.g. ``scripts/local-llm.sh start``) with a
   response cache (``--cache-dir``): an interrupted run resumes where it
   stopped, and a finished one re-runs without a model call (``--fresh``
   extracts every article again, so a code change after the run is scored);
4. prints the detection report (:mod:`claimx.eval.detection`) of every
   prompt's results JSONL that exists, over the articles every prompt has
   finished, side by side with bootstrap intervals (``--score-only`` skips 3);
   ``--tagger`` adds the attribution tagger alone as a system (no model: each
   tagged attribution is a claim, :func:`claimx.tagging.as_result`; its stage
   one is its own attributions), so the report shows what the model adds.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.datasets.cli import write_jsonl  # noqa: E402
from claimx.datasets.polnear import convert_split  # noqa: E402
from claimx.models import GoldRecord  # noqa: E402
from claimx.runs.outputs import errors_file  # noqa: E402
from claimx.tagging.tagger import Family  # noqa: E402
from claimx.text.spans import Span  # noqa: E402


def sample(checkout: Path, n: int, max_chars: int, split: str = "dev") -> list[GoldRecord]:
    """N articles of ``split`` of at most ``max_chars``, in sha256-of-id order."""
    records = convert_split(checkout, split).records
    short = [r for r in records if len(r.text) <= max_chars]
    short.sort(key=lambda r: hashlib.sha256(r.id.encode()).hexdigest())
    return short[:n]


def results_path(out: Path, prompt: str) -> Path:
    return out / f"{prompt.replace('@', '_')}.jsonl"


def run_prompt(gold: Path, out: Path, prompt: str, cache_dir: Path, *, fresh: bool) -> int:
    """``claimx extract`` over the sample; resumes from its own output file.

    ``fresh``: the output file is removed first, so every article is extracted
    again by the code as it is now, its cached requests answered by the cache.
    """
    if fresh:
        for stale in (results_path(out, prompt), errors_file(results_path(out, prompt))):
            stale.unlink(missing_ok=True)
    cmd = [
        sys.executable, "-m", "claimx", "extract", str(gold), "--prompt", prompt,
        "-o", str(results_path(out, prompt)), "--cache-dir", str(cache_dir),
    ]  # fmt: skip
    print("$", " ".join(cmd), flush=True)
    return subprocess.call(cmd, env=os.environ.copy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path, help="PolNeAR checkout (or its data/ folder)")
    parser.add_argument("--prompt", action="append", default=None)
    parser.add_argument("--n", type=int, default=24)
    parser.add_argument("--max-chars", type=int, default=12_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/claimx-polnear"))
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--sample-only", action="store_true")
    parser.add_argument("--score-only", action="store_true")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="extract every article again (cached requests call no model): after a code change",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--tagger",
        action="append",
        nargs="?",
        const="crf",
        choices=list(TAGGERS),
        help="also score a tagger alone (no model): crf (the default), encoder or bilstm;"
        " repeatable",
    )
    parser.add_argument(
        "--split",
        choices=["dev", "train"],
        default="dev",
        help="dev to report on; train to study errors and tune (test is held out)",
    )
    args = parser.parse_args()
    prompts = args.prompt or ["latest"]
    args.out.mkdir(parents=True, exist_ok=True)
    gold = args.out / "gold.jsonl"
    records = sample(args.checkout, args.n, args.max_chars, args.split)
    write_jsonl(records, gold)
    chars = sum(len(r.text) for r in records)
    print(f"{len(records)} {args.split} articles, {chars:,} characters -> {gold}", flush=True)
    if args.sample_only:
        return
    cache_dir = args.cache_dir or args.out / "cache"
    if not args.score_only:
        for prompt in prompts:
            run_prompt(gold, args.out, prompt, cache_dir, fresh=args.fresh)
    taggers = [TAGGERS[f] for f in dict.fromkeys(args.tagger or [])]
    for family in dict.fromkeys(args.tagger or []):
        write_tagger_results(records, results_path(args.out, TAGGERS[family]), family)
    score(gold, prompts + taggers, args.out, seed=args.seed)


TAGGERS: dict[Family, str] = {
    "crf": "tagger",
    "encoder": "tagger-encoder",
    "bilstm": "tagger-bilstm",
}
"""The name each tagger alone (no model) has among the systems."""


def write_tagger_results(records: list[GoldRecord], path: Path, family: Family) -> None:
    """The tagger's attributions of every article as results (no model), timed."""
    import time

    from claimx.tagging import as_result, tag

    tag("Loaded once, before the clock starts, she said.", family=family)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            started = time.perf_counter()
            found = tag(record.text, family=family)
            result = as_result(
                record.text,
                found,
                article_id=record.id,
                model=TAGGERS[family],
                latency_s=round(time.perf_counter() - started, 4),
            )
            out.write(result.model_dump_json() + "\n")


def score(gold_path: Path, prompts: list[str], out: Path, *, seed: int) -> None:
    """The detection report of every prompt's saved results, on the articles all have done."""
    from rich.console import Console

    from claimx.eval.detection import detection_report, load_results, prompt_candidates
    from claimx.eval.gold import load_gold
    from claimx.eval.reports.detection import print_detection

    gold = load_gold(gold_path)
    results = {p: load_results(results_path(out, p)) for p in prompts}
    done = [g for g in gold if all(g.article_id in r for r in results.values())]
    if not done:
        sys.exit(f"no article finished by every prompt in {out}: run without --score-only first")
    candidates = {p: prompt_candidates(p) for p in prompts if p not in TAGGERS.values()}
    for family, name in TAGGERS.items():
        if name in prompts:  # a tagger's stage one is its own attributions
            candidates[name] = partial(_tagged_spans, family=family)
    report = detection_report(done, results, candidates=candidates, seed=seed)
    print(f"scored on the {len(done)} of {len(gold)} articles that every prompt has finished")
    print_detection(report, Console(width=200))


def _tagged_spans(text: str, family: Family) -> list[Span]:
    from claimx.tagging import tag

    return [a.span for a in tag(text, family=family)]


if __name__ == "__main__":
    main()
