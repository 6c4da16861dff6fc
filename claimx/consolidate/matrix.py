"""Across articles: which claims state the same proposition, and where each source stands.

:func:`consolidate` takes the claims of many articles (gold files or
extraction results), groups the claims that state the same proposition, maps
every speaker to one corpus-level source (:class:`~claimx.speakers.resolve.SpeakerRegistry`)
and returns a proposition × speaker stance matrix (:class:`Consolidation`) with
the articles and verbatim quotes behind every cell, renderable as JSON,
markdown or an HTML fragment.

Grouping is lexical and offline (no model, no download):

1. **Content words** (:func:`content_words`): the claim is case- and
   accent-folded, "U.S."/"United States" and a few other multi-word names are
   joined, "n't"/"no"/"never"/"nothing" become one ``not`` token (kept: it
   distinguishes propositions), stop words are dropped, words are crudely
   stemmed, and a small lexicon (:data:`SYNONYMS`) maps metonyms and near
   synonyms of political news to one token: Washington/America/US → ``usa``,
   Kyiv/Ukrainian → ``ukraine``, Moscow/Russian → ``russia``, strike/assault →
   ``attack``, behind/role/involvement → ``involv``, false flag/faked → ``stage``…
2. **Similarity** (:func:`similarity`): IDF-weighted Jaccard of two claims'
   content-word sets, IDF taken over the claims being grouped. Words every
   claim of a single-event corpus shares ("drone", "Kremlin", "attack") weigh
   little, so "The United States *encourages* Ukraine to strike outside
   Ukraine" and "... *enables* ..." (two propositions by rule 4 of the
   annotation standard) stay apart while paraphrases come together.
3. **Clusters**: average-linkage agglomerative clustering (scipy), cut at
   :data:`GROUP_THRESHOLD`. On the development set single, average and
   complete linkage tie; average is the middle way between single linkage,
   which lets one compound claim ("Washington selects the targets and the
   means ...") chain two propositions together, and complete linkage, which
   splits paraphrases more often. (Average linkage still merges that compound
   case; only complete linkage keeps it apart.)

The lexicon and the threshold were chosen on a development set of
hand-written paraphrases (``tests/test_consolidate.py``, which also holds the
other checks and their figures); :func:`grouping_quality` measures the
grouping on gold data. Negated wordings ("The US was not involved ...") are
not turned into their affirmative proposition: they form groups of their own.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.cluster.hierarchy import fcluster, linkage

from claimx.models import STANCES, ExtractionResult, GoldArticle, Speaker, Stance
from claimx.speakers.resolve import SpeakerRegistry, resolve_speakers

__all__ = [
    "GROUP_THRESHOLD",
    "SYNONYMS",
    "Cell",
    "Consolidation",
    "Evidence",
    "PropositionGroup",
    "consolidate",
    "content_words",
    "group_propositions",
    "grouping_quality",
    "pairwise_quality",
    "similarity",
]

GROUP_THRESHOLD = 0.55
"""Least average IDF-weighted Jaccard similarity between two groups for them to
merge. Chosen on the development paraphrases (pairwise F1 0.92 there, as at
0.50; 0.45 and 0.60 give 0.80 and 0.78)."""

METHOD = "content words + IDF-weighted Jaccard, average linkage"

_STOP = frozenset(
    """a an the and or but if then than that this these those it its is are was were be been
    being am do does did doing have has had having of in on at to for from by with about as into
    onto over under after before since until while which who whom whose what when where why how
    there here he she they them his her their our we i you your my me him will would shall
    should can could may might must also just very such so too more most some any each every all
    both other another same own again further once only even still already yet said says say
    according per via itself themselves one""".split()
)
_NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "none", "nothing"})

# Multi-word names and idioms, joined before tokenising.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bu\.\s?s\.(?:\s?a\.)?", " usa "),
        (r"\bunited states(?: of america)?\b", " usa "),
        (r"\bwhite house\b", " whitehouse "),
        (r"\bfalse flag\b", " staged "),
        (r"\b(?:take|took|taken|taking|takes) part\b", " involved "),
        (r"\bcarr(?:y|ied|ies|ying) out\b", " perpetrate "),
        (r"\b(?:make|makes|making|made) it possible\b", " enable "),
    )
)

_SYNONYM_SETS: dict[str, str] = {
    # Metonyms: a capital or an adjective for the state as a source or actor.
    "usa": "us usa america american americans washington",
    "russia": "russia russian russians moscow",
    "ukraine": "ukraine ukrainian ukrainians kyiv kiev",
    # Near synonyms of conflict reporting.
    "attack": "attack attacks attacked attacking strike strikes struck striking assault raid hit",
    "involv": "involved involve involvement involving behind role participate participated "
    "participation responsible responsibility",
    "kill": "kill killing assassinate assassination assassinating murder",
    "lie": "lie lies lying lied liar untrue",
    "stage": "staged stage faked fake fabricated hoax",
    "terror": "terrorist terrorism terror",
    "decid": "decide decides decided decision decisions determine determines determined dictate "
    "dictated dictates",
    "select": "select selects selected choose chooses chose picks pick picked",
    "order": "tell tells told orders order obey obeys follow follows instructions instruct",
    "encourag": "encourage encourages encouraged urge urges urged",
    "enabl": "enable enables enabled allow allows allowed permit permits",
    "target": "target targets goal goals",
    "outsid": "outside beyond abroad",
    "ridicul": "ridiculous absurd laughable nonsense",
    "deni": "deny denies denied denial denials disown",
    "real": "real actual actually genuine",
}
SYNONYMS: Mapping[str, str] = {w: canon for canon, ws in _SYNONYM_SETS.items() for w in ws.split()}
"""Word -> lexicon token, applied after folding and before stemming."""

_WORD = re.compile(r"[a-z0-9$]+")
_SUFFIXES = ("ments", "ment", "ings", "ing", "ed", "es", "s")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold().replace("’", "'")


def _stem(word: str) -> str:
    # Crude on purpose: it only has to make "attacks"/"attacked" and
    # "involved"/"involvement" meet, and it must be stable.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def content_words(claim: str) -> frozenset[str]:
    """The normalised content words of a proposition (see the module docstring).

    >>> sorted(content_words("Washington was behind the Kremlin drone strike."))
    ['attack', 'dron', 'involv', 'kremlin', 'usa']
    """
    s = _fold(claim)
    for pattern, replacement in _PHRASES:
        s = pattern.sub(replacement, s)
    s = s.replace("n't", " not").replace("'s", "")
    words: set[str] = set()
    for w in _WORD.findall(s):
        if w in _NEGATIONS:
            words.add("not")
        elif w in SYNONYMS:
            words.add(SYNONYMS[w])
        elif w not in _STOP and len(w) > 1:
            words.add(_stem(w))
    return frozenset(words)


def _idf(word_sets: Sequence[frozenset[str]]) -> dict[str, float]:
    df = Counter(w for ws in word_sets for w in ws)
    n = len(word_sets)
    return {w: math.log((n + 1) / (d + 1)) + 1.0 for w, d in df.items()}


#: Stems that turn a proposition into a claim *about* someone's statement of it:
#: "The Kremlin is lying about the US role in the attack" is not "The US was
#: involved in the attack", however many words they share.
META_STEMS = frozenset({"lie", "liar", "ridicul", "disinformation", "propaganda"})


def similarity(a: frozenset[str], b: frozenset[str], idf: Mapping[str, float]) -> float:
    """IDF-weighted Jaccard similarity of two content-word sets, 0..1 (unknown words weigh 1).

    0 when only one of the two is a claim about someone's statement (:data:`META_STEMS`).
    """
    union = a | b
    if not union:
        return 1.0
    if bool(a & META_STEMS) != bool(b & META_STEMS):
        return 0.0
    inter = sum(idf.get(w, 1.0) for w in a & b)
    return inter / sum(idf.get(w, 1.0) for w in union)


def group_propositions(claims: Sequence[str], *, threshold: float = GROUP_THRESHOLD) -> list[int]:
    """Group index of each claim: claims stating the same proposition share one.

    Indices are 0..k-1 in order of first appearance. Identical claims (after
    :func:`content_words`) always share a group.
    """
    n = len(claims)
    if n <= 1:
        return [0] * n
    sets = [content_words(c) for c in claims]
    idf = _idf(sets)
    # Condensed distance matrix, in the order scipy expects (i < j, row-major).
    dist = np.fromiter(
        (1.0 - similarity(sets[i], sets[j], idf) for i, j in itertools.combinations(range(n), 2)),
        dtype=float,
        count=n * (n - 1) // 2,
    )
    tree = linkage(np.clip(dist, 0.0, None), method="average")
    labels = [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]
    first: dict[int, int] = {}
    return [first.setdefault(label, len(first)) for label in labels]


# --- output models ----------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Out):
    """One claim behind a cell: where it was said and the verbatim quote."""

    article_id: str
    claim: str = Field(description="The claim as worded in its article.")
    speaker: str = Field(description="The speaker as named in its article.")
    stance: Stance
    quote: str
    start: int
    end: int
    direct: bool


class Cell(_Out):
    """One source's stance(s) on one proposition."""

    speaker_id: str
    speaker: str = Field(description="Canonical name of the source across the corpus.")
    stances: list[Stance] = Field(
        description="Distinct stances, in supports/refutes/uncertain order."
    )
    mixed: bool = Field(description="True when the source takes more than one stance.")
    articles: list[str]
    evidence: list[Evidence]


