"""The time-trial chart: 400 m splits against the goal split and the lap-by-lap plan.

>>> from milepace.plot import trial_chart                                   # doctest: +SKIP
>>> report = milepace.session_report(milepace.analyze("tt.fit"), goal_mile_s=330.0)  # doctest: +SKIP
>>> trial_chart(report).savefig("trial.png")                                # doctest: +SKIP

Left: one bar per split (:attr:`~milepace.report.time_trial.TimeTrialSplits.split_s`;
a mile is 409 m then three 400 m laps), the goal split
(``goal_split_s``) as a dashed mark across each bar, and, for a mile, the
lap-by-lap plan of the mile-training guidance the reporter checks: lap 1
about 1 s slower than the goal split (:attr:`Tolerance.trial_lap1_slow_s`),
lap 2 that second back so the 800 m is on goal pace, lap 3 held on the goal
split. Bars are coloured as in the lap chart: on target within the
reporter's rep tolerance for the split's distance (1 s per 400 m), else
fast or slow. Each bar is labelled with its time, its delta to goal and the
running total; under each lap, whether that line of the plan was met.
Right: the last lap in four 100 m splits against the goal 100 m split — the
plan is to build, each 100 m faster than the one before.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..errors import UsageError
from ..units import METERS_PER_MILE, format_duration
from .style import (
    BAND_COLOUR,
    FONT_SIZE,
    SMALL_FONT_SIZE,
    VERDICT_COLOURS,
    figure_for,
    session_heading,
    session_subtitle,
    signed_seconds,
    style_axes,
)

if TYPE_CHECKING:
    from ..report.session import SessionReport
    from ..report.time_trial import TimeTrialSplits

PLAN_COLOUR = "#805ad5"
CHECK_FOR_SPLIT = {"lap 1": 0, "800 m": 1, "lap 3": 2, "lap 4": 3}
"""Which split each line of the reporter's pacing plan is shown under."""


def plan_split_s(trial: TimeTrialSplits, lap1_slow_s: float = 1.0) -> tuple[float, ...]:
    """The lap-by-lap plan for a mile [s]: lap 1 ``lap1_slow_s`` over goal, lap 2 that back, laps 3–4 on goal.

    Parameters
    ----------
    trial
        Splits with a goal (four splits: a mile).
    lap1_slow_s
        How much slower than the goal split lap 1 is planned [s].

    Returns
    -------
    tuple of float
        Planned time per split [s]; empty when there is no goal or the effort is not four splits long.

    Examples
    --------
    For a 5:30 goal the mile's splits are 409.344 m and 3 × 400 m, so the goal
    splits are 83.94, 82.02, 82.02, 82.02 s and the plan 84.94, 81.02, 82.02, 82.02 s.
    """
    goal = trial.goal_split_s
    if len(goal) != 4 or not all(math.isfinite(g) for g in goal):
        return ()
    return (goal[0] + lap1_slow_s, goal[1] - lap1_slow_s, goal[2], goal[3])


def trial_chart(report: SessionReport, *, ax: Axes | None = None, title: str | None = None) -> Figure:
    """Draw a time trial's 400 m splits (and, in a new figure, its last-lap 100 m splits).

    Parameters
    ----------
    report
        A session report holding a time trial (``report.time_trial``).
    ax
        Axes for the 400 m splits; a new 1200 px-wide figure with a second
        panel for the last lap's 100 m splits when ``None``.
    title
        Title instead of the default ``Time trial — <session> — <start>``.

    Returns
    -------
    Figure
        The figure drawn into.

    Raises
    ------
    UsageError
        When the report holds no time trial.
    """
    trial = report.time_trial
    if trial is None:
        raise UsageError(
            "needs a session with a time trial (one long effort of about a mile or more), found none; "
            "try --kind laps"
        )
    if ax is None:
        fig = Figure(figsize=(12.0, 6.0), dpi=100, layout="constrained")
        ax, ax_last = fig.subplots(1, 2, gridspec_kw={"width_ratios": (2.2, 1)})
    else:
        fig, ax = figure_for(ax)
        ax_last = None
    style_axes(ax)
    _splits(ax, trial, report)
    head = title or session_heading(report, "Time trial")
    total = f"{trial.distance_m:.0f} m in {format_duration(trial.duration_s)}"
    goal = report.goal_mile_s
    if math.isfinite(trial.goal_pace_s_per_mile):
        goal_total = trial.goal_pace_s_per_mile * trial.distance_m / METERS_PER_MILE
        total += f" (goal {format_duration(goal_total)}, {signed_seconds(trial.duration_s - goal_total)})"
    elif goal is None:
        total += " · no goal given"
    fig.suptitle(f"{head}\n{session_subtitle(report)} · {total}", x=0.01, ha="left", fontsize=FONT_SIZE + 2)
    if ax_last is not None:
        style_axes(ax_last)
        _last_lap(ax_last, trial)
    return fig


