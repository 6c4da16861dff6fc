"""Long articles: paragraph-boundary chunks with overlap, offsets mapped back, repeats merged.

The end-to-end test runs against the SYNTHETIC server of
:mod:`tests.fake_openai_server` (regex cut-outs of synthetic articles, not model
output): it checks offsets and merging, never extraction quality.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import claimx.extraction.assemble as assemble_module
from claimx.extraction.assemble import assemble
from claimx.extraction.chunking import (
    MIN_CHUNK_CHARS,
    Chunk,
    chunk_budget,
    chunked_drafts,
    merge_overlaps,
    split_text,
)
from claimx.extraction.drafts import ClaimDraft
from claimx.extraction.extractor import Extractor
from claimx.extraction.pipeline import Pipeline
from claimx.extraction.records import Draft
from claimx.llm.config import ClientConfig
from claimx.llm.protocol import Completion, T
from claimx.models import Usage
from claimx.prompts import get_prompt
from claimx.text import grounding
from claimx.text.grounding import Located
from claimx.text.segments import paragraphs
from claimx.text.spans import Span
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article


def article(n: int, size: int = 180) -> str:
    """``n`` paragraphs of about ``size`` characters, each one numbered."""
    paras = [f"Paragraph {i}. " + ("Words of filler text here. " * (size // 27)) for i in range(n)]
    return "\n\n".join(p.strip() for p in paras) + "\n"


def test_a_short_article_is_one_chunk() -> None:
    text = article(3)
    assert split_text(text, len(text)) == [Chunk(Span(0, len(text)), text)]


@pytest.mark.parametrize(("budget", "size"), [(400, 60), (700, 120), (1500, 180)])
def test_chunks_fit_start_and_end_at_paragraphs_cover_everything_and_overlap(
    budget: int, size: int
) -> None:
    text = article(30, size)  # paragraphs shorter than the default overlap (budget / 5)
    chunks = split_text(text, budget)
    spans = paragraphs(text)
    starts, ends = {s.start for s in spans}, {s.end for s in spans}
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert len(chunk.text) <= budget
        assert chunk.start in starts and chunk.end in ends
    for p in spans:  # every paragraph is wholly inside some chunk
        assert any(c.span.contains(p) for c in chunks)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start < before.end, "neighbours share at least one paragraph"
        assert after.end > before.end, "every chunk brings new text"


def test_no_overlap_when_asked_for_none() -> None:
    chunks = split_text(article(12), 500, overlap=0)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start > before.end


def test_a_paragraph_longer_than_the_budget_is_cut_at_sentence_ends() -> None:
    sentences = [f"Sentence number {i} says something quite long about it." for i in range(40)]
    text = "Short intro.\n\n" + " ".join(sentences) + "\n\nShort outro.\n"
    chunks = split_text(text, 300)
    assert all(len(c.text) <= 300 for c in chunks)
    for sentence in sentences:
        assert any(sentence in c.text for c in chunks), sentence
    inner = [c for c in chunks if "Sentence" in c.text]
    assert all(c.text.rstrip().endswith(".") for c in inner[:-1])


def test_a_big_paragraph_after_small_ones_still_makes_progress() -> None:
    text = "a b c.\n\n" * 5 + ("Long sentence here. " * 30) + "\n\nend.\n"
    chunks = split_text(text, 320)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.end > before.end
    assert chunks[-1].end == len(text.rstrip())


def test_budget_follows_the_context_the_prompt_and_max_tokens() -> None:
    pipeline = Pipeline(get_prompt("toy@v1"))
    config = ClientConfig(api_key="x")
    small, large = chunk_budget(pipeline, config, 6000), chunk_budget(pipeline, config, 12000)
    assert large - small == 6000 * 3  # CHARS_PER_TOKEN characters per extra token
    prompt_chars = sum(len(m["content"]) for m in pipeline.messages({"text": ""}))
    assert pipeline.spec.params.max_tokens == 1200
    assert small < (6000 - 1200) * 3 - prompt_chars + 1  # the prompt and answer are paid for
    assert chunk_budget(pipeline, config, 1000) == MIN_CHUNK_CHARS


def draft(quote: str, claim: str, speaker: str = "Ada Lovelace") -> Draft:
    return Draft(ClaimDraft(quote=quote, speaker=speaker, stance="supports", claim=claim))


def test_merge_keeps_one_reading_of_an_overlap_quote_the_one_with_more_context() -> None:
    text = "Intro para.\n\nAda said: shared quote here.\n\nOutro para that is long enough.\n"
    a = Chunk(Span(0, 41), text[0:41])  # intro + shared
    b = Chunk(Span(13, len(text) - 1), text[13:-1])  # shared + outro: the quote is at b's edge too
    shared = "shared quote here"
    merged = merge_overlaps(
        text,
        [a, b],
        [
            [draft(shared, "from a"), draft("Intro para", "intro")],
            [draft(shared, "from b, worded differently"), draft("Outro para", "outro")],
        ],
        threshold=90,
    )
    claims = sorted(d.claim.claim for d in merged)
    # The quote ends 0 chars before a's end but 33 before b's: b saw more around it.
    assert claims == ["from b, worded differently", "intro", "outro"]
    for d in merged:  # windows are full-article offsets around each chunk
        assert d.window is not None
        lo, hi = d.window.start, d.window.end
        assert d.claim.quote in text[lo:hi]


def test_merge_never_merges_two_claims_of_one_chunk() -> None:
    text = "Ada said: one quote, two claims.\n"
    chunk = Chunk(Span(0, len(text) - 1), text[:-1])
    merged = merge_overlaps(
        text, [chunk], [[draft("one quote", "first"), draft("one quote", "second")]], threshold=90
    )
    assert [d.claim.claim for d in merged] == ["first", "second"]


def test_a_quote_not_in_its_chunk_is_left_to_whole_article_grounding() -> None:
    text = "First part.\n\nSecond part.\n"
    chunks = [Chunk(Span(0, 11), "First part."), Chunk(Span(13, 25), "Second part.")]
    merged = merge_overlaps(text, chunks, [[draft("invented words", "x")], []], threshold=90)
    assert [d.window for d in merged] == [None]


class _Texts:
    """A model that records the article text of each request and answers no claims."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        self.texts.append(messages[-1]["content"])
        value = response_model.model_validate({"claims": []})
        return Completion(value=value, usage=Usage(calls=1), raw="{}", latency_s=0.0)


