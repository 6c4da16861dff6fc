"""JSON Schemas of the public formats, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from claimx.models import PUBLIC_SCHEMAS


def schema_text(name: str) -> str:
    """The schema file content for one public format (stable: sorted keys, newline)."""
    schema = PUBLIC_SCHEMAS[name].model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_schemas(out_dir: Path, *, write: bool = True) -> list[str]:
    """Write ``<name>.schema.json`` files; return the names that were missing or differed."""
    stale = []
    for name in PUBLIC_SCHEMAS:
        path = out_dir / f"{name}.schema.json"
        text = schema_text(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
            if write:
                out_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return stale
