"""Riegel's endurance formula: race time as a power of distance.

Riegel (1981, *American Scientist* 69:285–290, "Athletic records and human
endurance") fitted world records with ``T2 = T1 × (D2 / D1) ** 1.06`` for
efforts from about 3.5 to 230 minutes. It is milepace's alternative to the
Daniels–Gilbert (VDOT) model when predicting equivalent race times.

>>> round(riegel_time_s(1200.0, 5000.0, 10000.0), 1)   # 20:00 5K -> 10K
2501.9
"""

from __future__ import annotations

import math

from ..errors import UsageError

RIEGEL_EXPONENT = 1.06
"""Fatigue exponent of Riegel's formula (dimensionless)."""


def riegel_time_s(
    known_time_s: float, known_distance_m: float, distance_m: float, *, exponent: float = RIEGEL_EXPONENT
) -> float:
    """Predict the time for ``distance_m`` from one known performance.

    Parameters
    ----------
    known_time_s
        Time of the known performance [s].
    known_distance_m
        Distance of the known performance [m].
    distance_m
        Distance to predict [m].
    exponent
        Fatigue exponent (1.06 in Riegel's paper).

    Returns
    -------
    float
        Predicted time [s].
    """
    _check_positive(known_time_s, "known time")
    _check_positive(known_distance_m, "known distance")
    _check_positive(distance_m, "distance")
    return known_time_s * (distance_m / known_distance_m) ** exponent


def riegel_distance_m(
    known_time_s: float, known_distance_m: float, time_s: float, *, exponent: float = RIEGEL_EXPONENT
) -> float:
    """Distance that Riegel's formula says can be raced in ``time_s`` [m].

    The inverse of :func:`riegel_time_s`: ``D2 = D1 × (T2 / T1) ** (1 / exponent)``.
    """
    _check_positive(known_time_s, "known time")
    _check_positive(known_distance_m, "known distance")
    _check_positive(time_s, "time")
    return known_distance_m * (time_s / known_time_s) ** (1.0 / exponent)


def _check_positive(value: float, what: str) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
        raise UsageError(f"Riegel's formula needs a positive {what}, got {value!r}")
