"""Time-trial splits on a synthetic mile whose lap profile is known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from milepace.detect.model import Effort
from milepace.report.time_trial import split_boundaries_m, time_trial_splits
from milepace.units import METERS_PER_MILE

T0 = pd.Timestamp("2026-05-02T13:00:00Z")
START_S = 600.0  # the trial starts 10 min into the activity


def _mile(
    last_lap_100m: tuple[float, ...] = (19.0, 18.0, 18.0, 17.0),
    *,
    gps_factor: float = 1.0,
    channel: str = "distance_m",
):
    """Records at 1 Hz: 10 min jogging at 3 m/s, a mile of laps 76, 75, 75, 72 s, then jogging.

    The first split is 409.344 m (1609.344 - 3 x 400), so the knots are at
    0, 409.344, 809.344, 1209.344 m and then every 100 m of the last lap.
    """
    lap_s = [76.0, 75.0, 75.0]
    knots_t = [0.0, *np.cumsum(lap_s)]
    knots_d = [0.0, 409.344, 809.344, 1209.344]
    for k, s in enumerate(last_lap_100m):
        knots_t.append(knots_t[-1] + s)
        knots_d.append(1209.344 + 100.0 * (k + 1))
    duration = knots_t[-1]
    t = np.arange(0.0, START_S + duration + 300.0 + 1.0)
    d = np.where(
        t < START_S,
        3.0 * t,
        np.where(
            t <= START_S + duration,
            3.0 * START_S + np.interp(t - START_S, knots_t, knots_d),
            3.0 * START_S + METERS_PER_MILE + 3.0 * (t - START_S - duration),
        ),
    )
    d = d * gps_factor
    index = pd.DatetimeIndex(T0 + pd.to_timedelta(t, unit="s"))
    if channel == "distance_m":
        records = pd.DataFrame({"distance_m": d}, index=index)
    else:
        records = pd.DataFrame({"speed_m_s": np.gradient(d, t)}, index=index)
    start = T0 + pd.Timedelta(seconds=START_S)
    effort = Effort(
        1,
        "interval",
        start,
        start + pd.Timedelta(seconds=duration),
        duration,
        METERS_PER_MILE,
        METERS_PER_MILE * gps_factor,
        duration / 1.0,
        snapped_distance_m=METERS_PER_MILE,
    )
    return effort, records


def test_mile_boundaries() -> None:
    # 1609.344 - 4 x 400 = 9.344 m, under 100 m, so it joins lap 1: 409.344 m then 3 laps
    assert split_boundaries_m(METERS_PER_MILE) == pytest.approx((409.344, 809.344, 1209.344, 1609.344))
    # 1500 m: 300 m then 3 laps; 5000 m: 200 m then 12 laps; 3200 m: 8 laps
    assert split_boundaries_m(1500.0) == pytest.approx((300.0, 700.0, 1100.0, 1500.0))
    assert (
        split_boundaries_m(5000.0)[:2] == pytest.approx((200.0, 600.0))
        and len(split_boundaries_m(5000.0)) == 13
    )
    assert split_boundaries_m(3200.0) == pytest.approx(tuple(400.0 * k for k in range(1, 9)))


def test_known_lap_profile() -> None:
    effort, records = _mile()
    splits = time_trial_splits(effort, records, goal_pace_s_per_mile=300.0)
    assert splits is not None
    assert splits.split_s == pytest.approx((76.0, 75.0, 75.0, 72.0), abs=1e-6)
    assert splits.cumulative_s == pytest.approx((76.0, 151.0, 226.0, 298.0), abs=1e-6)
    assert splits.last_lap_100m_s == pytest.approx((19.0, 18.0, 18.0, 17.0), abs=1e-6)
    assert splits.distance_source == "distance_m"
    assert splits.scale == pytest.approx(1.0)
    # goal 5:00 mile: 300 * 409.344 / 1609.344 = 76.307 s for lap 1, 300 * 400 / 1609.344 = 74.565 s a lap
    assert splits.goal_split_s == pytest.approx((76.307, 74.565, 74.565, 74.565), abs=1e-3)
    assert splits.split_delta_s[0] == pytest.approx(-0.307, abs=1e-3)


def test_pacing_plan_verdicts() -> None:
    effort, records = _mile()
    splits = time_trial_splits(effort, records, goal_pace_s_per_mile=300.0)
    assert splits is not None
    checks = {c.name: c.ok for c in splits.checks}
    # lap 1 was 0.3 s FASTER than the goal split; the plan wants about 1 s slower (0 to +2 s): not followed
    # at 809.344 m: 151.0 s vs 300 * 809.344 / 1609.344 = 150.871 s: 0.13 s behind, within 1 s: on pace
    # lap 3: 75.0 vs 74.565: +0.435 s, within the 1 s slack: held
    # lap 4: 19, 18, 18, 17: each 100 m no slower than the one before: built
    assert checks == {"lap 1": False, "800 m": True, "lap 3": True, "lap 4": True}


def test_good_first_lap_with_slower_goal() -> None:
    effort, records = _mile()
    # goal 4:58 = 298 s: lap 1 goal 298 * 409.344 / 1609.344 = 75.798 s, so 76.0 is +0.2 s (plan 0..+2 s)
    # 800 m: 151.0 vs 298 * 809.344 / 1609.344 = 149.866 s: 1.13 s behind -> not on pace
    # lap 3: 75 vs 298 * 400 / 1609.344 = 74.068 s: +0.93 s -> held (<= 1 s)
    splits = time_trial_splits(effort, records, goal_pace_s_per_mile=298.0)
    assert splits is not None
    assert {c.name: c.ok for c in splits.checks} == {
        "lap 1": True,
        "800 m": False,
        "lap 3": True,
        "lap 4": True,
    }


def test_fading_last_lap_is_not_built() -> None:
    effort, records = _mile((17.0, 18.0, 18.0, 19.0))
    splits = time_trial_splits(effort, records)
    assert splits is not None
    assert splits.last_lap_100m_s == pytest.approx((17.0, 18.0, 18.0, 19.0), abs=1e-6)
    # without a goal only the build can be judged
    assert [(c.name, c.ok) for c in splits.checks] == [("lap 4", False)]


def test_gps_overshoot_is_scaled_onto_the_track_distance() -> None:
    # the watch measured 1.2 % long everywhere; detection corrected the effort to 1609.344 m
    effort, records = _mile(gps_factor=1.012)
    splits = time_trial_splits(effort, records)
    assert splits is not None
    assert splits.scale == pytest.approx(1 / 1.012)
    assert splits.split_s == pytest.approx((76.0, 75.0, 75.0, 72.0), abs=1e-6)


def test_speed_channel_when_no_distance() -> None:
    effort, records = _mile(channel="speed")
    splits = time_trial_splits(effort, records)
    assert splits is not None and splits.distance_source == "speed_m_s"
    # integrating piecewise-constant-ish speed is approximate at the knots: within 0.6 s per split
    assert splits.split_s == pytest.approx((76.0, 75.0, 75.0, 72.0), abs=0.6)
    assert sum(splits.split_s) == pytest.approx(298.0, abs=1e-9)


def test_frame_and_no_distance() -> None:
    effort, records = _mile()
    splits = time_trial_splits(effort, records, goal_pace_s_per_mile=300.0)
    assert splits is not None
    frame = splits.to_frame()
    assert list(frame["distance_m"].round(3)) == [409.344, 400.0, 400.0, 400.0]
    assert frame["split_s"].sum() == pytest.approx(298.0)
    empty = pd.DataFrame({"heart_rate_bpm": [150.0, 151.0]}, index=records.index[:2])
    assert time_trial_splits(effort, empty) is None
