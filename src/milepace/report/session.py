"""The session report: every effort against its target, every recovery against the plan.

>>> from milepace.report.session import session_report        # doctest: +SKIP
>>> report = session_report(analysis, goal_mile_s=330.0, plan="6x800m@mile/400m jog")  # doctest: +SKIP
>>> report.to_frame()[["distance_m", "duration_s", "target_time_s", "delta_s", "verdict"]]  # doctest: +SKIP

Targets. Without a plan, interval efforts are judged against goal-mile pace
(strides and hill repeats have no pace target). With a plan, each effort
takes the target of the planned rep it is aligned with
(:func:`milepace.plan.align.align`); efforts the plan does not account for
are ``extra`` and have no target, and planned reps nobody ran are listed in
:attr:`SessionReport.missed`.

Verdicts. ``delta_s`` is the time run less the time the distance run would
take at target pace (for a timed rep as for a distance rep); it is
``on-target`` within the tolerance of :class:`~milepace.report.tolerance.Tolerance`
(1 s per 400 m, at least 1 s), else ``fast`` or ``slow``; ``no-target``
when there is nothing to judge against.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..detect.model import Effort, SessionAnalysis
from ..errors import UsageError
from ..plan.align import Alignment, align
from ..plan.grammar import parse_plan
from ..plan.model import Plan, PlannedRep
from ..targets.paces import RACE_DISTANCES_M, PaceTable, training_paces
from ..units import METERS_PER_MILE, format_duration
from ._records import RecordArrays, seconds, seconds_array
from .gap import grade_adjusted_pace
from .recovery import RecoveryCheck, check_recovery
from .sets import SetSummary, sets_frame, summarize_sets
from .time_trial import MIN_TRIAL_DISTANCE_M, TimeTrialSplits, time_trial_splits
from .tolerance import Tolerance

Verdict = Literal["on-target", "fast", "slow", "no-target"]
PlanStatus = Literal["matched", "extra", "no plan"]

STRIDE_BUILD_FRACTION = 0.9
"""A stride's build is the time from its start until it first reaches this fraction of its top speed."""
TRIAL_RACE_MATCH_FRAC = 0.05
"""Without a plan, a time trial is judged at the pace-table race within 5 % of its distance."""


