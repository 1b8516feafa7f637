"""The body of ``milepace info``, free of typer so a plain ``info`` call can skip typer's import.

:func:`milepace.cli.main` runs :func:`show` directly for ``milepace info
FILE... [--json]`` (typer, and the pydantic adapters it builds to coerce the
arguments, cost more start-up CPU than reading a one-hour FIT); every other
form goes through the typer command in ``cli/info.py``, which calls the same
:func:`show`.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any


def _fmt_duration(seconds: float | None) -> str:
    from ..units import format_duration

    return "unknown" if seconds is None else format_duration(seconds, decimals=0)


def _fmt_distance(meters: float | None) -> str:
    from ..units import METERS_PER_MILE

    if meters is None:
        return "unknown"
    return f"{meters / 1000:,.2f} km ({meters / METERS_PER_MILE:,.2f} mi)"


def _rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    device = " ".join(str(v) for v in summary["device"].values() if v) or "unknown"
    sport = summary["sport"] or "unknown"
    if summary["sub_sport"]:
        sport += f" / {summary['sub_sport']}"
    if not summary["is_run"]:
        sport += "  (not a run)"
    rows = [
        ("format", f"{summary['format']}  (decoder: {summary['decoder'] or 'unknown'})"),
        ("device", device),
        ("sport", sport),
    ]
    if summary["name"]:
        rows.append(("name", str(summary["name"])))
    strava = summary.get("strava")
    if strava:
        rows.append(
            ("strava", f"{strava['type'] or '?'} #{strava['activity_id']} on {strava['date'] or '?'}")
        )
    rows += [
        ("start (UTC)", summary["start_utc"] or "no records"),
        ("start (local)", summary["start_local"] or "unknown (the file records no UTC offset)"),
        (
            "duration",
            f"{_fmt_duration(summary['elapsed_s'])} elapsed, {_fmt_duration(summary['timer_s'])} timer, "
            f"{_fmt_duration(summary['moving_s'])} moving",
        ),
        ("distance", _fmt_distance(summary["distance_m"])),
        (
            "records",
            f"{summary['records']:,}  ·  laps {summary['laps']}  ·  pauses {summary['pauses']}"
            f" ({_fmt_duration(summary['paused_s'])})",
        ),
        ("channels", ", ".join(summary["channels"]) or "none"),
    ]
    return rows


def show(files: list[str], *, as_json: bool = False) -> int:
    """Print what each file (and archive member) holds; return the exit code.

    Parameters
    ----------
    files
        Paths as given (files, folders, archives); kept as strings so sources
        are reported exactly as typed (``./run.fit``, not ``run.fit``).
    as_json
        One JSON object per activity (JSON Lines) instead of tables.

    Returns
    -------
    int
        0 when every activity was read, 2 when any could not be.
    """
    from ..io.registry import read_many, strip_source
    from ..summary import activity_summary

    console = None
    if not as_json:
        from rich.console import Console

        console = Console(highlight=False)
    failed = 0
    # warnings are collected (as cli._common.quiet_warnings does) and printed as one short line each
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        for result in read_many(files):
            for warning in result.warnings:
                print(f"warning: {result.source}: {strip_source(warning, result.source)}", file=sys.stderr)
            if result.activity is None:
                from ._common import error_line  # imports typer: only on the error path

                failed += 1
                message = (
                    strip_source(str(result.error), result.source) if result.error else "could not be read"
                )
                error_line(result.source, message)
                if as_json:
                    line = {"file": result.source, "status": "error", "error": " ".join(message.split())}
                    print(json.dumps(line), flush=True)
                continue
            summary = activity_summary(result.activity)
            if as_json:
                summary["warnings"] = list(result.warnings)
                print(
                    json.dumps({"file": result.source, "status": "ok", "error": None, **summary}), flush=True
                )
            else:
                assert console is not None
                _print_table(console, result.source, summary)
    return 2 if failed else 0


def _print_table(console: Any, source: str, summary: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    # the source as its own unwrapped line: archive member names are long and must stay copyable
    console.print(Text(source, style="bold underline"), soft_wrap=True)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in _rows(summary):
        table.add_row(key, value)
    console.print(table)
    console.print()
