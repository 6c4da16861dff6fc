"""Claim confidence (claimx.extraction.confidence): each failed check lowers it."""

from __future__ import annotations

from claimx.extraction.confidence import claim_confidence, named_in
from claimx.extraction.stance import AGREE, DISAGREE, decide


def test_each_check_lowers_the_confidence() -> None:
    quote = "Peskov is just lying there, pure and simple"
    agreed = decide("Peskov is lying", quote, "", "supports")
    doubted = decide("Peskov is lying", quote, "", "refutes")
    best = claim_confidence(agreed, quote, speaker_named=True).value
    assert best == AGREE
    assert claim_confidence(doubted, quote, speaker_named=True).value == DISAGREE
    assert claim_confidence(agreed, quote, speaker_named=False).value < best
    unsupported = decide("The Kremlin staged the attack", quote, "", "supports")
    low = claim_confidence(unsupported, quote, speaker_named=True)
    assert low.value < best and "shares little" in low.detail


def test_named_in_folds_case_and_honorifics() -> None:
    assert named_in("Mr. John Kirby", "“No,” KIRBY said.")
    assert not named_in("John Kirby", "the spokesman said")
    assert not named_in("", "anything")