@dataclass(frozen=True)
class RepCheck:
    """One effort, measured and judged.

    Attributes
    ----------
    effort_index
        1-based index of the effort.
    kind
        ``interval``, ``stride`` or ``hill_repeat``.
    start, end
        UTC instants.
    duration_s, distance_m, measured_distance_m, snapped_distance_m
        Time [s]; the distance the rep is judged over (the standard distance it was
        snapped to on a track, else detection's best estimate), the device's distance,
        and the standard distance snapped to [m].
    pace_s_per_mile
        Pace over the best distance [s/mile].
    target_pace_s_per_mile
        Target pace [s/mile] (NaN without one).
    target_source
        Where the target came from (``plan 800m@mile``, ``goal mile``, or empty).
    target_time_s
        Time the distance run would take at target pace [s].
    delta_s, delta_s_per_mile
        Time less target time [s] and pace less target pace [s/mile]; positive = slow.
    tolerance_s
        Allowed |delta_s| for this rep [s].
    verdict
        ``on-target``, ``fast``, ``slow`` or ``no-target``.
    plan_index, plan_label, plan_status
        The planned rep it was aligned with, as written; ``matched``, ``extra`` or ``no plan``.
    set_label
        The plan set it belongs to (empty without a plan).
    planned_duration_s, expected_distance_m, distance_delta_m
        For a timed rep: its planned duration [s], the distance that duration
        covers at target pace [m], and distance run less that [m].
    top_speed_m_s, build_s
        Peak speed [m/s] and time to reach 90 % of it [s] (strides; NaN when unknown).
    elevation_gain_m, grade_pct, gap_pace_s_per_mile
        Climb [m], mean grade [%] and Minetti grade-adjusted pace [s/mile] (hill repeats).
    avg_heart_rate_bpm, max_heart_rate_bpm
        Heart rate over the effort [bpm].
    recovery
        The recovery after it, checked, or ``None`` after the last effort.
    """

    effort_index: int
    kind: str
    start: pd.Timestamp
    end: pd.Timestamp
    duration_s: float
    distance_m: float
    measured_distance_m: float
    snapped_distance_m: float | None
    pace_s_per_mile: float
    target_pace_s_per_mile: float = math.nan
    target_source: str = ""
    target_time_s: float = math.nan
    delta_s: float = math.nan
    delta_s_per_mile: float = math.nan
    tolerance_s: float = math.nan
    verdict: Verdict = "no-target"
    plan_index: int | None = None
    plan_label: str | None = None
    plan_status: PlanStatus = "no plan"
    set_label: str = ""
    planned_duration_s: float = math.nan
    expected_distance_m: float = math.nan
    distance_delta_m: float = math.nan
    top_speed_m_s: float = math.nan
    build_s: float = math.nan
    elevation_gain_m: float = math.nan
    grade_pct: float = math.nan
    gap_pace_s_per_mile: float = math.nan
    avg_heart_rate_bpm: float = math.nan
    max_heart_rate_bpm: float = math.nan
    recovery: RecoveryCheck | None = None

    def to_frame(self) -> pd.DataFrame:
        """A one-row frame of :meth:`as_row`, indexed by effort."""
        return pd.DataFrame.from_records([self.as_row()]).set_index("effort_index")

    def as_row(self) -> dict[str, Any]:
        """A flat dict: the effort's fields and its recovery's as ``recovery_*``."""
        row = {k: v for k, v in self.__dict__.items() if k != "recovery"}
        rec = self.recovery
        row["recovery_duration_s"] = rec.duration_s if rec else math.nan
        row["recovery_distance_m"] = rec.distance_m if rec else math.nan
        row["recovery_kind"] = rec.kind if rec else None
        row["recovery_planned"] = rec.planned if rec else None
        row["recovery_verdict"] = rec.verdict if rec else None
        row["recovery_hr_drop_bpm"] = rec.hr_drop_bpm if rec else math.nan
        return row


@dataclass(frozen=True)
class SessionReport:
    """Everything the reporter says about one session.

    Attributes
    ----------
    source
        The file as given.
    start
        Start of the activity (UTC).
    goal_mile_s
        Goal mile [s], or ``None``.
    plan_text
        The plan as written, or ``None``.
    paces
        The pace table the targets came from, or ``None``.
    reps
        One :class:`RepCheck` per effort, in order.
    sets
        Set summaries.
    time_trial
        Splits of a time trial or race, or ``None``.
    missed
        Planned reps no effort matched.
    extra
        Efforts the plan does not account for (1-based indices).
    warnings
        Data-quality notes from reading and detection, and the reporter's own.
    tolerance
        The tolerances used.
    analysis
        The detection result the report was built from.
    """

    source: str
    start: pd.Timestamp | None
    goal_mile_s: float | None
    plan_text: str | None
    paces: PaceTable | None
    reps: tuple[RepCheck, ...]
    sets: tuple[SetSummary, ...]
    time_trial: TimeTrialSplits | None
    missed: tuple[PlannedRep, ...]
    extra: tuple[int, ...]
    warnings: tuple[str, ...]
    tolerance: Tolerance = field(default_factory=Tolerance)
    analysis: SessionAnalysis | None = field(default=None, repr=False, compare=False)

    @property
    def recoveries(self) -> tuple[RecoveryCheck, ...]:
        """The checked recoveries, in order."""
        return tuple(r.recovery for r in self.reps if r.recovery is not None)

    def to_frame(self) -> pd.DataFrame:
        """One row per effort (recovery columns prefixed ``recovery_``), indexed by effort."""
        if not self.reps:
            return pd.DataFrame(columns=["effort_index"]).set_index("effort_index")
        return pd.DataFrame.from_records([r.as_row() for r in self.reps]).set_index("effort_index")

    def recoveries_frame(self) -> pd.DataFrame:
        """One row per recovery."""
        return pd.DataFrame.from_records([r.__dict__ for r in self.recoveries])

    def sets_frame(self) -> pd.DataFrame:
        """One row per set."""
        return sets_frame(self.sets)


