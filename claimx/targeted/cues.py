"""Cue words that tell how a passage treats a claim: refuting, hedging, confirming, negating.

Written by hand from how news words debunking ("a hoax", "denied", "no
evidence"), reporting without endorsing ("reportedly", "claims", "according
to", "could not be verified") and confirming ("confirmed", "officially");
they were not mined from FNC-1, so the report part cannot have leaked into
them. They are counts, not decisions: the lexical baseline
(:mod:`claimx.targeted.baseline`) compares them with thresholds, the
classifier (:mod:`claimx.targeted.classifier`) weighs them.

Words are matched after :func:`claimx.text.normalize.words` (accents and case
folded, apostrophes straightened and split, so "isn't" is "isn", "t"), phrases
as folded word sequences.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimx.text.normalize import words

__all__ = ["CUE_KINDS", "HEDGE", "NEGATION", "REFUTE", "SUPPORT", "CueCounts", "count_cues"]


def _lexicon(words_: str, phrases: str = "") -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    single = frozenset(words_.split())
    multi = tuple(tuple(p.split()) for p in phrases.split(",") if p.strip())
    return single, multi


REFUTE = _lexicon(
    """fake fakes faked hoax hoaxes false falsely debunk debunked debunking debunks deny denied
    denies denying denial denials untrue rumor rumors rumour rumours satire satirical prank
    pranks fabricated fabrication misleading doctored photoshopped myth bogus baseless refute
    refuted refutes refuting dismissed dismisses dismissing incorrect wrongly scam spoof parody
    nonsense debunker""",
    """not true, no evidence, never happened, not real, no truth, not the case, made up,
    turned out, isn t true, wasn t true, no such""",
)
"""Words and phrases that call a claim false or deny it."""

HEDGE = _lexicon(
    """reportedly allegedly alleged alleging claim claims claimed claiming purportedly purported
    apparently unconfirmed unverified may might could possibly speculation speculated speculate
    supposedly unclear rumored rumoured appears appear believed suspected""",
    """according to, not confirmed, not been confirmed, could not be verified, could not
    independently verify, said to be, if true, it is unclear, not yet known""",
)
"""Words and phrases that report a claim without endorsing it."""

SUPPORT = _lexicon(
    """confirmed confirms confirm confirming officially verified indeed announced proved proven
    revealed""",
    """has been confirmed, turned out to be true""",
)
"""Words and phrases that present a claim as established."""

NEGATION = _lexicon("not no never nothing none nor neither without t")
"""Negation ("t" is the tail of "n't" once apostrophes split words)."""

CUE_KINDS = ("refute", "hedge", "support", "negation")


@dataclass(frozen=True, slots=True)
class CueCounts:
    """How many cues of each kind a passage holds."""

    refute: int = 0
    hedge: int = 0
    support: int = 0
    negation: int = 0

    def __add__(self, other: CueCounts) -> CueCounts:
        return CueCounts(
            self.refute + other.refute,
            self.hedge + other.hedge,
            self.support + other.support,
            self.negation + other.negation,
        )


def _count(tokens: list[str], lexicon: tuple[frozenset[str], tuple[tuple[str, ...], ...]]) -> int:
    single, multi = lexicon
    found = sum(t in single for t in tokens)
    for phrase in multi:
        n = len(phrase)
        found += sum(
            tuple(tokens[i : i + n]) == phrase
            for i in range(len(tokens) - n + 1)
            if tokens[i] == phrase[0]
        )
    return found


def count_cues(text: str) -> CueCounts:
    """The cues of each kind in ``text`` (a phrase counts once, on top of its words)."""
    tokens = words(text)
    return CueCounts(
        _count(tokens, REFUTE),
        _count(tokens, HEDGE),
        _count(tokens, SUPPORT),
        _count(tokens, NEGATION),
    )
