"""Page furniture and teaser headlines: the parts of a scraped page that are not the article.

Scraped news pages carry navigation, credits, comment forms, newsletter
prompts and the headlines of *other* stories pasted between paragraphs. The
annotation standard never takes a claim from them, the extractor drops
claims whose evidence lies in them, and the gold checker flags gold claims
that do. All three use :func:`furniture_spans` and :func:`is_furniture`.

The detector is line based and offline, because scraped pages keep one block
per line. A line (without its indentation) is furniture when it is:

1. a **known furniture phrase**, the whole line: "Skip to content", "Daily
   Newsletter", "Most Popular", "Recent Comments", "Your email address will not
   be published" ... (:data:`PHRASES`);
2. a **date line** ("Sunday, July 14, 2024", "May 4, 2023 10:32 AM", "2023-05-04");
3. a **breadcrumb or section label**: "Home > World", "Home / News", a scraped
   "HomeWorldKremlin accuses ..." (menu items glued together), or a short line
   made only of section names ("News U.S.");
4. a **credit or byline**: "Source: Pixabay", "Photo: AP", "By Jane Doe";
5. **end matter**: the first "About the author", "Source link", "Leave a Reply",
   "Comments are closed" or "... contributed to this report." line after the
   first body paragraph starts a block that runs to the end of the page (author
   boxes, promo blocks of other stories, comment forms), returned as one span.
   Above the body such a line is flagged alone, so a stray marker at the top
   never swallows the article;
6. a **teaser headline**: a headline-like line (2-20 words, starts with a capital
   letter or digit, no sentence-final punctuation, not a bare quotation) that
   is not the article's own headline. The article's own headline is the first
   headline-like line, and only when it comes before the first body paragraph
   (a line of 8+ words ending a sentence): an article that opens with body text
   has no headline to protect, and a teaser further down is never mistaken
   for one.

Why sentence case counts as headline-like: of the five teasers in the
development articles, four are in sentence case ("Zelensky says White House
told him nothing about Discord intelligence leaks") and one mixes capitals
("PUTIN faces possible arrest ...: REPORT"), so a title-case or all-caps
test would miss most of them. The price: an in-article subheading ("Calls to
kill Zelensky") is flagged too. Subheadings carry no attributed claims in
practice, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from claimx.text.segments import ends_sentence, lines
from claimx.text.spans import Span, Spanned

__all__ = [
    "PHRASES",
    "FurnitureLine",
    "furniture_lines",
    "furniture_spans",
    "is_furniture",
    "unglue_menu",
]

PHRASES: frozenset[str] = frozenset(
    {
        "skip to content", "skip to main content", "daily newsletter", "most popular",
        "most read", "recent comments", "recent posts", "related posts", "related articles",
        "related stories", "read more", "advertisement", "share this", "share this article",
        "share on facebook", "share on twitter", "subscribe", "sign up for our newsletter",
        "follow us", "trending", "you may also like", "leave a comment", "cancel reply",
        "post comment", "your email address will not be published",
        "required fields are marked", "click to share", "print this article",
    }
)  # fmt: skip
"""Whole lines that are furniture, compared casefolded without end punctuation."""

_END_MATTER = frozenset(
    {"about the author", "about the authors", "source link", "leave a reply", "comments are closed"}
)
_CONTRIBUTED = re.compile(r"^.{0,80}\bcontributed (?:reporting )?to this report\.?$", re.I)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_TIME = r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
_DATE = re.compile(
    rf"^(?:(?:updated|published|posted)[:\s]+)?{_WEEKDAY}"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # May 4, 2023
    rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"  # 4 May 2023
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"  # 2023-05-04, 5/4/2023
    rf"{_TIME}$",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^Home(?:\s*[>/»›|]|(?=[A-Z][a-z]))")
_SECTIONS = frozenset(
    "home news world u.s us uk europe politics business opinion sports sport tech "
    "technology science health culture breaking latest national international local "
    "asia africa americas video".split()
)
#: a word of capitalised parts glued together: "HomeWorldKremlin" (a scraped breadcrumb)
_GLUED = re.compile(r"^(?:[A-Z][a-z]+){2,}(?![\w])")
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_CREDIT = re.compile(
    r"^(?:(?:source|photo|photograph|image|picture|credit|image credit|photo credit)s?:"
    rf"\s*\S.{{0,60}}|by\s+{_NAME}(?:\s+and\s+{_NAME})?)$",
    re.IGNORECASE,
)
_OPEN_QUOTES = "“\"‘'«"
_CLOSE_QUOTES = "”\"’'»"
BODY_MIN_WORDS = 8
HEADLINE_MAX_WORDS = 20


@dataclass(frozen=True)
class FurnitureLine(Spanned):
    """One furniture span, why it was flagged, and its text."""

    span: Span
    kind: str  # "phrase" | "date" | "breadcrumb" | "credit" | "end matter" | "teaser"
    text: str


def unglue_menu(words: str) -> str:
    """``words`` without the menu items a scraped breadcrumb glued to their first word.

    "HomeWorldKremlin accuses ..." is a breadcrumb line (rule 3): a name read off
    it, or copied from it by a model, is "Kremlin". Only a leading "Home" with at
    least one section name after it (:data:`_SECTIONS`) is cut, and never the last
    part, so "HomeDepot", "Homeland Security" and "Home Office" stay whole.
    """
    m = _GLUED.match(words)
    if m is None or not m.group().startswith("Home"):
        return words
    parts = re.findall(r"[A-Z][a-z]+", m.group())
    cut = 0
    while cut < len(parts) - 1 and parts[cut].casefold() in _SECTIONS:
        cut += 1
    if cut < 2:
        return words  # "Home" and one more word may be a name ("HomeDepot")
    return words[sum(len(p) for p in parts[:cut]) :]


def _key(line: str) -> str:
    return line.casefold().replace("’", "'").rstrip(" .:!*")


def _simple_kind(line: str) -> str | None:
    """The furniture kind of a line judged on its own, or None."""
    key = _key(line)
    if key in PHRASES or any(key.startswith(p + ".") for p in PHRASES):
        return "phrase"
    if _DATE.match(line):
        return "date"
    if _BREADCRUMB.match(line):
        return "breadcrumb"
    words = [w.rstrip(".") for w in key.split()]
    # "News U.S.": a short line made only of section names is a section label.
    if 0 < len(words) <= 4 and all(w in _SECTIONS for w in words):
        return "breadcrumb"
    if _CREDIT.match(line):
        return "credit"
    return None


def _is_body(line: str) -> bool:
    return len(line.split()) >= BODY_MIN_WORDS and ends_sentence(line)


def _is_headline_like(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= HEADLINE_MAX_WORDS or ends_sentence(line):
        return False
    if line.endswith((":", ";", ",")):
        return False  # a lead-in to what follows, not a title
    # A bare quotation on its own line is a pull quote: evidence, not a headline.
    if line[0] in _OPEN_QUOTES and line[-1] in _CLOSE_QUOTES:
        return False
    return line[0].isupper() or line[0].isdigit()


def furniture_lines(text: str) -> list[FurnitureLine]:
    """Every furniture span of ``text``, in order, with the rule that flagged it."""
    found: list[FurnitureLine] = []
    headline_seen = body_seen = False
    spans = lines(text)
    for span in spans:
        line = span.slice(text)
        if _key(line) in _END_MATTER or _CONTRIBUTED.match(line):
            if not body_seen:
                # Above any body text a marker is a stray line, not the page's end:
                # flag the line alone rather than the whole article.
                found.append(FurnitureLine(span, "phrase", line))
                continue
            rest = Span(span.start, spans[-1].end)
            found.append(FurnitureLine(rest, "end matter", rest.slice(text)))
            break
        kind = _simple_kind(line)
        if kind is None and _is_headline_like(line):
            if not headline_seen and not body_seen:
                headline_seen = True  # the article's own headline: its claims count
            else:
                kind = "teaser"
        if kind is not None:
            found.append(FurnitureLine(span, kind, line))
        elif _is_body(line):
            body_seen = True
    return found


def furniture_spans(text: str) -> list[Span]:
    """The spans of page furniture and teaser lines: sorted, disjoint."""
    return [f.span for f in furniture_lines(text)]


def is_furniture(spans: Sequence[Span], evidence: Span) -> bool:
    """True when ``evidence`` lies inside one of ``spans`` (from :func:`furniture_spans`).

    Containment, not overlap: evidence that only runs into a furniture line
    (a quote stitched across a teaser) is still mostly article text.
    """
    return any(s.contains(evidence) for s in spans)
