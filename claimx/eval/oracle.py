"""The oracle evaluation: which stage loses what (``python -m claimx.eval --oracle ...``).

End to end, a staged pipeline must find where claims are (stage one, rules),
then state each proposition, its speaker and its stance (the model). Giving it
parts of the gold answer measures each stage apart:

* **oracle evidence** (``--oracle evidence``): every staged prompt version is
  asked about exactly the distinct evidence spans of the article's gold
  claims, instead of its own stage one (:class:`EvidenceExtractor`; the
  pipelines' ``evidence`` hook). Scored with the usual metrics, it shows
  what the pipeline adds after stage one. Its recordings are filed apart
  (:func:`claimx.eval.recordings.recording_key`). A single-pass prompt has no
  stage one to replace: it is reported as "n/a (single pass)".
* **oracle claim** (``--oracle claim``): the gold evidence *and* the gold
  proposition are given, and only speaker and stance are scored. No new
  request is made: it scores the oracle-evidence run's claims. Every gold
  claim is paired with a claim made for its evidence span
  (:func:`claims_by_span`), the one whose proposition is most similar
  (:func:`claimx.eval.matching.proposition_similarity`, the matcher's);
  a span that produced no claim leaves the gold claim missed (speaker and
  stance wrong). **The model was not given the proposition in the prompt**:
  the proposition is taken out of the scoring, not out of the prompt.

:func:`where_lost` splits the gap between end-to-end joint F1 and 1.0 into
stage one (oracle-evidence joint F1 minus end-to-end joint F1), the
proposition (oracle-claim both-right share minus oracle-evidence joint F1),
and speaker and stance (1 minus the oracle-claim share). The rule baselines
of :mod:`claimx.eval.baselines` are scored on the same gold claims, with the
same :class:`SpeakerStance` counts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from claimx.eval.gold import GoldItem
from claimx.eval.matching import proposition_similarity
from claimx.eval.metrics import SystemScore, stance_macro_f1
from claimx.extraction.extractor import Extractor
from claimx.llm.config import ClientConfig
from claimx.llm.protocol import Model
from claimx.models import STANCES, Claim, ExtractedClaim, ExtractionResult, Stance
from claimx.prompts import PromptSpec
from claimx.speakers import same_source
from claimx.text.segments import paragraphs
from claimx.text.spans import Span

__all__ = [
    "NOT_APPLICABLE",
    "NOT_RECORDED",
    "ORACLES",
    "EvidenceExtractor",
    "Guess",
    "build_oracle",
    "claim_guesses",
    "claims_by_span",
    "Oracle",
    "OracleReport",
    "OracleRow",
    "SpeakerStance",
    "gold_evidence",
    "oracle_claim",
    "pair_with_spans",
    "score_guesses",
    "where_lost",
]

Oracle = Literal["evidence", "claim"]
ORACLES: tuple[Oracle, ...] = ("evidence", "claim")
NOT_APPLICABLE = "n/a (single pass)"
NOT_RECORDED = "n/a (not recorded)"
"""What the oracle rows of a prompt whose pipeline takes no evidence say."""


def gold_evidence(item: GoldItem) -> list[Span]:
    """The distinct evidence spans of an article's gold claims, in article order."""
    return sorted({c.span for c in item.claims})


class EvidenceExtractor(Extractor):
    """An :class:`Extractor` that asks each article about given spans (its gold evidence).

    The orchestrator calls :meth:`aextract` with an article id only: the spans
    are looked up by it (an article without spans gets no request).
    """

    def __init__(
        self, prompt: PromptSpec, *, config: ClientConfig, evidence: Mapping[str, Sequence[Span]]
    ) -> None:
        super().__init__(prompt, config=config)
        self.evidence = {article: list(spans) for article, spans in evidence.items()}

    async def aextract(
        self,
        text: str,
        *,
        article_id: str = "article",
        llm: Model | None = None,
        evidence: Sequence[Span] | None = None,
    ) -> ExtractionResult:
        spans = self.evidence.get(article_id, []) if evidence is None else evidence
        return await super().aextract(text, article_id=article_id, llm=llm, evidence=spans)


