"""Long articles: split at paragraph boundaries with overlap, map back, merge duplicates.

An article longer than the model's context cannot be sent whole. It is split
into chunks of at most :func:`chunk_budget` characters, at paragraph
boundaries (a paragraph longer than the budget at sentence ends, then at
spaces), each chunk repeating up to ``overlap`` characters of whole
paragraphs from the end of the previous one, so a claim and the sentence that
names its speaker are seen together at least once.

Every chunk goes through the prompt's own pipeline, one after the other (so an
article never has more than one request in flight, and ``--concurrency``
bounds the requests of a batch). A chunk's drafts get the chunk as their
window, in full-article offsets: grounding (:mod:`claimx.extraction.assemble`) then
searches each quote in its own chunk and reports offsets in the full article.

A quote in an overlap is reported by both chunks. :func:`merge_overlaps`
grounds every draft once inside its chunk; drafts of different chunks whose
spans overlap are the same evidence, and only those of the chunk that saw the
span with the most context around it (farthest from its chunk's edges) are
kept. Drafts of one chunk are never merged with each other: two claims the
model split out of one quote stay two claims. :func:`claimx.extraction.assemble.assemble`
de-duplicates by speaker and proposition afterwards, as for any article.

The budget is counted in characters from the model's context in tokens
(``--context-tokens``, :data:`DEFAULT_CONTEXT_TOKENS`), with a deliberately
low :data:`CHARS_PER_TOKEN`, minus the prompt's own text (system, few-shot
examples, template) and the answer's ``max_tokens``.

Only pipelines whose stage one says they may be cut
(:attr:`~claimx.extraction.stages.registry.Finder.chunkable`: the whole text) are
chunked: a stage one of sentences already sends a few sentences at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from claimx.extraction.records import Draft, Drafts
from claimx.llm.config import ClientConfig
from claimx.llm.protocol import Model
from claimx.text.grounding import locate_in
from claimx.text.segments import paragraphs, sentences
from claimx.text.spans import Span, Spanned

if TYPE_CHECKING:
    from claimx.extraction.pipeline import Pipeline

#: the context of the local llama-server (scripts/local-llm.sh, ``-c 8192``)
DEFAULT_CONTEXT_TOKENS = 8192
#: English news runs at about 4 characters per token; 3 leaves room for names and numbers
CHARS_PER_TOKEN = 3.0
#: tokens kept free for the chat template's own markup and tokenizer differences
SAFETY_TOKENS = 256
#: the smallest chunk worth sending: below this the prompt no longer fits the model
MIN_CHUNK_CHARS = 400


@dataclass(frozen=True)
class Chunk(Spanned):
    """A piece of the article: ``text == span.slice(article)``."""

    span: Span
    text: str


def chunk_budget(
    pipeline: Pipeline, config: ClientConfig, context_tokens: int = DEFAULT_CONTEXT_TOKENS
) -> int:
    """How many article characters fit one request of ``pipeline`` in ``context_tokens``."""
    empty = {name: "" for name in pipeline.spec.variables}
    prompt_chars = sum(len(m["content"]) for m in pipeline.messages(empty))
    answer_tokens = pipeline.spec.params.max_tokens or config.max_tokens
    free_tokens = context_tokens - answer_tokens - SAFETY_TOKENS - prompt_chars / CHARS_PER_TOKEN
    return max(MIN_CHUNK_CHARS, int(free_tokens * CHARS_PER_TOKEN))


def _pieces(text: str, paragraph: Span, limit: int) -> list[Span]:
    """Split ``paragraph`` into spans of at most ``limit``: at sentences, spaces, or hard."""
    if paragraph.length <= limit:
        return [paragraph]
    cuts = [s.start for s in sentences(text, paragraph)[1:]]
    out: list[tuple[int, int]] = []
    lo, end = paragraph.start, paragraph.end
    while end - lo > limit:
        fitting = [c for c in cuts if lo < c <= lo + limit]
        if fitting:
            cut = fitting[-1]
        else:
            space = text.rfind(" ", lo + 1, lo + limit)
            cut = space + 1 if space > lo else lo + limit
        out.append((lo, cut))
        lo = cut
    out.append((lo, end))
    # trim whitespace at the edges so spans look like the paragraphs they came from
    spans = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append(Span(a, b))
    return spans


def split_text(text: str, budget: int, *, overlap: int | None = None) -> list[Chunk]:
    """Chunks of at most ``budget`` characters at paragraph boundaries, overlapping.

    ``overlap`` (default: a fifth of the budget) is how many characters of whole
    paragraphs a chunk may repeat from the end of the one before it; at least
    one paragraph is repeated when it fits, none when it alone exceeds it.
    A text within the budget is one chunk.
    """
    if len(text) <= budget:
        return [Chunk(Span(0, len(text)), text)]
    overlap = budget // 5 if overlap is None else overlap
    units = [piece for p in paragraphs(text) for piece in _pieces(text, p, budget)]
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j = i + 1  # units[i:j] is the chunk; one unit always fits (pieces are <= budget)
        while j < len(units) and units[j].end - units[i].start <= budget:
            j += 1
        span = Span(units[i].start, units[j - 1].end)
        chunks.append(Chunk(span, span.slice(text)))
        if j == len(units):
            break
        # Step back over whole paragraphs that fit in the overlap, always moving forward
        # and leaving room for the next new paragraph (else the chunk would add nothing).
        k = j
        while (
            k - 1 > i
            and span.end - units[k - 1].start <= overlap
            and units[j].end - units[k - 1].start <= budget
        ):
            k -= 1
        i = k
    return chunks


def merge_overlaps(
    text: str, chunks: list[Chunk], drafts: list[list[Draft]], *, threshold: float
) -> list[Draft]:
    """One list of drafts, in full-article windows, without the overlaps' repeats.

    ``drafts[i]`` are chunk ``i``'s drafts with windows relative to the chunk.
    Each draft is grounded here, once: a kept draft carries where its quote was
    found (:attr:`Draft.located`), so assembly does not search again. See the
    module docstring for which repeat is kept.
    """
    located: list[tuple[int, Draft, Span | None, int]] = []
    for index, (chunk, chunk_drafts) in enumerate(zip(chunks, drafts, strict=True)):
        for draft in chunk_drafts:
            window = (draft.window or Span(0, chunk.span.length)).shift(chunk.span.start)
            hit = locate_in(text, draft.claim.quote, window, threshold=threshold)
            span = hit.span if hit.grounded else None
            # context: the distance from the span to the nearer edge of its chunk
            margin = min(span.start - chunk.span.start, chunk.span.end - span.end) if span else -1
            if span is None and draft.window is None:
                # Not in its chunk: let assemble search the whole article (and report it
                # ungrounded when it is nowhere), as for an article sent in one piece.
                located.append((index, draft, None, margin))
            else:
                kept = replace(draft, window=window, located=hit)
                located.append((index, kept, span, margin))

    def outranked(index: int, span: Span | None, margin: int) -> bool:
        # Same evidence seen by another chunk with more context (ties: the earlier chunk).
        if span is None:
            return False
        return any(
            other != index
            and other_span is not None
            and span.overlaps(other_span)
            and (other_margin, -other) > (margin, -index)
            for other, _, other_span, other_margin in located
        )

    return [draft for index, draft, span, margin in located if not outranked(index, span, margin)]


async def chunked_drafts(
    pipeline: Pipeline,
    llm: Model,
    text: str,
    *,
    budget: int,
    threshold: float,
) -> Drafts:
    """``pipeline.drafts`` over the article, or over its chunks when it exceeds ``budget``."""
    chunks = split_text(text, budget) if pipeline.chunkable else []
    if len(chunks) <= 1:
        return await pipeline.drafts(llm, text)
    out = Drafts()
    per_chunk: list[list[Draft]] = []
    for chunk in chunks:  # one after the other: see the module docstring
        part = await pipeline.drafts(llm, chunk.text)
        out.usage = out.usage + part.usage
        where = f"{chunk.span.start}-{chunk.span.end}"
        out.warnings.extend(f"chunk {where}: {w}" for w in part.warnings)
        per_chunk.append(part.drafts)
    out.drafts = merge_overlaps(text, chunks, per_chunk, threshold=threshold)
    out.warnings.append(
        f"article of {len(text)} characters split into {len(chunks)} overlapping chunks"
        f" of at most {budget} to fit the model's context"
    )
    return out
