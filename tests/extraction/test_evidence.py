"""Evidence read off a numbered sentence (claimx.extraction.evidence)."""

from __future__ import annotations

import pytest

from claimx.extraction.evidence import claim_evidence
from claimx.text.spans import Span


def evidence(sentence: str, claim: str, prefix: str = "Headline.\n\n") -> str:
    article = prefix + sentence
    span = claim_evidence(article, Span(len(prefix), len(article)), claim)
    assert Span(len(prefix), len(article)).contains(span)
    return span.slice(article)


@pytest.mark.parametrize(
    ("sentence", "claim", "expected"),
    [
        # the quotation, without the comma of the frame (the standard's quote rule)
        (
            "“Peskov is just lying there, pure and simple,” he added.",
            "Dmitry Peskov is lying.",
            "Peskov is just lying there, pure and simple",
        ),
        # a quotation that opens the sentence is its evidence even in other words
        (
            "“We had nothing to do with this,” said John Kirby, spokesperson for the NSC.",
            "The United States was involved in the attack.",
            "We had nothing to do with this",
        ),
        # the clause the claim is about, its frame and another speaker's tail cut
        (
            "Russia alleges that Ukraine carried out a drone attack overnight, a charge which"
            " Kyiv has denied.",
            "Ukraine carried out a drone attack on the Kremlin.",
            "Ukraine carried out a drone attack overnight",
        ),
        (
            "Kirby said that Washington had no role in it, and that the White House was still"
            " seeking clarification on the incident.",
            "The White House is still seeking clarification on the incident.",
            "the White House was still seeking clarification on the incident.",
        ),
        # nothing to cut: the whole sentence
        ("Two drones were shot down.", "Two drones were shot down.", "Two drones were shot down."),
    ],
)
def test_claim_evidence(sentence: str, claim: str, expected: str) -> None:
    assert evidence(sentence, claim) == expected