def claims_by_span(
    item: GoldItem, claims: Sequence[ExtractedClaim]
) -> dict[Span, list[ExtractedClaim]]:
    """The oracle-evidence run's claims of one article, each under the gold span it was made for.

    A request asked about given spans only, and each claim's quote is grounded
    in its request's window around them (a staged pipeline: one request per
    span, the sentence holding it as window; ``paragraphs``: one numbered item
    per span, the claim located on it). A claim is put under the span its quote
    overlaps most (ties: the shorter span, the more specific), else under the
    nearest span of its paragraph (a quote of the "said X" part of the
    sentence); a claim near no span is left out.
    """
    spans = gold_evidence(item)
    body = paragraphs(item.text)
    out: dict[Span, list[ExtractedClaim]] = {s: [] for s in spans}
    for claim in claims:
        where = claim.span
        best = max(spans, key=lambda s: (where.shared(s), -s.length), default=None)
        if best is None:
            continue
        if not where.shared(best):
            para = next((p for p in body if p.overlaps(where)), None)
            near = [s for s in spans if para is not None and para.overlaps(s)]
            if not near:
                continue
            best = min(near, key=lambda s: max(s.start - where.end, where.start - s.end))
        out[best].append(claim)
    return out


@dataclass(frozen=True)
class Guess:
    """What a system (or a rule) says of one gold claim: speaker and stance, None if missed."""

    speaker: str | None
    stance: Stance | None


def pair_with_spans(gold: Claim, claims: Sequence[ExtractedClaim]) -> ExtractedClaim | None:
    """The claim (of the request about ``gold``'s span) most similar to ``gold``'s proposition.

    Ties go to the first (claims come in article order); None when there is no claim.
    """
    if not claims:
        return None
    return max(claims, key=lambda c: proposition_similarity(c.claim, gold.claim))


@dataclass(frozen=True)
class SpeakerStance:
    """Speaker and stance judged on every gold claim (a missed claim is wrong on both)."""

    label: str
    n: int = 0
    missed: int = 0
    speaker_ok: int = 0
    stance_ok: int = 0
    joint_ok: int = 0
    #: gold stance (rows, STANCES order) x guessed stance (STANCES, then "missed")
    confusion: tuple[tuple[int, ...], ...] = field(
        default=((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))
    )

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speaker_ok / self.n if self.n else None

    @property
    def stance_accuracy(self) -> float | None:
        return self.stance_ok / self.n if self.n else None

    @property
    def stance_macro_f1(self) -> float | None:
        return stance_macro_f1(self.confusion)

    @property
    def joint(self) -> float | None:
        """The share of gold claims with both speaker and stance right."""
        return self.joint_ok / self.n if self.n else None

    def metrics(self) -> dict[str, float | None]:
        return {
            "speaker_accuracy": self.speaker_accuracy,
            "stance_accuracy": self.stance_accuracy,
            "stance_macro_f1": self.stance_macro_f1,
            "joint": self.joint,
        }


def score_guesses(
    label: str, items: Sequence[GoldItem], guesses: Mapping[str, Sequence[Guess]]
) -> SpeakerStance:
    """Judge one guess per gold claim (``guesses[article id][gold index]``).

    The speaker is right by :func:`claimx.speakers.same_source`, the one rule,
    with the article's gold and guessed names as context (as the eval's metrics).
    """
    n = missed = speaker_ok = stance_ok = joint_ok = 0
    grid = [[0, 0, 0, 0] for _ in STANCES]
    for item in items:
        mine = guesses[item.article_id]
        names = [c.speaker for c in item.claims] + [g.speaker for g in mine if g.speaker]
        for claim, guess in zip(item.claims, mine, strict=True):
            n += 1
            speaker = guess.speaker is not None and same_source(guess.speaker, claim.speaker, names)
            stance = guess.stance == claim.stance
            missed += guess.speaker is None and guess.stance is None
            speaker_ok += speaker
            stance_ok += stance
            joint_ok += speaker and stance
            column = 3 if guess.stance is None else STANCES.index(guess.stance)
            grid[STANCES.index(claim.stance)][column] += 1
    return SpeakerStance(
        label, n, missed, speaker_ok, stance_ok, joint_ok, tuple(tuple(row) for row in grid)
    )


