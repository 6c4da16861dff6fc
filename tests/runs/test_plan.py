"""Know the cost before spending it (issue 24): ``--dry-run`` prints the plan and calls no
model; a live run over a large input asks first on a terminal, unless ``--yes``.

Against the SYNTHETIC server of :mod:`tests.fake_openai_server`, which counts requests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimx.cli import app
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article


@pytest.fixture
def server() -> Any:
    with FakeOpenAIServer(max_seconds=60) as running:
        yield running


def corpus(tmp_path: Path, n: int = 3) -> Path:
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": synthetic_article(i)}) for i in range(n)]
    lines.append(json.dumps({"id": "big", "text": synthetic_article(9, paragraphs=40)}))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_dry_run_prints_the_plan_and_the_price_without_a_model_call(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-used")
    args = ["extract", str(corpus(tmp_path)), "--dry-run", "-p", "toy@v1"]
    args += ["--base-url", server.base_url, "--model", "gpt-4o-mini", "--context-tokens", "2048"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert server.requests == 0, "no model call"
    plan = result.stdout
    assert re.search(r"articles\s+4\b", plan)
    assert re.search(r"requests\s+(\d+)", plan) and int(re.search(r"requests\s+(\d+)", plan)[1]) > 4
    assert re.search(r"prompt tokens\s+about [\d,]+", plan)
    assert re.search(r"completion\s+at most [\d,]+ tokens", plan)
    assert "largest article big:" in plan
    assert re.search(r"price\s+\$\d+\.\d{4} for the prompts, at most \$\d+\.\d{4}", plan)
    assert not (tmp_path / "c.jsonl.errors.jsonl").exists()


def test_dry_run_counts_what_the_cache_already_answered(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    source = corpus(tmp_path, 2)
    common = ["-p", "toy@v1", "--base-url", server.base_url, "--model", "synthetic"]
    common += ["--cache-dir", str(tmp_path / "cache")]
    assert CliRunner().invoke(app, ["extract", str(source), *common]).exit_code == 0
    sent = server.requests
    plan = CliRunner().invoke(app, ["extract", str(source), "--dry-run", *common])
    assert plan.exit_code == 0, plan.output
    assert f"({sent} answered from the cache, not sent)" in plan.stdout
    assert "not known for 'synthetic'" in plan.stdout
    assert server.requests == sent


def test_a_large_input_asks_first_on_a_terminal_unless_yes(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimx.cli
    import claimx.runs.plan

    monkeypatch.setattr(claimx.runs.plan, "LARGE_INPUT_BYTES", 1000)  # the corpus is larger
    monkeypatch.setattr(claimx.cli, "_interactive", lambda: True)
    source = corpus(tmp_path, 2)
    args = ["extract", str(source), "-o", str(tmp_path / "out.jsonl"), "-p", "toy@v1"]
    args += ["--base-url", server.base_url, "--model", "synthetic"]
    refused = CliRunner().invoke(app, args, input="n\n")
    assert refused.exit_code == 1
    assert "--dry-run" in refused.stderr and "cancelled: nothing was sent" in refused.stderr
    assert server.requests == 0
    assert CliRunner().invoke(app, [*args, "--yes"]).exit_code == 0
    assert server.requests > 0
    monkeypatch.setattr(claimx.cli, "_interactive", lambda: False)  # a script: nobody to ask
    assert CliRunner().invoke(app, [*args, "-o", str(tmp_path / "b.jsonl")]).exit_code == 0


def test_the_empty_answer_of_a_numbered_request_has_one_entry_per_sentence() -> None:
    # The planner answers "nothing found" in the answer's own shape: a staged prompt's
    # numbered answer must hold one entry per sentence (an empty list broke the plan, and
    # 'claimx batch submit', of the default prompt).
    from claimx.extraction.drafts import numbered_answer_model
    from claimx.runs.plan import empty_answer

    model = numbered_answer_model(("[1] Kirby said it", "[2] Peskov is just lying"), 3)
    answer = empty_answer(model)
    assert [(e.sentence, list(e.claims)) for e in answer.sentences] == [
        ("[1] Kirby said it", []), ("[2] Peskov is just lying", []),
    ]  # fmt: skip