def test_only_a_pipeline_whose_stage_one_says_so_is_chunked() -> None:
    text = article(40)
    whole = Pipeline(get_prompt("toy@v1"))
    sentences = Pipeline(get_prompt("toy@v2"))
    assert whole.chunkable and not sentences.chunkable
    chunked, asked = _Texts(), _Texts()
    asyncio.run(chunked_drafts(whole, chunked, text, budget=500, threshold=90))
    asyncio.run(chunked_drafts(sentences, asked, text, budget=500, threshold=90))
    assert len(chunked.texts) > 5
    assert all(len(t.removeprefix("Article:").strip()) <= 500 for t in chunked.texts)
    # The sentences' pipeline asks what it planned for the whole article, as if not long.
    assert asked.texts == [
        sentences.messages(r.variables)[-1]["content"] for r in sentences.plan(text)
    ]


def test_a_long_article_is_extracted_in_chunks_with_full_article_offsets(tmp_path: Path) -> None:
    text = synthetic_article(7, paragraphs=41)  # 20 quotes, about 7,000 characters
    quotes = [line.split('"')[1] for line in text.splitlines() if ' said: "' in line]
    with FakeOpenAIServer(max_seconds=60) as server:
        config = ClientConfig(
            model="synthetic", base_url=server.base_url, failures_dir=tmp_path / "failures"
        )
        extractor = Extractor("toy@v1", config=config, context_tokens=2600)
        assert extractor.chunk_chars < len(text) // 2
        result = extractor.extract(text, article_id="long")
    assert server.requests >= 3, "sent in several chunks"
    assert sorted(c.quote for c in result.claims) == sorted(quotes), "each quote exactly once"
    for claim in result.claims:
        assert text[claim.start : claim.end] == claim.quote
    assert any("split into" in w for w in result.warnings)
    assert result.usage.calls == server.requests


def test_grounding_runs_once_per_draft_of_a_chunked_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Intro para.\n\nAda said: shared quote here.\n\nOutro para that is long enough.\n"
    a = Chunk(Span(0, 41), text[0:41])
    b = Chunk(Span(13, len(text) - 1), text[13:-1])
    drafts = [[draft("shared quote here", "a"), draft("Intro para", "i")], [draft("Outro", "o")]]
    searched: list[str] = []
    real = grounding.ground_quote

    def counting(text: str, quote: str, **kw: Any) -> Located:
        searched.append(quote)
        return real(text, quote, **kw)

    monkeypatch.setattr(grounding, "ground_quote", counting)
    monkeypatch.setattr(assemble_module, "ground_quote", counting)
    merged = merge_overlaps(text, [a, b], drafts, threshold=90)
    done = assemble(text, merged, threshold=90)
    assert sorted(c.claim for c in done.claims) == ["a", "i", "o"]
    assert sorted(searched) == sorted(d.claim.quote for ds in drafts for d in ds)
