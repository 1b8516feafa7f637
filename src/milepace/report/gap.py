"""Grade-adjusted pace from Minetti's energy cost of running on slopes.

Minetti, Moia, Roi, Susta & Ferretti (2002), "Energy cost of walking and
running at extreme uphill and downhill slopes", *J Appl Physiol* 93:1039–1046,
fitted the metabolic cost of running per metre against gradient ``i``
(rise over run, -0.45 ≤ i ≤ 0.45)::

    C(i) = 155.4 i⁵ − 30.4 i⁴ − 43.3 i³ + 46.3 i² + 19.5 i + 3.6     [J/kg/m]

Grade-adjusted pace is the flat pace of equal metabolic power: at the same
power, speed scales with 1 / C, so ``GAP = pace × C(0) / C(i)``. Running a
10 % hill at 6:00/mile costs C(0.1)/C(0) = 5.968/3.6 = 1.658 times as much per
metre, the same as 3:37/mile on the flat. (Strava's published GAP model is
gentler uphill, 1.459 at +10 %; Minetti's is the peer-reviewed one.)
"""

from __future__ import annotations

import math

MINETTI_GRADE_LIMIT = 0.45
"""Minetti's data span gradients of ±45 %; steeper grades are clipped to it."""


def minetti_cost_j_kg_m(grade: float) -> float:
    """Energy cost of running at ``grade`` (rise over run, dimensionless) [J/kg/m]."""
    i = max(-MINETTI_GRADE_LIMIT, min(MINETTI_GRADE_LIMIT, grade))
    return 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6


def grade_adjusted_pace(pace_s_per_mile: float, grade_pct: float) -> float:
    """Flat-equivalent pace of running ``pace_s_per_mile`` on a ``grade_pct`` [%] slope [s/mile].

    >>> round(grade_adjusted_pace(360.0, 10.0), 1)
    217.2
    """
    if not (math.isfinite(pace_s_per_mile) and math.isfinite(grade_pct)):
        return math.nan
    ratio = minetti_cost_j_kg_m(grade_pct / 100.0) / minetti_cost_j_kg_m(0.0)
    return pace_s_per_mile / ratio
