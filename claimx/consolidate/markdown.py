"""The stance matrix as markdown: the table of the shown propositions, then their evidence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from claimx.consolidate.model import (
    DEFAULT_MIN_ARTICLES,
    DEFAULT_MIN_SOURCES,
    Cell,
    Consolidation,
    PropositionGroup,
)
from claimx.markdown import md_table, md_text

__all__ = ["cell_label", "columns", "render_markdown"]


def columns(groups: Sequence[PropositionGroup]) -> list[tuple[str, str]]:
    """Matrix columns: the sources of the shown groups, most groups first, then by name."""
    count: Counter[str] = Counter()
    names: dict[str, str] = {}
    for g in groups:
        for c in g.cells:
            count[c.speaker_id] += 1
            names[c.speaker_id] = c.speaker
    return [(sid, names[sid]) for sid in sorted(count, key=lambda s: (-count[s], names[s]))]


def cell_label(cell: Cell | None) -> str:
    """A cell as text: its stances, each with its number of claims when more than one."""
    if cell is None:
        return ""
    per_stance = Counter(ev.stance for ev in cell.evidence)
    return " / ".join(f"{s} ×{per_stance[s]}" if per_stance[s] > 1 else s for s in cell.stances)


def render_markdown(
    result: Consolidation,
    *,
    min_articles: int = DEFAULT_MIN_ARTICLES,
    min_speakers: int = DEFAULT_MIN_SOURCES,
) -> str:
    """A markdown report: the stance matrix of the shown propositions, then the evidence.

    Shown: propositions reported in ``min_articles`` articles and by
    ``min_speakers`` sources (both must hold; set both to 1 for every group).
    """
    groups = result.shared(min_articles=min_articles, min_speakers=min_speakers)
    cols = columns(groups)
    n_claims = sum(len(c.evidence) for g in result.groups for c in g.cells)
    lines = [
        "## Propositions × sources",
        "",
        f"{n_claims} claims from {len(result.articles)} articles in {len(result.groups)} "
        f"propositions ({len(groups)} shown: reported in ≥{min_articles} articles and by "
        f"≥{min_speakers} sources). Grouping: {result.method}, threshold {result.threshold:.2f}.",
        "",
    ]
    if not groups:
        return "\n".join([*lines, "No proposition is shared.", ""])
    rows = []
    for g in groups:
        by_id = {c.speaker_id: c for c in g.cells}
        rows.append(
            [g.proposition, str(len(g.articles))] + [cell_label(by_id.get(s)) for s, _ in cols]
        )
    header = ["Proposition", "Articles", *(name for _, name in cols)]
    lines += md_table(header, rows, escape=md_text).splitlines()
    lines += ["", "### Evidence", ""]
    for g in groups:
        lines += [f"#### {md_text(g.proposition)}", ""]
        if len(g.variants) > 1:
            others = "; ".join(md_text(v) for v in g.variants[1:])
            lines += [f"Also worded: {others}", ""]
        for c in g.cells:
            for e in c.evidence:
                lines.append(
                    f"- **{md_text(c.speaker)}** {e.stance} — `{e.article_id}`: "
                    f"“{md_text(e.quote)}”"
                )
        lines.append("")
    return "\n".join(lines)
