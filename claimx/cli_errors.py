"""What a user sees when a command fails: one line on stderr, never a traceback.

Every command of the ``claimx`` CLI (and ``python -m claimx.eval``) runs its typer
app through :func:`run` (``claimx`` also through :class:`OneLineErrorsGroup`, so
``CliRunner`` in tests sees what a user sees; the group also says every
option's value in words, :mod:`claimx.cli_help`). Every failure ends as one line,
``error: <what went wrong>; <what to do>``, on stderr:

* a command line click cannot parse (unknown option, bad value, missing
  argument) and a :class:`~claimx.errors.ClaimxError` in how the command was
  called (configuration, prompt reference) exit :data:`USAGE`;
* work that failed (an unreadable file, a model error) exits :data:`FAILED`;
* anything unexpected is reported the same way, naming its type, as a bug.

With ``--debug`` anywhere on the command line (before a lone ``--``) or
``CLAIMX_DEBUG=1`` the traceback is printed too.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, Protocol, cast

import typer
from typer.core import TyperGroup

from claimx.cli_help import use_words
from claimx.errors import ClaimxError, ConfigError, PromptError

USAGE = 2
FAILED = 1
INTERRUPTED = 130
#: errors in how the command was called, rather than in the work it did
USAGE_ERRORS: tuple[type[ClaimxError], ...] = (ConfigError, PromptError)
DEBUG_FLAG = "--debug"
DEBUG_HINT = " (run with --debug for the traceback)"


class _ClickError(Protocol):
    """What the click exceptions typer raises have (typer vendors click since 0.2x)."""

    exit_code: int

    def format_message(self) -> str: ...

    def show(self) -> None: ...


def _typer_base(name: str) -> type[Exception]:
    # The classes are typer's own copies of click's, not click's: reach them through
    # the public BadParameter, whose bases they are in every typer version.
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


CLICK_ERROR = _typer_base("ClickException")
USAGE_ERROR = _typer_base("UsageError")


def debug_enabled(argv: Sequence[str] | None = None) -> bool:
    """Whether tracebacks were asked for (``--debug`` or ``CLAIMX_DEBUG``)."""
    argv = sys.argv if argv is None else argv
    return DEBUG_FLAG in _options_part(argv) or os.environ.get("CLAIMX_DEBUG", "") not in ("", "0")


def _options_part(argv: Sequence[str]) -> Sequence[str]:
    # After a lone "--" everything is an argument: a file may be called "--debug".
    return argv[: argv.index("--")] if "--" in argv else argv


def strip_debug(argv: Sequence[str]) -> list[str]:
    """``argv`` without the ``--debug`` flags (which any subcommand may carry)."""
    head = [a for a in _options_part(argv) if a != DEBUG_FLAG]
    return head + list(argv[len(_options_part(argv)) :])


def exit_code(exc: BaseException) -> int:
    """The exit status a failed command ends with."""
    if isinstance(exc, CLICK_ERROR):
        return cast(_ClickError, exc).exit_code
    return USAGE if isinstance(exc, USAGE_ERRORS) else FAILED


def describe(exc: BaseException) -> str:
    """The one-line message for ``exc``: what went wrong and, where known, what to do."""
    if isinstance(exc, USAGE_ERROR):
        ctx = getattr(exc, "ctx", None)
        command = ctx.command_path if ctx is not None else "the command"
        message = cast(_ClickError, exc).format_message().rstrip(".")
        return f"{message}; see '{command} --help'"
    if isinstance(exc, CLICK_ERROR):
        return cast(_ClickError, exc).format_message()
    if isinstance(exc, ClaimxError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        bad = exc.object[exc.start : exc.start + 1]
        return (
            f"an input is not UTF-8 text (byte {exc.start}: {bad!r}); pass UTF-8 files,"
            " or convert it first, e.g. iconv -f latin1 -t utf-8"
        )
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        what = {
            IsADirectoryError: "; a file was expected there, not a folder",
            NotADirectoryError: "; a folder was expected there, not a file",
            FileNotFoundError: "; check the path",
            PermissionError: "; check the file's permissions",
        }.get(type(exc), "")
        return f"{where}{exc.strerror}{what}"
    return f"unexpected {type(exc).__name__}: {exc} (a claimx bug: please report it)"


def error_line(message: str) -> None:
    """Print ``error: <message>`` as one line on stderr: the form of every CLI failure."""
    # One line: a message that spans lines would be cut apart by log tools.
    print(f"error: {' '.join(message.split())}", file=sys.stderr, flush=True)


def report(exc: BaseException, *, debug: bool = False) -> int:
    """Print ``exc`` as one ``error:`` line on stderr (plus the traceback when debugging).

    Returns the exit code the command should end with.
    """
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    expected = isinstance(exc, ClaimxError | CLICK_ERROR)
    error_line(describe(exc) + ("" if debug or expected else DEBUG_HINT))
    return exit_code(exc)


def invoke(main: Callable[..., Any], argv: Sequence[str]) -> int:
    """Call a click/typer ``main`` on ``argv`` non-standalone; return the exit code.

    ``main`` is a typer app, a click command, or a command's bound ``main``; it
    is called as ``main(args, standalone_mode=False)``, so click hands its
    exceptions here instead of printing them its own way.
    """
    debug = debug_enabled(argv)
    try:
        result = main(strip_debug(argv), standalone_mode=False)
    except typer.Exit as exc:  # raised where click does not catch it itself
        return exc.exit_code
    except typer.Abort:  # EOF on a prompt; typer turns Ctrl-C into exit 130 itself
        error_line("aborted")
        return FAILED
    except KeyboardInterrupt:
        error_line("interrupted")
        return INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into lines
        if type(exc).__name__ == "NoArgsIsHelpError":  # "claimx" alone: the help, as click does
            cast(_ClickError, exc).show()
            return exit_code(exc)
        return report(exc, debug=debug)
    # Non-standalone click returns the command's value, or the code of a typer.Exit.
    return result if isinstance(result, int) else 0


def run(app: Callable[..., object], *, argv: Sequence[str] | None = None) -> NoReturn:
    """Run a typer/click app, turning every failure into one line and an exit code."""
    raise SystemExit(invoke(app, list(sys.argv[1:] if argv is None else argv)))


class OneLineErrorsGroup(TyperGroup):
    """A typer group whose standalone ``main`` reports errors through :func:`invoke`.

    ``typer.Typer(cls=OneLineErrorsGroup)`` makes the app itself behave as
    :func:`run` does, so ``CliRunner().invoke(app, ...)`` in tests sees exactly
    what a user sees.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_words(self)  # --help in words, not Python types (claimx.cli_help)

    def main(self, args: Sequence[str] | None = None, **kwargs: Any) -> Any:  # type: ignore[override]
        # click's main(args, prog_name, complete_var, standalone_mode, ...) differs between
        # typer versions; only args and standalone_mode matter here, the rest passes through
        # (by keyword, as CliRunner and Typer.__call__ pass them).
        if not kwargs.pop("standalone_mode", True):
            return super().main(args, standalone_mode=False, **kwargs)
        group_main = super().main

        def inner(inner_args: Sequence[str], **options: Any) -> Any:
            return group_main(inner_args, **kwargs, **options)

        sys.exit(invoke(inner, list(sys.argv[1:] if args is None else args)))
