"""The eval report as a web page: every table, the highlights, escaping, no external fetch."""

from __future__ import annotations

import html
import re

from claimx.eval.reports import render_html
from claimx.eval.reports.html import KINDS
from claimx.html_page import article_title

from .factory import GOLD, TEXT, span
from .test_reports import REPORT


def segments(page: str) -> list[tuple[str, str, str]]:
    """(classes, item ids, text) of every highlight segment."""
    return re.findall(r'<span class="([^"]+) seg" data-items="([^"]+)"[^>]*>([^<]*)</span>', page)


def classes_over(page: str, quote: str) -> set[str]:
    return {c for c, _, text in segments(page) if text.strip() and text in quote}


def evidence_of(page: str, label: str) -> str:
    """The evidence section (tab panel) of the system labelled ``label``."""
    panels = page.split('<section class="system"')[1:]
    found = [p for p in panels if re.search(rf"<h3>{re.escape(label)}[ <]", p)]
    assert len(found) == 1, label
    return found[0]


def test_every_table_of_the_terminal_report_is_there() -> None:
    page = render_html(REPORT)
    for heading in (
        "Systems",
        "Metrics (micro-averaged over articles)",
        "Per article: claim F1 / joint F1",
        "Stance on matched pairs",
        "A/B: paired bootstrap",
        "Gold claims fully right in one system only",
        "Evidence in the articles",
    ):
        assert f">{heading}" in page, heading
    assert "<td>failed articles</td>" in page
    # The per-article table shows the failed article with its error.
    assert re.search(r'<td class="failed">failed: ExtractionError', page)
    assert "REPLAYED responses of Qwen2.5-Coder-1.5B-Instruct" in page and "abc123" in page


def test_deltas_are_coloured_by_direction_and_carry_their_interval() -> None:
    page = render_html(REPORT)
    # v2 is perfect where v1 is not: claim F1 goes up, beyond noise, with its interval.
    deltas = page.split('id="deltas"')[1]
    row = re.search(r"<tr><td>claim F1</td>.*?</tr>", deltas, re.S)
    assert row is not None
    assert re.search(r'class="num delta better( sig)?">\+[0-9.]+<span class="interval">\[', row[0])
    # Fewer tokens would be better: a metric's direction decides the colour, not the sign.
    assert 'class="num delta ' in page


def test_highlights_carry_status_classes() -> None:
    page = render_html(REPORT)
    v1, v2 = evidence_of(page, "extract@v1"), evidence_of(page, "extract@v2")
    v1_a0, v1_a1 = v1.split('<details class="article"')[1:]
    assert classes_over(v1_a0, GOLD[0].quote) == {"matched stance-error"}
    # "targets and the means": a speaker error (targets) and a miss (means) on one span.
    assert classes_over(v1_a0, GOLD[1].quote) == {"matched missed speaker-error"}
    assert classes_over(v1_a0, GOLD[3].quote) == {"missed spurious"}
    assert 'class="error"' in v1_a1 and classes_over(v1_a1, GOLD[0].quote) == {"missed"}
    assert {c for c, _, _ in segments(v2)} == {"matched"}
    start, _ = span(GOLD[0].quote)
    assert TEXT[:start].replace("“", "") in page.replace("“", "")


def test_overlapping_spans_are_one_highlight_with_one_band_per_kind() -> None:
    page = render_html(REPORT)
    v1_a0 = evidence_of(page, "extract@v1").split('<details class="article"')[1]
    marks = re.findall(r'<mark class="hl">(.*?)</mark>', v1_a0, re.S)
    # The shared quote of TARGETS and MEANS is one highlight, not two boxes.
    shared = [m for m in marks if "targets and the means" in re.sub("<[^>]+>", "", m)]
    assert len(shared) == 1
    seg = re.search(r'class="matched missed speaker-error seg"[^>]*style="([^"]+)"', shared[0])
    assert seg is not None
    assert KINDS["error"][0] in seg[1] and KINDS["missed"][0] in seg[1]
    assert "linear-gradient" in seg[1]
    # Every colour a highlight uses is in the legend.
    legend = page.split('id="hl-legend"')[1].split("</div>")[0]
    for colour, _ in KINDS.values():
        assert colour in legend
    used = set(re.findall(r"#[0-9a-f]{6}", " ".join(re.findall(r'style="([^"]+)"', v1_a0))))
    assert used <= {c for c, _ in KINDS.values()}


def test_a_highlight_names_the_rows_it_shows_side_by_side() -> None:
    page = render_html(REPORT)
    v1_a0 = evidence_of(page, "extract@v1").split('<details class="article"')[1]
    for _, ids, _ in segments(v1_a0):
        for item in ids.split():
            assert f'id="{item}"' in v1_a0
    # The matched-with-stance-wrong row shows gold and predicted stance side by side.
    row = re.search(r'<tr class="item kind-error".*?</tr>', v1_a0, re.S)
    assert row is not None
    assert "refutes" in row[0] and "supports" in row[0] and "✗ wrong" in row[0]


def test_page_is_self_contained_and_escapes_everything() -> None:
    page = render_html(REPORT)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Only in-page links; nothing fetched from anywhere.
    assert not re.search(r"""\ssrc=|href="(?!#)|url\(|@import|https?://""", page)


def test_it_opens_on_the_summary_and_the_best_system_first() -> None:
    page = render_html(REPORT)
    headings = re.findall(r"<h2[^>]*>([^<]+)", page)
    assert headings[:2] == ["Summary", "Evidence in the articles"]
    # extract@v2 is right on every claim: the best (joint F1), said so, its evidence first.
    assert re.search(r'<p class="best-line">.*<b>extract@v2</b></a>: the highest joint F1, 1\.00',
                     page)  # fmt: skip
    best_rows = re.findall(r'<tr class="best">.*?</tr>', page, re.S)
    assert len(best_rows) == 1 and ">extract@v2<" in best_rows[0]
    panels = re.findall(r'<section class="system" id="evidence-(s\d)"', page)
    assert panels == ["s1", "s0"], "the best system's evidence comes first"
    # In each system, its first article is open and the others folded.
    for label in ("extract@v1", "extract@v2"):
        opened = re.findall(
            r'<details class="article" id="[^"]+"( open)?>', evidence_of(page, label)
        )
        assert opened == [" open", ""], label


def test_articles_are_named_by_their_headline_with_the_id_on_hover() -> None:
    page = render_html(REPORT)
    # The factory's article has no headline line: its first line, cut at a word.
    headline = article_title(TEXT)
    assert headline.endswith("…") and TEXT.startswith(headline[:-1])
    names = re.findall(r'<span class="article-name" title="article ([^"]+)">([^<]+)</span>', page)
    assert names and {text for _, text in names} == {html.escape(headline, quote=False)}
    assert {article_id for article_id, _ in names} == {"a0", "a1"}
    assert "<code>a0</code>" not in page


def test_wide_tables_scroll_in_their_own_box_and_long_lists_are_folded() -> None:
    page = render_html(REPORT)
    for table_id in ("summary", "systems", "metrics", "deltas", "per-article", "confusion", "ab"):
        after = page.split(f'id="{table_id}"', 1)[1]
        assert after.index('<div class="table-scroll">') < after.index("<table"), table_id
    diffs = page.split('id="diffs"')[1]
    assert re.search(
        r'<details class="fold diff-group">\s*<summary><b>extract@v2</b> vs extract@v1:'
        r" \d+ right in extract@v2 only",
        diffs,
    )
