"""The session report as CSV: one row per effort, numbers with units in the column names."""

from __future__ import annotations

import io
import math

import pandas as pd

from ..report.session import SessionReport
from .jsonl import iso_utc

CSV_COLUMNS: tuple[str, ...] = (
    "effort",
    "kind",
    "start",
    "end",
    "plan_index",
    "plan_label",
    "plan_status",
    "set",
    "distance_m",
    "measured_distance_m",
    "snapped_distance_m",
    "duration_s",
    "pace_s_per_mile",
    "target_pace_s_per_mile",
    "target_time_s",
    "delta_s",
    "delta_s_per_mile",
    "verdict",
    "planned_duration_s",
    "expected_distance_m",
    "top_speed_m_s",
    "build_s",
    "elevation_gain_m",
    "grade_pct",
    "gap_pace_s_per_mile",
    "avg_heart_rate_bpm",
    "max_heart_rate_bpm",
    "recovery_duration_s",
    "recovery_distance_m",
    "recovery_kind",
    "recovery_planned",
    "recovery_verdict",
    "recovery_hr_drop_bpm",
)
"""Columns of the CSV, in order."""


def report_to_csv(report: SessionReport) -> str:
    """One header line and one row per effort (empty cells for missing values).

    Times are ISO 8601 UTC; durations in s, distances in m, paces in s/mile,
    rounded to 0.1 (speeds to 0.01).
    """
    rows = []
    for rep in report.reps:
        row = rep.as_row()
        row["effort"] = row.pop("effort_index")
        row["set"] = row.pop("set_label") or None
        row["start"] = iso_utc(rep.start)
        row["end"] = iso_utc(rep.end)
        for key, value in row.items():
            if isinstance(value, float):
                row[key] = None if not math.isfinite(value) else round(value, 2 if key.endswith("m_s") else 1)
        rows.append({c: row.get(c) for c in CSV_COLUMNS})
    frame = pd.DataFrame.from_records(rows, columns=list(CSV_COLUMNS))
    for col in ("effort", "plan_index"):
        frame[col] = frame[col].astype("Int64")
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()
