"""Family 3's runtime pieces (claimx.tagging.encoder) that need no trained weights.

Windows, the BIO transitions and the token-to-wordpiece alignment are what
training and the runtime share: a mistake there would silently train on
one alignment and tag with another. The alignment tests build a tiny
BERT-style wordpiece tokenizer in memory (``tokenizers``, the ``[encoder]``
extra), so they run without the model files.
"""

from __future__ import annotations

import numpy as np
import pytest

from claimx.tagging.encoder import MAX_PIECES, OVERLAP, bio_transitions, windows
from claimx.tagging.labels import LABELS
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
    tok = tokenizers.Tokenizer(WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return tok


def test_align_puts_each_token_on_its_first_wordpiece() -> None:
    from claimx.tagging.encoder import align

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
