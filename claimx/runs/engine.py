"""Engines run a :class:`~claimx.runs.spec.RunSpec`, and every one keeps the same promises.

An engine is one class implementing :class:`Engine`, registered once in
:data:`ENGINES` by import path, so a heavy one (Ray) is imported only when
chosen. ``claimx extract --engine NAME`` builds the spec, asks the engine to
:meth:`~Engine.check` it (before any model call, cluster start or batch
upload), then to :meth:`~Engine.run` it.

=========  ===========================================  ====================================
name       what runs the requests                       where
=========  ===========================================  ====================================
asyncio    one event loop in this process               :mod:`claimx.runs.orchestrator`
ray        async actors of Ray Data, on one machine     :mod:`claimx.runs.ray_engine`
           or a cluster
batch      a provider's batch API (submit, then         :mod:`claimx.runs.batch_engine`
           collect until every request is answered)    (:mod:`claimx.runs.provider_batch`)
=========  ===========================================  ====================================

The promises
------------
Every engine keeps these, and ``tests/runs/test_chaos.py`` checks them
against a table of faults for each engine:

1. **Exactly once.** When a run ends, every input is in exactly one of the
   output and the errors file, whatever happened on the way (a SIGKILL, a full
   disk, the endpoint going away and coming back). A stopped run (the circuit
   breaker, an authentication failure, a full disk) says so in one line; the
   same command resumes it, skipping what the output holds.
2. **Nothing silent.** Every failed article is a line of the errors file
   (``<output>.errors.jsonl``, or ``--errors``) with its cause and what to do;
   the errors file is started afresh by every run (failures are tried again)
   and left behind only when something failed.
3. **A lock per output.** A second run on the same output (file, or folder)
   is refused while the first runs.
4. **Nothing deleted that claimx did not write.** An engine writes its own
   files only, and only truncates or removes files it wrote (the Ray engine's
   folder carries a manifest of its files).
5. **Endpoint-wide failure only stops a run**: the circuit breaker of
   :mod:`claimx.runs.breaker` probes the endpoint before it opens; an article
   that fails on its own goes to the errors file.
6. **The key is a reference.** The API key travels as a
   :class:`~claimx.runs.spec.SecretRef` (never in a spec, a pickled argument,
   a worker's environment, a state file or a log).
7. **Owner-only files.** Outputs, errors files, caches, failure dumps and batch
   files are mode 0600 in folders made 0700 (:mod:`claimx.llm.private`).
8. **Checked before starting.** An unwritable output, errors file or cache
   fails before any model call (and before a Ray cluster starts).
"""

from __future__ import annotations

import importlib
from typing import Protocol, TextIO

from claimx.errors import ConfigError
from claimx.runs.progress import Reporter, RunStats
from claimx.runs.spec import RunSpec

#: engine name -> "module:Class", imported when chosen
ENGINES: dict[str, str] = {
    "asyncio": "claimx.runs.orchestrator:AsyncioEngine",
    "ray": "claimx.runs.ray_engine:RayEngine",
    "batch": "claimx.runs.batch_engine:BatchEngine",
}


class Engine(Protocol):
    """Runs a :class:`RunSpec` whole, keeping the promises of the module docstring."""

    #: the name ``--engine`` knows it by
    name: str

    def check(self, spec: RunSpec) -> None:
        """Refuse, with :class:`~claimx.errors.ClaimxError`, what would fail later: options
        this engine does not take, an output or errors file it cannot write. Called
        before any model call, and before a cluster is started."""
        ...

    def run(self, spec: RunSpec, *, reporter: Reporter, stdout: TextIO) -> RunStats:
        """Extract every input of ``spec``; results to its output (or ``stdout`` where the
        engine writes a stream). Returns the counts; raises :class:`ClaimxError` only
        for what stops the whole run."""
        ...


def get_engine(name: str) -> Engine:
    """The engine registered as ``name`` (imported now)."""
    if name not in ENGINES:
        raise ConfigError(f"unknown --engine {name!r}; choose one of {', '.join(ENGINES)}")
    module, _, attribute = ENGINES[name].partition(":")
    engine: Engine = getattr(importlib.import_module(module), attribute)()
    return engine


__all__ = ["ENGINES", "Engine", "get_engine"]
