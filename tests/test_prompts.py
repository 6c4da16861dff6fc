"""The prompt registry: files, references, defaults, new versions; and the shipped files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from claimx.cli import app
from claimx.errors import PromptError
from claimx.extraction.pipeline import Pipeline
from claimx.prompts import EXTRACTION, PromptRegistry, default_registry, load_prompt_file
from claimx.tasks import build_task, prompt_hash
from tests.conftest import ROOT, SHIPPED_PROMPTS, TEST_PROMPTS

WHOLE_TEXT = {
    "find": "whole_text",
    "ask": "quoted",
    "keep": "all",
    "speaker": "model",
    "stance": "model",
}


def write_prompt(root: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "name": "extract",
        "version": 1,
        "description": "test prompt",
        "pipeline": WHOLE_TEXT,
        "variables": ["text"],
        "system": "Extract claims.",
        "user": "Article: {{ text }}",
        "examples": [],
    }
    data.update(overrides)
    path = root / str(data["name"]) / f"v{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_every_shipped_prompt_loads_and_builds_its_pipeline() -> None:
    registry = PromptRegistry(SHIPPED_PROMPTS)
    for spec in registry.all(EXTRACTION):  # other tasks: test_every_shipped_prompt_builds_its_task
        Pipeline(spec)  # stage names, parameters, variables and examples checked
    assert registry.get("default").ref == registry.get("latest").ref
    assert registry.get("extract").ref == f"extract@v{registry.defaults['extract']}"
    assert registry.get("extract@2").ref == "extract@v2"


def test_the_default_is_written_down_and_a_new_file_changes_it_not(tmp_path: Path) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(TEST_PROMPTS, root)
    registry = PromptRegistry(root)
    assert registry.get("default").ref == "toy@v1"
    write_prompt(root, name="toy", version=9)
    again = PromptRegistry(root)
    assert "toy@v9" in again.refs()
    assert again.get("default").ref == "toy@v1" and again.get("toy").ref == "toy@v1"


def test_a_default_without_its_file_and_a_name_without_a_default_are_errors(
    tmp_path: Path,
) -> None:
    write_prompt(tmp_path)
    (tmp_path / "defaults.yaml").write_text("extract: 3\n", encoding="utf-8")
    with pytest.raises(PromptError, match="the default extract@v3 has no file"):
        PromptRegistry(tmp_path).get("default")
    (tmp_path / "defaults.yaml").unlink()
    with pytest.raises(PromptError, match="no default version.*name one: extract@v1"):
        PromptRegistry(tmp_path).get("extract")
    assert PromptRegistry(tmp_path).get("extract@v1").ref == "extract@v1"


def test_unknown_ref_lists_what_exists() -> None:
    with pytest.raises(PromptError) as info:
        PromptRegistry(SHIPPED_PROMPTS).get("extract@v99")
    message = str(info.value)
    assert "extract@v99" in message and "extract@v1" in message and "extract@v2" in message


def test_messages_put_examples_as_turns_and_the_article_last() -> None:
    pipeline = Pipeline(PromptRegistry(SHIPPED_PROMPTS).get("extract@v2"))
    messages = pipeline.messages({"text": "ARTICLE BODY"})
    assert messages[0]["role"] == "system"
    roles = [m["role"] for m in messages[1:]]
    assert roles == ["user", "assistant"] * len(pipeline.spec.examples) + ["user"]
    assert messages[-1]["content"].endswith("ARTICLE BODY")


def test_missing_variable_is_named(tmp_path: Path) -> None:
    spec = load_prompt_file(write_prompt(tmp_path))
    with pytest.raises(PromptError, match="missing template variable.*text"):
        spec.render("user", {})


def test_undeclared_template_variable_is_a_load_error(tmp_path: Path) -> None:
    path = write_prompt(tmp_path, user="{{ text }} {{ headline }}")
    with pytest.raises(PromptError, match="undeclared variable.*headline"):
        load_prompt_file(path)


def test_an_example_quote_must_occur_in_its_text_naming_the_file(tmp_path: Path) -> None:
    bad = {
        "text": "Mayor Ann Lee said the bridge is safe.",
        "claims": [
            {
                "quote": "the bridge is unsafe",
                "speaker": "Ann Lee",
                "stance": "supports",
                "claim": "The bridge is unsafe.",
            }
        ],
    }
    path = write_prompt(tmp_path, examples=[bad])
    with pytest.raises(PromptError, match=f"{path}.*does not occur in the example text"):
        Pipeline(load_prompt_file(path))


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="temperture"):
        load_prompt_file(write_prompt(tmp_path, temperture=0.2))


def test_a_stage_is_named_short_or_with_its_parameters(tmp_path: Path) -> None:
    stages = {**WHOLE_TEXT, "find": {"name": "lexicon", "min_count": 30}}
    spec = load_prompt_file(write_prompt(tmp_path, pipeline=stages))
    assert spec.pipeline.find.name == "lexicon" and spec.pipeline.find.params == {"min_count": 30}
    assert spec.pipeline.ask.params == {}
    assert spec.written()["pipeline"]["find"] == {"name": "lexicon", "min_count": 30}
    assert spec.written()["pipeline"]["ask"] == "quoted"


def test_file_name_must_match_declared_version(tmp_path: Path) -> None:
    path = write_prompt(tmp_path)
    moved = path.with_name("v7.yaml")
    path.rename(moved)
    with pytest.raises(PromptError, match="file must be extract/v1.yaml"):
        load_prompt_file(moved)


def test_content_hash_changes_with_template_schema_and_stages(tmp_path: Path) -> None:
    def digest(folder: str, **overrides: object) -> str:
        return Pipeline(load_prompt_file(write_prompt(tmp_path / folder, **overrides))).content_hash

    a = digest("a")
    b = digest("b", system="Extract claims!")
    c = digest("c", params={"max_claims": 3})
    d = digest("d", pipeline={**WHOLE_TEXT, "stance": "rules"})
    assert len({a, b, c, d}) == 4
    assert digest("e") == a
    assert digest("f", description="reworded") == a


def test_a_new_version_is_the_next_number_a_copy_with_its_description_to_write(
    tmp_path: Path,
) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(TEST_PROMPTS, root)
    registry = PromptRegistry(root)
    path = registry.new_version("toy@v3")
    assert path == root / "toy" / "v4.yaml"
    new, source = registry.get("toy@v4"), registry.get("toy@v3")
    assert new.description.startswith("TODO") and "toy@v3" in new.description
    assert new.pipeline == source.pipeline and new.examples == source.examples
    assert Pipeline(new).content_hash == Pipeline(source).content_hash  # same requests
    assert registry.get("default").ref == "toy@v1"  # no default moved
    # Another process wrote v5 after this registry was loaded: it numbers the next one
    # 5 too, and refuses to overwrite it.
    loaded = PromptRegistry(root)
    assert loaded.refs()[-1] == "toy@v4"
    taken = path.parent / "v5.yaml"
    taken.write_text(path.read_text(encoding="utf-8").replace("version: 4", "version: 5"))
    with pytest.raises(FileExistsError):
        loaded.new_version("toy@v3")
    assert "version: 5" in taken.read_text(encoding="utf-8")


def test_the_listing_is_one_screen_line_per_field_at_80_columns() -> None:
    result = CliRunner().invoke(app, ["prompts"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3 * len(default_registry().all())
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith("toy@v1") and "default" in lines[0] and "unrecorded" in lines[0]


def test_default_registry_points_at_the_prompts_the_environment_names() -> None:
    assert default_registry().root.resolve() == TEST_PROMPTS.resolve()


# --- prompts of another task (task: targeted) ------------------------------------------------

TARGETED = {
    "name": "targeted",
    "version": 1,
    "description": "test prompt",
    "task": "targeted",
    "pipeline": None,
    "variables": ["claim", "text"],
    "system": "Say what the article says about the claim.",
    "user": "{{ claim }} {{ text }}",
    "examples": [],
}


def test_every_shipped_prompt_builds_its_task() -> None:
    registry = PromptRegistry(SHIPPED_PROMPTS)
    tasks = {spec.ref: build_task(spec) for spec in registry.all()}
    assert {s.task_name for s in registry.all()} == {EXTRACTION, "targeted"}
    assert all(len(t.content_hash) == 12 and t.names for t in tasks.values())
    assert registry.get("targeted").ref == f"targeted@v{registry.defaults['targeted']}"


def test_extraction_hashes_are_those_their_recordings_were_made_with() -> None:
    # The hash recipe is unchanged by tasks: the recorded prompts are not stale.
    manifest = json.loads((ROOT / "eval" / "cassettes" / "local" / "manifest.json").read_text())
    registry = PromptRegistry(SHIPPED_PROMPTS)
    recorded = {ref: entry["hash"] for ref, entry in manifest["prompts"].items() if "+" not in ref}
    extraction = {s.ref for s in registry.all(EXTRACTION)}
    checked = {ref: digest for ref, digest in recorded.items() if ref in extraction}
    assert {"extract@v1", "extract@v2", "extract@v9"} <= set(checked)
    for ref, digest in checked.items():
        assert prompt_hash(registry.get(ref)) == Pipeline(registry.get(ref)).content_hash == digest


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"pipeline": WHOLE_TEXT}, "has no pipeline"),
        ({"task": "summarise"}, "unknown task 'summarise'"),
        ({"task": "extraction", "pipeline": WHOLE_TEXT}, "unknown task 'extraction'"),
        ({"examples": [{"text": "[1] A.", "claims": []}]}, "has an answer"),
    ],
    ids=["task-and-pipeline", "unknown-task", "extraction-named", "example-with-claims"],
)
def test_a_task_prompt_is_checked_at_load(
    tmp_path: Path, overrides: dict[str, object], says: str
) -> None:
    path = write_prompt(tmp_path, **{**TARGETED, **overrides})
    with pytest.raises(PromptError, match=says):
        load_prompt_file(path)


def test_an_extraction_prompt_needs_a_pipeline_and_its_examples_claims(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="needs a pipeline"):
        load_prompt_file(write_prompt(tmp_path / "a", pipeline=None))
    with pytest.raises(PromptError, match="has no claims"):
        load_prompt_file(write_prompt(tmp_path / "b", examples=[{"text": "A."}]))


def test_a_task_prompt_is_not_an_extraction_pipeline(tmp_path: Path) -> None:
    spec = load_prompt_file(write_prompt(tmp_path, **TARGETED))
    with pytest.raises(PromptError, match="targeted@v1 is a prompt for the task 'targeted'"):
        Pipeline(spec)
    assert "task" not in load_prompt_file(write_prompt(tmp_path / "x")).model_dump()


def test_a_new_version_of_a_task_prompt_keeps_its_task(tmp_path: Path) -> None:
    write_prompt(tmp_path, **{**TARGETED, "task": {"name": "targeted", "max_sources": 2}})
    registry = PromptRegistry(tmp_path)
    path = registry.new_version("targeted@v1")
    new = registry.get("targeted@v2")
    assert path.name == "v2.yaml" and new.task is not None and new.pipeline is None
    assert new.task.params == {"max_sources": 2}
    assert prompt_hash(new) == prompt_hash(registry.get("targeted@v1"))


def test_the_shipped_listing_shows_the_targeted_prompt_at_80_columns(
    shipped_prompts: Path,
) -> None:
    result = CliRunner().invoke(app, ["prompts"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    at = next(i for i, line in enumerate(lines) if line.startswith("targeted@v1"))
    digest = prompt_hash(PromptRegistry(shipped_prompts).get("targeted@v1"))
    assert "default" in lines[at] and lines[at + 1].startswith("  targeted: ")
    assert lines[at + 1].endswith(digest)
