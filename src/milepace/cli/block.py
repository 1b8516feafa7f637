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
    goal_mile: Annotated[str, typer.Option("--goal-mile", help="Goal mile time, M:SS (e.g. 5:30).")],
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders, zips, Strava or Garmin exports holding the block's activities; "
            "fsspec URLs (s3://…, gs://…, memory://…) too.",
            show_default=False,
        ),
    ] = None,
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
        str,
        typer.Option(
            "--engine", help="Where files are analysed: local (process pool), serial, or dask (a cluster)."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler address for --engine dask (default: a local cluster of --workers processes).",
        ),
    ] = None,
    manifest: Annotated[
        str | None,
        typer.Option(
            "--manifest",
            metavar="FILE",
            help="CSV listing the files (a 'path' column; paths relative to the CSV; URLs allowed).",
        ),
    ] = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="COLUMN",
            help="With --manifest: one block per value of this column (the athlete), and a squad summary.",
        ),
    ] = None,
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
    if not paths and manifest is None:
        raise usage_error("give the block's files (PATH...) or --manifest FILE")
    if group_by is not None and (manifest is None or paths):
        raise usage_error("--group-by needs --manifest FILE (and no PATH)")
    if group_by is not None and (markdown or csv_dir is not None or chart is not None):
        raise usage_error(
            "--group-by prints a squad table or, with --json, JSON Lines; not --markdown, --csv or --chart"
        )
    try:
        checks = CheckConfig().with_overrides(_parse_rules(rule))
    except MilepaceError as err:
        raise usage_error(f"--rule: {err}") from None

    from rich.console import Console

    err_console = Console(stderr=True, highlight=False)
    show_progress = not quiet and sys.stderr.isatty()
    progress_cb, progress_ctx = _progress(err_console, show_progress)
    if group_by is not None and manifest is not None:
        _squad(manifest, group_by, goal_s if goal_s is not None else goal_mile, checks, as_json, no_cache,
               engine, scheduler, workers, since, until, progress_cb, progress_ctx)  # fmt: skip
        return
    try:
        with quiet_warnings(), progress_ctx:
            report = run_block(
                list(paths or ()),
                goal_mile=goal_s if goal_s is not None else goal_mile,
                checks=checks,
                cache=not no_cache,
                engine=engine,
                workers=workers,
                since=since,
                until=until,
                progress=progress_cb,
                scheduler=scheduler,
                manifest=manifest,
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


def _squad(
    manifest: str,
    group_by: str,
    goal_mile: str | float,
    checks: Any,
    as_json: bool,
    no_cache: bool,
    engine: str,
    scheduler: str | None,
    workers: int | None,
    since: str | None,
    until: str | None,
    progress_cb: Any,
    progress_ctx: Any,
) -> None:
    """``--group-by``: a block per athlete; JSON Lines with --json, else the squad summary table."""
    from ..block.squad import squad
    from ..errors import MilepaceError

    try:
        with quiet_warnings(), progress_ctx:
            result = squad(
                manifest,
                group_by=group_by,
                goal_mile=goal_mile,
                checks=checks,
                cache=not no_cache,
                engine=engine,
                scheduler=scheduler,
                workers=workers,
                since=since,
                until=until,
                progress=progress_cb,
            )
    except MilepaceError as err:
        raise usage_error(str(err)) from None
    for name, report in result.reports.items():
        for e in report.errors:
            error_line(e.source, f"({name}) {e.error}")
    if as_json:
        for line in result.to_jsonl():
            print(line)
    else:
        from rich.console import Console
        from rich.table import Table

        from ..units import METERS_PER_MILE, format_duration

        def mi(value: float) -> str:
            return "–" if value != value else f"{value / METERS_PER_MILE:.1f}"

        table = Table(title=f"squad: {len(result.athletes)} athletes, {result.stats.files} files")
        for column in (group_by, "goal", "status", "runs", "weeks", "mi/week", "peak mi", "longest mi",
                       "best TT (mile eq.)", "warnings", "failed"):  # fmt: skip
            table.add_column(column, justify="left" if column in (group_by, "status") else "right")
        for a in result.athletes:
            table.add_row(a.athlete, format_duration(a.goal_mile_s, decimals=0), a.status, str(a.runs), str(a.weeks),
                          mi(a.mean_weekly_distance_m), mi(a.peak_weekly_distance_m), mi(a.longest_run_m),
                          format_duration(a.best_mile_equivalent_s, decimals=0), str(a.warnings), str(a.failed))  # fmt: skip
        Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)
    if not result.ok:
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
        # redrawn as each file finishes, not from a refresh thread: with no thread running the
        # block's worker pool can fork (see milepace.block.engine.start_method), ~1 s sooner
        auto_refresh=False,
    )
    task = progress.add_task("files", total=None)

    def update(done: int, total: int, source: str) -> None:
        progress.update(task, completed=done, total=total, refresh=True)

    return update, progress
