"""The ``targeted`` prompt task: the shipped file, its checks at build, its hash, its request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimx.errors import PromptError
from claimx.prompts import PromptRegistry, load_prompt_file
from claimx.targeted.lexical import view
from claimx.targeted.shipped import shipped
from claimx.targeted.task import TargetedTask
from claimx.tasks import build_task, prompt_hash
from tests.conftest import ARTICLES, SHIPPED_PROMPTS

SHIPPED = PromptRegistry(SHIPPED_PROMPTS)
TEXT = (ARTICLES / "001_542e584fe1452441.txt").read_text(encoding="utf-8")
CLAIM = "The United States was behind the drone attack on the Kremlin."
EXAMPLE = {
    "text": "[1] Mayor Ann Lee said the bridge is safe.\n[2] Engineers disagreed.",
    "variables": {"claim": "The bridge is safe."},
    "answer": {
        "sources": [{"sentence": 1, "speaker": "Ann Lee", "stance": "supports"}],
        "position": "uncertain",
    },
}


def write_targeted(root: Path, **overrides: Any) -> Path:
    data: dict[str, Any] = {
        "name": "targeted",
        "version": 1,
        "description": "test prompt",
        "task": {"name": "targeted", "max_sources": 2},
        "variables": ["claim", "text"],
        "system": "Say what the article says about the claim.",
        "user": "Claim: {{ claim }}\n\n{{ text }}",
        "examples": [EXAMPLE],
    }
    data.update(overrides)
    path = root / "targeted" / f"v{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_shipped_prompt_is_the_default_targeted_one_and_builds() -> None:
    spec = SHIPPED.get("targeted")
    assert spec.ref == "targeted@v1" and spec.task_name == "targeted" and spec.pipeline is None
    task = build_task(spec)
    assert isinstance(task, TargetedTask) and task.params.max_sources == 3
    assert len(task.example_answers) == len(spec.examples) >= 3
    assert prompt_hash(spec) == task.content_hash and len(task.content_hash) == 12
    assert spec.ref in [s.ref for s in SHIPPED.all("targeted")]
    assert spec.ref not in [s.ref for s in SHIPPED.all("extraction")]


def test_a_request_numbers_the_related_sentences_and_bounds_its_answer() -> None:
    task = TargetedTask(SHIPPED.get("targeted@v1"))
    request = task.request(CLAIM, view(TEXT), shipped().idf)
    assert request is not None
    user = request.messages[-1]["content"]
    assert user.startswith(f"Claim: {CLAIM}") and "[1] " in user
    numbered = len(request.passage)
    assert 1 <= numbered <= task.params.max_numbered
    schema = request.answer.model_json_schema()
    source = schema["$defs"]["SourceAnswer"]["properties"]
    assert source["sentence"]["enum"] == list(range(1, numbered + 1))
    assert source["speaker"]["maxLength"] == 60
    assert schema["properties"]["sources"]["maxItems"] == 3
    # The instructions and examples come first, the same for every claim: a prefix cache.
    other = task.request("Ukraine carried out the attack.", view(TEXT), shipped().idf)
    assert other is not None and other.messages[:-1] == request.messages[:-1]
    for n, span in enumerate(request.passage.spans, start=1):
        assert f"[{n}] " + " ".join(span.slice(TEXT).split())[:50] in user


def test_the_hash_covers_templates_examples_and_parameters_not_the_description(
    tmp_path: Path,
) -> None:
    def digest(folder: str, **overrides: Any) -> str:
        return prompt_hash(load_prompt_file(write_targeted(tmp_path / folder, **overrides)))

    a = digest("a")
    changed = {
        digest("b", system="Say it!"),
        digest("c", task={"name": "targeted", "max_sources": 3}),
        digest("d", examples=[{**EXAMPLE, "variables": {"claim": "The bridge is unsafe."}}]),
    }
    assert a not in changed and len(changed) == 3
    assert digest("e", description="reworded") == a


@pytest.mark.parametrize(
    ("example", "says"),
    [
        ({**EXAMPLE, "answer": {"sources": [{"sentence": 3, "speaker": "X", "stance": "supports"}],
                                "position": "supports"}}, "sentence"),
        ({**EXAMPLE, "variables": {}}, "no claim"),
        ({**EXAMPLE, "text": "Mayor Ann Lee said the bridge is safe."}, "numbers no sentence"),
        ({**EXAMPLE, "answer": {"sources": [], "position": "maybe"}}, "position"),
        ({**EXAMPLE, "answer": {"sources": [EXAMPLE["answer"]["sources"][0]] * 3,  # type: ignore[index]
                                "position": "supports"}}, "at most 2"),
    ],
    ids=["sentence-not-in-text", "no-claim", "not-numbered", "bad-position", "too-many-sources"],
)  # fmt: skip
def test_an_example_not_in_the_answer_format_is_an_error_naming_the_file(
    tmp_path: Path, example: dict[str, Any], says: str
) -> None:
    path = write_targeted(tmp_path, examples=[example])
    with pytest.raises(PromptError, match="examples\\[0\\] is not in the targeted") as info:
        TargetedTask(load_prompt_file(path))
    assert str(path) in str(info.value) and says in str(info.value)


def test_bad_parameters_and_variables_are_errors_naming_the_file(tmp_path: Path) -> None:
    bad = write_targeted(tmp_path / "a", task={"name": "targeted", "max_numbered": 0})
    with pytest.raises(PromptError, match=f"{bad}.*invalid parameters"):
        TargetedTask(load_prompt_file(bad))
    unknown = write_targeted(tmp_path / "b", task={"name": "targeted", "window": 3})
    with pytest.raises(PromptError, match="window"):
        TargetedTask(load_prompt_file(unknown))
    extra = write_targeted(
        tmp_path / "c", variables=["claim", "text", "context"], user="{{ claim }} {{ context }}"
    )
    with pytest.raises(PromptError, match="context.*does not fill"):
        TargetedTask(load_prompt_file(extra))


def test_the_example_answers_are_what_the_model_sees_as_its_own_turns() -> None:
    task = TargetedTask(SHIPPED.get("targeted@v1"))
    messages = task.messages({"claim": "C", "text": "[1] T"})
    assistant = [m["content"] for m in messages if m["role"] == "assistant"]
    assert assistant == task.example_answers
    first = json.loads(assistant[0])
    assert list(first) == ["sources", "position"]  # sources first, then the position


def test_every_task_a_prompt_may_name_has_its_class() -> None:
    from claimx.prompts import TASK_NAMES
    from claimx.tasks import TASKS

    assert set(TASKS) == TASK_NAMES
