"""Speaker resolution compares names within surname blocks: work grows near-linearly.

Counted, not timed: the number of calls of the identity rule for an article
with k mentions. benchmarks/bench_speakers.py prints the times.
"""

from __future__ import annotations

import pytest

import claimx.speakers.resolve as resolve_module
from claimx.speakers import resolve_speakers

SURNAMES = ["Koval", "Petrenko", "Shevchenko", "Bondar", "Melnyk", "Tkachenko", "Kravets"]


def article(people: int) -> tuple[str, list[tuple[str, str | None]]]:
    """``people`` people, each introduced in full and then cited four more ways."""
    paragraphs: list[str] = []
    mentions: list[tuple[str, str | None]] = []
    for i in range(people):
        last = f"{SURNAMES[i % len(SURNAMES)]}{chr(97 + i // len(SURNAMES) % 26)}{i}"
        first, variant = ("Dmitry", "Dmitri") if i % 2 else ("Sergei", "Sergey")
        paragraphs += [
            f"“No deal,” said Defense Ministry spokesman {first} {last}.",
            f"{last} told reporters the talks had stalled.",
            f"“Nothing has changed,” {variant} {last} said.",
        ]
        mentions += [
            (f"{first} {last}", "Defense Ministry spokesman"),
            (last, None),
            (f"Mr {last}", None),
            (f"{variant} {last}", None),
            (f"{first} {last}", None),
        ]
    return "\n\n".join(paragraphs), mentions


def comparisons(people: int, monkeypatch: pytest.MonkeyPatch) -> int:
    calls = 0
    rule = resolve_module.same_person

    def counting(a: str, b: str, **kw: float) -> bool:
        nonlocal calls
        calls += 1
        return rule(a, b, **kw)

    text, mentions = article(people)
    with monkeypatch.context() as m:
        m.setattr(resolve_module, "same_person", counting)
        speakers, _ = resolve_speakers(mentions, text)
    assert len(speakers) == people  # every variant found its person
    return calls


def test_identity_comparisons_grow_sub_quadratically(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = comparisons(40, monkeypatch), comparisons(160, monkeypatch)
    # Four times the mentions: 16 times the comparisons if all pairs were compared;
    # within blocks it is about 4 (allow n log n and change).
    assert small > 0
    assert large / small < 6, (small, large)
