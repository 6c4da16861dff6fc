"""Labels to attributions: hand-written label sequences, the triples they must give."""

from __future__ import annotations

from claimx.tagging.decode import decode
from claimx.tagging.labels import RoleSpans, Segment, encode, segments
from claimx.tagging.tokens import tokenize
from claimx.text.spans import Span


def _decode(
    text: str, labels: str, margins: list[int] | None = None
) -> list[tuple[str | None, str, tuple[str, ...]]]:
    (paragraph,) = tokenize(text)
    tags = labels.split()
    assert len(tags) == len(paragraph.tokens), [t.text for t in paragraph.tokens]
    out = []
    for att in decode(paragraph, tags, margins):
        source = att.source.slice(text) if att.source else None
        out.append((source, att.cue.slice(text), tuple(s.slice(text) for s in att.content)))
    return out


def test_content_wrapped_around_source_and_cue_is_one_attribution_in_two_pieces() -> None:
    text = "Her failings, it said, are many."
    #        Her   failings ,  it    said  ,  are   many  .
    labels = "B-CON I-CON O B-SRC B-CUE O B-CON I-CON O"
    assert _decode(text, labels) == [("it", "said", ("Her failings", "are many"))]


def test_two_attributions_in_one_sentence_each_get_their_own_source_and_content() -> None:
    text = "Taxes will rise, Smith said, and jobs will go, Jones added."
    labels = (
        "B-CON I-CON I-CON O B-SRC B-CUE O O "  # Taxes will rise , Smith said , and
        "B-CON I-CON I-CON O B-SRC B-CUE O"  # jobs will go , Jones added .
    )
    assert _decode(text, labels) == [
        ("Smith", "said", ("Taxes will rise",)),
        ("Jones", "added", ("jobs will go",)),
    ]


def test_attribution_without_source() -> None:
    text = "A new poll found that voters are tired."
    labels = "O O O B-CUE B-CON I-CON I-CON I-CON O"
    assert _decode(text, labels) == [(None, "found", ("that voters are tired",))]


def test_sentence_end_keeps_a_quotation_with_its_own_cue() -> None:
    text = "“We won,” Ana said. “They lost,” Bo said."
    labels = (
        "B-CON I-CON I-CON I-CON I-CON B-SRC B-CUE O "  # “ We won , ” Ana said .
        "B-CON I-CON I-CON I-CON I-CON B-SRC B-CUE O"
    )
    assert _decode(text, labels) == [
        ("Ana", "said", ("“We won,”",)),
        ("Bo", "said", ("“They lost,”",)),
    ]


def test_a_quotation_of_several_sentences_then_its_cue() -> None:
    text = "“We won. We will win again,” Ana said."
    labels = "B-CON I-CON I-CON I-CON I-CON I-CON I-CON I-CON I-CON I-CON B-SRC B-CUE O"
    assert _decode(text, labels) == [("Ana", "said", ("“We won. We will win again,”",))]


def test_a_cue_without_content_is_dropped_and_a_source_is_shared() -> None:
    text = "He said taxes will rise and added nothing."
    labels = "B-SRC B-CUE B-CON I-CON I-CON O B-CUE O O"
    assert _decode(text, labels) == [("He", "said", ("taxes will rise",))]
    text = "He said taxes rise and added that jobs go."
    labels = "B-SRC B-CUE B-CON I-CON O B-CUE B-CON I-CON I-CON O"
    assert _decode(text, labels) == [
        ("He", "said", ("taxes rise",)),
        ("He", "added", ("that jobs go",)),
    ]


def test_no_cue_no_attribution() -> None:
    assert _decode("Taxes will rise.", "B-CON I-CON I-CON O") == []


def test_an_orphan_content_takes_the_token_nearest_to_a_cue() -> None:
    text = "Voters, the poll suggests strongly, want change."
    #        Voters , the  poll  suggests strongly , want  change .
    labels = "B-CON O B-SRC I-SRC O O O B-CON I-CON O"
    margins = [0, -9, -8, -7, -2, -5, -9, 0, 0, -9]
    assert _decode(text, labels) == []  # no cue: nothing without the margins
    assert _decode(text, labels, margins) == [("the poll", "suggests", ("Voters", "want change"))]


def test_segments_read_ill_formed_labels_leniently() -> None:
    assert segments(["I-CON", "I-CON", "B-CON", "I-SRC", "O", "I-CUE"]) == [
        Segment("CON", 0, 1),
        Segment("CON", 2, 2),
        Segment("SRC", 3, 3),
        Segment("CUE", 5, 5),
    ]


def test_encode_marks_touching_spans_apart_and_keeps_the_outer_of_nested_attributions() -> None:
    text = "Ann said that Bob thinks taxes rise."
    (paragraph,) = tokenize(text)

    def at(word: str) -> Span:
        start = text.index(word)
        return Span(start, start + len(word))

    outer = RoleSpans((at("that Bob thinks taxes rise"),), at("said"), at("Ann"))
    inner = RoleSpans((at("taxes rise"),), at("thinks"), at("Bob"))
    assert encode(paragraph.tokens, [inner, outer]) == (
        "B-SRC B-CUE B-CON I-CON I-CON I-CON I-CON O".split()
    )
    touching = [
        RoleSpans((at("Ann"),), at("said"), None),
        RoleSpans((at("that"),), at("Bob"), None),
    ]
    assert encode(paragraph.tokens, touching)[:4] == ["B-CON", "B-CUE", "B-CON", "B-CUE"]
