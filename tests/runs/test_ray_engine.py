"""The Ray Data engine on one local Ray for the module, against the SYNTHETIC chat server of
the fault tests (tests/fake_openai_server.py: regex answers, not model output).

The cluster is the session's (``tests/runs/conftest.py``: started by claimx's own
:func:`~claimx.runs.ray_engine.ray_session`, with a key in this process's environment that
its workers must not inherit). The CLI tests join it with ``--address`` (starting a Ray per
test would cost seconds each); the engine's own start is checked apart (``ray.init``
recorded). The fault table (kills, the endpoint going away,
a second run, a full disk...) is ``tests/runs/test_chaos.py``.

Skipped where Ray is not installed, except in CI (``CI`` set), which installs
``claimx[ray]``: there a missing Ray fails the module instead of hiding it.
"""

from __future__ import annotations

import json
import os
import pickle
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray
except ImportError:
    if os.environ.get("CI"):
        raise  # CI installs the [ray] extra: the Ray tests must run there, not skip
    pytest.skip("Ray is not installed: pip install -e '.[ray]'", allow_module_level=True)

from claimx.cli import app
from claimx.llm.config import ClientConfig
from claimx.models import ExtractionResult
from claimx.runs import ray_engine
from tests.fake_openai_server import FakeOpenAIServer, synthetic_article

# Ray's own deprecation notices and open files are not claimx's to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
    pytest.mark.filterwarnings("ignore::FutureWarning:ray"),
    # Ray Data's per-dataset log file, which Ray leaves open until its session ends
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name='/tmp/ray/"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

FAULT = "kind=status status=400"  # a client error: not retried, the article fails


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(latency_s=0.1, max_requests=5_000, max_seconds=600) as srv:
        yield srv


def spec(server: FakeOpenAIServer, tmp_path: Path, **run: Any) -> Any:
    from claimx.runs.spec import RunOptions, RunSpec

    config = ClientConfig(
        model="synthetic",
        base_url=server.base_url,
        failures_dir=tmp_path / "failures",
        transient_retries=0,
    )
    from claimx.extraction.extractor import Extractor

    return RunSpec.of(Extractor("toy@v1", config=config), run=RunOptions(**run))


def rows(n: int, faulty: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    return [
        {"id": f"a{i:03d}", "text": synthetic_article(i, fault=FAULT if i in faulty else "")}
        for i in range(n)
    ]


def write_corpus(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in items))
    return path


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def ray_args(cluster: str, server: FakeOpenAIServer, corpus: Path, out: Path) -> list[str]:
    return [
        "extract", str(corpus), "-o", str(out), "--engine", "ray", "--format", "jsonl",
        "-p", "toy@v1", "--base-url", server.base_url, "--model", "synthetic",
        "--address", cluster,
    ]  # fmt: skip


def records(out: Path) -> list[dict[str, Any]]:
    """Every result record of a Ray output folder (JSONL files), the folder's own included."""
    found = []
    for path in sorted(out.glob("*.json*")):
        found += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return found


