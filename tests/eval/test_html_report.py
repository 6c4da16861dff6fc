"""The eval report as a web page: every table, the highlights, escaping, no external fetch."""

from __future__ import annotations

import re

from claimx.eval.reports import render_html
from claimx.eval.reports.html import KINDS

from .factory import GOLD, TEXT, span
from .test_reports import REPORT


def segments(page: str) -> list[tuple[str, str, str]]:
    """(classes, item ids, text) of every highlight segment."""
    return re.findall(r'<span class="([^"]+) seg" data-items="([^"]+)"[^>]*>([^<]*)</span>', page)


def classes_over(page: str, quote: str) -> set[str]:
    return {c for c, _, text in segments(page) if text.strip() and text in quote}


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
    row = re.search(r"<tr><td>claim F1</td>.*?</tr>", page, re.S)
    assert row is not None
    assert re.search(r'class="num delta better( sig)?">\+[0-9.]+<span class="interval">\[', row[0])
    # Fewer tokens would be better: a metric's direction decides the colour, not the sign.
    assert 'class="num delta ' in page


def test_highlights_carry_status_classes() -> None:
    page = render_html(REPORT)
    v1, v2 = page.split("<h3>extract@v2")
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
    v1_a0 = page.split("<h3>extract@v2")[0].split('<details class="article"')[1]
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
    v1_a0 = page.split("<h3>extract@v2")[0].split('<details class="article"')[1]
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
