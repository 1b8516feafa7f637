"""The ``milepace`` command line: argument parsing and printing only.

Each command lives in its own module (``cli/info.py``, ``cli/analyze.py`` …)
and registers itself on :data:`app`; the logic it calls lives in the
pipeline packages. Heavy imports happen inside the commands, so
``milepace --help`` stays fast.
"""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="milepace",
    help="Find the reps, strides and hill repeats in running watch files and judge them against goal-mile pace.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_COMMAND_MODULES = ("info", "analyze", "paces", "chart", "block")


def _register() -> None:
    for name in _COMMAND_MODULES:
        module = f"milepace.cli.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise


def main() -> None:
    """Entry point of the ``milepace`` console script."""
    _register()
    try:
        app()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
