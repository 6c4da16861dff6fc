"""A small BRAT corpus written for these tests (invented text, not from any corpus)."""

from __future__ import annotations

from pathlib import Path

TEXT = (
    "Mayor backs new bridge\n"
    "\n"
    "The bridge, the mayor said, will open in May. "
    "\u201cWe are ready,\u201d said Ana Ruiz.\n"
    "A city report found that traffic fell.\n"
)


def _span(needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def ann() -> str:
    """Annotations of TEXT: a discontinuous content, a direct quote, a no-source event."""
    c1a, c1b = _span("The bridge"), _span("will open in May")
    s1, q1 = _span("the mayor"), _span("said")
    c2, q2, s2 = _span("We are ready,"), _span("said", 1), _span("Ana Ruiz")
    q3, c3 = _span("found"), _span("that traffic fell")
    lines = [
        f"T1\tSource {s1[0]} {s1[1]}\tthe mayor",
        f"T2\tCue {q1[0]} {q1[1]}\tsaid",
        f"T3\tContent {c1a[0]} {c1a[1]};{c1b[0]} {c1b[1]}\tThe bridge will open in May",
        f"T4\tAttribution {q1[0]} {q1[1]}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tContent {c2[0]} {c2[1]}\tWe are ready,",
        f"T6\tCue {q2[0]} {q2[1]}\tsaid",
        f"T7\tSource {s2[0]} {s2[1]}\tAna Ruiz",
        f"T8\tAttribution {q2[0]} {q2[1]}\tsaid",
        "E2\tAttribution:T8 Source:T7 Cue:T6 Content:T5",
        f"T9\tCue {q3[0]} {q3[1]}\tfound",
        f"T10\tContent {c3[0]} {c3[1]}\tthat traffic fell",
        f"T11\tAttribution {q3[0]} {q3[1]}\tfound",
        "E3\tAttribution-no-source:T11 Cue:T9 Content:T10",
        "A1\tConfident T3",
        "#1\tAnnotatorNotes T3\thedged",
        f"T12\tDiscard {_span('Mayor')[0]} {_span('Mayor')[1]}\tMayor",
    ]
    return "\n".join(lines) + "\n"


def write_checkout(root: Path, *, annotators: dict[str, str] | None = None) -> Path:
    """A PolNeAR-shaped checkout: data/dev/{text,attributions}; one or several annotators."""
    text_dir = root / "data" / "dev" / "text"
    ann_dir = root / "data" / "dev" / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    (text_dir / "city_bridge.txt").write_text(TEXT, encoding="utf-8")
    for suffix, content in (annotators or {"ab12": ann()}).items():
        (ann_dir / f"city_bridge_{suffix}.ann").write_text(content, encoding="utf-8")
    return root
