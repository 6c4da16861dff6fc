"""FNC-1 (headline-body stance, news, 2017) as targeted-stance gold.

A checkout of ``FakeNewsChallenge/fnc-1`` holds, among others, the two train
files this adapter reads, by name and nothing else:

* ``train_stances.csv``: ``Headline,Body ID,Stance``, one headline-body pair a
  row (49,972 rows);
* ``train_bodies.csv``: ``Body ID,articleBody``.

A headline is the claim and a body the article. The labels map onto claimx's
article-level stances (:data:`STANCE_MAP`): ``agree`` -> supports, ``disagree``
-> refutes, ``discuss`` (the body reports the claim without taking a side) ->
uncertain, ``unrelated`` -> unrelated. FNC-1 labels pairs, not sources, so the
records have ``sources=None``.

The competition's own held-out files are never read: they are kept for
independent scoring, and this module only ever opens the two train files.

**Two parts, by body.** Every pair goes to the part of its body
(:func:`part_of`): ``report`` when the first 32 bits of
``sha256("claimx-fnc1:<body id>")`` are 0 modulo 100 below
:data:`REPORT_PERCENT` (20), else ``tune``. A hash, not a shuffle, so the
split does not depend on row order, a seed or a library version, and a body
never lands on both sides (its text is what a tuned threshold or weight
could memorise). 20% because the rarest class is thin: ``disagree`` is 1.7%
of the pairs (840), and 20% of the bodies leaves the tune part about 660 of
them to fit weights on while the report part keeps about 180, enough to
draw a balanced sample of 100 from. The headlines are *not* split: FNC-1
pairs each headline with many bodies, so the report part's headlines also
occur in the tune part (with other bodies). Features that look at one
headline's words (not used here) would leak through that; the shipped
screen and classifier only see overlap and cue counts.

**The report sample** (:func:`report_sample`) is balanced: the same number of
pairs of each of the four classes (100 by default, 400 in all). The eval's
headline figure is macro-F1, the mean of the four per-class F1s, so each
class's F1 carries a quarter of it; in a proportional sample of 400,
``disagree`` would have about 7 pairs and its F1 (one quarter of the figure)
would move by 0.1 or more with a single pair. Balanced, each class's F1
rests on 100 pairs. The price: precision on a balanced sample is not
precision at FNC-1's class mix (rare classes look easier to be precise on),
so the benchmark also prints the figures on every pair of the report part
and the balanced confusion reweighted to the part's own class mix. Pairs are
drawn within each class by the rank of ``sha256("<seed>:<row>")`` (seeded,
and the same on any machine and any Python).

Duplicate rows (the same headline and body twice, 402 rows in the train
file, always with the same label) are dropped, the first row kept, so no
pair is counted twice.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from claimx.errors import DatasetError
from claimx.models import ARTICLE_STANCES, ArticleStance, TargetedRecord

__all__ = [
    "BODIES_FILE",
    "PARTS",
    "REPORT_PERCENT",
    "SAMPLE_PER_CLASS",
    "SAMPLE_SEED",
    "STANCES_FILE",
    "STANCE_MAP",
    "Fnc1",
    "composition",
    "Pair",
    "Part",
    "load",
    "part_of",
    "records",
    "report_sample",
]

STANCES_FILE = "train_stances.csv"
BODIES_FILE = "train_bodies.csv"
_STANCE_COLUMNS = ("Headline", "Body ID", "Stance")
_BODY_COLUMNS = ("Body ID", "articleBody")

STANCE_MAP: dict[str, ArticleStance] = {
    "agree": "supports",
    "disagree": "refutes",
    "discuss": "uncertain",
    "unrelated": "unrelated",
}

Part = Literal["tune", "report"]
PARTS: tuple[Part, ...] = ("tune", "report")
REPORT_PERCENT = 20
_SPLIT_SALT = "claimx-fnc1"
SAMPLE_PER_CLASS = 100
SAMPLE_SEED = 26


@dataclass(frozen=True)
class Pair:
    """One headline-body pair of the train file."""

    row: int  # 1-based data row of train_stances.csv (the header is row 0)
    headline: str
    body_id: int
    stance: ArticleStance

    @property
    def id(self) -> str:
        """The record id: stable, since it is the row of the train file."""
        return f"fnc1-{self.row}"

    @property
    def part(self) -> Part:
        """The part its body belongs to."""
        return part_of(self.body_id)


@dataclass(frozen=True)
class Fnc1:
    """The train pairs and bodies of one checkout."""

    pairs: list[Pair]
    bodies: dict[int, str]
    duplicates: int  # rows dropped because the same headline and body came earlier

    def part(self, part: Part) -> list[Pair]:
        """The pairs of one part, in file order."""
        return [p for p in self.pairs if p.part == part]


def part_of(body_id: int) -> Part:
    """The part of a body (module docstring: a hash of the body id, 20% report)."""
    digest = hashlib.sha256(f"{_SPLIT_SALT}:{body_id}".encode()).hexdigest()
    return "report" if int(digest[:8], 16) % 100 < REPORT_PERCENT else "tune"


def _file(root: Path, name: str) -> Path:
    if not root.exists():
        raise DatasetError(f"{root}: no such folder; give the path of your FNC-1 checkout")
    folder = root if root.is_dir() else root.parent
    path = folder / name
    if not path.is_file():
        raise DatasetError(
            f"{path}: not found; give the folder of an FNC-1 checkout"
            f" (FakeNewsChallenge/fnc-1), which has {STANCES_FILE} and {BODIES_FILE}"
        )
    return path


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Data rows with their 1-based number, after checking the header."""
    # FNC-1's longest body has 27,579 characters: under the csv module's default
    # field cap (131,072), so the cap is left alone.
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or tuple(h.strip() for h in header) != columns:
                raise DatasetError(
                    f"{path}: the columns are {','.join(header or []) or '(none)'!r},"
                    f" expected {','.join(columns)!r}; is this FNC-1's {path.name}?"
                )
            for number, row in enumerate(reader, start=1):
                if not row:
                    continue
                if len(row) != len(columns):
                    raise DatasetError(
                        f"{path}, data row {number}: {len(row)} fields, expected {len(columns)}"
                    )
                yield number, row
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 ({exc.reason}); is it FNC-1's file?") from None
    except csv.Error as exc:
        raise DatasetError(f"{path}: not readable as CSV ({exc})") from None


