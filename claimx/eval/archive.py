"""Retired prompt versions, kept as history: their saved runs, compared like any other.

A version nobody would choose today is retired from ``prompts/`` (its pipeline
need not stay runnable), and its last results on the gold, replayed from its
recordings before it was retired, are kept as saved runs:
``eval/archive/<model>/<ref>.jsonl`` (and ``<ref>+oracle-evidence.jsonl``), the
JSONL of ``claimx extract``, with a ``run.json`` saying what they are and the
prompt file itself under ``eval/archive/prompts/``. ``python -m claimx.eval``
scores them beside the runnable versions (source ``archived``), and
``--prompt extract@v4`` names one in an A/B comparison: no model, no
cassette, the same scorer.
"""

from __future__ import annotations

from pathlib import Path

from claimx.eval.recordings import ORACLE_EVIDENCE, model_folder
from claimx.runs.outputs import ERRORS_SUFFIX

__all__ = ["ARCHIVE", "archived_runs"]

ARCHIVE = "archive"
"""The archive's folder in the eval data (``eval/archive``)."""


def archived_runs(archive: Path, model: str, *, oracle: bool = False) -> dict[str, Path]:
    """The archived runs of ``model``: prompt ref -> results file (the oracle-evidence
    runs, keyed by their prompt ref too, with ``oracle``)."""
    folder = model_folder(archive, model)
    if not folder.is_dir():
        return {}
    out = {}
    suffix = f"+{ORACLE_EVIDENCE}"
    for path in sorted(folder.glob("*.jsonl")):
        if path.name.endswith(ERRORS_SUFFIX):
            continue
        key = path.stem
        if key.endswith(suffix) == oracle:
            out[key.removesuffix(suffix)] = path
    return out
