"""Given spans in place of stage one (the eval's oracle), and the extractor's min_confidence.

In-process against the fake :class:`~claimx.llm.protocol.Model` of
``test_pipeline`` (no server, no recording), with the fixture prompts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from claimx.errors import ConfigError, PromptError
from claimx.extraction.extractor import Extractor, confident
from claimx.extraction.pipeline import Pipeline
from claimx.extraction.stages.given_spans import given_candidates
from claimx.llm.config import ClientConfig
from claimx.models import Confidence, ExtractionResult
from claimx.prompts import get_prompt
from claimx.text.spans import Span

from .test_pipeline import ARTICLE, Answer, FakeModel, answer_none, claim, user_turns

CONFIG = ClientConfig(model="fake", base_url="http://127.0.0.1:9/v1", api_key="x")


def span_of(quote: str) -> Span:
    start = ARTICLE.index(quote)
    return Span(start, start + len(quote))


ACCUSED = span_of("Seawatch accused the port of hiding samples")
NOTHING = span_of("We had nothing to do with this.")


def test_evidence_asks_exactly_the_distinct_spans_in_article_order() -> None:
    pipeline = Pipeline(get_prompt("toy@v2"))
    assert pipeline.takes_evidence
    planned = pipeline.plan(ARTICLE, evidence=[NOTHING, ACCUSED, NOTHING])
    assert [r.variables["text"] for r in planned] == [
        ACCUSED.slice(ARTICLE),
        NOTHING.slice(ARTICLE),
    ]
    # the window is the sentence holding the span, where the quote is grounded
    assert [r.window.slice(ARTICLE) for r in planned if r.window] == [
        "Seawatch accused the port of hiding samples, director Tom Peeters said.",
        "“We had nothing to do with this.",
    ]
    # context: the paragraph before, as stage one gives it
    assert planned[0].variables["context"] == (
        "Thousands of dead fish washed up on the beaches of Ostend last week."
    )
    assert planned[1].variables["paragraph"].startswith("“We had nothing")
    assert planned[1].variables["paragraph"].endswith("told VRT.")


@pytest.mark.parametrize("prompt", ["toy@v2", "toy@v3"])
def test_without_evidence_the_plan_is_stage_ones(prompt: str) -> None:
    pipeline = Pipeline(get_prompt(prompt))
    own = pipeline.plan(ARTICLE)
    assert pipeline.plan(ARTICLE, evidence=None) == own
    assert own != pipeline.plan(ARTICLE, evidence=[ACCUSED])


def test_a_quote_the_model_widens_to_its_sentence_still_grounds() -> None:
    def answer(text: str) -> Answer:
        return [claim("Seawatch accused the port of hiding samples, director Tom Peeters said")]

    model = FakeModel(answer)
    extractor = Extractor("toy@v2", config=CONFIG)
    result = asyncio.run(extractor.aextract(ARTICLE, llm=model, evidence=[ACCUSED]))
    assert len(model.requests) == 1 and "Seawatch accused" in user_turns(model)[0]
    assert [c.quote for c in result.claims] == [
        "Seawatch accused the port of hiding samples, director Tom Peeters said"
    ]


def test_no_evidence_spans_means_no_request() -> None:
    model = FakeModel(answer_none)
    result = asyncio.run(
        Extractor("toy@v2", config=CONFIG).aextract(ARTICLE, llm=model, evidence=[])
    )
    assert model.requests == [] and result.claims == []


def test_the_whole_text_refuses_evidence_before_any_request() -> None:
    pipeline = Pipeline(get_prompt("toy@v1"))
    assert not pipeline.takes_evidence
    with pytest.raises(PromptError, match="find: whole_text"):
        pipeline.plan(ARTICLE, evidence=[ACCUSED])
    model = FakeModel(answer_none)
    with pytest.raises(PromptError, match="toy@v1 has no stage one for given spans"):
        asyncio.run(Extractor("toy@v1", config=CONFIG).aextract(ARTICLE, llm=model, evidence=[]))
    assert model.requests == []


def test_a_span_outside_the_article_is_refused() -> None:
    with pytest.raises(PromptError, match="outside the article"):
        Pipeline(get_prompt("toy@v2")).plan(ARTICLE, evidence=[Span(0, len(ARTICLE) + 5)])


def test_confident_keeps_claims_at_or_above_the_threshold_and_those_without_one() -> None:
    model = FakeModel(lambda _: [claim("We had nothing to do with this.")])
    result = asyncio.run(Extractor("toy@v2", config=CONFIG).aextract(ARTICLE, llm=model))
    (base,) = result.claims
    low, high, none = (
        base.model_copy(update={"confidence": Confidence(value=0.3, source="rule")}),
        base.model_copy(update={"confidence": Confidence(value=0.8, source="rule")}),
        base.model_copy(update={"confidence": None}),
    )
    assert confident([low, high, none], 0.8) == [high, none]
    assert confident([low, high, none], 0.0) == [low, high, none]


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_min_confidence_outside_zero_one_is_refused(value: float) -> None:
    with pytest.raises(ConfigError, match="between 0 and 1"):
        Extractor("toy@v2", config=CONFIG, min_confidence=value)


def test_min_confidence_drops_low_claims_in_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    # the confidence assemble gives depends on the stance rules: set known values here
    import claimx.extraction.extractor as extractor_module

    real = extractor_module.assemble

    def with_confidence(*args: object, **kwargs: object) -> object:
        done = real(*args, **kwargs)  # type: ignore[arg-type]
        values = iter([0.2, 0.9])
        done.claims = [
            c.model_copy(update={"confidence": Confidence(value=next(values), source="rule")})
            for c in done.claims
        ]
        return done

    monkeypatch.setattr(extractor_module, "assemble", with_confidence)
    model = FakeModel(
        lambda _: [claim("We had nothing to do with this."), claim("The dredging had stopped")]
    )
    extractor = Extractor("toy@v1", config=CONFIG, min_confidence=0.5)
    result = asyncio.run(extractor.aextract(ARTICLE, llm=model))
    assert [c.confidence.value for c in result.claims if c.confidence] == [0.9]
    assert any("below 0.5" in w for w in result.warnings)


def test_extract_cli_refuses_a_min_confidence_outside_zero_one(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    dead = ["--model", "x", "--base-url", "http://127.0.0.1:9/v1"]
    result = CliRunner().invoke(app, ["extract", str(article), "--min-confidence", "1.5", *dead])
    assert result.exit_code == 2
    assert "--min-confidence" in result.output and "between 0 and 1" in result.output


def test_extract_cli_min_confidence_drops_claims_below_it(tmp_path: Path) -> None:
    # The SYNTHETIC server (regex "claims", not model output): only the filter is tested.
    from tests.fake_openai_server import FakeOpenAIServer, synthetic_article

    article = tmp_path / "a.txt"
    article.write_text(synthetic_article(0), encoding="utf-8")
    kept = {}
    with FakeOpenAIServer(max_seconds=60) as server:
        for threshold in ("0", "0.99"):
            out = tmp_path / f"{threshold}.jsonl"
            args = ["extract", str(article), "--prompt", "toy@v1", "-o", str(out),
                    "--model", "synthetic", "--base-url", server.base_url, "--no-cache",
                    "--min-confidence", threshold]  # fmt: skip
            result = CliRunner().invoke(app, args)
            assert result.exit_code == 0, result.output
            (line,) = out.read_text(encoding="utf-8").splitlines()
            kept[threshold] = ExtractionResult.model_validate_json(line).claims
    assert kept["0"], "the synthetic article has claims"
    values = [c.confidence.value if c.confidence else None for c in kept["0"]]
    expected = [c for c, v in zip(kept["0"], values, strict=True) if v is None or v >= 0.99]
    assert [c.claim for c in kept["0.99"]] == [c.claim for c in expected]


def test_a_span_across_paragraphs_gets_both_as_paragraph_and_window() -> None:
    start = ARTICLE.index("The city will test it.")
    end = ARTICLE.index("The dredging had stopped") + len("The dredging had stopped")
    (candidate,) = given_candidates(ARTICLE, [Span(start, end)])
    assert candidate.span.slice(ARTICLE) == ARTICLE[start:end] and candidate.exact
    paragraph = candidate.paragraph.slice(ARTICLE)
    assert paragraph.startswith("Seawatch") and paragraph.endswith("VRT.")
    # from the sentence the span starts in to the end of the one it ends in
    assert candidate.window is not None
    assert candidate.window.slice(ARTICLE) == ARTICLE[start : ARTICLE.index("VRT.") + 4]
    (request,) = Pipeline(get_prompt("toy@v2")).plan(ARTICLE, evidence=[Span(start, end)])
    assert request.variables["context"].startswith("Thousands of dead fish")
