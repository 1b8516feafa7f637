"""The lap-pacing chart: each rep as a bar against its target band, recoveries between.

>>> import milepace
>>> from milepace.plot import lap_chart                                   # doctest: +SKIP
>>> report = milepace.session_report(milepace.analyze("run.fit", goal_mile="5:30"))  # doctest: +SKIP
>>> lap_chart(report).savefig("laps.png")                                 # doctest: +SKIP

One bar per effort, coloured by the reporter's verdict (on target, fast,
slow, no target). Behind each bar, the target band: the target for that
rep's distance ± the reporter's tolerance (:class:`~milepace.report.tolerance.Tolerance`,
1 s per 400 m by default), so a 5:30 goal mile puts a 400 m rep's band at
82.02 ± 1.0 s. Above each bar its time and its delta to target; in the gap
after it, the recovery (``2:28 400 m jog``). Sets are separated by a wider
gap and labelled with their spread and fade; a dashed line from the first to
the last rep of a set shows the fade.

Two measures: ``time`` (the rep's time, when every rep is the same distance,
as on the track) and ``pace`` (s/mile, for reps of different distances such
as a fartlek or strides). ``auto`` picks ``time`` when all reps are within
2 % of one distance and their times are not all equal (timed reps of one
length would all show the same bar), else ``pace``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ..errors import UsageError
from ..units import METERS_PER_MILE, format_duration
from .style import (
    BAND_COLOUR,
    FONT_SIZE,
    RECOVERY_COLOURS,
    SMALL_FONT_SIZE,
    VERDICT_COLOURS,
    clock_label,
    figure_for,
    session_heading,
    session_subtitle,
    signed_seconds,
    style_axes,
)

if TYPE_CHECKING:
    from ..detect.model import SessionAnalysis
    from ..report.session import RepCheck, SessionReport

Metric = Literal["auto", "time", "pace"]

BAR_WIDTH = 0.62
"""Bar width in slot units (one slot per rep)."""
SET_GAP = 0.7
"""Extra space between sets [slots]."""
SAME_DISTANCE_FRAC = 0.02
"""Reps within this fraction of one distance are drawn as times (``metric="auto"``)."""
MANY_REPS = 12
"""Above this many reps, bar labels and recovery labels turn vertical."""


@dataclass(frozen=True)
class LapBar:
    """What one bar of the chart shows (kept on the figure for inspection and tests).

    Attributes
    ----------
    effort_index
        The effort (1-based).
    x
        Bar centre [slot units].
    value
        Bar top: the rep's time [s] or pace [s/mile].
    target, tolerance
        Centre and half-width of the target band, same unit as ``value`` (NaN without a target).
    label
        Text above the bar: time (and delta to target).
    recovery_label
        Text in the gap after the bar (empty after the last rep).
    """

    effort_index: int
    x: float
    value: float
    target: float
    tolerance: float
    label: str
    recovery_label: str


def lap_chart(
    session: SessionReport | SessionAnalysis,
    *,
    ax: Axes | None = None,
    metric: Metric = "auto",
    title: str | None = None,
) -> Figure:
    """Draw the lap-pacing chart of one session.

    Parameters
    ----------
    session
        A :class:`~milepace.report.session.SessionReport` (with the goal and
        plan you want judged), or a :class:`~milepace.detect.model.SessionAnalysis`
        (reported against its own goal mile, no plan).
    ax
        Axes to draw into; a new 1200 px-wide figure when ``None``.
    metric
        ``time`` [s], ``pace`` [s/mile] or ``auto`` (see the module docstring).
    title
        Title instead of the default ``Lap pacing — <session> — <start>``.

    Returns
    -------
    Figure
        The figure drawn into. ``fig.milepace_bars`` holds the :class:`LapBar`
        list and ``fig.milepace_metric`` the measure used.

    Raises
    ------
    UsageError
        For an unknown ``metric``.
    """
    report = _as_report(session)
    if metric not in ("auto", "time", "pace"):
        raise UsageError(f"metric must be auto, time or pace, got {metric!r}")
    fig, ax = figure_for(ax)
    style_axes(ax)
    reps = list(report.reps)
    used: Literal["time", "pace"] = _pick_metric(reps) if metric == "auto" else metric
    measure = "rep time" if used == "time" else "rep pace"
    ax.set_title(
        (title or session_heading(report, "Lap pacing"))
        + "\n"
        + f"{session_subtitle(report)} · bars: {measure} vs target ± tolerance",
        fontsize=FONT_SIZE + 2,
        loc="left",
    )
    if not reps:
        ax.text(0.5, 0.5, "no efforts detected", transform=ax.transAxes, ha="center", va="center")
        ax.set_xticks([])
        fig.milepace_bars = []  # type: ignore[attr-defined]
        fig.milepace_metric = used  # type: ignore[attr-defined]
        return fig

    xs = _positions(report)
    bars = [_bar(rep, x, used, i + 1 < len(reps)) for i, (rep, x) in enumerate(zip(reps, xs, strict=True))]
    lo, hi = _value_range(bars)
    pad = max(0.12 * (hi - lo), 1.0 if used == "time" else 4.0)
    many = len(bars) > MANY_REPS
    bottom = lo - pad * (2.2 if many else 1.2)
    top = hi + pad * (2.6 if many else 1.8)
    ax.set_ylim(bottom, top)
    ax.set_xlim(xs[0] - 0.8, xs[-1] + 0.8)

    for bar, rep in zip(bars, reps, strict=True):
        if math.isfinite(bar.target):
            band = Rectangle(
                (bar.x - 0.5, bar.target - bar.tolerance),
                1.0,
                2 * bar.tolerance,
                facecolor=BAND_COLOUR,
                alpha=0.16,
                edgecolor="none",
                zorder=1,
                gid=f"target-{bar.effort_index}",
            )
            ax.add_patch(band)
            ax.plot(
                [bar.x - 0.5, bar.x + 0.5],
                [bar.target, bar.target],
                color=BAND_COLOUR,
                lw=1.2,
                ls="--",
                zorder=3,
            )
        (drawn,) = ax.bar(
            [bar.x],
            [bar.value - bottom],
            bottom=bottom,
            width=BAR_WIDTH,
            color=VERDICT_COLOURS.get(rep.verdict, VERDICT_COLOURS["no-target"]),
            edgecolor="white",
            zorder=2,
        )
        drawn.set_gid(f"bar-{bar.effort_index}")
        ax.text(
            bar.x,
            bar.value + 0.04 * pad,
            bar.label,
            ha="center",
            va="bottom",
            rotation=90 if many else 0,
            fontsize=SMALL_FONT_SIZE,
            gid=f"label-{bar.effort_index}",
            zorder=4,
        )
    _draw_recoveries(ax, bars, reps, xs, many)
    _draw_sets(ax, report, bars, used)

    ax.set_xticks(xs)
    ax.set_xticklabels([_tick(rep, many) for rep in reps], fontsize=SMALL_FONT_SIZE if many else FONT_SIZE)
    ax.set_xlabel("rep (number and distance)", fontsize=FONT_SIZE)
    if used == "time":
        ax.set_ylabel("rep time [m:ss]", fontsize=FONT_SIZE)
    else:
        ax.set_ylabel("pace [min:s per mile]", fontsize=FONT_SIZE)
    ax.yaxis.set_major_formatter(FuncFormatter(_clock_tick))
    handles = [Patch(color=VERDICT_COLOURS[v], label=v.replace("-", " ")) for v in _verdicts_shown(reps)]
    if any(math.isfinite(b.target) for b in bars):
        handles.append(Patch(color=BAND_COLOUR, alpha=0.3, label="target ± tolerance"))
    ax.legend(
        handles=handles,
        loc="upper right",
        bbox_to_anchor=(1.0, -0.1),
        fontsize=SMALL_FONT_SIZE,
        ncol=len(handles),
        frameon=False,
    )
    fig.milepace_bars = bars  # type: ignore[attr-defined]
    fig.milepace_metric = used  # type: ignore[attr-defined]
    return fig


def _as_report(session: SessionReport | SessionAnalysis) -> SessionReport:
    from ..detect.model import SessionAnalysis
    from ..report.session import SessionReport, session_report

    if isinstance(session, SessionReport):
        return session
    if isinstance(session, SessionAnalysis):
        return session_report(session)
    raise UsageError(f"needs a SessionReport or SessionAnalysis, got {type(session).__name__}")


def _pick_metric(reps: list[RepCheck]) -> Literal["time", "pace"]:
    """``time`` when every rep is one distance (within 2 %) and their times differ, else ``pace``."""
    distances = np.array([r.distance_m for r in reps], dtype=float)
    durations = np.array([r.duration_s for r in reps], dtype=float)
    if len(reps) == 0 or not np.all(distances > 0):
        return "time"
    same_distance = distances.max() - distances.min() <= SAME_DISTANCE_FRAC * distances.min()
    times_differ = len(reps) == 1 or durations.max() - durations.min() > 0.5
    return "time" if same_distance and times_differ else "pace"


def _positions(report: SessionReport) -> list[float]:
    """Bar centres: one slot per rep, an extra gap wherever the set changes."""
    set_of: dict[int, int] = {}
    for k, s in enumerate(report.sets):
        for i in s.effort_indices:
            set_of[i] = k
    xs: list[float] = []
    x = 0.0
    previous: int | None = None
    for n, rep in enumerate(report.reps):
        group = set_of.get(rep.effort_index, -1 - rep.effort_index)
        if n:
            x += 1.0 + (SET_GAP if group != previous else 0.0)
        xs.append(x)
        previous = group
    return xs


def _bar(rep: RepCheck, x: float, metric: Literal["time", "pace"], has_next: bool) -> LapBar:
    if metric == "time":
        value, target, tol = rep.duration_s, rep.target_time_s, rep.tolerance_s
    else:
        value, target = rep.pace_s_per_mile, rep.target_pace_s_per_mile
        tol = rep.tolerance_s * METERS_PER_MILE / rep.distance_m if rep.distance_m > 0 else math.nan
    label = clock_label(rep.duration_s)
    if math.isfinite(rep.delta_s):
        label += "\n" + signed_seconds(rep.delta_s)
    recovery = rep.recovery.describe() if (rep.recovery is not None and has_next) else ""
    return LapBar(
        effort_index=rep.effort_index,
        x=x,
        value=float(value),
        target=float(target),
        tolerance=float(tol) if math.isfinite(target) else math.nan,
        label=label,
        recovery_label=recovery,
    )


def _value_range(bars: list[LapBar]) -> tuple[float, float]:
    values = [b.value for b in bars if math.isfinite(b.value)]
    for b in bars:
        if math.isfinite(b.target):
            values += [b.target - b.tolerance, b.target + b.tolerance]
    if not values:
        return 0.0, 1.0
    return min(values), max(values)


def _draw_recoveries(ax: Axes, bars: list[LapBar], reps: list[RepCheck], xs: list[float], many: bool) -> None:
    """Recovery text in the gap after each bar, near the bottom of the axes."""
    to_axes_bottom = blended_transform_factory(ax.transData, ax.transAxes)
    for k, (bar, rep) in enumerate(zip(bars, reps, strict=True)):
        if not bar.recovery_label or k + 1 >= len(xs):
            continue
        mid = 0.5 * (xs[k] + xs[k + 1])
        rec = rep.recovery
        colour = RECOVERY_COLOURS.get(rec.kind if rec is not None else "", "#666666")
        text = bar.recovery_label
        if rec is not None and rec.verdict not in ("ok", "no plan"):
            text += f" ({rec.verdict})"
            colour = "#c53030"
        ax.text(
            mid,
            0.02,
            text,
            transform=to_axes_bottom,
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=SMALL_FONT_SIZE - (0.5 if many else 0.0),
            color=colour,
            gid=f"recovery-{bar.effort_index}",
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5},
        )


def _draw_sets(ax: Axes, report: SessionReport, bars: list[LapBar], metric: str) -> None:
    """A bracket and summary over each set; a dashed fade line from its first to its last rep."""
    by_index = {b.effort_index: b for b in bars}
    to_axes_top = blended_transform_factory(ax.transData, ax.transAxes)
    for s in report.sets:
        members = [by_index[i] for i in s.effort_indices if i in by_index]
        if len(members) < 2:
            continue
        x0, x1 = members[0].x - 0.45, members[-1].x + 0.45
        ax.plot([x0, x1], [0.93, 0.93], transform=to_axes_top, color="#444444", lw=1.0, clip_on=False)
        if metric == "time" and math.isfinite(s.spread_s):
            detail = f"spread {s.spread_s:.1f} s · fade {signed_seconds(s.fade_s)}"
        else:
            detail = f"spread {s.spread_s_per_mile:.1f} s/mi · fade {s.fade_s_per_mile:+.1f} s/mi"
        ax.text(
            0.5 * (x0 + x1),
            0.94,
            f"{s.label}: {detail}",
            transform=to_axes_top,
            ha="center",
            va="bottom",
            fontsize=SMALL_FONT_SIZE,
            gid=f"set-{s.effort_indices[0]}",
        )
        first, last = members[0], members[-1]
        ax.plot([first.x, last.x], [first.value, last.value], color="#333333", lw=1.0, ls=":", zorder=4)


def _tick(rep: RepCheck, many: bool) -> str:
    distance = f"{rep.distance_m:.0f} m" if rep.distance_m > 0 else "–"
    return f"{rep.effort_index}\n{distance}" if not many else f"{rep.effort_index}\n{rep.distance_m:.0f}"


def _clock_tick(value: float, _pos: float) -> str:
    whole = abs(value - round(value)) < 1e-6
    return format_duration(value, decimals=0 if whole else 1)


def _verdicts_shown(reps: list[RepCheck]) -> list[str]:
    present = {r.verdict for r in reps}
    return [v for v in VERDICT_COLOURS if v in present]
