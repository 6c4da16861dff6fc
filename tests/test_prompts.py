from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claimx.errors import PromptError
from claimx.prompts import PromptRegistry, default_registry, load_prompt_file

SHIPPED = Path(__file__).resolve().parents[1] / "prompts"


def write_prompt(root: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "name": "extract",
        "version": 1,
        "description": "test prompt",
        "strategy": "single_pass",
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


def test_shipped_prompts_load_and_latest_is_newest_extract() -> None:
    registry = PromptRegistry(SHIPPED)
    refs = registry.refs()
    assert {"extract@v1", "extract@v2"} <= set(refs)
    newest = max(int(r.split("@v")[1]) for r in refs if r.startswith("extract@"))
    assert registry.get("latest").ref == f"extract@v{newest}"
    assert registry.get("extract").ref == f"extract@v{newest}"
    assert registry.get("extract@2").ref == "extract@v2"


def test_v1_is_zero_shot_and_v2_has_checked_examples() -> None:
    registry = PromptRegistry(SHIPPED)
    v1, v2 = registry.get("extract@v1"), registry.get("extract@v2")
    assert v1.examples == []
    assert v2.examples, "v2 must carry few-shot examples"
    for example in v2.examples:
        for claim in example.claims:
            assert claim.quote in example.text


def test_unknown_ref_lists_what_exists() -> None:
    with pytest.raises(PromptError) as info:
        PromptRegistry(SHIPPED).get("extract@v99")
    message = str(info.value)
    assert "extract@v99" in message and "extract@v1" in message and "extract@v2" in message


def test_render_puts_examples_as_turns_and_article_last() -> None:
    spec = PromptRegistry(SHIPPED).get("extract@v2")
    messages = spec.render(text="ARTICLE BODY")
    assert messages[0]["role"] == "system"
    assert [m["role"] for m in messages[1:]] == ["user", "assistant"] * len(spec.examples) + [
        "user"
    ]
    assert messages[-1]["content"].endswith("ARTICLE BODY")


def test_missing_variable_is_named(tmp_path: Path) -> None:
    spec = load_prompt_file(write_prompt(tmp_path))
    with pytest.raises(PromptError, match="missing template variable.*text"):
        spec.render()


def test_undeclared_template_variable_is_a_load_error(tmp_path: Path) -> None:
    path = write_prompt(tmp_path, user="{{ text }} {{ headline }}")
    with pytest.raises(PromptError, match="undeclared variable.*headline"):
        load_prompt_file(path)


def test_example_quote_must_occur_in_example_text(tmp_path: Path) -> None:
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
    with pytest.raises(PromptError, match="does not occur in the example text"):
        load_prompt_file(path)


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="temperture"):
        load_prompt_file(write_prompt(tmp_path, temperture=0.2))


def test_file_name_must_match_declared_version(tmp_path: Path) -> None:
    path = write_prompt(tmp_path)
    moved = path.with_name("v7.yaml")
    path.rename(moved)
    with pytest.raises(PromptError, match="file must be extract/v1.yaml"):
        load_prompt_file(moved)


def test_content_hash_changes_with_template_and_schema(tmp_path: Path) -> None:
    a = load_prompt_file(write_prompt(tmp_path / "a"))
    b = load_prompt_file(write_prompt(tmp_path / "b", system="Extract claims!"))
    c = load_prompt_file(write_prompt(tmp_path / "c", params={"max_claims": 3}))
    assert len({a.content_hash, b.content_hash, c.content_hash}) == 3
    again = load_prompt_file(write_prompt(tmp_path / "d"))
    assert again.content_hash == a.content_hash


def test_default_registry_points_at_repo_prompts() -> None:
    assert default_registry().root.resolve() == SHIPPED.resolve()
