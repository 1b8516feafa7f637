"""The session report as a terminal table a coach reads at a glance (rich), and the format switch.

One row per effort: what was planned, distance, time, target time, delta,
pace, verdict, then the recovery after it (time, distance, kind) and its
verdict against the plan. Planned reps nobody ran appear in plan order as
``missed`` rows. Beneath: the set summary, the time-trial splits and pacing
checks, and the data-quality warnings.

:func:`render_session` is the one entry point for every format.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..errors import UsageError
from ..report.session import RepCheck, SessionReport
from ..units import METERS_PER_MILE, format_duration, format_pace

Format = Literal["table", "markdown", "csv", "json"]

VERDICT_STYLE = {
    "on-target": "green",
    "fast": "cyan",
    "slow": "yellow",
    "no-target": "dim",
    "ok": "green",
    "no plan": "dim",
}


def render_session(
    report: SessionReport, fmt: Format = "table", console: Console | None = None, *, file: str | None = None
) -> str:
    """Render a session report.

    Parameters
    ----------
    report
        The report (:func:`milepace.report.session.session_report`).
    fmt
        ``table`` (rich), ``markdown``, ``csv`` (one row per effort) or ``json``
        (the DESIGN.md contract plus the reporter's keys, one line).
    console
        When given, the output is also printed there (with colour for ``table``).
    file
        The path as the user gave it, for the JSON ``file`` key.

    Returns
    -------
    str
        The rendered text (plain, without colour codes).
    """
    if fmt == "table":
        renderable = session_renderable(report)
        text = _plain(renderable)
        if console is not None:
            console.print(renderable)
        return text
    if fmt == "markdown":
        from .markdown import report_to_markdown

        text = report_to_markdown(report)
    elif fmt == "csv":
        from .csv import report_to_csv

        text = report_to_csv(report)
    elif fmt == "json":
        from .report_json import report_to_json

        text = report_to_json(report, file)
    else:
        raise UsageError(f"format must be table, markdown, csv or json, got {fmt!r}")
    if console is not None:
        console.print(
            text, markup=False, highlight=False, soft_wrap=True, end="" if text.endswith("\n") else "\n"
        )
    return text


def _plain(renderable: RenderableType) -> str:
    buf = io.StringIO()
    Console(file=buf, width=160, color_system=None, force_terminal=False, legacy_windows=False).print(
        renderable
    )
    return buf.getvalue()


# ---------------------------------------------------------------------------- cells shared with markdown
def title(report: SessionReport) -> str:
    """``file · date · goal mile 5:30 (82.0 s/400 m) · plan …``."""
    parts = [report.source]
    if report.start is not None:
        parts.append(report.start.strftime("%Y-%m-%d %H:%M UTC"))
    if report.goal_mile_s is not None:
        per400 = report.goal_mile_s * 400.0 / METERS_PER_MILE
        parts.append(f"goal mile {format_duration(report.goal_mile_s, decimals=0)} ({per400:.1f} s/400 m)")
    if report.paces is not None and report.paces.anchor_name != "mile":
        parts.append(report.paces.describe())
    if report.plan_text:
        parts.append(f"plan {report.plan_text}")
    return " · ".join(parts)


def distance_cell(r: RepCheck) -> str:
    """``800 m (812)`` — best distance, and the device's when it differs by 1 m or more."""
    text = f"{r.distance_m:.0f} m"
    if math.isfinite(r.measured_distance_m) and abs(r.measured_distance_m - r.distance_m) >= 1.0:
        text += f" ({r.measured_distance_m:.0f})"
    return text


def delta_cell(value: float, unit: str = "s") -> str:
    """``-1.9 s`` / ``+2.5 s``, or ``–``."""
    if not math.isfinite(value):
        return "–"
    rounded = round(value, 1)
    if rounded == 0:
        return f"0.0 {unit}".rstrip()
    return f"{rounded:+.1f} {unit}".rstrip()


def target_cell(r: RepCheck) -> str:
    """Target time for the distance run, or ``–``."""
    return format_duration(r.target_time_s) if math.isfinite(r.target_time_s) else "–"


def rep_name(r: RepCheck) -> str:
    """The planned rep as written, or the kind (``interval``, ``stride``, ``hill``)."""
    if r.plan_label:
        return r.plan_label
    if r.plan_status == "extra":
        return f"extra {r.kind.replace('_repeat', '')}"
    return r.kind.replace("_repeat", "")


def notes_cell(r: RepCheck) -> str:
    """Kind-specific facts: timed-rep distance, stride top speed and build, hill climb and GAP, HR."""
    notes: list[str] = []
    if math.isfinite(r.expected_distance_m):
        notes.append(f"{r.distance_m:.0f} m vs {r.expected_distance_m:.0f} m expected")
    if r.kind == "stride" and math.isfinite(r.top_speed_m_s):
        build = f", build {r.build_s:.0f} s" if math.isfinite(r.build_s) else ""
        notes.append(f"top {r.top_speed_m_s:.1f} m/s{build}")
    if r.kind == "hill_repeat":
        if math.isfinite(r.elevation_gain_m):
            notes.append(f"{r.elevation_gain_m:+.0f} m")
        if math.isfinite(r.grade_pct):
            notes.append(f"{r.grade_pct:.1f} %")
        if math.isfinite(r.gap_pace_s_per_mile):
            notes.append(f"GAP {format_pace(r.gap_pace_s_per_mile)}")
    if math.isfinite(r.avg_heart_rate_bpm):
        mx = f"/{r.max_heart_rate_bpm:.0f}" if math.isfinite(r.max_heart_rate_bpm) else ""
        notes.append(f"HR {r.avg_heart_rate_bpm:.0f}{mx}")
    return ", ".join(notes)


def recovery_cells(r: RepCheck) -> tuple[str, str]:
    """``2:01 402 m jog`` and its verdict (``ok``, ``short, walked`` … ``–``)."""
    rec = r.recovery
    if rec is None:
        return "–", ""
    verdict = "" if rec.verdict == "no plan" else rec.verdict
    if verdict and rec.planned and verdict != "ok":
        verdict = f"{verdict} (plan {rec.planned})"
    if math.isfinite(rec.hr_drop_bpm):
        verdict = f"{verdict} HR {-rec.hr_drop_bpm:+.0f}".strip()
    return rec.describe(), verdict


@dataclass(frozen=True)
class Row:
    """One line of the effort table (an effort or a missed planned rep)."""

    cells: tuple[str, ...]
    verdict: str
    recovery_verdict: str
    missed: bool = False


COLUMNS: tuple[str, ...] = (
    "#",
    "rep",
    "distance",
    "time",
    "target",
    "Δ",
    "pace",
    "Δ/mi",
    "verdict",
    "recovery",
    "rec. check",
    "notes",
)


def effort_rows(report: SessionReport) -> Iterator[Row]:
    """The effort rows in session order, with missed planned reps in their place."""
    missed = sorted(report.missed, key=lambda m: m.index)
    for r in report.reps:
        while missed and r.plan_index is not None and missed[0].index < r.plan_index:
            yield _missed_row(missed.pop(0).label)
        rec, rec_verdict = recovery_cells(r)
        yield Row(
            (
                str(r.effort_index),
                rep_name(r),
                distance_cell(r),
                format_duration(r.duration_s),
                target_cell(r),
                delta_cell(r.delta_s),
                format_pace(r.pace_s_per_mile),
                delta_cell(r.delta_s_per_mile, ""),
                "" if r.verdict == "no-target" else r.verdict,
                rec,
                rec_verdict,
                notes_cell(r),
            ),
            r.verdict,
            r.recovery.verdict if r.recovery else "",
        )
    for m in missed:
        yield _missed_row(m.label)


def _missed_row(label: str) -> Row:
    return Row(("–", label, "", "", "", "", "", "", "missed", "", "", ""), "missed", "", missed=True)


SET_COLUMNS = ("set", "n", "mean time", "mean pace", "spread", "fade", "CV", "on/fast/slow")


def set_rows(report: SessionReport) -> Iterator[tuple[str, ...]]:
    """One row per set: spread and fade in s when the reps are one distance, else in s/mile."""
    for s in report.sets:
        same = math.isfinite(s.spread_s)
        spread = f"{s.spread_s:.1f} s" if same else f"{s.spread_s_per_mile:.1f} s/mi"
        fade = f"{s.fade_s:+.1f} s" if same else f"{s.fade_s_per_mile:+.1f} s/mi"
        yield (
            s.label,
            str(s.n),
            format_duration(s.mean_duration_s),
            format_pace(s.mean_pace_s_per_mile),
            spread,
            fade,
            f"{s.cv_pct:.1f} %",
            f"{s.n_on_target}/{s.n_fast}/{s.n_slow}",
        )


SPLIT_COLUMNS = ("split", "to", "time", "cumulative", "goal", "Δ")


def split_rows(report: SessionReport) -> Iterator[tuple[str, ...]]:
    """One row per time-trial split."""
    t = report.time_trial
    if t is None:
        return
    for k, (end, split, cum, goal) in enumerate(
        zip(t.split_end_m, t.split_s, t.cumulative_s, t.goal_split_s, strict=True), start=1
    ):
        yield (
            str(k),
            f"{end:.0f} m",
            f"{split:.1f}",
            format_duration(cum),
            f"{goal:.1f}" if math.isfinite(goal) else "–",
            delta_cell(split - goal),
        )


def trial_lines(report: SessionReport) -> list[str]:
    """Last-lap 100 m splits and the pacing-plan checks, one line each."""
    t = report.time_trial
    if t is None:
        return []
    lines = []
    if t.last_lap_100m_s:
        lines.append("last lap by 100 m: " + " / ".join(f"{x:.1f}" for x in t.last_lap_100m_s) + " s")
    for c in t.checks:
        mark = "–" if c.ok is None else ("ok" if c.ok else "off plan")
        lines.append(f"{c.name}: {mark} — {c.detail}")
    return lines


# ---------------------------------------------------------------------------- rich
def session_renderable(report: SessionReport) -> RenderableType:
    """The rich renderable: efforts table, sets, time trial, warnings."""
    parts: list[RenderableType] = []
    table = Table(title=title(report), title_justify="left", header_style="bold", show_lines=False)
    right = {"#", "distance", "time", "target", "Δ", "pace", "Δ/mi"}
    for col in COLUMNS:
        table.add_column(col, justify="right" if col in right else "left", no_wrap=col != "notes")
    for row in effort_rows(report):
        cells = [Text(c) for c in row.cells]
        cells[8].stylize("bold red" if row.missed else VERDICT_STYLE.get(row.verdict, ""))
        rv = row.recovery_verdict
        cells[10].stylize(VERDICT_STYLE.get(rv, "yellow" if rv else ""))
        table.add_row(*cells, style="dim" if row.missed else None)
    if not report.reps and not report.missed:
        table.caption = "no efforts found"
    parts.append(table)
    sets = list(set_rows(report))
    if sets:
        st = Table(title="sets", title_justify="left", header_style="bold")
        for col in SET_COLUMNS:
            st.add_column(col, justify="left" if col == "set" else "right")
        for s in sets:
            st.add_row(*s)
        parts.append(st)
    splits = list(split_rows(report))
    if splits:
        t = report.time_trial
        assert t is not None
        tt = Table(
            title=f"time trial: effort {t.effort_index}, {t.distance_m:.0f} m in {format_duration(t.duration_s)}",
            title_justify="left",
            header_style="bold",
        )
        for col in SPLIT_COLUMNS:
            tt.add_column(col, justify="right")
        for s in splits:
            tt.add_row(*s)
        parts.append(tt)
        for line in trial_lines(report):
            parts.append(
                Text(line, style="green" if ": ok" in line else ("yellow" if "off plan" in line else ""))
            )
    for w in report.warnings:
        parts.append(Text(f"warning: {w}", style="yellow"))
    return Group(*parts)