def session_report(
    analysis: SessionAnalysis,
    *,
    goal_mile_s: float | None = None,
    plan: Plan | str | None = None,
    race: str | None = None,
    model: Literal["vdot", "riegel"] = "vdot",
    tolerance: Tolerance | float | None = None,
) -> SessionReport:
    """Judge a detected session against goal-mile pace and a written plan.

    Parameters
    ----------
    analysis
        What detection found (:func:`milepace.analyze`).
    goal_mile_s
        Goal mile [s]; defaults to ``analysis.goal_mile_s``.
    plan
        A :class:`~milepace.plan.model.Plan` or its text (``"6x800m@mile/400m jog"``).
    race
        A race anchoring the pace table instead of the goal mile (``"5k=18:37"``).
    model
        ``vdot`` or ``riegel`` for the equivalent paces.
    tolerance
        A :class:`~milepace.report.tolerance.Tolerance`, or a number: the rep
        tolerance in s per 400 m.

    Returns
    -------
    SessionReport

    Raises
    ------
    PlanSyntaxError
        When ``plan`` is text that does not parse.
    UsageError
        For an unusable goal, race or tolerance.
    """
    tol = _tolerance(tolerance)
    goal = goal_mile_s if goal_mile_s is not None else analysis.goal_mile_s
    paces = _training_paces(goal, race, model) if (goal or race) else None
    parsed = parse_plan(plan) if isinstance(plan, str) else plan
    activity = analysis.activity
    records = RecordArrays(activity.records)
    warnings = list(dict.fromkeys((*activity.warnings, *analysis.warnings)))

    planned: tuple[PlannedRep, ...] = parsed.expand(paces) if parsed is not None else ()
    alignment: Alignment | None = align(planned, analysis.efforts) if parsed is not None else None
    by_plan = {rep.index: rep for rep in planned}
    matched = alignment.plan_for_effort() if alignment else {}
    if parsed is not None and paces is None and any(r.pace_name for r in planned):
        names = sorted({r.pace_name for r in planned if r.pace_name})
        warnings.append(
            f"the plan names paces ({', '.join(names)}) but no goal mile or race was given, "
            "so those reps have no target"
        )

    mile_pace = paces.pace_s_per_mile("mile") if paces is not None else None
    reps: list[RepCheck] = []
    for effort in analysis.efforts:
        rep = by_plan.get(matched[effort.index]) if effort.index in matched else None
        if parsed is None:
            status: PlanStatus = "no plan"
            target = mile_pace if effort.kind == "interval" else None
            source = "goal mile" if target is not None else ""
        elif rep is None:
            status, target, source = "extra", None, ""
        else:
            status = "matched"
            target = rep.target_pace_s_per_mile
            source = f"plan {rep.label}" if target is not None else ""
        recovery = None
        if effort.recovery is not None:
            recovery = check_recovery(
                effort,
                effort.recovery,
                rep.recovery if rep is not None else None,
                planned_rep=rep,
                records=records,
                tolerance=tol,
            )
        reps.append(_rep_check(effort, rep, status, target, source, records, tol, recovery))

    trial = _time_trial(analysis.efforts, planned, matched, by_plan, paces, records, tol)
    if alignment is not None and alignment.missed:
        labels = ", ".join(f"#{i} {by_plan[i].label}" for i in alignment.missed)
        warnings.append(f"planned rep(s) not found in the session: {labels}")
    return SessionReport(
        source=activity.meta.source,
        start=activity.start,
        goal_mile_s=goal,
        plan_text=parsed.text if parsed is not None else None,
        paces=paces,
        reps=tuple(reps),
        sets=summarize_sets(reps),
        time_trial=trial,
        missed=tuple(by_plan[i] for i in alignment.missed) if alignment else (),
        extra=alignment.extra if alignment else (),
        warnings=tuple(warnings),
        tolerance=tol,
        analysis=analysis,
    )


