"""Renderers of a :class:`~claimx.eval.compare.Report`: terminal, markdown, JSON, HTML.

Every renderer takes the same report and shows the same facts: which models,
prompt versions and hashes produced the numbers, when, and whether responses
were live or replayed; the metrics side by side; per-article scores; stance
confusion; the A/B intervals and the per-claim differences. The terminal
prints :func:`render_summary` unless asked for every table (``--full``).
"""

from claimx.eval.reports.html import render_html
from claimx.eval.reports.jsonreport import JSON_SCHEMA_VERSION, render_json, report_to_dict
from claimx.eval.reports.markdown import render_markdown
from claimx.eval.reports.summary import render_summary
from claimx.eval.reports.terminal import render_terminal

__all__ = [
    "JSON_SCHEMA_VERSION",
    "render_html",
    "render_json",
    "render_markdown",
    "render_summary",
    "render_terminal",
    "report_to_dict",
]
