"""Hand-checked pieces of the detector: smoothing, spans, IoU, the stadium and snapping."""

from __future__ import annotations

import numpy as np
import pytest

from milepace.detect.laps import iou
from milepace.detect.prepare import centered_mean
from milepace.detect.segment import hysteresis, merge_close, runs
from milepace.detect.track import LANE1_RADIUS_M, STRAIGHT_M, _arc_position, _stadium_distance, snap_distance


def test_centered_mean_skips_nan() -> None:
    # window 3: (0+3)/2, (0+3)/2, (3+3)/2 with the NaN skipped, ...
    out = centered_mean(np.array([0.0, 3.0, np.nan, 3.0, 0.0]), 3)
    assert out.tolist() == [1.5, 1.5, 3.0, 1.5, 1.5]


def test_runs_and_hysteresis() -> None:
    x = np.array([0, 2, 3, 2, 0, 2, 2, 0], dtype=float)
    assert runs(x > 1) == [(1, 4), (5, 7)]
    # only the first run ever exceeds 2.5
    assert hysteresis(x, 2.5, 1.0) == [(1, 4)]
    assert merge_close([(1, 4), (5, 7)], 2) == [(1, 7)]


def test_iou() -> None:
    assert iou((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert iou((0, 10), (10, 20)) == 0.0


def test_lane1_is_400m() -> None:
    # IAAF: two 84.39 m straights and two half circles of 36.5 m + 0.30 m = 36.8 m radius
    assert 2 * STRAIGHT_M + 2 * np.pi * LANE1_RADIUS_M == pytest.approx(400.0, abs=0.05)


def test_stadium_geometry() -> None:
    half = STRAIGHT_M / 2
    # a point on the top straight, on the line
    assert _stadium_distance(np.array([0.0]), np.array([LANE1_RADIUS_M]))[0] == pytest.approx(0.0)
    # 2 m outside the bend's apex
    assert _stadium_distance(np.array([half + LANE1_RADIUS_M + 2]), np.array([0.0]))[0] == pytest.approx(2.0)
    # start of the bottom straight is 0 m; its end is one straight; the apex of the right bend a quarter circle on
    s = _arc_position(
        np.array([-half + 1e-9, half - 1e-9, half + LANE1_RADIUS_M]), np.array([-LANE1_RADIUS_M] * 2 + [0.0])
    )
    assert s[0] == pytest.approx(0.0, abs=1e-6)
    assert s[1] == pytest.approx(STRAIGHT_M, abs=1e-6)
    assert s[2] == pytest.approx(STRAIGHT_M + np.pi * LANE1_RADIUS_M / 2)


@pytest.mark.parametrize(
    ("measured", "expected"),
    [(812.4, 800.0), (395.0, 400.0), (1612.0, 1609.344), (1598.0, 1600.0), (700.0, None), (250.0, None)],
)
def test_snap_distance(measured: float, expected: float | None) -> None:
    assert snap_distance(measured, 0.05) == expected


def test_shrink_to_standard_weights_by_precision() -> None:
    from milepace.detect.track import shrink_to_standard

    # equal variances: half-way between 400 and 404
    assert shrink_to_standard(400.0, 404.0, 2.0, 2.0) == pytest.approx(402.0)
    # boundary sd 1 m, GPS sd 3 m: weight 1 / (1 + 9) on the measurement -> 400 + 0.4
    assert shrink_to_standard(400.0, 404.0, 1.0, 3.0) == pytest.approx(400.4)
    # no measurement: the prior
    assert shrink_to_standard(400.0, float("nan"), 1.0, 3.0) == 400.0
