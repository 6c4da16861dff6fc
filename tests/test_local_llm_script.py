"""scripts/local-llm.sh: the llama-server flags CLAIMX_LLM_SLOTS asks for (no server started)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "local-llm.sh"


def slot_args(**env: str) -> subprocess.CompletedProcess[str]:
    """``local-llm.sh args`` with only ``env`` of the script's own settings."""
    base = {k: v for k, v in os.environ.items() if k not in {"CLAIMX_LLM_SLOTS", "CLAIMX_LLM_CTX"}}
    return subprocess.run(
        ["bash", str(SCRIPT), "args"], env=base | env, capture_output=True, text=True, check=False
    )


def test_one_slot_by_default_as_recorded() -> None:
    assert slot_args().stdout.split() == ["-c", "8192", "-np", "1"]


@pytest.mark.parametrize(
    ("slots", "ctx", "total"), [("2", "8192", "16384"), ("4", "4096", "16384")]
)
def test_several_slots_batch_continuously_and_keep_their_context_each(
    slots: str, ctx: str, total: str
) -> None:
    run = slot_args(CLAIMX_LLM_SLOTS=slots, CLAIMX_LLM_CTX=ctx)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["-c", total, "-np", slots, "-cb"]


@pytest.mark.parametrize("slots", ["0", "two", "-1", "2x"])
def test_a_slot_count_that_is_not_a_whole_number_is_refused(slots: str) -> None:
    run = slot_args(CLAIMX_LLM_SLOTS=slots)
    assert run.returncode == 2 and "CLAIMX_LLM_SLOTS" in run.stderr and not run.stdout
