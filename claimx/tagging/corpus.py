"""Training data: a corpus's attributions as labelled token sequences (training code only).

One sequence per paragraph (:mod:`claimx.tagging.tokens`), its gold labels
from :func:`claimx.tagging.labels.encode`. Paragraphs without any
attribution are kept: they teach the tagger where not to look.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimx.datasets.polnear import convert_split
from claimx.models import Attribution
from claimx.tagging.features import paragraph_features
from claimx.tagging.labels import RoleSpans, encode
from claimx.tagging.lexicon import CueLexicon
from claimx.tagging.tokens import tokenize
from claimx.text.spans import Span

__all__ = ["Document", "read_split", "role_spans", "sequences"]


@dataclass(frozen=True)
class Document:
    """One annotated article."""

    id: str
    text: str
    attributions: tuple[Attribution, ...]


def read_split(checkout: Path, split: str) -> list[Document]:
    """The articles of one PolNeAR split (``train`` or ``dev``), in file order."""
    records = convert_split(checkout, split).records
    return [
        Document(r.id, r.text, tuple(a for a in r.claims if isinstance(a, Attribution)))
        for r in records
    ]


def role_spans(attribution: Attribution) -> RoleSpans:
    """An attribution's spans as :func:`~claimx.tagging.labels.encode` reads them."""

    def span(start: int | None, end: int | None) -> Span | None:
        return Span(start, end) if start is not None and end is not None else None

    return RoleSpans(
        content=attribution.pieces,
        cue=span(attribution.cue_start, attribution.cue_end),
        source=span(attribution.source_start, attribution.source_end),
    )


def sequences(
    documents: Sequence[Document], lexicon: CueLexicon
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) of every paragraph of every document."""
    for doc in documents:
        gold = [role_spans(a) for a in doc.attributions]
        for paragraph in tokenize(doc.text):
            inside = [g for g in gold if g.extent.overlaps(paragraph.span)]
            yield paragraph_features(paragraph, lexicon), encode(paragraph.tokens, inside)
