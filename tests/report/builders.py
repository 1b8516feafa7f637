"""Hand-built sessions for the reporter's tests: efforts, recoveries and 1 Hz records known by construction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from milepace.activity import Activity, ActivityMeta, empty_laps, empty_pauses
from milepace.detect.model import Effort, Recovery, SessionAnalysis
from milepace.units import METERS_PER_MILE

T0 = pd.Timestamp("2026-05-02T13:00:00Z")


@dataclass
class Seg:
    """A piece of the session at constant speed: ``work`` pieces become efforts."""

    duration_s: float
    speed_m_s: float
    work: bool = False
    kind: str = "interval"
    recovery_kind: str = "jog"
    distance_m: float | None = None  # best distance (e.g. snapped); defaults to what was run
    heart_rate_bpm: float = float("nan")


def build(
    segments: Sequence[Seg],
    *,
    goal_mile_s: float | None = None,
    hr: bool = False,
    warnings: tuple[str, ...] = (),
) -> SessionAnalysis:
    """1 Hz records through the segments, the efforts they contain, and the recoveries between them."""
    knots_t = [0.0]
    knots_d = [0.0]
    for seg in segments:
        knots_t.append(knots_t[-1] + seg.duration_s)
        knots_d.append(knots_d[-1] + seg.duration_s * seg.speed_m_s)
    t = np.arange(0.0, knots_t[-1] + 1.0)
    d = np.interp(t, knots_t, knots_d)
    speed = np.array(
        [segments[min(np.searchsorted(knots_t, x, side="right") - 1, len(segments) - 1)].speed_m_s for x in t]
    )
    cols: dict[str, np.ndarray] = {"distance_m": d, "speed_m_s": speed}
    if hr:
        cols["heart_rate_bpm"] = np.array(
            [
                segments[min(np.searchsorted(knots_t, x, side="right") - 1, len(segments) - 1)].heart_rate_bpm
                for x in t
            ]
        )
    index = pd.DatetimeIndex(T0 + pd.to_timedelta(t, unit="s"), name="time")
    records = pd.DataFrame(cols, index=index)
    activity = Activity(
        records, empty_laps(), empty_pauses(), ActivityMeta(source="synthetic.fit", format="fit")
    )
    work = [i for i, s in enumerate(segments) if s.work]
    efforts: list[Effort] = []
    for n, i in enumerate(work):
        seg = segments[i]
        start, end = T0 + pd.Timedelta(seconds=knots_t[i]), T0 + pd.Timedelta(seconds=knots_t[i + 1])
        run = seg.duration_s * seg.speed_m_s
        best = seg.distance_m if seg.distance_m is not None else run
        recovery = None
        if n + 1 < len(work):
            j = work[n + 1]
            r_end = T0 + pd.Timedelta(seconds=knots_t[j])
            recovery = Recovery(
                start=end,
                end=r_end,
                duration_s=knots_t[j] - knots_t[i + 1],
                distance_m=knots_d[j] - knots_d[i + 1],
                kind=seg.recovery_kind,  # type: ignore[arg-type]
            )
        efforts.append(
            Effort(
                index=n + 1,
                kind=seg.kind,  # type: ignore[arg-type]
                start=start,
                end=end,
                duration_s=seg.duration_s,
                distance_m=best,
                measured_distance_m=run,
                pace_s_per_mile=seg.duration_s / best * METERS_PER_MILE,
                snapped_distance_m=seg.distance_m,
                recovery=recovery,
            )
        )
    return SessionAnalysis(activity, tuple(efforts), goal_mile_s=goal_mile_s, warnings=warnings)


def reps(
    times_s: Sequence[float],
    distance_m: float,
    *,
    recovery_s: float = 120.0,
    recovery_speed_m_s: float = 400.0 / 120.0,
    recovery_kind: str = "jog",
    warmup_s: float = 300.0,
    kind: str = "interval",
) -> list[Seg]:
    """A warm-up jog, reps of ``distance_m`` in the given times with equal recoveries, a cool-down."""
    segs = [Seg(warmup_s, 3.0)]
    for k, time_s in enumerate(times_s):
        segs.append(Seg(time_s, distance_m / time_s, work=True, kind=kind, recovery_kind=recovery_kind))
        if k < len(times_s) - 1:
            segs.append(Seg(recovery_s, recovery_speed_m_s))
    segs.append(Seg(300.0, 3.0))
    return segs
