"""The five-article targeted gold, replayed from the real local model's recordings.

``eval/cassettes/local/targeted@v1/<article>.yaml`` (one per article, every claim asked of
it) are recorded with Qwen2.5-Coder-1.5B through ``scripts/local-llm.sh`` by
:data:`RECORD`. Until they exist these tests are skipped, saying so; once they do, a
prompt edited without recording again fails them (its content hash no longer matches
the manifest), and so does an API or a command that asks other requests than the eval.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimx
from claimx.cassettes import use_cassette
from claimx.cli import app as claimx_app
from claimx.eval.cli import app
from claimx.eval.recordings import REPLAY_BASE_URL, Manifest, record_command
from claimx.models import TargetedAnswer
from claimx.prompts import PromptRegistry
from claimx.targeted.gold import load_targeted_gold
from claimx.tasks import prompt_hash
from tests.conftest import ARTICLES, ROOT, SHIPPED_PROMPTS

CASSETTES = ROOT / "eval" / "cassettes"
FOLDER = CASSETTES / "local" / "targeted@v1"
RECORD = record_command("targeted@v1", "local", Path("eval/cassettes"))
GOLD = load_targeted_gold(ROOT / "eval" / "targeted" / "gold.jsonl")

pytestmark = pytest.mark.skipif(
    not FOLDER.is_dir(),
    reason=f"targeted@v1 is not recorded yet ({FOLDER} is absent); record it with: {RECORD}",
)


def test_the_record_command_is_the_one_the_eval_names() -> None:
    assert RECORD == (
        "scripts/local-llm.sh start && python -m claimx.eval --record --prompt targeted@v1"
        " --model local --base-url http://127.0.0.1:8011/v1 --cassettes eval/cassettes"
    )


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> list[TargetedAnswer]:
    runs = tmp_path_factory.mktemp("runs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMX_PROMPTS_DIR", str(SHIPPED_PROMPTS))
        done = CliRunner().invoke(
            app, ["--prompt", "targeted@v1", "--runs", str(runs), "--json", str(runs / "r.json")]
        )
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("REPLAYED")
    lines = (runs / "targeted@v1.jsonl").read_text().splitlines()
    return [TargetedAnswer.model_validate_json(line) for line in lines]


def test_the_recording_is_of_the_shipped_prompt() -> None:
    manifest = Manifest.load(CASSETTES / "local")
    assert manifest is not None
    entry = manifest.prompts["targeted@v1"]
    assert entry.hash == prompt_hash(PromptRegistry(SHIPPED_PROMPTS).get("targeted@v1"))
    assert set(entry.seconds) <= {r.id for r in GOLD}
    assert sorted(p.stem for p in FOLDER.glob("*.yaml")) == sorted({r.article_id for r in GOLD})


def test_every_pair_is_answered_by_the_recorded_model_with_exact_evidence(
    replayed: list[TargetedAnswer],
) -> None:
    assert [(a.claim, a.article_id) for a in replayed] == [(r.claim, r.article_id) for r in GOLD]
    texts = {r.article_id: r.text or "" for r in GOLD}
    for a in replayed:
        assert a.decided_by in ("screen", "model", "classifier")
        assert a.prompt == "targeted@v1" and a.model == "local"
        for s in a.sources:
            assert texts[a.article_id][s.start : s.end] == s.quote
    asked = [a for a in replayed if a.usage.calls]
    assert asked and all(a.latency_s > 0 for a in asked)  # the seconds recorded


def test_the_api_and_the_command_ask_what_the_eval_recorded(
    replayed: list[TargetedAnswer], shipped_prompts: Path
) -> None:
    record = next(r for r in GOLD if r.id == "T-US/001_542e584fe1452441")
    expected = next(
        a for a in replayed if (a.claim, a.article_id) == (record.claim, "001_542e584fe1452441")
    )
    article = claimx.Article(id=record.article_id, text=record.text or "")
    cassette = FOLDER / f"{record.article_id}.yaml"
    with use_cassette(cassette, "none", rerecord_hint=RECORD):
        (got,) = claimx.stance_toward(
            record.claim, [article], model="local", base_url=REPLAY_BASE_URL
        )
        done = CliRunner().invoke(
            claimx_app,
            ["stance", record.claim, str(ARTICLES / f"{record.article_id}.txt")]
            + ["--model", "local", "--base-url", REPLAY_BASE_URL, "--no-cache"],
        )
    assert (got.stance, got.sources) == (expected.stance, expected.sources)
    assert done.exit_code == 0, done.output
    (line,) = done.stdout.splitlines()
    assert json.loads(line)["stance"] == expected.stance
