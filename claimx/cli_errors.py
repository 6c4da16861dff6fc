"""What a user sees when a command fails: one line on stderr, never a traceback.

Every command of the ``claimx`` CLI (and ``python -m claimx.eval``) runs its typer
app through :func:`run`. A :class:`~claimx.errors.ClaimxError` becomes
``error: <message>`` on stderr, exit :data:`USAGE` for errors in how the command
was called (configuration, prompt references) and :data:`FAILED` for work that
failed; anything unexpected is reported the same way, naming its type. With
``--debug`` on the command line or ``CLAIMX_DEBUG=1`` the traceback is shown too.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import NoReturn

from claimx.errors import ClaimxError, ConfigError, PromptError

USAGE = 2
FAILED = 1
#: errors in how the command was called, rather than in the work it did
USAGE_ERRORS: tuple[type[ClaimxError], ...] = (ConfigError, PromptError)


def debug_enabled(argv: list[str] | None = None) -> bool:
    """Whether tracebacks were asked for (``--debug`` or ``CLAIMX_DEBUG``)."""
    argv = sys.argv if argv is None else argv
    return "--debug" in argv or os.environ.get("CLAIMX_DEBUG", "") not in ("", "0")


def exit_code(exc: BaseException) -> int:
    """The exit status a failed command ends with."""
    return USAGE if isinstance(exc, USAGE_ERRORS) else FAILED


def report(exc: BaseException, *, debug: bool = False) -> int:
    """Print ``exc`` as one ``error:`` line on stderr (plus the traceback when debugging)."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    message = str(exc) if isinstance(exc, ClaimxError) else f"{type(exc).__name__}: {exc}"
    hint = "" if debug or isinstance(exc, ClaimxError) else " (run with --debug for the traceback)"
    print(f"error: {message}{hint}", file=sys.stderr)
    return exit_code(exc)


def run(app: Callable[..., object], *, argv: list[str] | None = None) -> NoReturn:
    """Run a typer/click app in standalone mode, turning exceptions into one line."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = debug_enabled(args)
    args = [a for a in args if a != "--debug"]
    try:
        app(args, standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into lines
        raise SystemExit(report(exc, debug=debug)) from None
    raise SystemExit(0)
