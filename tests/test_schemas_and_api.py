from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import claimx
from claimx.schema_export import export_schemas

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schemas_match_the_models() -> None:
    stale = export_schemas(ROOT / "schemas", write=False)
    assert stale == [], f"schemas drifted from the models: run 'claimx schemas' ({stale})"


def test_schema_drift_is_detected(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    (tmp_path / "claim.schema.json").write_text("{}", encoding="utf-8")
    assert export_schemas(tmp_path, write=False) == ["claim.schema.json"]


def test_all_is_complete_and_importable() -> None:
    public = {
        name
        for name, value in vars(claimx).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("claimx")
    }
    assert public <= set(claimx.__all__), public - set(claimx.__all__)
    # Every lazily exported name is in __all__, and every name of __all__ resolves.
    assert set(claimx.__all__) == set(claimx._EXPORTS) | {"__version__"}
    for name in claimx.__all__:
        assert hasattr(claimx, name), name
        if name != "__version__":
            module = importlib.import_module(claimx._EXPORTS[name])
            assert getattr(claimx, name) is getattr(module, name), name
    with pytest.raises(AttributeError, match="no attribute 'extrac'"):
        claimx.extrac  # noqa: B018


def test_import_claimx_loads_no_model_client_recorder_or_scorer() -> None:
    # The SDKs load when a model is opened, vcrpy when a cassette is, scipy when scoring.
    code = (
        "import sys, claimx; claimx.ClaimxError; claimx.ClientConfig; claimx.Extractor;"
        " import claimx.eval.cli, claimx.runs.orchestrator, claimx.eval.runner;"
        " print(sorted(m for m in ('openai', 'instructor', 'vcr', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_misspelled_keyword_of_extract_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="extract\\(\\).*'modle'"):
        claimx.extract("Some text.", modle="local")  # type: ignore[call-arg]


def test_errors_share_one_base() -> None:
    for name in claimx.__all__:
        value = getattr(claimx, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, claimx.ClaimxError), name
