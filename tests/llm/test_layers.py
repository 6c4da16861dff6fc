"""The layers around a model (cache, failure dump, usage meter) against an in-process fake."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel

import claimx.llm
from claimx.errors import ExtractionError, TruncatedOutputError
from claimx.llm.cache import ResponseCache
from claimx.llm.config import ClientConfig
from claimx.llm.layers import CachedModel, FailureDump, UsageMeter
from claimx.llm.protocol import Completion
from claimx.models import Usage

T = TypeVar("T", bound=BaseModel)
MESSAGES = [{"role": "user", "content": "hello"}]


class Answer(BaseModel):
    text: str


class FakeModel:
    """Answers from a script: a string (validated) or an exception; counts its calls."""

    def __init__(self, *script: str | Exception) -> None:
        self.script = list(script)
        self.calls = 0

    async def complete(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        max_tokens: int | None = None,
    ) -> Completion[T]:
        self.calls += 1
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        value = response_model.model_validate({"text": step})
        usage = Usage(prompt_tokens=10, completion_tokens=len(step), calls=1)
        return Completion(value, usage, raw=step, latency_s=0.5, response={"text": step})


async def test_failure_dump_saves_the_raw_output_and_names_the_file(tmp_path: Path) -> None:
    bad = TruncatedOutputError("cut at max_tokens.", raw_output='{"text": "hal', attempts=1)
    model = FailureDump(FakeModel(bad), tmp_path / "failures", model="fake")
    with pytest.raises(TruncatedOutputError) as info:
        await model.complete(MESSAGES, Answer)
    path = info.value.raw_output_path
    assert path is not None and str(path) in str(info.value)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved == {"model": "fake", "messages": MESSAGES, "raw_output": '{"text": "hal'}


async def test_a_dump_that_cannot_be_written_names_its_file_and_keeps_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 25 (10): "No space left on device" did not name the file
    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("claimx.llm.layers.write_private", full)
    bad = TruncatedOutputError("cut at max_tokens.", raw_output='{"text": "hal', attempts=1)
    model = FailureDump(FakeModel(bad), tmp_path / "failures", model="fake")
    with pytest.raises(TruncatedOutputError) as info:
        await model.complete(MESSAGES, Answer)
    assert str(info.value).startswith("cut at max_tokens.")
    assert f"could not be saved to {tmp_path / 'failures'}: No space left" in str(info.value)


async def test_failure_dump_lets_errors_without_output_through(tmp_path: Path) -> None:
    model = FailureDump(FakeModel(ExtractionError("no output")), tmp_path / "f", model="fake")
    with pytest.raises(ExtractionError, match="^no output$"):
        await model.complete(MESSAGES, Answer)
    assert not (tmp_path / "f").exists()


async def test_cache_layer_and_meter_count_calls_and_cached_answers_apart(tmp_path: Path) -> None:
    fake = FakeModel("one")
    seen: list[Any] = []
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        config = ClientConfig(model="fake", base_url="http://127.0.0.1:1/v1")
        meter = UsageMeter(CachedModel(fake, cache, config), on_call=seen.append)
        first = await meter.complete(MESSAGES, Answer)
        second = await meter.complete(MESSAGES, Answer)
    assert fake.calls == 1 and first.value == second.value == Answer(text="one")
    assert not first.cached and second.cached and second.usage == Usage()
    assert second.cached_usage == first.usage
    assert meter.metered.usage == first.usage
    assert meter.metered.cached_answers == 1 and meter.metered.cached_usage == first.usage
    assert seen == [first, second]


def test_the_model_layer_knows_nothing_of_the_recorder() -> None:
    # Replay registers its miss translator from outside (claimx.cassettes); llm must not
    # import it, nor recognise vcrpy's exceptions by name.
    for path in Path(claimx.llm.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        imported = {
            alias.name if isinstance(node, ast.Import) else str(node.module)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {m for m in imported if "cassettes" in m or m.startswith("vcr")}, path
        assert "CannotOverwrite" not in source, path
