"""``milepace block PATH... --goal-mile M:SS``: a whole training block against the mile-training guidance."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app
from ._common import error_line, parse_goal, quiet_warnings, usage_error


def _parse_rules(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise usage_error(f"--rule needs NAME=VALUE (e.g. weekly_min_mi=35), got {item!r}")
        out[name.strip()] = value.strip()
    return out


@app.command()
def block(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files, folders, zips, Strava or Garmin exports holding the block's activities."),
    ],
    goal_mile: Annotated[str, typer.Option("--goal-mile", help="Goal mile time, M:SS (e.g. 5:30).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON document (activities, weeks, checks, errors).")
    ] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the report as Markdown.")] = False,
    csv_dir: Annotated[
        Path | None,
        typer.Option("--csv", help="Write activities.csv, weeks.csv, efforts.csv and checks.csv into DIR."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Analyse every file again; neither read nor write the cache.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Worker processes (default: the CPUs available).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Where files are analysed: local or serial.")
    ] = "local",
    since: Annotated[str | None, typer.Option("--since", help="First day of the block, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day of the block, YYYY-MM-DD.")] = None,
    rule: Annotated[
        list[str] | None,
        typer.Option(
            "--rule", help="Override a guidance threshold, NAME=VALUE (e.g. weekly_min_mi=35); repeatable."
        ),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also write the weekly-distance chart to this .png or .svg file."),
    ] = None,
) -> None:
    """Check a training block: weekly volume, long run, threshold, intervals, strides, time trials, rest."""
    from ..block.checks import CheckConfig
    from ..block.run import block as run_block
    from ..errors import MilepaceError
    from ..render.block import print_tables, to_json, to_markdown, write_csv_dir

    goal_s = parse_goal(goal_mile)
    if as_json and markdown:
        raise usage_error("choose one of --json and --markdown")
    try:
        checks = CheckConfig().with_overrides(_parse_rules(rule))
    except MilepaceError as err:
        raise usage_error(f"--rule: {err}") from None

    from rich.console import Console

    err_console = Console(stderr=True, highlight=False)
    show_progress = not quiet and sys.stderr.isatty()
    progress_cb, progress_ctx = _progress(err_console, show_progress)
    try:
        with quiet_warnings(), progress_ctx:
            report = run_block(
                [str(p) for p in paths],
                goal_mile=goal_s if goal_s is not None else goal_mile,
                checks=checks,
                cache=not no_cache,
                engine=engine,
                workers=workers,
                since=since,
                until=until,
                progress=progress_cb,
            )
    except MilepaceError as err:
        raise usage_error(str(err)) from None

    for e in report.errors:
        error_line(e.source, e.error)
    if csv_dir is not None:
        try:
            write_csv_dir(report, csv_dir)
        except OSError as err:
            raise usage_error(f"--csv: cannot write into {csv_dir}: {err.strerror or err}") from None
    if chart is not None:
        from ..plot import save, weekly_chart

        try:
            save(weekly_chart(report), chart)
        except MilepaceError as err:
            raise usage_error(f"--chart: {err}") from None
    if as_json:
        print(to_json(report))
    elif markdown:
        print(to_markdown(report))
    else:
        # a pipe or file gets the full width of the tables rather than 80 columns
        print_tables(report, Console(highlight=False, width=None if sys.stdout.isatty() else 200))
    if report.errors:
        raise typer.Exit(code=1)


def _progress(console: Any, enabled: bool) -> tuple[Any, Any]:
    """A rich progress bar on stderr (or a no-op) and its context manager."""
    from contextlib import nullcontext

    if not enabled:
        return None, nullcontext()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("files", total=None)

    def update(done: int, total: int, source: str) -> None:
        progress.update(task, completed=done, total=total)

    return update, progress