@functools.lru_cache(maxsize=64, typed=True)
def _training_paces(
    goal_mile_s: float | None, race: str | None, model: Literal["vdot", "riegel"]
) -> PaceTable:
    """:func:`~milepace.targets.paces.training_paces`, kept per anchor: a block judges every file
    against the same goal, and the table (frozen) costs more to build than the rest of a short report."""
    return training_paces(goal_mile_s=goal_mile_s, race=race, model=model)


def _tolerance(tolerance: Tolerance | float | None) -> Tolerance:
    if tolerance is None:
        return Tolerance()
    if isinstance(tolerance, Tolerance):
        return tolerance
    if isinstance(tolerance, (int, float)) and math.isfinite(tolerance) and tolerance >= 0:
        return Tolerance(rep_s_per_400m=float(tolerance))
    raise UsageError(f"tolerance must be a Tolerance or seconds per 400 m, got {tolerance!r}")


def _rep_check(
    effort: Effort,
    rep: PlannedRep | None,
    status: PlanStatus,
    target: float | None,
    source: str,
    records: RecordArrays,
    tol: Tolerance,
    recovery: RecoveryCheck | None,
) -> RepCheck:
    values: dict[str, Any] = {}
    # On a track a coach times the rep over the standard distance (the line to the line), so a rep
    # detection snapped to 800 m is judged as 800 m, whatever lane drift the GPS saw.
    snapped = effort.snapped_distance_m
    distance = float(snapped) if snapped is not None and snapped > 0 else float(effort.distance_m)
    pace = effort.duration_s / distance * METERS_PER_MILE if distance > 0 else float(effort.pace_s_per_mile)
    if target is not None and math.isfinite(target) and distance > 0:
        target_time = target * distance / METERS_PER_MILE
        delta = effort.duration_s - target_time
        allow = tol.rep_allowance_s(distance)
        verdict: Verdict = "on-target" if abs(delta) <= allow else ("fast" if delta < 0 else "slow")
        values.update(
            target_pace_s_per_mile=float(target),
            target_source=source,
            target_time_s=target_time,
            delta_s=delta,
            delta_s_per_mile=pace - target,
            tolerance_s=allow,
            verdict=verdict,
        )
        if rep is not None and rep.duration_s is not None:
            expected = rep.duration_s / target * METERS_PER_MILE
            values.update(
                planned_duration_s=rep.duration_s,
                expected_distance_m=expected,
                distance_delta_m=distance - expected,
            )
    elif rep is not None and rep.duration_s is not None:
        values.update(planned_duration_s=rep.duration_s)

    if effort.kind == "stride" or not math.isfinite(effort.max_speed_m_s):
        top, build = _stride_build(effort, records)
    else:  # the effort knows its top speed, and only a stride reports a build
        top, build = float(effort.max_speed_m_s), math.nan
    grade = effort.grade_pct
    if not math.isfinite(grade) and math.isfinite(effort.elevation_gain_m) and distance > 0:
        grade = effort.elevation_gain_m / distance * 100.0
    gap = grade_adjusted_pace(pace, grade) if effort.kind == "hill_repeat" else math.nan
    avg_hr, max_hr = effort.avg_heart_rate_bpm, effort.max_heart_rate_bpm
    if not (math.isfinite(avg_hr) and math.isfinite(max_hr)):
        start_ns, end_ns = records.check_instant(effort.start), records.check_instant(effort.end)
        if not math.isfinite(avg_hr):
            avg_hr = records.mean("heart_rate_bpm", start_ns, end_ns)
        if not math.isfinite(max_hr) and records.has("heart_rate_bpm"):
            max_hr = records.max("heart_rate_bpm", start_ns, end_ns)
    return RepCheck(
        effort_index=effort.index,
        kind=effort.kind,
        start=effort.start,
        end=effort.end,
        duration_s=float(effort.duration_s),
        distance_m=distance,
        measured_distance_m=float(effort.measured_distance_m),
        snapped_distance_m=effort.snapped_distance_m,
        pace_s_per_mile=float(pace),
        plan_index=rep.index if rep is not None else None,
        plan_label=rep.label if rep is not None else None,
        plan_status=status,
        set_label=rep.set_label if rep is not None else "",
        top_speed_m_s=top,
        build_s=build if effort.kind == "stride" else math.nan,
        elevation_gain_m=float(effort.elevation_gain_m),
        grade_pct=float(grade),
        gap_pace_s_per_mile=gap,
        avg_heart_rate_bpm=float(avg_hr),
        max_heart_rate_bpm=float(max_hr),
        recovery=recovery,
        **values,
    )


