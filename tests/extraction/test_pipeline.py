"""The pipeline of named stages, in-process against a fake model (no server, no recording).

:class:`FakeModel` implements :class:`claimx.llm.protocol.Model`: it records the
messages it is asked and answers what the test gives it, so each test states
what a pipeline sends and how it handles the answers. The prompts are the
fixture prompts of ``tests/prompts`` (``toy@v1``: the whole text, quoted;
``toy@v2``: lexicon sentences, quoted; ``toy@v3``: numbered passages, rules).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from claimx.errors import ExtractionError, PromptError
from claimx.extraction.drafts import ClaimDraft, ClaimDrafts
from claimx.extraction.extractor import Extractor
from claimx.extraction.pipeline import Pipeline
from claimx.extraction.records import Drafts
from claimx.extraction.stages import KINDS, registered
from claimx.llm.protocol import Completion, T
from claimx.models import Usage
from claimx.prompts import PromptRegistry, PromptSpec, get_prompt
from claimx.text.spans import Span

ARTICLE = """Harbour news

Thousands of dead fish washed up on the beaches of Ostend last week.

Seawatch accused the port of hiding samples, director Tom Peeters said. The city will test it.

“We had nothing to do with this. The dredging had stopped,” harbour master Lena Claes told VRT.
"""
TOY_STAGE = Path(__file__).resolve().parent / "toy_stage"

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


def run(prompt: str, model: FakeModel, text: str = ARTICLE) -> Drafts:
    return asyncio.run(Pipeline(get_prompt(prompt)).drafts(model, text))


def user_turns(model: FakeModel) -> list[str]:
    return [messages[-1]["content"] for messages in model.requests]


def answer_none(_: str) -> Answer:
    return []


def test_the_whole_text_is_sent_once() -> None:
    model = FakeModel(lambda _: [claim("We had nothing to do with this.")])
    out = run("toy@v1", model)
    assert len(model.requests) == 1 and ARTICLE.strip() in user_turns(model)[0]
    assert [d.window for d in out.drafts] == [None]  # the model saw the whole article
    assert out.usage == Usage(prompt_tokens=100, completion_tokens=10, calls=1)


@pytest.mark.parametrize("prompt", ["toy@v1", "toy@v2"])
def test_a_pipeline_sends_what_it_planned(prompt: str) -> None:
    pipeline = Pipeline(get_prompt(prompt))
    model = FakeModel(answer_none)
    planned = pipeline.plan(ARTICLE)
    assert model.requests == []  # planning asks nothing
    asyncio.run(pipeline.drafts(model, ARTICLE))
    assert model.requests == [pipeline.messages(r.variables) for r in planned]


def test_a_stage_one_of_sentences_asks_per_sentence_with_its_paragraph_and_window() -> None:
    model = FakeModel(
        lambda text: (
            [claim("We had nothing to do with this.")] if "Sentence: “We had" in text else []
        )
    )
    out = run("toy@v2", model)
    turns = user_turns(model)
    asked = [t.split("Sentence: ")[1] for t in turns]
    # Every signalled sentence ("news", "washed" and "will" are cues of the lexicon too),
    # and the second sentence of the Claes quote, which continues the quotation.
    assert asked == [
        "Harbour news",
        "Thousands of dead fish washed up on the beaches of Ostend last week.",
        "Seawatch accused the port of hiding samples, director Tom Peeters said.",
        "The city will test it.",
        "“We had nothing to do with this.",
        "The dredging had stopped,” harbour master Lena Claes told VRT.",
    ]
    paragraph = "“We had nothing to do with this. The dredging had stopped,”"
    assert all(f"Paragraph: {paragraph}" in t for t in turns[4:])
    assert "Earlier paragraph: Seawatch accused" in turns[4]
    (draft,) = out.drafts
    assert (
        draft.window is not None
        and draft.window.slice(ARTICLE) == "“We had nothing to do with this."
    )
    assert out.usage.calls == 6


def test_a_failing_request_is_skipped_with_a_warning_and_the_rest_kept() -> None:
    def answer(text: str) -> Answer:
        if "Sentence: Seawatch" in text:
            return ExtractionError("the model answered nonsense")
        return [claim("We had nothing to do with this.")] if "Sentence: “We" in text else []

    pipeline = Pipeline(get_prompt("toy@v2"))
    (failing,) = [r.window for r in pipeline.plan(ARTICLE) if "Seawatch" in r.variables["text"]]
    assert failing is not None
    out = asyncio.run(pipeline.drafts(FakeModel(answer), ARTICLE))
    assert [w.split(":")[0] for w in out.warnings] == [
        f"request at {failing.start}-{failing.end} skipped"
    ]
    assert len(out.drafts) == 1


@pytest.mark.parametrize("prompt", ["toy@v1", "toy@v2"])
def test_an_article_whose_every_request_fails_is_a_failed_article_counting_every_call(
    prompt: str,
) -> None:
    model = FakeModel(lambda _: ExtractionError("the model answered nonsense", attempts=2))
    extractor = Extractor(prompt, model="local", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ExtractionError, match="nonsense") as failed:
        asyncio.run(extractor.aextract(ARTICLE, llm=model))
    requests = len(Pipeline(get_prompt(prompt)).plan(ARTICLE))
    assert failed.value.usage is not None and failed.value.usage.calls == 2 * requests


def test_the_content_hash_covers_the_pipeline_and_leaves_out_the_description() -> None:
    spec = get_prompt("toy@v2")
    same = spec.model_copy(update={"description": "reworded"})
    other = spec.model_copy(
        update={
            "pipeline": spec.pipeline.model_copy(
                update={"keep": get_prompt("toy@v3").pipeline.keep}
            )
        }
    )
    assert Pipeline(same).content_hash == Pipeline(spec).content_hash
    assert Pipeline(other).content_hash != Pipeline(spec).content_hash


def test_stage_names_and_parameters_are_checked_when_the_pipeline_is_built() -> None:
    spec = get_prompt("toy@v3")
    bad_name = spec.pipeline.model_copy(update={"find": {"name": "lexcon"}})
    with pytest.raises(PromptError, match="unknown find stage 'lexcon'; available: .*lexicon"):
        Pipeline(
            spec.model_copy(
                update={
                    "pipeline": type(spec.pipeline).model_validate(
                        {**spec.pipeline.model_dump(), "find": "lexcon"}
                    )
                }
            )
        )
    assert bad_name is not None
    bad_param = type(spec.pipeline).model_validate(
        {**spec.pipeline.model_dump(), "ask": {"name": "numbered", "per_request": 0}}
    )
    with pytest.raises(PromptError, match="ask stage 'numbered': per_request: Input should be"):
        Pipeline(spec.model_copy(update={"pipeline": bad_param}))
    unknown_param = type(spec.pipeline).model_validate(
        {**spec.pipeline.model_dump(), "find": {"name": "lexicon", "window": 2}}
    )
    with pytest.raises(PromptError, match="find stage 'lexicon': window: Extra inputs"):
        Pipeline(spec.model_copy(update={"pipeline": unknown_param}))


def test_examples_are_checked_in_the_ask_stages_answer_format() -> None:
    spec = get_prompt("toy@v1")
    broken = spec.examples[0].model_copy(
        update={"claims": [{**spec.examples[0].claims[0], "quote": "not there"}]}
    )
    with pytest.raises(PromptError, match=r"examples\[0\].*quote does not occur"):
        Pipeline(spec.model_copy(update={"examples": [broken]}))
    numbered = get_prompt("toy@v3")
    off = numbered.examples[0].model_copy(
        update={"claims": [{**numbered.examples[0].claims[0], "sentence": 4}]}
    )
    with pytest.raises(PromptError, match="sentence is 4, but the example text numbers 1"):
        Pipeline(numbered.model_copy(update={"examples": [off]}))


def test_a_variable_the_ask_stage_does_not_fill_is_refused() -> None:
    spec = get_prompt("toy@v3").model_copy(update={"variables": ["text", "context", "paragraph"]})
    with pytest.raises(PromptError, match="paragraph.*that ask stage 'numbered' does not fill"):
        Pipeline(spec)


def test_given_spans_replace_stage_one_and_a_whole_text_pipeline_refuses_them() -> None:
    given = [Span(ARTICLE.index("We had"), ARTICLE.index("We had") + 30)]
    pipeline = Pipeline(get_prompt("toy@v2"))
    (request,) = pipeline.plan(ARTICLE, evidence=given)
    assert request.variables["text"] == "We had nothing to do with this"
    assert request.window is not None and request.window.slice(ARTICLE).startswith("“We had")
    with pytest.raises(PromptError, match="no stage one for given spans to replace"):
        Pipeline(get_prompt("toy@v1")).plan(ARTICLE, evidence=given)


def test_every_kind_has_its_built_in_stages_registered() -> None:
    assert {kind: registered(kind) for kind in KINDS} == {
        "find": ["lexicon", "tagger", "whole_text"],
        "ask": ["numbered", "quoted"],
        "keep": ["all", "signalled"],
        "speaker": ["model", "rules", "tagged"],
        "stance": ["model", "rules"],
    }


def test_a_stage_added_in_a_file_outside_claimx_runs_end_to_end() -> None:
    """Adding a stage is one module and one registration: claimx/ is not touched."""
    from tests.extraction.toy_stage import stage  # registers find: first_sentences

    assert "first_sentences" in registered("find")
    spec: PromptSpec = PromptRegistry(TOY_STAGE / "prompts").get("toy@v1")
    model = FakeModel(
        lambda text: (
            [claim("Thousands of dead fish washed up", "Harbour news")]
            if "Thousands" in text
            else []
        )
    )
    extractor = Extractor(spec, model="local", base_url="http://127.0.0.1:9/v1")
    result = asyncio.run(extractor.aextract(ARTICLE, llm=model))
    # one request per paragraph's first sentence
    assert len(model.requests) == 4
    assert stage.FirstSentences.name in result.strategy
    assert [c.quote for c in result.claims] == ["Thousands of dead fish washed up"]
    assert result.claims[0].start == ARTICLE.index("Thousands")


def test_the_tagger_stage_one_gives_exact_candidates_with_their_written_source() -> None:
    text = "Harbour news\n\n“We had nothing to do with this,” harbour master Lena Claes told VRT.\n"
    pipeline = Pipeline(
        get_prompt("toy@v3").model_copy(
            update={
                "pipeline": type(get_prompt("toy@v3").pipeline).model_validate(
                    {**get_prompt("toy@v3").pipeline.model_dump(), "find": "tagger"}
                )
            }
        )
    )
    candidates = pipeline.candidates(text)
    claes = [c for c in candidates if "nothing" in c.span.slice(text)]
    assert claes and all(c.exact and c.cue is not None for c in claes)
    (request,) = pipeline.plan(text)
    # the sentences first, then the numbered contents
    assert request.variables["text"].splitlines()[0].startswith("- “We had nothing")
    assert "[1] " in request.variables["text"]


@pytest.mark.parametrize("family", ["encoder", "bilstm"])
def test_the_tagger_stage_one_runs_each_onnx_family(family: str) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    from claimx.tagging import tag

    text = "Harbour news\n\n“We had nothing to do with this,” harbour master Lena Claes told VRT.\n"
    toy = get_prompt("toy@v3")
    config = {**toy.pipeline.model_dump(), "find": {"name": "tagger", "family": family}}
    pipeline = Pipeline(
        toy.model_copy(update={"pipeline": type(toy.pipeline).model_validate(config)})
    )
    candidates = pipeline.candidates(text)
    # The stage's candidates are that family's tagged contents, exact, with their source.
    tagged = tag(text, family=family)
    assert [(c.span, c.pieces) for c in candidates] == [(a.span, a.content) for a in tagged]
    claes = [c for c in candidates if "nothing" in c.span.slice(text)]
    assert claes and claes[0].exact and claes[0].source is not None
    assert "Claes" in claes[0].source.slice(text)
