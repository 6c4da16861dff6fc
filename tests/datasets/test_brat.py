from __future__ import annotations

from pathlib import Path

import pytest

from claimx.datasets.brat import parse_ann, read_document
from claimx.errors import DatasetError
from tests.datasets.sample import TEXT, ann


def test_discontinuous_spans_events_attributes_and_notes() -> None:
    doc = parse_ann(ann(), TEXT, doc_id="city")
    content = doc.textbounds["T3"]
    assert len(content.spans) == 2
    assert content.text == "The bridge will open in May"
    assert TEXT[content.start : content.end] == "The bridge, the mayor said, will open in May"
    assert [e.type for e in doc.events] == ["Attribution", "Attribution", "Attribution-no-source"]
    assert doc.events[0].role("Content") == ["T3"] and doc.events[2].role("Source") == []
    assert doc.attributes["T3"] == {"Confident": "true"}
    assert doc.notes["T3"] == ["hedged"]


def test_numbered_roles_count_as_the_role() -> None:
    extra = ann() + "E4\tAttribution:T4 Content:T3 Content2:T5 Cue:T2\n"
    doc = parse_ann(extra, TEXT, doc_id="city")
    assert doc.events[-1].role("Content") == ["T3", "T5"]


def test_text_field_cut_at_a_line_break_is_accepted() -> None:
    start = TEXT.index("Mayor")
    end = TEXT.index("The bridge,") + len("The bridge,")
    # BRAT writes the text field up to the line break; the rest spills onto the next line.
    line = f"T1\tContent {start} {end}\tMayor backs new bridge\n\nThe bridge,\n"
    doc = parse_ann(line, TEXT, doc_id="city")
    assert doc.textbounds["T1"].text == TEXT[start:end]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("T1\tSource 0 5\tWrong", "says 'Wrong'"),
        ("T1\tSource 0 9999\tx", "ends after the text"),
        ("T1\tSource zero 5\tx", "bad span"),
        ("E1\tAttribution:T9 Cue:T2", "refers to T9"),
    ],
)
def test_bad_lines_name_file_and_line(line: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message) as info:
        parse_ann(line + "\n", TEXT, doc_id="city", source="x.ann")
    assert "x.ann" in str(info.value)


def test_read_document_uses_the_text_stem(tmp_path: Path) -> None:
    txt, ann_file = tmp_path / "city.txt", tmp_path / "city.ann"
    txt.write_text(TEXT, encoding="utf-8")
    ann_file.write_text(ann(), encoding="utf-8")
    assert read_document(txt, ann_file).id == "city"