class PropositionGroup(_Out):
    """Claims of any articles that state one proposition, and who stands where."""

    id: str = Field(description="Stable id: a hash of the representative proposition.")
    proposition: str = Field(description="Representative wording: the most used one.")
    variants: list[str] = Field(description="Every distinct wording in the group, most used first.")
    articles: list[str]
    cells: list[Cell]


class Consolidation(_Out):
    """The proposition × speaker stance matrix of a corpus."""

    method: str
    threshold: float
    articles: list[str]
    speakers: list[Speaker] = Field(description="The corpus-level sources that appear in a cell.")
    groups: list[PropositionGroup] = Field(
        description="Most widely reported first (articles, then sources, then claims)."
    )

    def shared(self, *, min_articles: int = 2, min_speakers: int = 2) -> list[PropositionGroup]:
        """Groups reported by at least ``min_articles`` articles or ``min_speakers`` sources."""
        return [
            g
            for g in self.groups
            if len(g.articles) >= min_articles or len(g.cells) >= min_speakers
        ]

    def to_markdown(self, *, min_articles: int = 2, min_speakers: int = 2) -> str:
        """A markdown report: the stance matrix of the shared propositions, then the evidence.

        Only propositions reported by ``min_articles`` articles or ``min_speakers``
        sources are shown (set both to 1 for every group).
        """
        groups = self.shared(min_articles=min_articles, min_speakers=min_speakers)
        columns = _columns(groups)
        n_claims = sum(len(c.evidence) for g in self.groups for c in g.cells)
        lines = [
            "## Propositions × sources",
            "",
            f"{n_claims} claims from {len(self.articles)} articles in {len(self.groups)} "
            f"propositions ({len(groups)} shown: reported by ≥{min_articles} articles or "
            f"≥{min_speakers} sources). Grouping: {self.method}, threshold {self.threshold:.2f}.",
            "",
        ]
        if not groups:
            return "\n".join([*lines, "No proposition is shared.", ""])
        header = ["Proposition", "Articles", *(name for _, name in columns)]
        lines += [_md_row(header), _md_row(["---"] * len(header))]
        for g in groups:
            by_id = {c.speaker_id: c for c in g.cells}
            row = [g.proposition, str(len(g.articles))]
            row += [_cell_label(by_id.get(sid)) for sid, _ in columns]
            lines.append(_md_row(row))
        lines += ["", "### Evidence", ""]
        for g in groups:
            lines += [f"#### {_md_text(g.proposition)}", ""]
            if len(g.variants) > 1:
                others = "; ".join(_md_text(v) for v in g.variants[1:])
                lines += [f"Also worded: {others}", ""]
            for c in g.cells:
                for e in c.evidence:
                    lines.append(
                        f"- **{_md_text(c.speaker)}** {e.stance} — `{e.article_id}`: "
                        f"“{_md_text(e.quote)}”"
                    )
            lines.append("")
        return "\n".join(lines)

    def to_html_fragment(self, *, min_articles: int = 2, min_speakers: int = 2) -> str:
        """An HTML ``<section>`` with the same content as :meth:`to_markdown`, to embed in a
        page. Everything from the data is escaped; styling is left to the page (classes
        ``claimx-consolidation``, ``stance-supports|refutes|uncertain``, ``mixed``)."""
        e = html.escape
        groups = self.shared(min_articles=min_articles, min_speakers=min_speakers)
        columns = _columns(groups)
        out = [
            '<section class="claimx-consolidation">',
            "<h2>Propositions × sources</h2>",
            f"<p>{len(self.groups)} propositions from {len(self.articles)} articles; "
            f"{len(groups)} shown (reported by ≥{min_articles} articles or ≥{min_speakers} "
            f"sources). Grouping: {e(self.method)}, threshold {self.threshold:.2f}.</p>",
        ]
        if not groups:
            out += ["<p>No proposition is shared.</p>", "</section>"]
            return "\n".join(out)
        out += ["<table>", "<thead><tr>", '<th scope="col">Proposition</th>']
        out += ['<th scope="col">Articles</th>']
        out += [f'<th scope="col">{e(name)}</th>' for _, name in columns]
        out += ["</tr></thead>", "<tbody>"]
        for g in groups:
            by_id = {c.speaker_id: c for c in g.cells}
            cells = []
            for sid, _ in columns:
                cell = by_id.get(sid)
                if cell is None:
                    cells.append("<td></td>")
                    continue
                classes = " ".join(
                    [*(f"stance-{s}" for s in cell.stances), *(["mixed"] if cell.mixed else [])]
                )
                quotes = " | ".join(f"{ev.article_id}: {ev.quote}" for ev in cell.evidence)
                cells.append(
                    f'<td class="{e(classes)}" title="{e(quotes)}">{e(_cell_label(cell))}</td>'
                )
            out.append(
                f'<tr id="{e(g.id)}"><th scope="row">{e(g.proposition)}</th>'
                f"<td>{len(g.articles)}</td>{''.join(cells)}</tr>"
            )
        out += ["</tbody>", "</table>"]
        for g in groups:
            out.append(f"<details><summary>{e(g.proposition)}</summary>")
            if len(g.variants) > 1:
                out.append(f"<p>Also worded: {e('; '.join(g.variants[1:]))}</p>")
            out.append("<ul>")
            for c in g.cells:
                for ev in c.evidence:
                    out.append(
                        f'<li><strong>{e(c.speaker)}</strong> <span class="stance-{e(ev.stance)}">'
                        f"{e(ev.stance)}</span> — <code>{e(ev.article_id)}</code>: "
                        f"<q>{e(ev.quote)}</q></li>"
                    )
            out += ["</ul>", "</details>"]
        out.append("</section>")
        return "\n".join(out)


