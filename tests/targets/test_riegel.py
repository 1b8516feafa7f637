"""Riegel's T2 = T1 (D2/D1)^1.06, checked by hand."""

from __future__ import annotations

import pytest

from milepace.errors import UsageError
from milepace.targets.riegel import riegel_distance_m, riegel_time_s


def test_doubling_distance() -> None:
    # 2^1.06 = e^(1.06 ln 2) = e^0.734732 = 2.084931; 20:00 5K -> 1200 * 2.084931 = 2501.9 s (41:42) 10K
    assert riegel_time_s(1200.0, 5000.0, 10000.0) == pytest.approx(2501.92, abs=0.02)


def test_mile_to_5k() -> None:
    # (5000 / 1609.344)^1.06 = 3.106856^1.06 = e^(1.06 * 1.133612) = e^1.201629 = 3.325417
    # 5:30 mile -> 330 * 3.325417 = 1097.4 s
    assert riegel_time_s(330.0, 1609.344, 5000.0) == pytest.approx(1097.39, abs=0.05)


def test_same_distance_is_identity() -> None:
    assert riegel_time_s(645.0, 3000.0, 3000.0) == pytest.approx(645.0)


def test_distance_inverts_time() -> None:
    t = riegel_time_s(330.0, 1609.344, 7000.0)
    assert riegel_distance_m(330.0, 1609.344, t) == pytest.approx(7000.0)


def test_custom_exponent() -> None:
    # exponent 1 means constant pace: 2 x the distance, 2 x the time
    assert riegel_time_s(100.0, 400.0, 800.0, exponent=1.0) == pytest.approx(200.0)


@pytest.mark.parametrize("args", [(0.0, 5000.0, 10000.0), (1200.0, -1.0, 10000.0), (1200.0, 5000.0, 0.0)])
def test_non_positive_inputs(args: tuple[float, float, float]) -> None:
    with pytest.raises(UsageError, match="positive"):
        riegel_time_s(*args)
