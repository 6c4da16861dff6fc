"""Page furniture and teaser headlines: text of the page that is not the article.

Placeholder rules until the full detector lands (see issue 3): known
furniture phrases only.
"""

from __future__ import annotations

import re

_FURNITURE = re.compile(
    r"^\s*(Source link|Leave a Reply|About the author|Comments are closed\.?|Skip to content|"
    r"Daily Newsletter|Most Popular|Recent Comments|Source: .*)\s*$",
    re.MULTILINE,
)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of page furniture lines."""
    return [(m.start(1), m.end(1)) for m in _FURNITURE.finditer(text)]
