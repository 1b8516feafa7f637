"""``milepace info FILE...``: what is in each file (and each archive member), without analysing it.

The body lives in ``cli/_info.py`` (no typer import), which
:func:`milepace.cli.main` also runs directly for a plain ``info`` call.
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import app


@app.command()
def info(
    files: Annotated[
        list[str],
        typer.Argument(
            help="FIT, GPX or TCX files (gzipped or not), folders, zips, Strava or Garmin exports."
        ),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print one JSON object per activity (JSON Lines) instead of tables."),
    ] = False,
) -> None:
    """Show what each activity file holds: format, device, sport, start, duration, distance, channels."""
    from ._info import show

    code = show(files, as_json=as_json)
    if code:
        raise typer.Exit(code=code)
