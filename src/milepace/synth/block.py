"""A coach-like mile training block, simulated session by session, with known weekly truth.

The default week follows the mile-training guidance the block checks use:

======  =============================================================
Mon     rest
Tue     intervals (6×800 m, 4×1200 m, fartlek, 800 + 4×400 in turn) —
        or a mile time trial in the time-trial weeks
Wed     easy (length fills the week's mileage)
Thu     threshold (2×2 mi, 20 min tempo, combo in turn)
Fri     easy run with strides
Sat     easy, or hill sprints every other week
Sun     long run (~10 mi)
======  =============================================================

Weekly mileage ramps 40 → 50 mi (three weeks up by 2 mi, one down by 4,
capped at 50). Options break one rule on purpose so each check in the block
report can be seen to fire: ``drop_threshold_week``, ``mileage_jump_week``,
``drop_long_week``, ``drop_intervals_week``, ``no_rest_week``,
``time_trial_weeks=()``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np

from ..errors import UsageError
from ..units import METERS_PER_MILE
from .session import SynthSession, simulate
from .workouts import Paces

INTERVAL_ROTATION = ("track_6x800", "track_4x1200", "fartlek", "track_mixed")
THRESHOLD_ROTATION = ("threshold_2x2mi", "tempo", "combo")
EASY_MIN_S = 20 * 60
EASY_MAX_S = 120 * 60


def default_weekly_miles(weeks: int) -> list[float]:
    """40 mi, then +2 mi a week for three weeks and -4 mi the fourth, never above 50 mi."""
    miles: list[float] = []
    level = 40.0
    for w in range(weeks):
        if w and w % 4 == 3:
            miles.append(level - 4.0)
        else:
            if w and w % 4 != 0:
                level = min(50.0, level + 2.0)
            elif w:
                level = min(50.0, level + 1.0)
            miles.append(level)
    return miles


def _parse_date(start: str | date) -> date:
    if isinstance(start, date):
        return start
    try:
        return date.fromisoformat(start)
    except ValueError as err:
        raise UsageError(f"start must be a date like 2026-03-02, got {start!r}") from err


def simulate_block(
    weeks: int = 8,
    *,
    start: str | date = "2026-03-02",
    goal_mile_s: float = 330.0,
    seed: int = 0,
    weekly_miles: Sequence[float] | None = None,
    time_trial_weeks: Sequence[int] = (2, 6),
    drop_threshold_week: int | None = None,
    mileage_jump_week: int | None = None,
    drop_long_week: int | None = None,
    drop_intervals_week: int | None = None,
    no_rest_week: int | None = None,
    vary_recording: bool = True,
    utc_offset_s: float = 0.0,
    rides: int = 0,
) -> list[SynthSession]:
    """Simulate a training block, one session per training day, in time order.

    Parameters
    ----------
    weeks
        Number of weeks.
    start
        First day (local date); blocks usually start on a Monday.
    goal_mile_s
        Goal mile time [s].
    seed
        Seed; the same arguments always give the same block.
    weekly_miles
        Target distance per week [mi] (default :func:`default_weekly_miles`).
    time_trial_weeks
        1-based weeks whose Tuesday is a mile time trial.
    drop_threshold_week, drop_long_week, drop_intervals_week
        1-based week in which that session becomes an easy run.
    mileage_jump_week
        1-based week whose target is 30 % above the week before.
    no_rest_week
        1-based week with a run on the rest day too.
    vary_recording
        Vary recording (1 s / smart), laps, auto-pause and speed source from
        session to session, as a real athlete's files vary.
    utc_offset_s
        Athlete's local time minus UTC [s]; runs start 06:30–08:00 local.
    rides
        Number of bike rides (not runs) to add on rest days.

    Returns
    -------
    list of SynthSession
        Each tagged with ``kind`` (easy, long, threshold, intervals, strides,
        hill_sprints, time_trial, ride) and ``extra["week"]`` (1-based),
        ``extra["day"]`` (0 = first day) and ``extra["local_date"]``.
    """
    if weeks < 1:
        raise UsageError(f"weeks must be at least 1, got {weeks}")
    day0 = _parse_date(start)
    miles = list(weekly_miles) if weekly_miles is not None else default_weekly_miles(weeks)
    if len(miles) < weeks:
        raise UsageError(f"weekly_miles has {len(miles)} entries for {weeks} weeks")
    if mileage_jump_week is not None:
        if not 2 <= mileage_jump_week <= weeks:
            raise UsageError(f"mileage_jump_week must be between 2 and {weeks}, got {mileage_jump_week}")
        miles[mileage_jump_week - 1] = miles[mileage_jump_week - 2] * 1.30
    easy_m_s = Paces(goal_mile_s).easy_m_s
    out: list[SynthSession] = []
    rides_left = rides

    def run(template: str, week: int, dow: int, **kw: Any) -> SynthSession:
        day = (week - 1) * 7 + dow
        local = day0 + timedelta(days=day)
        # each day draws its own start time and recording from a generator of its own, so re-running a
        # day (to correct the week's distance) keeps them
        day_rng = np.random.default_rng(np.random.SeedSequence([int(seed), 8, day, len(template)]))
        kw.pop("_seed_day", None)
        minute = int(day_rng.integers(6 * 60 + 30, 8 * 60 + 1))
        local_start = datetime(local.year, local.month, local.day, tzinfo=timezone.utc) + timedelta(
            minutes=minute
        )
        start_unix = local_start.timestamp() - utc_offset_s + int(day_rng.integers(0, 60))
        opts: dict[str, Any] = {}
        if vary_recording:
            opts["recording"] = "smart" if day_rng.random() < 0.3 else "every_second"
            opts["auto_pause"] = bool(day_rng.random() < 0.3)
            workout = template not in ("easy", "long", "ride")
            choices = ["workout", "manual", "none"] if workout else ["auto_km", "auto_mile", "none"]
            opts["laps"] = str(day_rng.choice(choices))
        opts.update(kw)
        s = simulate(
            template,
            seed=int(seed) * 1000 + day,
            goal_mile_s=goal_mile_s,
            start=start_unix,
            utc_offset_s=utc_offset_s,
            **opts,
        )
        return replace(s, extra={**s.extra, "week": week, "day": day, "local_date": local.isoformat()})

    for w in range(1, weeks + 1):
        week: list[SynthSession] = []
        if w in time_trial_weeks:
            week.append(run("mile_time_trial", w, 1))
        elif w != drop_intervals_week:
            week.append(run(INTERVAL_ROTATION[(w - 1) % len(INTERVAL_ROTATION)], w, 1))
        if w != drop_threshold_week:
            week.append(run(THRESHOLD_ROTATION[(w - 1) % len(THRESHOLD_ROTATION)], w, 3))
        hill_week = w % 2 == 0
        if hill_week:
            week.append(run("hill_sprints", w, 5))
        if w != drop_long_week:
            week.append(run("long", w, 6))
        # the strides run and the easy days are sized to fill the week's mileage
        flexible = [(4, "easy_strides"), (2, "easy")] + ([] if hill_week else [(5, "easy")])
        if w == drop_threshold_week:
            flexible.append((3, "easy"))
        if w == drop_intervals_week and w not in time_trial_weeks:
            flexible.append((1, "easy"))
        if w == drop_long_week:
            flexible.append((6, "easy"))
        if w == no_rest_week:
            flexible.append((0, "easy"))
        target_m = miles[w - 1] * METERS_PER_MILE
        per_day_s = (target_m - sum(s.true_distance_m for s in week)) / len(flexible) / easy_m_s
        flex: list[SynthSession] = []
        for dow, template in sorted(flexible):
            dur = float(min(EASY_MAX_S, max(EASY_MIN_S, math.floor(per_day_s))))
            flex.append(run(template, w, dow, duration_s=dur))
        # one correction on the longest easy day so the week lands near its target
        short_m = target_m - sum(s.true_distance_m for s in week + flex)
        j = max(range(len(flex)), key=lambda i: (flex[i].template == "easy", flex[i].true_distance_m))
        old = flex[j]
        dur = float(min(EASY_MAX_S, max(EASY_MIN_S, math.floor(old.elapsed_s + short_m / easy_m_s))))
        flex[j] = run(old.template, w, int(old.extra["day"]) - (w - 1) * 7, duration_s=dur)
        week.extend(flex)
        if rides_left > 0 and w != no_rest_week:
            week.append(run("ride", w, 0, duration_s=3600.0, laps="none"))
            rides_left -= 1
        out.extend(sorted(week, key=lambda s: s.start_s))
    return out


def week_summary(
    sessions: Sequence[SynthSession], *, start: str | date = "2026-03-02"
) -> list[dict[str, Any]]:
    """The known truth of a block, week by week (weeks of 7 local days from ``start``).

    Returns
    -------
    list of dict
        Per week: ``week`` (1-based), ``week_start`` (ISO date), ``distance_m``
        (device distance of the runs), ``true_distance_m``, ``runs``,
        ``kinds`` (session kinds in order), ``long_run_m`` (longest true
        distance of a ``long`` session, 0 if none), ``threshold_sessions``,
        ``interval_sessions``, ``strides_sessions`` (strides + hill sprints),
        ``time_trials`` and ``rest_days`` (days without a run).
    """
    day0 = _parse_date(start)
    weeks: dict[int, dict[str, Any]] = {}
    for s in sessions:
        local = datetime.fromtimestamp(s.start_s + s.utc_offset_s, tz=timezone.utc).date()
        w = (local - day0).days // 7 + 1
        entry = weeks.setdefault(
            w,
            {
                "week": w,
                "week_start": (day0 + timedelta(days=7 * (w - 1))).isoformat(),
                "distance_m": 0.0,
                "true_distance_m": 0.0,
                "runs": 0,
                "kinds": [],
                "long_run_m": 0.0,
                "threshold_sessions": 0,
                "interval_sessions": 0,
                "strides_sessions": 0,
                "time_trials": 0,
                "_days": set(),
            },
        )
        entry["kinds"].append(s.kind)
        if s.sport != "running":
            continue
        entry["runs"] += 1
        entry["distance_m"] += s.device_distance_m
        entry["true_distance_m"] += s.true_distance_m
        entry["_days"].add(local)
        if s.kind == "long":
            entry["long_run_m"] = max(entry["long_run_m"], s.true_distance_m)
        entry["threshold_sessions"] += s.kind == "threshold"
        entry["interval_sessions"] += s.kind == "intervals"
        entry["strides_sessions"] += s.kind in ("strides", "hill_sprints")
        entry["time_trials"] += s.kind == "time_trial"
    result = []
    for w in sorted(weeks):
        entry = weeks[w]
        entry["rest_days"] = 7 - len(entry.pop("_days"))
        result.append(entry)
    return result