def _body_id(value: str, path: Path, number: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise DatasetError(
            f"{path}, data row {number}: Body ID {value!r} is not a whole number"
        ) from None


def load(root: Path) -> Fnc1:
    """Read the two train files of a checkout (the folder, or a file in it).

    Raises :class:`~claimx.errors.DatasetError`, naming the file and row, when a
    file is missing, has other columns, an unknown label, a body id that is not
    a number, or a pair whose body is not in the bodies file.
    """
    bodies_path = _file(root, BODIES_FILE)
    stances_path = _file(root, STANCES_FILE)
    bodies: dict[int, str] = {}
    for number, (body_id, body) in _rows(bodies_path, _BODY_COLUMNS):
        bodies[_body_id(body_id, bodies_path, number)] = body
    pairs: list[Pair] = []
    seen: set[tuple[str, int]] = set()
    duplicates = 0
    for number, (headline, body_id, label) in _rows(stances_path, _STANCE_COLUMNS):
        bid = _body_id(body_id, stances_path, number)
        if label not in STANCE_MAP:
            raise DatasetError(
                f"{stances_path}, data row {number}: stance {label!r} is not one of"
                f" {', '.join(STANCE_MAP)}"
            )
        if bid not in bodies:
            raise DatasetError(
                f"{stances_path}, data row {number}: Body ID {bid} is not in {BODIES_FILE}"
            )
        if (headline, bid) in seen:
            duplicates += 1
            continue
        seen.add((headline, bid))
        pairs.append(Pair(number, headline, bid, STANCE_MAP[label]))
    if not pairs:
        raise DatasetError(f"{stances_path}: no pairs")
    return Fnc1(pairs, bodies, duplicates)


def _rank(seed: int, pair: Pair) -> str:
    return hashlib.sha256(f"{seed}:{pair.row}".encode()).hexdigest()


def report_sample(
    pairs: Iterable[Pair], per_class: int = SAMPLE_PER_CLASS, seed: int = SAMPLE_SEED
) -> list[Pair]:
    """A balanced sample: ``per_class`` pairs of each class (module docstring), in row order.

    Every pair must come from the report part; a class with fewer pairs than
    asked is an error rather than a silently smaller class.
    """
    by_class: dict[ArticleStance, list[Pair]] = {s: [] for s in ARTICLE_STANCES}
    for pair in pairs:
        if pair.part != "report":
            raise DatasetError(
                f"pair {pair.id} belongs to the tune part: the report sample is drawn"
                " from the report part only"
            )
        by_class[pair.stance].append(pair)
    short = {s: len(ps) for s, ps in by_class.items() if len(ps) < per_class}
    if short:
        raise DatasetError(
            f"the report part has too few pairs for {per_class} per class: {short};"
            " ask for fewer per class"
        )
    chosen = [
        p for ps in by_class.values() for p in sorted(ps, key=lambda p: _rank(seed, p))[:per_class]
    ]
    return sorted(chosen, key=lambda p: p.row)


def composition(pairs: Sequence[Pair]) -> dict[ArticleStance, int]:
    """Pairs per class, in the order of :data:`~claimx.models.ARTICLE_STANCES`."""
    counts = Counter(p.stance for p in pairs)
    return {s: counts[s] for s in ARTICLE_STANCES}


def records(pairs: Iterable[Pair], bodies: dict[int, str]) -> Iterator[TargetedRecord]:
    """The pairs as targeted-stance gold records (article level only, body inline)."""
    for pair in pairs:
        yield TargetedRecord(
            id=pair.id,
            claim=pair.headline,
            article_id=f"fnc1-body-{pair.body_id}",
            text=bodies[pair.body_id],
            stance=pair.stance,
        )
