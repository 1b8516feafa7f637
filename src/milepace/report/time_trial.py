"""Time trials and races: 400 m splits, 100 m splits in the last lap, and the pacing plan.

Splits are laid out the way a track race is run, so the last split ends at
the finish: a mile is 409.344 m and then three 400 m laps (1609.344 − 3 × 400),
a 1500 m is 300 m and three laps, a 5000 m 200 m and twelve laps. A remainder
under 100 m joins the first lap.

Times come from the activity's records over the effort: cumulative distance
against time, linearly interpolated, scaled so that the distance measured
over the effort maps onto the effort's best distance (on a track, the
corrected and snapped ``effort.distance_m``), so the splits add up to the
effort's time exactly.

For a mile-length effort (four splits) with a goal, the pacing plan of the
mile-training guidance is checked (tolerances in
:mod:`milepace.report.tolerance`): lap 1 about 1 s slower than the goal
split, on goal pace by 800 m, lap 3 held, lap 4 built 100 m by 100 m.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..detect.model import Effort
from ..geo import cumulative_distance_m
from ..units import METERS_PER_MILE, format_duration
from ._records import NS_PER_S, RecordArrays, seconds_array
from .tolerance import Tolerance

LAP_M = 400.0
LAST_LAP_STEP_M = 100.0
MIN_TRIAL_DISTANCE_M = 1450.0
"""Shortest single effort treated as a time trial or race [m] (a 1500 m, with 3 % of slack)."""


@dataclass(frozen=True)
class PacingCheck:
    """One line of the pacing plan.

    Attributes
    ----------
    name
        ``lap 1``, ``800 m``, ``lap 3`` or ``lap 4``.
    ok
        Whether the plan was followed (``None`` when there is no goal to judge by).
    detail
        What happened, in a sentence fragment a coach reads.
    """

    name: str
    ok: bool | None
    detail: str


@dataclass(frozen=True)
class TimeTrialSplits:
    """Lap splits of one long effort.

    Attributes
    ----------
    effort_index
        The effort (1-based).
    distance_m, duration_s
        The effort's best distance [m] and time [s].
    split_end_m
        Cumulative distance at the end of each split [m].
    split_s, cumulative_s
        Each split's time and the running total [s].
    goal_pace_s_per_mile
        Goal pace [s/mile], NaN without a goal.
    goal_split_s
        Goal time for each split [s] (NaN without a goal).
    last_lap_100m_s
        The last 400 m in four 100 m splits [s].
    checks
        The pacing plan, for a mile-length effort.
    distance_source
        Which record channel the distances came from (``distance_m``, ``speed_m_s``, ``positions``).
    scale
        ``distance_m`` over the distance the records measured across the effort.
    """

    effort_index: int
    distance_m: float
    duration_s: float
    split_end_m: tuple[float, ...]
    split_s: tuple[float, ...]
    cumulative_s: tuple[float, ...]
    goal_pace_s_per_mile: float
    goal_split_s: tuple[float, ...]
    last_lap_100m_s: tuple[float, ...]
    checks: tuple[PacingCheck, ...]
    distance_source: str
    scale: float

    @property
    def split_delta_s(self) -> tuple[float, ...]:
        """Each split less its goal [s] (positive = slower than goal)."""
        return tuple(s - g for s, g in zip(self.split_s, self.goal_split_s, strict=True))

    def to_frame(self) -> pd.DataFrame:
        """One row per split: distance, time, cumulative time, goal and delta [m, s]."""
        starts = (0.0, *self.split_end_m[:-1])
        return pd.DataFrame(
            {
                "split": range(1, len(self.split_s) + 1),
                "start_m": starts,
                "end_m": self.split_end_m,
                "distance_m": [e - s for s, e in zip(starts, self.split_end_m, strict=True)],
                "split_s": self.split_s,
                "cumulative_s": self.cumulative_s,
                "goal_split_s": self.goal_split_s,
                "delta_s": self.split_delta_s,
            }
        ).set_index("split")


def split_boundaries_m(distance_m: float) -> tuple[float, ...]:
    """Cumulative split ends for a race of ``distance_m``: laps of 400 m ending at the finish.

    >>> [round(x, 3) for x in split_boundaries_m(1609.344)]
    [409.344, 809.344, 1209.344, 1609.344]
    """
    if distance_m <= LAP_M:
        return (distance_m,)
    laps = math.floor(distance_m / LAP_M + 1e-9)
    rest = distance_m - laps * LAP_M
    if rest < 1e-6:
        first = LAP_M
    elif rest < LAST_LAP_STEP_M:
        first = LAP_M + rest
    else:
        first = rest
    ends = [first]
    while ends[-1] < distance_m - 1e-6:
        ends.append(ends[-1] + LAP_M)
    ends[-1] = distance_m
    return tuple(ends)


def time_trial_splits(
    effort: Effort,
    records: pd.DataFrame | RecordArrays | None,
    *,
    goal_pace_s_per_mile: float | None = None,
    tolerance: Tolerance | None = None,
) -> TimeTrialSplits | None:
    """Splits of one long effort from the activity's records.

    Parameters
    ----------
    effort
        The effort (a time trial or race, ``distance_m`` ≥ about a mile).
    records
        The activity's records (``distance_m``, else ``speed_m_s``, else positions), or a
        :class:`~milepace.report._records.RecordArrays` over them.
    goal_pace_s_per_mile
        Goal pace [s/mile] the splits are judged against, or ``None``.
    tolerance
        Pacing-plan tolerances.

    Returns
    -------
    TimeTrialSplits or None
        ``None`` when the records hold no distance over the effort.
    """
    tol = tolerance or Tolerance()
    curve = _distance_curve(effort, RecordArrays.of(records))
    if curve is None:
        return None
    t, d, source = curve
    measured = float(d[-1])
    if not measured > 0 or not effort.distance_m > 0:
        return None
    scale = effort.distance_m / measured
    d = d * scale
    keep = np.concatenate(([True], np.diff(d) > 0))
    d_strict, t_strict = d[keep], t[keep]

    def time_at(x: float) -> float:
        return float(np.interp(x, d_strict, t_strict))

    ends = split_boundaries_m(effort.distance_m)
    cumulative = [time_at(x) for x in ends[:-1]] + [float(effort.duration_s)]
    splits = [cumulative[0]] + [b - a for a, b in itertools.pairwise(cumulative)]
    last_lap: list[float] = []
    if effort.distance_m > LAP_M:
        marks = [effort.distance_m - LAP_M + k * LAST_LAP_STEP_M for k in range(5)]
        times = [time_at(x) for x in marks[:-1]] + [float(effort.duration_s)]
        last_lap = [b - a for a, b in itertools.pairwise(times)]
    goal = math.nan if goal_pace_s_per_mile is None else float(goal_pace_s_per_mile)
    starts = (0.0, *ends[:-1])
    goal_splits = tuple(goal * (e - s) / METERS_PER_MILE for s, e in zip(starts, ends, strict=True))
    checks = _pacing_checks(ends, splits, cumulative, goal, last_lap, tol) if len(ends) == 4 else ()
    return TimeTrialSplits(
        effort_index=effort.index,
        distance_m=float(effort.distance_m),
        duration_s=float(effort.duration_s),
        split_end_m=ends,
        split_s=tuple(splits),
        cumulative_s=tuple(cumulative),
        goal_pace_s_per_mile=goal,
        goal_split_s=goal_splits,
        last_lap_100m_s=tuple(last_lap),
        checks=checks,
        distance_source=source,
        scale=scale,
    )


def _distance_curve(effort: Effort, records: RecordArrays) -> tuple[np.ndarray, np.ndarray, str] | None:
    """Time since the effort's start [s] and distance since it [m] at the records inside the effort.

    The records from 30 s before the effort to 30 s after it are used; the first and last
    points are interpolated at the effort's start and end.
    """
    if not len(records):
        return None
    margin_ns = 30 * NS_PER_S
    start_ns = records.check_instant(effort.start)
    at = records.positions(
        start_ns - margin_ns, records.check_instant(effort.end) + margin_ns, include_end=True
    )
    time_ns = records.time_ns[at]
    if len(time_ns) < 2:
        return None
    secs = seconds_array(time_ns - start_ns)
    cum: np.ndarray | None = None
    source = ""
    distance = records.column("distance_m")[at] if records.has("distance_m") else None
    speed = records.column("speed_m_s")[at] if records.has("speed_m_s") else None
    if distance is not None and np.count_nonzero(ok := ~np.isnan(distance)) >= 2:
        secs, cum, source = secs[ok], distance[ok], "distance_m"
    elif speed is not None and np.count_nonzero(ok := ~np.isnan(speed)) >= 2:
        secs, v = secs[ok], speed[ok]
        steps = np.diff(secs) * 0.5 * (v[1:] + v[:-1])
        cum, source = np.concatenate(([0.0], np.cumsum(steps))), "speed_m_s"
    elif records.has("lat_deg") and records.has("lon_deg"):
        lat, lon = records.column("lat_deg")[at], records.column("lon_deg")[at]
        ok = ~np.isnan(lat) & ~np.isnan(lon)
        if np.count_nonzero(ok) >= 2:
            secs = secs[ok]
            cum = cumulative_distance_m(lat[ok], lon[ok])
            source = "positions"
    if cum is None:
        return None
    cum = np.maximum.accumulate(cum)
    duration = float(effort.duration_s)
    d0, d1 = np.interp([0.0, duration], secs, cum)
    inside = (secs > 0) & (secs < duration)
    t = np.concatenate(([0.0], secs[inside], [duration]))
    d = np.concatenate(([d0], cum[inside], [d1])) - d0
    return t, np.maximum.accumulate(d), source


def _pacing_checks(
    ends: tuple[float, ...],
    splits: list[float],
    cumulative: list[float],
    goal: float,
    last_lap: list[float],
    tol: Tolerance,
) -> tuple[PacingCheck, ...]:
    starts = (0.0, *ends[:-1])
    goal_split = [goal * (e - s) / METERS_PER_MILE for s, e in zip(starts, ends, strict=True)]
    checks: list[PacingCheck] = []
    has_goal = math.isfinite(goal)
    if has_goal:
        d1 = splits[0] - goal_split[0]
        lo = tol.trial_lap1_slow_s - tol.trial_lap1_band_s
        hi = tol.trial_lap1_slow_s + tol.trial_lap1_band_s
        checks.append(
            PacingCheck(
                "lap 1",
                lo <= d1 <= hi,
                f"{splits[0]:.1f} s vs goal {goal_split[0]:.1f} s ({d1:+.1f} s; plan about "
                f"{tol.trial_lap1_slow_s:+.0f} s)",
            )
        )
        goal_800 = goal * ends[1] / METERS_PER_MILE
        gap = cumulative[1] - goal_800
        where = "behind" if gap > 0 else "ahead"
        checks.append(
            PacingCheck(
                "800 m",
                abs(gap) <= tol.trial_800m_band_s,
                f"{format_duration(cumulative[1])} at {ends[1]:.0f} m vs goal {format_duration(goal_800)} "
                f"({abs(gap):.1f} s {where}; plan: on goal pace)",
            )
        )
        d3 = splits[2] - goal_split[2]
        checks.append(
            PacingCheck(
                "lap 3",
                d3 <= tol.trial_lap3_slack_s,
                f"{splits[2]:.1f} s vs goal {goal_split[2]:.1f} s ({d3:+.1f} s; plan: held)",
            )
        )
    if len(last_lap) == 4:
        built = all(b <= a + tol.trial_build_slack_s for a, b in itertools.pairwise(last_lap))
        shown = " / ".join(f"{x:.1f}" for x in last_lap)
        checks.append(PacingCheck("lap 4", built, f"100 m splits {shown} s (plan: each faster)"))
    return tuple(checks)
