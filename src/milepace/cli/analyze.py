"""``milepace analyze``: find the efforts in each file and print them (JSON Lines or a plain table)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from ._common import error_line, parse_goal, quiet_warnings, usage_error


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


def _with_file_column(text: str, source: str, *, header: bool) -> str:
    """Prefix each CSV row with the file it came from (the header once, for the first file)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(["file", *rows[0]])
    for row in rows[1:]:
        writer.writerow([source, *row])
    return out.getvalue()


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
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            help='The workout as written, e.g. "6x800m@mile/400m jog" (see the README for the grammar).',
        ),
    ] = None,
    race: Annotated[
        str | None,
        typer.Option("--race", help="Anchor the paces on a race instead of the goal mile, e.g. 5k=18:37."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per activity (JSON Lines, see DESIGN.md).")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per effort.")] = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown report.")] = False,
    plain: Annotated[
        bool, typer.Option("--plain", help="Print the compact plain listing of the detected efforts.")
    ] = False,
) -> None:
    """Find the interval reps, strides and hill repeats in each run and judge them against the goal."""
    from ..analysis import analyze as run_analysis
    from ..errors import MilepaceError, PlanSyntaxError
    from ..io.registry import read_many, strip_source
    from ..render.jsonl import analysis_to_contract, dumps, error_to_contract

    chosen = [
        name
        for name, on in (
            ("--json", as_json),
            ("--csv", as_csv),
            ("--markdown", as_markdown),
            ("--plain", plain),
        )
        if on
    ]
    if len(chosen) > 1:
        raise usage_error(f"choose one output format, not {' and '.join(chosen)}")
    goal_s = parse_goal(goal_mile)
    parsed_plan = None
    if plan is not None:
        from ..plan.grammar import parse_plan

        try:
            parsed_plan = parse_plan(plan)
        except PlanSyntaxError as err:
            print(f"error: --plan: {err}", file=sys.stderr)
            raise typer.Exit(code=2) from None
    console = None
    if not (as_json or as_csv or as_markdown or plain):
        from rich.console import Console

        console = Console()
        if not console.is_terminal:
            # Piped or redirected: rich would fall back to 80 columns and squash the table.
            console = Console(width=150)
    failed = 0
    csv_header_done = False
    with quiet_warnings():
        for result in read_many([str(f) for f in files]):
            # The table, Markdown and JSON carry the data-quality warnings themselves; CSV rows and
            # the plain listing have no place for them, so those (and unreadable files) get them here.
            if as_csv or plain or result.activity is None:
                for warning in result.warnings:
                    print(
                        f"warning: {result.source}: {strip_source(warning, result.source)}", file=sys.stderr
                    )
            try:
                if result.activity is None:
                    raise result.error or MilepaceError("could not be read")
                analysis = run_analysis(result.activity, goal_mile=goal_s)
                if plain:
                    print(_plain_table(result.source, analysis_to_contract(analysis, result.source)))
                    continue
                from ..render.table import render_session
                from ..report.session import session_report

                report = session_report(analysis, goal_mile_s=goal_s, plan=parsed_plan, race=race)
                if as_json:
                    print(render_session(report, "json", file=result.source), flush=True)
                elif as_csv:
                    sys.stdout.write(
                        _with_file_column(
                            render_session(report, "csv"), result.source, header=not csv_header_done
                        )
                    )
                    csv_header_done = True
                elif as_markdown:
                    print(render_session(report, "markdown"), flush=True)
                else:
                    render_session(report, "table", console=console)
            except MilepaceError as err:
                failed += 1
                error_line(result.source, strip_source(str(err), result.source))
                if as_json:
                    print(dumps(error_to_contract(result.source, err)), flush=True)
    if failed:
        raise typer.Exit(code=2)
