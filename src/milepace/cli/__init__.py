"""The ``milepace`` command line: argument parsing and printing only.

Each command lives in its own module (``cli/info.py``, ``cli/analyze.py`` …)
and registers itself on :data:`app`; the logic it calls lives in the
pipeline packages. Heavy imports happen inside the commands, so
``milepace --help`` stays fast.

Start-up: :data:`app` (and typer with it) is built on first use, and
:func:`main` runs a plain ``milepace info FILE... [--json]`` without typer:
typer's import and the pydantic adapters it builds to coerce arguments cost
about as much CPU as reading a one-hour FIT. Any other form of ``info``
(``--help``, unknown options, no files) goes through typer as before.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    app: typer.Typer

_COMMAND_MODULES = ("info", "analyze", "paces", "chart", "block")


def _make_app() -> typer.Typer:
    import typer

    return typer.Typer(
        name="milepace",
        help="Find the reps, strides and hill repeats in running watch files and judge them against goal-mile pace.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


def _app() -> typer.Typer:
    """The :data:`app`, built on first use."""
    built: typer.Typer | None = globals().get("app")
    if built is None:
        built = _make_app()
        globals()["app"] = built
    return built


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _register() -> None:
    for name in _COMMAND_MODULES:
        module = f"milepace.cli.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise


def _plain_info_call(argv: list[str]) -> tuple[list[str], bool] | None:
    """``(files, as_json)`` for ``info FILE... [--json]`` (options anywhere), else ``None`` (typer parses it)."""
    if len(argv) < 2 or argv[0] != "info":
        return None
    files: list[str] = []
    as_json = False
    for arg in argv[1:]:
        if arg == "--json":
            as_json = True
        elif arg.startswith("-"):
            return None
        else:
            files.append(arg)
    return (files, as_json) if files else None


def main() -> None:
    """Entry point of the ``milepace`` console script."""
    plain_info = _plain_info_call(sys.argv[1:])
    try:
        if plain_info is not None:
            from ._info import show

            files, as_json = plain_info
            try:
                code = show(files, as_json=as_json)
            except BrokenPipeError:  # `milepace info … | head`: quiet exit 1, as click does
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(1)
            sys.exit(code)
        _register()
        _app()()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
