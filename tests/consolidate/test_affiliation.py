"""Whom a source speaks for, from its name, aliases and role."""

from __future__ import annotations

import pytest

from claimx.consolidate.affiliation import affiliation
from claimx.models import Speaker


@pytest.mark.parametrize(
    ("name", "role", "aliases", "organisation", "country"),
    [
        ("John Kirby", "spokesperson for the White House National Security Council", [],
         "White House", "United States"),
        ("John F. Kirby", "Coordinator for Strategic Communications at the National Security "
         "Council", [], "White House", "United States"),
        ("U.S. officials", None, [], None, "United States"),
        ("White House", None, [], "White House", "United States"),
        ("Dmitry Peskov", "Mr Putin’s spokesman", [], "Kremlin", "Russia"),
        ("Dmitry Peskov", "press secretary of the president of the Russian Federation", [],
         "Kremlin", "Russia"),
        ("Anatoly Antonov", "Russian ambassador to the United States", [],
         "Russian Foreign Ministry", "Russia"),
        ("Russian leaders", None, [], None, "Russia"),
        ("Volodymyr Zelensky", "Ukrainian President", [],
         "Office of the President of Ukraine", "Ukraine"),
        ("officials in Kyiv", None, [], None, "Ukraine"),
        # The registry may cut a body's name into name and role; its aliases keep the whole.
        ("Ministry", "British Defense", ["British Defense Ministry"],
         "British Defence Ministry", "United Kingdom"),
        ("United Nations", None, [], "United Nations", None),
        # A former official speaks for no one but herself.
        ("Rebekah Koffler", "former Defense Intelligence Agency official", [], None, None),
        ("security analysts", None, [], None, None),
    ],
)  # fmt: skip
def test_affiliation_from_name_aliases_and_role(
    name: str, role: str | None, aliases: list[str], organisation: str | None, country: str | None
) -> None:
    found = affiliation(Speaker(id="x", name=name, role=role, aliases=aliases))
    assert (found.organisation, found.country) == (organisation, country)
    assert found.speaker_id == "x"
