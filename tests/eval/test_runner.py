"""The replay runner: parallel replay gives exactly what a sequential one gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimx.errors import CassetteMissError
from claimx.eval.gold import load_gold
from claimx.eval.runner import _shards, run_all
from claimx.prompts import get_prompt

ROOT = Path(__file__).resolve().parents[2]


def test_parallel_replay_equals_sequential_replay_in_order() -> None:
    gold = load_gold(ROOT / "eval" / "gold")[:3]
    specs = [get_prompt("extract@v1"), get_prompt("extract@v2")]
    cassettes = ROOT / "eval" / "cassettes"
    one = run_all(specs, [None], gold, source="replayed", cassettes=cassettes, workers=1)
    two = run_all(specs, [None], gold, source="replayed", cassettes=cassettes, workers=2)
    assert [r.label for r in two] == ["extract@v1", "extract@v2"]
    for a, b in zip(one, two, strict=True):
        assert [x.article_id for x in b.articles] == [g.article_id for g in gold]
        for x, y in zip(a.articles, b.articles, strict=True):
            assert x.result is not None and y.result is not None
            assert x.result.claims == y.result.claims and x.result.claims
            assert x.result.usage == y.result.usage


def test_a_worker_error_reaches_the_caller(tmp_path: Path) -> None:
    gold = load_gold(ROOT / "eval" / "gold")[:2]
    with pytest.raises(CassetteMissError, match="Record it with"):
        run_all(
            [get_prompt("extract@v1")],
            [None],
            gold,
            source="replayed",
            cassettes=tmp_path,
            workers=2,
        )


def test_shards_balance_by_weight_and_keep_every_job_once() -> None:
    jobs = [(0, p, a) for p in range(2) for a in range(5)]
    weights = [10.0, 1, 1, 1, 1, 9, 1, 1, 1, 1]
    shards = _shards(jobs, weights, 2)
    assert sorted(j for s in shards for j in s) == sorted(jobs)
    loads = [sum(weights[jobs.index(j)] for j in s) for s in shards]
    assert max(loads) - min(loads) <= 1
    assert all(s == sorted(s) for s in shards)
