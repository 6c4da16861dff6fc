"""What a prompt runs, whatever its task: an extraction pipeline, or targeted stance.

A prompt file (:mod:`claimx.prompts`) is for extraction unless it names another
task (``task: targeted``). :func:`build_task` builds the class that runs a
prompt of its task, checked against it (the extraction
:class:`~claimx.extraction.pipeline.Pipeline`, the targeted
:class:`~claimx.targeted.task.TargetedTask`), and :func:`prompt_hash` is its
content hash: the one function the recordings (:mod:`claimx.eval.recordings`)
and ``claimx prompts`` call. A new task is one class and one line of :data:`TASKS`.

It sits above both tasks (with the eval), so the prompt data below imports neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from claimx.extraction.pipeline import Pipeline
from claimx.prompts import EXTRACTION, PromptSpec
from claimx.targeted.task import TargetedTask

__all__ = ["TASKS", "PromptTask", "build_task", "prompt_hash"]


class PromptTask(Protocol):
    """What every task's class is: built from a spec, which it checks against itself;
    then it knows its content hash and a line describing it."""

    spec: PromptSpec

    @property
    def content_hash(self) -> str:
        """sha256 (12 hex) of everything that shapes the task's requests."""
        ...

    @property
    def names(self) -> str:
        """How the prompt runs, in one line (for ``claimx prompts``)."""
        ...


TASKS: dict[str, Callable[[PromptSpec], PromptTask]] = {
    EXTRACTION: Pipeline,
    "targeted": TargetedTask,
}
"""Each task, and the class that builds a prompt of it."""


def build_task(spec: PromptSpec) -> PromptTask:
    """The prompt's task, built and checked; PromptError names the file."""
    return TASKS[spec.task_name](spec)


def prompt_hash(spec: PromptSpec) -> str:
    """The content hash of any prompt, whatever its task (:attr:`PromptTask.content_hash`)."""
    return build_task(spec).content_hash
