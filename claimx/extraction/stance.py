"""The stance of a claim, read off the attribution where it is unambiguous.

The annotation standard (``eval/ANNOTATION.md``, R1 and §5.4) fixes a claim's
stance by the polarity of its evidence against the proposition written in
affirmative form: an accusation or a report *supports* what it says, a denial
*refutes* what it denies, and a speaker who says it is unknown is *uncertain*.
A small model gets this wrong in one direction above all: it answers
"refutes" for accusations ("Peskov is lying", "Russia accused the US of ...")
and writes denials as negated propositions with "supports". Both are visible
in the words, so :func:`decide` reads them:

1. **hedge** (:data:`HEDGES`): "we don't know", "too early to say", "cannot
   confirm" in the evidence -> ``uncertain``;
2. **denial** (:data:`DENIALS`): a denial verb in the evidence or in the few
   words before it ("denied that ...", "the US denies that"), a claim called
   false ("called the accusation absurd"), "unlikely", "no evidence" ->
   ``refutes``; not a denial of what came before whose speaker says the
   evidence instead ("The US denies that, saying it is arming Ukraine");
3. **negation** in the speaker's words ("We had nothing to do with this",
   "do not encourage") -> ``refutes``; a contrast ("not in Kyiv but in
   Washington") is no denial, nor, when the proposition is given, a negation
   that bears on other words than the proposition's, which the rest of the
   evidence states ("Debris fell on three districts, but no casualties" for
   "Debris fell on three districts"), or that the proposition itself keeps
   ("shot down without any casualties");
4. otherwise ``supports``.

The proposition is kept affirmative: a negated claim the model wrote ("The US
does not encourage ...") is turned positive (:func:`affirmative`) and the
stance follows the evidence. The model's own stance is the second opinion:
when it agrees with the rule (after the same polarity correction) the claim
is surer, and :func:`decide` says so in its :class:`~claimx.models.Confidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimx.models import OPPOSITE, Confidence, Stance
from claimx.text.normalize import MATCHING, content_words

__all__ = [
    "DENIALS",
    "FRAME_CHARS",
    "HEDGES",
    "StanceDecision",
    "affirmative",
    "decide",
    "evidence_stance",
    "is_negated",
]

_W = r"[\w’'-]+"
HEDGES = re.compile(
    rf"\b(?:do|does|did)(?:\s*n[’']t|\s+not)\s+(?:{_W}\s+){{0,2}}know\b"
    r"|\bnot\s+(?:yet\s+|entirely\s+|immediately\s+)?(?:clear|known|sure|certain)\b"
    r"|\bunclear\b|\btoo early to\b|\bunconfirmed\b|\bremains to be seen\b"
    rf"|\b(?:cannot|can[’']t|could\s*n[’']t|could\s+not|unable\s+to|not\s+able\s+to)\s+(?:{_W}\s+)?"
    r"[“\"‘]?(?:confirm|verify|validate|say|tell|determine)\b",
    re.IGNORECASE,
)
"""Words that decline to judge: the speaker says it is unknown or unconfirmed."""

_JUDGED_FALSE = (
    r"(?:absurd|ridiculous|false|untrue|baseless|nonsense|unfounded|groundless|fabricat\w*"
    r"|lies|a lie|fake|preposterous|laughable)"
)
DENIALS = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|rebut(?:s|ted|ting)?"
    r"|dismiss(?:es|ed|ing)?|disput(?:e|es|ed|ing)|poured scorn|pour(?:s|ing)? scorn"
    r"|(?:highly |extremely |very )?unlikely|no evidence)\b"
    rf"|\b(?:accusations?|claims?|allegations?|charges?|reports?|suggestions?|idea)\b[^.;]{{0,30}}?\b{_JUDGED_FALSE}",
    re.IGNORECASE,
)
"""Words by which a speaker asserts something is false: denial verbs, "unlikely", a claim
called absurd. "dismissed X as a false flag" is handled apart: X is denied, the false flag
is asserted (:func:`evidence_stance`)."""

_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|neither|nothing|none|nobody|cannot|without)\b|n[’']t\b", re.IGNORECASE
)
# "not in Kyiv but in Washington": the speaker asserts the second half.
_CONTRAST = re.compile(r"\bnot\b[^.;]{0,80}?\bbut\b", re.IGNORECASE)
# "The US denies that, saying it is arming Ukraine": the denial is of what came before; what
# the speaker says instead is asserted.
_DENIED_SAYING = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?)\s+(?:it|that|this|them)"
    r"\s*,\s*(?:saying|adding|arguing|insisting)\s+(?:that\s+)?$",
    re.IGNORECASE,
)
# "dismissed the incident as a false flag": what follows "as" is asserted.
_DISMISSED_AS = re.compile(r"\bdismiss(?:es|ed|ing)?\b[^.;]{0,60}?\bas\b", re.IGNORECASE)
#: words before the evidence that still belong to its frame ("the US denies that ...")
FRAME_CHARS = 60
#: the words a negation bears on: at most this many, up to its clause's end
GOVERNED_WORDS = 4
_CLAUSE_END = re.compile(r"[,.;:—–“”\"]|\bbut\b", re.IGNORECASE)
#: letters two word stems share to count as one word ("involvement", "involved")
_STEM_PREFIX = 5


def _shares(words: frozenset[str], others: frozenset[str]) -> set[str]:
    return {w for w in words if any(w[:_STEM_PREFIX] == o[:_STEM_PREFIX] for o in others)}


def _bears_on(quote: str, negation: re.Match[str], proposition: str) -> bool:
    """Whether a negation of the evidence denies the proposition (module doc, rule 3).

    It does not when the proposition keeps the negation with its next word
    ("without any casualties"), or when none of the words it bears on is the
    proposition's while at least half of the proposition's words are stated by
    the rest of the evidence ("..., but no casualties"): a claim paraphrased
    past the negated words ("had no role in it" for "was involved") still
    counts as denied.
    """
    clause, *beyond = _CLAUSE_END.split(quote[negation.end() :], maxsplit=1)
    rest = clause.split()
    if not rest:
        return True
    kept = rf"(?<![\w’']){re.escape(negation[0].strip())}\s+{re.escape(rest[0])}(?![\w’'])"
    if re.search(kept, proposition, re.IGNORECASE):
        return False
    claim = content_words(proposition, MATCHING)
    governed = content_words(" ".join(rest[:GOVERNED_WORDS]), MATCHING)
    if not claim or not governed or _shares(governed, claim):
        return True
    outside = " ".join([quote[: negation.start()], *rest[GOVERNED_WORDS:], *beyond])
    return len(_shares(claim, content_words(outside, MATCHING))) * 2 < len(claim)


def _frame(before: str) -> str:
    """The end of the text before the evidence, within its sentence and clause."""
    tail = before[-FRAME_CHARS:]
    cut = max(tail.rfind(". "), tail.rfind("; "), tail.rfind("\n"), tail.rfind("”"))
    return tail[cut + 1 :] if cut >= 0 else tail


def evidence_stance(quote: str, before: str = "", claim: str | None = None) -> tuple[Stance, str]:
    """The stance the evidence itself carries toward the affirmative proposition, and why.

    ``before``: the article text just before the evidence (its frame, e.g. "The US
    denies that"); only its last words in the same sentence are read. ``claim``:
    the affirmative proposition, when known, so that a negation of other words
    is no denial of it.
    """
    frame = _frame(before)
    if _DENIED_SAYING.search(frame):
        frame = ""
    if HEDGES.search(quote):
        return "uncertain", "hedge"
    spoken = f"{frame} {quote}"
    if _DISMISSED_AS.search(spoken):
        return "supports", "dismissed as: what it is dismissed as is asserted"
    if DENIALS.search(spoken):
        return "refutes", "denial"
    negations = [
        m for m in _NEGATION.finditer(quote) if claim is None or _bears_on(quote, m, claim)
    ]
    if negations and not _CONTRAST.search(quote):
        return "refutes", "negation"
    return "supports", "no denial, hedge or negation"


_AUX = {
    "doesn't": "does", "don't": "do", "didn't": "did", "isn't": "is", "aren't": "are",
    "wasn't": "was", "weren't": "were", "hasn't": "has", "haven't": "have", "hadn't": "had",
    "won't": "will", "can't": "can", "cannot": "can", "couldn't": "could", "wouldn't": "would",
    "shouldn't": "should",
}  # fmt: skip
_CLAIM_NEGATION = re.compile(
    r"\b(?:not|never|no|nothing|neither|nor|none|cannot)\b|\b\w+n[’']t\b", re.IGNORECASE
)


def is_negated(claim: str) -> bool:
    """Whether a proposition is written with a negation ("The US did not ...")."""
    return bool(_CLAIM_NEGATION.search(claim))


def affirmative(claim: str) -> str:
    """The proposition with its negation taken out (R1: the denial goes in the stance).

    "The US does not encourage strikes" -> "The US does encourage strikes";
    "had nothing to do with it" -> "had something to do with it"; "caused no
    injuries" -> "caused injuries". Crude on purpose: the words stay the
    model's, only the polarity changes.
    """
    out = re.sub(
        r"\b\w+n[’']t\b|\bcannot\b",
        lambda m: _AUX.get(m.group(0).lower().replace("’", "'"), m.group(0)),
        claim,
        flags=re.IGNORECASE,
    )
    out = re.sub(r"\bneither\b(.*?)\bnor\b", r"both\1and", out, flags=re.IGNORECASE)
    out = re.sub(r"\bnor\b", "and", out, flags=re.IGNORECASE)
    out = re.sub(r"\bnothing\b", "something", out, flags=re.IGNORECASE)
    out = re.sub(r"\s*\b(?:not|never|no)\b\s*", " ", out, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", out).strip()


AGREE = 0.9
"""Confidence in a stance the rules and the model agree on."""
DISAGREE = 0.6
"""Confidence in a stance they disagree on: on v4's and v5's matched claims the rules were
right on 81-85% of those, against 95-98% where both agreed."""


@dataclass(frozen=True)
class StanceDecision:
    """The stance and proposition claimx keeps, and how sure it is of the stance."""

    stance: Stance
    claim: str
    #: which rule read the evidence (:func:`evidence_stance`)
    rule: str
    #: the model's stance toward the affirmative proposition (its polarity corrected)
    model_stance: Stance
    confidence: Confidence


def decide(
    claim: str, quote: str, before: str, model_stance: Stance, *, decider: str = "rules"
) -> StanceDecision:
    """Decide the stance of one claim: by the rules (``decider="rules"``) or the model's.

    Either way the other opinion is the check: the confidence is the agreement
    of the two (:data:`AGREE` or :data:`DISAGREE`).
    """
    negated = is_negated(claim)
    proposition = affirmative(claim) if negated else claim
    # The model's stance was toward its own (negated) sentence: toward the affirmative one
    # it is the opposite.
    model = OPPOSITE[model_stance] if negated else model_stance
    rule_stance, rule = evidence_stance(quote, before, proposition)
    stance = rule_stance if decider == "rules" else model_stance
    agree = rule_stance == model
    value = AGREE if agree else DISAGREE
    how = "agree" if agree else "disagree"
    detail = f"rules ({rule}): {rule_stance}; model: {model}; {how}"
    if negated:
        detail += "; claim turned affirmative"
    if decider != "rules":
        proposition = claim
    return StanceDecision(
        stance=stance,
        claim=proposition,
        rule=rule,
        model_stance=model,
        confidence=Confidence(value=value, source="agreement", detail=detail),
    )
