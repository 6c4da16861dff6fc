"""Markdown tables and inline text, for every report that writes markdown.

:func:`md_table` keeps each cell on one line with its pipes escaped, so a cell
may carry markdown of its own (``**failed**``); text from articles and models
goes through :func:`md_text` first, so a quote such as ``*not* [sic]`` shows as
written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = ["md_cell", "md_table", "md_text"]

_MARKUP = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_text(text: object) -> str:
    """Text safe in a table cell or inline: one line, markup and pipes escaped."""
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def md_cell(text: object) -> str:
    """One table cell: one line, backslashes and pipes escaped, markdown kept."""
    return " ".join(str(text).replace("\\", "\\\\").replace("|", "\\|").split())


def md_table(
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    align: str = "",
    *,
    escape: Callable[[object], str] = md_cell,
) -> str:
    """A markdown table; ``align`` gives one of "l"/"r" per column (default left).

    ``escape`` makes each cell safe: :func:`md_cell` (the default) keeps markdown in
    the cells, :func:`md_text` shows every cell as plain text."""
    head = [escape(h) for h in header]
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(head), "l")]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
