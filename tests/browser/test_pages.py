"""Both pages in a real browser, opened from file://: what a reader sees and what a click shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from claimx.consolidate.build import consolidate
from claimx.consolidate.html import render_html as render_matrix
from claimx.consolidate.inputs import load_claims, load_texts
from claimx.eval.reports import render_html as render_report

from ..eval.test_reports import REPORT
from .conftest import ROOT, Console

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

US = "The United States was involved in the drone attack on the Kremlin."


@pytest.fixture(scope="module")
def matrix_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stance matrix of the gold of eval/gold, as `claimx consolidate --html` writes it."""
    gold = load_claims([ROOT / "eval" / "gold"])
    texts = load_texts(ROOT / "eval" / "articles", [a.article_id for a in gold])
    path = tmp_path_factory.mktemp("pages") / "matrix.html"
    path.write_text(render_matrix(consolidate(gold, texts=texts)), encoding="utf-8")
    return path


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
    metas = page.locator("#panel .quote .meta").all_text_contents()
    return {m.group(1) for text in metas if (m := re.search(r"article (\S+)", text))}


def test_matrix_shows_the_accusation_kremlin_side_supports_us_refutes(
    matrix_page: Path, page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    p.goto(matrix_page.as_uri())
    p.screenshot(path=str(artifacts / "matrix.png"))
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
    p.screenshot(path=str(artifacts / "matrix-click-russia.png"))

    p.locator("#panel-close").click()
    assert panel.is_hidden()
    united_states.click()
    assert set(panel.locator(".quote > .stance").all_text_contents()) == {"refutes"}
    assert "John Kirby" in (panel.text_content() or "")
    assert len(articles_in_panel(p)) >= 3
    p.screenshot(path=str(artifacts / "matrix-click-us.png"))
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


def test_eval_page_click_shows_gold_and_predicted_side_by_side(
    tmp_path: Path, page: tuple[Page, Console], artifacts: Path
) -> None:
    p, console = page
    path = tmp_path / "report.html"
    path.write_text(render_report(REPORT), encoding="utf-8")
    p.goto(path.as_uri())
    p.screenshot(path=str(artifacts / "report.png"), full_page=True)
    article = p.locator("details.article").first
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
