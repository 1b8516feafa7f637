"""The trace chart: speed over the whole session with the detected efforts shaded.

>>> from milepace.plot import trace_chart                  # doctest: +SKIP
>>> trace_chart(milepace.analyze("run.fit", goal_mile="5:30")).savefig("trace.png")  # doctest: +SKIP

The chart a runner looks at to see why the detector decided what it
decided: speed [m/s] against minutes since the start (wall clock, so timer
pauses show as gaps), smoothed over 5 s, with the goal-mile speed as a
dashed line, each detected effort shaded by kind (interval, stride, hill
repeat) and numbered, lap boundaries as thin vertical lines, timer pauses
hatched, and — for hill sessions — the elevation profile underneath. A
second axis on the right reads the same speed as pace [min:s per mile].
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ..errors import UsageError
from ..units import METERS_PER_MILE, format_duration
from .style import (
    FONT_SIZE,
    KIND_COLOURS,
    SMALL_FONT_SIZE,
    figure_for,
    new_figure,
    session_heading,
    session_subtitle,
    style_axes,
)

if TYPE_CHECKING:
    from ..activity import Activity
    from ..detect.model import Effort, SessionAnalysis
    from ..report.session import SessionReport

SMOOTH_S = 5.0
"""Width of the centred moving mean applied to speed [s]."""
PACE_TICKS_S_PER_MILE = (240, 270, 300, 330, 360, 390, 420, 480, 540, 600, 720, 900)
"""Paces marked on the right-hand axis [s/mile]."""
ZOOM_MARGIN_MIN = 2.0
"""Time shown before the first and after the last effort with ``zoom=True`` [min]."""
KIND_NAMES = {"interval": "interval", "stride": "stride", "hill_repeat": "hill repeat"}


def trace_chart(
    session: SessionReport | SessionAnalysis,
    *,
    ax: Axes | None = None,
    elevation: bool | None = None,
    zoom: bool = False,
    title: str | None = None,
) -> Figure:
    """Draw speed over time with the detected efforts shaded.

    Parameters
    ----------
    session
        A :class:`~milepace.detect.model.SessionAnalysis`, or a
        :class:`~milepace.report.session.SessionReport` that carries its analysis.
    ax
        Axes to draw into; a new 1200 px-wide figure when ``None``. With an
        ``ax`` the elevation profile goes on a twin axis of the same axes.
    elevation
        Draw the elevation profile underneath: ``True``, ``False``, or ``None``
        (when the session has hill repeats and the file records elevation).
    zoom
        Show only the stretch from 2 min before the first effort to 2 min
        after the last (strides and hill sprints are seconds long in an
        hour's run); the whole session when ``False`` or without efforts.
    title
        Title instead of the default ``Speed trace — <session> — <start>``.

    Returns
    -------
    Figure
        The figure drawn into; ``fig.milepace_spans`` holds ``(effort_index,
        kind, start_min, end_min)`` for each shaded effort [min since start].

    Raises
    ------
    UsageError
        When the report does not carry its analysis, or the activity has no
        speed, distance or positions to draw.
    """
    analysis, report = _analysis_of(session)
    activity = analysis.activity
    t0 = activity.start
    if t0 is None:
        raise UsageError("needs records with timestamps to draw a trace, found none")
    speed = speed_series(activity)
    if speed is None:
        raise UsageError(
            "needs speed, distance or positions in the records to draw a trace, found none of them"
        )
    has_elevation = (
        "elevation_m" in activity.records.columns and activity.records["elevation_m"].notna().sum() >= 2
    )
    want_elevation = (
        any(e.kind == "hill_repeat" for e in analysis.efforts) if elevation is None else bool(elevation)
    ) and has_elevation

    ax_elev: Axes | None = None
    own_panel = False  # elevation in a panel of its own (new figure) rather than on a twin axis
    if ax is None:
        if want_elevation:
            fig, (ax, ax_elev) = new_figure(2, height_ratios=(3, 1))
            own_panel = True
        else:
            fig, (ax,) = new_figure(1)
    else:
        fig, ax = figure_for(ax)
        ax_elev = ax.twinx() if want_elevation else None
    style_axes(ax)

    minutes = _minutes(speed.index, t0)
    ax.plot(minutes, speed.to_numpy(), color="#333333", lw=1.0, zorder=3, gid="speed")
    spans = _shade_efforts(ax, analysis.efforts, t0)
    _mark_laps(ax, activity, t0)
    _mark_pauses(ax, activity, t0)
    goal = report.goal_mile_s if report is not None else analysis.goal_mile_s
    handles: list[Line2D | Patch] = [
        Line2D([], [], color="#333333", lw=1.0, label=f"speed ({SMOOTH_S:.0f} s mean)")
    ]
    if goal:
        goal_speed = METERS_PER_MILE / goal
        ax.axhline(goal_speed, color="#2e9e44", ls="--", lw=1.0, zorder=2, gid="goal-speed")
        handles.append(
            Line2D(
                [],
                [],
                color="#2e9e44",
                ls="--",
                label=f"goal mile pace {format_duration(goal, decimals=0)}/mi",
            )
        )
    kinds = [k for k in KIND_COLOURS if any(e.kind == k for e in analysis.efforts)]
    handles += [Patch(color=KIND_COLOURS[k], alpha=0.3, label=KIND_NAMES[k]) for k in kinds]
    if not activity.laps.empty and len(activity.laps) > 1:
        handles.append(Line2D([], [], color="#999999", lw=0.8, ls="-", label="lap"))
    finite = speed.to_numpy()[np.isfinite(speed.to_numpy())]
    top = max(
        float(np.nanpercentile(finite, 99.5)) * 1.3 if len(finite) else 1.0,
        (METERS_PER_MILE / goal * 1.25) if goal else 0.0,
    )
    ax.set_ylim(0.0, top)
    x0, x1 = 0.0, float(minutes[-1]) if len(minutes) else 1.0
    if zoom and spans:
        x0 = max(x0, min(a for _i, _k, a, _b in spans) - ZOOM_MARGIN_MIN)
        x1 = min(x1, max(b for _i, _k, _a, b in spans) + ZOOM_MARGIN_MIN)
    ax.set_xlim(x0, x1)
    ax.set_ylabel("speed [m/s]", fontsize=FONT_SIZE)
    _pace_axis(ax)
    heading = title or (
        session_heading(report, "Speed trace") if report is not None else _heading_from(analysis)
    )
    sub = session_subtitle(report) if report is not None else _subtitle_from(analysis)
    ax.set_title(
        f"{heading}\n{sub} · {len(analysis.efforts)} efforts detected (numbered above)",
        fontsize=FONT_SIZE + 2,
        loc="left",
        pad=14,
    )
    legend = ax.legend(
        handles=handles, loc="upper left", fontsize=SMALL_FONT_SIZE, ncol=len(handles), framealpha=0.95
    )
    legend.set_zorder(6)

    if ax_elev is not None:
        elev = activity.records["elevation_m"].dropna()
        em = _minutes(elev.index, t0)
        if own_panel:
            style_axes(ax_elev)
            ax_elev.fill_between(
                em, elev.to_numpy(), float(elev.min()) - 1.0, color="#b0a080", alpha=0.6, gid="elevation"
            )
            ax_elev.set_ylabel("elevation [m]", fontsize=FONT_SIZE)
            _shade_efforts(ax_elev, analysis.efforts, t0, numbered=False)
            ax_elev.set_xlabel("time since start [min]", fontsize=FONT_SIZE)
        else:
            ax_elev.plot(em, elev.to_numpy(), color="#8a6d3b", lw=1.0, alpha=0.8, gid="elevation")
            ax_elev.set_ylabel("elevation [m]", fontsize=FONT_SIZE)
            ax.set_xlabel("time since start [min]", fontsize=FONT_SIZE)
    else:
        ax.set_xlabel("time since start [min]", fontsize=FONT_SIZE)
    fig.milepace_spans = spans  # type: ignore[attr-defined]
    return fig


def speed_series(activity: Activity) -> pd.Series | None:
    """Speed [m/s] on the records' timestamps, smoothed by a centred 5 s mean.

    Uses the recorded ``speed_m_s`` when present, else the change in
    ``distance_m`` over time. Gaps longer than 10 s are left as NaN so the
    line breaks there instead of bridging a pause.

    Returns
    -------
    pandas.Series or None
        ``None`` when neither channel has two values.
    """
    rec = activity.records
    raw: pd.Series | None = None
    if "speed_m_s" in rec.columns and rec["speed_m_s"].notna().sum() >= 2:
        raw = rec["speed_m_s"].dropna().astype(float)
    elif "distance_m" in rec.columns and rec["distance_m"].notna().sum() >= 2:
        d = rec["distance_m"].dropna().astype(float)
        dt = d.index.to_series().diff().dt.total_seconds()
        raw = (d.diff() / dt).where(dt > 0).clip(lower=0.0).dropna()
    elif {"lat_deg", "lon_deg"} <= set(rec.columns):
        from ..geo import cumulative_distance_m

        pos = rec[["lat_deg", "lon_deg"]].dropna()
        if len(pos) >= 2:
            cum = pd.Series(
                cumulative_distance_m(pos["lat_deg"].to_numpy(), pos["lon_deg"].to_numpy()), index=pos.index
            )
            dt = cum.index.to_series().diff().dt.total_seconds()
            raw = (cum.diff() / dt).where(dt > 0).clip(lower=0.0).dropna()
    if raw is None or len(raw) < 2:
        return None
    smooth = raw.rolling(pd.Timedelta(seconds=SMOOTH_S), center=True, min_periods=1).mean()
    gaps = raw.index.to_series().diff().dt.total_seconds() > 10.0
    if gaps.any():
        # a NaN just before each long gap breaks the line there
        breaks = raw.index[gaps.to_numpy()] - pd.Timedelta(milliseconds=1)
        smooth = pd.concat([smooth, pd.Series(np.nan, index=breaks)]).sort_index()
    return smooth


def _analysis_of(session: SessionReport | SessionAnalysis) -> tuple[SessionAnalysis, SessionReport | None]:
    from ..detect.model import SessionAnalysis
    from ..report.session import SessionReport

    if isinstance(session, SessionAnalysis):
        return session, None
    if isinstance(session, SessionReport):
        if session.analysis is None:
            raise UsageError(
                "needs a report built by session_report (it carries the analysis), found one without"
            )
        return session.analysis, session
    raise UsageError(f"needs a SessionAnalysis or SessionReport, got {type(session).__name__}")


def _minutes(index: pd.Index, t0: pd.Timestamp) -> np.ndarray:
    return np.asarray((pd.DatetimeIndex(index) - t0).total_seconds(), dtype=float) / 60.0


def _shade_efforts(
    ax: Axes, efforts: tuple[Effort, ...], t0: pd.Timestamp, *, numbered: bool = True
) -> list[tuple[int, str, float, float]]:
    spans: list[tuple[int, str, float, float]] = []
    top = blended_transform_factory(ax.transData, ax.transAxes)
    for e in efforts:
        a = (e.start - t0).total_seconds() / 60.0
        b = (e.end - t0).total_seconds() / 60.0
        ax.axvspan(
            a,
            b,
            color=KIND_COLOURS.get(e.kind, "#999999"),
            alpha=0.3,
            lw=0,
            zorder=1,
            gid=f"effort-{e.index}",
        )
        spans.append((e.index, e.kind, a, b))
        if numbered:
            ax.text(
                0.5 * (a + b),
                1.005,
                str(e.index),
                transform=top,
                ha="center",
                va="bottom",
                fontsize=SMALL_FONT_SIZE - 1,
                clip_on=False,
            )
    return spans


def _mark_laps(ax: Axes, activity: Activity, t0: pd.Timestamp) -> None:
    laps = activity.laps
    if laps.empty or len(laps) < 2:
        return
    for k, start in enumerate(laps["start"].iloc[1:], start=2):
        m = (pd.Timestamp(start) - t0).total_seconds() / 60.0
        ax.axvline(m, color="#999999", lw=0.8, zorder=2, gid=f"lap-{k}")


def _mark_pauses(ax: Axes, activity: Activity, t0: pd.Timestamp) -> None:
    pauses = activity.pauses
    if pauses.empty:
        return
    for start, end in zip(pauses["start"], pauses["end"], strict=True):
        a = (pd.Timestamp(start) - t0).total_seconds() / 60.0
        b = (pd.Timestamp(end) - t0).total_seconds() / 60.0
        ax.axvspan(a, b, facecolor="none", edgecolor="#bbbbbb", hatch="///", lw=0, zorder=1, gid="pause")


def _pace_axis(ax: Axes) -> None:
    """A right-hand axis at the same height reading pace [min:s per mile]."""

    def to_pace(v: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0.05, METERS_PER_MILE / np.maximum(v, 0.05), METERS_PER_MILE / 0.05)

    sec = ax.secondary_yaxis("right", functions=(to_pace, to_pace))
    sec.yaxis.set_major_locator(FixedLocator(list(PACE_TICKS_S_PER_MILE)))
    sec.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_duration(v, decimals=0)))
    sec.set_ylabel("pace [min:s per mile]", fontsize=FONT_SIZE)
    sec.tick_params(labelsize=SMALL_FONT_SIZE)


def _heading_from(analysis: SessionAnalysis) -> str:
    from pathlib import Path

    from .style import local_start

    meta = analysis.activity.meta
    name = meta.name or Path(meta.source.split("!")[-1]).name or "session"
    return f"Speed trace — {name} — {local_start(analysis.activity.start, meta.utc_offset_s)}"


def _subtitle_from(analysis: SessionAnalysis) -> str:
    goal = analysis.goal_mile_s
    return (
        f"goal mile {format_duration(goal, decimals=0)}"
        if goal and math.isfinite(goal)
        else "no goal mile given"
    )
