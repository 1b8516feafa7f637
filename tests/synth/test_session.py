"""The generator: oval geometry, truth consistency, recording models, determinism."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from milepace.errors import UsageError
from milepace.geo import haversine_m
from milepace.synth import LANE1_LENGTH_M, TEMPLATES, simulate
from milepace.synth.session import LANE1_RADIUS_M, TRACK_STRAIGHT_M, oval_xy
from milepace.units import METERS_PER_MILE

from .conftest import need, session

TRACK_TEMPLATES = [
    "track_4x400",
    "track_8x200",
    "track_6x800",
    "track_4x1200",
    "track_mixed",
    "combo",
    "mile_time_trial",
]


# ----------------------------------------------------------------------------- oval
def test_lane1_length_is_400m_by_hand() -> None:
    # 2 x 84.39 + 2 pi x (36.5 + 0.30) = 168.78 + 231.22 = 400.00 m (World Athletics track geometry)
    assert LANE1_RADIUS_M == pytest.approx(36.8)
    assert LANE1_LENGTH_M == pytest.approx(400.0, abs=0.005)


def test_oval_is_closed_and_lane1_perimeter_is_400m() -> None:
    s = np.arange(0.0, 400.0 + 1e-9, 0.01)
    x, y = oval_xy(s)
    perimeter = float(np.hypot(np.diff(x), np.diff(y)).sum())
    assert perimeter == pytest.approx(LANE1_LENGTH_M, abs=0.01)
    x0, y0 = oval_xy(np.array([0.0, LANE1_LENGTH_M]))
    assert x0[0] == pytest.approx(x0[1], abs=1e-9) and y0[0] == pytest.approx(y0[1], abs=1e-9)


def test_oval_straights_and_bends() -> None:
    # along a straight the runner moves 84.39 m in x at constant y; bend points are 36.8 m from the bend centre
    x, y = oval_xy(np.array([0.0, TRACK_STRAIGHT_M]))
    assert x[1] - x[0] == pytest.approx(84.39)
    assert y[0] == pytest.approx(y[1])
    s_bend = TRACK_STRAIGHT_M + np.linspace(0.5, math.pi * LANE1_RADIUS_M - 0.5, 20)
    bx, by = oval_xy(s_bend)
    assert np.allclose(np.hypot(bx - TRACK_STRAIGHT_M / 2, by), 36.8)
    # rotation preserves distances from the centre
    rx, ry = oval_xy(s_bend, rotation_rad=1.0)
    assert np.allclose(np.hypot(rx, ry), np.hypot(bx, by))


# ----------------------------------------------------------------------------- truth
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_truth_is_consistent(template: str) -> None:
    s = session(template)
    assert np.all(np.diff(s.time_s) > 0)
    assert np.all(s.time_s == np.round(s.time_s))
    starts = [e.start_s for e in s.efforts]
    assert starts == sorted(starts)
    for e in s.efforts:
        assert s.start_s <= e.start_s < e.end_s <= s.end_s
        assert e.distance_m > 0
        assert e.kind in ("interval", "stride", "hill_repeat")
        assert e.pace_s_per_mile == pytest.approx(e.duration_s / e.distance_m * METERS_PER_MILE)
    for a, b in zip(s.efforts, s.efforts[1:], strict=False):
        assert a.end_s <= b.start_s
    for r in s.recoveries:
        assert r.start_s == s.efforts[r.after].end_s
        assert r.end_s == s.efforts[r.after + 1].start_s
        assert r.duration_s == pytest.approx(r.end_s - r.start_s)
        assert r.kind in ("jog", "walk", "stand")
        assert r.distance_m >= 0
    json.dumps(s.to_truth_dict("x.fit"))
    assert s.sport == "running"


@pytest.mark.parametrize(
    ("template", "distance_m", "count"),
    [
        ("track_4x400", 400.0, 4),
        ("track_8x200", 200.0, 8),
        ("track_6x800", 800.0, 6),
        ("track_4x1200", 1200.0, 4),
    ],
)
def test_track_rep_distances_are_exact(template: str, distance_m: float, count: int) -> None:
    s = session(template)
    assert [e.distance_m for e in s.efforts] == pytest.approx([distance_m] * count, abs=1e-6)
    assert s.sub_sport == "track"


def test_mixed_and_combo_rep_distances() -> None:
    assert [e.distance_m for e in session("track_mixed").efforts] == pytest.approx(
        [800, 400, 400, 400, 400], abs=1e-6
    )
    # 3/4 mi = 1207.008 m, 1/4 mi = 402.336 m
    combo = [e.distance_m for e in session("combo").efforts]
    assert combo == pytest.approx([1207.008, 402.336] * 4, abs=1e-6)
    # the 1/4 follows the 3/4 with no recovery in between, so 3 recoveries for 8 efforts
    assert len(session("combo").recoveries) == 3
    tt = session("mile_time_trial").efforts
    assert [e.kind for e in tt] == ["stride"] * 4 + ["interval"]
    assert tt[-1].distance_m == pytest.approx(1609.344)


def test_noise_free_track_positions_measure_the_true_distance() -> None:
    s = simulate("track_6x800", seed=4, gps_sigma_m=0.0)
    assert s.lat_deg is not None and s.lon_deg is not None
    steps = haversine_m(s.lat_deg[:-1], s.lon_deg[:-1], s.lat_deg[1:], s.lon_deg[1:])
    # 1 Hz chords on the 36.8 m bends are a little shorter than the arc; well under 0.2 %
    assert steps.sum() == pytest.approx(s.true_distance_m, rel=2e-3)


def test_rep_paces_follow_the_goal() -> None:
    # 6 x 800 at mile pace for a 5:30 miler: each rep within 4 % of 330 s/mi
    for e in session("track_6x800").efforts:
        assert e.pace_s_per_mile == pytest.approx(330.0, rel=0.04)
    # 4 x 1200 at 3K pace: Riegel 330 x (3000 / 1609.344) ** 0.06 = 342.6 s/mi (hand-computed)
    for e in session("track_4x1200").efforts:
        assert e.pace_s_per_mile == pytest.approx(342.6, rel=0.04)
    # threshold 1.15 x 330 = 379.5 s/mi
    for e in session("threshold_2x2mi").efforts:
        assert e.pace_s_per_mile == pytest.approx(379.5, rel=0.04)
        assert e.distance_m == pytest.approx(2 * METERS_PER_MILE)


@pytest.mark.parametrize(
    ("template", "kind", "lo", "hi"),
    [
        ("easy_strides", "stride", 4, 6),
        ("hill_sprints", "hill_repeat", 6, 8),
        ("fartlek", "interval", 18, 18),
    ],
)
def test_effort_counts_and_durations(template: str, kind: str, lo: int, hi: int) -> None:
    for seed in (1, 2, 3):
        s = session(template, seed)
        assert lo <= len(s.efforts) <= hi
        assert all(e.kind == kind for e in s.efforts)
    if template == "easy_strides":
        assert all(15 <= e.duration_s <= 30 for e in s.efforts)
    if template == "hill_sprints":
        assert all(8 <= e.duration_s <= 10 for e in s.efforts)


def test_hill_sprints_climb_and_walk_back() -> None:
    s = simulate("hill_sprints", seed=5, elevation_source="baro", gps_sigma_m=0.0)
    assert s.elevation_m is not None
    for e in s.efforts:
        inside = (s.time_s >= math.ceil(e.start_s)) & (s.time_s <= math.floor(e.end_s))
        gain = s.elevation_m[inside][-1] - s.elevation_m[inside][0]
        assert gain > 0.02 * e.distance_m  # at least 4 % less quantisation and drift
    assert {r.kind for r in s.recoveries} <= {"walk", "stand"}


def test_easy_run_has_no_efforts_and_stops() -> None:
    s = session("easy")
    assert s.efforts == () and s.recoveries == ()
    assert s.speed_m_s is not None
    stopped = s.speed_m_s == 0
    assert stopped.sum() >= 15  # two traffic lights of 15-45 s
    assert s.kind == "easy"


@pytest.mark.parametrize(("template", "kind"), [("track_6x800", "jog"), ("track_4x400", "stand")])
def test_recovery_kinds(template: str, kind: str) -> None:
    assert {r.kind for r in session(template).recoveries} == {kind}


def test_duration_controls_easy_and_long() -> None:
    assert simulate("easy", seed=1, duration_s=1800).elapsed_s == pytest.approx(1800, abs=2)
    assert simulate("long", seed=1, duration_s=3600).elapsed_s == pytest.approx(3600, abs=2)
    # without a duration the long run is ~10 mi
    assert simulate("long", seed=2).true_distance_m / METERS_PER_MILE == pytest.approx(10.1, abs=0.4)


# ----------------------------------------------------------------------------- recording
def test_determinism_by_seed() -> None:
    a = simulate("track_6x800", seed=7, recording="smart", laps="manual")
    b = simulate("track_6x800", seed=7, recording="smart", laps="manual")
    c = simulate("track_6x800", seed=8, recording="smart", laps="manual")
    for name, arr in a.channels().items():
        assert np.array_equal(arr, b.channels()[name], equal_nan=True)
    assert np.array_equal(a.time_s, b.time_s)
    assert a.laps == b.laps and a.efforts == b.efforts
    assert not np.array_equal(need(a.distance_m), need(c.distance_m))


def test_smart_recording_gaps() -> None:
    s = session("easy", recording="smart")
    gaps = np.diff(s.time_s)
    assert gaps.min() >= 1 and gaps.max() <= 7
    assert len(s.time_s) < 0.6 * session("easy").time_s.size


def test_auto_pause_drops_standing_records() -> None:
    s = session("track_4x400", auto_pause=True)
    assert len(s.pauses) == 3  # one per 75 s standing rest
    for p in s.pauses:
        assert not np.any((s.time_s > p.start_s) & (s.time_s < p.end_s))
        assert p.end_s in s.time_s
    assert s.timer_s < s.elapsed_s - 3 * 60
    assert sum(lap.timer_s for lap in s.laps) == pytest.approx(s.timer_s)


def test_gps_distance_error_is_a_few_percent() -> None:
    s = session("track_6x800")
    assert s.device_distance_m == pytest.approx(s.true_distance_m, rel=0.05)


def test_footpod_calibration_and_treadmill() -> None:
    s = simulate("easy", seed=3, treadmill=True)
    assert s.lat_deg is None and s.lon_deg is None
    assert s.sub_sport == "treadmill" and s.device["speed_source"] == "footpod"
    ratio = s.device_distance_m / s.true_distance_m
    assert 0.95 < ratio < 1.05 and abs(ratio - 1) > 0.005
    with pytest.raises(UsageError):
        simulate("track_6x800", treadmill=True)


def test_gaits_cadence_and_heart_rate() -> None:
    s = session("track_6x800")
    assert s.cadence_spm is not None and s.heart_rate_bpm is not None
    for e in s.efforts:
        inside = (s.time_s >= e.start_s + 10) & (s.time_s <= e.end_s)
        assert 178 <= np.median(s.cadence_spm[inside]) <= 200
        # heart rate lags: higher at the end of the rep than at its start
        hr = s.heart_rate_bpm[(s.time_s >= e.start_s) & (s.time_s <= e.end_s)]
        assert hr[-1] > hr[0] + 5
    for r in s.recoveries:
        inside = (s.time_s >= r.start_s + 10) & (s.time_s <= r.end_s)
        assert 160 <= np.median(s.cadence_spm[inside]) <= 172
    w = session("hill_sprints")
    assert w.cadence_spm is not None and w.speed_m_s is not None
    walking = (w.speed_m_s > 0.9) & (w.speed_m_s < 1.5)
    assert 105 <= np.median(w.cadence_spm[walking]) <= 135


# ----------------------------------------------------------------------------- laps
def test_workout_laps_follow_steps() -> None:
    s = session("track_6x800", laps="workout")
    assert s.workout_steps is not None
    assert len(s.laps) == len(s.workout_steps) == 13  # warm-up, 6 reps, 5 jogs, cool-down
    assert [lap.wkt_step_index for lap in s.laps] == list(range(13))
    assert [lap.intensity for lap in s.laps] == ["warmup"] + ["active", "rest"] * 5 + ["active", "cooldown"]
    for lap, e in zip(s.laps[1::2], s.efforts, strict=True):
        assert lap.start_s == math.ceil(e.start_s)
    _laps_cover_session(s)


def test_manual_laps_are_late_by_at_most_2_5_s() -> None:
    s = session("track_6x800", laps="manual", seed=2)
    bounds = [t for e in s.efforts for t in (e.start_s, e.end_s)]
    presses = [lap.start_s for lap in s.laps[1:]]
    assert len(presses) >= 9
    for p in presses:
        late = min((p - b for b in bounds if p - b >= -0.5), default=99)
        assert late <= 3.0
    assert all(lap.wkt_step_index is None for lap in s.laps)
    _laps_cover_session(s)


@pytest.mark.parametrize(("mode", "unit"), [("auto_km", 1000.0), ("auto_mile", METERS_PER_MILE)])
def test_auto_laps(mode: str, unit: float) -> None:
    s = session("long", laps=mode)
    assert len(s.laps) == math.ceil(s.device_distance_m / unit)
    for lap in s.laps[:-1]:
        assert lap.distance_m == pytest.approx(unit, abs=8.0)  # one second of running
    _laps_cover_session(s)


def test_no_laps_is_one_lap() -> None:
    s = session("easy", laps="none")
    assert len(s.laps) == 1 and s.laps[0].trigger == "session_end"


def _laps_cover_session(s: object) -> None:
    from milepace.synth import SynthSession

    assert isinstance(s, SynthSession)
    assert s.laps[0].start_s == s.start_s and s.laps[-1].end_s == s.end_s
    for a, b in zip(s.laps, s.laps[1:], strict=False):
        assert a.end_s == b.start_s
    assert sum(lap.distance_m for lap in s.laps) == pytest.approx(s.device_distance_m, abs=0.05)


def test_bad_arguments_raise_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown template"):
        simulate("marathon")
    with pytest.raises(UsageError, match="recording"):
        simulate("easy", recording="often")
    with pytest.raises(UsageError, match="start"):
        simulate("easy", start="yesterday")
