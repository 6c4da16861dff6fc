"""The eval tests score the shipped versions' recordings on the five gold articles."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _shipped(shipped_prompts: Path) -> None:
    """The shipped prompt versions: their recordings are what the eval replays."""
