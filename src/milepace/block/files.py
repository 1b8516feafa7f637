"""The per-file work of a block: analyse one file's bytes and reduce the result to a :class:`FileResult`.

:func:`analyze_bytes` is pure: the workers of any engine run it (through
:func:`milepace.block.remote.fetch_and_analyze`, which fetches, hashes and
caches around it) where the file is. It never raises: every failure becomes
a ``status="error"`` result with one sentence.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import MilepaceError, NotARun
from .model import EffortRow, FileResult
from .sources import content_hash

NON_RUN_SPORTS = frozenset({"walking", "hiking"})
"""Sports the reader accepts as on foot but the block does not count as running."""


def analyze_bytes(data: bytes, display: str, goal_mile_s: float, *, digest: str | None = None) -> FileResult:
    """Read and analyse one file's bytes (as stored: the reader undoes gzip); never raises.

    Parameters
    ----------
    data
        The file's bytes.
    display
        The file as named to the user.
    goal_mile_s
        Goal mile [s].
    digest
        The content hash when the caller already has it.

    Returns
    -------
    FileResult
        ``ok`` with efforts, ``not_run`` for another sport, or ``error`` with one sentence.
    """
    digest = digest or content_hash(data)
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            result = _analyze(data, display, goal_mile_s, digest)
            caught = [str(w.message) for w in records if issubclass(w.category, UserWarning)]
    except MilepaceError as err:
        return _error(display, digest, err)
    except Exception as err:  # a batch never dies on one file
        return _error(display, digest, err, unexpected=True)
    if caught:
        merged = tuple(dict.fromkeys((*result.warnings, *caught)))
        result = _replace(result, warnings=merged)
    return result


def _replace(result: FileResult, **changes: Any) -> FileResult:
    import dataclasses

    return dataclasses.replace(result, **changes)


def _error(display: str, digest: str, err: BaseException, *, unexpected: bool = False) -> FileResult:
    text = " ".join(str(err).split()) or type(err).__name__
    if unexpected:
        text = f"unexpected {type(err).__name__} while analysing: {text}"
    return FileResult(
        source=display,
        content_hash=digest,
        status="error",
        error=text,
        error_type=type(err).__name__,
        unexpected=unexpected,
    )


def _iso(ts: Any) -> str | None:
    """ISO 8601 UTC with a ``Z``, to the microsecond, trailing zeros dropped (``…T08:00:00Z``, ``…:05.25Z``)."""
    if ts is None or (isinstance(ts, float) and math.isnan(ts)):
        return None
    t = ts if isinstance(ts, pd.Timestamp) else pd.Timestamp(ts)
    if t is pd.NaT:
        return None
    # .value is UTC nanoseconds for an aware time (a naive one is taken as UTC); floored to the
    # microsecond as strftime's %f does. Formatting in numpy: a tz_convert and strftime per call
    # cost more than the rest of the row
    text = str(np.datetime_as_string(np.datetime64(t.value // 1000, "us")))
    return text.rstrip("0").rstrip(".") + "Z"


def _analyze(data: bytes, display: str, goal_mile_s: float, digest: str) -> FileResult:
    from ..analysis import analyze
    from ..io import read_bytes

    activity = read_bytes(data, display)
    sport = (activity.meta.sport or "").lower() or None
    base: dict[str, Any] = {
        "source": display,
        "content_hash": digest,
        "format": activity.meta.format,
        "sport": sport,
        "sub_sport": activity.meta.sub_sport,
        "name": activity.meta.name,
        "start_utc": _iso(activity.start),
        "utc_offset_s": activity.meta.utc_offset_s,
        "distance_m": run_distance_m(activity),
        "elapsed_s": float(activity.elapsed_s),
        "timer_s": float(activity.timer_s),
        "warnings": tuple(activity.warnings),
        "extra": _plain(activity.meta.extra),
    }
    if base["distance_m"] != float(activity.distance_m):
        base["extra"]["distance_basis"] = "speed integral"
    if not activity.is_run or sport in NON_RUN_SPORTS:
        return FileResult(status="not_run", **base)
    try:
        analysis = analyze(activity, goal_mile=goal_mile_s)
    except NotARun:
        return FileResult(status="not_run", **base)
    verdicts, reporter_note = _verdicts(analysis, goal_mile_s)
    efforts = []
    for e in analysis.efforts:
        rec = e.recovery
        verdict, delta = verdicts.get(e.index, (None, None))
        efforts.append(
            EffortRow(
                index=int(e.index),
                kind=str(e.kind),
                start_utc=_iso(e.start) or "",
                duration_s=float(e.duration_s),
                distance_m=float(e.distance_m),
                pace_s_per_mile=float(e.pace_s_per_mile),
                elevation_gain_m=float(e.elevation_gain_m),
                grade_pct=float(e.grade_pct),
                recovery_duration_s=float(rec.duration_s) if rec is not None else None,
                recovery_distance_m=float(rec.distance_m) if rec is not None else None,
                recovery_kind=str(rec.kind) if rec is not None else None,
                verdict=verdict,
                delta_s_per_mile=delta,
            )
        )
    notes = tuple(
        dict.fromkeys((*activity.warnings, *analysis.warnings, *([reporter_note] if reporter_note else [])))
    )
    base["warnings"] = notes
    return FileResult(
        status="ok",
        is_track=bool(analysis.is_track),
        efforts=tuple(efforts),
        reporter=bool(verdicts),
        **base,
    )


MAX_SPEED_GAP_S = 30.0
"""Record gaps longer than this [s] are pauses: no distance is integrated across them."""


def run_distance_m(activity: Any) -> float:
    """Distance of a run [m]: the device's, or — when the file has only positions — the time integral of speed.

    GPX holds no device distance, and the path length along recorded positions
    grows with GPS jitter (a few % on a 1 Hz track). Where the file also records
    speed (Garmin's TrackPointExtension), the trapezoidal integral of speed over
    gaps of at most :data:`MAX_SPEED_GAP_S` is used instead; otherwise the
    reader's distance stands.
    """
    records = activity.records
    from_positions = activity.meta.extra.get("distance_source") == "positions"
    if from_positions and "speed_m_s" in records and records["speed_m_s"].notna().sum() > 1:
        t_s = records.index.asi8 / 1e9
        v = records["speed_m_s"].to_numpy(dtype=float)
        dt = np.diff(t_s)
        mean_v = 0.5 * (v[1:] + v[:-1])
        ok = (dt <= MAX_SPEED_GAP_S) & np.isfinite(mean_v)
        return float(np.sum(mean_v[ok] * dt[ok]))
    return float(activity.distance_m)


def _plain(extra: dict[str, Any]) -> dict[str, Any]:
    """Keep only JSON-friendly scalar metadata."""
    out: dict[str, Any] = {}
    for k, v in (extra or {}).items():
        if isinstance(v, (str, int, bool)) or v is None:
            out[str(k)] = v
        elif isinstance(v, float):
            out[str(k)] = v if math.isfinite(v) else None
    return out


def _verdicts(
    analysis: Any, goal_mile_s: float
) -> tuple[dict[int, tuple[str | None, float | None]], str | None]:
    """The reporter's verdict and pace delta [s/mi] per effort index, and a note when it could not judge.

    Only runs with interval efforts are reported on: strides and hill efforts have no pace
    target, so every verdict would be "no target".
    """
    if not any(e.kind == "interval" for e in analysis.efforts):
        return {}, None
    from ..report.session import session_report

    try:
        report = session_report(analysis, goal_mile_s=goal_mile_s)
    except MilepaceError as err:
        return {}, f"no verdicts: {err}"
    except Exception as err:  # a reporter bug costs this run its verdicts, not its efforts
        return {}, f"no verdicts: the session report failed ({type(err).__name__})"
    out: dict[int, tuple[str | None, float | None]] = {}
    for rep in report.reps:
        delta = float(rep.delta_s_per_mile)
        verdict = None if rep.verdict == "no-target" else str(rep.verdict)
        out[int(rep.effort_index)] = (verdict, delta if math.isfinite(delta) else None)
    return out, None
