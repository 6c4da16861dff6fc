"""The eval runner: systems through the one orchestrator into results files, replayed.

Every prompt version with eval recordings (those the manifest names: a version
added and not recorded yet is not required to replay) is replayed here, one
article each.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from claimx.errors import CassetteMissError
from claimx.eval.compare import build_report
from claimx.eval.gold import load_gold
from claimx.eval.recordings import Manifest, cassette_path
from claimx.eval.reports import render_json
from claimx.eval.results import ReportMeta, load_runs
from claimx.eval.runner import _jobs, _Plan, _shards, plan, run_systems
from claimx.extraction.pipeline import Pipeline
from claimx.models import ExtractionResult
from claimx.prompts import EXTRACTION, PromptRegistry, get_prompt

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "eval" / "cassettes"
GOLD = load_gold(ROOT / "eval" / "gold")
pytestmark = pytest.mark.cassette

META = ReportMeta(date="-", gold="-", claimx_version="-", responses="-")


def scored(files: list[Path], gold: list[object]) -> dict[str, object]:
    report = json.loads(render_json(build_report(load_runs(files, gold), META)))  # type: ignore[arg-type]
    return {"systems": report["systems"], "comparisons": report["comparisons"]}


def test_parallel_replay_equals_sequential_replay_in_order(tmp_path: Path) -> None:
    gold = GOLD[:3]
    systems = plan(
        [get_prompt("extract@v1"), get_prompt("extract@v2")], [], source="replayed",
        cassettes=CASSETTES,
    )  # fmt: skip
    one = run_systems(
        systems, gold, source="replayed", cassettes=CASSETTES, folder=tmp_path / "1", workers=1
    )
    two = run_systems(
        systems, gold, source="replayed", cassettes=CASSETTES, folder=tmp_path / "2", workers=2
    )
    assert [f.name for f in two] == ["extract@v1.jsonl", "extract@v2.jsonl"]
    for a, b in zip(one, two, strict=True):
        ids = [json.loads(line)["article_id"] for line in b.read_text().splitlines()]
        assert ids == [g.article_id for g in gold], "merged in gold order"
        assert a.read_text() == b.read_text()
    assert scored(one, gold) == scored(two, gold)


def test_a_worker_error_reaches_the_caller(tmp_path: Path) -> None:
    # The manifest says extract@v1 is recorded, but its cassettes are gone: the miss
    # happens in a replay worker and must reach the caller.
    (tmp_path / "local" / "extract@v1").mkdir(parents=True)
    manifest = (CASSETTES / "local" / "manifest.json").read_text(encoding="utf-8")
    (tmp_path / "local" / "manifest.json").write_text(manifest, encoding="utf-8")
    systems = plan([get_prompt("extract@v1")], ["local"], source="replayed", cassettes=tmp_path)
    with pytest.raises(CassetteMissError, match="Record it with: scripts/local-llm.sh start"):
        run_systems(
            systems, GOLD[:2], source="replayed", cassettes=tmp_path, folder=tmp_path / "r",
            workers=2,
        )  # fmt: skip


def test_shards_balance_by_weight_and_keep_every_task_once() -> None:
    tasks = [(p, a) for p in range(2) for a in range(5)]
    weights = [10.0, 1, 1, 1, 1, 9, 1, 1, 1, 1]
    shards = _shards(tasks, weights, 2)
    assert sorted(t for s in shards for t in s) == sorted(tasks)
    loads = [sum(weights[tasks.index(t)] for t in s) for s in shards]
    assert max(loads) - min(loads) <= 1
    assert all(s == sorted(s) for s in shards)


def recorded_versions() -> list[str]:
    """The end-to-end recordings the manifest names (not the list of shipped versions)."""
    manifest = Manifest.load(CASSETTES / "local")
    assert manifest is not None
    registry = PromptRegistry(ROOT / "prompts")
    extraction = {spec.ref for spec in registry.all(EXTRACTION)}
    return sorted(key for key in manifest.prompts if key in extraction)


@pytest.mark.parametrize("ref", recorded_versions())
def test_every_recorded_prompt_version_replays_exactly_its_recording(
    ref: str, tmp_path: Path
) -> None:
    """One article per version through the one orchestrator, on the eval's own cassettes."""
    from claimx.cassettes import use_cassette
    from claimx.runs.orchestrator import run_jobs

    item = GOLD[1]
    (system,) = plan([get_prompt(ref)], [], source="replayed", cassettes=CASSETTES)
    recorded = cassette_path(CASSETTES, "local", ref, item.article_id)
    play_counts: list[dict[int, int]] = []
    total: list[int] = []

    # The eval's own jobs, with the cassette context spied on to read vcrpy's play counts.
    (job,) = _jobs(_Plan([system], [item], "replayed", CASSETTES, {}), [(0, 0)], tmp_path)
    assert job.around is not None

    class Spy:
        def __init__(self, article: object) -> None:
            self.inner = use_cassette(recorded, "none", rerecord_hint="(test)")

        def __enter__(self) -> object:
            self.cassette = self.inner.__enter__()
            return self.cassette

        def __exit__(self, *exc: object) -> None:
            play_counts.append(dict(self.cassette.play_counts))
            total.append(len(self.cassette))
            self.inner.__exit__(*exc)

    job.around = Spy  # type: ignore[assignment]
    asyncio.run(run_jobs([job]))
    (line,) = (tmp_path / system.filename).read_text(encoding="utf-8").splitlines()
    result = ExtractionResult.model_validate_json(line)
    assert result.prompt == ref and result.strategy == Pipeline(get_prompt(ref)).names
    assert result.claims, "the recorded answers hold grounded claims"
    for claim in result.claims:
        assert item.text[claim.start : claim.end] == claim.quote
        assert claim.grounding.grounded
    # Replay used exactly the recorded requests: each once, none left over.
    (counts,) = play_counts
    assert sorted(counts) == list(range(total[0])) and set(counts.values()) == {1}
    assert result.usage.calls == total[0]


def test_a_tagged_wrapped_content_keeps_its_pieces_through_the_replay(tmp_path: Path) -> None:
    """extract@v12's evidence is the tagged content: around a cue ("Of 24 drones launched by
    Russia, Ukraine's air force said, 18 were shot down"), the claim's fragments leave
    the source and cue out, and the detection scorer reads those pieces."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    item = next(g for g in GOLD if "Of 24 drones launched by Russia" in g.text)
    systems = plan([get_prompt("extract@v12")], [], source="replayed", cassettes=CASSETTES)
    (file,) = run_systems(
        systems, [item], source="replayed", cassettes=CASSETTES, folder=tmp_path, workers=1
    )
    result = ExtractionResult.model_validate_json(file.read_text(encoding="utf-8"))
    (claim,) = [c for c in result.claims if c.quote.startswith("Of 24 drones")]
    assert "air force said" in claim.quote
    pieces = [p.slice(item.text) for p in claim.pieces]
    assert pieces == ["Of 24 drones launched by Russia", "18 were shot down"]
    whole = [c for c in result.claims if not c.fragments]
    assert whole and all(c.pieces == (c.span,) for c in whole)
