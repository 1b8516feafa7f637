"""A plain-dict summary of one activity: what ``milepace info`` shows and prints as JSON.

Every value is JSON-ready (str, int, float, bool, list or ``None``); times
are ISO 8601, durations in seconds, distances in metres.

Moving time
-----------
``moving_s`` adds up the intervals between consecutive records that are
(a) not inside a timer pause and (b) covered faster than
:data:`MOVING_SPEED_MIN_M_S`. The speed of an interval is its distance
gain over its duration — from the device's cumulative ``distance_m`` when
the file has it, else from the positions (haversine) — and, for files with
neither (some treadmill TCX), the ``speed_m_s`` sample at its start. With
no distance, position or speed at all, ``moving_s`` is ``None`` (unknown),
never a guess.

Local time
----------
``start_local`` is the UTC start shifted by ``meta.utc_offset_s`` when the
file records an offset between UTC-12:00 and UTC+14:00 (the range of real
time zones); otherwise it is ``None`` and shown as unknown.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .geo import path_distance_m

if TYPE_CHECKING:
    from .activity import Activity

MOVING_SPEED_MIN_M_S = 0.5
"""Slowest speed counted as moving [m/s] (1.8 km/h; a slow walk is about 1.1 m/s, GPS drift at a
standstill is typically 0.1–0.3 m/s)."""


def _iso_utc(ts: pd.Timestamp | None) -> str | None:
    if ts is None:
        return None
    return ts.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def plausible_utc_offset(offset_s: float | None) -> float | None:
    """``offset_s`` when it is a real time zone offset (UTC-12:00 to UTC+14:00), else ``None``."""
    if offset_s is None or not math.isfinite(offset_s) or not -12 * 3600 <= offset_s <= 14 * 3600:
        return None
    return float(offset_s)


def _iso_local(ts: pd.Timestamp | None, offset_s: float | None) -> str | None:
    offset_s = plausible_utc_offset(offset_s)
    if ts is None or offset_s is None:
        return None
    local = ts.tz_convert("UTC").tz_localize(None) + np.timedelta64(round(offset_s), "s")
    sign = "-" if offset_s < 0 else "+"
    minutes = round(abs(offset_s) / 60)
    return f"{local.strftime('%Y-%m-%dT%H:%M:%S')}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _num(value: float | None, digits: int = 3) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def moving_time_s(activity: Activity, *, min_speed_m_s: float = MOVING_SPEED_MIN_M_S) -> float | None:
    """Time spent moving [s] (see the module notes for the definition), or ``None`` when unknowable.

    Only records holding a value of the chosen source count, so a channel
    sampled on every other record is not mistaken for standing still.

    Parameters
    ----------
    activity
        The activity.
    min_speed_m_s
        Slowest interval speed counted as moving [m/s].
    """
    recs = activity.records
    t_all = pd.DatetimeIndex(recs.index).as_unit("ns").asi8.astype(np.float64) / 1e9
    speed: npt.NDArray[np.float64]
    if "distance_m" in recs and recs["distance_m"].notna().sum() >= 2:
        dist = recs["distance_m"].to_numpy(dtype=np.float64)
        ok = np.isfinite(dist)
        t_s = t_all[ok]
        speed = np.diff(dist[ok]) / np.diff(t_s)
    elif "lat_deg" in recs and "lon_deg" in recs and recs["lat_deg"].notna().sum() >= 2:
        lat = recs["lat_deg"].to_numpy(np.float64)
        lon = recs["lon_deg"].to_numpy(np.float64)
        ok = np.isfinite(lat) & np.isfinite(lon)
        t_s = t_all[ok]
        speed = path_distance_m(lat[ok], lon[ok])[1:] / np.diff(t_s)
    elif "speed_m_s" in recs and recs["speed_m_s"].notna().sum() >= 2:
        values = recs["speed_m_s"].to_numpy(dtype=np.float64)
        ok = np.isfinite(values)
        t_s = t_all[ok]
        speed = values[ok][:-1]
    else:
        return 0.0 if len(recs) == 1 else None
    dt = np.diff(t_s)
    moving = speed > min_speed_m_s
    if not activity.pauses.empty:
        starts = pd.DatetimeIndex(activity.pauses["start"]).as_unit("ns").asi8 / 1e9
        ends = pd.DatetimeIndex(activity.pauses["end"]).as_unit("ns").asi8 / 1e9
        mid = (t_s[:-1] + t_s[1:]) / 2
        for a, b in zip(starts, ends, strict=True):
            moving &= ~((mid > a) & (mid < b))
    return float(dt[moving].sum())


def activity_summary(activity: Activity) -> dict[str, Any]:
    """Summarise an activity as a JSON-ready dict.

    Parameters
    ----------
    activity
        Any activity from :func:`milepace.read`.

    Returns
    -------
    dict
        ``source``, ``format``, ``name``, ``device`` (``manufacturer``/``product``), ``sport``,
        ``sub_sport``, ``is_run``, ``start_utc`` (``...Z``), ``start_local`` (with its UTC offset,
        ``None`` when the file does not record one), ``utc_offset_s``, ``elapsed_s`` (first to last
        record), ``timer_s`` (elapsed less timer pauses), ``moving_s`` (see the module notes),
        ``distance_m``, ``records``, ``laps``, ``pauses``, ``paused_s``, ``channels`` (record
        channels with at least one value), ``decoder``, ``warnings``, and ``strava`` (the Strava
        export's id/date/name/type when the activity came from one, else ``None``).

    Examples
    --------
    >>> s = activity_summary(milepace.read("sample_data/easy_strides.gpx"))  # doctest: +SKIP
    >>> s["format"], s["records"]  # doctest: +SKIP
    ('gpx', 2701)
    """
    meta = activity.meta
    extra = meta.extra or {}
    strava = None
    if "strava_activity_id" in extra:
        strava = {
            "activity_id": extra.get("strava_activity_id"),
            "date": extra.get("strava_activity_date"),
            "start_utc": extra.get("strava_start_utc"),
            "name": extra.get("strava_activity_name"),
            "type": extra.get("strava_activity_type"),
            "is_run": extra.get("strava_is_run"),
        }
    prefix = f"{meta.source}: "
    return {
        "source": meta.source,
        "format": meta.format,
        "name": meta.name,
        "device": {"manufacturer": meta.manufacturer, "product": meta.product},
        "sport": meta.sport,
        "sub_sport": meta.sub_sport,
        "is_run": activity.is_run,
        "start_utc": _iso_utc(activity.start),
        "start_local": _iso_local(activity.start, meta.utc_offset_s),
        "utc_offset_s": _num(plausible_utc_offset(meta.utc_offset_s), 0),
        "elapsed_s": _num(activity.elapsed_s),
        "timer_s": _num(activity.timer_s),
        "moving_s": _num(moving_time_s(activity)),
        "distance_m": _num(activity.distance_m),
        "records": len(activity.records),
        "laps": len(activity.laps),
        "pauses": len(activity.pauses),
        "paused_s": _num(activity.paused_s),
        "channels": list(activity.channels),
        "decoder": meta.decoder,
        "warnings": [" ".join(w.split()).removeprefix(prefix) for w in activity.warnings],
        "strava": strava,
    }
