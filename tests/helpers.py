"""Small helpers the tests share: one request of a fixture prompt, as a model sees it."""

from __future__ import annotations

from pydantic import BaseModel

from claimx.extraction.pipeline import Pipeline
from claimx.prompts import PromptSpec


def messages(spec: PromptSpec, text: str) -> list[dict[str, str]]:
    """The messages of the first request ``spec``'s pipeline plans for ``text``."""
    pipeline = Pipeline(spec)
    return pipeline.messages(pipeline.plan(text)[0].variables)


def answer_model(spec: PromptSpec) -> type[BaseModel]:
    """The answer schema of ``spec``'s ask stage."""
    return Pipeline(spec).ask.response_model(spec)
