"""Shared by the run tests: one local Ray for the session, and folders that refuse writes.

The Ray cluster is started once (a start costs seconds) by claimx's own
:func:`~claimx.runs.ray_engine.ray_session`, as ``claimx extract --engine ray`` starts one,
while this process's environment holds a key and decoy client settings
(:data:`WORKER_DECOYS`): its workers must neither inherit the key nor take any setting
from their environment. Tests that need it take the ``cluster`` fixture, which skips
where Ray is not installed, except in CI (``CI`` set), where a missing Ray fails instead.

Folders that refuse writes, for the tests of what a run does when it cannot write:

Root ignores permission bits, and CI runs as root, so a folder that refuses root is a
file system mounted read-only (or full): a tmpfs, where the test may mount one. Where it
may not (no CAP_SYS_ADMIN, no ``mount``), a non-root user gets a mode-0500 folder
instead, and root skips the test, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

#: what this process's environment holds while the session's Ray starts
WORKER_DECOYS = {
    "OPENAI_API_KEY": "sk-driver-only-0123456789",
    "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
    "CLAIMX_MODEL": "a-model-from-the-worker-environment",
    "CLAIMX_MODE": "md_json",
}


@pytest.fixture(scope="session")
def cluster() -> Iterator[str]:
    """One local Ray for the session, started as the engine starts one; its GCS address."""
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            raise  # CI installs the [ray] extra: the Ray tests must run there, not skip
        pytest.skip("Ray is not installed: pip install -e '.[ray]'")
    from claimx.runs.ray_engine import ray_session

    saved = {name: os.environ.get(name) for name in WORKER_DECOYS}
    os.environ.update(WORKER_DECOYS)
    try:
        session = ray_session(None, hide_env=["OPENAI_API_KEY"])
        session.__enter__()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    try:
        yield str(ray.get_runtime_context().gcs_address)
    finally:
        session.__exit__(None, None, None)


def _mount_tmpfs(folder: Path, options: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "claimx-test", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in (root included where it can be mounted)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if _mount_tmpfs(folder, "ro,size=64k,mode=0755"):
        try:
            yield folder
        finally:
            _unmount(folder)
        return
    if os.geteuid() == 0:
        pytest.skip("root ignores file modes, and a read-only tmpfs cannot be mounted here")
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 256 KiB tmpfs: it fills up after a few dozen results."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if not _mount_tmpfs(folder, "size=256k,mode=0700"):
        pytest.skip("a small tmpfs cannot be mounted here (needs root and CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        _unmount(folder)