def test_actors_extract_rows_and_failed_articles_become_error_rows(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    items = [*rows(7, faulty=frozenset({2})), {"id": "blank", "text": "   "}]
    out = ray_engine.extract_dataset(
        ray.data.from_items(items), spec(server, tmp_path, concurrency=3)
    ).take_all()
    assert sorted(r["article_id"] for r in out) == sorted(r["id"] for r in items)
    errors = {r["article_id"]: r["error"] for r in out if r["error"]}
    assert set(errors) == {"a002", "blank"}
    assert errors["a002"]["error_type"] == "LLMError" and "HTTP 400" in errors["a002"]["message"]
    assert errors["blank"]["error_type"] == "InputError"
    assert errors["a002"]["model"] == "synthetic" and errors["a002"]["prompt"] == "toy@v1"
    for row in out:
        if not row["error"]:
            result = ExtractionResult.model_validate({k: v for k, v in row.items() if k != "error"})
            assert len(result.claims) == 4  # the synthetic article's four quotes


def test_flat_rows_one_per_claim_and_one_for_an_article_without_claims(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    items = [*rows(2), {"id": "quiet", "text": "Nobody said anything at the meeting.\n"}]
    out = ray_engine.extract_dataset(
        ray.data.from_items(items), spec(server, tmp_path), flat=True
    ).take_all()
    per_article = Counter(r["article_id"] for r in out)
    assert per_article == {"a000": 4, "a001": 4, "quiet": 1}
    quiet = next(r for r in out if r["article_id"] == "quiet")
    assert quiet["claim"] is None and quiet["error"] is None
    claim = next(r for r in out if r["article_id"] == "a000")
    assert claim["speaker"] and claim["grounding_grounded"] is True


def test_the_actors_really_keep_concurrency_requests_in_flight(
    cluster: str, tmp_path: Path
) -> None:
    # issue 25 (1): each actor had one request in flight whatever -j said (7.4x slower)
    corpus = write_corpus(tmp_path / "c.jsonl", rows(12))
    with FakeOpenAIServer(latency_s=0.6, max_seconds=120) as slow:
        result = cli(*ray_args(cluster, slow, corpus, tmp_path / "out"), "-j", "4")
        assert result.exit_code == 0, result.output
        # the autoscaling pool has 1 or 2 actors (2 CPUs) of 4 requests each
        assert 4 <= slow.state.max_in_flight <= 8
    assert sorted(r["article_id"] for r in records(tmp_path / "out")) == [
        f"a{i:03d}" for i in range(12)
    ]


def test_cli_reads_parquet_writes_jsonl_and_a_rerun_skips_what_is_there(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    source = tmp_path / "corpus"
    source.mkdir()
    pq.write_table(pa.Table.from_pylist(rows(5)), source / "part-0.parquet")
    out = tmp_path / "results"
    args = [*ray_args(cluster, server, source, out), "-j", "2"]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    done = [json.loads(x) for x in result.stderr.splitlines() if x.startswith("{")][-1]
    assert (done["event"], done["done"], done["failed"], done["skipped"]) == ("done", 5, 0, 0)
    assert sorted(r["article_id"] for r in records(out)) == [f"a{i:03d}" for i in range(5)]
    assert all(ExtractionResult.model_validate(r).claims for r in records(out))
    again = cli(*args)
    done = [json.loads(x) for x in again.stderr.splitlines() if x.startswith("{")][-1]
    assert (done["done"], done["skipped"]) == (0, 5)
    assert not (tmp_path / "results.errors.jsonl").exists()


def test_failed_articles_go_to_the_errors_file_and_the_next_run_retries_them(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # issue 25 (4): error rows counted as done; the re-run wrote nothing and exited 0
    corpus = write_corpus(tmp_path / "c.jsonl", rows(6, faulty=frozenset({1, 4})))
    out = tmp_path / "out"
    first = cli(*ray_args(cluster, server, corpus, out))
    assert first.exit_code == 1
    errors = tmp_path / "out.errors.jsonl"
    assert sorted(json.loads(x)["article_id"] for x in errors.read_text().splitlines()) == [
        "a001", "a004",
    ]  # fmt: skip
    assert sorted(r["article_id"] for r in records(out)) == ["a000", "a002", "a003", "a005"]
    write_corpus(corpus, rows(6))  # the endpoint now answers them
    second = cli(*ray_args(cluster, server, corpus, out))
    assert second.exit_code == 0, second.output
    assert sorted(r["article_id"] for r in records(out)) == [f"a{i:03d}" for i in range(6)]
    assert not errors.exists()


def test_files_claimx_did_not_write_are_never_touched(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # issue 25 (3): a notes.json that did not read as claimx output was deleted
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.json").write_text("my notes, not JSON lines of results")
    (out / "mine.parquet").write_bytes(b"not a parquet file at all")
    corpus = write_corpus(tmp_path / "c.jsonl", rows(3))
    result = cli(*ray_args(cluster, server, corpus, out))
    assert result.exit_code == 0, result.output
    assert (out / "notes.json").read_text() == "my notes, not JSON lines of results"
    assert (out / "mine.parquet").read_bytes() == b"not a parquet file at all"
    ours = {p.name for p in out.iterdir() if p.name.startswith("claimx-")}
    listed = (out / ".claimx" / "manifest.jsonl").read_text().splitlines()
    assert ours and {json.loads(x)["file"] for x in listed} == ours


def test_a_second_run_on_the_same_folder_is_refused(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path
) -> None:
    # issue 25 (2): two runs on one folder both wrote every id
    from claimx.runs.ray_engine import OutputFolder

    out = tmp_path / "out"
    holder = OutputFolder(out, output_format="jsonl")
    holder.lock()
    try:
        corpus = write_corpus(tmp_path / "c.jsonl", rows(2))
        refused = cli(*ray_args(cluster, server, corpus, out))
    finally:
        holder.unlock()
    assert refused.exit_code == 2
    assert "being written by another claimx run" in refused.stderr
    assert not list(out.glob("claimx-*"))


class _Stop(Exception):
    """Raised by a recorded ``ray.init`` so that nothing starts."""


def test_the_cli_starts_a_local_ray_never_a_running_cluster(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 25 (5): ray.init(address=None) joins a cluster already running on the machine
    calls: list[dict[str, Any]] = []

    def init(*args: Any, **kwargs: Any) -> None:
        calls.append({"address": args[0] if args else kwargs.get("address"), **kwargs})
        raise _Stop

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", init)
    corpus = write_corpus(tmp_path / "c.jsonl", rows(2))
    args = ray_args(cluster, server, corpus, tmp_path / "out")[:-2]  # without --address
    CliRunner().invoke(app, args)  # stops at the recorded ray.init (an error line)
    assert calls and calls[0]["address"] == "local"


def test_a_read_only_output_fails_before_a_cluster_starts(
    cluster: str,
    server: FakeOpenAIServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    read_only: Path,
) -> None:
    # issue 25 (5): a read-only -o started a whole cluster before failing at mkdir
    started: list[object] = []
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda *a, **k: started.append(k))
    corpus = write_corpus(tmp_path / "c.jsonl", rows(2))
    args = ray_args(cluster, server, corpus, read_only / "out")[:-2]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "cannot write --output" in result.stderr and str(read_only / "out") in result.stderr
    assert started == [], "no cluster was started"


def test_the_key_reaches_the_endpoint_as_a_reference_never_in_arguments_or_environments(
    cluster: str, server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 25 (5): the key travelled in every worker's environment and pickled in the
    # actor's constructor arguments
    key = "sk-secret-reference-test-9876"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    seen = tmp_path / "seen"
    seen.mkdir()
    shipped: list[bytes] = []
    real = ray.data.Dataset.map_batches

    def spy(self: Any, fn: Any, **kwargs: Any) -> Any:
        shipped.append(pickle.dumps(kwargs.get("fn_constructor_kwargs")))
        return real(self, fn, **kwargs)

    class Probe(ray_engine.ExtractBatches):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            (seen / f"{os.getpid()}.json").write_text(
                json.dumps({"env": os.environ.get("OPENAI_API_KEY")})
            )

    monkeypatch.setattr(ray.data.Dataset, "map_batches", spy)
    monkeypatch.setattr(ray_engine, "ExtractBatches", Probe)
    corpus = write_corpus(tmp_path / "c.jsonl", rows(2))
    out = tmp_path / "out"
    result = cli(*ray_args(cluster, server, corpus, out))
    assert result.exit_code == 0, result.output
    assert f"Bearer {key}" in server.state.authorizations, "the key arrived at the endpoint"
    assert shipped and all(key.encode() not in blob for blob in shipped)
    probes = [json.loads(p.read_text()) for p in seen.glob("*.json")]
    assert probes and all(p["env"] is None for p in probes), "no worker has the key"
    everything = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(key.encode() not in p.read_bytes() for p in everything), "not left in any file"
    # a key file a killed run left behind is removed by the next run on the folder
    (out / ".claimx" / "key-deadrun").write_text(key)
    assert cli(*ray_args(cluster, server, corpus, out)).exit_code == 0
    assert not (out / ".claimx" / "key-deadrun").exists()


def test_output_folder_reads_its_own_files_only(tmp_path: Path) -> None:
    from claimx.runs.ray_engine import OutputFolder

    out = tmp_path / "out"
    folder = OutputFolder(out, output_format="parquet")
    folder.lock()
    schema = ray_engine.result_schema().remove(ray_engine.result_schema().get_field_index("error"))
    row = {"article_id": "a", "model": "m", "prompt_hash": "h", "claims": [], "prompt": "p"}
    row |= {"strategy": "s", "latency_s": 0.1}
    folder.write_part([row], schema)
    folder.unlock()
    pq.write_table(pa.Table.from_pylist([{**row, "article_id": "foreign"}]), out / "x.parquet")
    with (out / ".claimx" / "manifest.jsonl").open("a") as manifest:
        manifest.write('{"file": "claimx-gone-00001.par')  # cut by a kill
    again = OutputFolder(out, output_format="parquet")
    assert again.written() == ({"a"}, {("m", "h")})
    assert (out / "x.parquet").exists()


def test_every_result_field_has_an_arrow_column() -> None:
    schema = ray_engine.result_schema()
    assert schema.names == [*ExtractionResult.model_fields, "error"]
    from claimx.models import ExtractedClaim

    claims = schema.field("claims").type
    assert pa.types.is_list(claims)
    assert [f.name for f in claims.value_type] == list(ExtractedClaim.model_fields)
    flat = ray_engine.flat_schema()
    assert {"article_id", "claim", "speaker", "grounding_score", "error"} <= set(flat.names)


def test_a_claims_evidence_pieces_survive_the_arrow_columns() -> None:
    from claimx.models import ExtractedClaim, Grounding

    text = "Her failings, it said, are many."
    claim = ExtractedClaim(
        claim="Her failings are many.", speaker="it", stance="supports", quote=text,
        start=0, end=len(text), fragments=[(0, 13), (23, 32)], direct=False, speaker_id="s1",
        grounding=Grounding(grounded=True, method="exact", score=100.0, model_quote=text),
    )  # fmt: skip
    result = ExtractionResult(
        article_id="a", claims=[claim], model="m", prompt="p@v1", prompt_hash="h",
        strategy="s", latency_s=0.0,
    )  # fmt: skip
    (row,) = ray_engine.result_rows(result, flat=False)
    table = pa.Table.from_pylist([row], schema=ray_engine.result_schema())
    assert table.schema.field("claims").type.value_type.field("fragments").type == pa.list_(
        pa.list_(pa.int64(), 2)
    )
    (back,) = table.drop_columns(["error"]).to_pylist()
    assert ExtractionResult.model_validate(back) == result
    (flat,) = ray_engine.result_rows(result, flat=True)
    flat_table = pa.Table.from_pylist([flat], schema=ray_engine.flat_schema())
    assert flat_table.column("fragments").to_pylist() == [[[0, 13], [23, 32]]]
