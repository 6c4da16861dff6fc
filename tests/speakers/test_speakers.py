"""Speaker resolution within an article and across articles."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from claimx.models import GoldArticle
from claimx.speakers import (
    UNKNOWN_SPEAKER_ID,
    SpeakerRegistry,
    parse_mention,
    resolve_speakers,
    same_person,
    slugify,
)

ROOT = Path(__file__).resolve().parents[2]


@cache
def article(prefix: str) -> str:
    (path,) = (ROOT / "eval" / "articles").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def ids_of(mentions: list[tuple[str, str | None]], text: str = "") -> list[str]:
    return resolve_speakers(mentions, text)[1]


# --- parsing one mention ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name", "role", "kind"),
    [
        ("Dmitry Peskov", "Dmitry Peskov", None, "name"),
        ("Mr Putin’s spokesman Dmitry Peskov", "Dmitry Peskov", "Mr Putin’s spokesman", "name"),
        ("Dmitry Peskov, the Kremlin spokesman", "Dmitry Peskov", "the Kremlin spokesman", "name"),
        ("Mr Kirby", "Kirby", None, "name"),
        ("Secretary of State Antony Blinken", "Antony Blinken", "Secretary of State", "name"),
        (
            "Defense Department spokesperson Lt. Col. Garron Garn",
            "Garron Garn",
            "Defense Department spokesperson Lt. Col.",
            "name",
        ),
        (
            "Ukrainian President Volodymyr Zelensky",
            "Volodymyr Zelensky",
            "Ukrainian President",
            "name",
        ),
        ("the Kremlin spokesman", "", "Kremlin spokesman", "role"),
        ("Putin's spokesman", "", "Putin's spokesman", "role"),
        (
            "spokesman for the U.S. National Security Council",
            "",
            "spokesman for the U.S. National Security Council",
            "role",
        ),
        ("U.S. officials", "U.S. officials", None, "group"),
        ("security analysts", "security analysts", None, "group"),
        ("The White House", "White House", None, "name"),
        ("Institute for the Study of War", "Institute for the Study of War", None, "name"),
        ("Council on Foreign Relations", "Council on Foreign Relations", None, "name"),
        ("he", "", None, "unknown"),
        ("", "", None, "unknown"),
        # the sentence's full stop is no part of a name; an acronym's last dot is
        ("Vladimir Zelensky.", "Vladimir Zelensky", None, "name"),
        ("the U.S.", "U.S.", None, "name"),
        # a name copied off a scraped breadcrumb loses the menu glued to it
        ("HomeWorldKremlin", "Kremlin", None, "name"),
        ("Homeland Security", "Homeland Security", None, "name"),
    ],
)
def test_parse_mention(raw: str, name: str, role: str | None, kind: str) -> None:
    m = parse_mention(raw)
    assert (m.name, m.role, m.kind) == (name, role, kind)


def test_given_role_wins_over_embedded_descriptor() -> None:
    m = parse_mention("Mr Putin’s spokesman Dmitry Peskov", "press secretary")
    assert (m.name, m.role) == ("Dmitry Peskov", "press secretary")


def test_slugify_is_stable_and_folds_abbreviations() -> None:
    assert slugify("Dmitry Peskov") == "dmitry-peskov"
    assert slugify("U.S. officials") == slugify("U. S. officials") == "us-officials"
    assert slugify("Zelénsky") == "zelensky"
    assert slugify("") == UNKNOWN_SPEAKER_ID


# --- one article ------------------------------------------------------------------


def test_peskov_mentions_resolve_to_one_speaker() -> None:
    mentions: list[tuple[str, str | None]] = [
        ("Mr Putin’s spokesman Dmitry Peskov", None),
        ("John Kirby", "White House national security spokesman"),
        ("Mr Peskov", None),
        ("Peskov", None),
        ("Dmitry Peskov", None),
        ("Putin's spokesman", None),
        ("Mr Kirby", None),
    ]
    speakers, ids = resolve_speakers(mentions, article("001"))
    assert ids == ["dmitry-peskov", "john-kirby", *["dmitry-peskov"] * 4, "john-kirby"]
    peskov = next(s for s in speakers if s.id == "dmitry-peskov")
    assert peskov.name == "Dmitry Peskov"
    assert peskov.role == "Mr Putin’s spokesman"
    assert {"Mr Peskov", "Peskov", "Putin's spokesman"} <= set(peskov.aliases)
    assert [s.id for s in speakers] == ["dmitry-peskov", "john-kirby"]  # order of first mention


def test_surname_before_full_name_gives_the_same_result() -> None:
    forward = ids_of([("Dmitry Peskov", None), ("Peskov", None)])
    backward = ids_of([("Peskov", None), ("Dmitry Peskov", None)])
    assert forward == ["dmitry-peskov"] * 2
    assert backward == ["dmitry-peskov"] * 2


def test_role_only_mention_resolves_through_the_article_text() -> None:
    # 003 says "Peskov, the Kremlin spokesman, said ..." and names "Dmitry Peskov".
    speakers, ids = resolve_speakers([("the Kremlin spokesman", None)], article("003"))
    assert ids == ["dmitry-peskov"]
    assert speakers[0].name == "Dmitry Peskov"
    assert speakers[0].role == "Kremlin spokesman"
    # 001: "Mr Putin’s spokesman Dmitry Peskov".
    assert ids_of([("Putin’s spokesman", None)], article("001")) == ["dmitry-peskov"]
    # 004: "Dimitri Peskov this morning – Putin’s flack"; the fullest spelling wins.
    speakers, ids = resolve_speakers([("Putin's flack", None)], article("004"))
    assert speakers[0].name == "Dmitri S. Peskov"


def test_role_only_mention_resolves_through_another_claims_role() -> None:
    ids = ids_of([("Kremlin spokesman", None), ("Dmitry Peskov", "Kremlin spokesman")])
    assert ids == ["dmitry-peskov", "dmitry-peskov"]


def test_role_tied_to_two_people_stays_unresolved() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke first. Later, Kremlin spokesman Ivan Petrov "
        "added a remark."
    )
    speakers, ids = resolve_speakers([("the Kremlin spokesman", None)], text)
    assert ids == ["kremlin-spokesman"]
    assert speakers[0].name == "Kremlin spokesman"


def test_surname_takes_the_full_name_from_the_text() -> None:
    speakers, ids = resolve_speakers([("Kirby", None), ("Zelensky", None)], article("003"))
    assert [s.name for s in speakers] == ["John Kirby", "Volodymyr Zelensky"]
    assert ids == ["john-kirby", "volodymyr-zelensky"]


def test_shared_surname_keeps_people_apart() -> None:
    ids = ids_of([("John Smith", None), ("Jane Smith", None), ("Smith", None)])
    assert len(set(ids)) == 3
    # ... also when the rival is only named in the text.
    text = "John Smith, a farmer, met Jane Smith, a judge."
    assert ids_of([("John Smith", None), ("Smith", None)], text) == ["john-smith", "smith"]


def test_spelling_variants_within_an_article_are_one_person() -> None:
    ids = ids_of([("Dmitri S. Peskov", None), ("Dimitri Peskov", None)], article("004"))
    assert ids == ["dmitri-s-peskov", "dmitri-s-peskov"]


def test_groups_and_bodies_never_use_the_surname_rule() -> None:
    ids = ids_of([("U.S. officials", None), ("Russian officials", None), ("U. S. officials", None)])
    assert ids == ["us-officials", "russian-officials", "us-officials"]
    assert ids_of([("The White House", None), ("White House", None)]) == ["white-house"] * 2


def test_empty_and_pronoun_mentions_share_the_unknown_speaker() -> None:
    speakers, ids = resolve_speakers([("he", None), ("", None), ("unknown", None)], "")
    assert ids == [UNKNOWN_SPEAKER_ID] * 3
    assert [s.id for s in speakers] == [UNKNOWN_SPEAKER_ID]


def test_every_mention_gets_an_id_of_a_returned_speaker() -> None:
    mentions: list[tuple[str, str | None]] = [
        ("Russia", None),
        ("Ukrainian officials", None),
        ("Anatoly Antonov", "the Russian ambassador to the United States"),
        ("the air force", None),
        ("Kremlin spokesman", None),
        ("Popko", None),
    ]
    speakers, ids = resolve_speakers(mentions, article("003"))
    assert len(ids) == len(mentions)
    assert set(ids) == {s.id for s in speakers}
    assert len({s.id for s in speakers}) == len(speakers)
    assert "serhiy-popko" in ids  # "Serhiy Popko, head of the city military administration"


# --- same_person ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Dmitry Peskov", "Dmitri S. Peskov", True),
        ("Dmitry Peskov", "Dimitri Peskov", True),
        ("John Kirby", "John F. Kirby", True),
        ("Mr. John Kirby", "John Kirby", True),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy", True),
        ("Antony Blinken", "Anthony Blinken", True),
        ("John Smith", "Jane Smith", False),
        ("Vladimir Putin", "Anna Putin", False),
        ("Daniel Craig", "Daniela Craig", False),
        ("Dmitry Peskov", "Dmitry Medvedev", False),
        ("Peskov", "Dmitry Peskov", False),  # a surname alone needs context
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same
    assert same_person(b, a) is same


# --- across articles --------------------------------------------------------------

CORPUS: dict[str, list[str]] = {
    "a": ["Dmitry Peskov", "John Kirby", "Russia", "U.S. officials"],
    "b": ["Dmitry Peskov", "John Kirby", "Vladimir Putin"],
    "c": ["Dmitri S. Peskov", "John F. Kirby", "US officials", "Peskov"],
    "d": ["Dimitri Peskov", "John Smith", "Jane Smith", "Smith", "Anna Putin", "Kirby"],
    "e": ["Mr Putin’s spokesman Dmitry Peskov", "Putin", "The White House"],
}


def registry_of(corpus: dict[str, list[str]], *, reverse: bool = False) -> SpeakerRegistry:
    registry = SpeakerRegistry()
    items = [(aid, n) for aid, names in corpus.items() for n in names]
    for aid, name in reversed(items) if reverse else items:
        registry.add(name, article_id=aid)
    return registry


def test_registry_merges_spelling_variants_across_articles() -> None:
    registry = registry_of(CORPUS)
    peskov = {
        registry.speaker_id(n)
        for n in ["Dmitry Peskov", "Dmitri S. Peskov", "Dimitri Peskov", "Peskov"]
    }
    assert peskov == {"dmitry-peskov"}
    assert registry.speaker_id("Mr Putin’s spokesman Dmitry Peskov") == "dmitry-peskov"
    assert {registry.speaker_id(n) for n in ["John Kirby", "John F. Kirby", "Kirby"]} == {
        "john-kirby"
    }
    assert registry.speaker_id("US officials") == registry.speaker_id("U.S. officials")
    assert registry.speaker("Dmitri S. Peskov").name == "Dmitry Peskov"  # most articles
    assert registry.articles("dmitry-peskov") == ["a", "b", "c", "d", "e"]


def test_registry_keeps_people_sharing_a_surname_apart() -> None:
    registry = registry_of(CORPUS)
    assert registry.speaker_id("John Smith") != registry.speaker_id("Jane Smith")
    assert registry.speaker_id("Smith") not in {
        registry.speaker_id("John Smith"),
        registry.speaker_id("Jane Smith"),
    }
    assert registry.speaker_id("Vladimir Putin") != registry.speaker_id("Anna Putin")
    # Two Putins in the corpus: "Putin" alone is not given to either.
    assert registry.speaker_id("Putin") == "putin"


def test_registry_does_not_depend_on_insertion_order() -> None:
    forward, backward = registry_of(CORPUS), registry_of(CORPUS, reverse=True)
    assert forward.speakers() == backward.speakers()


def test_registry_unknown_name_is_an_error() -> None:
    with pytest.raises(KeyError, match="Boris"):
        registry_of(CORPUS).speaker("Boris Johnson")


def test_registry_on_the_gold_speakers() -> None:
    gold_files = sorted((ROOT / "eval" / "gold").glob("*.json"))
    if not gold_files:
        pytest.skip("eval/gold is empty")
    registry = SpeakerRegistry()
    names: set[str] = set()
    for path in gold_files:
        gold = GoldArticle.model_validate_json(path.read_text(encoding="utf-8"))
        for claim in gold.claims:
            registry.add(claim.speaker, article_id=gold.article_id, role=claim.speaker_role)
            names.add(claim.speaker)
    peskovs = {registry.speaker_id(n) for n in names if "Peskov" in n}
    kirbys = {registry.speaker_id(n) for n in names if "Kirby" in n}
    assert len(peskovs) <= 1 and len(kirbys) <= 1
    assert peskovs != kirbys


def test_name_runs_give_spans_and_keep_body_names_whole_without_title_cuts() -> None:
    from claimx.speakers.mentions import name_runs, text_names

    text = "In Kyiv, Ukrainian President Volodymyr Zelensky met the White House envoy."
    runs = name_runs(text)
    assert all(text[span.start : span.end] == name for span, name in runs)
    assert [name for _, name in runs] == ["Kyiv", "Volodymyr Zelensky", "House"]
    whole = [name for _, name in name_runs(text, titles=False)]
    assert whole == ["Kyiv", "Ukrainian President Volodymyr Zelensky", "White House"]
    assert text_names(text) == ["Volodymyr Zelensky"]
