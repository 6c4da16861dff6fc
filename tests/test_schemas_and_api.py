from __future__ import annotations

from pathlib import Path

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
    for name in claimx.__all__:
        assert hasattr(claimx, name), name


def test_errors_share_one_base() -> None:
    for name in claimx.__all__:
        value = getattr(claimx, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, claimx.ClaimxError), name
