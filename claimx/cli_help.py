"""Help in words: what each option takes, said as a reader says it, not as a Python type.

Typer derives the value column of ``--help`` from the parameter's annotation,
so ``claimx consolidate --help`` said ``<list[Path]>``, ``<int range> [x>=1]``,
``<str>`` and ``<bool>`` beside a flag. :func:`use_words` rewrites that column
for every parameter of a command tree, once, where the group is built
(:class:`claimx.cli_errors.OneLineErrorsGroup`), so every command of
``claimx`` and ``python -m claimx.eval`` gets it without a ``metavar=`` on
each option: ``PATH...``, ``N [at least 1]``, ``TEXT``, ``markdown|json|html``,
nothing beside a flag. An explicit ``metavar=`` is kept as written.

Typer versions before 0.20 printed click's metavars (``PATH``, ``INTEGER``),
which are words already; there the overrides below are never called.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

__all__ = ["in_words", "range_in_words", "use_words"]

_WORDS = {
    "path": "PATH",
    "file": "FILE",
    "dir": "FOLDER",
    "int": "N",
    "int range": "N",
    "float": "NUMBER",
    "float range": "NUMBER",
    "str": "TEXT",
    "datetime": "DATE",
    "bool": "",  # a flag takes no value: nothing to say
}


def in_words(label: str | None) -> str | None:
    """Typer's type label in words: ``<list[Path]>`` -> ``PATH...``, ``<int>`` -> ``N``."""
    if label is None:
        return None
    text = label.strip()
    repeated = text.endswith("...")
    text = text.removesuffix("...").strip("<>")
    if text.startswith("list[") and text.endswith("]"):
        text, repeated = text[5:-1], True
    if "|" in text:  # choices are words already
        words = text
    else:
        words = _WORDS.get(text.lower(), text.upper())
    return f"{words}..." if words and repeated else words


def range_in_words(text: str | None) -> str | None:
    """Typer's number range in words: ``x>=1`` -> ``at least 1``, ``1<=x<=9`` -> ``1 to 9``."""
    if not text:
        return text
    low, x, high = text.replace(" ", "").partition("x")
    if not x:
        return text
    low, high = low.removesuffix("<="), high.removeprefix(">=").removeprefix("<=")
    if low and high:
        return f"{low} to {high}"
    if ">=" in text:
        return f"at least {high}"
    return f"at most {high}" if high else text


class _WordsOption(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.metavar is not None:
            return str(self.metavar)
        words = in_words(super().display_type_rich(ctx))
        # A repeated option takes one value each time ("--prompt A --prompt B"), so no
        # "..." (which reads as several values after one flag); its help says "repeat".
        return words.removesuffix("...") if words and self.multiple else words

    def _get_number_range_help_str(self) -> str | None:
        return range_in_words(super()._get_number_range_help_str())


class _WordsArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return in_words(super().display_type_rich(ctx))

    def _get_number_range_help_str(self) -> str | None:
        return range_in_words(super()._get_number_range_help_str())


def _in_words(param: Any) -> None:
    if type(param) is TyperOption:
        param.__class__ = _WordsOption
    elif type(param) is TyperArgument:
        param.__class__ = _WordsArgument


def use_words(command: Any) -> None:
    """Say the values of every parameter of ``command`` (and its subcommands) in words."""
    for param in getattr(command, "params", []):
        _in_words(param)
    # The --help option is made when first asked for, and kept: make it now, in words.
    if isinstance(command, TyperCommand | TyperGroup):
        _in_words(command.get_help_option(command.context_class(command)))
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            use_words(sub)
