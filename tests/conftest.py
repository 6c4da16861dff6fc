"""Shared fixtures.

Cassette tests replay real exchanges recorded against the local model
(``scripts/local-llm.sh``). Record mode is ``none`` unless ``CLAIMX_RECORD``
says otherwise, and always ``none`` when ``CI`` is set, so CI never reaches
for a network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimx.cassettes import RecordMode, use_cassette

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "eval" / "articles"
#: the fixture prompts every test sees unless it asks for the shipped ones
#: (:func:`shipped_prompts`): infrastructure tests never depend on a shipped version
TEST_PROMPTS = Path(__file__).resolve().parent / "prompts"
SHIPPED_PROMPTS = ROOT / "prompts"
CASSETTES = Path(__file__).resolve().parent / "cassettes"
LOCAL_BASE_URL = os.environ.get("CLAIMX_TEST_BASE_URL", "http://127.0.0.1:8011/v1")


def record_mode() -> RecordMode:
    if os.environ.get("CI"):
        return "none"
    mode = os.environ.get("CLAIMX_RECORD", "none")
    assert mode in ("none", "once", "new_episodes", "all"), f"bad CLAIMX_RECORD={mode}"
    return mode  # type: ignore[return-value]


@pytest.fixture
def cassette(request: pytest.FixtureRequest) -> Iterator[Path]:
    """Replay (or, with CLAIMX_RECORD=all, record) tests/cassettes/<module>/<test>.yaml."""
    module = request.node.module.__name__.rsplit(".", 1)[-1]
    path = CASSETTES / module / f"{request.node.name}.yaml"
    hint = f"scripts/local-llm.sh start && CLAIMX_RECORD=all pytest {request.node.nodeid}"
    with use_cassette(path, record_mode(), rerecord_hint=hint):
        yield path


@pytest.fixture
def article_001() -> str:
    return (ARTICLES / "001_542e584fe1452441.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's keys, endpoints or caches."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CLAIMX_MODEL", "CLAIMX_MODE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CLAIMX_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("CLAIMX_PROMPTS_DIR", str(TEST_PROMPTS))


@pytest.fixture
def shipped_prompts(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped prompt versions (``prompts/``), for the tests of the shipped versions
    themselves: their recordings, their files."""
    monkeypatch.setenv("CLAIMX_PROMPTS_DIR", str(SHIPPED_PROMPTS))
    return SHIPPED_PROMPTS
