"""Speaker resolution time against article size (issue 15, item 6).

    python benchmarks/bench_speakers.py [--sizes 0.1 0.5 1 2] [--runs 3] [--baseline-rev 706d791]

Builds a synthetic news article of each size (MB): paragraphs quoting many
people, each introduced by role and full name, then referred to by surname,
"Mr <surname>", a transliterated first name or a bare descriptor, the way a
long article (or a chunked one, whose claims come back from many model calls)
reads. The claims' speaker strings are resolved with
:func:`claimx.speakers.resolve_speakers` over the whole text. Prints the median
of ``--runs`` timings per size and the growth exponent between sizes (1.0 is
linear, 2.0 quadratic). With ``--baseline-rev`` the resolver of that git
revision is timed on the sizes up to ``--baseline-max`` MB in the same run and
the speed-up is printed as a ratio.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

from claimx.speakers import resolve_speakers

Mentions = list[tuple[str, str | None]]
Resolver = Callable[[Mentions, str], object]

FIRST = ["Dmitry", "Antony", "Olena", "John", "Maria", "Sergei", "Anna", "Mikhail", "Oleksiy"]
VARIANT = {"Dmitry": "Dmitri", "Sergei": "Sergey", "Mikhail": "Mihail", "Oleksiy": "Oleksii"}
SYLLABLES = ["ko", "va", "len", "ski", "ro", "mat", "dor", "bel", "nik", "sha", "tov", "ver"]
ORGS = ["Kremlin", "Pentagon", "State Department", "Defense Ministry", "NATO", "White House"]
ROLES = ["spokesman", "adviser", "minister", "envoy", "official", "press secretary"]
FILLER = (
    "The statement came as officials in several capitals weighed their response to the"
    " latest strikes, which local authorities said had damaged power lines and roads."
)


def synthetic_article(size_bytes: int, seed: int = 0) -> tuple[str, Mentions]:
    """An article of about ``size_bytes`` characters and its claims' speaker strings."""
    rng = random.Random(seed)
    people: list[tuple[str, str, str]] = []  # first, last, descriptor
    paragraphs: list[str] = []
    mentions: Mentions = []
    size = 0
    while size < size_bytes:
        if not people or rng.random() < 0.25:  # a new person, introduced in full
            last = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            person = (rng.choice(FIRST), last, f"{rng.choice(ORGS)} {rng.choice(ROLES)}")
            people.append(person)
            first, last, role = person
            paragraph = f"“We will not be drawn into this,” said {role} {first} {last}."
            mention: tuple[str, str | None] = (f"{first} {last}", role)
        else:
            first, last, role = rng.choice(people[-40:])  # recent people come back
            form = rng.randrange(4)
            if form == 0:
                paragraph = f"{last} told reporters the talks had stalled. {FILLER}"
                mention = (last, None)
            elif form == 1:
                paragraph = f"Mr {last}, the {role}, denied that any deal was close."
                mention = (f"Mr {last}", None)
            elif form == 2:
                written = VARIANT.get(first, first)
                paragraph = f"“Nothing has changed,” {written} {last} said on Friday. {FILLER}"
                mention = (f"{written} {last}", None)
            else:
                paragraph = f"“The door remains open,” the {role} added. {FILLER}"
                mention = (f"the {role}", None)
        paragraphs.append(paragraph)
        mentions.append(mention)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs), mentions


def _load_resolver(rev: str) -> Resolver:
    """``resolve_speakers`` of git revision ``rev`` (speakers/names.py + speakers/resolve.py)."""
    root = Path(__file__).resolve().parents[1]

    def source(path: str) -> str:
        return subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=root, capture_output=True, text=True, check=True
        ).stdout

    names = types.ModuleType("_baseline_names")
    exec(compile(source("claimx/speakers/names.py"), "baseline names", "exec"), names.__dict__)
    sys.modules["_baseline_names"] = names
    resolve_src = source("claimx/speakers/resolve.py").replace(
        "from claimx.speakers.names import", "from _baseline_names import"
    )
    resolve = types.ModuleType("_baseline_resolve")
    sys.modules["_baseline_resolve"] = resolve
    exec(compile(resolve_src, "baseline resolve", "exec"), resolve.__dict__)
    fn: Resolver = resolve.__dict__["resolve_speakers"]
    return fn


def _median_time(fn: Resolver, mentions: Mentions, text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(mentions, text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1.0, 2.0])
    parser.add_argument("--runs", type=int, default=3, help="timings per size (median)")
    parser.add_argument("--baseline-rev", default="706d791", help="'' to skip the baseline")
    parser.add_argument("--baseline-max", type=float, default=0.5, help="largest baseline MB")
    args = parser.parse_args()
    baseline = _load_resolver(args.baseline_rev) if args.baseline_rev else None

    print(
        f"{'MB':>5} {'mentions':>9} {'claimx s':>9} {'growth':>7} {'baseline s':>11} {'ratio':>7}"
    )
    previous: tuple[float, float] | None = None
    for mb in args.sizes:
        text, mentions = synthetic_article(int(mb * 1_000_000))
        new = _median_time(resolve_speakers, mentions, text, args.runs)
        growth = ""
        if previous is not None:
            growth = f"{math.log(new / previous[1]) / math.log(mb / previous[0]):.2f}"
        previous = (mb, new)
        old_s = ratio = ""
        if baseline is not None and mb <= args.baseline_max:
            old = _median_time(baseline, mentions, text, max(1, args.runs // 2))
            if baseline(mentions, text) != resolve_speakers(mentions, text):
                raise SystemExit(f"the baseline resolves the {mb} MB article differently")
            old_s, ratio = f"{old:.3f}", f"{old / new:.1f}x"
        print(f"{mb:5.2f} {len(mentions):9d} {new:9.3f} {growth:>7} {old_s:>11} {ratio:>7}")


if __name__ == "__main__":
    main()
