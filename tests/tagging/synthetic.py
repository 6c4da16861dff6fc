"""A tiny PolNeAR-shaped corpus written for these tests (invented sentences, no corpus text)."""

from __future__ import annotations

from pathlib import Path

SPEAKERS = ("Ana Ruiz", "The mayor", "Bo Chen", "A spokesman", "Dana Lee", "The council")
CLAIMS = (
    "the bridge will open in May",
    "taxes are too high",
    "the park needs more trees",
    "the vote was fair",
    "buses will run at night",
    "the budget is balanced",
)


def _document(k: int) -> tuple[str, list[str]]:
    """One article and its annotation lines: a direct quote, an indirect one, a poll."""
    who, other = SPEAKERS[k % len(SPEAKERS)], SPEAKERS[(k + 1) % len(SPEAKERS)]
    claim, second = CLAIMS[k % len(CLAIMS)], CLAIMS[(k + 2) % len(CLAIMS)]
    quote = f"\u201c{claim[0].upper()}{claim[1:]},\u201d"
    text = (
        f"City news {k}\n\n{quote} {who} said. {other} said that {second}.\nThe weather was mild.\n"
    )
    lines: list[str] = []

    def span(needle: str, after: int = 0) -> tuple[int, int]:
        start = text.index(needle, after)
        return start, start + len(needle)

    n = 0
    c1, s1 = span(quote), span(who)
    q1 = span("said", s1[1])
    c2, s2 = span("that " + second), span(other, q1[1])
    q2 = span("said", s2[1])
    for content, source, cue in ((c1, s1, q1), (c2, s2, q2)):
        t = [f"T{n + i}" for i in (1, 2, 3, 4)]
        lines += [
            f"{t[0]}\tSource {source[0]} {source[1]}\t{text[source[0] : source[1]]}",
            f"{t[1]}\tCue {cue[0]} {cue[1]}\t{text[cue[0] : cue[1]]}",
            f"{t[2]}\tContent {content[0]} {content[1]}\t{text[content[0] : content[1]]}",
            f"{t[3]}\tAttribution {cue[0]} {cue[1]}\t{text[cue[0] : cue[1]]}",
            f"E{n // 4 + 1}\tAttribution:{t[3]} Content:{t[2]} Cue:{t[1]} Source:{t[0]}",
        ]
        n += 4
    return text, lines


def write_corpus(root: Path, *, train: int = 8, dev: int = 3) -> Path:
    """``root/data/{train,dev}/{text,attributions}`` with invented articles."""
    k = 0
    for split, count in (("train", train), ("dev", dev)):
        texts = root / "data" / split / "text"
        anns = root / "data" / split / "attributions"
        texts.mkdir(parents=True)
        anns.mkdir(parents=True)
        for _ in range(count):
            text, lines = _document(k)
            (texts / f"city_{k:02d}.txt").write_text(text, encoding="utf-8")
            (anns / f"city_{k:02d}_ab12.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
            k += 1
    return root
