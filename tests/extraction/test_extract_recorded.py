"""Extraction end to end on real recorded exchanges with the local model.

The cassettes under tests/cassettes/test_extract_recorded/ were recorded from
Qwen2.5-Coder-1.5B-Instruct behind llama.cpp's server (scripts/local-llm.sh);
re-record with ``CLAIMX_RECORD=all pytest tests/extraction/test_extract_recorded.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimx
from claimx.cassettes import use_cassette
from claimx.cli import app
from claimx.extraction.pipeline import Pipeline
from claimx.prompts import get_prompt
from tests.conftest import ARTICLES, CASSETTES, LOCAL_BASE_URL

pytestmark = pytest.mark.cassette
ARTICLE = ARTICLES / "001_542e584fe1452441.txt"


@pytest.fixture(autouse=True)
def _shipped(shipped_prompts: Path) -> None:
    """These tests replay recordings of a shipped version (extract@v2)."""


def check_result(result: claimx.ExtractionResult, text: str) -> None:
    assert result.claims, "the recorded answer has claims; grounding must keep some"
    for claim in result.claims:
        assert text[claim.start : claim.end] == claim.quote
        assert claim.grounding.grounded
        assert claim.speaker_id in {s.id for s in result.speakers}
    assert result.prompt == "extract@v2"
    assert result.prompt_hash == Pipeline(get_prompt("extract@v2")).content_hash
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    speakers = {c.speaker for c in result.claims}
    assert any("Kirby" in s or "Peskov" in s for s in speakers), speakers


def test_python_api_extracts_validated_claims(cassette: Path, article_001: str) -> None:
    result = claimx.extract(
        article_001,
        prompt="extract@v2",
        model="local",
        base_url=LOCAL_BASE_URL,
        article_id=ARTICLE.stem,
    )
    check_result(result, article_001)


def test_cli_extract_writes_jsonl(cassette: Path, tmp_path: Path, article_001: str) -> None:
    out = tmp_path / "out.jsonl"
    args = ["extract", str(ARTICLE), "--prompt", "extract@v2", "--model", "local"]
    args += ["--base-url", LOCAL_BASE_URL, "--output", str(out)]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    result = claimx.ExtractionResult.model_validate(json.loads(lines[0]))
    assert result.article_id == ARTICLE.stem
    check_result(result, article_001)


def test_cassette_miss_names_cassette_and_rerecord_command(article_001: str) -> None:
    recorded = (
        CASSETTES / "test_extract_recorded" / "test_python_api_extracts_validated_claims.yaml"
    )
    hint = "CLAIMX_RECORD=all pytest tests/extraction/test_extract_recorded.py"
    with (
        use_cassette(recorded, "none", rerecord_hint=hint),
        pytest.raises(claimx.CassetteMissError) as info,
    ):
        # A different prompt version sends a different body: no recording matches.
        claimx.extract(article_001, prompt="extract@v1", model="local", base_url=LOCAL_BASE_URL)
    message = str(info.value)
    assert str(recorded) in message and hint in message


def test_missing_cassette_file_says_how_to_record(tmp_path: Path) -> None:
    with (
        pytest.raises(claimx.CassetteMissError, match="Record it with: do-this"),
        use_cassette(tmp_path / "absent.yaml", "none", rerecord_hint="do-this"),
    ):
        pass
