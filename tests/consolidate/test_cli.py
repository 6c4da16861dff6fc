"""``claimx consolidate``: formats, the web page, the filters and the grouping quality."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.errors import InputError

from .corpus import ROOT

GOLD = str(ROOT / "eval" / "gold")
ARTICLES = str(ROOT / "eval" / "articles")


def run(*args: str) -> str:
    result = CliRunner().invoke(app, ["consolidate", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def shown(markdown: str) -> int:
    return sum(1 for line in markdown.splitlines() if line.startswith("| ")) - 2


def test_min_articles_and_min_speakers_both_hold() -> None:
    every = shown(run(GOLD, "--articles", ARTICLES, "--min-articles", "1"))
    three = shown(run(GOLD, "--articles", ARTICLES, "--min-articles", "3"))
    both = shown(run(GOLD, "--min-articles", "3", "--min-sources", "3"))
    assert every > three > both > 0


def test_quality_prints_the_pairwise_figures() -> None:
    out = run(GOLD, "--quality")
    assert out.startswith("grouping quality on gold: ")
    assert "pairwise precision" in out and "recall 1.000" in out


def test_html_writes_the_page(tmp_path: Path) -> None:
    page = tmp_path / "m.html"
    outlets = tmp_path / "outlets.json"
    outlets.write_text('{"003_bf8676356dfce6f6": "The Washington Post"}', encoding="utf-8")
    out = run(GOLD, "--articles", ARTICLES, "--html", str(page), "--outlets", str(outlets))
    assert out == ""  # the page goes to the file; nothing else was asked for
    text = page.read_text(encoding="utf-8")
    assert "The Washington Post" in text and "matrix-data" in text


def test_a_file_that_is_not_claims_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"nope": 1}', encoding="utf-8")
    result = CliRunner().invoke(app, ["consolidate", str(bad)])
    assert result.exit_code != 0
    # An InputError, raised, or (with the CLI's one-line error rule) printed.
    said = f"{result.exception}\n{result.output}"
    assert isinstance(result.exception, InputError | SystemExit)
    assert str(bad) in said and "gold file" in said


@pytest.mark.parametrize("fmt", ["json", "html", "markdown"])
def test_every_format_goes_to_stdout(fmt: str) -> None:
    out = run(GOLD, "--format", fmt)
    assert out.strip()
