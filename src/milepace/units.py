"""Exact unit constants and the parsing/formatting of times and paces.

Every conversion in milepace goes through here so that a mile is always
1609.344 m (international mile, exact by definition since 1959).
"""

from __future__ import annotations

import math
import re

from .errors import UsageError

METERS_PER_MILE = 1609.344
"""International mile in metres (exact)."""
METERS_PER_KM = 1000.0
SEMICIRCLES_TO_DEG = 180.0 / 2**31
"""FIT stores positions as int32 semicircles: 2**31 semicircles = 180 degrees."""
FIT_EPOCH_S = 631065600
"""FIT timestamps count seconds from 1989-12-31T00:00:00Z; this is that instant in Unix seconds."""
EARTH_RADIUS_M = 6371008.8
"""Mean Earth radius (IUGG) used for haversine distances, in metres."""
TRACK_LAP_M = 400.0
"""Length of lane 1 of a standard outdoor track, measured 0.30 m from the kerb."""

_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d+(?:\.\d*)?)\s*$")
_PACE = re.compile(
    r"^\s*(?P<clock>(?:\d+:)?\d+(?::\d+(?:\.\d*)?|\.\d+)?)\s*(?:s(?:ec)?)?\s*/\s*(?P<unit>mi|mile|km|k|\d+(?:\.\d+)?\s*m?)\s*$",
    re.IGNORECASE,
)


def parse_duration(text: str) -> float:
    """Parse ``"5:30"``, ``"1:02:03.5"``, ``"82"`` or ``"82.4s"`` into seconds.

    >>> parse_duration("5:30")
    330.0
    """
    s = text.strip().lower().removesuffix("s").strip()
    m = _CLOCK.match(s)
    if m:
        hours = int(m.group(1) or 0)
        minutes = int(m.group(2))
        seconds = float(m.group(3))
        if m.group(1) is not None and minutes >= 60:
            raise UsageError(f"minutes must be under 60 in {text!r}")
        if seconds >= 60:
            raise UsageError(f"seconds must be under 60 in {text!r}")
        return hours * 3600 + minutes * 60 + seconds
    try:
        value = float(s)
    except ValueError:
        raise UsageError(f"expected a time like 5:30 or 1:02:03, got {text!r}") from None
    if value < 0 or not math.isfinite(value):
        raise UsageError(f"expected a positive time, got {text!r}")
    return value


def parse_pace(text: str) -> float:
    """Parse a pace such as ``"5:20/mi"``, ``"3:20/km"`` or ``"80s/400"`` into seconds per mile.

    >>> parse_pace("3:20/km")
    321.8688
    """
    m = _PACE.match(text)
    if not m:
        raise UsageError(f"expected a pace like 5:20/mi, 3:20/km or 80s/400, got {text!r}")
    seconds = parse_duration(m.group("clock"))
    unit = m.group("unit").lower().replace(" ", "")
    if unit in ("mi", "mile"):
        per_m = METERS_PER_MILE
    elif unit in ("km", "k"):
        per_m = METERS_PER_KM
    else:
        per_m = float(unit.removesuffix("m"))
    if per_m <= 0:
        raise UsageError(f"pace distance must be positive in {text!r}")
    return seconds / per_m * METERS_PER_MILE


def format_duration(seconds: float, *, decimals: int = 1) -> str:
    """Format seconds as ``M:SS.s`` (or ``H:MM:SS`` past an hour).

    >>> format_duration(164.04)
    '2:44.0'
    """
    if seconds is None or not math.isfinite(seconds):
        return "–"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    scale = 10**decimals
    total = round(seconds * scale) / scale
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    sec = f"{s:0{3 + decimals if decimals else 2}.{decimals}f}"
    if h:
        return f"{sign}{int(h)}:{int(m):02d}:{sec}"
    return f"{sign}{int(m)}:{sec}"


def format_pace(seconds_per_mile: float, *, per: str = "mi") -> str:
    """Format a pace held in s/mile as ``M:SS/mi`` (or ``/km``).

    >>> format_pace(330.0)
    '5:30/mi'
    """
    if seconds_per_mile is None or not math.isfinite(seconds_per_mile):
        return "–"
    value = seconds_per_mile if per == "mi" else seconds_per_mile / METERS_PER_MILE * METERS_PER_KM
    return f"{format_duration(value, decimals=0)}/{per}"


def pace_s_per_mile(duration_s: float, distance_m: float) -> float:
    """Pace in s/mile for a duration over a distance; NaN when the distance is not positive."""
    if not distance_m or distance_m <= 0:
        return float("nan")
    return duration_s / distance_m * METERS_PER_MILE


def speed_to_pace(speed_m_s: float) -> float:
    """Convert a speed in m/s to a pace in s/mile (NaN for zero or negative speed)."""
    if not speed_m_s or speed_m_s <= 0:
        return float("nan")
    return METERS_PER_MILE / speed_m_s


def pace_to_speed(seconds_per_mile: float) -> float:
    """Convert a pace in s/mile to a speed in m/s."""
    return METERS_PER_MILE / seconds_per_mile
