"""The ONNX families' runtime (claimx.tagging.onnx_tagger): families 3 (encoder) and 4 (BiLSTM).

Windows, the BIO transitions and the token-to-wordpiece alignment are what
training and the runtime share: a mistake there would silently train on
one alignment and tag with another. The alignment tests build a tiny
BERT-style wordpiece tokenizer in memory (``tokenizers``, the ``[encoder]``
extra), so they run without the model files. Both families' shipped weights are
tested on one article of ``eval/articles`` when the extra is installed: real
behaviour (reporting verbs found, spans grouped) and the labels each model is
confident about (``encoder_pinned.json``, ``bilstm_pinned.json``; after retraining
on purpose, rewrite them with ``python -m tests.tagging.test_onnx_tagger``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import numpy as np
import pytest

from claimx.tagging import default_model, tag
from claimx.tagging.labels import LABELS
from claimx.tagging.onnx_tagger import (
    MAX_PIECES,
    OVERLAP,
    SCALE,
    OnnxFamily,
    bio_transitions,
    windows,
)
from claimx.tagging.tokens import tokenize
from claimx.tagging.viterbi import viterbi


def test_windows_cover_every_piece_and_overlap_by_the_set_amount() -> None:
    assert windows(0) == [(0, 0)]
    assert windows(MAX_PIECES) == [(0, MAX_PIECES)]
    got = windows(600)
    assert got[0] == (0, MAX_PIECES) and got[-1][1] == 600
    for (_, end), (start, _) in zip(got, got[1:], strict=False):
        assert end - start == OVERLAP
    assert all(0 < e - s <= MAX_PIECES for s, e in got)


def test_bio_transitions_forbid_an_inside_label_after_another_role() -> None:
    trans = bio_transitions()
    i_cue, b_cue, i_con = LABELS.index("I-CUE"), LABELS.index("B-CUE"), LABELS.index("I-CON")
    assert trans[b_cue, i_cue] == 0 and trans[i_cue, i_cue] == 0
    assert trans[LABELS.index("O"), i_cue] < -(10**8)
    assert trans[i_con, i_cue] < -(10**8)
    # Emissions prefer O, I-CUE: the constrained Viterbi must not output that pair.
    emissions = np.full((2, len(LABELS)), -5000, dtype=np.int64)
    emissions[0, LABELS.index("O")] = 0
    emissions[1, i_cue] = 0
    emissions[1, b_cue] = -100
    path = [LABELS[i] for i in viterbi(emissions, trans)]
    assert path == ["O", "B-CUE"]


def _tiny_tokenizer() -> object:
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import normalizers, pre_tokenizers
    from tokenizers.models import WordPiece

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "sen", "##ator", "said", ",", ".", "“"]
    vocab += ["may", "##or", "that"]
    tok = tokenizers.Tokenizer(WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def test_align_puts_each_token_on_its_first_wordpiece() -> None:
    from claimx.tagging.onnx_tagger import align

    tokenizer = _tiny_tokenizer()
    text = "The Senator said, “Zzz.”\n"
    (paragraph,) = tokenize(text)
    alignment = align(text, paragraph, tokenizer)
    words = [t.text for t in paragraph.tokens]
    assert words == ["The", "Senator", "said", ",", "“", "Zzz", ".", "”"]
    # "Senator" is two pieces (sen ##ator): its head is the first; "Zzz" and "”" are unknown.
    assert alignment.ids[:5] == [4, 5, 6, 7, 8]
    assert alignment.heads == [0, 1, 3, 4, 5, 6, 7, 8]
    assert alignment.windows == [(0, len(alignment.ids))]
    # The written shape of each piece, which the uncased ids lose: The Sen ##ator said , “ Zzz . ”
    assert alignment.shapes(text) == [2, 2, 1, 1, 5, 5, 2, 5, 5]


def test_shape_tells_capitals_digits_and_punctuation() -> None:
    from claimx.tagging.onnx_tagger import SHAPES, shape

    got = [shape(p) for p in ("said", "Kirby", "NATO", "A", "42", "“", "")]
    assert got == [1, 2, 3, 2, 4, 5, 5]
    assert max(got) < SHAPES


def test_training_windows_carry_the_crf_labels_on_head_pieces(tmp_path: Path) -> None:
    from claimx.tagging.corpus import read_split, role_spans
    from claimx.tagging.encoder_train import IGNORE, windows_of
    from claimx.tagging.labels import encode
    from claimx.tagging.onnx_tagger import align
    from tests.tagging.synthetic import write_corpus

    tokenizer = _tiny_tokenizer()
    (doc,) = read_split(write_corpus(tmp_path / "polnear", train=1, dev=1), "train")
    got = windows_of([doc], tokenizer)
    paragraphs = tokenize(doc.text)
    assert len(got) == len(paragraphs)  # short paragraphs: one window each
    gold = [role_spans(a) for a in doc.attributions]
    seen: set[str] = set()
    for window, paragraph in zip(got, paragraphs, strict=True):
        labels = encode(paragraph.tokens, [g for g in gold if g.extent.overlaps(paragraph.span)])
        alignment = align(doc.text, paragraph, tokenizer)
        heads = alignment.heads
        assert window.ids == alignment.ids and window.shapes == alignment.shapes(doc.text)
        first_token_of: dict[int, int] = {}
        for token, head in enumerate(heads):
            first_token_of.setdefault(head, token)
        # Each head piece carries its (first) token's gold label; no other piece is scored.
        for piece, label in enumerate(window.labels):
            if piece in first_token_of:
                assert LABELS[label] == labels[first_token_of[piece]]
            else:
                assert label == IGNORE
        seen.update(labels)
    assert {"B-SRC", "B-CUE", "B-CON", "I-CON"} <= seen
    assert any(IGNORE in w.labels for w in got)  # "mayor" is may ##or: ##or is not scored


# The shipped weights (claimx/tagging/data/): run when the [encoder] extra is installed.

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = sorted((ROOT / "eval" / "articles").glob("*.txt"))[1]
FAMILIES = get_args(OnnxFamily)
PIN_MARGIN = 2 * SCALE
"""Only tokens whose best label beats the second by 2 nats are pinned: float noise across
CPUs and onnxruntime builds moves a score by far less."""
_LETTER = dict(zip(LABELS, "OSsQqCc", strict=True))
REPORTING = {"said", "says", "saying", "told", "tells", "added", "denied", "denies", "accused"}


def pinned_path(family: OnnxFamily) -> Path:
    return Path(__file__).with_name(f"{family}_pinned.json")


def confident_labels(text: str, family: OnnxFamily) -> list[str]:
    """Each paragraph's best label per token as one letter, ``?`` where the margin is small."""
    from claimx.tagging.onnx_tagger import shipped_tagger

    encoder = shipped_tagger(family)
    out = []
    for paragraph in tokenize(text):
        scores = encoder.paragraph_scores(text, paragraph)
        top2 = np.sort(scores, axis=1)[:, -2:]
        best = scores.argmax(axis=1)
        out.append(
            "".join(
                _LETTER[LABELS[b]] if hi - lo >= PIN_MARGIN else "?"
                for b, (lo, hi) in zip(best, top2, strict=True)
            )
        )
    return out


