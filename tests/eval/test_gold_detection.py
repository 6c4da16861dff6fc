"""JSONL gold mixing full claims and detection-only attributions: loaded and checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claimx.eval.gold import gold_problems, gold_summary, load_gold

TEXT = "Kirby said the US had no role. A report found that drones crashed, it said."


def full_claim() -> dict[str, Any]:
    quote = "the US had no role"
    start = TEXT.index(quote)
    return {
        "claim": "The US was involved.", "speaker": "John Kirby", "stance": "refutes",
        "quote": quote, "start": start, "end": start + len(quote), "direct": False,
    }  # fmt: skip


def attribution(**kw: Any) -> dict[str, Any]:
    quote = "that drones crashed"
    start = TEXT.index(quote)
    source = TEXT.index("A report")
    base = {
        "quote": quote, "start": start, "end": start + len(quote),
        "source": "A report", "source_start": source, "source_end": source + 8,
    }  # fmt: skip
    return base | kw


def write(tmp_path: Path, claims: list[Any]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": 7, "text": TEXT, "claims": claims}) + "\n", encoding="utf-8")
    return path


def test_mixed_record_loads_each_kind_apart(tmp_path: Path) -> None:
    (item,) = load_gold(write(tmp_path, [attribution(), full_claim()]))
    assert item.article_id == "7"
    assert [c.speaker for c in item.claims] == ["John Kirby"]
    assert [a.source for a in item.attributions] == ["A report"]
    assert not item.detection_only
    assert gold_problems(write(tmp_path, [attribution(), full_claim()])) == []


def test_attribution_offsets_are_checked(tmp_path: Path) -> None:
    wrong_source = attribution(source="A memo")
    problems = gold_problems(write(tmp_path, [full_claim(), wrong_source]))
    assert [(p.claim, p.kind) for p in problems] == [(1, "offsets")]
    assert "'A memo'" in problems[0].message


def test_a_broken_full_claim_keeps_its_index_among_attributions(tmp_path: Path) -> None:
    broken = full_claim() | {"stance": "maybe"}
    problems = gold_problems(write(tmp_path, [attribution(), broken]))
    assert {p.claim for p in problems} == {1}
    assert any("claims/1" in p.message for p in problems if p.kind == "schema")


def test_fragments_must_lie_inside_the_evidence(tmp_path: Path) -> None:
    outside = attribution(fragments=[[0, 5]])
    problems = gold_problems(write(tmp_path, [outside]))
    assert [(p.claim, p.kind) for p in problems] == [(0, "offsets")]
    assert "not inside" in problems[0].message


def test_summary_counts_attributions_of_corpus_gold(tmp_path: Path) -> None:
    (row,) = gold_summary(load_gold(write(tmp_path, [attribution(), full_claim()])))
    assert (row["claims"], row["attributions"]) == (1, 1)
