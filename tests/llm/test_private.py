"""Files holding article text or model answers are owner-only, whatever the umask (issue 25, 9)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimx.llm.cache import ResponseCache
from claimx.llm.layers import FailureDump
from claimx.models import Usage
from claimx.prompts import get_prompt
from tests.helpers import answer_model


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022, 0o277], ids=["umask 000", "umask 022", "umask 277"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_the_response_cache_and_its_wal_are_owner_only(umask: int, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    spec = get_prompt("toy@v1")
    value = answer_model(spec).model_validate({"claims": []})
    with ResponseCache.open(folder) as cache:
        cache.put("k", model="m", completion={"x": 1}, value=value, usage=Usage(calls=1))
        files = sorted(folder.iterdir())
        assert [f.name for f in files] == [
            "responses.sqlite", "responses.sqlite-shm", "responses.sqlite-wal",
        ]  # fmt: skip
        assert [mode(f) for f in files] == [0o600] * 3
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700


def test_a_failure_dump_is_owner_only(umask: int, tmp_path: Path) -> None:
    dump = FailureDump(None, tmp_path / "failures", model="m")  # type: ignore[arg-type]
    path = dump.save([{"role": "user", "content": "the whole article"}], "raw answer")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_helpers_set_the_mode_whatever_the_umask(umask: int, tmp_path: Path) -> None:
    from claimx.llm.private import open_private, replace_private

    with open_private(tmp_path / "a" / "out.jsonl", "a") as handle:
        handle.write("x\n")
    replace_private(tmp_path / "state.json", "{}")
    assert mode(tmp_path / "a" / "out.jsonl") == 0o600 and mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "state.json") == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_existing_folder_keeps_the_mode_its_owner_chose(tmp_path: Path) -> None:
    from claimx.llm.private import private_dir

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    private_dir(shared / "mine")
    assert mode(shared) == 0o755 and mode(shared / "mine") == 0o700
