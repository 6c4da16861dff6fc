from __future__ import annotations

from pathlib import Path

from claimx.text.furniture import furniture_spans, is_furniture
from claimx.text.spans import Span

ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "articles"


def flagged(name: str) -> list[str]:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    return [s.slice(text) for s in furniture_spans(text)]


def test_teasers_and_labels_are_furniture_but_the_headline_is_not() -> None:
    spans = flagged("000_238a37b8fe8ea8e2.txt")
    assert "News U.S." in spans
    assert "No imminent Islamic State group threat to US homeland: White House" in spans
    assert not any(s.startswith("White House says Kremlin") for s in spans)
    assert spans[-1].startswith("About the author") and spans[-1].rstrip().endswith("Newsletter")


def test_breadcrumb_date_and_pasted_headlines() -> None:
    spans = flagged("003_bf8676356dfce6f6.txt")
    assert "Sunday, July 14, 2024" in spans
    assert spans[1].startswith("HomeWorld")
    assert "Ukraine denies Kremlin’s claim of drone assassination attempt on Putin" in spans
    assert "Zelensky says White House told him nothing about Discord intelligence leaks" in spans
    # the promo block after the contributor line is end matter
    assert spans[-1].startswith("Natalia Abbakumova") and "Deepening global divides" in spans[-1]


def test_all_caps_teaser_and_comment_form() -> None:
    spans = flagged("002_e5a425235c96543c.txt")
    assert any(s.startswith("PUTIN faces possible arrest") for s in spans)
    assert spans[0] == "Skip to content" and spans[-1].startswith("Source link")


def test_body_paragraphs_are_never_flagged() -> None:
    text = (ARTICLES / "004_4d66385c9602c10b.txt").read_text(encoding="utf-8")
    assert furniture_spans(text) == []
    start = text.index("“Undoubtedly")
    assert not is_furniture(furniture_spans(text), Span(start, start + 10))


def test_a_menu_glued_to_a_word_is_cut_from_it_and_nothing_else() -> None:
    from claimx.text.furniture import unglue_menu

    assert unglue_menu("HomeWorldKremlin accuses Washington") == "Kremlin accuses Washington"
    assert unglue_menu("HomeNewsPoliticsKremlin") == "Kremlin"
    # not a menu: "Home" that is a word of the name, or parts that are no sections
    assert unglue_menu("Homeland Security") == "Homeland Security"
    assert unglue_menu("Home Office") == "Home Office"
    assert unglue_menu("HomeDepot") == "HomeDepot"
