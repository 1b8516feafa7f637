"""Hill repeats: efforts that climb."""

from __future__ import annotations

import numpy as np

from .config import DetectConfig
from .prepare import Prepared


def climb(prep: Prepared, start: int, end: int) -> tuple[float, float]:
    """Elevation gain [m] and mean grade [fraction] over a span (ends averaged over 3 s)."""
    e = prep.elevation_m
    if not np.isfinite(e[start:end]).any():
        return float("nan"), float("nan")
    a = float(np.nanmean(e[max(0, start - 1) : start + 2]))
    b = float(np.nanmean(e[max(start, end - 2) : min(prep.n, end + 1)]))
    dist = float(prep.distance_m[min(end, prep.n - 1)] - prep.distance_m[start])
    gain = b - a
    grade = gain / dist if dist > 1 else float("nan")
    return gain, grade


def is_hill(prep: Prepared, start: int, end: int, config: DetectConfig) -> bool:
    """True when the span climbs at least ``hill_min_grade`` and ``hill_min_gain_m``."""
    gain, grade = climb(prep, start, end)
    return bool(np.isfinite(grade) and grade >= config.hill_min_grade and gain >= config.hill_min_gain_m)
