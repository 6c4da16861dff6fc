"""``--format json``: one JSON array, never a silent overwrite; JSONL stays resumable.

Runs against the SYNTHETIC server of :mod:`tests.fake_openai_server` (machinery only).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from claimx.cli import app
from claimx.runs.outputs import write_json_array
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(latency_s=0.01, max_requests=500, max_seconds=120) as running:
        yield running


def corpus(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(synthetic_article(i), encoding="utf-8")
    return folder


def extract(server: FakeOpenAIServer, *args: str) -> Result:
    base = ["extract", "--base-url", server.base_url, "--model", "synthetic", "-p", "toy@v1"]
    return CliRunner().invoke(app, [*base, "--no-cache", *args])


def test_json_to_stdout_is_one_array(server: FakeOpenAIServer, tmp_path: Path) -> None:
    result = extract(server, str(corpus(tmp_path, 3)), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert sorted(r["article_id"] for r in data) == ["a0", "a1", "a2"]


def test_json_file_is_never_replaced_without_force(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = corpus(tmp_path, 3)
    out = tmp_path / "results.json"
    first = extract(server, str(folder), "-f", "json", "-o", str(out))
    assert first.exit_code == 0, first.stderr
    assert len(json.loads(out.read_text())) == 3
    before = out.read_bytes()

    one = tmp_path / "one.txt"
    one.write_text(synthetic_article(7), encoding="utf-8")
    refused = extract(server, str(one), "-f", "json", "-o", str(out))
    assert refused.exit_code == 2
    assert "exists; pass --force" in refused.stderr
    assert out.read_bytes() == before, "30 results are not silently replaced by 1"

    forced = extract(server, str(one), "-f", "json", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert [r["article_id"] for r in json.loads(out.read_text())] == ["one"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "corpus", "one.txt", "results.json",
    ], "no staging file left behind, and no empty errors file"  # fmt: skip


def test_failed_articles_still_give_a_valid_array(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = corpus(tmp_path, 2)
    (folder / "empty.txt").write_text("")
    out = tmp_path / "r.json"
    result = extract(server, str(folder), "-f", "json", "-o", str(out))
    assert result.exit_code == 1
    assert sorted(r["article_id"] for r in json.loads(out.read_text())) == ["a0", "a1"]
    errors = (tmp_path / "r.json.errors.jsonl").read_text().splitlines()
    assert [json.loads(e)["article_id"] for e in errors] == [None]


def test_jsonl_stays_the_resumable_default(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = corpus(tmp_path, 2)
    out = tmp_path / "r.jsonl"
    assert extract(server, str(folder), "-o", str(out)).exit_code == 0
    (folder / "a9.txt").write_text(synthetic_article(9), encoding="utf-8")
    again = extract(server, str(folder), "-o", str(out))
    assert again.exit_code == 0
    ids = [json.loads(line)["article_id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == ["a0", "a1", "a9"]


def test_array_of_nothing_and_of_records(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text("")
    buffer = io.StringIO()
    assert write_json_array(records, buffer) == 0 and json.loads(buffer.getvalue()) == []
    records.write_text('{"a": [1, "é"]}\n\n{"b": {}}\n', encoding="utf-8")
    buffer = io.StringIO()
    assert write_json_array(records, buffer) == 2
    assert json.loads(buffer.getvalue()) == [{"a": [1, "é"]}, {"b": {}}]


def test_stdin_article_and_jsonl_are_extracted(server: FakeOpenAIServer) -> None:
    base = ["extract", "-", "--base-url", server.base_url, "--model", "synthetic", "--no-cache"]
    base += ["-p", "toy@v1"]
    one = CliRunner().invoke(app, base, input=synthetic_article(1))
    assert one.exit_code == 0, one.stderr
    assert [json.loads(x)["article_id"] for x in one.stdout.splitlines()] == ["stdin"]
    lines = [json.dumps({"id": f"s{i}", "text": synthetic_article(i)}) for i in range(2)]
    many = CliRunner().invoke(app, base, input="\n" + "\n".join(lines) + "\n")
    assert many.exit_code == 0, many.stderr
    assert sorted(json.loads(x)["article_id"] for x in many.stdout.splitlines()) == ["s0", "s1"]
