"""Schema and gold commands find the claimx checkout from the working directory, or take a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.checkout import find_checkout
from claimx.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_find_checkout_walks_up_to_the_pyproject_of_claimx(tmp_path: Path) -> None:
    assert find_checkout(ROOT / "claimx" / "eval") == ROOT
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "other"\n')
    assert find_checkout(tmp_path) is None  # another project is not claimx


def test_schemas_check_inside_the_repo_passes_from_a_subfolder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT / "claimx" / "eval")
    result = CliRunner().invoke(app, ["schemas", "--check"])
    assert result.exit_code == 0, result.stderr
    assert f"checked schemas in {ROOT / 'schemas'}" in result.stderr


def test_schemas_outside_the_repo_write_nothing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["schemas"], ["schemas", "--check"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2
        assert "out of date" not in result.stderr and "--dir PATH" in result.stderr
    assert list(tmp_path.iterdir()) == []
    written = CliRunner().invoke(app, ["schemas", "--dir", str(tmp_path / "s")])
    assert written.exit_code == 0
    assert (
        CliRunner().invoke(app, ["schemas", "--check", "--dir", str(tmp_path / "s")]).exit_code == 0
    )
    (tmp_path / "s" / "claim.schema.json").write_text("{}")
    stale = CliRunner().invoke(app, ["schemas", "--check", "--dir", str(tmp_path / "s")])
    assert stale.exit_code == 2 and "claim.schema.json" in stale.stderr
    assert f"claimx schemas --dir {tmp_path / 's'}" in stale.stderr


def test_check_gold_defaults_to_the_checkouts_gold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "eval")
    result = CliRunner().invoke(app, ["check-gold", "--markdown"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("| article |") and "| total |" in result.stdout