def _columns(groups: Sequence[PropositionGroup]) -> list[tuple[str, str]]:
    """Matrix columns: the sources of the shown groups, most groups first, then by name."""
    count: Counter[str] = Counter()
    names: dict[str, str] = {}
    for g in groups:
        for c in g.cells:
            count[c.speaker_id] += 1
            names[c.speaker_id] = c.speaker
    return [(sid, names[sid]) for sid in sorted(count, key=lambda s: (-count[s], names[s]))]


def _cell_label(cell: Cell | None) -> str:
    if cell is None:
        return ""
    per_stance = Counter(ev.stance for ev in cell.evidence)
    return " / ".join(f"{s} ×{per_stance[s]}" if per_stance[s] > 1 else s for s in cell.stances)


def _md_text(text: str) -> str:
    # Table cells and inline text: no line breaks, no pipes, no markup.
    text = " ".join(text.split())
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", text)


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_md_text(c) if c != "---" else c for c in cells) + " |"


# --- consolidation ------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    article_id: str
    claim: str
    speaker: str  # as named in the article (after within-article resolution)
    stance: Stance
    quote: str
    start: int
    end: int
    direct: bool


def _items(
    articles: Sequence[GoldArticle | ExtractionResult],
    texts: Mapping[str, str],
    registry: SpeakerRegistry,
) -> list[_Item]:
    items: list[_Item] = []
    for article in articles:
        aid = article.article_id
        if isinstance(article, ExtractionResult):
            speakers = {s.id: s for s in article.speakers}
            names = []
            for c in article.claims:
                s = speakers.get(c.speaker_id)
                names.append(s.name if s is not None else c.speaker)
            for s in article.speakers:
                registry.add_speaker(s, article_id=aid)
        else:
            # Gold files name each speaker at its fullest already; resolving
            # still joins a bare surname or a role to its person.
            resolved, ids = resolve_speakers(
                [(c.speaker, c.speaker_role) for c in article.claims], texts.get(aid, "")
            )
            by_id = {s.id: s for s in resolved}
            names = [by_id[i].name for i in ids]
            for s in resolved:
                registry.add_speaker(s, article_id=aid)
        for claim, name in zip(article.claims, names, strict=True):
            items.append(
                _Item(
                    aid,
                    claim.claim,
                    name,
                    claim.stance,
                    claim.quote,
                    claim.start,
                    claim.end,
                    claim.direct,
                )
            )
    return items


