"""The stance cross-encoder and step 4's readers: inputs, shipped weights, API and CLI."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import claimx
from claimx.cli import app
from claimx.errors import ConfigError
from claimx.models import ARTICLE_STANCES, Article, TargetedAnswer, TargetedRecord
from claimx.tagging.onnx_tagger import TOKENIZER_FILE, load_tokenizer
from claimx.targeted.lexical import view
from claimx.targeted.passages import PassageParams, select_sentences, sentences_by_priority
from claimx.targeted.readers import reader
from claimx.targeted.shipped import shipped
from claimx.targeted.stance_encoder import (
    CLAIM_PIECES,
    MAX_PIECES,
    default_stance_encoder,
    pair_ids,
    passage_text,
    shipped_meta,
)
from tests.conftest import ARTICLES, ROOT

US = "The United States was behind the drone attack on the Kremlin."
GOLD = [
    TargetedRecord.model_validate_json(line)
    for line in (ROOT / "eval" / "targeted" / "gold.jsonl").read_text().splitlines()
]
TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))}
ARTICLE = (
    "Weather was mild in the capital on Tuesday.\n\n"
    "Markets opened higher.\n\n"
    "The ministry denied that the United States was behind the drone attack on the Kremlin."
)


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    with resources.as_file(
        resources.files("claimx.tagging").joinpath("data", TOKENIZER_FILE)
    ) as path:
        return load_tokenizer(path)


def test_a_pair_is_cls_claim_sep_passage_sep_with_token_types(tokenizer: Any) -> None:
    ids, types = pair_ids(tokenizer, "Peskov blamed Washington.", "The White House denied it.")
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    claim = tokenizer.encode("Peskov blamed Washington.", add_special_tokens=False).ids
    assert ids[0] == cls and ids[len(claim) + 1] == sep and ids[-1] == sep
    assert ids[1 : len(claim) + 1] == claim
    assert types == [0] * (len(claim) + 2) + [1] * (len(ids) - len(claim) - 2)


def test_a_long_claim_is_cut_and_the_passage_fills_the_rest(tokenizer: Any) -> None:
    ids, types = pair_ids(tokenizer, "drone " * 200, "attack " * 1000)
    assert len(ids) == MAX_PIECES == len(types)
    assert types.count(0) == CLAIM_PIECES + 2


def test_the_passage_puts_the_best_sentence_first_and_shows_what_a_request_shows() -> None:
    article = view(ARTICLE)
    idf = shipped().idf
    assert passage_text(US, article, idf).splitlines()[0].startswith("The ministry denied")
    order = sentences_by_priority(US, article, idf, PassageParams())
    assert sorted(order) == select_sentences(US, article, idf, PassageParams())


def test_an_unknown_reader_or_a_missing_extra_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigError, match="classifier, encoder"):
        reader("bert", shipped())
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name)
    )
    with pytest.raises(ConfigError, match=r"pip install 'claimx\[encoder\]'"):
        reader("encoder", shipped())


def test_the_shipped_weights_say_what_trained_them() -> None:
    meta = shipped_meta()
    assert meta["classes"] == list(ARTICLE_STANCES)
    assert "tune" in meta["part"] and sum(meta["pairs"].values()) > 5000


def test_positions_on_the_five_articles_survive_noise_far_above_float_rounding() -> None:
    """A replayed eval must give the same positions on any CPU: every pair of the
    targeted gold is decided by a margin far above float noise (relative noise of
    1e-4 on each logit's probability moves no decision)."""
    model = default_stance_encoder()
    idf = shipped().idf
    pairs = [(r.claim, passage_text(r.claim, view(TEXTS[r.article_id]), idf)) for r in GOLD]
    probabilities = model.probabilities(pairs)
    rng = np.random.default_rng(0)
    for _ in range(5):
        noisy = probabilities * (1 + 1e-4 * rng.standard_normal(probabilities.shape))
        assert (noisy.argmax(axis=1) == probabilities.argmax(axis=1)).all()
    top2 = np.sort(np.log(probabilities), axis=1)[:, -2:]
    assert (top2[:, 1] - top2[:, 0]).min() > 1e-3


def test_stance_toward_with_the_encoder_reads_what_no_claim_settles() -> None:
    articles = [Article(id=stem, text=text) for stem, text in TEXTS.items()]
    by_encoder = claimx.stance_toward(US, articles, use_model=False, reader="encoder")
    by_classifier = claimx.stance_toward(US, articles, use_model=False)
    assert [a.article_id for a in by_encoder] == list(TEXTS)
    for enc, lex in zip(by_encoder, by_classifier, strict=True):
        assert enc.decided_by == lex.decided_by  # the screen and the claims come first
        if enc.decided_by == "classifier":
            assert "the encoder's" in enc.warnings[0] and "the classifier's" in lex.warnings[0]
            assert enc.usage.calls == 0 and not enc.sources


def test_the_command_takes_the_reader(shipped_prompts: Path, tmp_path: Path) -> None:
    out = tmp_path / "answers.jsonl"
    args = ["stance", US, str(ARTICLES), "--no-model", "--reader", "encoder", "-o", str(out)]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    answers = [TargetedAnswer.model_validate_json(line) for line in out.read_text().splitlines()]
    assert len(answers) == len(TEXTS)
    read = [a for a in answers if a.decided_by == "classifier"]
    assert read and all("the encoder's" in a.warnings[0] for a in read)
    bad = CliRunner().invoke(app, ["stance", US, str(ARTICLES), "--no-model", "--reader", "x"])
    assert bad.exit_code == 2 and "x" in json.dumps(bad.output)
