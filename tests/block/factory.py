"""Hand-built block rows for tests: a run is described in miles, as a coach would write it."""

from __future__ import annotations

import math
from datetime import date, timedelta

from milepace.block.model import ActivityRow, EffortRow, FileResult
from milepace.units import METERS_PER_MILE

MONDAY = date(2026, 3, 2)  # a Monday: ISO week 2026-W10


def day(week: int, weekday: int) -> date:
    """Date of ``weekday`` (0 = Monday) in block week ``week`` (1-based)."""
    return MONDAY + timedelta(days=7 * (week - 1) + weekday)


def row(
    when: date,
    kind: str,
    miles: float,
    *,
    threshold_mi: float = 0.0,
    interval_mi: float = 0.0,
    interval_pace: float = math.nan,
    strides: int = 0,
    hills: int = 0,
    trial: tuple[float, float] | None = None,
    source: str | None = None,
) -> ActivityRow:
    """An :class:`ActivityRow` with the given session facts (no efforts needed by weeks/checks)."""
    distance_m = miles * METERS_PER_MILE
    return ActivityRow(
        source=source or f"{when.isoformat()}-{kind}.fit",
        content_hash=f"{when.isoformat()}-{kind}",
        date=when.isoformat(),
        start_local=f"{when.isoformat()}T07:00:00",
        date_basis="file",
        name=kind,
        kind=kind,
        distance_m=distance_m,
        duration_s=miles * 480.0,
        pace_s_per_mile=480.0,
        threshold_m=threshold_mi * METERS_PER_MILE,
        interval_m=interval_mi * METERS_PER_MILE,
        interval_pace_s_per_mile=interval_pace,
        strides=strides,
        hill_efforts=hills,
        time_trial_s=trial[0] if trial else math.nan,
        time_trial_m=trial[1] if trial else math.nan,
        verdicts={},
        efforts=(),
    )


def effort(
    kind: str,
    distance_m: float,
    pace_s_per_mile: float,
    *,
    index: int = 1,
    start: str = "2026-03-03T07:20:00Z",
) -> EffortRow:
    """An effort of a given distance [m] and pace [s/mile]."""
    duration_s = distance_m / METERS_PER_MILE * pace_s_per_mile
    return EffortRow(
        index=index,
        kind=kind,
        start_utc=start,
        duration_s=duration_s,
        distance_m=distance_m,
        pace_s_per_mile=pace_s_per_mile,
    )


def result(
    efforts: list[EffortRow],
    *,
    miles: float = 7.0,
    start_utc: str = "2026-03-03T13:00:00Z",
    utc_offset_s: float | None = None,
    name: str | None = None,
    source: str = "run.fit",
) -> FileResult:
    """A :class:`FileResult` of an analysed run."""
    for i, e in enumerate(efforts, start=1):
        object.__setattr__(e, "index", i)
    return FileResult(
        source=source,
        content_hash=source,
        status="ok",
        format="fit",
        sport="running",
        name=name,
        start_utc=start_utc,
        utc_offset_s=utc_offset_s,
        distance_m=miles * METERS_PER_MILE,
        elapsed_s=miles * 480.0,
        timer_s=miles * 480.0,
        efforts=tuple(efforts),
    )
