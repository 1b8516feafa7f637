"""``milepace chart FILE -o laps.png``: draw a session's lap-pacing, speed-trace or time-trial chart."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import app
from ._common import error_line, parse_goal, quiet_warnings, usage_error


class ChartKind(str, Enum):
    """Which chart to draw."""

    laps = "laps"
    trace = "trace"
    trial = "trial"


class Measure(str, Enum):
    """What the lap chart's bars measure."""

    auto = "auto"
    time = "time"
    pace = "pace"


@app.command()
def chart(
    file: Annotated[
        Path, typer.Argument(help="One FIT, GPX or TCX file (gzipped or not), or a zip holding one.")
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Chart file to write; .png or .svg (chosen by the extension)."),
    ],
    kind: Annotated[
        ChartKind,
        typer.Option(
            "--kind",
            help="laps: reps against the target band; trace: speed over time; trial: time-trial splits.",
        ),
    ] = ChartKind.laps,
    goal_mile: Annotated[
        str | None, typer.Option("--goal-mile", help="Goal mile time M:SS; sets the target band.")
    ] = None,
    plan: Annotated[
        str | None, typer.Option("--plan", help='The workout as written, e.g. "6x800m@mile/400m jog".')
    ] = None,
    measure: Annotated[
        Measure,
        typer.Option(
            "--measure", help="Lap chart bars: rep time, pace, or auto (time when reps are one distance)."
        ),
    ] = Measure.auto,
) -> None:
    """Draw a chart of one session: laps (default), trace or trial; PNG or SVG by the file extension."""
    from ..errors import MilepaceError, PlanSyntaxError

    goal_s = parse_goal(goal_mile)
    if plan is not None:
        from ..plan.grammar import parse_plan

        try:
            parse_plan(plan)
        except PlanSyntaxError as err:  # its caret line needs its own lines, not error_line's one
            print(f"error: --plan: {err}", file=sys.stderr)
            raise typer.Exit(code=2) from None
    suffix = output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise usage_error(f"-o/--output must end in .png or .svg, got {output.name!r}")
    from ..analysis import analyze
    from ..io import read
    from ..plot import lap_chart, save, trace_chart, trial_chart
    from ..report.session import session_report

    with quiet_warnings():
        try:
            activity = read(str(file))
            analysis = analyze(activity, goal_mile=goal_s)
            report = session_report(analysis, goal_mile_s=goal_s, plan=plan)
            if kind is ChartKind.laps:
                fig = lap_chart(report, metric=measure.value)
            elif kind is ChartKind.trace:
                fig = trace_chart(report)
            else:
                fig = trial_chart(report)
            save(fig, output)
        except MilepaceError as err:
            error_line(str(file), str(err))
            raise typer.Exit(code=2) from None
    for warning in report.warnings:
        print(f"warning: {file}: {warning}", file=sys.stderr)
    print(f"wrote {output} ({kind.value} chart, {len(report.reps)} efforts)")