def _needs_runtime() -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")


@pytest.mark.parametrize("family", FAMILIES)
def test_shipped_family_says_what_trained_it(family: OnnxFamily) -> None:
    from claimx.tagging.onnx_tagger import model_file, shipped_meta

    meta = shipped_meta(family)
    assert meta["family"] == family
    assert meta["corpus"] == "PolNeAR v1.0.0" and meta["split"] == "train"
    assert tuple(meta["labels"]) == LABELS
    weights = ROOT / "claimx" / "tagging" / "data" / model_file(family)
    assert weights.stat().st_size < 25_000_000


def test_the_bilstm_graph_reads_the_pieces_shapes() -> None:
    _needs_runtime()
    from claimx.tagging.bilstm_train import INPUTS
    from claimx.tagging.onnx_tagger import shipped_tagger

    bilstm, encoder = shipped_tagger("bilstm"), shipped_tagger("encoder")
    assert tuple(i.name for i in bilstm.session.get_inputs()) == INPUTS
    assert bilstm.reads_shapes and not encoder.reads_shapes
    # The shapes are read, not just accepted: the same pieces written otherwise score otherwise.
    ids = [bilstm.tokenizer.token_to_id(w) for w in ("trump", "said", "so")]
    assert not np.allclose(bilstm.logits(ids, [2, 1, 1]), bilstm.logits(ids, [1, 1, 1]))
    with pytest.raises(ValueError, match="shapes"):
        bilstm.logits(ids)


