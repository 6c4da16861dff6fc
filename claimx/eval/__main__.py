"""``python -m claimx.eval``: the offline main job (see :mod:`claimx.eval.cli`)."""

from __future__ import annotations

import gc


def _tune_gc_for_a_short_run() -> None:
    """Garbage-collector settings for one command-line run (not for library use).

    The client libraries' imports leave ~150,000 long-lived objects (openai's typed
    models): freezing them spares the collector from re-walking them in every full
    collection, in the forked replay workers and at exit. A replay allocates many
    short-lived objects; collecting the young generation every 50,000 allocations
    instead of every 700 costs little memory in a run of seconds. Together about
    0.6 s of a 3-second replayed eval (benchmarks/bench_eval.py).
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


if __name__ == "__main__":
    import importlib
    import sys

    from claimx.cli_errors import run
    from claimx.eval.cli import app

    if sys.argv[1:2] != ["score"]:
        # The main job replays (or calls a model): load the client and the recorder
        # now, so that the freeze covers them and forked replay workers inherit them.
        importlib.import_module("claimx.cassettes")
    _tune_gc_for_a_short_run()
    run(app)
