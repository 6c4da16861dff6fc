"""The shipped weights: they load, tag deterministically, and give the pinned spans.

``pinned_spans.json`` holds the tagger's spans on the five articles of
``eval/articles``, written once from the shipped weights. Every decision is
integer arithmetic, so the same spans come out on any CPU: this test is what
makes a recorded eval that uses the tagger replay anywhere. After retraining
the weights on purpose, rewrite it with ``python -m tests.tagging.test_tagger``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claimx.eval.detection import score_detection_article
from claimx.models import ExtractionResult
from claimx.tagging import (
    TaggedAttribution,
    as_result,
    candidates,
    default_model,
    stage_one,
    tag,
)
from claimx.tagging.tagger import WEIGHTS
from claimx.text.spans import Span

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT / "eval" / "articles").glob("*.txt"))
PINNED = Path(__file__).with_name("pinned_spans.json")


def stage_one_of(text: str) -> list[list[int]]:
    """The stage one's candidates of ``text`` as plain JSON."""
    return [[c.start, c.end] for c in stage_one(text)]


def _pair(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def spans_of(text: str) -> list[dict[str, Any]]:
    """The tagger's attributions of ``text`` as plain JSON, their texts beside (for review)."""
    out = []
    for att in tag(text):
        source, cue, content = att.texts(text)
        out.append(
            {
                "source": _pair(att.source),
                "cue": _pair(att.cue),
                "content": [_pair(s) for s in att.content],
                "text": [source, cue, content],
            }
        )
    return out


def test_shipped_weights_load_once_and_say_what_they_are() -> None:
    model = default_model()
    assert default_model() is model  # cached
    assert model.meta["corpus"] == "PolNeAR v1.0.0" and model.meta["split"] == "train"
    assert model.family in ("crf", "perceptron")
    assert len(model.features) > 1000
    assert (ROOT / "claimx" / "tagging" / "data" / WEIGHTS).stat().st_size < 20_000_000


def test_pinned_spans_on_the_five_articles() -> None:
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert pinned["weights"] == WEIGHTS
    got = {path.name: spans_of(path.read_text(encoding="utf-8")) for path in ARTICLES}
    assert got == pinned["articles"]
    stage = {path.name: stage_one_of(path.read_text(encoding="utf-8")) for path in ARTICLES}
    assert stage == pinned["stage_one"]


def test_stage_one_holds_every_tagged_attribution_and_more_with_more_slack() -> None:
    text = ARTICLES[1].read_text(encoding="utf-8")
    tight = stage_one(text, slack=0, context=0)
    # slack 0 adds the labelled tokens the decoder left out (a cue with no content)
    assert all(any(t.contains(c) for t in tight) for c in candidates(text, tag(text)))
    loose = stage_one(text, slack=1000, context=0)  # every sentence is near
    assert sum(c.length for c in loose) > sum(c.length for c in tight)
    for att in tag(text):
        assert any(c.contains(att.cue) for c in stage_one(text))


def test_tagging_is_deterministic_and_offsets_are_the_text() -> None:
    text = ARTICLES[0].read_text(encoding="utf-8")
    first, second = tag(text), tag(text)
    assert first == second and first
    for att in first:
        assert isinstance(att, TaggedAttribution)
        assert att.span.start == att.content[0].start and att.span.end == att.content[-1].end
        assert att.extent.contains(att.cue) and att.extent.contains(att.span)
        assert att.cue.slice(text).strip()


def test_a_plain_quotation_is_found() -> None:
    text = "Storm hits coast\n\n“We are ready for the storm,” Mayor Ana Ruiz said on Monday.\n"
    found = [a.texts(text) for a in tag(text)]
    assert found == [("Mayor Ana Ruiz", "said", "“We are ready for the storm,”")]


def test_no_attribution_in_text_without_any() -> None:
    assert tag("") == []
    assert tag("The weather was mild and the river was calm.\n") == []


def test_as_result_is_a_system_the_detection_scorer_reads() -> None:
    text = ARTICLES[0].read_text(encoding="utf-8")
    found = tag(text)
    result = as_result(text, found, article_id="a", model="tagger-crf@abc123")
    ExtractionResult.model_validate(result.model_dump())
    assert len(result.claims) == len(found) and result.strategy == "tagger"
    for claim, att in zip(result.claims, found, strict=True):
        assert claim.quote == text[claim.start : claim.end] == att.span.slice(text)
        assert claim.grounding.method == "exact" and claim.stance == "supports"
        source = att.texts(text)[0]
        assert claim.speaker == (" ".join(source.split()) if source else "unknown")
        assert claim.pieces == (att.content if len(att.content) > 1 else (att.span,))
    scored = score_detection_article("a", text, [], result, [(0, len(text))])
    assert scored.counts.n_pred == len({c.pieces for c in result.claims})


def test_as_result_keeps_a_wrapped_contents_pieces() -> None:
    text = "Her failings, it said, are many."

    def at(words: str) -> Span:
        return Span(text.index(words), text.index(words) + len(words))

    att = TaggedAttribution(at("it said"), at("said"), (at("Her failings,"), at("are many.")))
    (claim,) = as_result(text, [att], article_id="a", model="m@x").claims
    assert claim.quote == text and claim.claim == "Her failings, are many."
    assert [text[s:e] for s, e in claim.fragments] == ["Her failings,", "are many."]


def test_sentence_helper_gives_the_sentences_holding_an_attribution() -> None:
    text = "Storm hits coast\n\nIt rained. “We are ready,” she said. Then it stopped.\n"
    start = text.index("“")
    att = TaggedAttribution(
        Span(text.index("she"), text.index("she") + 3),
        Span(text.index("said"), text.index("said") + 4),
        (Span(start, text.index("she") - 1),),
    )
    assert att.sentence(text).slice(text) == "“We are ready,” she said."


def test_candidates_are_runs_of_sentences_holding_attributions() -> None:
    text = "Ann said taxes rise. The sky is blue.\nBo said jobs go. Cy added that rents fall.\n"
    cue = Span(4, 8)
    first = TaggedAttribution(None, cue, (Span(9, 19),))
    second = TaggedAttribution(Span(38, 40), Span(41, 45), (Span(46, 53),))
    third = TaggedAttribution(None, Span(58, 63), (Span(64, 79),))
    assert candidates(text, [first, second, third]) == [Span(0, 20), Span(38, 80)]
    assert candidates(text, []) == []


if __name__ == "__main__":
    pinned = {
        "weights": WEIGHTS,
        "articles": {p.name: spans_of(p.read_text(encoding="utf-8")) for p in ARTICLES},
    }
    lines = ["{", f' "weights": {json.dumps(WEIGHTS)},', ' "articles": {']
    for k, (name, atts) in enumerate(pinned["articles"].items()):
        lines.append(f"  {json.dumps(name)}: [")
        rows = [f"   {json.dumps(a, ensure_ascii=False)}" for a in atts]
        lines.append(",\n".join(rows))
        lines.append("  ]" + ("," if k < len(ARTICLES) - 1 else ""))
    lines += [" },", ' "stage_one": {']
    for k, path in enumerate(ARTICLES):
        comma = "," if k < len(ARTICLES) - 1 else ""
        found = stage_one_of(path.read_text(encoding="utf-8"))
        lines.append(f"  {json.dumps(path.name)}: {json.dumps(found)}{comma}")
    lines += [" }", "}"]
    PINNED.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {PINNED}")