@pytest.mark.parametrize("family", FAMILIES)
def test_shipped_family_finds_reported_speech_in_an_article(family: OnnxFamily) -> None:
    _needs_runtime()
    text = ARTICLE.read_text(encoding="utf-8")
    found = tag(text, family=family)
    assert len(found) >= 10
    for att in found:
        for span in (att.cue, *att.content, *([att.source] if att.source else [])):
            assert 0 <= span.start < span.end <= len(text)
        assert att.cue.slice(text).strip()
    cues = [att.cue.slice(text).lower() for att in found]
    assert sum(any(w in REPORTING for w in cue.split()) for cue in cues) >= len(found) // 2
    # The White House's denial: source, cue and quoted content, grouped together.
    kirby = [a for a in found if a.source and "Kirby" in a.source.slice(text)]
    assert kirby and "nothing to do with this" in kirby[0].texts(text)[2]
    assert found == sorted(found, key=lambda a: (a.span.start, a.span.end, a.cue.start))


@pytest.mark.parametrize("family", FAMILIES)
def test_shipped_family_gives_the_pinned_confident_labels(family: OnnxFamily) -> None:
    _needs_runtime()
    text = ARTICLE.read_text(encoding="utf-8")
    pinned = json.loads(pinned_path(family).read_text(encoding="utf-8"))
    assert pinned["article"] == ARTICLE.name
    got = confident_labels(text, family)
    assert len(got) == len(pinned["paragraphs"])
    for mine, want in zip(got, pinned["paragraphs"], strict=True):
        # A token confident in both runs has the same label; float noise may only move a
        # token across the margin, never flip a confident label.
        assert len(mine) == len(want)
        assert all(a == b for a, b in zip(mine, want, strict=True) if "?" not in (a, b))
    share = sum(c != "?" for p in got for c in p) / sum(len(p) for p in got)
    assert share > 0.6  # most tokens are pinned


def test_encoder_spans_on_the_five_articles_survive_noise_far_above_float_rounding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """extract@v12's recorded requests hold the encoder's spans, so its replay needs the same
    spans on any CPU. Another CPU or onnxruntime build moves a logit by about 1e-6 of
    itself; a relative noise of 1e-4 on every logit must move no span, cue or source."""
    _needs_runtime()
    from claimx.tagging.onnx_tagger import shipped_tagger

    encoder = shipped_tagger()
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "eval" / "articles").glob("*.txt"))
    ]
    clean = [encoder.tag(t) for t in texts]
    logits = encoder.logits
    rng = np.random.default_rng(0)

    def noisy(ids: list[int], shapes: list[int] | None = None) -> np.ndarray:
        out = logits(ids, shapes)
        return (out * (1 + rng.uniform(-1e-4, 1e-4, size=out.shape))).astype(np.float32)

    monkeypatch.setattr(encoder, "logits", noisy)
    for _ in range(2):
        assert [encoder.tag(t) for t in texts] == clean


@pytest.mark.parametrize("family", FAMILIES)
def test_an_onnx_family_takes_no_linear_model(family: OnnxFamily) -> None:
    with pytest.raises(ValueError, match=family):
        tag("He said so.", default_model(), family=family)


if __name__ == "__main__":  # rewrite the pins after retraining on purpose
    _text = ARTICLE.read_text(encoding="utf-8")
    for _family in FAMILIES:
        pinned_path(_family).write_text(
            json.dumps(
                {"article": ARTICLE.name, "paragraphs": confident_labels(_text, _family)}, indent=1
            )
            + "\n",
            encoding="utf-8",
        )
