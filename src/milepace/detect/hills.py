"""Hill repeats: efforts that climb."""

from __future__ import annotations

import numpy as np

from ..geo import haversine_m
from .config import DetectConfig
from .prepare import Prepared

STRAIGHT_FRAC = 0.7
"""A run counts as straight when the end-to-end distance is at least this share of the path [fraction]."""


def climb(prep: Prepared, start: int, end: int) -> tuple[float, float]:
    """Elevation gain [m] and mean grade [fraction] over a span (ends averaged over 3 s).

    With positions the run is the shorter of the recorded distance and the
    straight line between the averaged end positions (GPS error lengthens a
    short path), so a short climb's grade is not diluted.
    """
    e = prep.elevation_m
    if not np.isfinite(e[start:end]).any():
        return float("nan"), float("nan")
    a = float(np.nanmean(e[max(0, start - 1) : start + 2]))
    b = float(np.nanmean(e[max(start, end - 2) : min(prep.n, end + 1)]))
    dist = float(prep.distance_m[min(end, prep.n - 1)] - prep.distance_m[start])
    if prep.lat_deg is not None and prep.lon_deg is not None:
        # a path measured from GPS positions is inflated by their error (several metres on
        # a 30 m sprint); the straight line between the averaged end positions is not
        lat, lon = prep.lat_deg, prep.lon_deg
        s0, s1 = slice(max(0, start - 1), start + 2), slice(max(start, end - 2), min(prep.n, end + 1))
        straight = float(
            haversine_m(
                np.array([np.nanmean(lat[s0])]),
                np.array([np.nanmean(lon[s0])]),
                np.array([np.nanmean(lat[s1])]),
                np.array([np.nanmean(lon[s1])]),
            )[0]
        )
        # only for a nearly straight run (a lap of a track ends where it began)
        if np.isfinite(straight) and straight > 1 and straight >= STRAIGHT_FRAC * dist:
            dist = min(dist, straight)
    gain = b - a
    grade = gain / dist if dist > 1 else float("nan")
    return gain, grade


def is_hill(prep: Prepared, start: int, end: int, config: DetectConfig) -> bool:
    """True when the span climbs at least ``hill_min_grade`` and ``hill_min_gain_m``."""
    gain, grade = climb(prep, start, end)
    return bool(np.isfinite(grade) and grade >= config.hill_min_grade and gain >= config.hill_min_gain_m)
