"""Hand-checked pieces of the detector: smoothing, spans, IoU, the stadium and snapping."""

from __future__ import annotations

from pathlib import Path

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


# Hill rule (issue 4: hill repeat = sustained grade of about 4 % or more). Expected values by hand:
# the gain's noise is sqrt(2/3) x the 1 Hz elevation noise; the grade needs 4 % + 2 x that / run.
@pytest.mark.parametrize(
    ("gain_m", "run_m", "noise_m", "expected"),
    [
        (3.42, 94.0, 0.06, False),  # 3.6 % road on a barometer: a road with strides, not a hill
        (1.5, 30.0, 0.05, True),  # 5 % sprint: needs 4 % + 2 x 0.05 / 30 = 4.33 %, gain >= 1 m
        (1.26, 30.0, 1.0, False),  # 4.2 % on GPS elevation: gain 1.26 m < 2 x 1 m of noise
        (8.4, 200.0, 0.05, True),  # 4.2 % over 200 m: needs 4.05 %
        (0.9, 18.0, 0.02, False),  # 5 % but under 1 m of climb
    ],
)
def test_climbs_needs_4pct_beyond_the_elevation_noise(
    gain_m: float, run_m: float, noise_m: float, expected: bool
) -> None:
    from milepace.detect.config import DetectConfig
    from milepace.detect.hills import climbs

    assert climbs(gain_m, gain_m / run_m, run_m, noise_m, DetectConfig()) is expected


def test_strides_on_a_gentle_road_grade_are_strides(sample_data: Path) -> None:
    """The bundled export's "Easy + strides" (20 s strides up a 3.6-3.9 % road, barometric) has no hill repeats."""
    from milepace.analysis import analyze
    from milepace.io import read_many

    export = sample_data / "strava_export.zip"
    if not export.is_file():
        pytest.skip("sample_data/strava_export.zip is absent")
    found = [r for r in read_many([export]) if "10296068223" in r.source]
    assert len(found) == 1
    activity = found[0].activity
    assert activity is not None
    kinds = [e.kind for e in analyze(activity).efforts]
    assert len(kinds) >= 4
    assert set(kinds) == {"stride"}
