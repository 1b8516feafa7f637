"""Great-circle geometry on arrays of positions."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .units import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]


def haversine_m(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray) -> FloatArray:
    """Great-circle distance between position arrays [m] (haversine on a sphere of mean radius).

    >>> round(float(haversine_m(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([1.0]))[0]), 1)
    111195.1
    """
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def path_distance_m(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Step distances along a path [m]; the first step is 0 and steps touching a NaN position are NaN."""
    lat = np.asarray(lat_deg, dtype=np.float64)
    lon = np.asarray(lon_deg, dtype=np.float64)
    out = np.zeros(len(lat), dtype=np.float64)
    if len(lat) > 1:
        out[1:] = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    return out


def cumulative_distance_m(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Cumulative path distance [m], carrying the last value across missing positions."""
    steps = path_distance_m(lat_deg, lon_deg)
    steps = np.where(np.isfinite(steps), steps, 0.0)
    return np.cumsum(steps)
