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

__all__ = ["render_page"]


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
