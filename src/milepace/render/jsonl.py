"""The JSON Lines contract of ``milepace analyze --json`` (see DESIGN.md).

One object per input file. Keys in DESIGN.md are stable; more may be added.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from ..detect.model import Effort, Recovery, SessionAnalysis


def iso_utc(ts: pd.Timestamp | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` (fractional seconds only when present).

    >>> iso_utc(pd.Timestamp("2026-05-02T13:01:07", tz="UTC"))
    '2026-05-02T13:01:07Z'
    """
    if ts is None:
        return None
    t = pd.Timestamp(ts)
    t = t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")
    if t.microsecond or t.nanosecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0") + "Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _num(x: float | None, digits: int = 1) -> float | None:
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return round(x, digits)


def recovery_to_contract(rec: Recovery | None) -> dict[str, Any] | None:
    """The ``recovery`` object (``None`` after the last effort)."""
    if rec is None:
        return None
    return {
        "duration_s": _num(rec.duration_s),
        "distance_m": _num(rec.distance_m),
        "kind": rec.kind,
        "start": iso_utc(rec.start),
        "end": iso_utc(rec.end),
        "paused_s": _num(rec.paused_s),
    }


def effort_to_contract(effort: Effort, goal_mile_s: float | None) -> dict[str, Any]:
    """One effort as a contract dict; interval targets are the goal mile pace."""
    target = goal_mile_s if effort.kind == "interval" else None
    delta = effort.pace_s_per_mile - target if target is not None else None
    return {
        "index": effort.index,
        "kind": effort.kind,
        "start": iso_utc(effort.start),
        "end": iso_utc(effort.end),
        "duration_s": _num(effort.duration_s),
        "distance_m": _num(effort.distance_m),
        "measured_distance_m": _num(effort.measured_distance_m),
        "pace_s_per_mile": _num(effort.pace_s_per_mile),
        "target_pace_s_per_mile": _num(target),
        "delta_s_per_mile": _num(delta),
        "recovery": recovery_to_contract(effort.recovery),
        "snapped_distance_m": _num(effort.snapped_distance_m),
        "max_speed_m_s": _num(effort.max_speed_m_s, 2),
        "elevation_gain_m": _num(effort.elevation_gain_m),
        "grade_pct": _num(effort.grade_pct),
        "avg_heart_rate_bpm": _num(effort.avg_heart_rate_bpm),
        "max_heart_rate_bpm": _num(effort.max_heart_rate_bpm),
        "source": effort.source,
    }


def analysis_to_contract(analysis: SessionAnalysis, file: str) -> dict[str, Any]:
    """The contract object for one analysed file.

    Parameters
    ----------
    analysis
        What :func:`milepace.analyze` returned.
    file
        The path as the user gave it.
    """
    act = analysis.activity
    return {
        "file": file,
        "status": "ok",
        "error": None,
        "activity": {
            "start": iso_utc(act.start),
            "format": act.meta.format,
            "sport": act.meta.sport,
            "duration_s": _num(act.elapsed_s),
            "distance_m": _num(act.distance_m),
        },
        "goal_mile_s": _num(analysis.goal_mile_s),
        "efforts": [effort_to_contract(e, analysis.goal_mile_s) for e in analysis.efforts],
        "is_track": analysis.is_track,
        "warnings": list(analysis.warnings),
    }


def error_to_contract(file: str, err: BaseException | str) -> dict[str, Any]:
    """The contract object for a file that could not be analysed (one clear sentence)."""
    message = " ".join(str(err).split()) or type(err).__name__
    return {"file": file, "status": "error", "error": message}


def dumps(obj: dict[str, Any]) -> str:
    """One JSON line (no NaN: non-finite numbers are already ``null``)."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)