def _norm_claim(claim: str) -> str:
    return " ".join(claim.split()).rstrip(".").casefold()


def _representative(members: Sequence[_Item]) -> tuple[str, list[str]]:
    """The most used wording of a group (ties: the one closest to the others, then shortest)."""
    counts = Counter(" ".join(m.claim.split()) for m in members)
    sets = {v: content_words(v) for v in counts}
    idf = _idf(list(sets.values()))

    def centrality(v: str) -> float:
        return sum(similarity(sets[v], sets[o], idf) * counts[o] for o in counts if o != v)

    ranked = sorted(counts, key=lambda v: (-counts[v], -centrality(v), len(v), v))
    return ranked[0], ranked


def _cell(speaker: Speaker, items: list[_Item]) -> Cell:
    stances = [s for s in STANCES if any(it.stance == s for it in items)]
    items = sorted(items, key=lambda it: (it.article_id, it.start))
    return Cell(
        speaker_id=speaker.id,
        speaker=speaker.name,
        stances=stances,
        mixed=len(stances) > 1,
        articles=sorted({it.article_id for it in items}),
        evidence=[
            Evidence(
                article_id=it.article_id,
                claim=it.claim,
                speaker=it.speaker,
                stance=it.stance,
                quote=it.quote,
                start=it.start,
                end=it.end,
                direct=it.direct,
            )
            for it in items
        ],
    )


