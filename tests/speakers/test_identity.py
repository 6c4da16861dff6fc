"""One identity rule for the extractor and the scorer: transliterations are one speaker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimx.eval.gold import gold_problems
from claimx.eval.metrics import score_article
from claimx.eval.results import ArticleRun
from claimx.models import Claim, ExtractedClaim, ExtractionResult, Grounding, Usage
from claimx.speakers import distinct_sources, resolve_speakers, same_source

TEXT = "“Nothing was agreed,” Dmitry Peskov said. Volodymyr Zelensky said talks go on."
VARIANTS = [
    ("Dmitry Peskov", "Dmitri Peskov"),
    ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
    ("Zelensky", "Volodymyr Zelenskyy"),
]


def gold(speaker: str, quote: str) -> Claim:
    start = TEXT.index(quote)
    return Claim(
        claim=f"{quote}.",
        speaker=speaker,
        stance="supports",
        quote=quote,
        start=start,
        end=start + len(quote),
        direct=False,
    )


def predicted(c: Claim, speaker: str) -> ExtractedClaim:
    grounding = Grounding(grounded=True, method="exact", score=100.0, model_quote=c.quote)
    data = {**c.model_dump(), "speaker": speaker}
    return ExtractedClaim(**data, speaker_id="s", grounding=grounding)


@pytest.mark.parametrize(("a", "b"), VARIANTS)
def test_the_rule_joins_transliterations(a: str, b: str) -> None:
    assert same_source(a, b) and same_source(b, a)
    assert distinct_sources([a, b]) == [a]


@pytest.mark.parametrize(("written", "gold_name"), VARIANTS)
def test_scorer_counts_a_transliterated_speaker_as_right(written: str, gold_name: str) -> None:
    quote = "Nothing was agreed" if "Peskov" in gold_name else "talks go on"
    g = gold(gold_name, quote)
    result = ExtractionResult(
        article_id="a",
        claims=[predicted(g, written)],
        model="local",
        prompt="extract@v1",
        prompt_hash="abc123",
        strategy="single_pass",
        usage=Usage(),
        latency_s=0.0,
    )
    run = ArticleRun("a", TEXT, [g], result, None)
    score = score_article(run)
    assert [p.speaker_ok for p in score.pairs] == [True]
    assert score.counts.speakers_matched == 1 and score.counts.speakers_pred == 1


@pytest.mark.parametrize(("a", "b"), VARIANTS)
def test_extractor_resolves_transliterations_to_one_speaker(a: str, b: str) -> None:
    speakers, ids = resolve_speakers([(a, None), (b, None)], TEXT)
    assert len(speakers) == 1 and ids[0] == ids[1]


@pytest.mark.parametrize(("a", "b"), VARIANTS)
def test_gold_checker_flags_a_duplicate_under_a_transliterated_name(
    tmp_path: Path, a: str, b: str
) -> None:
    claims = [gold(name, "Nothing was agreed").model_dump() for name in (a, b)]
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "a1.txt").write_text(TEXT, encoding="utf-8")
    payload = json.dumps({"article_id": "a1", "claims": claims})
    (tmp_path / "gold" / "a1.json").write_text(payload, encoding="utf-8")
    problems = gold_problems(tmp_path / "gold")
    assert [(p.claim, p.kind) for p in problems] == [(1, "duplicate")]


@pytest.mark.parametrize(
    ("a", "b", "context"),
    [
        ("John Smith", "Jane Smith", ()),  # different first names: two people
        ("Smith", "John Smith", ("John Smith", "Jane Smith")),  # two Smiths: ambiguous
        ("Russian Defense Ministry", "Russian Foreign Ministry", ()),  # bodies: no fuzzy rule
        ("officials", "U.S. officials", ()),  # a common noun is no surname
        ("Daniel Craig", "Daniela Craig", ()),
    ],
)
def test_the_rule_keeps_different_sources_apart(a: str, b: str, context: tuple[str, ...]) -> None:
    assert not same_source(a, b, context)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("US", "United States", True),
        ("U. S.", "United States", True),
        ("the U.S.", "the United States", True),
        ("ICC", "International Criminal Court", True),
        ("ISW", "Institute for the Study of War", True),
        ("CNN", "White House", False),
        ("Us", "United States", False),  # not written as an acronym
        (
            "The Washington-based Institute for the Study of War",
            "Institute for the Study of War",
            True,
        ),
        ("Russian Defense Ministry", "Defense Ministry", False),  # two words: could be any ministry
        ("Russian Defense Ministry", "British Defense Ministry", False),
        # a state's possessive is its adjective in a body's name, nowhere else
        ("Ukraine’s air force", "Ukrainian Air Force", True),
        ("the Ukraine's southern military command", "Ukrainian southern military command", True),
        ("Ukraine’s air force", "Russian Air Force", False),
        ("Russia’s", "Russian", False),
        # a state's government by another name is the state's
        ("the Kremlin administration", "Kremlin", True),
        ("Trump administration", "Trump", False),
    ],
)
def test_acronyms_and_described_bodies(a: str, b: str, same: bool) -> None:
    assert same_source(a, b) is same
    assert same_source(b, a) is same


@pytest.mark.parametrize(
    ("written", "name"),
    [
        # rule 6: a description before a person's full name (speaker_role, not the name)
        ("Republican nominee Donald Trump", "Donald Trump"),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Senator Jane Doe", "Jane Doe"),
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("Democrat pollster Pat Caddell", "Pat Caddell"),
        # appositives and relative clauses are not part of the name
        ("Gonzalez, 55, of Brigantine", "Mayra Gonzalez"),
        ("Sen. Jim Whelan who represents the city", "Jim Whelan"),
        ("Gov. Pat McCrory (R)", "Pat McCrory"),
        ("John Kirby, spokesperson for the National Security Council", "John Kirby"),
        # a description set off by commas before the name, and a possessive ending
        ("Trump's running mate, Indiana Gov. Mike Pence,", "Mike Pence"),
        ("Apple's chief executive, Tim Cook,", "Tim Cook"),
        ("Trump's", "Donald Trump"),
        ("Mr. Kirby's", "John Kirby"),
    ],
)
def test_a_name_written_with_its_description_is_the_name(written: str, name: str) -> None:
    assert same_source(written, name, [written, name])
    assert same_source(name, written, [written, name])


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Donald Trump's campaign", "Donald Trump"),  # possessive: a body of his
        ("the Trump campaign", "Trump"),  # a campaign is not its candidate (5.1)
        ("the Obama administration", "Obama"),
        ("A Gallup poll", "Gallup"),  # a document is a source of its own (5.7)
        ("A spokeswoman for Hillary Clinton", "Hillary Clinton"),  # institution and voice
        ("allies of Donald Trump", "Donald Trump"),
        ("Hillary Clinton and Tim Kaine", "Tim Kaine"),  # a group and its member
        ("U.S. officials", "officials"),
        ("Democratic leaders", "Democratic"),
        ("Sen. Jim Whelan who represents the city", "Steve Sweeney"),
    ],
)
def test_a_description_does_not_join_what_the_guide_keeps_apart(written: str, name: str) -> None:
    assert not same_source(written, name, [written, name])
    assert not same_source(name, written, [written, name])


def test_a_surname_as_written_joins_the_full_name_through_its_description() -> None:
    names = ["Caddell", "Democrat pollster Pat Caddell", "Pat Caddell"]
    assert same_source("Caddell", "Pat Caddell", names)  # the description is Caddell too
    # ... but a second Caddell, even an appositive's, keeps the surname ambiguous
    assert not same_source("Caddell", "Pat Caddell", [*names, "Mary Caddell, his sister"])
    assert distinct_sources(names, names) == ["Caddell"]