def claim_guesses(
    items: Sequence[GoldItem], claims: Mapping[str, Sequence[ExtractedClaim]]
) -> dict[str, list[Guess]]:
    """The oracle-claim guess of every gold claim, from the oracle-evidence run's claims
    (article id -> ``result.claims``; an article without a result: every claim missed)."""
    out = {}
    for item in items:
        per_span = claims_by_span(item, claims.get(item.article_id, []))
        guesses = []
        for gold in item.claims:
            pred = pair_with_spans(gold, per_span.get(gold.span, []))
            guesses.append(Guess(pred.speaker, pred.stance) if pred else Guess(None, None))
        out[item.article_id] = guesses
    return out


@dataclass(frozen=True)
class OracleRow:
    """One prompt version: end to end, with gold evidence, with gold evidence and proposition."""

    prompt: str  # the system label of the end-to-end run
    strategy: str
    end_to_end_joint_f1: float | None
    #: None: the pipeline takes no evidence (single pass)
    evidence_joint_f1: float | None = None
    evidence_label: str | None = None  # the oracle-evidence system's label in the report
    claim: SpeakerStance | None = None
    #: whether the prompt's pipeline has a stage one the gold spans can replace
    takes_evidence: bool = True

    @property
    def applicable(self) -> bool:
        return self.claim is not None

    @property
    def why_not(self) -> str:
        """Why a row has no oracle figures: no stage one to replace, or no recordings."""
        return NOT_RECORDED if self.takes_evidence else NOT_APPLICABLE


def where_lost(row: OracleRow) -> dict[str, float | None]:
    """The gap of end-to-end joint F1 to 1.0 split by stage (module docstring); sums to it."""
    e2e, evidence = row.end_to_end_joint_f1, row.evidence_joint_f1
    both = row.claim.joint if row.claim is not None else None
    if e2e is None or evidence is None or both is None:
        return {"stage_one": None, "proposition": None, "speaker_stance": None}
    return {
        "stage_one": evidence - e2e,
        "proposition": both - evidence,
        "speaker_stance": 1.0 - both,
    }


@dataclass(frozen=True)
class OracleReport:
    """The oracle section of a report: per prompt version, and the rule baselines."""

    mode: Oracle
    rows: list[OracleRow]
    baselines: list[SpeakerStance]


def oracle_claim(system: SystemScore, items: Sequence[GoldItem]) -> SpeakerStance:
    """The oracle-claim score of an oracle-evidence system (module docstring)."""
    claims = {a.article_id: list(a.run.result.claims) for a in system.articles if a.run.result}
    return score_guesses(system.label, items, claim_guesses(items, claims))


def build_oracle(
    mode: Oracle,
    end_to_end: Sequence[SystemScore],
    evidence: Sequence[SystemScore],
    items: Sequence[GoldItem],
    baselines: Sequence[SpeakerStance],
    *,
    whole_text: Collection[str] = (),
) -> OracleReport:
    """One row per end-to-end system, joined to its oracle-evidence system (same prompt
    and model; none: a pipeline without stage one, its prompt in ``whole_text``) and that
    system's oracle-claim score."""
    by_prompt = {(s.run.prompt, s.run.model): s for s in evidence}
    claims = {s.label: oracle_claim(s, items) for s in evidence}
    rows = []
    for system in end_to_end:
        oracle = by_prompt.get((system.run.prompt, system.run.model))
        rows.append(
            OracleRow(
                prompt=system.label,
                strategy=system.run.strategy,
                end_to_end_joint_f1=system.metrics["joint_f1"],
                evidence_joint_f1=oracle.metrics["joint_f1"] if oracle else None,
                evidence_label=oracle.label if oracle else None,
                claim=claims[oracle.label] if oracle else None,
                takes_evidence=system.run.prompt not in whole_text,
            )
        )
    return OracleReport(mode, rows, list(baselines))
