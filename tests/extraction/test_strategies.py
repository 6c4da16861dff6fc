"""The strategies' request loop, in-process against a fake model (no server, no recording).

:class:`FakeModel` implements :class:`claimx.llm.protocol.Model`: it records the
messages it is asked and answers what the test gives it, so each test states
what a strategy sends and how it handles the answers.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from claimx.errors import ExtractionError
from claimx.extraction.drafts import ClaimDraft, ClaimDrafts
from claimx.extraction.strategies import StrategyOutput, get_strategy
from claimx.extraction.strategies.staged import StagedParams
from claimx.llm.protocol import Completion, T
from claimx.models import Usage
from claimx.prompts import get_prompt

ROOT = Path(__file__).resolve().parents[2]

ARTICLE = """Harbour news

Thousands of dead fish washed up on the beaches of Ostend last week.

Seawatch accused the port of hiding samples, director Tom Peeters said. The city will test it.

“We had nothing to do with this. The dredging had stopped,” harbour master Lena Claes told VRT.
"""

#: an answer for one request: the claims, or an error to raise
Answer = list[ClaimDraft] | ExtractionError


class FakeModel:
    """A fake :class:`~claimx.llm.protocol.Model`: records requests, answers from ``answer``."""

    def __init__(self, answer: Callable[[str], Answer]) -> None:
        self.answer = answer
        self.requests: list[list[dict[str, str]]] = []

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        self.requests.append(messages)
        answer = self.answer(messages[-1]["content"])
        if isinstance(answer, ExtractionError):
            raise answer
        value = response_model.model_validate(ClaimDrafts(claims=answer).model_dump())
        usage = Usage(prompt_tokens=100, completion_tokens=10 * len(answer), calls=1)
        return Completion(value=value, usage=usage, raw="{}", latency_s=0.0)


def claim(quote: str, speaker: str = "Lena Claes") -> ClaimDraft:
    return ClaimDraft(quote=quote, speaker=speaker, stance="supports", claim=f"{quote}.")


def run(prompt: str, model: FakeModel) -> StrategyOutput:
    spec = get_prompt(prompt)
    return asyncio.run(get_strategy(spec.strategy).drafts(model, spec, ARTICLE))


def user_turns(model: FakeModel) -> list[str]:
    return [messages[-1]["content"] for messages in model.requests]


def answer_none(_: str) -> Answer:
    return []


def test_single_pass_sends_the_whole_article_once() -> None:
    model = FakeModel(lambda _: [claim("We had nothing to do with this.")])
    out = run("extract@v2", model)
    assert len(model.requests) == 1 and ARTICLE.strip() in user_turns(model)[0]
    assert [d.window for d in out.drafts] == [None]  # the model saw the whole article
    assert out.usage == Usage(prompt_tokens=100, completion_tokens=10, calls=1)


def test_single_pass_raises_when_its_one_request_fails() -> None:
    model = FakeModel(lambda _: ExtractionError("the model answered nonsense"))
    with pytest.raises(ExtractionError):
        run("extract@v2", model)


@pytest.mark.parametrize("prompt", ["extract@v1", "extract@v2", "extract@v3", "extract@v4"])
def test_a_strategy_sends_what_it_planned(prompt: str) -> None:
    spec = get_prompt(prompt)
    strategy = get_strategy(spec.strategy)
    model = FakeModel(answer_none)
    planned = strategy.plan(spec, ARTICLE)
    assert model.requests == []  # planning asks nothing
    asyncio.run(strategy.drafts(model, spec, ARTICLE))
    assert model.requests == [spec.render(**r.variables) for r in planned]


def test_staged_asks_once_per_candidate_paragraph_with_its_window() -> None:
    spec = get_prompt("extract@v3")
    windows = [r.window for r in get_strategy("staged").plan(spec, ARTICLE)]
    model = FakeModel(
        lambda text: [claim("We had nothing to do with this.")] if "Claes" in text else []
    )
    out = run("extract@v3", model)
    # Two paragraphs carry attribution (the fish paragraph does not): two requests.
    assert len(model.requests) == 2
    assert [w.slice(ARTICLE)[:9] for w in windows if w] == ["Seawatch ", "“We had n"]
    (draft,) = out.drafts
    assert draft.window is not None and draft.window == windows[1]
    assert draft.claim.quote in draft.window.slice(ARTICLE)
    assert out.usage == Usage(prompt_tokens=200, completion_tokens=10, calls=2)


def test_staged_sentences_asks_per_sentence_with_the_paragraph_as_context() -> None:
    model = FakeModel(answer_none)
    run("extract@v4", model)
    turns = user_turns(model)
    # The Seawatch sentence (the city sentence has no cue) and the two sentences of
    # the Claes quote, the second continuing the quotation opened in the first.
    assert len(turns) == 3
    paragraph = "“We had nothing to do with this. The dredging had stopped,”"
    assert all(paragraph in t for t in turns[1:])
    assert "The dredging had stopped" in turns[2]


def test_a_failing_candidate_is_skipped_with_a_warning_and_the_rest_kept() -> None:
    def answer(text: str) -> Answer:
        if "Seawatch" in text.split("Paragraph to extract from:")[1]:
            return ExtractionError("the model answered nonsense")
        return [claim("We had nothing to do with this.")]

    spec = get_prompt("extract@v3")
    failing = get_strategy("staged").plan(spec, ARTICLE)[0].window
    assert failing is not None
    out = run("extract@v3", FakeModel(answer))
    assert [w.split(":")[0] for w in out.warnings] == [
        f"candidate at {failing.start}-{failing.end} skipped"
    ]
    assert len(out.drafts) == 1
    assert out.usage.calls == 1  # the failed request's usage is not known, so not counted


def test_context_paragraphs_is_read_from_the_prompt_files_key_without_changing_hashes() -> None:
    # The prompt files keep the key "context_sentences" (it is a paragraph count):
    # the content hash, which the recordings' manifest pins, must not move.
    manifest = json.loads((ROOT / "eval" / "cassettes" / "local" / "manifest.json").read_text())
    for key, recorded in manifest["prompts"].items():
        ref = key.removesuffix("+oracle-evidence")  # the oracle runs pin their prompt's hash
        assert get_prompt(ref).content_hash == recorded, key
    spec = get_prompt("extract@v3")
    assert StagedParams.of(spec).context_paragraphs == 1
    assert spec.model_dump(by_alias=True)["params"]["context_sentences"] == 1


def test_context_paragraphs_sets_how_many_paragraphs_a_candidate_carries() -> None:
    spec = get_prompt("extract@v3")
    staged = get_strategy("staged")
    wider = spec.model_copy(
        update={"params": spec.params.model_copy(update={"context_paragraphs": 2})}
    )
    (one, _), (two, _) = staged.plan(spec, ARTICLE), staged.plan(wider, ARTICLE)
    assert (
        one.variables["context"]
        == "Thousands of dead fish washed up on the beaches of Ostend last week."
    )
    assert two.variables["context"] == "Harbour news\n" + one.variables["context"]
