"""The stance matrix as data: propositions, the sources' cells, the quotes behind them.

These pydantic models are the JSON output of ``claimx consolidate --format
json`` and the input of both renderers (:mod:`~claimx.consolidate.markdown`,
:mod:`~claimx.consolidate.html`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from claimx.models import Speaker, Stance

__all__ = [
    "DEFAULT_MIN_ARTICLES",
    "DEFAULT_MIN_SOURCES",
    "Affiliation",
    "Cell",
    "Consolidation",
    "Evidence",
    "PropositionGroup",
]

DEFAULT_MIN_ARTICLES = 2
"""Shown by default: propositions reported in at least this many articles ..."""
DEFAULT_MIN_SOURCES = 1
"""... and (both must hold) stated by at least this many sources."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Out):
    """One claim behind a cell: where it was said and the verbatim quote."""

    article_id: str
    claim: str = Field(description="The claim as worded in its article.")
    speaker: str = Field(description="The speaker as named in its article.")
    stance: Stance
    quote: str
    start: int
    end: int
    direct: bool


class Cell(_Out):
    """One source's stance(s) on one proposition."""

    speaker_id: str
    speaker: str = Field(description="Canonical name of the source across the corpus.")
    stances: list[Stance] = Field(
        description="Distinct stances, in supports/refutes/uncertain order."
    )
    mixed: bool = Field(description="True when the source takes more than one stance.")
    articles: list[str]
    evidence: list[Evidence]


class PropositionGroup(_Out):
    """Claims of any articles that state one proposition, and who stands where."""

    id: str = Field(description="Stable id: a hash of the representative proposition.")
    proposition: str = Field(description="Representative wording: the most used one.")
    variants: list[str] = Field(description="Every distinct wording in the group, most used first.")
    articles: list[str]
    cells: list[Cell]


class Affiliation(_Out):
    """Whom a source speaks for: its organisation and country, when its name or role says."""

    speaker_id: str
    organisation: str | None = Field(description='e.g. "White House" for John Kirby.')
    country: str | None = Field(description='e.g. "United States" for the White House.')


class Consolidation(_Out):
    """The proposition × speaker stance matrix of a corpus."""

    method: str
    threshold: float
    articles: list[str]
    speakers: list[Speaker] = Field(description="The corpus-level sources that appear in a cell.")
    affiliations: list[Affiliation] = Field(description="One per source, in `speakers` order.")
    groups: list[PropositionGroup] = Field(
        description="Most widely reported first (articles, then sources, then claims)."
    )

    def shared(
        self,
        *,
        min_articles: int = DEFAULT_MIN_ARTICLES,
        min_speakers: int = DEFAULT_MIN_SOURCES,
    ) -> list[PropositionGroup]:
        """Groups reported in at least ``min_articles`` articles AND by ``min_speakers`` sources."""
        return [
            g
            for g in self.groups
            if len(g.articles) >= min_articles and len(g.cells) >= min_speakers
        ]
