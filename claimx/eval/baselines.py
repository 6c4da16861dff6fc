"""Rule baselines for speaker and stance, no model: what the model must beat.

Given the gold evidence of each claim (as ``--oracle claim`` gives the model):

* **majority stance**: every claim gets the commonest gold stance of the
  scored gold (``supports`` on the shipped gold);
* **nearest named entity**: the speaker is the named person or body mention
  (a capitalised run of :func:`claimx.speakers.mentions.name_runs` that
  :func:`~claimx.speakers.mentions.parse_mention` reads as a name) nearest to the evidence
  span, outside it (a name inside the quote is what is talked about), in the
  same sentence(s) when one is there, else anywhere in the article;
* **claimx's attribution rules alone** (:func:`attribution_rules`): the source
  the sentence names as the subject of its reporting verb
  (:mod:`claimx.speakers.attribution`, else the nearest name) and the stance the
  evidence carries (:mod:`claimx.extraction.stance`): what extract@v6 to v8 apply
  to the model's answers, here with no model at all. The stance rules were
  written from the annotation standard and refined on these five articles' errors,
  so on this gold they are measured in sample.

All are judged with :func:`claimx.eval.oracle.score_guesses`, like the
oracle-claim predictions, so they sit in the same table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from claimx.eval.gold import GoldItem
from claimx.eval.metrics import majority_stance
from claimx.eval.oracle import Guess, SpeakerStance, score_guesses
from claimx.extraction.stance import FRAME_CHARS, evidence_stance
from claimx.models import STANCES, Stance
from claimx.speakers.attribution import named_mentions, sentence_source
from claimx.text.segments import enclosing, paragraphs, sentences
from claimx.text.spans import Span

__all__ = [
    "ATTRIBUTION_LABEL",
    "BASELINE_LABEL",
    "attribution_rules",
    "majority_gold_stance",
    "named_mentions",
    "nearest_name",
    "rules",
]

BASELINE_LABEL = "rules: nearest name + majority stance"
ATTRIBUTION_LABEL = "rules: sentence source + stance rules"


def majority_gold_stance(items: Sequence[GoldItem]) -> Stance:
    """The commonest stance of every gold claim (ties, or no claim: the first in STANCES)."""
    counts = Counter(c.stance for item in items for c in item.claims)
    return STANCES[majority_stance([counts[s] for s in STANCES]) or 0]


def _distance(a: Span, b: Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def nearest_name(text: str, evidence: Span, mentions: Sequence[tuple[Span, str]]) -> str | None:
    """The mention nearest to ``evidence`` (module docstring); ties go to the one before it."""
    outside = [(span, name) for span, name in mentions if not span.overlaps(evidence)]
    around = [s for p in paragraphs(text) if p.overlaps(evidence) for s in sentences(text, p)]
    holding = [s for s in around if s.overlaps(evidence)]
    same = [m for m in outside if any(s.contains(m[0]) for s in holding)]
    pool = same or outside
    if not pool:
        return None
    return min(pool, key=lambda m: (_distance(m[0], evidence), m[0].start > evidence.start))[1]


def attribution_rules(items: Sequence[GoldItem]) -> SpeakerStance:
    """claimx's own rules alone, no model: the source the sentence names
    (:func:`claimx.speakers.attribution.sentence_source`, else the nearest name) and the
    stance read off the evidence (:func:`claimx.extraction.stance.evidence_stance`)."""
    guesses = {}
    for item in items:
        text, mentions = item.text, named_mentions(item.text)
        spans = sentences(text)
        row = []
        for c in item.claims:
            sentence = enclosing(spans, c.span)
            speaker = sentence_source(text, sentence, c.span, mentions) or nearest_name(
                text, c.span, mentions
            )
            before = text[max(0, c.start - FRAME_CHARS) : c.start]
            row.append(Guess(speaker, evidence_stance(c.quote, before)[0]))
        guesses[item.article_id] = row
    return score_guesses(ATTRIBUTION_LABEL, items, guesses)


def rules(items: Sequence[GoldItem]) -> SpeakerStance:
    """The nearest-name speaker and the majority stance on every gold claim, judged."""
    stance = majority_gold_stance(items)
    guesses = {}
    for item in items:
        mentions = named_mentions(item.text)
        guesses[item.article_id] = [
            Guess(nearest_name(item.text, c.span, mentions), stance) for c in item.claims
        ]
    return score_guesses(BASELINE_LABEL, items, guesses)
