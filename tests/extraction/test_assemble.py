"""Assembly rules shared by every pipeline: here, claims copied from few-shot examples."""

from __future__ import annotations

from claimx.extraction.assemble import assemble, echoes_examples, example_vocabulary
from claimx.extraction.drafts import ClaimDraft
from claimx.extraction.extractor import Extractor
from claimx.extraction.records import Draft
from claimx.prompts import get_prompt

ARTICLE = (
    "Kremlin spokesman Dmitry Peskov said the United States was behind the attack. "
    "“Peskov is just lying,” John Kirby told reporters on Thursday, asked about the claim."
)
EXAMPLES = example_vocabulary(
    [
        "“We had nothing to do with this,” harbour master Lena Claes told VRT.",
        "The port of Ostend is lying about the dead fish.",
        "The port of Ostend caused the fish deaths.",
    ]
)


def draft(claim: str, quote: str, speaker: str = "John Kirby") -> Draft:
    return Draft(ClaimDraft(quote=quote, speaker=speaker, stance="refutes", claim=claim))


def test_a_claim_naming_an_example_place_the_article_lacks_is_a_copy() -> None:
    words = set(example_vocabulary([ARTICLE]))  # the article's words, same tokenizer
    assert echoes_examples("The port of Ostend is lying.", "Kirby", words, EXAMPLES)
    # Two lowercase example words the article never uses: a copy too.
    assert echoes_examples("The United States caused the fish deaths.", "Kirby", words, EXAMPLES)
    # Example words that the article also has are not evidence of copying.
    assert not echoes_examples("Dmitry Peskov is lying.", "John Kirby", words, EXAMPLES)
    # One foreign common word is a paraphrase, not a copy.
    assert not echoes_examples("Peskov is lying about the deaths.", "Kirby", words, EXAMPLES)


def test_assemble_drops_copied_claims_with_a_warning_and_keeps_the_rest() -> None:
    drafts = [
        draft("Dmitry Peskov is lying about US involvement.", "Peskov is just lying"),
        draft("The port of Ostend is lying about the dead fish.", "Peskov is just lying"),
    ]
    done = assemble(ARTICLE, drafts, threshold=90, examples=EXAMPLES)
    assert [c.claim for c in done.claims] == ["Dmitry Peskov is lying about US involvement."]
    assert any("copied from the prompt's examples" in w for w in done.warnings)
    # Without a vocabulary nothing is dropped.
    assert len(assemble(ARTICLE, drafts, threshold=90).claims) == 2


def test_extractor_builds_the_vocabulary_from_its_prompt_examples() -> None:
    assert {"harbour", "claes", "dredging", "lena"} <= Extractor("toy@v1", api_key="x").examples
    zero_shot = get_prompt("toy@v1").model_copy(update={"examples": []})
    assert Extractor(zero_shot, api_key="x").examples == frozenset()


STRIKE = "The president ordered the strike, Kirby said. The minister ordered the strike, he added."


def test_propositions_differing_in_a_title_word_are_both_kept() -> None:
    drafts = [
        draft("The president ordered the strike.", "The president ordered the strike"),
        draft("The minister ordered the strike.", "The minister ordered the strike"),
    ]
    done = assemble(STRIKE, drafts, threshold=90)
    assert [c.claim for c in done.claims] == [d.claim.claim for d in drafts]


def test_one_proposition_in_two_spellings_is_kept_once() -> None:
    drafts = [
        draft("The president ordered the strike.", "The president ordered the strike"),
        draft("the President  ordered the strike", "The president ordered the strike"),
    ]
    assert len(assemble(STRIKE, drafts, threshold=90).claims) == 1


def test_json_debris_closing_a_proposition_is_not_part_of_it() -> None:
    from claimx.extraction.drafts import SpokenClaim

    def claim(text: str) -> str:
        return SpokenClaim(speaker="John Kirby", stance="supports", claim=text).claim

    # a recorded v9 answer closed its JSON inside the string
    assert claim("Zelensky has what he needs.”}]}]}") == "Zelensky has what he needs.”"
    # brackets that open in the claim are words of it
    assert claim("The report [of May 3] was leaked]") == "The report [of May 3] was leaked]"
