"""Self-contained HTML pages from Jinja2 templates shipped inside the package.

Every page of claimx (the stance matrix, the eval report) is one file with its
CSS and JavaScript inline: no server, no CDN, it opens from ``file://`` and
prints. A page template extends ``claimx/templates/page.html.j2`` (the shared
style, the print rules and the small script helpers) and lives in the
``templates/`` folder of its own package. Autoescaping is on, so every value
from the data is escaped; data for the page's script goes through the
``tojson`` filter, which escapes ``<``, ``>`` and ``&`` as well.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from claimx.text.furniture import furniture_lines

__all__ = ["TITLE_CHARS", "article_title", "render_page"]

TITLE_CHARS = 110
"""An article's title is cut (at a word, with "…") past this many characters: a page
whose text opens with its first paragraph has no headline line, and its first
line is a whole sentence."""


def article_title(text: str, *, limit: int = TITLE_CHARS) -> str:
    """The headline of an article: its first non-empty line that is not page furniture.

    Scraped pages open with navigation, a date or a section label ("Skip to
    content", "Sunday, July 14, 2024", "News U.S."): :mod:`claimx.text.furniture`
    flags those lines, and the first line left is the headline. "" for an empty text.
    """
    skipped = {(f.span.start, f.span.end) for f in furniture_lines(text)}
    pos = 0
    for line in text.splitlines(keepends=True):
        start, stripped = pos, line.strip()
        pos += len(line)
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        span = (start + lead, start + lead + len(stripped))
        if span in skipped:
            continue
        title = " ".join(stripped.split())
        if len(title) <= limit:
            return title
        cut = title.rfind(" ", 0, limit)
        return title[: cut if cut > 0 else limit].rstrip(",;:") + "…"
    return ""


@cache
def _environment(package: str) -> Environment:
    loaders = [PackageLoader(package, "templates")]
    if package != "claimx":
        loaders.append(PackageLoader("claimx", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(package: str, template: str, **context: Any) -> str:
    """Render ``template`` from ``<package>/templates/`` (falling back to claimx's own)."""
    return _environment(package).get_template(template).render(**context)
