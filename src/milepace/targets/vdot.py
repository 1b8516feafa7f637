"""Daniels–Gilbert oxygen-power equations and VDOT.

Daniels & Gilbert (1979, *Oxygen Power: Performance Tables for Distance
Runners*) fitted two relations that underlie the VDOT tables of *Daniels'
Running Formula*:

* oxygen cost of running at velocity ``v`` [m/min]::

      VO2(v) = -4.60 + 0.182258 v + 0.000104 v²          [ml/kg/min]

* the fraction of VO2max that can be sustained for a race of ``t`` minutes::

      f(t) = 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)

VDOT for a race of distance ``d`` in time ``t`` is ``VO2(d / t) / f(t)``.
Predicting a race time from a VDOT solves ``VDOT(d, t) = vdot`` for ``t``
(VDOT falls monotonically as ``t`` grows, so bisection is exact to
floating-point precision). Training paces are the velocities at which the
oxygen cost equals a fraction of VDOT (see :data:`TRAINING_INTENSITY`).

>>> round(vdot_from_race(1609.344, 330.0), 1)    # 5:30 mile
53.4
"""

from __future__ import annotations

import math

from ..errors import UsageError

TRAINING_INTENSITY: dict[str, tuple[float, float]] = {
    "E": (0.59, 0.74),
    "T": (0.88, 0.88),
    "I": (0.975, 0.975),
}
"""Fraction of VDOT for each training intensity (slow end, fast end).

Daniels gives E as 59–74 % of VO2max, T as about 88 % and I as 95–100 %
(we take 97.5 %). These fractions reproduce the published tables (for VDOT 50:
T 4:15/km, I 3:55/km). M is the predicted marathon pace and R is I pace
less 6 s per 400 m ("R pace is about 6 seconds per 400 faster than I pace",
*Daniels' Running Formula*).
"""

R_FASTER_THAN_I_S_PER_400M = 6.0
"""Daniels' rule of thumb: repetition pace is ~6 s per 400 m faster than interval pace [s]."""

_MIN_RACE_S = 60.0
_MAX_RACE_S = 48 * 3600.0


def oxygen_cost(velocity_m_per_min: float) -> float:
    """Oxygen cost of running at a velocity (Daniels–Gilbert) [ml/kg/min].

    Parameters
    ----------
    velocity_m_per_min
        Running velocity [m/min].
    """
    v = velocity_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def velocity_for_oxygen_cost(vo2_ml_kg_min: float) -> float:
    """Velocity whose oxygen cost is ``vo2_ml_kg_min`` [m/min] (positive root of the quadratic)."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2_ml_kg_min
    disc = b * b - 4 * a * c
    if disc < 0:
        raise UsageError(f"no running velocity has an oxygen cost of {vo2_ml_kg_min:.1f} ml/kg/min")
    return (-b + math.sqrt(disc)) / (2 * a)


def fraction_of_vo2max(duration_min: float) -> float:
    """Fraction of VO2max sustainable for a race lasting ``duration_min`` [min] (Daniels–Gilbert)."""
    t = duration_min
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT of a race performance.

    Parameters
    ----------
    distance_m
        Race distance [m].
    time_s
        Race time [s].

    Returns
    -------
    float
        VDOT [ml/kg/min].

    Examples
    --------
    >>> round(vdot_from_race(5000.0, 1200.0), 1)     # 20:00 5K
    49.8
    """
    if not (distance_m > 0 and math.isfinite(distance_m)):
        raise UsageError(f"VDOT needs a positive race distance, got {distance_m!r} m")
    if not (time_s > 0 and math.isfinite(time_s)):
        raise UsageError(f"VDOT needs a positive race time, got {time_s!r} s")
    minutes = time_s / 60.0
    return oxygen_cost(distance_m / minutes) / fraction_of_vo2max(minutes)


def race_time_s(vdot: float, distance_m: float) -> float:
    """Race time that a VDOT predicts for a distance [s], by bisection on the Daniels–Gilbert equations.

    Parameters
    ----------
    vdot
        VDOT [ml/kg/min].
    distance_m
        Race distance [m].

    Examples
    --------
    >>> from milepace.units import format_duration
    >>> format_duration(race_time_s(50.0, 5000.0), decimals=0)
    '19:56'
    """
    if not (vdot > 0 and math.isfinite(vdot)):
        raise UsageError(f"a race time needs a positive VDOT, got {vdot!r}")
    lo, hi = _MIN_RACE_S, _MAX_RACE_S
    if not vdot_from_race(distance_m, hi) <= vdot <= vdot_from_race(distance_m, lo):
        raise UsageError(f"VDOT {vdot:.1f} is outside what the tables cover for {distance_m:.0f} m")
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if vdot_from_race(distance_m, mid) > vdot:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-6:
            break
    return 0.5 * (lo + hi)


def training_velocity_m_per_min(vdot: float, intensity: str) -> tuple[float, float]:
    """Velocity range (slow end, fast end) for a Daniels intensity ``E``, ``T`` or ``I`` [m/min]."""
    try:
        slow, fast = TRAINING_INTENSITY[intensity]
    except KeyError:
        raise UsageError(f"training intensity must be one of E, T, I, got {intensity!r}") from None
    return velocity_for_oxygen_cost(slow * vdot), velocity_for_oxygen_cost(fast * vdot)
