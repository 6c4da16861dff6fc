"""``claimx.stance_toward`` and ``claimx stance`` over the five articles, against the SYNTHETIC
server (tests/fake_openai_server.py) answering SCRIPTED targeted answers (tests/targeted/
synthetic.py): the order of the steps, saved results reused, calls counted, the outputs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimx
from claimx.cli import app
from claimx.errors import ClaimxError, InputError
from claimx.llm.cache import ResponseCache
from claimx.models import (
    Article,
    ExtractedClaim,
    ExtractionResult,
    GoldArticle,
    Grounding,
    TargetedAnswer,
)
from claimx.speakers import slugify
from claimx.stance_cli import table_lines
from tests.conftest import ARTICLES, ROOT
from tests.fake_openai_server import FakeOpenAIServer
from tests.targeted.synthetic import TARGETED_SCHEMA, schema_name, scripted_answer

US = "The United States was behind the drone attack on the Kremlin."
STEMS = sorted(p.stem for p in ARTICLES.glob("*.txt"))
TEXTS = {s: (ARTICLES / f"{s}.txt").read_text(encoding="utf-8") for s in STEMS}


def saved_results(stem: str) -> ExtractionResult:
    """SYNTHETIC saved results: the claim gold of one article in the format of claimx extract
    (what matters is that they are read, not extracted)."""
    gold = GoldArticle.model_validate_json((ROOT / "eval" / "gold" / f"{stem}.json").read_text())
    claims = [
        ExtractedClaim(
            **c.model_dump(),
            speaker_id=slugify(c.speaker),
            grounding=Grounding(grounded=True, method="exact", score=100.0, model_quote=c.quote),
        )
        for c in gold.claims
    ]
    return ExtractionResult(
        article_id=stem,
        claims=claims,
        model="saved",
        prompt="extract@v9",
        prompt_hash="saved",
        strategy="saved",
        latency_s=1.0,
    )


@pytest.fixture
def server(shipped_prompts: Path) -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(answer=scripted_answer) as running:
        yield running


def test_saved_results_are_reused_and_only_unsettled_articles_ask_the_model(
    server: FakeOpenAIServer,
) -> None:
    # Two articles with saved claims (which state the claim: no call), three without.
    inputs: list[claimx.Article | ExtractionResult] = [saved_results(s) for s in STEMS[:2]]
    inputs += [Article(id=s, text=TEXTS[s]) for s in STEMS]
    answers = claimx.stance_toward(US, inputs, model="local", base_url=server.base_url)
    assert [a.article_id for a in answers] == STEMS  # in order of first appearance
    by = {a.article_id: a.decided_by for a in answers}
    assert [by[s] for s in STEMS[:2]] == ["sources", "sources"]
    assert all(by[s] == "model" for s in STEMS[2:])
    assert server.requests == 3 == sum(a.usage.calls for a in answers)
    assert {a.prompt for a in answers} == {"targeted@v1"}


def test_every_request_is_a_targeted_one(shipped_prompts: Path) -> None:
    seen: list[str] = []

    def answer(request):  # type: ignore[no-untyped-def]
        seen.append(schema_name(request))
        return scripted_answer(request)

    with FakeOpenAIServer(answer=answer) as running:
        inputs: list[claimx.Article | ExtractionResult] = [saved_results(s) for s in STEMS]
        answers = claimx.stance_toward(
            "Vladimir Putin was in the Kremlin at the time of the drone attack.",
            inputs,
            texts=TEXTS,
            model="local",
            base_url=running.base_url,
        )
    asked = [a for a in answers if a.decided_by == "model"]
    assert asked and seen == [TARGETED_SCHEMA] * len(asked)  # no extraction schema, ever


def test_the_cache_answers_a_second_run_with_no_call(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    cache = ResponseCache.open(tmp_path / "cache")
    try:
        first = claimx.stance_toward(
            US, list(TEXTS.values()), model="local", base_url=server.base_url, cache=cache
        )
        calls = server.requests
        again = claimx.stance_toward(
            US, list(TEXTS.values()), model="local", base_url=server.base_url, cache=cache
        )
    finally:
        cache.close()
    assert calls == 5 and server.requests == calls
    assert [a.article_id for a in again] == [f"article-{n}" for n in range(1, 6)]
    assert all(a.cached and a.usage.calls == 0 for a in again)
    assert [a.stance for a in again] == [a.stance for a in first]


def test_inputs_that_do_not_fit_together_are_refused(shipped_prompts: Path) -> None:
    with pytest.raises(InputError, match="no text"):
        claimx.stance_toward(US, [saved_results(STEMS[0])], use_model=False)
    twice = Article(id="a", text="Some text.")
    with pytest.raises(InputError, match="given twice"):
        claimx.stance_toward(US, [twice, twice], use_model=False)
    with pytest.raises(InputError, match="claim is empty"):
        claimx.stance_toward(" ", [twice], use_model=False)


def test_inside_an_event_loop_the_async_form_is_required(shipped_prompts: Path) -> None:
    async def inside() -> None:
        with pytest.raises(ClaimxError, match="await astance_toward"):
            claimx.stance_toward(US, ["Some text."], use_model=False)
        answers = await claimx.astance_toward(US, ["Some text."], use_model=False)
        assert answers[0].decided_by in ("screen", "classifier")

    asyncio.run(inside())


def test_the_command_reuses_results_files_and_writes_jsonl(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text("".join(saved_results(s).model_dump_json() + "\n" for s in STEMS[:2]))
    args = ["stance", US, str(results), str(ARTICLES), "--model", "local"]
    args += ["--base-url", server.base_url, "--no-cache"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    answers = [TargetedAnswer.model_validate_json(line) for line in done.stdout.splitlines()]
    assert [a.article_id for a in answers] == STEMS
    assert sum(a.usage.calls for a in answers) == server.requests == 3


def test_the_table_fits_80_columns_and_json_is_one_array(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    base = ["stance", US, str(ARTICLES), "--model", "local", "--base-url", server.base_url]
    table = CliRunner().invoke(app, [*base, "-f", "table", "--no-cache"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert len(lines) == 1 + 5 + 2 and all(len(line) <= 80 for line in lines)
    assert lines[0].split() == ["article", "position", "by", "sources"]
    out = tmp_path / "answers.json"
    written = CliRunner().invoke(app, [*base, "-f", "json", "-o", str(out), "--no-cache"])
    assert written.exit_code == 0, written.output
    assert len(json.loads(out.read_text())) == 5


def test_a_bad_input_is_named_and_the_others_answered(
    shipped_prompts: Path, tmp_path: Path
) -> None:
    args = ["stance", US, str(tmp_path / "missing.txt"), str(ARTICLES / f"{STEMS[0]}.txt")]
    done = CliRunner().invoke(app, [*args, "--no-model"])
    assert done.exit_code == 1
    assert "skipped" in done.stderr and "missing.txt" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("error: 1 input(s) could not be read")
    assert len(done.stdout.splitlines()) == 1


def test_table_lines_cut_long_cells() -> None:
    long = TargetedAnswer(
        claim=US,
        article_id="x" * 40,
        stance="uncertain",
        decided_by="model",
        relatedness=0.5,
        sources=[],
    )
    assert all(len(line) <= 80 for line in table_lines([long]))


def test_gold_files_are_claims_too_and_broken_results_are_named(
    shipped_prompts: Path, tmp_path: Path
) -> None:
    stem = STEMS[1]
    gold = ROOT / "eval" / "gold" / f"{stem}.json"
    done = CliRunner().invoke(
        app, ["stance", US, str(gold), str(ARTICLES / f"{stem}.txt"), "--no-model"]
    )
    assert done.exit_code == 0, done.output
    (answer,) = [TargetedAnswer.model_validate_json(line) for line in done.stdout.splitlines()]
    assert answer.decided_by == "sources" and answer.sources
    broken = tmp_path / "results.jsonl"
    broken.write_text(json.dumps({"article_id": stem, "claims": [], "prompt_hash": "x"}) + "\n")
    done = CliRunner().invoke(app, ["stance", US, str(broken), str(ARTICLES), "--no-model"])
    assert done.exit_code == 1 and "not claimx extract results" in done.stderr
    assert len(done.stdout.splitlines()) == 5  # the articles are still answered
