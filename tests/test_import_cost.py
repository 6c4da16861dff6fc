"""``claimx --help``, ``claimx prompts`` and ``claimx check-gold`` stay light (issue 11).

They must import neither openai, instructor, vcr nor scipy: the CLI imports
those where a command uses them. Each case runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import claimx

HEAVY = ("openai", "instructor", "vcr", "scipy")
ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [["--help"], ["prompts"], ["check-gold", str(ROOT / "eval" / "gold")]]

# Runs the CLI like the console script, then prints which heavy modules were loaded.
# With STUB_PACKAGE, the package's __init__ is not executed (a bare package module
# stands in for it), so only what claimx.cli itself imports counts.
PROBE = """
import json, sys, types
argv, stub, package_dir, version, heavy = json.loads(sys.argv[1])
if stub:
    package = types.ModuleType("claimx")
    package.__path__ = [package_dir]
    package.__version__ = version
    sys.modules["claimx"] = package
from claimx.cli import main
sys.argv = ["claimx", *argv]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "heavy": [m for m in heavy if m in sys.modules]}))
"""


def heavy_imports(argv: list[str], *, stub_package: bool) -> list[str]:
    package_dir = str(Path(claimx.__file__).parent)
    args = json.dumps([argv, stub_package, package_dir, claimx.__version__, HEAVY])
    done = subprocess.run(
        [sys.executable, "-c", PROBE, args], capture_output=True, text=True, check=False
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"] in (0, None), done.stderr
    return list(result["heavy"])


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_the_cli_module_imports_heavy_modules_only_where_used(argv: list[str]) -> None:
    assert heavy_imports(argv, stub_package=True) == []


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_the_commands_import_no_heavy_module(argv: list[str]) -> None:
    assert heavy_imports(argv, stub_package=False) == []


def test_context_tokens_help_states_the_chunkers_default() -> None:
    from typer.testing import CliRunner

    from claimx.cli import app
    from claimx.extraction.chunking import DEFAULT_CONTEXT_TOKENS

    help_text = CliRunner().invoke(app, ["extract", "--help"], env={"COLUMNS": "200"}).stdout
    assert f"[default: {DEFAULT_CONTEXT_TOKENS}]" in help_text
