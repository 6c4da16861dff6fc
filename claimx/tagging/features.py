"""Token features: what the tagger knows of each token, as strings (``name=value``).

Every feature is binary, so a token's score for a label is the sum of the
weights of its features: the sum the integer decoder makes exactly
(:mod:`claimx.tagging.model`). Four families:

* **lexical and shape**: the word (lower case), its last three letters, its
  shape ("Xx", "x", "d", or the punctuation mark itself);
* **window**: the words and shapes of the neighbours (two each side), and
  the two word pairs around the token;
* **lexicon** (:mod:`claimx.tagging.lexicon`): whether the token, or a
  neighbour, is a cue form, by frequency class; how far the nearest frequent
  cue form outside a quotation
  lies to the left and to the right *in the same sentence*, and which form
  it is (a content span runs up to its cue, a source sits next to it; "said"
  and "thinks" take different contents), whether the sentence has one at all;
* **quotation state** (:mod:`claimx.tagging.quotes`): inside or outside a
  quotation, at its opening or closing mark, for the token and its
  neighbours; whether the sentence has a quotation mark;

plus where the token sits: first or last of its sentence, first of its
paragraph, in the headline (paragraph 0).

Changing a feature changes what the weights mean: retrain
(``python -m claimx.tagging.train``) and re-pin the tests' fixture.
"""

from __future__ import annotations

from claimx.tagging.lexicon import CueLexicon
from claimx.tagging.quotes import QuoteState, quote_states
from claimx.tagging.tokens import Paragraph

__all__ = ["FEATURE_VERSION", "PRONOUNS", "paragraph_features", "shape"]

FEATURE_VERSION = 3
"""Stored in the weights file; bump when a feature changes, so old weights are refused."""

PRONOUNS = frozenset(
    "i we you he she they it me us him her them who one this that these those".split()
)

_QUOTE_MARKS = frozenset('"“”«»„')
_STRONG = frozenset({"hi", "mid"})
_NEAR = 4  # tokens between a quotation and its cue: "“...,” the spokesman said"


def shape(word: str) -> str:
    """The word's shape: ``Xx`` (title), ``X`` (capitals), ``x``, ``d`` (digits), ``m`` (mixed),
    or a non-word character itself."""
    if not (word[0].isalnum() or word[0] == "_"):
        return word
    if word.isdigit():
        return "d"
    if word.islower():
        return "x"
    if word.isupper():
        return "X"
    if word[0].isupper() and word[1:].islower():
        return "Xx"
    return "m"


def _bucket(distance: int | None) -> str:
    """A distance in tokens, coarsely (the weights need few values, not every number)."""
    if distance is None:
        return "none"
    if distance <= 3:
        return str(distance)
    return "4-6" if distance <= 6 else "7-12" if distance <= 12 else "13+"


def _cue_classes(words: list[str], lexicon: CueLexicon) -> list[str | None]:
    """Each word's cue class, or None; a phrase ("according to") marks every word of it."""
    out: list[str | None] = [lexicon.forms.get(w) if " " not in w else None for w in words]
    for phrase, cls in lexicon.phrases.items():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase:
                out[i : i + n] = [cls] * n
    return out


def _quotation_cues(quotes: list[QuoteState], strong: list[bool]) -> list[str | None]:
    """For each token of a quotation: is a cue near it, just before it opens or after it closes.

    "“We won,” Ana said." and "Ana said: “We won.”" are the commonest
    attributions of all; the cue may sit in the next sentence by the splitter's
    count ("“We won.” Ana said."), so the window crosses sentence ends.
    """
    n = len(quotes)
    out: list[str | None] = [None] * n
    start: int | None = None
    for i, state in enumerate([*quotes, "close"]):
        if state == "open" and start is None:
            start = i
        elif state == "close" and start is not None:
            end = min(i, n - 1)
            before = any(strong[max(0, start - _NEAR) : start])
            after = any(strong[end + 1 : end + 1 + _NEAR])
            value = (
                "both" if before and after else "before" if before else "after" if after else "none"
            )
            out[start : end + 1] = [value] * (end + 1 - start)
            start = None
    return out