def consolidate(
    articles: Sequence[GoldArticle | ExtractionResult],
    *,
    texts: Mapping[str, str] | None = None,
    threshold: float = GROUP_THRESHOLD,
    registry: SpeakerRegistry | None = None,
) -> Consolidation:
    """Group the claims of many articles by proposition and tabulate the sources' stances.

    ``articles``: gold files or extraction results (their ``article_id`` names
    the article). ``texts``: article id -> article text, used to resolve gold
    speakers within their article (surname or role alone); optional.
    ``registry``: a :class:`SpeakerRegistry` to add to (a new one by default),
    which decides which speakers of different articles are one source.
    """
    registry = registry if registry is not None else SpeakerRegistry()
    items = _items(articles, texts or {}, registry)
    labels = group_propositions([it.claim for it in items], threshold=threshold)
    members: dict[int, list[_Item]] = {}
    for label, item in zip(labels, items, strict=True):
        members.setdefault(label, []).append(item)

    built: list[tuple[str, list[str], list[str], list[Cell]]] = []
    used_speakers: dict[str, Speaker] = {}
    for group_items in members.values():
        proposition, variants = _representative(group_items)
        by_speaker: dict[str, list[_Item]] = {}
        for it in group_items:
            by_speaker.setdefault(registry.speaker_id(it.speaker), []).append(it)
        cells = []
        for sid, cell_items in by_speaker.items():
            speaker = registry.speaker(cell_items[0].speaker)
            used_speakers[sid] = speaker
            cells.append(_cell(speaker, cell_items))
        cells.sort(key=lambda c: (-len(c.articles), c.speaker))
        built.append((proposition, variants, sorted({it.article_id for it in group_items}), cells))
    # Most widely reported first; ties broken by text so the order is stable.
    built.sort(key=lambda b: (-len(b[2]), -len(b[3]), -sum(len(c.evidence) for c in b[3]), b[0]))
    groups: list[PropositionGroup] = []
    seen: set[str] = set()
    for proposition, variants, group_articles, cells in built:
        base = "p-" + hashlib.sha1(_norm_claim(proposition).encode()).hexdigest()[:10]
        gid, n = base, 2
        while gid in seen:
            gid, n = f"{base}-{n}", n + 1
        seen.add(gid)
        groups.append(
            PropositionGroup(
                id=gid,
                proposition=proposition,
                variants=variants,
                articles=group_articles,
                cells=cells,
            )
        )
    return Consolidation(
        method=METHOD,
        threshold=threshold,
        articles=sorted({a.article_id for a in articles}),
        speakers=sorted(used_speakers.values(), key=lambda s: s.id),
        groups=groups,
    )


