"""The circuit breaker: stop a run when the endpoint is down, not when one article is.

An article can fail on its own while the endpoint answers every other one:
the server resets the connection on that article's request, or always times
out on it (a huge prompt, a proxy's size limit). Stopping the run then loses
nothing but time, yet stops it again on every re-run, since those articles
are all that is left (issue 25, 7). So the breaker opens only on
endpoint-wide failure:

* it counts articles that failed because the endpoint could not be reached or
  timed out (:data:`ENDPOINT_DOWN_ERRORS`), each after its own retries, in a
  row: every success, and every other failure (an HTTP 400, invalid output:
  the endpoint answered), starts the count again;
* when the count reaches the threshold, it probes the endpoint's health
  (:func:`claimx.llm.server.endpoint_answers`: any HTTP answer to a plain GET,
  even a 404, is a server that is up). An endpoint that answers means the
  failures were the articles' own: they are in the errors file with their
  cause, the count starts again and the run goes on. Only an endpoint that
  does not answer opens the breaker, and the run stops with one line saying
  so; the same command resumes it.

Engines feed it from where they see articles finish: the asyncio orchestrator
from its tasks, the Ray driver from the rows it collects.
"""

from __future__ import annotations

from collections.abc import Callable

from claimx.errors import LLMError, LLMTimeoutError, ServerUnreachableError

#: errors that may mean the endpoint is down: enough of them in a row probe its health
ENDPOINT_DOWN_ERRORS: tuple[type[LLMError], ...] = (ServerUnreachableError, LLMTimeoutError)
#: their names, for engines that see a failure as a record (the Ray driver)
ENDPOINT_DOWN_NAMES = frozenset(c.__name__ for c in ENDPOINT_DOWN_ERRORS)

#: a health probe: None when the endpoint answered, else why not
Probe = Callable[[], str | None]


class CircuitBreaker:
    """Counts endpoint-down failures in a row and probes before opening (module doc).

    ``threshold`` 0 never opens. Not thread-safe: feed it from one thread.
    """

    def __init__(self, threshold: int, probe: Probe, *, endpoint: str) -> None:
        self.threshold = threshold
        self.probe = probe
        self.endpoint = endpoint
        self.in_a_row = 0
        #: health probes made, and how many found the endpoint up
        self.probes = 0
        self.probes_up = 0

    def success(self) -> None:
        """An article was extracted: the endpoint answers."""
        self.in_a_row = 0

    def failure(self, *, endpoint_down: bool) -> bool:
        """An article failed; ``endpoint_down``: with one of :data:`ENDPOINT_DOWN_ERRORS`.

        True when a probe is due (call :meth:`verdict`)."""
        if not endpoint_down:
            self.in_a_row = 0  # the endpoint answered, with a refusal or bad output
            return False
        self.in_a_row += 1
        return bool(self.threshold) and self.in_a_row >= self.threshold

    def verdict(self, last: BaseException | str) -> LLMError | None:
        """Probe the endpoint: None when it answers (the count starts again), else the error
        that stops the run. Call it when :meth:`failure` returned True."""
        self.probes += 1
        why = self.probe()
        if why is None:
            self.probes_up += 1
            self.in_a_row = 0
            return None
        original = last if isinstance(last, BaseException) else None
        cause = getattr(original, "original", None) or original
        return ServerUnreachableError(
            f"stopped after {self.in_a_row} articles in a row failed and the endpoint at"
            f" {self.endpoint} did not answer a health check ({why}): is the server running?"
            " Start (or fix) it and run the same command again: results already written are"
            " kept and not asked again",
            original=cause,
        )


__all__ = ["ENDPOINT_DOWN_ERRORS", "ENDPOINT_DOWN_NAMES", "CircuitBreaker", "Probe"]
