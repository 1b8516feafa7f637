"""ISO weeks of a block, in the athlete's local dates, and the time-trial progression.

The block spans whole ISO weeks (Monday to Sunday) from the first run's week
to the last run's. The first week counts as complete when the first run falls
on its Monday or Tuesday (a rest day before the first run is normal), the
last week when the last run falls on its Saturday or Sunday
(:data:`EDGE_DAYS`); otherwise the edge week is *partial* and only the days
from the first run (to the last run) belong to the block — the checks skip
volume rules on partial weeks. ``since``/``until`` set the span explicitly.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..units import METERS_PER_MILE
from .model import ActivityRow, TimeTrial, WeekSummary
from .sessions import RIEGEL_EXPONENT

STRIDES_HILL_KINDS = frozenset({"strides", "hill_sprints", "hill_repeats"})
"""Session kinds that count toward the week's strides/hill-sprint sessions (strides before a time
trial or after a workout are part of that session's warm-up, not a strides session)."""

EDGE_DAYS = 2
"""An edge week is complete when the first run is within its first 2 days / the last run within its last 2."""


@dataclass(frozen=True)
class BlockSpan:
    """The days a block covers (inclusive)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of days in the span."""
        return (self.end - self.start).days + 1

    def mondays(self) -> list[date]:
        """Monday of every ISO week the span touches."""
        first = self.start - timedelta(days=self.start.weekday())
        out = []
        monday = first
        while monday <= self.end:
            out.append(monday)
            monday += timedelta(days=7)
        return out


def block_span(
    dates: Sequence[date], *, since: date | None = None, until: date | None = None
) -> BlockSpan | None:
    """The span of a block from its run dates (see the module docstring), or ``None`` without dates."""
    if not dates and (since is None or until is None):
        return None
    first = min(dates) if dates else since
    last = max(dates) if dates else until
    assert first is not None and last is not None
    if since is None:
        since = first - timedelta(days=first.weekday()) if first.weekday() < EDGE_DAYS else first
    if until is None:
        until = last + timedelta(days=6 - last.weekday()) if last.weekday() >= 7 - EDGE_DAYS else last
    return BlockSpan(since, until)


