"""Minetti's cost-of-running polynomial and grade-adjusted pace, by hand."""

from __future__ import annotations

import math

import pytest

from milepace.report.gap import grade_adjusted_pace, minetti_cost_j_kg_m


def test_flat_cost() -> None:
    # Minetti et al. 2002: 3.6 J/kg/m on the flat
    assert minetti_cost_j_kg_m(0.0) == pytest.approx(3.6)


def test_ten_percent_by_hand() -> None:
    # i = 0.1: 155.4e-5 - 30.4e-4 - 43.3e-3 + 46.3e-2 + 1.95 + 3.6
    #        = 0.001554 - 0.00304 - 0.0433 + 0.463 + 1.95 + 3.6 = 5.968214
    assert minetti_cost_j_kg_m(0.1) == pytest.approx(5.968214, abs=1e-6)
    # 6:00/mile up 10 %: 360 / (5.968214 / 3.6) = 360 / 1.657837 = 217.15 s/mile
    assert grade_adjusted_pace(360.0, 10.0) == pytest.approx(217.15, abs=0.01)


def test_downhill_is_cheaper_and_clipped() -> None:
    # i = -0.1: -0.001554 - 0.00304 + 0.0433 + 0.463 - 1.95 + 3.6 = 2.151706
    assert minetti_cost_j_kg_m(-0.1) == pytest.approx(2.151706, abs=1e-6)
    assert minetti_cost_j_kg_m(0.9) == minetti_cost_j_kg_m(0.45)


def test_nan_grade() -> None:
    assert math.isnan(grade_adjusted_pace(360.0, float("nan")))
