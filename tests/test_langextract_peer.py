"""The committed LangExtract peer predictions are valid gold-format files.

They are produced by ``benchmarks/langextract_peer.py`` (LangExtract lives in its
own venv); this test needs only the committed files and never imports langextract.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimx.models import GoldArticle

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "eval" / "articles"
PREDICTIONS = ROOT / "eval" / "predictions" / "langextract"
FILES = sorted(p for p in PREDICTIONS.glob("*.json") if p.name != "manifest.json")


def test_every_article_has_a_prediction() -> None:
    assert sorted(p.stem for p in FILES) == sorted(p.stem for p in ARTICLES.glob("*.txt"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_prediction_is_gold_format_and_grounded(path: Path) -> None:
    gold = GoldArticle.model_validate_json(path.read_text(encoding="utf-8"))
    assert gold.article_id == path.stem
    text = (ARTICLES / f"{path.stem}.txt").read_text(encoding="utf-8")
    for claim in gold.claims:
        assert text[claim.start : claim.end] == claim.quote, claim


def test_manifest_covers_every_prediction() -> None:
    manifest = json.loads((PREDICTIONS / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["langextract_version"] == "1.7.1"
    for path in FILES:
        entry = manifest["articles"][path.stem]
        claims = json.loads(path.read_text(encoding="utf-8"))["claims"]
        assert entry["claims"] == len(claims)
