"""``milepace analyze``: find the efforts in each file and print them (JSON Lines or a plain table)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from ._common import error_line, parse_goal, quiet_warnings


def _plain_table(source: str, contract: dict[str, Any]) -> str:
    """A compact plain-text table of one analysed file (the rich report replaces it later)."""
    from ..units import format_duration, format_pace

    lines = [f"{source}: {len(contract['efforts'])} effort(s)"]
    lines.append(
        f"{'#':>3} {'kind':<11} {'start':<20} {'time':>8} {'dist m':>8} {'pace':>9} {'recovery':>22}"
    )
    for e in contract["efforts"]:
        rec = e["recovery"]
        rec_text = (
            f"{format_duration(rec['duration_s'], decimals=0)} {rec['distance_m']:.0f} m {rec['kind']}"
            if rec
            else "–"
        )
        lines.append(
            f"{e['index']:>3} {e['kind']:<11} {e['start']:<20} {format_duration(e['duration_s']):>8} "
            f"{(e['distance_m'] or 0):>8.0f} {format_pace(e['pace_s_per_mile'] or float('nan')):>9} {rec_text:>22}"
        )
    return "\n".join(lines)


@app.command()
def analyze(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="FIT, GPX or TCX files (gzipped or not), folders, zips, Strava or Garmin exports."
        ),
    ],
    goal_mile: Annotated[
        str | None,
        typer.Option("--goal-mile", help="Goal mile time M:SS; intervals are judged against its pace."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per activity (JSON Lines, see DESIGN.md).")
    ] = False,
) -> None:
    """Find the interval reps, strides and hill repeats in each run, with the recovery after each."""
    from ..analysis import analyze as run_analysis
    from ..errors import MilepaceError
    from ..io.registry import read_many, strip_source
    from ..render.jsonl import analysis_to_contract, dumps, error_to_contract

    goal_s = parse_goal(goal_mile)
    failed = 0
    with quiet_warnings():
        for result in read_many([str(f) for f in files]):
            for warning in result.warnings:
                print(f"warning: {result.source}: {strip_source(warning, result.source)}", file=sys.stderr)
            try:
                if result.activity is None:
                    raise result.error or MilepaceError("could not be read")
                analysis = run_analysis(result.activity, goal_mile=goal_s)
            except MilepaceError as err:
                failed += 1
                error_line(result.source, str(err))
                if as_json:
                    print(dumps(error_to_contract(result.source, err)), flush=True)
                continue
            contract = analysis_to_contract(analysis, result.source)
            print(dumps(contract) if as_json else _plain_table(result.source, contract), flush=True)
    if failed:
        raise typer.Exit(code=2)