def _splits(ax: Axes, trial: TimeTrialSplits, report: SessionReport) -> None:
    n = len(trial.split_s)
    xs = list(range(1, n + 1))
    has_goal = all(math.isfinite(g) for g in trial.goal_split_s)
    plan = plan_split_s(trial, report.tolerance.trial_lap1_slow_s)
    values = list(trial.split_s) + ([*trial.goal_split_s] if has_goal else []) + list(plan)
    lo, hi = min(values), max(values)
    pad = max(0.15 * (hi - lo), 1.0)
    bottom, top = lo - 2.5 * pad, hi + 2.5 * pad
    ax.set_ylim(bottom, top)
    starts = (0.0, *trial.split_end_m[:-1])
    colours = []
    for k in range(n):
        delta = trial.split_s[k] - trial.goal_split_s[k] if has_goal else math.nan
        allow = report.tolerance.rep_allowance_s(trial.split_end_m[k] - starts[k])
        if not math.isfinite(delta):
            colours.append(VERDICT_COLOURS["no-target"])
        elif abs(delta) <= allow:
            colours.append(VERDICT_COLOURS["on-target"])
        else:
            colours.append(VERDICT_COLOURS["slow" if delta > 0 else "fast"])
    bars = ax.bar(xs, [v - bottom for v in trial.split_s], bottom=bottom, width=0.6, color=colours, zorder=2)
    for k, bar in enumerate(bars):
        bar.set_gid(f"split-{k + 1}")
        text = f"{trial.split_s[k]:.1f} s"
        if has_goal:
            text += f"\n{signed_seconds(trial.split_s[k] - trial.goal_split_s[k])}"
        ax.text(
            xs[k],
            trial.split_s[k] + 0.05 * pad,
            text,
            ha="center",
            va="bottom",
            fontsize=SMALL_FONT_SIZE,
            gid=f"splitlabel-{k + 1}",
        )
        ax.text(
            xs[k],
            bottom + 0.3 * pad,
            f"total {format_duration(trial.cumulative_s[k])}",
            ha="center",
            va="bottom",
            fontsize=SMALL_FONT_SIZE,
            color="white",
            zorder=3,
        )
        if has_goal:
            g = trial.goal_split_s[k]
            ax.plot(
                [xs[k] - 0.42, xs[k] + 0.42],
                [g, g],
                color=BAND_COLOUR,
                lw=2.0,
                ls="--",
                zorder=4,
                gid=f"goal-{k + 1}",
            )
        if plan:
            p = plan[k]
            ax.plot(
                [xs[k] - 0.42, xs[k] + 0.42], [p, p], color=PLAN_COLOUR, lw=1.6, zorder=4, gid=f"plan-{k + 1}"
            )
    checks = {CHECK_FOR_SPLIT.get(c.name): c for c in trial.checks}
    labels = []
    for k in range(n):
        label = f"{k + 1}\n{starts[k]:.0f}–{trial.split_end_m[k]:.0f} m"
        check = checks.get(k)
        if check is not None and check.ok is not None:
            label += f"\n{check.name}: {'✓' if check.ok else '✗'}"
        labels.append(label)
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, fontsize=SMALL_FONT_SIZE if n > 6 else FONT_SIZE)
    ax.set_xlabel("split (number, distance from the start)", fontsize=FONT_SIZE)
    ax.set_ylabel("split time [s]", fontsize=FONT_SIZE)
    handles: list[Line2D | Patch] = []
    if has_goal:
        handles.append(Line2D([], [], color=BAND_COLOUR, lw=2.0, ls="--", label="goal split"))
    if plan:
        handles.append(
            Line2D([], [], color=PLAN_COLOUR, lw=1.6, label="plan (lap 1 +1 s, on pace by 800 m, held)")
        )
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=SMALL_FONT_SIZE, frameon=False)
    ax.set_title("400 m splits (the first split takes the remainder)", fontsize=FONT_SIZE, loc="left")


def _last_lap(ax: Axes, trial: TimeTrialSplits) -> None:
    last = trial.last_lap_100m_s
    ax.set_title("last lap in 100 m splits (plan: build)", fontsize=FONT_SIZE, loc="left")
    if not last:
        ax.text(0.5, 0.5, "effort shorter than a lap", transform=ax.transAxes, ha="center", va="center")
        ax.set_xticks([])
        return
    goal100 = trial.goal_pace_s_per_mile * 100.0 / METERS_PER_MILE
    xs = list(range(1, len(last) + 1))
    values = list(last) + ([goal100] if math.isfinite(goal100) else [])
    lo, hi = min(values), max(values)
    pad = max(0.15 * (hi - lo), 0.5)
    bottom = lo - 2.0 * pad
    ax.set_ylim(bottom, hi + 2.5 * pad)
    colours = ["#2b6cb0" if k == 0 or last[k] <= last[k - 1] else "#dd6b20" for k in range(len(last))]
    bars = ax.bar(xs, [v - bottom for v in last], bottom=bottom, width=0.6, color=colours, zorder=2)
    for k, bar in enumerate(bars):
        bar.set_gid(f"last100-{k + 1}")
        ax.text(
            xs[k],
            last[k] + 0.05 * pad,
            f"{last[k]:.1f} s",
            ha="center",
            va="bottom",
            fontsize=SMALL_FONT_SIZE,
        )
    if math.isfinite(goal100):
        ax.axhline(
            goal100,
            color=BAND_COLOUR,
            ls="--",
            lw=1.5,
            gid="goal100m",
            label=f"goal {goal100:.1f} s per 100 m",
        )
        ax.legend(loc="upper right", fontsize=SMALL_FONT_SIZE, frameon=False)
    end = trial.distance_m
    ax.set_xticks(xs)
    ax.set_xticklabels(
        [f"{end - 400 + 100 * (k - 1):.0f}–\n{end - 400 + 100 * k:.0f} m" for k in xs],
        fontsize=SMALL_FONT_SIZE,
    )
    ax.set_ylabel("100 m split time [s]", fontsize=FONT_SIZE)
    ax.set_xlabel("distance from the start", fontsize=FONT_SIZE)
