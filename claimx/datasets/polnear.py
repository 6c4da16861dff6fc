"""PolNeAR (attribution in US political news, 2016) as claimx gold.

A checkout of ``networkdynamics/PolNeAR`` has ``data/<split>/text/<stem>.txt``
and ``data/<split>/attributions/<stem>_<annotator>.ann`` (BRAT standoff). Each
``Attribution`` event (``Attribution-no-source`` when no source is written)
has a Content span (often discontinuous, sometimes a second ``Content2``
span), a Cue and usually a Source. Each becomes one
:class:`~claimx.models.Attribution`: the evidence is the content, from its
first to its last character, with its fragments; the source and cue as
written. An event without content is skipped (and counted).

**Several annotators.** Some texts were annotated by several people (one
``.ann`` per annotator suffix). One annotator per text is used, never a
union: by default the *median* one, the annotator whose file has the median
number of attribution events (the lower median, ties to the first suffix in
sorted order), so the gold is neither the most nor the least generous
reading; ``annotator=`` picks a named one when that file exists.

**Splits.** Build and tune on ``train``, report on ``dev``. ``test`` is held
out for independent scoring: reading it takes ``allow_test=True``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimx.datasets.brat import BratDocument, Event, read_document
from claimx.errors import DatasetError
from claimx.models import Attribution, GoldRecord

__all__ = [
    "ATTRIBUTION_EVENTS",
    "Conversion",
    "Roles",
    "attributions",
    "choose_annotator",
    "convert_split",
    "split_files",
]

ATTRIBUTION_EVENTS = frozenset({"Attribution", "Attribution-no-source"})
_SUFFIX = re.compile(r"^(?P<stem>.+)_(?P<annotator>[0-9a-f]{4})$")
HELD_OUT = "test"


@dataclass(frozen=True)
class Conversion:
    """What a conversion produced, and what it left out and why."""

    records: list[GoldRecord]
    annotators: dict[str, str]  # text id -> annotator suffix used
    multi_annotated: int  # texts with more than one annotator's file
    skipped_events: int  # attribution events without a content span
    texts_without_annotation: list[str]


def _outer(doc: BratDocument, ids: list[str]) -> tuple[str, int, int] | None:
    """Text and outer span of the first annotation among ``ids``, or None."""
    if not ids:
        return None
    tb = doc.textbounds[ids[0]]
    return doc.text[tb.start : tb.end], tb.start, tb.end


def _attribution(doc: BratDocument, event: Event, roles: Roles) -> Attribution | None:
    pieces = sorted(s for cid in event.role(roles.content) for s in doc.textbounds[cid].spans)
    pieces = [(s, e) for s, e in pieces if e > s]
    if not pieces:
        return None
    start, end = pieces[0][0], max(e for _, e in pieces)
    source = _outer(doc, event.role(roles.source))
    cue = _outer(doc, event.role(roles.cue))
    return Attribution(
        quote=doc.text[start:end],
        start=start,
        end=end,
        fragments=pieces if len(pieces) > 1 else [],
        source=source[0] if source else None,
        source_start=source[1] if source else None,
        source_end=source[2] if source else None,
        cue=cue[0] if cue else None,
        cue_start=cue[1] if cue else None,
        cue_end=cue[2] if cue else None,
    )


@dataclass(frozen=True)
class Roles:
    """Which BRAT events are attributions and which of their roles is what.

    PolNeAR's names are the default; another BRAT corpus may name them otherwise.
    """

    events: frozenset[str] = ATTRIBUTION_EVENTS
    content: str = "Content"
    source: str = "Source"
    cue: str = "Cue"


def attributions(doc: BratDocument, roles: Roles = Roles()) -> tuple[list[Attribution], int]:
    """The document's attribution events as records (in text order), and how many had no content."""
    out, skipped = [], 0
    for event in doc.events:
        if event.type not in roles.events:
            continue
        record = _attribution(doc, event, roles)
        if record is None:
            skipped += 1
        else:
            out.append(record)
    out.sort(key=lambda a: (a.start, a.end))
    return out, skipped


def split_files(root: Path, split: str, *, allow_test: bool = False) -> dict[str, list[Path]]:
    """Text stem -> its ``.ann`` files (every annotator), for one split of a checkout.

    ``root`` is the checkout (or its ``data`` folder).
    """
    if split == HELD_OUT and not allow_test:
        raise DatasetError(
            "PolNeAR's test split is held out for independent scoring: tune on train, report"
            " on dev (pass allow_test only for that final, independent scoring)"
        )
    data = root / "data" if (root / "data").is_dir() else root
    folder = data / split / "attributions"
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder; is {root} a PolNeAR checkout?")
    by_stem: dict[str, list[Path]] = {}
    for ann in sorted(folder.glob("*.ann")):
        match = _SUFFIX.match(ann.stem)
        stem = match["stem"] if match else ann.stem
        by_stem.setdefault(stem, []).append(ann)
    return by_stem


def _annotator(ann: Path) -> str:
    match = _SUFFIX.match(ann.stem)
    return match["annotator"] if match else ""


def choose_annotator(
    docs: list[tuple[Path, BratDocument]], annotator: str | None = None
) -> tuple[Path, BratDocument]:
    """The one annotation of a text to use (module doc: the median annotator by default)."""
    if annotator is not None:
        for ann, doc in docs:
            if _annotator(ann) == annotator:
                return ann, doc
    ranked = sorted(
        docs,
        key=lambda d: (
            sum(e.type in ATTRIBUTION_EVENTS for e in d[1].events),
            _annotator(d[0]),
        ),
    )
    return ranked[(len(ranked) - 1) // 2]


def _documents(
    root: Path, split: str, *, allow_test: bool, annotator: str | None
) -> Iterator[tuple[str, str, int, BratDocument | None]]:
    data = root / "data" if (root / "data").is_dir() else root
    texts = data / split / "text"
    files = split_files(root, split, allow_test=allow_test)
    for txt in sorted(texts.glob("*.txt")):
        anns = files.get(txt.stem, [])
        if not anns:
            yield txt.stem, "", 0, None
            continue
        docs = [(ann, read_document(txt, ann, doc_id=txt.stem)) for ann in anns]
        ann, doc = choose_annotator(docs, annotator)
        yield txt.stem, _annotator(ann), len(anns), doc


def convert_split(
    root: Path,
    split: str,
    *,
    allow_test: bool = False,
    annotator: str | None = None,
    limit: int | None = None,
) -> Conversion:
    """Every text of one split as a gold record, in file order (the first ``limit`` only)."""
    records: list[GoldRecord] = []
    used: dict[str, str] = {}
    bare: list[str] = []
    multi = skipped = 0
    for stem, who, n_files, doc in _documents(
        root, split, allow_test=allow_test, annotator=annotator
    ):
        if limit is not None and len(records) >= limit:
            break
        if doc is None:
            bare.append(stem)
            continue
        found, lost = attributions(doc)
        skipped += lost
        multi += n_files > 1
        used[stem] = who
        records.append(GoldRecord(id=stem, text=doc.text, claims=list(found)))
    return Conversion(records, used, multi, skipped, bare)
