"""Progress of a corpus run: a rich bar on a terminal, JSON lines otherwise.

On a terminal (:func:`make_reporter` asks the console), a bar shows articles
done of the total, failures, cache hits, tokens, elapsed time and ETA, and
each failure is printed above it. Anywhere else (a pipe, a log file, CI) the
reporter is quiet and machine-readable: one JSON object per line on stderr,

* ``{"event": "start", ...counts}`` once,
* ``{"event": "article_failed", "article_id": ..., "error_type": ..., ...}`` per
  failure (the same record as the errors file),
* ``{"event": "progress", ...counts}`` at most every ``interval_s`` seconds, also
  while nothing finishes (a heartbeat, with ``in_progress`` articles waiting on the
  model),
* ``{"event": "done", ...counts}`` once at the end,

where the counts are :meth:`RunStats.as_dict`. Results never go here: they go
to stdout or ``--output``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


@dataclass
class RunStats:
    """The counts of one run. ``done + failed + skipped`` articles are accounted for."""

    #: articles in the input, when they could be counted up front
    total: int | None = None
    #: extracted and written by this run
    done: int = 0
    #: recorded in the errors file by this run (unreadable inputs included)
    failed: int = 0
    #: already in the output from an earlier run, not asked again
    skipped: int = 0
    #: articles started and not finished: waiting on the model
    in_progress: int = 0
    #: model answers served from the response cache
    cache_hits: int = 0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def processed(self) -> int:
        return self.done + self.failed + self.skipped

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    def eta_s(self) -> float | None:
        """Seconds left at this run's pace (resumed articles cost nothing, so not counted)."""
        worked = self.done + self.failed
        if self.total is None or worked == 0:
            return None
        return max(0, self.total - self.processed) * self.elapsed_s / worked

    def as_dict(self) -> dict[str, Any]:
        eta = self.eta_s()
        return {
            "total": self.total,
            "done": self.done,
            "failed": self.failed,
            "skipped": self.skipped,
            "in_progress": self.in_progress,
            "cache_hits": self.cache_hits,
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "elapsed_s": round(self.elapsed_s, 3),
            "eta_s": None if eta is None else round(eta, 1),
        }


class Reporter(Protocol):
    """Receives the run's events; :mod:`claimx.runs.orchestrator` calls it from the event loop."""

    def start(self, stats: RunStats) -> None: ...

    def update(self, stats: RunStats) -> None:
        """An article was accounted for (done, failed or skipped)."""
        ...

    def failed(self, stats: RunStats, record: dict[str, Any]) -> None:
        """An article failed; ``record`` is its errors-file line."""
        ...

    def finish(self, stats: RunStats) -> None: ...


class NullReporter:
    """Reports nothing (the library default)."""

    def start(self, stats: RunStats) -> None:
        pass

    def update(self, stats: RunStats) -> None:
        pass

    def failed(self, stats: RunStats, record: dict[str, Any]) -> None:
        pass

    def finish(self, stats: RunStats) -> None:
        pass


class JsonLinesReporter:
    """Machine-readable progress: one JSON object per line, throttled (see module doc).

    ``stream`` None is whatever ``sys.stderr`` is at each line: an engine may point it
    elsewhere meanwhile (the Ray engine sends the process's own descriptor 2 to Ray's
    log, and ``sys.stderr`` to the terminal).
    """

    def __init__(self, stream: IO[str] | None, *, interval_s: float = 5.0) -> None:
        self.stream = stream
        self.interval_s = interval_s
        self._last = 0.0

    def _emit(self, event: str, payload: dict[str, Any]) -> None:
        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(json.dumps({"event": event, **payload}, ensure_ascii=False) + "\n")
        stream.flush()

    def start(self, stats: RunStats) -> None:
        self._last = time.monotonic()
        self._emit("start", stats.as_dict())

    def update(self, stats: RunStats) -> None:
        now = time.monotonic()
        if now - self._last >= self.interval_s:
            self._last = now
            self._emit("progress", stats.as_dict())

    def failed(self, stats: RunStats, record: dict[str, Any]) -> None:
        self._emit("article_failed", record)

    def finish(self, stats: RunStats) -> None:
        self._emit("done", stats.as_dict())


class RichReporter:
    """A progress bar on the terminal, failures printed above it."""

    def __init__(self, console: Console, *, label: str = "extract") -> None:
        self.console = console
        self._progress = Progress(
            TextColumn(f"[bold]{label}[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            # Only the bar's own refresh thread writes while it runs; claimx prints through it.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._task: TaskID | None = None

    @staticmethod
    def _status(stats: RunStats) -> str:
        failed = f"[red]{stats.failed} failed[/]" if stats.failed else "0 failed"
        resumed = f" · {stats.skipped} resumed" if stats.skipped else ""
        waiting = f" · {stats.in_progress} in progress" if stats.in_progress else ""
        return (
            f"{failed}{resumed}{waiting} · {stats.calls} calls · {stats.cache_hits} cached"
            f" · {_short(stats.tokens)} tokens"
        )

    def start(self, stats: RunStats) -> None:
        self._progress.start()
        self._task = self._progress.add_task(
            "extract", total=stats.total, completed=stats.processed, status=self._status(stats)
        )

    def update(self, stats: RunStats) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=stats.processed, status=self._status(stats))

    def failed(self, stats: RunStats, record: dict[str, Any]) -> None:
        who = record.get("article_id") or record.get("source")
        self._progress.console.print(
            f"[red]failed[/] {who}: {record['error_type']}: {record['message']}", highlight=False
        )

    def finish(self, stats: RunStats) -> None:
        self.update(stats)
        self._progress.stop()
        self.console.print(
            f"{stats.done} extracted, {stats.failed} failed, {stats.skipped} already done,"
            f" {stats.cache_hits} cached answers, {stats.calls} model calls,"
            f" {_short(stats.tokens)} tokens in {stats.elapsed_s:.1f}s",
            highlight=False,
        )


def _short(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


def make_reporter(console: Console, *, interval_s: float = 5.0, label: str = "extract") -> Reporter:
    """A bar named ``label`` when ``console`` is a terminal, else JSON lines on its stream."""
    if console.is_terminal:
        return RichReporter(console, label=label)
    stream = None if console.file is sys.stderr else console.file  # stderr: looked up per line
    return JsonLinesReporter(stream, interval_s=interval_s)


def notice_line(message: str) -> None:
    """Print ``message`` on stderr in yellow: something a run leaves out and goes on without
    (square brackets are text: "[encoder]" names an extra, not a style)."""
    Console(stderr=True).print(
        message, style="yellow", highlight=False, markup=False, soft_wrap=True
    )