# --- measuring the grouping ----------------------------------------------------------


def pairwise_quality(
    truth: Sequence[str],
    predicted: Sequence[int],
    *,
    article_ids: Sequence[str] | None = None,
) -> dict[str, float | int]:
    """Pairwise precision/recall/F1 of same-group decisions against true labels.

    A pair is positive when both items have the same ``truth`` label and
    predicted positive when they share a ``predicted`` group. With
    ``article_ids``, only pairs from different articles count.
    """
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    tp = fp = fn = pairs = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        if article_ids is not None and article_ids[i] == article_ids[j]:
            continue
        pairs += 1
        same, pred = truth[i] == truth[j], predicted[i] == predicted[j]
        tp += same and pred
        fp += pred and not same
        fn += same and not pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": pairs,
        "true_pairs": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def grouping_quality(
    gold_articles: Sequence[GoldArticle],
    *,
    threshold: float = GROUP_THRESHOLD,
    grouper: Callable[[Sequence[str]], list[int]] | None = None,
) -> dict[str, float | int]:
    """How well :func:`group_propositions` reunites the gold's cross-article propositions.

    Ground truth: two gold claims of different articles state the same
    proposition when their ``claim`` texts are identical (whitespace, case and
    a final period aside), as the annotators use one canonical wording for
    each recurring proposition. Returns the pairwise figures of
    :func:`pairwise_quality` over cross-article pairs, plus ``claims`` and
    ``groups``. ``grouper`` replaces the grouping function (for baselines).
    """
    claims = [c.claim for a in gold_articles for c in a.claims]
    article_ids = [a.article_id for a in gold_articles for _ in a.claims]
    if grouper is None:
        predicted = group_propositions(claims, threshold=threshold)
    else:
        predicted = grouper(claims)
    truth = [_norm_claim(c) for c in claims]
    result = pairwise_quality(truth, predicted, article_ids=article_ids)
    result["claims"] = len(claims)
    result["groups"] = len(set(predicted))
    return result
