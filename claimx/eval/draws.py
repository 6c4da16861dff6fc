"""Several recordings (draws) of the same prompt versions: how much of an A/B is the model's noise.

    python -m claimx.eval draws --prompt extract@v9 --prompt extract@v12 --draw eval/redraws/draw2

A recording is one *draw* of the model's answers: llama-server at temperature 0
with a fixed seed gives the same answers to the same requests from the same
state, but a server that has processed other requests first answers about half
of them differently (eval/README.md, "What the interval leaves out"). The eval's
A/B interval resamples the articles of one recording and leaves that out.
Given the eval's cassettes and one or more other folders recorded from the
same prompt versions (``python -m claimx.eval --record --prompt ...
--cassettes FOLDER``), :func:`compare_draws` replays every version from every
folder (offline) and reports:

* **answers**: per version and extra draw, the requests whose bodies both
  recordings hold and how many got the same answer;
* **scores**: claim F1, speaker and stance accuracy and joint F1 of each version
  in each draw;
* **A/B**: in each draw, each version against the first (the eval's interval);
  each version's other draws against its first (what the server's run alone
  moves); and each version against the first over **every** draw
  (:func:`claimx.eval.bootstrap.draw_intervals`: the draws pooled, and in each
  resample a recording drawn at random per article), the comparison that holds
  the model's noise as well as the articles'.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimx.cassettes import SERIALIZER, body_key
from claimx.errors import ConfigError
from claimx.eval.bootstrap import Interval, Resampling, draw_intervals, paired_bootstraps
from claimx.eval.gold import GoldItem
from claimx.eval.metrics import SystemScore, score_system
from claimx.eval.recordings import record_command, recorded_models
from claimx.eval.runner import run_all
from claimx.markdown import md_table
from claimx.prompts import PromptSpec

__all__ = ["Agreement", "DrawsReport", "agreement", "compare_draws"]

_SCORES = ("claim_f1", "speaker_accuracy", "stance_accuracy", "joint_f1")


def _answers(folder: Path) -> dict[tuple[str, Any], str]:
    """Each recorded request (its body, as replay matches it) -> the content of its answer."""
    out: dict[tuple[str, Any], str] = {}
    for path in sorted(folder.glob("*.yaml")):
        for item in SERIALIZER.deserialize(path.read_text(encoding="utf-8"))["interactions"]:
            response: dict[str, Any] = json.loads(item["response"]["body"]["string"])
            answer = str(response["choices"][0]["message"]["content"])
            out[body_key(item["request"]["body"])] = answer
    return out


@dataclass(frozen=True)
class Agreement:
    """One version's answers in two recordings of it."""

    version: str
    draw: Path
    requests: int
    """Requests of ``draw``."""
    shared: int
    """Of those, requests whose body the first recording holds too."""
    same: int
    """Of those, requests answered alike."""


def agreement(first: Path, second: Path) -> tuple[int, int, int]:
    """(requests recorded in ``second``, of those also in ``first``, of those answered
    alike): two folders of one version's cassettes, ``<cassettes>/<model>/<version>``."""
    a, b = _answers(first), _answers(second)
    shared = [body for body in b if body in a]
    return len(b), len(shared), sum(a[body] == b[body] for body in shared)


@dataclass(frozen=True)
class DrawsReport:
    """Everything :func:`compare_draws` measured (module doc)."""

    folders: list[Path]
    versions: list[str]
    agreements: list[Agreement]
    scores: dict[tuple[int, str], SystemScore]
    """(draw index, version) -> its scores."""
    differences: list[tuple[str, Interval]]
    """(what minus what, the joint F1 interval)."""

    def markdown(self) -> str:
        """The report as markdown tables."""
        out = ["## Answers: the same requests in two recordings\n"]
        out.append(
            md_table(
                ["version", "draw", "requests", "same body as draw 1", "same answer"],
                [
                    (
                        a.version,
                        a.draw,
                        a.requests,
                        a.shared,
                        f"{a.same} ({a.same / a.shared:.0%})" if a.shared else "0",
                    )
                    for a in self.agreements
                ],
                "llrrr",
            )
        )
        out.append("## Scores per draw (replayed)\n")
        rows = []
        for version in self.versions:
            for d, folder in enumerate(self.folders):
                m = self.scores[d, version].metrics
                cells = ["–" if m[k] is None else f"{m[k]:.2f}" for k in _SCORES]
                rows.append([version, f"{d + 1}: {folder}", *cells])
        header = ["version", "draw", "claim F1", "speaker", "stance", "joint F1"]
        out.append(md_table(header, rows, "llrrrr"))
        out.append("## Joint F1 differences, 95% paired-bootstrap intervals\n")
        out.append(
            md_table(
                ["b − a", "Δ [95%]", "verdict"],
                [
                    (label, f"{i.point:+.3f} [{i.low:+.3f}, {i.high:+.3f}]", i.verdict)
                    for label, i in self.differences
                ],
            )
        )
        return "\n".join(out)


def compare_draws(
    specs: Sequence[PromptSpec],
    folders: Sequence[Path],
    gold: list[GoldItem],
    *,
    seed: int = 0,
) -> DrawsReport:
    """Replay every version from every folder and compare them (module doc).

    ``folders[0]`` is the first draw (the eval's cassettes, usually). Raises
    :class:`ConfigError` with the command to run when fewer than two folders are
    given, they hold different models' recordings, or a version is not recorded
    in one of them.
    """
    if len(folders) < 2:
        raise ConfigError(
            "draws need two recordings at least: add --draw FOLDER, a folder recorded with"
            " python -m claimx.eval --record --prompt ... --cassettes FOLDER"
        )
    models = {m for folder in folders for m in recorded_models(folder)}
    if len(models) != 1:
        found = ", ".join(sorted(models)) or "none"
        raise ConfigError(f"the draws must hold one model's recordings; found: {found}")
    (model,) = models
    for folder in folders:
        for spec in specs:
            if not (folder / model / spec.ref).is_dir():
                raise ConfigError(
                    f"{folder}: no recording of {spec.ref}; record one with"
                    f" {record_command(spec.ref, model, folder)}"
                )
    versions = [spec.ref for spec in specs]
    first = folders[0]
    agreements = [
        Agreement(ref, folder, *agreement(first / model / ref, folder / model / ref))
        for ref in versions
        for folder in folders[1:]
    ]
    scores: dict[tuple[int, str], SystemScore] = {}
    for d, folder in enumerate(folders):
        runs = run_all(list(specs), [None] * len(specs), gold, source="replayed", cassettes=folder)
        for ref, run in zip(versions, runs, strict=True):
            scores[d, ref] = score_system(run)
    resampling = Resampling(seed=seed)
    every = range(len(folders))
    differences: list[tuple[str, Interval]] = []

    def joint(a: SystemScore, b: SystemScore) -> Interval:
        return paired_bootstraps(a, b, draws=resampling)["joint_f1"]

    base = versions[0]
    for d in every:
        for ref in versions[1:]:
            differences.append(
                (f"{ref} − {base}, draw {d + 1}", joint(scores[d, base], scores[d, ref]))
            )
    for ref in versions:
        for d in every[1:]:
            differences.append(
                (f"{ref}: draw {d + 1} − draw 1", joint(scores[0, ref], scores[d, ref]))
            )
    for ref in versions[1:]:
        pooled = draw_intervals(
            [scores[d, base] for d in every], [scores[d, ref] for d in every], draws=resampling
        )
        differences.append(
            (f"{ref} − {base}, every draw (articles and recordings resampled)", pooled["joint_f1"])
        )
    return DrawsReport(list(folders), versions, agreements, scores, differences)
