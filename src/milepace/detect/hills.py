"""Hill repeats: efforts that climb."""

from __future__ import annotations

import math

import numpy as np

from ..units import EARTH_RADIUS_M
from .config import DetectConfig
from .prepare import FloatArray, Prepared

STRAIGHT_FRAC = 0.7
"""A run counts as straight when the end-to-end distance is at least this share of the path [fraction]."""


def _nanmean(values: FloatArray) -> float:
    """Mean of the finite values of a short slice, NaN when none (plain Python: the slices are 2-3 long)."""
    vals = [v for v in values.tolist() if v == v]
    return sum(vals) / len(vals) if vals else float("nan")


def climb(prep: Prepared, start: int, end: int, trusted_noise_m: float = 0.3) -> tuple[float, float]:
    """Elevation gain [m] and mean grade [fraction] over a span.

    The rise and the run are taken between the same samples: the means of
    the first two and of the last two seconds inside the span. Elevation
    quieter than ``trusted_noise_m`` (barometric) is used unsmoothed, so a
    10 s sprint's top is not blurred into the walk back down; noisier
    elevation is the smoothed series. With positions the run is the shorter
    of the recorded distance and the straight line between the averaged end
    positions (GPS error lengthens a short path), so a short climb's grade is
    not diluted.
    """
    key = ("climb", start, end, trusted_noise_m)
    found = prep.memo.get(key)
    if found is None:
        found = _climb(prep, start, end, trusted_noise_m)
        prep.memo[key] = found
    return found  # type: ignore[return-value]


def _climb(prep: Prepared, start: int, end: int, trusted_noise_m: float) -> tuple[float, float]:
    quiet = prep.elevation_raw_m is not None and prep.elevation_noise_m < trusted_noise_m
    e = prep.elevation_raw_m if quiet and prep.elevation_raw_m is not None else prep.elevation_m
    end = min(end, prep.n)
    k = 2 if end - start >= 4 else 1
    s0 = slice(start, start + k)
    s1 = slice(end - k, end)
    a = _nanmean(e[s0])
    b = _nanmean(e[s1])
    if (a != a or b != b) and not np.isfinite(e[start:end]).any():
        return float("nan"), float("nan")
    d = prep.distance_m
    dist = _nanmean(d[s1]) - _nanmean(d[s0])
    if prep.lat_deg is not None and prep.lon_deg is not None:
        # a path measured from GPS positions is inflated by their error (several metres on
        # a 30 m sprint); the straight line between the averaged end positions is not
        lat0, lon0 = _nanmean(prep.lat_deg[s0]), _nanmean(prep.lon_deg[s0])
        lat1, lon1 = _nanmean(prep.lat_deg[s1]), _nanmean(prep.lon_deg[s1])
        straight = _haversine_scalar_m(lat0, lon0, lat1, lon1)
        # only for a nearly straight run (a lap of a track ends where it began)
        if straight == straight and straight > 1 and straight >= STRAIGHT_FRAC * dist:
            dist = min(dist, straight)
    gain = b - a
    grade = gain / dist if dist > 1 else float("nan")
    return gain, grade


def _haversine_scalar_m(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Great-circle distance between two points [m] (same formula as :func:`milepace.geo.haversine_m`)."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    h = (
        math.sin((p1 - p0) / 2) ** 2
        + math.cos(p0) * math.cos(p1) * math.sin(math.radians(lon1 - lon0) / 2) ** 2
    )
    if not h == h:
        return float("nan")
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def climbs(gain_m: float, grade: float, run_m: float, elevation_noise_m: float, config: DetectConfig) -> bool:
    """True when a climb is clearly a hill: ``hill_min_grade`` and ``hill_min_gain_m`` beyond the elevation noise.

    The gain is the difference of two 2-sample means of the elevation
    (:func:`climb`), so its noise is the 1 Hz elevation noise [m]; the gain must
    reach ``hill_min_gain_m`` and twice that noise, and the grade must reach
    ``hill_min_grade`` plus twice the noise over the run (a 3.6 % road on a
    barometer is a road with strides, not a hill).

    Parameters
    ----------
    gain_m
        Elevation gain over the effort [m].
    grade
        Mean grade [fraction].
    run_m
        Horizontal distance the grade was taken over [m].
    elevation_noise_m
        1 Hz noise of the raw elevation [m] (NaN: none recorded).
    config
        Detector parameters.

    >>> from milepace.detect.config import DetectConfig
    >>> climbs(1.5, 0.05, 30.0, 0.05, DetectConfig())
    True
    >>> climbs(3.5, 0.037, 95.0, 0.05, DetectConfig())
    False
    """
    if not (np.isfinite(gain_m) and np.isfinite(grade) and np.isfinite(elevation_noise_m) and run_m > 1):
        return False
    gain_sd = elevation_noise_m
    return bool(
        gain_m >= max(config.hill_min_gain_m, 2.0 * gain_sd)
        and grade >= config.hill_min_grade + 2.0 * gain_sd / run_m
    )


def is_hill(prep: Prepared, start: int, end: int, config: DetectConfig) -> bool:
    """True when the span climbs clearly (:func:`climbs`) over ``hill_min_grade`` and ``hill_min_gain_m``."""
    gain, grade = climb(prep, start, end, config.baro_noise_m)
    run = gain / grade if np.isfinite(grade) and grade != 0 else float("nan")
    return climbs(gain, grade, float(run), prep.elevation_noise_m, config)
