"""The furniture and teaser detector, rule by rule, and on the real articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.text.furniture import furniture_lines, furniture_spans, is_furniture
from claimx.text.spans import Span

ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "articles"
BODY = "Kirby said on Thursday that the United States had no role in the attack."
BODY2 = "Peskov said the decisions on such attacks are made in Washington, not in Kyiv."


def flagged(text: str) -> dict[str, str]:
    """Flagged text -> the rule that flagged it."""
    found = {}
    for f in furniture_lines(text):
        assert text[f.start : f.end] == f.text
        found[f.text] = f.kind
    return found


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Skip to content", "phrase"),
        ("Daily Newsletter", "phrase"),
        ("Most Popular", "phrase"),
        ("Recent Comments", "phrase"),
        ("Your email address will not be published.", "phrase"),
        ("Sunday, July 14, 2024", "date"),
        ("May 4, 2023 10:32 AM EDT", "date"),
        ("2023-05-04", "date"),
        ("Home > World > Europe", "breadcrumb"),
        ("HomeWorldKremlin accuses Washington", "breadcrumb"),
        ("News U.S.", "breadcrumb"),
        ("Source: Pixabay", "credit"),
        ("Photo: AP", "credit"),
        ("By Jane Doe and John Roe", "credit"),
    ],
)
def test_known_lines(line: str, kind: str) -> None:
    text = f"Headline of the story here\n\n{BODY}\n\n    {line}  \n\n{BODY2}\n"
    assert flagged(text) == {line: kind}


@pytest.mark.parametrize(
    "marker",
    ["Source link", "Leave a Reply", "Comments are closed.", "About the author",
     "Jane Doe in Riga contributed to this report."],
)  # fmt: skip
def test_end_matter_runs_to_the_end_of_the_page(marker: str) -> None:
    tail = (
        f"{marker}\n\nAFP\n\nAgence France-Presse is a news agency based in Paris.\n\nMost Popular"
    )
    text = f"{BODY}\n\n{tail}\n\n"
    assert flagged(text) == {tail: "end matter"}


def test_a_marker_above_the_body_is_only_a_line() -> None:
    text = f"Source link\n\n{BODY}\n\n{BODY2}\n"
    assert flagged(text) == {"Source link": "phrase"}


def test_teasers_but_not_the_headline_or_body() -> None:
    text = (
        "White House says Kremlin ‘lying’ about US role in drone attack\n\n"
        "No imminent Islamic State group threat to US homeland: White House\n\n"
        f"{BODY}\n\n"
        "PUTIN faces possible arrest if he attends BRICS summit in SOUTH AFRICA: REPORT\n\n"
        "“We had nothing to do with this”\n\n"  # a pull quote, not a headline
        "Here is what they said:\n\n"  # a lead-in, not a headline
        f"{BODY2}\n"
    )
    assert flagged(text) == {
        "No imminent Islamic State group threat to US homeland: White House": "teaser",
        "PUTIN faces possible arrest if he attends BRICS summit in SOUTH AFRICA: REPORT": "teaser",
    }


def test_an_article_without_headline_does_not_protect_its_first_teaser() -> None:
    text = f"{BODY}\n\nZelensky says White House told him nothing about leaks\n\n{BODY2}\n"
    assert flagged(text) == {"Zelensky says White House told him nothing about leaks": "teaser"}


def test_is_furniture_means_inside_a_span() -> None:
    text = f"{BODY}\nSource link\n"
    spans = furniture_spans(text)
    start = text.index("Source link")
    assert spans == [Span(start, start + len("Source link"))]
    assert is_furniture(spans, Span(start, start + 6))
    assert not is_furniture(spans, Span(start - 3, start + 6))  # runs in from the body
    assert not is_furniture(spans, Span(0, 10))


def test_real_articles() -> None:
    def lines(name: str) -> dict[str, str]:
        return {
            k.split("\n")[0]: v
            for k, v in flagged(ARTICLES.joinpath(name).read_text(encoding="utf-8")).items()
        }

    assert lines("000_238a37b8fe8ea8e2.txt") == {
        "News U.S.": "breadcrumb",
        "No imminent Islamic State group threat to US homeland: White House": "teaser",
        "Source: Pixabay": "credit",
        "About the author": "end matter",
    }
    a002 = lines("002_e5a425235c96543c.txt")
    assert a002["Skip to content"] == "phrase" and a002["Source link"] == "end matter"
    assert a002["PUTIN faces possible arrest if he attends BRICS summit in SOUTH AFRICA: REPORT"]
    assert len(a002) == 3  # the headline and every body paragraph are kept
    assert (
        furniture_spans(ARTICLES.joinpath("004_4d66385c9602c10b.txt").read_text(encoding="utf-8"))
        == []
    )
