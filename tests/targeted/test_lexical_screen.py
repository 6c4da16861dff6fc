"""Sentences, IDF weights and the unrelated screen."""

from __future__ import annotations

import math

import pytest

from claimx.targeted.lexical import Idf, claim_words, coverage, view
from claimx.targeted.screen import relatedness, screen, threshold_for_loss

ARTICLE = (
    "Mayor Ruiz opened the Quillport bridge on Monday.\n"
    "\n"
    "Critics said the bridge cost too much. The weather was mild.\n"
)


def test_view_cuts_sentences_within_paragraphs_with_words_and_cues() -> None:
    v = view(ARTICLE)
    assert [s.span.slice(ARTICLE) for s in v.sentences] == [
        "Mayor Ruiz opened the Quillport bridge on Monday.",
        "Critics said the bridge cost too much.",
        "The weather was mild.",
    ]
    assert {"quillport", "bridg", "ruiz"} <= v.sentences[0].words
    assert "said" not in v.words  # a reporting verb is no content word


def test_idf_weighs_rare_words_more_and_round_trips() -> None:
    docs = [view("The bridge opened."), view("The bridge closed."), view("A storm came.")]
    idf = Idf.build(docs, min_df=2)
    assert idf.df == {"bridg": 2} and idf.documents == 3
    # A word under min_df, or never seen, weighs as a word of one document.
    assert idf.weight("storm") == idf.weight("unseen") == math.log(4 / 2) + 1
    assert idf.weight("bridg") < idf.weight("storm")
    again = Idf.loads(idf.dumps("three test documents"))
    assert again == idf
    with pytest.raises(ValueError, match="not an IDF table"):
        Idf.loads("bridg\t2\n")


def test_coverage_is_the_weighted_share_of_claim_words() -> None:
    idf = Idf({"bridg": 10}, documents=10, min_df=1)
    claim = frozenset({"bridg", "quillport"})
    heavy, light = idf.weight("quillport"), idf.weight("bridg")
    assert coverage(claim, frozenset({"quillport"}), idf) == pytest.approx(heavy / (heavy + light))
    assert coverage(claim, frozenset(), idf) == 0.0
    assert coverage(frozenset(), frozenset({"x"}), idf) == 0.0


def test_the_screen_passes_the_article_about_the_claim_and_screens_the_other() -> None:
    idf = Idf({}, documents=100)
    v = view(ARTICLE)
    about = screen("Ruiz opened the Quillport bridge", v, idf, threshold=0.3)
    assert not about.unrelated and about.score == 1.0
    assert about.best is not None and about.best.slice(ARTICLE).startswith("Mayor Ruiz")
    other = screen("Volcano erupts near Reykjavik airport", v, idf, threshold=0.3)
    assert other.unrelated and other.score == 0.0
    # Nothing to compare: never screened.
    assert not screen("It is so.", v, idf, threshold=0.3).unrelated


def test_relatedness_takes_the_best_sentence_not_the_article() -> None:
    idf = Idf({}, documents=100)
    scattered = view("Ruiz spoke. The Quillport fair was held. A bridge was painted.")
    together = view("Nothing here. Ruiz opened the Quillport bridge.")
    words = claim_words("Ruiz opened the Quillport bridge")
    assert relatedness(words, scattered, idf)[0] == 0.25  # one word of four per sentence
    assert relatedness(words, together, idf) == (1.0, 1)


def test_threshold_for_loss_screens_at_most_the_allowed_share() -> None:
    scores = [i / 100 for i in range(100)]  # 0.00 .. 0.99
    threshold = threshold_for_loss(scores, loss=0.05)
    assert sum(s < threshold for s in scores) == 5
    assert threshold_for_loss([0.0] * 10 + [0.5] * 90, loss=0.05) == 0.0  # ties: screens none
    with pytest.raises(ValueError):
        threshold_for_loss([])
