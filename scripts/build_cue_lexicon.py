#!/usr/bin/env python3
"""Rebuild claimx/text/data/cues.tsv from PolNeAR's TRAIN annotations.

    pip install lemminflect==0.2.3          # only this script needs it
    python scripts/build_cue_lexicon.py ~/src/PolNeAR

Only ``data/train`` is read (``dev`` is for reporting, ``test`` is held out).
For every attribution cue it takes the head: the first word that is not an
auxiliary, modal, negation, adverb ("-ly", "long") or preposition ("has proposed" -> "proposed",
"said in a statement" -> "said"; "according to" stays a phrase; a cue of
punctuation only, ":" or a dash, is left to the quotation rules of the stage
one), lemmatises it (lemminflect, as a verb), and counts lemmas. Each row:
lemma, count in train, and every inflected form (verb and noun) of the lemma
with the forms seen in train, so matching at run time needs no lemmatiser.
The file is facts about the annotations (no corpus text).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.datasets.polnear import convert_split  # noqa: E402
from claimx.models import Attribution  # noqa: E402

OUT = ROOT / "claimx" / "text" / "data" / "cues.tsv"
PHRASES = ("according to",)
#: words that are never the head of a cue: auxiliaries, modals, negation, adverbs, prepositions
SKIP = frozenset(
    """a an the has have had having is are was were be been being am will would could should
    may might can must shall do does did done not n't never also still just only even again
    already recently repeatedly publicly privately later then often once both first further
    frequently reportedly allegedly apparently openly clearly quickly strongly widely
    to in on of for from at by with as about into over after before than that this it
    i you he she we they his her their its our my your who which what when where and or but
    so there here very more most much many up out long now ever since all last each""".split()
)
#: "-ly" words are adverbs ("flatly denied", "publicly said"), except these verbs
LY_VERBS = frozenset("reply imply apply rely supply rally tally bully".split())
_WORD = re.compile(r"[a-z][a-z’'-]*")


def head(cue: str) -> str | None:
    """The lemmatisable head of a cue as written, or None (punctuation, prepositions only)."""
    lowered = cue.casefold()
    for phrase in PHRASES:
        if lowered.startswith(phrase):
            return phrase
    for word in _WORD.findall(lowered):
        adverb = word.endswith("ly") and word not in LY_VERBS
        if word not in SKIP and len(word) > 1 and not adverb:
            return word
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    import lemminflect

    counts: Counter[str] = Counter()
    seen: defaultdict[str, set[str]] = defaultdict(set)
    for record in convert_split(args.checkout, "train").records:
        for a in record.claims:
            if not isinstance(a, Attribution) or not a.cue:
                continue
            word = head(a.cue)
            if word is None:
                continue
            if " " in word:
                lemma = word
            else:
                lemma = (lemminflect.getLemma(word, upos="VERB") or (word,))[0]
            counts[lemma] += 1
            seen[lemma].add(word)
    lines = ["# lemma\tcount_train\tforms  (scripts/build_cue_lexicon.py; PolNeAR train cues)"]
    for lemma, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        forms = set(seen[lemma]) | {lemma}
        if " " not in lemma:
            for upos in ("VERB", "NOUN"):
                for values in lemminflect.getAllInflections(lemma, upos=upos).values():
                    forms.update(values)
        lines.append(f"{lemma}\t{n}\t{','.join(sorted(forms))}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(counts)} cue lemmas from {sum(counts.values())} cues -> {args.output}")


if __name__ == "__main__":
    main()
