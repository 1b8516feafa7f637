"""Render a :class:`~milepace.block.model.BlockReport`: rich tables, Markdown, CSV files, one JSON document.

The tables come in the order a coach reads them: weeks, then activities,
then the checks (the block verdicts and every week that warns), the
time-trial progression, then skipped files and errors. Distances are in
miles because the guidance is written in miles.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from ..block.model import ActivityRow, BlockReport, Check, WeekSummary
from ..units import METERS_PER_MILE, format_duration, format_pace

Format = Literal["table", "markdown", "json"]


def _mi(distance_m: float, digits: int = 1) -> str:
    if distance_m is None or not math.isfinite(distance_m):
        return "–"
    return f"{distance_m / METERS_PER_MILE:.{digits}f}"


def _pct(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:+.0f} %"


def _signed(value: float, unit: str) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:+.0f} {unit}"


def _efforts_text(a: ActivityRow) -> str:
    counts: dict[str, int] = {}
    for e in a.efforts:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    return ", ".join(f"{n}×{k.replace('_', ' ')}" for k, n in counts.items()) or "–"


def _verdicts_text(a: ActivityRow) -> str:
    return ", ".join(f"{n} {v}" for v, n in a.verdicts.items()) or "–"


def _week_status(week: WeekSummary, checks: Sequence[Check]) -> str:
    mine = [c for c in checks if c.scope == "week" and c.week == week.week]
    if mine and all(c.status == "skip" for c in mine):
        return "partial"
    warns = sum(1 for c in mine if c.status == "warn")
    return f"{warns} warn" if warns else "pass"


def week_rows(report: BlockReport) -> tuple[list[str], list[list[str]]]:
    """Header and text rows of the weeks table."""
    header = [
        "week",
        "runs",
        "mi",
        "vs prev",
        "long mi",
        "T mi",
        "T sess",
        "I mi",
        "I pace vs goal",
        "strides/hills",
        "rest",
        "time trial",
        "checks",
    ]
    rows = []
    for w in report.weeks:
        trials = "; ".join(format_duration(t.time_s) + f" ({_mi(t.distance_m, 2)} mi)" for t in w.time_trials)
        rows.append(
            [
                w.week,
                str(w.runs),
                _mi(w.distance_m),
                _pct(w.change_pct),
                _mi(w.long_run_m),
                _mi(w.threshold_m),
                str(w.threshold_sessions),
                _mi(w.interval_m),
                _signed(w.interval_vs_goal_s_per_mile, "s/mi"),
                str(w.strides_hill_sessions),
                str(w.rest_days),
                trials or "–",
                _week_status(w, report.checks),
            ]
        )
    return header, rows


def activity_rows(report: BlockReport) -> tuple[list[str], list[list[str]]]:
    """Header and text rows of the activities table."""
    header = ["date", "name", "kind", "mi", "time", "pace", "efforts", "verdicts", "file"]
    rows = []
    for a in report.activities:
        rows.append(
            [
                a.date,
                a.name or "–",
                a.kind.replace("_", " "),
                _mi(a.distance_m, 2),
                format_duration(a.duration_s, decimals=0),
                format_pace(a.pace_s_per_mile),
                _efforts_text(a),
                _verdicts_text(a),
                a.source,
            ]
        )
    return header, rows


def check_rows(report: BlockReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the checks table: every block check, then the week checks that warn."""
    header = ["status", "check"]
    rows = [[c.status, c.message] for c in report.checks if c.scope == "block"]
    rows += [[c.status, c.message] for c in report.checks if c.scope == "week" and c.status == "warn"]
    return header, rows


