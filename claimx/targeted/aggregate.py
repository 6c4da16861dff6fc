"""From the sources' stances toward a claim to the article's overall position.

Two rules, both the guide's article-level rule (``eval/ANNOTATION.md``,
"Targeted stance", T5) as far as what is known can decide it.

**From sources alone** (:func:`article_position`):

* no source speaks to the claim: **None**, undecided. Not ``unrelated``: an
  article can take a position in its own voice with no source quoted
  ("Putin was not in the Kremlin at the time");
* every source on one side (all supports, or all refutes): that side. News
  that relays one account with no counter-statement presents it as the story;
* otherwise (sources on both sides, or any source uncertain): **uncertain**,
  the article reports a contested or open claim without settling it.

**With the article's own words** (:func:`decide_position`, what the model step
and the extracted-claims step answer): T5 also reads the narration. An article
that quotes one side only but calls the event "alleged", or says the claim is
only "claimed" or "reported", does not settle it: ``uncertain``. Which words
count is the lexical baseline's hedging rule (:mod:`claimx.targeted.baseline`:
hedging cues of :data:`claimx.targeted.cues.HEDGE` in the claim's
:data:`~claimx.targeted.features.TOP_SENTENCES` best-matching sentences, at
least ``hedge_at`` of them), set on the FNC-1 tune part, not on the five
articles: there, of the related pairs past the screen whose best sentences
hedge, 78% are ``discuss`` (17% agree, 5% disagree), against 53% of those whose
best sentences do not. With no source left, the rules cannot tell whether the
narration asserts or denies the claim, so the model's position stands
(:class:`Narration` ``related``), except that an article whose best sentence
covers less of the claim than the baseline's own ``related_at`` cut has
nothing related left: ``unrelated`` (on the FNC-1 tune part, 86% of the pairs
past the screen below that cut are unrelated).

On the five articles' gold (``python -m claimx.targeted.report``), the gold
sources alone give the gold position for 15 of the 16 records that have
sources (the one missed: 003 on staging, one side quoted, the attack "alleged"
in the article's words); with the hedging rule, 14: 003 is right, and 002 and
004 on T-NOENC turn uncertain for an "alleged" drone strike and an "according
to" in sentences about another part of the story (Kirby's "we do not
encourage" quoted alone). The baseline's words are a count near the claim, not
a reading of what each hedge qualifies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claimx.models import ArticleStance, Stance
from claimx.targeted.baseline import BaselineRule
from claimx.targeted.features import pair_features
from claimx.targeted.lexical import ArticleView, Idf

__all__ = ["Narration", "article_position", "decide_position", "narration"]


def article_position(stances: Iterable[Stance]) -> ArticleStance | None:
    """The article's position from its sources' stances (module docstring); None: undecided."""
    found = set(stances)
    if not found:
        return None
    if found == {"supports"}:
        return "supports"
    if found == {"refutes"}:
        return "refutes"
    return "uncertain"


@dataclass(frozen=True)
class Narration:
    """What the article's own words near the claim say, as the baseline's rule reads them."""

    #: the best sentence covers at least the baseline's ``related_at`` of the claim's words
    related: bool
    #: the best-matching sentences hold at least the baseline's ``hedge_at`` hedging cues
    hedged: bool


def narration(claim: str, article: ArticleView, idf: Idf, rule: BaselineRule) -> Narration:
    """The article's narration near ``claim`` by the baseline's thresholds (module docstring)."""
    features = pair_features(claim, article, idf)
    return Narration(
        related=features["best"] >= rule.related_at,
        hedged=features["top_hedge"] >= rule.hedge_at,
    )


def decide_position(
    stances: Iterable[Stance], words: Narration, model: ArticleStance | None = None
) -> tuple[ArticleStance | None, str]:
    """The article's position and why (module docstring); None: the rules cannot say and
    no ``model`` position was given.

    ``stances``: the sources kept; ``words``: the narration; ``model``: the model's own
    position, used only where no source is left and the narration is related.
    """
    position = article_position(stances)
    if position in ("supports", "refutes") and words.hedged:
        return "uncertain", f"sources on one side ({position}), but the article's words hedge"
    if position is not None:
        return position, "the sources' stances"
    if not words.related:
        return "unrelated", "no source speaks to the claim and no sentence covers it"
    if model is None:
        return None, "no source speaks to the claim"
    return model, "no source speaks to the claim: the model's position"
