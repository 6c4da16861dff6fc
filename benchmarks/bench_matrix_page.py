"""Is the stance-matrix page still usable with 500 articles? Size and speed in headless Chromium.

    python benchmarks/bench_matrix_page.py [--articles 500] [--repeat 5]

Builds a synthetic consolidation of N articles (named as synthetic: made-up
propositions, sources and quotes, about 25 claims per article, the shape of
the gold), renders it with :func:`claimx.consolidate.html.render_html`, and times
in the system's Chromium (``/usr/bin/chromium``, Playwright for Python, the
``[browser]`` extra): opening the page from ``file://`` until the first page
of rows is drawn, typing a search, changing the minimum articles, turning a
page, and clicking a cell until its quotes are shown. The baseline, measured
in the same run, is the same page for the 5 gold articles of ``eval/gold``;
every figure is the median of ``--repeat`` runs and is also given as a ratio
to that baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from claimx.consolidate.affiliation import affiliations
from claimx.consolidate.build import consolidate
from claimx.consolidate.html import render_html
from claimx.consolidate.inputs import load_claims, load_texts
from claimx.consolidate.model import Cell, Consolidation, Evidence, PropositionGroup
from claimx.models import STANCES, Speaker

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
COUNTRIES = ["United States", "Russia", "Ukraine", "United Kingdom", "China", "France", "Germany"]
WORDS = (
    "drone attack strike Kremlin Washington Kyiv aid package sanctions talks ceasefire border "
    "missile refinery parade tribunal army forces claims denies officials spokesman grain deal"
).split()


def synthetic(n_articles: int, seed: int = 0) -> Consolidation:
    """A made-up corpus with the gold's shape: ~25 claims per article, a long tail of
    propositions (most in one article, a few in many) and ~0.6 sources per article."""
    rng = random.Random(seed)
    articles = [f"synthetic-{i:04d}" for i in range(n_articles)]
    speakers = [
        Speaker(
            id=f"source-{k}",
            name=f"Synthetic Source {k}",
            role=f"spokesman for the {rng.choice(COUNTRIES)} government" if k % 3 else None,
        )
        for k in range(max(10, int(n_articles * 0.6)))
    ]
    n_claims = n_articles * 25
    n_groups = n_claims // 2
    members: dict[int, list[tuple[str, int, int]]] = {}
    for _ in range(n_claims):
        g = min(int(rng.paretovariate(1.1)) - 1, n_groups - 1)  # a few very shared ones
        g = g if rng.random() < 0.3 else rng.randrange(n_groups)
        members.setdefault(g, []).append(
            (rng.choice(articles), rng.randrange(len(speakers)), rng.randrange(3))
        )
    groups = []
    for g, items in members.items():
        proposition = " ".join(rng.choice(WORDS) for _ in range(9)).capitalize() + f" ({g})."
        by_speaker: dict[int, list[Evidence]] = {}
        for aid, s, stance in items:
            quote = " ".join(rng.choice(WORDS) for _ in range(14))
            start = rng.randrange(5000)
            by_speaker.setdefault(s, []).append(
                Evidence(
                    article_id=aid,
                    claim=proposition,
                    speaker=speakers[s].name,
                    stance=STANCES[stance],
                    quote=quote,
                    start=start,
                    end=start + len(quote),
                    direct=stance == 0,
                )  # fmt: skip
            )
        cells = [
            Cell(
                speaker_id=speakers[s].id,
                speaker=speakers[s].name,
                stances=sorted({e.stance for e in ev}, key=STANCES.index),
                mixed=len({e.stance for e in ev}) > 1,
                articles=sorted({e.article_id for e in ev}),
                evidence=ev,
            )
            for s, ev in by_speaker.items()
        ]
        groups.append(
            PropositionGroup(
                id=f"p-{g:010d}",
                proposition=proposition,
                variants=[proposition],
                articles=sorted({aid for aid, _, _ in items}),
                cells=cells,
            )
        )
    groups.sort(key=lambda x: (-len(x.articles), -len(x.cells), x.proposition))
    return Consolidation(
        method="synthetic",
        threshold=0.55,
        articles=articles,
        speakers=speakers,
        affiliations=affiliations(speakers),
        groups=groups,
    )


def gold_consolidation() -> Consolidation:
    gold = load_claims([ROOT / "eval" / "gold"])
    texts = load_texts(ROOT / "eval" / "articles", [a.article_id for a in gold])
    return consolidate(gold, texts=texts)


ROWS = "document.querySelectorAll('#matrix tbody tr[id]').length"


def one_run(page: Page, path: Path) -> dict[str, float]:
    """Milliseconds of each interaction on a fresh page."""
    out: dict[str, float] = {}

    def timed(name: str, *actions: Callable[[], object]) -> None:
        t = time.perf_counter()
        for action in actions:
            action()
        out[name] = (time.perf_counter() - t) * 1000

    timed(
        "open (file:// to first rows)",
        lambda: page.goto(path.as_uri()),
        lambda: page.wait_for_function(f"{ROWS} > 0"),
    )
    # The search input waits 120 ms for more keys; that wait is in the figure.
    timed(
        "search (type, rows redrawn)",
        lambda: page.fill("#q", "zzz-no-such-word"),
        lambda: page.wait_for_function(f"{ROWS} === 0"),
    )
    page.fill("#q", "")
    page.wait_for_function(f"{ROWS} > 0")
    timed("min articles (set, rows redrawn)", lambda: page.fill("#min-articles", "1"))
    timed("next page", lambda: page.click("#next"))
    timed(
        "click a cell (quotes shown)",
        lambda: page.locator("#matrix tbody button.cell").first.click(),
        lambda: page.wait_for_selector("#panel:not([hidden]) .quote"),
    )
    return out


def measure(path: Path, repeat: int) -> dict[str, float]:
    """Median milliseconds of each interaction over ``repeat`` fresh pages."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", args=FLAGS, headless=True,
            viewport={"width": 1400, "height": 900},
        )  # fmt: skip
        for _ in range(repeat):
            page = ctx.new_page()
            for name, ms in one_run(page, path).items():
                runs.setdefault(name, []).append(ms)
            page.close()
        ctx.close()
    return {k: statistics.median(v) for k, v in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = {}
        for name, build in (
            ("gold (5 articles)", gold_consolidation),
            (f"synthetic ({args.articles} articles)", lambda: synthetic(args.articles)),
        ):
            result = build()
            t = time.perf_counter()
            html = render_html(result)
            render_ms = (time.perf_counter() - t) * 1000
            path = Path(tmp) / f"{len(pages)}.html"
            path.write_text(html, encoding="utf-8")
            n_claims = sum(len(c.evidence) for g in result.groups for c in g.cells)
            print(
                f"{name}: {len(result.groups)} propositions, {len(result.speakers)} sources, "
                f"{n_claims} claims; page {path.stat().st_size / 1e6:.2f} MB, "
                f"rendered in {render_ms:.0f} ms (Python)"
            )
            pages[name] = measure(path, args.repeat)
        (base_name, base), (big_name, big) = pages.items()
        print(f"\nmedian of {args.repeat} runs, ms: {base_name} | {big_name} | ratio")
        for key in base:
            print(f"  {key:34} {base[key]:8.0f} | {big[key]:8.0f} | ×{big[key] / base[key]:.1f}")


if __name__ == "__main__":
    main()
