"""BRAT standoff annotations (``.ann`` beside ``.txt``), read into plain records.

The format (https://brat.nlplab.org/standoff.html), one annotation per line,
tab-separated:

* ``T3<TAB>Content 10 20;25 40<TAB>text``: a text-bound annotation of a type
  over one or more character spans (a discontinuous span lists its fragments
  separated by ``;``; its text field joins the fragments with a space);
* ``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``: an event, its type and
  trigger, then role:annotation arguments (a repeated role gets a number:
  ``Content2``);
* ``R1<TAB>Type Arg1:T1 Arg2:T2``: a relation; ``A1<TAB>Name T3 [value]``: an
  attribute; ``#1<TAB>AnnotatorNotes T3<TAB>note``: a note.

Equivalences (``*``) and normalisations (``N``) are skipped: no corpus claimx
reads uses them. Offsets are character offsets into the text read as UTF-8,
the same as a Python ``str`` index, and each fragment is checked against the
text: an annotation whose fragments do not give back its text is a
:class:`~claimx.errors.DatasetError` naming file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimx.errors import DatasetError

__all__ = ["BratDocument", "Event", "Relation", "TextBound", "parse_ann", "read_document"]


@dataclass(frozen=True)
class TextBound:
    """``T`` line: a typed annotation over one or more character spans."""

    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass(frozen=True)
class Event:
    """``E`` line: an event type, its trigger and its (role, annotation id) arguments."""

    id: str
    type: str
    trigger: str
    arguments: tuple[tuple[str, str], ...]

    def role(self, name: str) -> list[str]:
        """Ids of the arguments in role ``name`` or its numbered repeats (``Content2``)."""
        return [a for r, a in self.arguments if r.rstrip("0123456789") == name]


@dataclass(frozen=True)
class Relation:
    """``R`` line: a typed binary relation."""

    id: str
    type: str
    arguments: tuple[tuple[str, str], ...]


@dataclass
class BratDocument:
    """One annotated text: the text and every annotation of its ``.ann`` file."""

    id: str
    text: str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: annotation id -> attribute name -> value ("true" for a binary attribute)
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)


def _spans(field_text: str, where: str) -> tuple[tuple[int, int], ...]:
    out = []
    for fragment in field_text.split(";"):
        try:
            start, end = (int(x) for x in fragment.split())
        except ValueError:
            raise DatasetError(f"{where}: bad span {fragment!r} (want 'start end')") from None
        if not 0 <= start <= end:
            raise DatasetError(f"{where}: bad span {fragment!r}")
        out.append((start, end))
    return tuple(out)


def _arguments(items: list[str], where: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in items:
        role, sep, target = item.partition(":")
        if not sep or not target:
            raise DatasetError(f"{where}: bad argument {item!r} (want Role:Id)")
        out.append((role, target))
    return tuple(out)


def parse_ann(ann: str, text: str, *, doc_id: str, source: str = "") -> BratDocument:
    """The annotations of one ``.ann`` file's content over its text."""
    doc = BratDocument(id=doc_id, text=text)
    for lineno, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source or doc_id}:{lineno}"
        fields = line.split("\t")
        ann_id, body = fields[0], fields[1] if len(fields) > 1 else ""
        kind = ann_id[:1]
        if len(fields) < 2 or not ann_id[1:].isdigit():
            continue  # the spill-over of a text field that held a line break
        if kind == "T":
            type_, _, spans_text = body.partition(" ")
            spans = _spans(spans_text, where)
            if any(e > len(text) for _, e in spans):
                raise DatasetError(f"{where}: span {spans_text!r} ends after the text")
            got = " ".join(text[s:e] for s, e in spans)
            written = fields[2] if len(fields) > 2 else got
            # The text field stops at a line break inside the span (the rest of the
            # span's text spills onto the next line of the file): compare the prefix.
            if not " ".join(got.split()).startswith(" ".join(written.split())):
                raise DatasetError(
                    f"{where}: {ann_id} says {written[:60]!r} but the text has {got[:60]!r}"
                )
            doc.textbounds[ann_id] = TextBound(ann_id, type_, spans, got)
        elif kind == "E":
            head, *rest = body.split()
            type_, _, trigger = head.partition(":")
            doc.events.append(Event(ann_id, type_, trigger, _arguments(rest, where)))
        elif kind == "R":
            type_, *rest = body.split()
            doc.relations.append(Relation(ann_id, type_, _arguments(rest, where)))
        elif kind == "A" or kind == "M":
            name, target, *value = body.split()
            doc.attributes.setdefault(target, {})[name] = value[0] if value else "true"
        elif kind == "#":
            _, target = (body.split() + ["", ""])[:2]
            doc.notes.setdefault(target, []).append(fields[2] if len(fields) > 2 else "")
        # "*" (equivalence) and "N" (normalisation): not used by the corpora we read
    for event in doc.events:
        for _, target in ((event.type, event.trigger), *event.arguments):
            if target not in doc.textbounds:
                raise DatasetError(f"{source or doc_id}: event {event.id} refers to {target}")
    return doc


def read_document(txt: Path, ann: Path, *, doc_id: str | None = None) -> BratDocument:
    """A ``.txt`` file and its ``.ann`` file; the id defaults to the text file's stem."""
    try:
        text = txt.read_text(encoding="utf-8")
        annotations = ann.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {txt} / {ann}: {exc}") from None
    return parse_ann(annotations, text, doc_id=doc_id or txt.stem, source=str(ann))