def paragraph_features(paragraph: Paragraph, lexicon: CueLexicon) -> list[list[str]]:
    """The features of each token of ``paragraph`` (module doc)."""
    tokens = paragraph.tokens
    n = len(tokens)
    words = [t.text.lower() for t in tokens]
    shapes = [shape(t.text) for t in tokens]
    cues = _cue_classes(words, lexicon)
    quotes = quote_states(words)
    sent = [t.sentence for t in tokens]
    # The anchors of the distance features: frequent cue forms outside quotations
    # (a rare form like "win", or any word inside a quotation, is seldom the cue).
    strong = [c in _STRONG and q == "out" for c, q in zip(cues, quotes, strict=True)]

    # Distances to the nearest cue form left and right within the sentence.
    left: list[int | None] = [None] * n
    right: list[int | None] = [None] * n
    left_word: list[str | None] = [None] * n
    right_word: list[str | None] = [None] * n
    last: int | None = None
    for i in range(n):
        if i and sent[i] != sent[i - 1]:
            last = None
        left[i] = i - last if last is not None else None
        left_word[i] = words[last] if last is not None else None
        if strong[i]:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        if i < n - 1 and sent[i] != sent[i + 1]:
            last = None
        right[i] = last - i if last is not None else None
        right_word[i] = words[last] if last is not None else None
        if strong[i]:
            last = i
    has_cue = {s for s, c in zip(sent, strong, strict=True) if c}
    quoted = _quotation_cues(quotes, strong)
    # Position in the sentence, from its start and from its end.
    from_start = [0] * n
    from_end = [0] * n
    for i in range(1, n):
        from_start[i] = from_start[i - 1] + 1 if sent[i] == sent[i - 1] else 0
    for i in range(n - 2, -1, -1):
        from_end[i] = from_end[i + 1] + 1 if sent[i] == sent[i + 1] else 0
    has_quote = {s for s, w in zip(sent, words, strict=True) if w in _QUOTE_MARKS}

    pad_w = ["<s2>", "<s1>", *words, "</s1>", "</s2>"]
    pad_sh = ["<s>", "<s>", *shapes, "</s>", "</s>"]
    pad_q = ["<s>", *quotes, "</s>"]
    pad_c = [None, *cues, None]
    headline = paragraph.index == 0
    out: list[list[str]] = []
    for i in range(n):
        w, j = words[i], i + 2
        feats = [
            "b",
            "w=" + w,
            "s3=" + w[-3:],
            "sh=" + shapes[i],
            "w-1=" + pad_w[j - 1],
            "w+1=" + pad_w[j + 1],
            "w-2=" + pad_w[j - 2],
            "w+2=" + pad_w[j + 2],
            "sh-1=" + pad_sh[j - 1],
            "sh+1=" + pad_sh[j + 1],
            "sh-1|sh|sh+1=" + pad_sh[j - 1] + "|" + shapes[i] + "|" + pad_sh[j + 1],
            "w-1|w=" + pad_w[j - 1] + "|" + w,
            "w|w+1=" + w + "|" + pad_w[j + 1],
            "q=" + quotes[i],
            "q-1=" + pad_q[i],
            "q+1=" + pad_q[i + 2],
            "cueL=" + _bucket(left[i]),
            "cueR=" + _bucket(right[i]),
            "q|cueL=" + quotes[i] + _bucket(left[i]),
            "q|cueR=" + quotes[i] + _bucket(right[i]),
            "pos=" + _bucket(from_start[i]),
            "toend=" + _bucket(from_end[i]),
        ]
        near = quoted[i]
        if near is not None:
            feats.append("qcue=" + near)
        if shapes[i] == "Xx" and "Xx" in (pad_sh[j - 1], pad_sh[j + 1]):
            feats.append("name")
        for name, value in (
            ("cue=", cues[i]),
            ("cue-1=", pad_c[i]),
            ("cue+1=", pad_c[i + 2]),
            ("cueLw=", left_word[i]),
            ("cueRw=", right_word[i]),
        ):
            if value is not None:
                feats.append(name + value)
        if w in PRONOUNS:
            feats.append("pro")
        if sent[i] not in has_cue:
            feats.append("nocueS")
        if sent[i] in has_quote:
            feats.append("quoteS")
        if i == 0 or sent[i - 1] != sent[i]:
            feats.append("sfirst")
        if i == n - 1 or sent[i + 1] != sent[i]:
            feats.append("slast")
        if i == 0:
            feats.append("pfirst")
        if headline:
            feats.append("head")
        out.append(feats)
    return out
