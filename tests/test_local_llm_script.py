"""scripts/local-llm.sh: the llama-server flags CLAIMX_LLM_SLOTS asks for (no server started)."""

from __future__ import annotations

import os
import subprocess
import threading
import time
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


def test_stop_returns_once_the_server_has_exited(tmp_path: Path) -> None:
    # A stand-in "server" that takes a second to exit after SIGTERM, with its pid file
    # in a cache folder of its own (never the real server's).
    slow = subprocess.Popen(
        ["bash", "-c", 'trap "sleep 1; exit 0" TERM; while true; do sleep 0.1; done']
    )
    reaper = threading.Thread(target=slow.wait)  # so that its exit is seen at once
    reaper.start()
    (tmp_path / "llama-server.pid").write_text(str(slow.pid))
    time.sleep(0.3)  # the trap is set
    env = os.environ | {"CLAIMX_CACHE": str(tmp_path)}
    try:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, check=True, capture_output=True)
        assert slow.poll() is not None
        assert not (tmp_path / "llama-server.pid").exists()
    finally:
        slow.kill()
        reaper.join()
