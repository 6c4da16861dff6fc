"""Both pages in a real browser, opened from file://: what a reader sees and what a click shows.

At a laptop's 1,400 px and a phone's 400 px: the page never scrolls sideways,
the eval report opens on its summary and its best system, its key to the
colours leaves the text readable, and a tapped highlight's gold and predicted
claims open next to it; both pages name articles by their headline; the
matrix's claim box finds the rows that state a claim typed in any words.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from claimx.consolidate.build import consolidate
from claimx.consolidate.html import render_html as render_matrix
from claimx.consolidate.inputs import load_claims, load_texts
from claimx.eval.reports import render_html as render_report
from claimx.html_page import article_title
from claimx.text.normalize import GROUPING, content_words

from ..eval.test_reports import REPORT
from .conftest import LAPTOP, PHONE, ROOT, Console, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

US = "The United States was involved in the drone attack on the Kremlin."
ARTICLES = ROOT / "eval" / "articles"
HEADLINES = {p.stem: article_title(p.read_text(encoding="utf-8")) for p in ARTICLES.glob("*.txt")}
#: prompt versions of the real report the tests open (recorded; not "every shipped one")
PROMPTS = ["extract@v1", "extract@v4", "extract@v8", "extract@v9"]


@pytest.fixture(scope="module")
def matrix_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stance matrix of the gold of eval/gold, as `claimx consolidate --html` writes it."""
    gold = load_claims([ROOT / "eval" / "gold"])
    texts = load_texts(ARTICLES, [a.article_id for a in gold])
    path = tmp_path_factory.mktemp("pages") / "matrix.html"
    path.write_text(render_matrix(consolidate(gold, texts=texts), texts=texts), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The eval report of four recorded prompt versions (page and JSON), as the eval writes it.

    In a subprocess: the eval runs an event loop, which Playwright's sync API forbids here.
    """
    folder = tmp_path_factory.mktemp("report")
    args = [f"--prompt={p}" for p in PROMPTS]
    html, data = folder / "report.html", folder / "report.json"
    subprocess.run(
        [sys.executable, "-m", "claimx.eval", *args, "--no-report", "--html", str(html),
         "--json", str(data)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    return html, json.loads(data.read_text(encoding="utf-8"))


def column(page: Page, label: str) -> int:
    """1-based index of the matrix column whose header starts with ``label``."""
    headers = page.locator("#matrix thead th")
    for i in range(headers.count()):
        if (headers.nth(i).text_content() or "").startswith(label):
            return i + 1
    raise AssertionError(f"no column {label!r}")


def cell(page: Page, proposition: str, label: str) -> Locator:
    row = page.locator("#matrix tbody tr", has=page.get_by_text(proposition, exact=True))
    return row.locator(f"td:nth-child({column(page, label)}) button.cell")


def articles_in_panel(page: Page) -> set[str]:
    """The ids of the articles the panel's quotes come from (each named by its headline)."""
    names = page.locator("#panel .quote .meta .article-name")
    found = set()
    for i in range(names.count()):
        name = names.nth(i)
        article_id = name.get_attribute("data-article") or ""
        assert name.get_attribute("title") == f"article {article_id}", "the id on hover"
        assert name.text_content() == HEADLINES[article_id], "named by its headline"
        found.add(article_id)
    return found


def page_width(page: Page) -> tuple[int, int]:
    """(how wide the page scrolls, how wide the window is) in CSS pixels."""
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return int(sizes[0]), int(sizes[1])


def test_matrix_shows_the_accusation_kremlin_side_supports_us_refutes(
    matrix_page: Path, page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    p.goto(matrix_page.as_uri())
    russia, united_states = cell(p, US, "Russia"), cell(p, US, "United States")
    assert "cell-supports" in (russia.get_attribute("class") or "")
    assert "cell-refutes" in (united_states.get_attribute("class") or "")
    assert p.locator("#panel").is_hidden()

    russia.click()
    panel = p.locator("#panel")
    assert panel.is_visible()
    assert panel.locator("#panel-title").text_content() == US
    assert "Dmitry Peskov" in (panel.text_content() or "")
    stances = set(panel.locator(".quote > .stance").all_text_contents())
    assert stances == {"supports"}
    assert len(articles_in_panel(p)) >= 3  # quotes from several articles
    screenshot(p, artifacts, "matrix-click-russia.png")

    p.locator("#panel-close").click()
    assert panel.is_hidden()
    united_states.click()
    assert set(panel.locator(".quote > .stance").all_text_contents()) == {"refutes"}
    assert "John Kirby" in (panel.text_content() or "")
    assert len(articles_in_panel(p)) >= 3
    screenshot(p, artifacts, "matrix.png", docs=True)
    assert console.errors == []


def test_matrix_names_articles_by_headline_in_its_article_filter(
    matrix_page: Path, page: tuple[Page, Console]
) -> None:
    p, console = page
    p.goto(matrix_page.as_uri())
    options = p.locator("#outlet option")
    shown = {options.nth(i).text_content(): options.nth(i).get_attribute("value")
             for i in range(1, options.count())}  # fmt: skip
    assert shown == {headline: article_id for article_id, headline in HEADLINES.items()}
    p.select_option("#outlet", label=HEADLINES["003_bf8676356dfce6f6"])
    assert "article Kremlin accuses Washington" in (p.locator("#status").text_content() or "")
    assert console.errors == []


def test_matrix_filters_search_and_columns(matrix_page: Path, page: tuple[Page, Console]) -> None:
    p, console = page
    p.goto(matrix_page.as_uri())

    def rows() -> int:
        return p.locator("#matrix tbody tr[id]").count()

    at_first = rows()
    assert at_first > 5
    p.fill("#min-articles", "5")
    assert 0 < rows() < at_first
    p.fill("#min-articles", "1")
    everything = rows()
    assert everything > at_first
    p.fill("#q", "Victory Day")
    p.wait_for_function("document.querySelectorAll('#matrix tbody tr[id]').length < 10")
    texts = p.locator("#matrix tbody tr[id] th").all_text_contents()
    assert texts and all("victory day" in t.lower() for t in texts)
    p.fill("#q", "")
    p.wait_for_function("document.querySelectorAll('#matrix tbody tr[id]').length > 10")
    p.select_option("#group-by", "source")
    assert p.locator("#matrix thead th", has_text="John Kirby").count() == 1
    p.select_option("#speaker", label="Rebekah Koffler")
    assert 0 < rows() <= 8
    assert console.errors == []


def ask(page: Page, claim: str) -> list[str]:
    """Type ``claim`` in the claim box; the propositions of the rows it highlights."""
    page.fill("#claim", claim)
    page.wait_for_function(
        "s => document.getElementById('claim-status').dataset.asked === s", arg=claim
    )
    return [
        page.locator("tr.claim-match .prop-text").nth(i).text_content() or ""
        for i in range(page.locator("tr.claim-match").count())
    ]


def test_matrix_claim_box_highlights_the_rows_that_state_a_claim_and_their_cells(
    matrix_page: Path, page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    p.goto(matrix_page.as_uri())
    # In other words than the row's, and negated: the row is found, read the other way round.
    assert ask(p, "Washington did not take part in the attack") == [US]
    first = p.locator("#matrix tbody tr[id]").first
    assert "claim-match" in (first.get_attribute("class") or ""), "the match comes first"
    assert "other way round" in (first.text_content() or "")
    assert "1 proposition states your claim" in (p.locator("#claim-status").text_content() or "")
    hits = first.locator("button.cell")
    assert hits.count() >= 2
    outline = hits.first.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline == "solid", "the row's cells are highlighted too"
    assert (
        p.locator("tr:not(.claim-match) button.cell").first.evaluate(
            "b => getComputedStyle(b).outlineStyle"
        )
        == "none"
    )
    screenshot(p, artifacts, "matrix-claim.png")
    # Two rows say it; the filters (at least 2 articles) would have hidden neither.
    assert sorted(ask(p, "victory day parade")) == sorted(
        t for t in p.locator(".prop-text").all_text_contents() if "Victory Day parade" in t
    )
    assert len(ask(p, "victory day parade")) == 2
    assert ask(p, "Putin was the target") == []
    assert "No proposition states this claim" in (p.locator("#claim-status").text_content() or "")
    assert ask(p, "") == [] and p.locator("#claim-status").text_content() == ""
    assert console.errors == []


def test_matrix_claim_words_are_claimx_own_content_words(
    matrix_page: Path, page: tuple[Page, Console]
) -> None:
    p, _ = page
    p.goto(matrix_page.as_uri())
    sentences = [
        US,
        "Washington was behind the Kremlin drone strike.",
        "The U.S. didn't take part; Kyiv's raid was a false flag, the White House said.",
        "Zelénsky’s forces can't have carried out the attacks, Moscow claims",
        "Peskov is lying about the $300 million package and 21 cities' parades.",
        "Russia will never decide, nor choose, what America encourages.",
    ]
    for text in sentences:
        assert p.evaluate("t => window.claimxContentWords(t)", text) == sorted(
            content_words(text, GROUPING)
        ), text


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1400px", "400px"])
def test_matrix_fits_the_window(
    viewport: dict[str, int], matrix_page: Path, page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    p.set_viewport_size(viewport)
    p.goto(matrix_page.as_uri())
    width, window = page_width(p)
    assert width <= window == viewport["width"]
    if viewport is PHONE:
        assert p.locator("#min-articles").is_hidden(), "the filters fold away on a phone"
        ask(p, "The US was behind the drone attack on the Kremlin")
        width, _ = page_width(p)
        assert width <= window
        p.locator("#status").scroll_into_view_if_needed()
        p.evaluate(
            "window.scrollBy(0, document.getElementById('status').getBoundingClientRect().top - 8)"
        )
        screenshot(p, artifacts, "matrix-phone.png", docs=True)
    else:
        assert p.locator("#min-articles").is_visible()
    assert console.errors == []


# --- the eval report -----------------------------------------------------------------


def open_everything(page: Page) -> None:
    """Every article and folded table open, in every system's tab."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1400px", "400px"])
def test_report_fits_the_window_wide_tables_scroll_in_their_box(
    viewport: dict[str, int],
    report_page: tuple[Path, dict[str, object]],
    page: tuple[Page, Console],
) -> None:
    p, console = page
    p.set_viewport_size(viewport)
    p.goto(report_page[0].as_uri())
    width, window = page_width(p)
    assert width <= window == viewport["width"]
    # Before: 14,729 px at 1,400 and 37,642 px at 400 for these four systems (27,463 and
    # 73,250 for the nine of the main job), their whole evidence in a row.
    height = p.evaluate("document.documentElement.scrollHeight")
    assert height < (9_000 if viewport is LAPTOP else 14_000), height
    tabs = p.locator(".tabs .tab")
    for i in range(tabs.count()):  # every system's evidence, every article open
        tabs.nth(i).click()
        open_everything(p)
        assert page_width(p)[0] <= window, tabs.nth(i).text_content()
    if viewport is PHONE:  # the summary is wider than a phone: it scrolls in its own box
        box = p.locator("#summary .table-scroll")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert console.errors == []


def test_report_opens_on_the_summary_and_the_best_system(
    report_page: tuple[Path, dict[str, object]], page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    path, data = report_page
    systems = data["systems"]
    assert isinstance(systems, list)
    best = max(systems, key=lambda s: s["metrics"]["joint_f1"])["label"]
    p.goto(path.as_uri())
    first_heading = p.locator("h2").first
    assert first_heading.text_content() == "Summary" and first_heading.is_visible()
    assert f"{best}: the highest joint F1" in (p.locator(".best-line").text_content() or "")
    best_row = p.locator(".summary-table tr.best")
    assert best_row.count() == 1 and best in (best_row.text_content() or "")
    # The evidence opens on the best system, its first article open, named by its headline.
    panels = p.locator("section.system:visible")
    assert panels.count() == 1
    assert best in (panels.locator("h3").text_content() or "")
    selected = p.locator('.tabs .tab[aria-selected="true"]')
    assert best in (selected.text_content() or "")
    articles = panels.locator("details.article")
    assert [articles.nth(i).get_attribute("open") is not None for i in range(articles.count())] == [
        True, *[False] * (articles.count() - 1)
    ]  # fmt: skip
    name = articles.first.locator("summary .article-name")
    article_id = (name.get_attribute("title") or "").removeprefix("article ")
    assert name.text_content() == HEADLINES[article_id]
    # Another system, one click away.
    p.locator(".tabs .tab", has_text="extract@v1").click()
    assert "extract@v1" in (p.locator("section.system:visible h3").text_content() or "")
    assert console.errors == []


def test_phone_key_to_the_colours_leaves_the_text_readable(
    report_page: tuple[Path, dict[str, object]], page: tuple[Page, Console]
) -> None:
    p, console = page
    p.set_viewport_size(PHONE)
    p.goto(report_page[0].as_uri())
    text = p.locator("section.system:visible details.article[open] .text")
    seg = text.locator(".seg").nth(8)
    seg.evaluate("s => s.scrollIntoView({block: 'start'})")
    key = p.locator("#hl-key").bounding_box()
    assert key is not None
    assert key["y"] == 0 and key["height"] <= 0.08 * PHONE["height"], key  # stuck, and small
    # Its first line: a highlight scrolled to the top (a link, a search) is below the key.
    line = seg.evaluate(
        "s => { const r = s.getClientRects()[0]; return [r.left, r.top, r.height]; }"
    )
    assert line[1] >= key["height"], "a highlight is not scrolled under the key"
    seen = p.evaluate(
        "([s, x, y]) => document.elementFromPoint(x, y).closest('mark.hl')"
        " === s.closest('mark.hl')",
        [seg.element_handle(), line[0] + 1, line[1] + line[2] / 2],
    )
    assert seen, "what shows there is the highlight, not the key"
    assert console.errors == []


def test_phone_tap_opens_gold_and_predicted_right_under_the_highlight(
    report_page: tuple[Path, dict[str, object]], page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    p.set_viewport_size(PHONE)
    p.goto(report_page[0].as_uri())
    article = p.locator("section.system:visible details.article[open]")
    seg = article.locator(".seg.speaker-error, .seg.stance-error").nth(1)
    seg.scroll_into_view_if_needed()
    seg.tap()
    card = article.locator(".inline-cmp")
    assert card.count() == 1 and card.is_visible()
    mark = seg.locator("xpath=ancestor::mark[1]").bounding_box()
    top = card.bounding_box()
    assert mark is not None and top is not None
    assert 0 <= top["y"] - (mark["y"] + mark["height"]) < 40, (mark, top)  # not 3,000 px below
    assert top["y"] < PHONE["height"], "on screen"
    content = card.text_content() or ""
    assert "gold" in content and "predicted" in content and "✗ wrong" in content
    screenshot(p, artifacts, "eval-report-phone.png", docs=True)
    card.locator(".cmp-close").click()
    assert article.locator(".inline-cmp").count() == 0
    assert console.errors == []


def test_laptop_click_shows_gold_and_predicted_beside_the_highlight(
    report_page: tuple[Path, dict[str, object]], page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    p.goto(report_page[0].as_uri())
    article = p.locator("section.system:visible details.article[open]")
    seg = article.locator(".seg.speaker-error, .seg.stance-error").nth(1)
    seg.scroll_into_view_if_needed()
    seg.click()
    p.locator("#evidence").evaluate("e => e.scrollIntoView()")  # the tabs, the article, its claims
    chosen = article.locator("tr.item.chosen")
    assert chosen.count() >= 1
    row, text, box = (
        chosen.first.bounding_box(),
        article.locator(".text").bounding_box(),
        seg.bounding_box(),
    )
    assert row is not None and text is not None and box is not None
    assert row["x"] >= text["x"] + text["width"], "beside the text"
    assert 0 <= row["y"] < LAPTOP["height"] and 0 <= box["y"] < LAPTOP["height"], "both in view"
    assert article.locator(".inline-cmp").count() == 0
    screenshot(p, artifacts, "eval-report.png", docs=True)
    assert console.errors == []


def test_eval_page_tap_shows_gold_and_predicted_side_by_side(
    tmp_path: Path, page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    path = tmp_path / "report.html"
    path.write_text(render_report(REPORT), encoding="utf-8")
    p.goto(path.as_uri())
    p.screenshot(path=str(artifacts / "report.png"), full_page=True)
    # The synthetic report's best system is extract@v2 (all right); v1's evidence is a tab away.
    p.locator(".tabs .tab", has_text="extract@v1").click()
    article = p.locator("section.system:visible details.article").first
    assert article.get_attribute("open") is not None
    rows = article.locator("tr.item")
    total = rows.count()
    assert total >= 3 and all(rows.nth(i).is_visible() for i in range(total))

    # A tap (touch, no hover) on the highlight of the matched claim with the wrong stance.
    article.locator(".seg.stance-error").first.tap()
    visible = [rows.nth(i) for i in range(total) if rows.nth(i).is_visible()]
    assert len(visible) == 1
    cells = visible[0].locator("td")
    gold, predicted = cells.nth(1).text_content() or "", cells.nth(2).text_content() or ""
    assert "refutes" in gold and "supports" in predicted and "✗ wrong" in predicted
    assert "John Kirby" in gold and "John Kirby" in predicted
    p.screenshot(path=str(artifacts / "report-tap.png"))

    article.locator(".show-all").click()
    assert all(rows.nth(i).is_visible() for i in range(total))
    assert console.errors == []
