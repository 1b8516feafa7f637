"""Block charts: weekly distance by kind of running, quality sessions, time-trial progression.

>>> import milepace
>>> from milepace.plot import weekly_chart                                  # doctest: +SKIP
>>> weekly_chart(milepace.block("export.zip", goal_mile="5:30")).savefig("weekly.png")  # doctest: +SKIP

Weekly distance is stacked by the kind of each run as the block check
classified it (:attr:`ActivityRow.kind <milepace.block.model.ActivityRow.kind>`):
easy, long, threshold, intervals, strides/hills (``strides``,
``hill_sprints``, ``hill_repeats``) and time trial/race. A run counts whole
in the ISO week (Monday to Sunday) of its local date, so each stack adds up
to :attr:`WeekSummary.distance_m <milepace.block.model.WeekSummary.distance_m>`.
Above each bar, one marker per quality session (threshold, intervals,
strides/hills, time trial or race) and the number of guidance warnings that
week; weeks only partly inside the block are hatched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ..errors import UsageError
from ..units import METERS_PER_MILE, format_duration
from .style import FONT_SIZE, SMALL_FONT_SIZE, figure_for, new_figure, signed_seconds, style_axes

if TYPE_CHECKING:
    from ..block.model import BlockReport

CATEGORIES: tuple[str, ...] = ("easy", "long", "threshold", "intervals", "strides/hills", "time trial/race")
"""Stack order, bottom to top."""
CATEGORY_OF_KIND: dict[str, str] = {
    "easy": "easy",
    "long": "long",
    "threshold": "threshold",
    "intervals": "intervals",
    "strides": "strides/hills",
    "hill_sprints": "strides/hills",
    "hill_repeats": "strides/hills",
    "time_trial": "time trial/race",
    "race": "time trial/race",
}
"""Session kind (:data:`milepace.block.sessions.SESSION_KINDS`) → stack category; others count as easy."""
CATEGORY_COLOURS: dict[str, str] = {
    "easy": "#9fc5e8",
    "long": "#3d85c6",
    "threshold": "#f6b26b",
    "intervals": "#e06666",
    "strides/hills": "#8e7cc3",
    "time trial/race": "#cc0000",
}
QUALITY_MARKERS: dict[str, tuple[str, str]] = {
    "threshold": ("s", "#e69138"),
    "intervals": ("o", "#cc0000"),
    "strides/hills": ("^", "#674ea7"),
    "time trial/race": ("*", "#000000"),
}
"""Marker shape and colour of each quality session's category."""


@dataclass(frozen=True)
class WeekStack:
    """One week's bar: distance by category [mi] and its quality sessions.

    Attributes
    ----------
    week, week_start
        ISO week label and Monday's date.
    miles
        Distance per category [mi], in :data:`CATEGORIES` order.
    quality
        ``(date, category)`` of each quality session, in date order.
    warnings
        Number of guidance checks that warn this week.
    partial
        True when only part of the week is inside the block.
    """

    week: str
    week_start: str
    miles: tuple[float, ...]
    quality: tuple[tuple[str, str], ...]
    warnings: int
    partial: bool

    @property
    def total_mi(self) -> float:
        """Week total [mi]."""
        return sum(self.miles)


def week_stacks(report: BlockReport) -> list[WeekStack]:
    """Split each week's distance by category (see the module docstring).

    Parameters
    ----------
    report
        A block report (:func:`milepace.block`).

    Returns
    -------
    list of WeekStack
        One per week of ``report.weeks``, in order.
    """
    by_week: dict[str, dict[str, float]] = {
        w.week_start: dict.fromkeys(CATEGORIES, 0.0) for w in report.weeks
    }
    quality: dict[str, list[tuple[str, str]]] = {w.week_start: [] for w in report.weeks}
    for a in report.activities:
        monday = _monday(a.date)
        if monday not in by_week:
            continue
        category = CATEGORY_OF_KIND.get(a.kind, "easy")
        by_week[monday][category] += a.distance_m / METERS_PER_MILE
        if category in QUALITY_MARKERS:
            quality[monday].append((a.date, category))
    warn = {w.week: 0 for w in report.weeks}
    for c in report.checks:
        if c.scope == "week" and c.status == "warn" and c.week in warn:
            warn[c.week] += 1
    return [
        WeekStack(
            week=w.week,
            week_start=w.week_start,
            miles=tuple(by_week[w.week_start][c] for c in CATEGORIES),
            quality=tuple(sorted(quality[w.week_start])),
            warnings=warn[w.week],
            partial=w.days_in_block < 7,
        )
        for w in report.weeks
    ]


