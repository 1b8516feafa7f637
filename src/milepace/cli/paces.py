"""``milepace paces``: the training-pace table for a goal mile (or a race), with splits."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from . import app
from ._common import parse_goal, usage_error


@app.command()
def paces(
    goal_mile: Annotated[
        str | None, typer.Option("--goal-mile", help="Goal mile time M:SS; anchors the table.")
    ] = None,
    race: Annotated[
        str | None,
        typer.Option("--race", help="A recent race such as 5k=18:37 to anchor the table instead."),
    ] = None,
    model: Annotated[
        str, typer.Option("--model", help="vdot (Daniels-Gilbert, default) or riegel.")
    ] = "vdot",
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as one JSON object.")] = False,
) -> None:
    """Print race-equivalent and training paces with 200/400/800/1200 m and mile splits."""
    from ..errors import MilepaceError
    from ..targets.paces import training_paces

    goal_s = parse_goal(goal_mile)
    if goal_s is None and race is None:
        raise usage_error("give --goal-mile M:SS or --race DIST=TIME (e.g. --race 5k=18:37)")
    if model not in ("vdot", "riegel"):
        raise usage_error(f"--model must be vdot or riegel, got {model!r}")
    try:
        table = training_paces(goal_mile_s=goal_s, race=race, model=model)  # type: ignore[arg-type]
    except MilepaceError as err:
        raise usage_error(str(err)) from None
    if as_json:
        frame = table.to_frame().round(2)
        print(
            json.dumps(
                {
                    "model": table.model,
                    "anchor": table.anchor_name,
                    "anchor_time_s": round(table.anchor_time_s, 2),
                    "vdot": round(table.vdot, 2),
                    "goal_mile_s": table.goal_mile_s,
                    "paces": [
                        {"name": name, **{k: (None if v != v else v) for k, v in row.items()}}
                        for name, row in frame.to_dict(orient="index").items()
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    _print_table(table)


_SHORT = {
    "1500": "1500",
    "mile": "mile",
    "3k": "3K",
    "5k": "5K",
    "10k": "10K",
    "hm": "half",
    "R": "R",
    "I": "I",
    "T": "T",
    "M": "M",
    "E": "E",
}


def _clock(seconds: float) -> str:
    from ..units import format_duration

    return format_duration(seconds, decimals=0)


def _print_table(table: object) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..targets.paces import SPLIT_DISTANCES_M, PaceTable
    from ..units import METERS_PER_MILE, format_duration

    assert isinstance(table, PaceTable)
    out = Table(
        title=table.describe(),
        title_justify="left",
        header_style="bold",
        caption="R/I/T/M/E: Daniels' repetition, interval, threshold, marathon, easy",
        caption_justify="left",
    )
    out.add_column("pace")
    out.add_column("/mile", justify="right")
    out.add_column("/km", justify="right")
    for d in SPLIT_DISTANCES_M:
        out.add_column("mile" if d == METERS_PER_MILE else f"{d:.0f}", justify="right")
    out.add_column("race", justify="right")
    km = 1000.0 / METERS_PER_MILE
    for row in table.rows:
        fast, slow = row.fast_pace_s_per_mile, row.slow_pace_s_per_mile
        if fast != slow:
            per_mile = f"{_clock(fast)}–{_clock(slow)}"
            per_km = f"{_clock(fast * km)}–{_clock(slow * km)}"
        else:
            per_mile, per_km = _clock(row.pace_s_per_mile), _clock(row.pace_s_per_mile * km)
        splits = [
            f"{row.split_s(d):.1f}"
            if d < 500
            else (format_duration(row.split_s(d)) if d < 1000 else _clock(row.split_s(d)))
            for d in SPLIT_DISTANCES_M
        ]
        race = _clock(row.race_time_s) if row.race_time_s == row.race_time_s else ""
        out.add_row(_SHORT.get(row.name, row.name), per_mile, per_km, *splits, race)
    Console().print(out)
