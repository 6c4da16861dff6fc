"""Page furniture and teaser headlines: the parts of a scraped page that are not the article.

Claims are never taken from these (annotation standard, "Not annotated").
The detector works on lines, because scraped pages keep one block per line:

1. **Known furniture lines**: "Source link", "Leave a Reply", "Skip to content",
   "Most Popular", "Source: Pixabay", a date line, a "HomeWorld..." breadcrumb.
2. **End matter**: from the first "About the author", "Source link",
   "Comments are closed", "Leave a Reply" or "... contributed to this report"
   line to the end of the page (author boxes, promo blocks, comment forms).
3. **Above the headline**: the headline is the first line of five words or
   more; shorter lines before it are section labels ("News U.S.").
4. **Teasers**: after the headline, a line of at most 20 words that does not
   end like a sentence (. ! ? … or a closing quote) is a headline of another
   story pasted into the page ("No imminent Islamic State group threat to US
   homeland: White House"), or a section heading; neither carries a claim of
   this article. The sub-headline right under the headline ends with a full
   stop in every page we have seen, and is kept.
"""

from __future__ import annotations

import re

_KNOWN = re.compile(
    r"^(Source link|Leave a Reply|About the author|Comments are closed\.?|Skip to content|"
    r"Daily Newsletter|Most Popular|Recent Comments|Source: .*|Your email address .*|"
    r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w+ \d{1,2}, \d{4}|"
    r"Home[A-Z].*)$"
)
_END_MATTER = re.compile(
    r"^(About the author|Source link|Comments are closed\.?|Leave a Reply"
    r"|.* contributed to this report\.)$"
)
_SENTENCE_END = re.compile(r"[.!?…\"”’)]$")
HEADLINE_MIN_WORDS = 5
TEASER_MAX_WORDS = 20


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + len(raw) - len(raw.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of every furniture or teaser line, in order."""
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    headline_seen = False
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if _END_MATTER.match(line):
            spans.append((start, len(text)))
            break
        words = len(line.split())
        if _KNOWN.match(line):
            spans.append((start, end))
        elif not headline_seen:
            if words >= HEADLINE_MIN_WORDS:
                headline_seen = True
            else:
                spans.append((start, end))
        elif words <= TEASER_MAX_WORDS and not _SENTENCE_END.search(line) and i > 0:
            spans.append((start, end))
    return spans


def in_furniture(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) lies inside one of ``spans``."""
    return any(fs <= start and end <= fe for fs, fe in spans)
