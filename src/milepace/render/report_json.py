"""The session report as JSON: the DESIGN.md contract plus the reporter's keys.

Every contract key of :func:`milepace.render.jsonl.analysis_to_contract` is
kept. ``target_pace_s_per_mile`` and ``delta_s_per_mile`` carry the
reporter's target (the plan's pace for that rep when a plan was given, else
the goal mile for intervals), so they agree with ``verdict``. Added keys:

per effort
    ``target_time_s``, ``delta_s``, ``tolerance_s``, ``verdict``
    (``on-target``/``fast``/``slow``/``no-target``), ``target_source``,
    ``plan_index``, ``plan_label``, ``plan_status`` (``matched``/``extra``/``no
    plan``), ``set``, ``planned_duration_s``, ``expected_distance_m``,
    ``distance_delta_m``, ``top_speed_m_s``, ``build_s``,
    ``gap_pace_s_per_mile``, and ``recovery_check`` (planned, verdict, range,
    heart-rate drop) next to the contract's ``recovery``.
top level
    ``plan``, ``paces`` (model, anchor, VDOT), ``sets``, ``time_trial``,
    ``missed_reps``, ``extra_efforts``; ``warnings`` holds the report's
    warnings (the analysis' own and the reporter's).
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import UsageError
from ..report.recovery import RecoveryCheck
from ..report.session import RepCheck, SessionReport
from ..report.sets import SetSummary
from ..report.time_trial import TimeTrialSplits
from .jsonl import analysis_to_contract, dumps


def _num(x: float | None, digits: int = 1) -> float | None:
    if x is None:
        return None
    x = float(x)
    return round(x, digits) if math.isfinite(x) else None


def report_to_contract(report: SessionReport, file: str | None = None) -> dict[str, Any]:
    """The contract dict of the report's analysis with the reporter's keys added.

    Parameters
    ----------
    report
        A :class:`~milepace.report.session.SessionReport` built from an analysis.
    file
        The path as the user gave it (defaults to the activity's source).
    """
    if report.analysis is None:
        raise UsageError("the report carries no analysis to build the JSON contract from")
    out = analysis_to_contract(report.analysis, file if file is not None else report.source)
    checks = {r.effort_index: r for r in report.reps}
    for effort in out["efforts"]:
        check = checks.get(effort["index"])
        if check is not None:
            effort.update(_rep_keys(check))
    out["goal_mile_s"] = _num(report.goal_mile_s)
    out["plan"] = report.plan_text
    out["paces"] = (
        None
        if report.paces is None
        else {
            "model": report.paces.model,
            "anchor": report.paces.anchor_name,
            "anchor_time_s": _num(report.paces.anchor_time_s),
            "vdot": _num(report.paces.vdot, 2),
            "pace_s_per_mile": {row.name: _num(row.pace_s_per_mile) for row in report.paces.rows},
        }
    )
    out["sets"] = [_set_keys(s) for s in report.sets]
    out["time_trial"] = None if report.time_trial is None else _trial_keys(report.time_trial)
    out["missed_reps"] = [
        {
            "plan_index": r.index,
            "label": r.label,
            "distance_m": _num(r.distance_m),
            "duration_s": _num(r.duration_s),
        }
        for r in report.missed
    ]
    out["extra_efforts"] = list(report.extra)
    out["warnings"] = list(report.warnings)
    return out


def report_to_json(report: SessionReport, file: str | None = None) -> str:
    """One JSON line (see :func:`report_to_contract`)."""
    return dumps(report_to_contract(report, file))


def _rep_keys(r: RepCheck) -> dict[str, Any]:
    return {
        "target_pace_s_per_mile": _num(r.target_pace_s_per_mile),
        "delta_s_per_mile": _num(r.delta_s_per_mile),
        "judged_distance_m": _num(r.distance_m),
        "judged_pace_s_per_mile": _num(r.pace_s_per_mile),
        "target_time_s": _num(r.target_time_s),
        "delta_s": _num(r.delta_s),
        "tolerance_s": _num(r.tolerance_s),
        "verdict": r.verdict,
        "target_source": r.target_source or None,
        "plan_index": r.plan_index,
        "plan_label": r.plan_label,
        "plan_status": r.plan_status,
        "set": r.set_label or None,
        "planned_duration_s": _num(r.planned_duration_s),
        "expected_distance_m": _num(r.expected_distance_m),
        "distance_delta_m": _num(r.distance_delta_m),
        "top_speed_m_s": _num(r.top_speed_m_s, 2),
        "build_s": _num(r.build_s),
        "gap_pace_s_per_mile": _num(r.gap_pace_s_per_mile),
        "recovery_check": None if r.recovery is None else _recovery_keys(r.recovery),
    }


def _recovery_keys(c: RecoveryCheck) -> dict[str, Any]:
    return {
        "planned": c.planned,
        "planned_distance_m": _num(c.planned_distance_m),
        "planned_duration_s": _num(c.planned_duration_s),
        "planned_kind": c.planned_kind,
        "min_s": _num(c.min_s),
        "max_s": _num(c.max_s),
        "min_m": _num(c.min_m),
        "max_m": _num(c.max_m),
        "length_verdict": c.length_verdict,
        "kind_ok": c.kind_ok,
        "verdict": c.verdict,
        "hr_end_effort_bpm": _num(c.hr_end_effort_bpm),
        "hr_end_recovery_bpm": _num(c.hr_end_recovery_bpm),
        "hr_drop_bpm": _num(c.hr_drop_bpm),
        "hr_drop_60s_bpm": _num(c.hr_drop_60s_bpm),
    }


def _set_keys(s: SetSummary) -> dict[str, Any]:
    return {
        "label": s.label,
        "kind": s.kind,
        "efforts": list(s.effort_indices),
        "mean_duration_s": _num(s.mean_duration_s),
        "mean_distance_m": _num(s.mean_distance_m),
        "mean_pace_s_per_mile": _num(s.mean_pace_s_per_mile),
        "spread_s_per_mile": _num(s.spread_s_per_mile),
        "fade_s_per_mile": _num(s.fade_s_per_mile),
        "cv_pct": _num(s.cv_pct, 2),
        "spread_s": _num(s.spread_s),
        "fade_s": _num(s.fade_s),
        "mean_delta_s_per_mile": _num(s.mean_delta_s_per_mile),
        "on_target": s.n_on_target,
        "fast": s.n_fast,
        "slow": s.n_slow,
    }


def _trial_keys(t: TimeTrialSplits) -> dict[str, Any]:
    return {
        "effort": t.effort_index,
        "distance_m": _num(t.distance_m),
        "duration_s": _num(t.duration_s),
        "split_end_m": [_num(x) for x in t.split_end_m],
        "split_s": [_num(x, 2) for x in t.split_s],
        "cumulative_s": [_num(x, 2) for x in t.cumulative_s],
        "goal_pace_s_per_mile": _num(t.goal_pace_s_per_mile),
        "goal_split_s": [_num(x, 2) for x in t.goal_split_s],
        "last_lap_100m_s": [_num(x, 2) for x in t.last_lap_100m_s],
        "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in t.checks],
        "distance_source": t.distance_source,
    }
