"""The numbered ask stage (``ask: numbered``, fixture prompt toy@v3), against a fake model."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pydantic import ValidationError

from claimx.extraction.assemble import assemble
from claimx.extraction.drafts import numbered_answer_model, opening
from claimx.extraction.pipeline import Pipeline
from claimx.extraction.stages.given_spans import given_candidates
from claimx.extraction.stages.lexicon import Lexicon, LexiconParams
from claimx.extraction.stages.numbered import find_passages
from claimx.llm.protocol import Completion, T
from claimx.models import Usage
from claimx.prompts import get_prompt
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span

LEXICON = Lexicon(LexiconParams())

ARTICLE = """Harbour news

Thousands of dead fish washed up on the beaches of Ostend last week.

Seawatch accused the port of hiding samples, director Tom Peeters said. The city will test it.

“We had nothing to do with this,” harbour master Lena Claes told VRT.
"""


class NumberedFake:
    """Answers each numbered sentence with ``claims_for(sentence opening)``."""

    def __init__(self, claims_for: Any) -> None:
        self.claims_for = claims_for
        self.schemas: list[dict[str, Any]] = []
        self.turns: list[str] = []

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        schema = response_model.model_json_schema()  # type: ignore[attr-defined]
        self.schemas.append(schema)
        self.turns.append(messages[-1]["content"])
        heads = [
            d["properties"]["sentence"]["const"]
            for d in schema["$defs"].values()
            if "sentence" in d.get("properties", {})
        ]
        body = {"sentences": [{"sentence": h, "claims": self.claims_for(h)} for h in heads]}
        value = response_model.model_validate_json(json.dumps(body))  # type: ignore[attr-defined]
        return Completion(
            value=value, usage=Usage(prompt_tokens=10, calls=1), raw="{}", latency_s=0.0
        )


def test_passages_number_stage_ones_sentences_and_show_the_rest_as_context() -> None:
    text = ARTICLE + "\nThe weather was fine. Boats left early.\n"
    candidates = LEXICON.find(text)
    wanted = [c.span for c in candidates]
    passages = find_passages(text, candidates, 6)
    numbered = [c.span for p in passages for c in p.numbered]
    assert numbered == wanted  # every candidate once, in order
    for p in passages:
        shown = sorted(
            [*(c.span for c in p.numbered), *(s for _, s in p.context)], key=lambda s: s.start
        )
        paras = {para for para in paragraphs(text) for s in shown if para.contains(s)}
        assert shown == sorted(
            (s for para in paras for s in sentences(text, para)), key=lambda s: s.start
        )
    # a paragraph without a candidate is in no passage
    quiet = [para for para in paragraphs(text) if not any(para.contains(s) for s in wanted)]
    assert all(not q.overlaps(p.window) for q in quiet for p in passages)


def test_a_passage_holds_at_most_per_request_sentences() -> None:
    text = "\n\n".join(f"Official {i} said the port is closed." for i in range(7))
    passages = find_passages(text, LEXICON.find(text), 3)
    assert [len(p.numbered) for p in passages] == [3, 3, 1]


def test_the_answer_schema_fixes_one_entry_per_sentence_in_order() -> None:
    model = numbered_answer_model((opening(1, "A b c d e"), opening(2, "F g h")), 2)
    ok = {
        "sentences": [
            {"sentence": "[1] A b c d", "claims": []},
            {"sentence": "[2] F g h", "claims": []},
        ]
    }
    assert len(model.model_validate(ok).sentences) == 2
    swapped = {"sentences": ok["sentences"][::-1]}
    with pytest.raises(ValidationError):
        model.model_validate(swapped)
    with pytest.raises(ValidationError):
        model.model_validate({"sentences": ok["sentences"][:1]})


def test_claims_land_on_their_own_sentence_with_rule_evidence_and_rule_stance() -> None:
    pipeline = Pipeline(get_prompt("toy@v3"))

    def claims_for(head: str) -> list[dict[str, str]]:
        if "Seawatch" in head:
            return [
                {"speaker": "Tom Peeters", "stance": "refutes", "claim": "The port hid samples."}
            ]
        if "We had" not in head:
            return []
        return [
            {
                "speaker": "Lena Claes",
                "stance": "supports",
                "claim": "The port of Ostend had nothing to do with the fish deaths.",
            }
        ]

    fake = NumberedFake(claims_for)
    out = asyncio.run(pipeline.drafts(fake, ARTICLE))
    assert len(fake.turns) == 2 and "] “We had nothing" in fake.turns[1]
    done = assemble(
        ARTICLE, out.drafts, threshold=90.0, stance=pipeline.stance, speaker=pipeline.speaker
    )
    by_speaker = {c.speaker: c for c in done.claims}
    peeters, claes = by_speaker["Tom Peeters"], by_speaker["Lena Claes"]
    assert peeters.quote == "Seawatch accused the port of hiding samples"
    assert claes.quote == "We had nothing to do with this"
    # accusation supports; the negated proposition is turned affirmative and refuted
    assert peeters.stance == "supports" and claes.stance == "refutes"
    assert claes.claim == "The port of Ostend had something to do with the fish deaths."
    assert peeters.confidence is not None and claes.confidence is not None
    # the model disagreed on Peeters' stance; Claes' claim shares no word with her quote
    assert "disagree" in peeters.confidence.detail and peeters.confidence.value < 0.9
    assert "; agree" in claes.confidence.detail and "shares little" in claes.confidence.detail


def test_oracle_evidence_numbers_exactly_the_given_spans() -> None:
    pipeline = Pipeline(get_prompt("toy@v3"))
    body = [s for s in sentences(ARTICLE) if "Lena Claes" in s.slice(ARTICLE)]
    given = [Span(body[0].start + 1, body[0].start + 31)]  # "We had nothing to do with this"
    assert given_candidates(ARTICLE, given)[0].exact
    requests = pipeline.plan(ARTICLE, evidence=given)
    assert len(requests) == 1
    # the span numbered, its paragraph shown before it for the speaker and the frame
    assert requests[0].variables["text"] == (
        "- “We had nothing to do with this,” harbour master Lena Claes told VRT.\n"
        "[1] We had nothing to do with this"
    )


def test_signalled_claims_keep_only_sentences_that_quote_or_have_a_frequent_cue() -> None:
    def claims_for(head: str) -> list[dict[str, str]]:
        return [{"speaker": "Tom Peeters", "stance": "supports", "claim": f"{head} (claim)."}]

    def quotes(keep: str) -> list[str]:
        spec = get_prompt("toy@v3")
        stages = type(spec.pipeline).model_validate({**spec.pipeline.model_dump(), "keep": keep})
        pipeline = Pipeline(spec.model_copy(update={"pipeline": stages}))
        out = asyncio.run(pipeline.drafts(NumberedFake(claims_for), ARTICLE))
        return [d.claim.quote for d in out.drafts]

    # "The city will test it." is asked about ("will" is a cue seen 10 times in train)...
    assert any(q.startswith("The city will test it") for q in quotes("all"))
    # ... but a cue that rare is narration: its claims are dropped; "said" and quotes stay.
    kept = quotes("signalled")
    assert not any(q.startswith("The city will") for q in kept)
    assert any(q.startswith("Seawatch accused") for q in kept)
    assert any(q.startswith("We had nothing") for q in kept)


@pytest.mark.parametrize(
    ("sentence", "strong"),
    [
        ("The senator said the bill would pass.", True),
        ("“It will pass,” he added.", True),
        ("Trump: We will win.", True),
        ("The band carried on until dawn.", False),  # "carry": 4 in train
        ("The bridge is 40 metres long.", False),
    ],
)
def test_has_strong_signal(sentence: str, strong: bool) -> None:
    from claimx.text.attribution import has_strong_signal

    text = f"Headline\n\n{sentence}"
    whole = Span(len("Headline\n\n"), len(text))  # the sentence is its paragraph
    assert has_strong_signal(text, whole, whole) is strong
