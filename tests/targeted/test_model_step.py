"""The model step and the order of the steps, with a SYNTHETIC scripted model (tests/targeted/
synthetic.py): what is read off an answer, and when the model is (not) asked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from claimx.errors import ExtractionError
from claimx.models import GoldArticle, Usage
from claimx.prompts import PromptRegistry
from claimx.targeted.answer import ModelStep, aanswer
from claimx.targeted.asking import AnswerChecks, example_words, read_answer
from claimx.targeted.lexical import view
from claimx.targeted.schema import answer_model
from claimx.targeted.shipped import shipped
from claimx.targeted.task import TargetedTask
from tests.conftest import ARTICLES, SHIPPED_PROMPTS
from tests.targeted.synthetic import NUMBERED, ScriptedModel, kirby_sources

ROOT = Path(__file__).resolve().parents[2]
STEM = "001_542e584fe1452441"
TEXT = (ARTICLES / f"{STEM}.txt").read_text(encoding="utf-8")
GOLD = GoldArticle.model_validate_json((ROOT / "eval" / "gold" / f"{STEM}.json").read_text())
TASK = TargetedTask(PromptRegistry(SHIPPED_PROMPTS).get("targeted@v1"))
US = "The United States was behind the drone attack on the Kremlin."
PUTIN = "Vladimir Putin was in the Kremlin at the time of the drone attack."


def step(model: ScriptedModel) -> ModelStep:
    return ModelStep(model, TASK, "scripted")


def number_of(user_turn: str, words: str) -> int:
    return next(int(n) for n, line in NUMBERED.findall(user_turn) if words in line)


def test_sources_get_their_sentence_evidence_and_resolved_names() -> None:
    passage = TASK.passage(US, view(TEXT), shipped().idf)
    turn = passage.text
    kirby = number_of(turn, "We had nothing to do with this")
    us = number_of(turn, "The US responded by saying")
    answer = answer_model(len(passage), 3).model_validate(
        {
            "sources": [
                {"sentence": kirby, "speaker": "Kirby", "stance": "refutes"},
                # A small model's habit: the context's speaker for a sentence naming its own.
                {"sentence": us, "speaker": "John Kirby", "stance": "refutes"},
                {"sentence": kirby, "speaker": "he", "stance": "refutes"},
            ],
            "position": "uncertain",
        }
    )
    sources, warnings = read_answer(US, TEXT, passage, answer)
    got = {s.speaker: s.stance for s in sources}
    assert got == {"John Kirby": "refutes", "US": "refutes"}
    for s in sources:
        assert TEXT[s.start : s.end] == s.quote and s.proposition is None
        assert s.speaker_id
    kirby_quote = next(s.quote for s in sources if s.speaker == "John Kirby")
    assert kirby_quote == "We had nothing to do with this."
    assert [s.start for s in sources] == sorted(s.start for s in sources)
    assert any("'he'" in w for w in warnings)


def test_an_article_with_sources_on_the_claim_is_not_unrelated() -> None:
    model = ScriptedModel(
        lambda turn: {
            "sources": [
                {
                    "sentence": number_of(turn, "Russia accused the United States"),
                    "speaker": "Russia",
                    "stance": "refutes",
                }
            ],
            "position": "unrelated",
        }
    )
    got = run(US, model)
    # The accusation supports the claim (the rules, not the model's "refutes"); it is the
    # only source and 001's best sentences do not hedge: the article takes its side.
    assert got.decided_by == "model" and got.stance == "supports"
    assert [(s.speaker, s.stance) for s in got.sources] == [("Russia", "supports")]
    assert any("the model said unrelated; the rules say supports" in w for w in got.warnings)


def test_sources_the_model_did_not_read_in_the_sentences_are_dropped() -> None:
    text = (ARTICLES / "000_238a37b8fe8ea8e2.txt").read_text(encoding="utf-8")
    passage = TASK.passage(US, view(text), shipped().idf)
    turn = passage.text
    lines = [
        ("News U.S.", "News U.S."),  # page furniture
        ("Pieter Smet", "The White House on Wednesday denied"),  # an example's name
        ("Vladimir Zelensky", "Peskov is just lying there"),  # named nowhere near
        ("John Kirby", "We had nothing to do with this"),  # no word of the claim
        ("White House", "White House says Kremlin"),  # kept
    ]
    answer = answer_model(len(passage), 8).model_validate(
        {
            "sources": [
                {"sentence": number_of(turn, words), "speaker": who, "stance": "supports"}
                for who, words in lines
            ],
            "position": "refutes",
        }
    )
    checks = AnswerChecks(
        examples=example_words(TASK.spec.examples),
        idf=shipped().idf,
        least_coverage=shipped().screen_threshold,
        furniture_and_names=True,
    )
    kept, warnings = read_answer(US, text, passage, answer, rules=True, checks=checks)
    assert [s.speaker for s in kept] == ["White House"]
    reasons = [w.split(": ", 1)[1] for w in warnings]
    assert reasons[:3] == [
        "the sentence is page furniture",
        "the speaker is copied from the prompt's examples",
        "the speaker is not named near the sentence",
    ]
    # The cost of the last check: a denial that names nothing of the claim ("this") goes too.
    assert reasons[3].startswith("its evidence covers 0.00 of the claim's words")
    # Without the checks (as before them) every named source is kept.
    unchecked, _ = read_answer(US, text, passage, answer, rules=True)
    assert len(unchecked) == 4  # "Pieter Smet" is dropped by the resolver alone


def run(claim: str, model: ScriptedModel | None, claims: Any = ()) -> Any:
    return asyncio.run(
        aanswer(claim, STEM, TEXT, claims, step=step(model) if model is not None else None)
    )


def test_the_model_is_asked_only_when_nothing_cheaper_decides() -> None:
    model = ScriptedModel(kirby_sources)
    screened = run("A volcano erupted near the Reykjavik airport.", model)
    matched = run(US, model, GOLD.claims)
    assert (screened.decided_by, matched.decided_by) == ("screen", "sources")
    assert model.requests == [] and screened.usage == matched.usage == Usage()
    assert screened.prompt == matched.prompt == "targeted@v1"  # the system, whatever decided
    asked = run(US, model)
    assert asked.decided_by == "model" and len(model.requests) == 1
    # Kirby's "Whatever it was did not involve us" names nothing of the claim: dropped, and
    # with no source left the model's own position stands.
    assert asked.stance == "uncertain" and asked.sources == []
    assert any("'Kirby'" in w and "covers" in w for w in asked.warnings)
    assert asked.usage == Usage(prompt_tokens=300, completion_tokens=20, calls=1)
    assert asked.latency_s > 0 and asked.prompt_hash == TASK.content_hash
    assert asked.model == "scripted"


def test_an_invalid_answer_falls_back_to_the_classifier_counting_its_calls() -> None:
    failed = ExtractionError("no valid JSON", attempts=2, usage=Usage(calls=2, prompt_tokens=9))
    got = run(PUTIN, ScriptedModel(lambda _: failed))
    assert got.decided_by == "classifier" and got.sources == []
    assert got.usage.calls == 2 and "no valid answer" in got.warnings[0]


def test_without_a_model_the_classifier_answers() -> None:
    got = run(PUTIN, None)
    assert got.decided_by == "classifier" and got.prompt is None and got.usage.calls == 0


def test_the_rules_read_the_stance_off_the_evidence() -> None:
    from claimx.extraction.stance import evidence_stance
    from claimx.targeted.asking import _NO_MARKER, rule_stance
    from claimx.text.spans import Span

    assert evidence_stance("It rained in Ostend.")[1] == _NO_MARKER  # the reason checked for

    def stance(text: str, claim: str, model: str) -> str:
        quote = text.split(" | ")[1]
        whole = text.replace(" | ", " ")
        start = whole.index(quote)
        return rule_stance(claim, whole, Span(start, start + len(quote)), model)  # type: ignore[arg-type]

    # An accusation supports what it accuses, whatever the model said.
    assert (
        stance("Russia accused the US of | being behind the attack.", US, "refutes") == "supports"
    )
    assert stance("Kirby said: | “We had nothing to do with this.”", US, "supports") == "refutes"
    # A negated claim turns the rule's stance round.
    noenc = "The United States did not encourage Ukraine to strike targets outside its borders."
    said = "Kirby said: | “We do not encourage Ukraine to strike outside its borders.”"
    assert stance(said, noenc, "refutes") == "supports"
    # No marker: the model's "uncertain" stands (a possibility entertained), else supports.
    hypothesis = "Koffler wrote: | If it was staged, the aim would be provocation."
    assert stance(hypothesis, US, "uncertain") == "uncertain"
    assert stance(hypothesis, US, "refutes") == "supports"
    # Calling what states the claim a lie refutes the claim, not when the lie is about
    # something else (the words after "about" must hold half of the claim's).
    lying = "White House says | Kremlin ‘lying’ about US role in drone attack"
    assert stance(lying, US, "supports") == "refutes"
    other = "Kirby said | Moscow lied about the casualties in Bakhmut."
    assert stance(other, US, "supports") == "supports"


def test_with_rules_two_sources_of_one_sentence_keep_the_models_stances() -> None:
    text = (
        "Drone attack on the Kremlin\n\n"
        "The White House denied any role in the drone attack on the Kremlin, after Dmitry"
        " Peskov accused Washington of being behind it.\n\n"
        "“We had nothing to do with this,” John Kirby said."
    )
    passage = TASK.passage(US, view(text), shipped().idf)
    both = number_of(passage.text, "The White House denied")
    kirby = number_of(passage.text, "We had nothing to do with this")
    model = answer_model(len(passage), 3)

    def stances(sources: list[dict[str, Any]]) -> dict[str, str]:
        answer = model.model_validate({"sources": sources, "position": "uncertain"})
        found, _ = read_answer(US, text, passage, answer, rules=True)
        return {s.speaker: s.stance for s in found}

    alone = [{"sentence": kirby, "speaker": "John Kirby", "stance": "supports"}]
    assert stances(alone) == {"John Kirby": "refutes"}  # the rules correct the model
    shared = [
        {"sentence": both, "speaker": "White House", "stance": "supports"},
        {"sentence": both, "speaker": "Dmitry Peskov", "stance": "supports"},
    ]
    assert stances(shared) == {"White House": "supports", "Dmitry Peskov": "supports"}
