"""What detection finds: efforts and the recoveries after them.

Fields carry units in their names. These are the objects the reporter,
charts and block checks consume; the JSON contract in DESIGN.md is built
from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from ..activity import Activity

EffortKind = Literal["interval", "stride", "hill_repeat"]
RecoveryKind = Literal["jog", "walk", "stand", "mixed"]


@dataclass(frozen=True)
class Recovery:
    """The span from one effort's end to the next effort's start.

    Attributes
    ----------
    start, end
        UTC instants (wall clock; pauses included).
    duration_s
        ``end - start`` [s], pauses included.
    distance_m
        Distance covered [m] (device distance where present).
    kind
        ``jog``, ``walk``, ``stand`` (or ``mixed`` when no one kind holds most of it).
    paused_s
        Part of the recovery the timer was stopped [s].
    mean_speed_m_s
        Mean moving speed over the recovery [m/s].
    """

    start: pd.Timestamp
    end: pd.Timestamp
    duration_s: float
    distance_m: float
    kind: RecoveryKind
    paused_s: float = 0.0
    mean_speed_m_s: float = float("nan")
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Effort:
    """One piece of work: an interval rep, a stride or a hill repeat.

    Attributes
    ----------
    index
        1-based position in the session.
    kind
        ``interval``, ``stride`` or ``hill_repeat``.
    start, end
        UTC instants, ``start`` inclusive and ``end`` exclusive.
    duration_s
        ``end - start`` [s].
    distance_m
        Best distance estimate [m]: on a track corrected and snapped to the
        standard distance when the evidence supports it.
    measured_distance_m
        What the device recorded over the same span [m].
    pace_s_per_mile
        ``duration_s`` over ``distance_m`` [s/mile].
    snapped_distance_m
        The standard distance it was snapped to, or ``None``.
    max_speed_m_s
        Peak of the short-window smoothed speed [m/s].
    elevation_gain_m, grade_pct
        Climb over the effort [m] and mean grade [%] (hill repeats).
    avg_heart_rate_bpm, max_heart_rate_bpm
        When heart rate was recorded.
    source
        What found it: ``speed``, ``laps`` or ``laps+speed``.
    recovery
        The recovery to the next effort, or ``None`` after the last one.
    """

    index: int
    kind: EffortKind
    start: pd.Timestamp
    end: pd.Timestamp
    duration_s: float
    distance_m: float
    measured_distance_m: float
    pace_s_per_mile: float
    snapped_distance_m: float | None = None
    max_speed_m_s: float = float("nan")
    elevation_gain_m: float = float("nan")
    grade_pct: float = float("nan")
    avg_heart_rate_bpm: float = float("nan")
    max_heart_rate_bpm: float = float("nan")
    avg_cadence_spm: float = float("nan")
    source: str = "speed"
    recovery: Recovery | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionAnalysis:
    """Everything detection found in one session.

    Attributes
    ----------
    activity
        The activity analysed.
    efforts
        Efforts in time order, each with the recovery after it.
    goal_mile_s
        Goal mile time [s] the targets were taken from, or ``None``.
    is_track
        True when the session was recognised as run on a 400 m track.
    warnings
        Data-quality notes from reading and detection, for the report.
    """

    activity: Activity
    efforts: tuple[Effort, ...]
    goal_mile_s: float | None = None
    is_track: bool = False
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