def trial_rows(report: BlockReport) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the time-trial progression."""
    header = ["date", "kind", "distance m", "time", "mile equivalent", "change", "vs goal", "file"]
    rows = [
        [
            t.date,
            t.kind.replace("_", " "),
            f"{t.distance_m:.0f}",
            format_duration(t.time_s),
            format_duration(t.mile_equivalent_s),
            _signed(t.change_s, "s"),
            _signed(t.vs_goal_s, "s"),
            t.source,
        ]
        for t in report.time_trials
    ]
    return header, rows


def _other_rows(report: BlockReport) -> tuple[list[str], list[list[str]]]:
    header = ["file", "status", "detail"]
    rows = [[s.source, s.reason, s.detail] for s in report.skipped]
    rows += [[e.source, "error", e.error] for e in report.errors]
    return header, rows


def _summary_line(report: BlockReport) -> str:
    s = report.stats
    return (
        f"goal mile {format_duration(report.goal_mile_s)} · {len(report.activities)} runs in "
        f"{len(report.weeks)} weeks · {s.files} files ({s.analysed} analysed, {s.from_cache} from cache, "
        f"{s.skipped} skipped, {s.failed} failed) in {s.wall_s:.1f} s on {s.workers} worker(s) · "
        f"block: {report.status}"
    )


# ---------------------------------------------------------------------- rich
def print_tables(report: BlockReport, console: Any = None) -> None:
    """Print the report as rich tables (weeks, activities, checks, time trials, skipped and errors)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console(highlight=False)
    style_of = {"pass": "green", "warn": "yellow", "skip": "dim", "error": "red", "partial": "dim"}

    def table(title: str, header: list[str], rows: list[list[str]], status_col: int | None = None) -> None:
        t = Table(title=title, title_justify="left", header_style="bold")
        for h in header:
            t.add_column(h, overflow="fold")
        for row in rows:
            cells: list[Any] = list(row)
            if status_col is not None:
                key = row[status_col].split()[-1] if row[status_col].endswith("warn") else row[status_col]
                cells[status_col] = Text(row[status_col], style=style_of.get(key, ""))
            t.add_row(*cells)
        console.print(t)

    header, rows = week_rows(report)
    table("Weeks", header, rows, status_col=len(header) - 1)
    header, rows = activity_rows(report)
    table("Activities", header, rows)
    header, rows = check_rows(report)
    table("Checks", header, rows, status_col=0)
    if report.time_trials:
        header, rows = trial_rows(report)
        table("Time trials", header, rows)
    header, rows = _other_rows(report)
    if rows:
        table("Skipped and failed files", header, rows, status_col=1)
    console.print(_summary_line(report))


# ---------------------------------------------------------------------- markdown
def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(report: BlockReport) -> str:
    """The report as a Markdown document (headings and pipe tables)."""
    parts = ["# Training block", "", _summary_line(report), ""]
    for title, (header, rows) in (
        ("Weeks", week_rows(report)),
        ("Activities", activity_rows(report)),
        ("Checks", check_rows(report)),
        ("Time trials", trial_rows(report)),
        ("Skipped and failed files", _other_rows(report)),
    ):
        if not rows and title in ("Time trials", "Skipped and failed files"):
            continue
        parts += [f"## {title}", "", _md_table(header, rows), ""]
    return "\n".join(parts)


# ---------------------------------------------------------------------- json / csv
def to_json(report: BlockReport, *, indent: int | None = None) -> str:
    """The ``--json`` document: one object with activities, weeks, checks, time trials, skipped, errors."""
    return json.dumps(report.to_dict(), indent=indent, allow_nan=False)


def write_csv_dir(report: BlockReport, directory: str | Path) -> list[Path]:
    """Write ``activities.csv``, ``weeks.csv``, ``efforts.csv`` and ``checks.csv`` into ``directory``.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("activities", "weeks", "efforts", "checks"):
        path = out / f"{name}.csv"
        report.to_frame(name).to_csv(path, index=False)
        written.append(path)
    return written


def render_block(report: BlockReport, fmt: Format = "table", *, width: int = 160) -> str:
    """The report as text in one format (``table``: the rich tables without colour, ``width`` columns)."""
    if fmt == "table":
        import io

        from rich.console import Console

        buffer = io.StringIO()
        print_tables(report, Console(file=buffer, width=width, no_color=True, highlight=False))
        return buffer.getvalue()
    if fmt == "markdown":
        return to_markdown(report)
    if fmt == "json":
        return to_json(report)
    raise ValueError(f"fmt must be 'table', 'markdown' or 'json', got {fmt!r}")
