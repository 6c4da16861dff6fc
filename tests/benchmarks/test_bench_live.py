"""benchmarks/bench_live.py: its arithmetic, and its runs against the SYNTHETIC server.

The synthetic server (:mod:`tests.fake_openai_server`) answers by regular
expression, not as a model: these tests check what the benchmark measures and
prints, never extraction quality or real speeds (the script prints those).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import yaml

from benchmarks import bench_live as bl
from claimx.cassettes import use_cassette
from claimx.errors import ConfigError
from claimx.eval.gold import load_gold
from claimx.eval.recordings import LOCAL_MODEL, REPLAY_BASE_URL
from claimx.llm.config import ClientConfig
from claimx.llm.layers import open_model
from claimx.models import ExtractionResult
from claimx.prompts import default_registry
from tests.fake_openai_server import OK, FakeOpenAIServer, Fault, Request

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold"


def a_pass(**changes: object) -> bl.Pass:
    fields: dict[str, object] = {
        "label": "x",
        "articles": 4,
        "wall_s": 80.0,
        "latencies": [10.0, 30.0, 20.0],
        "prompt_tokens": 9_000,
        "completion_tokens": 300,
        "calls": 6,
        "processed_tokens": 3_000,
        "failed": 1,
        "joint_f1": 0.5,
    }
    return bl.Pass(**(fields | changes))  # type: ignore[arg-type]


# --- arithmetic ---------------------------------------------------------------------------


def test_median_skips_unknown_values_and_is_unknown_without_any() -> None:
    assert bl.median([3.0, None, 1.0, 2.0]) == 2.0
    assert bl.median([None, None]) is None
    assert bl.median([]) is None


def test_ratio_is_unknown_without_a_value_or_a_usable_base() -> None:
    assert bl.ratio(3.0, 2.0) == 1.5
    assert bl.ratio(None, 2.0) is None
    assert bl.ratio(3.0, None) is None
    assert bl.ratio(3.0, 0.0) is None


def test_repeats_alternate_the_systems() -> None:
    order = [(0, "A"), (0, "B"), (1, "A"), (1, "B"), (2, "A"), (2, "B")]
    assert bl.alternate(["A", "B"], 3) == order


def test_slot_counts_are_whole_numbers_of_at_least_one() -> None:
    assert bl.parse_counts("1,2, 4") == [1, 2, 4]
    for bad in ("1,two", "0,2", ""):
        with pytest.raises(ConfigError, match="--slots"):
            bl.parse_counts(bad)


def test_timings_are_read_from_a_llama_server_body() -> None:
    body = {
        "choices": [],
        "timings": {
            "cache_n": 16,
            "prompt_n": 400,
            "prompt_ms": 2000.0,
            "prompt_per_second": 200.0,
            "predicted_n": 50,
            "predicted_ms": 5000.0,
            "predicted_per_second": 10.0,
        },
    }
    timings = bl.parse_timings(body)
    assert timings == bl.Timings(400, 16, 2000.0, 50, 5000.0)
    assert timings.prompt_per_second == 200.0
    assert timings.predicted_per_second == 10.0


@pytest.mark.parametrize(
    "body",
    [None, {}, {"timings": None}, {"timings": {"prompt_n": 3}}, {"timings": {"prompt_n": "x"}}],
)
def test_a_body_without_usable_timings_has_none(body: object) -> None:
    assert bl.parse_timings(body) is None


def test_no_time_spent_gives_no_speed() -> None:
    assert bl.Timings(10, 0, 0.0, 5, 0.0).prompt_per_second is None
    with pytest.raises(ConfigError, match="no time spent"):
        bl.summarise_limit([bl.Timings(10, 0, 0.0, 5, 0.0)])


def test_the_limit_is_the_median_of_its_runs_and_gives_the_floor() -> None:
    runs = [
        bl.Timings(1000, 0, 10_000.0, 128, 12_800.0),  # 100 tok/s, 10 tok/s
        bl.Timings(1000, 0, 5_000.0, 128, 6_400.0),  # 200, 20
        bl.Timings(1000, 0, 20_000.0, 128, 25_600.0),  # 50, 5
    ]
    limit = bl.summarise_limit(runs)
    assert (limit.prompt_tps, limit.gen_tps, limit.runs, limit.prompt_n) == (100.0, 10.0, 3, 1000)
    # 1,000 prompt tokens at 100 tok/s and 50 generated at 10 tok/s: 10 s + 5 s
    assert limit.floor_s(1000, 50) == pytest.approx(15.0)


def test_a_pass_reports_per_article_figures_over_the_articles_that_succeeded() -> None:
    limit = bl.Limit(prompt_tps=100.0, gen_tps=10.0, runs=3, prompt_n=1000)
    figures = a_pass().figures(limit)
    assert figures["s_per_article"] == 20.0  # 80 s over 4 articles
    assert figures["articles_per_hour"] == 180.0
    assert figures["latency_s"] == 20.0
    assert figures["prompt_tokens"] == 3_000  # 9,000 over the 3 that succeeded
    assert figures["processed_tokens"] == 1_000
    assert figures["completion_tokens"] == 100
    assert figures["calls"] == 2
    assert figures["gen_tps"] == 300 / 80
    assert figures["processed_tps"] == 3_000 / 80
    # 1,000 processed at 100 tok/s + 100 generated at 10 tok/s
    assert figures["floor_s"] == pytest.approx(20.0)
    assert figures["over_floor"] == pytest.approx(1.0)


def test_without_timings_the_floor_counts_every_prompt_token() -> None:
    limit = bl.Limit(prompt_tps=100.0, gen_tps=10.0, runs=3, prompt_n=1000)
    figures = a_pass(processed_tokens=None).figures(limit)
    assert figures["processed_tokens"] is None
    assert figures["processed_tps"] is None
    assert figures["floor_s"] == pytest.approx(3_000 / 100 + 100 / 10)
    assert a_pass().figures()["floor_s"] is None


def test_repeats_are_summarised_by_medians_and_tabled_as_ratios_to_the_first_row() -> None:
    fast = [a_pass(wall_s=w) for w in (40.0, 44.0, 400.0)]  # one outlier
    slow = [a_pass(wall_s=w, joint_f1=0.6) for w in (60.0, 66.0, 64.0)]
    rows = [("fast", bl.median_figures(fast)), ("slow", bl.median_figures(slow))]
    assert rows[0][1]["wall_s"] == 44.0
    assert rows[1][1]["wall_s"] == 64.0
    columns = [("wall_s", "wall s", 1), ("joint_f1", "joint F1", 3)]
    table = bl.ratios_table(rows, columns).splitlines()
    assert table[0] == "|  | wall s | joint F1 |"
    assert table[2] == "| fast | 1.00× | 1.00× |"
    assert table[3] == "| slow | 1.45× | 1.20× |"
    assert "| slow | 64.0 | 0.600 |" in bl.figures_table(rows, columns)


def test_the_issues_targets_are_judged_against_the_baseline_row() -> None:
    def row(seconds: float, tokens: float | None, f1: float) -> dict[str, float | None]:
        return {"s_per_article": seconds, "prompt_tokens": tokens, "joint_f1": f1}

    rows = [
        ("v1", row(40, 900, 0.4)),
        ("good", row(60, 12_000, 0.5)),
        ("bad", row(61, 12_001, 0.5)),
    ]
    rows.append(("blind", row(50, None, 0.5)))
    good, bad, blind = bl.prompt_targets(rows)
    assert good == (
        "- good: s/article 1.50× v1's (target ≤ 1.5×): met; prompt tokens/article 12,000"
        " (target ≤ 12,000): met; joint F1 0.500 (v1: 0.400)"
    )
    assert bad.count("MISSED") == 2
    assert "1.25× v1's (target ≤ 1.5×): met" in blind and "(target ≤ 12,000): unknown" in blind


def test_the_slot_target_takes_the_best_row() -> None:
    rows = [("1 slot", {"articles_per_hour": 10.0}), ("2 slots", {"articles_per_hour": 21.0})]
    rows.append(("4 slots", {"articles_per_hour": 19.0}))
    assert bl.slot_target(rows) == "- best: 2 slots, articles/h 2.10× 1 slot's (target ≥ 2.0×): met"
    rows[1][1]["articles_per_hour"] = 15.0
    assert bl.slot_target(rows).endswith("1.90× 1 slot's (target ≥ 2.0×): MISSED")


def test_the_restart_runs_the_script_on_the_base_urls_port() -> None:
    script = Path("scripts/local-llm.sh")
    commands = bl.restart_commands(script, 4, "http://127.0.0.1:8099/v1")
    env = {"CLAIMX_LLM_SLOTS": "4", "CLAIMX_LLM_PORT": "8099"}
    assert commands == [([str(script), "stop"], env), ([str(script), "start"], env)]


# --- against the synthetic server -----------------------------------------------------------


def config(server: FakeOpenAIServer, tmp_path: Path) -> ClientConfig:
    return ClientConfig(
        model="synthetic", base_url=server.base_url, timeout_s=10.0, failures_dir=tmp_path
    )


def test_the_synthetic_server_reports_timings_only_as_llama_server(tmp_path: Path) -> None:
    body = bl.limit_body("synthetic", "Some article text. " * 20, 16)
    with FakeOpenAIServer() as plain:
        assert bl.parse_timings(bl.post_json(config(plain, tmp_path), body)) is None
    with FakeOpenAIServer(slots=1, latency_s=0.01) as server:
        answer = bl.post_json(config(server, tmp_path), body)
        again = bl.post_json(config(server, tmp_path), body | {"cache_prompt": True})
    timings, cached = bl.parse_timings(answer), bl.parse_timings(again)
    assert timings is not None and cached is not None
    assert (timings.cache_n, timings.prompt_n) == (0, answer["usage"]["prompt_tokens"])
    assert cached.cache_n > 0  # the same prompt again, the cache allowed
    assert cached.prompt_n == answer["usage"]["prompt_tokens"] - cached.cache_n


def test_the_limit_asks_for_an_uncached_prompt_and_reads_the_speeds(tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []

    def script(request: Request) -> Fault:
        seen.append(request.body)
        return OK

    text = load_gold(GOLD)[0].text
    with FakeOpenAIServer(script, slots=1, latency_s=0.02) as server:
        limit, runs = bl.measure_limit(config(server, tmp_path), text, repeat=3, max_tokens=128)
    assert len(seen) == 4 and len(runs) == 3  # a warm-up, then the runs
    assert all(b["cache_prompt"] is False and b["max_tokens"] == 128 for b in seen)
    assert all(t.cache_n == 0 for t in runs)
    assert limit.prompt_tps == pytest.approx(runs[0].prompt_n / 0.01)
    assert limit.prompt_n == runs[0].prompt_n > len(text) // 5


def test_the_limit_needs_a_server_that_reports_timings(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server, pytest.raises(ConfigError, match="timings"):
        bl.measure_limit(config(server, tmp_path), "text", repeat=1, max_tokens=8)


def test_prompts_alternate_live_with_usage_timings_and_the_eval_score(tmp_path: Path) -> None:
    registry = default_registry()
    specs = [registry.get("toy@v1"), registry.get("toy@v2")]
    gold = load_gold(GOLD)[:1]
    firsts: list[str] = []  # the first message of each request, in arrival order

    def script(request: Request) -> Fault:
        firsts.append(request.body["messages"][0]["content"])
        return OK

    with FakeOpenAIServer(script, slots=2, latency_s=0.01) as server:
        passes = bl.compare_prompts(specs, config(server, tmp_path), gold, repeat=2, concurrency=2)
        log = list(server.state.log)
    assert list(passes) == ["toy@v1", "toy@v2"]
    v1 = [first == firsts[0] for first in firsts]
    runs = [is_v1 for k, is_v1 in enumerate(v1) if k == 0 or v1[k - 1] != is_v1]
    assert runs == [True, False, True, False]  # A B A B
    single, staged = passes["toy@v1"], passes["toy@v2"]
    assert len(single) == len(staged) == 2
    calls = sum(p.calls for runs in passes.values() for p in runs)
    assert calls == len(log)  # nothing answered from a response cache
    assert all(p.calls == 1 and p.failed == 0 for p in single)
    assert all(p.calls > 1 for p in staged)
    for p in single + staged:
        assert p.prompt_tokens > 0 and p.latencies
        assert p.joint_f1 == 0.0  # the synthetic answers hold no claim of a real article
        # the staged requests share a prefix: the (synthetic) prompt cache serves it
        assert p.processed_tokens is not None and p.processed_tokens <= p.prompt_tokens
    assert all(p.processed_tokens < p.prompt_tokens for p in staged)  # type: ignore[operator]


def test_the_slot_sweep_restarts_per_count_limits_the_requests_and_restores(
    tmp_path: Path,
) -> None:
    spec = default_registry().get("toy@v2")
    gold = load_gold(GOLD)[:1]
    with FakeOpenAIServer(slots=2, latency_s=0.01) as server:
        restarts: list[int] = []
        peaks: list[int] = []

        def restart(slots: int) -> None:
            peaks.append(server.state.max_in_flight)
            server.state.max_in_flight = 0
            server.state.slots = slots
            restarts.append(slots)

        swept = bl.sweep_slots(
            [spec], config(server, tmp_path), gold, [1, 3], repeat=1, restart=restart
        )
    assert restarts == [1, 3, 2]  # each count, then back to the 2 slots it had
    assert peaks[1:] == [1, 3]  # at most the slot count in flight, and that many
    (rows,) = swept.values()
    assert [(r.slots, r.concurrency, len(r.passes)) for r in rows] == [(1, 1, 1), (3, 3, 1)]
    assert [r.title for r in rows] == ["1 slot(s) × concurrency 1", "3 slot(s) × concurrency 3"]
    assert all(p.alone_s is not None and p.articles == 1 for r in rows for p in r.passes)


def test_a_failed_sweep_still_puts_the_server_back(tmp_path: Path) -> None:
    restarts: list[int] = []

    def restart(slots: int) -> None:
        restarts.append(slots)
        if slots == 4:
            raise ConfigError("the server did not start")

    spec = default_registry().get("toy@v1")
    with FakeOpenAIServer(slots=2) as server, pytest.raises(ConfigError, match="did not start"):
        bl.sweep_slots([spec], config(server, tmp_path), [], [4], repeat=1, restart=restart)
    assert restarts == [4, 2]


def test_the_script_restart_passes_the_slots_and_port_and_checks_props(tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    script = tmp_path / "local-llm.sh"
    script.write_text(
        f'#!/bin/sh\necho "$1 $CLAIMX_LLM_SLOTS $CLAIMX_LLM_PORT" >> {log}\n', encoding="utf-8"
    )
    script.chmod(0o755)
    with FakeOpenAIServer(slots=2) as server:
        port = server.base_url.split(":")[-1].split("/")[0]
        restart = bl.script_restart(script, server.base_url)
        restart(2)
        with pytest.raises(ConfigError, match="reports 2"):
            restart(4)
    assert log.read_text().splitlines() == [
        f"stop 2 {port}",
        f"start 2 {port}",
        f"stop 4 {port}",
        f"start 4 {port}",
    ]


def test_the_script_prints_every_table_and_writes_its_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "live.json"
    with FakeOpenAIServer(slots=1, latency_s=0.01) as server:
        argv = ["--base-url", server.base_url, "--model", "synthetic", "--articles", "1"]
        # a quoted-answer staged prompt: the synthetic server answers that format
        argv += ["--prompt", "toy@v1", "--prompt", "toy@v2"]
        argv += ["--repeat", "1", "--limit", "--json", str(out)]
        assert bl.main(argv) == 0
    printed = capsys.readouterr().out
    latest = "toy@v2"
    assert "## Prompts, concurrency 1, 1 article(s), 1 run(s)" in printed
    assert "As ratios to toy@v1" in printed
    assert "## Against the physical limit" in printed
    assert "processed prompt tokens / prompt tok/s" in printed
    assert f"Issue 17's targets:\n\n- {latest}: s/article" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["model"] == "synthetic" and report["limit"]["summary"]["runs"] == 1
    (section,) = report["sections"]
    assert list(section["rows"]) == ["toy@v1", latest]
    assert [p["label"] for p in report["passes"]] == ["toy@v1", latest]
    assert section["rows"]["toy@v1"]["over_floor"] > 0


@pytest.mark.cassette
def test_processed_tokens_are_the_real_servers_timings_read_through_claimxs_client(
    shipped_prompts: Path,
) -> None:
    # A replay of real llama-server answers (eval/cassettes): their timings say how
    # many prompt tokens it processed; the rest came from its prompt cache.
    article = "002_e5a425235c96543c"
    path = ROOT / "eval" / "cassettes" / LOCAL_MODEL / "extract@v9" / f"{article}.yaml"
    recorded = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
    bodies = [json.loads(i["response"]["body"]["string"]) for i in recorded]
    (item,) = [g for g in load_gold(GOLD) if g.article_id == article]
    replay = ClientConfig(model=LOCAL_MODEL, base_url=REPLAY_BASE_URL, api_key="replay")
    extractor = bl.ObservedExtractor("extract@v9", config=replay)

    async def extract() -> ExtractionResult:
        model = open_model(replay)
        try:
            return await extractor.aextract(item.text, article_id=article, llm=model)
        finally:
            await model.aclose()

    with use_cassette(path, "none", rerecord_hint="scripts/record-cassettes.sh"):
        result = asyncio.run(extract())
    assert result.usage.calls == len(bodies)
    assert extractor.processed_tokens() == sum(b["timings"]["prompt_n"] for b in bodies)
    assert result.usage.prompt_tokens == sum(b["usage"]["prompt_tokens"] for b in bodies)
    assert extractor.processed_tokens() < result.usage.prompt_tokens  # type: ignore[operator]


def test_a_pass_whose_articles_all_fail_says_why_and_scores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(request: Request) -> Fault:
        return Fault("status", status=400)

    spec = default_registry().get("toy@v1")
    gold = load_gold(GOLD)[:2]
    with FakeOpenAIServer(refuse, slots=1) as server:
        done = asyncio.run(bl.one_pass("v1", spec, config(server, tmp_path), gold, 1, tmp_path))
    assert (done.articles, done.failed, done.latencies, done.calls) == (2, 2, [], 0)
    assert done.joint_f1 is None and done.processed_tokens is None
    assert "v1: every article failed, the first with" in capsys.readouterr().err
    assert done.figures()["joint_f1"] is None
