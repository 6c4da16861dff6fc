"""``python -m claimx.eval`` from a NON-editable install: the data is found in the working tree.

The package is laid out as its wheel is (``claimx/`` plus the force-included
prompts, read from pyproject.toml) in a folder of its own, and run with
``python -P`` so the checkout itself is not importable from the working
directory: only the installed copy runs, as after ``pip install .``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.cassette


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site-packages holding claimx as its wheel lays it out."""
    target = tmp_path_factory.mktemp("site")
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"][
        "build"
    ]["targets"]["wheel"]
    for package in wheel["packages"]:
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    for source, dest in wheel.get("force-include", {}).items():
        shutil.copytree(ROOT / source, target / dest)
    return target


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("CLAIMX_EVAL_DIR", None)
    code = (
        "import runpy, sys, claimx; print(claimx.__file__, file=sys.stderr);"
        " sys.argv[0] = 'claimx.eval'; runpy.run_module('claimx.eval', run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-P", "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_installed_package_runs_the_main_job_from_the_repo_root(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    done = run_installed(site, ROOT, "--prompt", "extract@v2", "--no-report", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith(str(site)), "the installed copy ran"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["meta"]["gold"] == "eval/gold"
    assert len(report["systems"][0]["articles"]) == 5


def test_from_a_subfolder_the_repo_is_found_by_walking_up(site: Path, tmp_path: Path) -> None:
    done = run_installed(site, ROOT / "eval" / "notes", "--prompt", "extract@v1", "--no-report")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("REPLAYED")


def test_outside_the_repo_it_says_what_to_pass(site: Path, tmp_path: Path) -> None:
    done = run_installed(site, tmp_path, "--no-report")
    assert done.returncode == 2
    (_, line) = done.stderr.splitlines()
    assert line.startswith("error: no eval data here") and "--gold" in line
    assert "CLAIMX_EVAL_DIR" in line