def week_label(monday: date) -> str:
    """ISO week label such as ``2026-W10``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def mile_equivalent_s(time_s: float, distance_m: float) -> float:
    """A time-trial effort scaled to a mile [s].

    Efforts of 1,400–1,800 m are scaled by pace (GPS error, not a different
    race); others by Riegel's formula ``T2 = T1 × (D2/D1)^1.06``.

    >>> round(mile_equivalent_s(330.0, 1609.344), 1)
    330.0
    >>> round(mile_equivalent_s(1140.0, 5000.0), 1)   # 19:00 5K: 1140 × (1609.344/5000)^1.06
    342.8
    """
    if not distance_m > 0:
        return math.nan
    if 1400.0 <= distance_m <= 1800.0:
        return time_s * METERS_PER_MILE / distance_m
    return float(time_s * (METERS_PER_MILE / distance_m) ** RIEGEL_EXPONENT)


def time_trials(activities: Sequence[ActivityRow], goal_mile_s: float) -> tuple[TimeTrial, ...]:
    """Time trials and races in date order, with the change in mile equivalent from one to the next."""
    out: list[TimeTrial] = []
    previous = math.nan
    for a in sorted(activities, key=lambda a: (a.date, a.start_local or "")):
        if a.kind not in ("time_trial", "race") or not math.isfinite(a.time_trial_s):
            continue
        mile = mile_equivalent_s(a.time_trial_s, a.time_trial_m)
        out.append(
            TimeTrial(
                date=a.date,
                source=a.source,
                name=a.name,
                distance_m=a.time_trial_m,
                time_s=a.time_trial_s,
                mile_equivalent_s=mile,
                change_s=mile - previous,
                vs_goal_s=mile - goal_mile_s,
                kind=a.kind,
            )
        )
        previous = mile
    return tuple(out)


def one_long_run_per_week(activities: Sequence[ActivityRow]) -> list[ActivityRow]:
    """Keep ``long`` for one long-kind run of each ISO week; the others become ``easy``.

    The guidance has one long run a week; a second run over the long-run
    distance in the same week is a long easy day, not another long run. The
    one kept is the run whose name says "long" (the athlete's own label), else
    the longest.
    """

    def rank(a: ActivityRow) -> tuple[bool, float]:
        return ("long" in (a.name or "").lower(), a.distance_m)

    longest: dict[tuple[int, int], ActivityRow] = {}
    for a in activities:
        if a.kind == "long" and a.date:
            key = date.fromisoformat(a.date).isocalendar()[:2]
            if key not in longest or rank(a) > rank(longest[key]):
                longest[key] = a
    keep = {id(a) for a in longest.values()}
    return [
        a if a.kind != "long" or id(a) in keep else dataclasses.replace(a, kind="easy") for a in activities
    ]


def summarize_weeks(
    activities: Sequence[ActivityRow],
    span: BlockSpan,
    *,
    goal_mile_s: float,
    trials: Sequence[TimeTrial] = (),
) -> tuple[WeekSummary, ...]:
    """One :class:`WeekSummary` per ISO week of the span, empty weeks included."""
    by_week: dict[date, list[ActivityRow]] = {m: [] for m in span.mondays()}
    for a in activities:
        if not a.date:
            continue
        d = date.fromisoformat(a.date)
        monday = d - timedelta(days=d.weekday())
        if monday in by_week:
            by_week[monday].append(a)
    weeks: list[WeekSummary] = []
    previous_m = math.nan
    for monday, runs in by_week.items():
        sunday = monday + timedelta(days=6)
        first, last = max(monday, span.start), min(sunday, span.end)
        days_in_block = (last - first).days + 1
        run_days = {a.date for a in runs if first <= date.fromisoformat(a.date) <= last}
        distance_m = sum(a.distance_m for a in runs)
        longest = max(runs, key=lambda a: a.distance_m, default=None)
        interval_m = sum(a.interval_m for a in runs)
        interval_s = sum(
            a.interval_pace_s_per_mile * a.interval_m / METERS_PER_MILE for a in runs if a.interval_m > 0
        )
        interval_pace = interval_s / interval_m * METERS_PER_MILE if interval_m > 0 else math.nan
        kinds: dict[str, int] = {}
        for a in runs:
            kinds[a.kind] = kinds.get(a.kind, 0) + 1
        week_trials = tuple(t for t in trials if monday <= date.fromisoformat(t.date) <= sunday)
        weeks.append(
            WeekSummary(
                week=week_label(monday),
                week_start=monday.isoformat(),
                days_in_block=days_in_block,
                runs=len(runs),
                distance_m=distance_m,
                change_pct=(distance_m / previous_m - 1.0) * 100.0 if previous_m > 0 else math.nan,
                long_run_m=longest.distance_m if longest else 0.0,
                long_run_source=longest.source if longest else None,
                threshold_m=sum(a.threshold_m for a in runs),
                threshold_sessions=kinds.get("threshold", 0),
                interval_m=interval_m,
                interval_sessions=kinds.get("intervals", 0),
                threshold_session_m=max((a.threshold_m for a in runs if a.kind == "threshold"), default=0.0),
                interval_session_m=max((a.interval_m for a in runs if a.kind == "intervals"), default=0.0),
                interval_pace_s_per_mile=interval_pace,
                interval_vs_goal_s_per_mile=interval_pace - goal_mile_s,
                strides_hill_sessions=sum(1 for a in runs if a.kind in STRIDES_HILL_KINDS),
                rest_days=days_in_block - len(run_days),
                time_trials=week_trials,
                kinds=kinds,
            )
        )
        previous_m = distance_m
    return tuple(weeks)