def _stride_build(effort: Effort, records: RecordArrays) -> tuple[float, float]:
    """Top speed [m/s] and the time to first reach 90 % of it [s], from the records' speed.

    The speed channel where it has at least 2 values over the effort, else speed from
    at least 3 device distances (distance step over time step).
    """
    top = float(effort.max_speed_m_s)
    start_ns = records.check_instant(effort.start)
    at = records.positions(start_ns, records.check_instant(effort.end))
    time_ns = records.time_ns[at]
    speed: np.ndarray | None = None
    speed_ns: np.ndarray | None = None
    if records.has("speed_m_s"):
        v = records.column("speed_m_s")[at]
        ok = ~np.isnan(v)
        if np.count_nonzero(ok) >= 2:
            speed, speed_ns = v[ok], time_ns[ok]
    if speed is None and records.has("distance_m"):
        d = records.column("distance_m")[at]
        ok = ~np.isnan(d)
        if np.count_nonzero(ok) >= 3:
            d, d_ns = d[ok], time_ns[ok]
            v = np.diff(d) / seconds_array(np.diff(d_ns))
            ok = ~np.isnan(v)
            speed, speed_ns = v[ok], d_ns[1:][ok]
    if speed is None or speed_ns is None or not len(speed):
        return top, math.nan
    peak = float(speed.max())
    if not math.isfinite(top):
        top = peak
    reached = np.flatnonzero(speed >= STRIDE_BUILD_FRACTION * peak)
    build = seconds(int(speed_ns[reached[0]]) - start_ns) if len(reached) else math.nan
    return top, build


def _time_trial(
    efforts: tuple[Effort, ...],
    planned: tuple[PlannedRep, ...],
    matched: dict[int, int],
    by_plan: dict[int, PlannedRep],
    paces: PaceTable | None,
    records: RecordArrays,
    tol: Tolerance,
) -> TimeTrialSplits | None:
    """Splits for the one long effort of a time trial or race, if the session is one."""
    long_efforts = [e for e in efforts if e.kind == "interval" and e.distance_m >= MIN_TRIAL_DISTANCE_M]
    if len(long_efforts) != 1:
        return None
    effort = long_efforts[0]
    goal: float | None = None
    if planned:
        long_planned = [r for r in planned if (r.expected_distance_m or 0.0) >= MIN_TRIAL_DISTANCE_M]
        rep = by_plan.get(matched.get(effort.index, -1))
        if len(long_planned) != 1 or rep is None or rep is not long_planned[0]:
            return None
        goal = rep.target_pace_s_per_mile
    else:
        other_work = [
            e for e in efforts if e.kind == "interval" and e is not effort and e.distance_m >= 400.0
        ]
        if other_work:
            return None
        goal = _race_pace_for(effort.distance_m, paces) if paces is not None else None
    return time_trial_splits(effort, records, goal_pace_s_per_mile=goal, tolerance=tol)


def _race_pace_for(distance_m: float, paces: PaceTable) -> float | None:
    best = min(RACE_DISTANCES_M.items(), key=lambda kv: abs(kv[1] - distance_m))
    if abs(best[1] - distance_m) <= TRIAL_RACE_MATCH_FRAC * best[1]:
        return paces.pace_s_per_mile("M" if best[0] == "marathon" else best[0])
    return None


def describe_rep(check: RepCheck) -> str:
    """``800 m in 2:42.1 — target 2:44.0 — 1.9 s fast`` (the sentence a runner wants)."""
    head = f"{check.distance_m:.0f} m in {format_duration(check.duration_s)}"
    if check.verdict == "no-target":
        return head
    tail = "on target" if check.verdict == "on-target" else f"{abs(check.delta_s):.1f} s {check.verdict}"
    return f"{head} — target {format_duration(check.target_time_s)} — {tail}"
