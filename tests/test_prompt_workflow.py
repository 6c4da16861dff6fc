"""The README's prompt workflow, run as written (issue 24): new version, listed, tried live,
recorded, compared.

The block of README.md's "Your own prompt version" section runs in bash, in a copy
of the repository's prompts and eval data, with one change: its endpoint is the
SYNTHETIC server of :mod:`tests.fake_openai_server` (its answers are regex
cut-outs, not model output) instead of the local llama-server. That server
describes itself at ``/v1/models`` and ``/props`` as the recorded local server
does, so the recording lands in the recorded model's folder as a real one would;
everything else (the commands, their order, their options) is the README's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimx.prompts import PromptRegistry
from tests.conftest import ROOT
from tests.fake_openai_server import FakeOpenAIServer

SECTION = "## Your own prompt version"
#: how llama-server describes the recorded model (eval/cassettes/local/manifest.json)
RECORDED_SERVER = {
    "models": [
        {
            "id": "local",
            "owned_by": "llamacpp",
            "meta": {"n_params": 1777088000, "ftype": "Q4_K - Medium", "n_ctx": 8192},
        }
    ],
    "props": {
        "model_path": "/cache/qwen2.5-coder-1.5b-instruct-q4.gguf",
        "build_info": "b1-0c1e570",
    },
}


def readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert match, "the section has a bash block"
    return match.group(1)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The prompts and eval data of the repository, copied: the workflow writes there."""
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    for part in ("gold", "articles", "cassettes", "archive"):
        shutil.copytree(ROOT / "eval" / part, tmp_path / "eval" / part)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "claimx"\n', encoding="utf-8")
    return tmp_path


def test_the_readme_prompt_workflow_runs_as_written(checkout: Path) -> None:
    block = readme_block()
    registry = PromptRegistry(ROOT / "prompts")
    number = max(s.version for s in registry.all() if s.name == "extract") + 1
    ref = f"extract@v{number}"
    # The block names the version `claimx prompts new` will write: the next free number.
    assert f"--prompt {ref} " in block and f"prompts/extract/v{number}.yaml" in block, (
        f"README's 'Your own prompt version' must name {ref}, the next free version:"
        " a version was added since the block was written"
    )
    manifest_path = checkout / "eval" / "cassettes" / "local" / "manifest.json"
    before = json.loads(manifest_path.read_text(encoding="utf-8"))
    with FakeOpenAIServer(max_seconds=300, **RECORDED_SERVER) as server:  # type: ignore[arg-type]
        script = block.replace("http://127.0.0.1:8011/v1", server.base_url, 1)
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "CLAIMX_PROMPTS_DIR": str(checkout / "prompts"),
            "COLUMNS": "80",
        }
        env.pop("CLAIMX_EVAL_DIR", None)
        done = subprocess.run(
            ["bash", "-ex", "-c", script],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    new = checkout / "prompts" / "extract" / f"v{number}.yaml"
    assert new.exists(), "claimx prompts new wrote the next version"
    assert re.search(rf"{ref} +unrecorded \(local\)", out), out
    assert (checkout / "try.jsonl").read_text(encoding="utf-8").count("\n") == 1
    # the recording: the new version's own entry, what the server said it is; nothing else
    after = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = after["prompts"].pop(ref)
    assert entry["model_description"].startswith("qwen2.5-coder-1.5b-instruct-q4.gguf")
    assert entry["base_url"] == server.base_url
    assert after["prompts"] == before["prompts"], "no other version's entry moved"
    assert len(list((checkout / "eval" / "cassettes" / "local" / ref).glob("*.yaml"))) == 5
    # the A/B, offline: the default against the new version, with its interval
    default = registry.get("default").ref
    assert ref in out.split(f"A/B against {default}", 1)[1]
    # the default did not move
    assert (checkout / "prompts" / "defaults.yaml").read_text(encoding="utf-8") == (
        ROOT / "prompts" / "defaults.yaml"
    ).read_text(encoding="utf-8")