def weekly_chart(report: BlockReport, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Draw weekly distance stacked by kind of running, with quality sessions marked.

    Parameters
    ----------
    report
        A block report (:func:`milepace.block`).
    ax
        Axes to draw into; a new 1200 px-wide figure when ``None``.
    title
        Title instead of the default ``Weekly distance — <first week> to <last week> …``.

    Returns
    -------
    Figure
        The figure drawn into; ``fig.milepace_weeks`` holds the :class:`WeekStack` list.

    Raises
    ------
    UsageError
        When the report has no weeks (no run could be read).
    """
    if not report.weeks:
        raise UsageError("needs a block with at least one run to chart, found none")
    fig, ax = figure_for(ax)
    style_axes(ax)
    stacks = week_stacks(report)
    xs = list(range(len(stacks)))
    base = [0.0] * len(stacks)
    for k, category in enumerate(CATEGORIES):
        heights = [s.miles[k] for s in stacks]
        if not any(h > 0 for h in heights):
            continue
        bars = ax.bar(
            xs,
            heights,
            bottom=base,
            width=0.7,
            color=CATEGORY_COLOURS[category],
            edgecolor="white",
            linewidth=0.6,
            label=category,
            zorder=2,
        )
        for s, bar in zip(stacks, bars, strict=True):
            bar.set_gid(f"{s.week}:{category}")
            if s.partial:
                bar.set_hatch("//")
        base = [b + h for b, h in zip(base, heights, strict=True)]
    top = max(base) if base else 1.0
    ax.set_ylim(0.0, top * 1.4 + 1.0)
    step = top * 0.055 + 0.2
    for x, s in zip(xs, stacks, strict=True):
        ax.text(
            x,
            s.total_mi + 0.01 * top,
            f"{s.total_mi:.1f}",
            ha="center",
            va="bottom",
            fontsize=SMALL_FONT_SIZE,
        )
        n = len(s.quality)
        for j, (when, category) in enumerate(s.quality):
            marker, colour = QUALITY_MARKERS[category]
            ax.plot(
                [x + (j - (n - 1) / 2) * 0.13],
                [s.total_mi + step * 1.6],
                marker=marker,
                color=colour,
                markersize=7,
                linestyle="none",
                zorder=4,
                gid=f"quality-{when}-{category}",
            )
        if s.warnings:
            ax.text(
                x,
                s.total_mi + step * 2.4,
                f"{s.warnings} warning{'s' if s.warnings > 1 else ''}",
                ha="center",
                va="bottom",
                fontsize=SMALL_FONT_SIZE,
                color="#c53030",
                gid=f"warnings-{s.week}",
            )
    ax.set_xticks(xs)
    ax.set_xticklabels(
        [f"{s.week[-3:]}\n{s.week_start[5:]}" + (" (part)" if s.partial else "") for s in stacks],
        fontsize=SMALL_FONT_SIZE if len(stacks) > 12 else FONT_SIZE,
    )
    ax.set_xlabel("ISO week (Monday's date)", fontsize=FONT_SIZE)
    ax.set_ylabel("distance [mi]", fontsize=FONT_SIZE)
    sec = ax.secondary_yaxis("right", functions=(_mi_to_km, _km_to_mi))
    sec.set_ylabel("distance [km]", fontsize=FONT_SIZE)
    sec.tick_params(labelsize=SMALL_FONT_SIZE)
    handles = [
        *ax.get_legend_handles_labels()[0],
        *[
            Line2D([], [], marker=m, color=c, linestyle="none", label=f"{cat} session")
            for cat, (m, c) in QUALITY_MARKERS.items()
        ],
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=SMALL_FONT_SIZE, ncol=5, framealpha=0.95)
    first, last = stacks[0], stacks[-1]
    goal = format_duration(report.goal_mile_s, decimals=0)
    runs = len(report.activities)
    ax.set_title(
        title
        or f"Weekly distance by kind of running — {first.week_start} to {_sunday(last.week_start)}\n"
        f"{runs} runs in {len(stacks)} weeks · goal mile {goal} · markers: quality sessions",
        fontsize=FONT_SIZE + 2,
        loc="left",
    )
    fig.milepace_weeks = stacks  # type: ignore[attr-defined]
    return fig


def progression_chart(report: BlockReport, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Draw the time-trial progression: each time trial or race as its mile equivalent, against the goal.

    Parameters
    ----------
    report
        A block report.
    ax
        Axes to draw into; a new 1200 px-wide figure when ``None``.
    title
        Title instead of the default.

    Returns
    -------
    Figure
        The figure drawn into. Without time trials the axes say so.
    """
    fig, ax = figure_for(ax, height_in=4.0)
    style_axes(ax)
    goal = report.goal_mile_s
    trials = list(report.time_trials)
    ax.axhline(
        goal,
        color="#2e9e44",
        ls="--",
        lw=1.2,
        gid="goal-mile",
        label=f"goal mile {format_duration(goal, decimals=0)}",
    )
    ax.set_title(
        title or "Time-trial progression (mile equivalent; races scaled by Riegel, exponent 1.06)",
        fontsize=FONT_SIZE + 1,
        loc="left",
    )
    ax.set_ylabel("mile time [m:ss]", fontsize=FONT_SIZE)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_duration(v, decimals=0)))
    if not trials:
        ax.text(
            0.5,
            0.5,
            "no time trials or races in this block",
            transform=ax.transAxes,
            ha="center",
            va="center",
        )
        ax.set_ylim(goal - 10.0, goal + 10.0)
        return fig
    days = [date.fromisoformat(t.date).toordinal() for t in trials]
    values = [t.mile_equivalent_s for t in trials]
    ax.plot(
        days,
        values,
        color="#333333",
        marker="o",
        lw=1.2,
        zorder=3,
        gid="progression",
        label="time trial / race",
    )
    for d, t in zip(days, trials, strict=True):
        text = f"{format_duration(t.mile_equivalent_s)}"
        if math.isfinite(t.change_s):
            text += f" ({signed_seconds(t.change_s)})"
        ax.annotate(
            text,
            (d, t.mile_equivalent_s),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=SMALL_FONT_SIZE,
        )
    lo, hi = min([*values, goal]), max([*values, goal])
    pad = max(0.2 * (hi - lo), 3.0)
    ax.set_ylim(lo - pad, hi + 2 * pad)
    span_days = [date.fromisoformat(w.week_start).toordinal() for w in report.weeks] or days
    ax.set_xlim(min([*span_days, *days]) - 1, max([*span_days, *days]) + 7)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: date.fromordinal(max(1, round(v))).isoformat()[5:])
    )
    ax.set_xlabel("date (month-day)", fontsize=FONT_SIZE)
    ax.legend(loc="upper right", fontsize=SMALL_FONT_SIZE, frameon=False)
    to_axes = blended_transform_factory(ax.transData, ax.transAxes)
    for d, t in zip(days, trials, strict=True):
        ax.text(
            d,
            0.02,
            f"{t.distance_m:.0f} m",
            transform=to_axes,
            ha="center",
            fontsize=SMALL_FONT_SIZE - 1,
            color="#666666",
        )
    return fig


def block_chart(report: BlockReport, *, title: str | None = None) -> Figure:
    """Weekly distance (top) and time-trial progression (bottom) in one 1200 × 800 px figure.

    Parameters
    ----------
    report
        A block report.
    title
        Title of the weekly panel instead of the default.

    Returns
    -------
    Figure
    """
    # weeks (categories) above, dates below: two x scales, so the panels do not share x
    fig, (top, bottom) = new_figure(2, height_ratios=(2.2, 1), height_in=8.0, sharex=False)
    weekly_chart(report, ax=top, title=title)
    progression_chart(report, ax=bottom)
    return fig


def _mi_to_km(mi: Any) -> Any:
    return np.asarray(mi, dtype=float) * (METERS_PER_MILE / 1000.0)


def _km_to_mi(km: Any) -> Any:
    return np.asarray(km, dtype=float) / (METERS_PER_MILE / 1000.0)


def _monday(day: str) -> str:
    d = date.fromisoformat(day[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


def _sunday(monday: str) -> str:
    return (date.fromisoformat(monday) + timedelta(days=6)).isoformat()


__all__ = [
    "CATEGORIES",
    "WeekStack",
    "block_chart",
    "progression_chart",
    "week_stacks",
    "weekly_chart",
]
