"""activity_summary and moving time, on small activities whose answers are worked out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from milepace.activity import PAUSE_COLUMNS, Activity, ActivityMeta, empty_laps, empty_pauses
from milepace.summary import MOVING_SPEED_MIN_M_S, activity_summary, moving_time_s, plausible_utc_offset

T0 = pd.Timestamp("2024-01-03T06:01:02Z")


def make(
    columns: dict[str, list[float]],
    *,
    pauses: list[tuple[float, float]] = (),  # type: ignore[assignment]
    utc_offset_s: float | None = None,
    warnings: tuple[str, ...] = (),
    extra: dict[str, object] | None = None,
) -> Activity:
    n = len(next(iter(columns.values())))
    idx = pd.DatetimeIndex([T0 + pd.Timedelta(seconds=i) for i in range(n)], name="time")
    recs = pd.DataFrame({k: np.asarray(v, dtype=np.float64) for k, v in columns.items()}, index=idx)
    if pauses:
        frame = pd.DataFrame(
            {
                "start": [T0 + pd.Timedelta(seconds=a) for a, _ in pauses],
                "end": [T0 + pd.Timedelta(seconds=b) for _, b in pauses],
                "duration_s": [b - a for a, b in pauses],
                "source": ["timer"] * len(pauses),
            },
            columns=list(PAUSE_COLUMNS),
        )
    else:
        frame = empty_pauses()
    meta = ActivityMeta(
        source="runs/a.fit",
        format="fit",
        sport="running",
        sub_sport="track",
        manufacturer="garmin",
        product="fenix6",
        utc_offset_s=utc_offset_s,
        decoder="fitdecode",
        extra=extra or {},
    )
    return Activity(recs, empty_laps(), frame, meta, warnings=warnings)


# Records at t = 0..10 s. Interval speeds (distance gain / 1 s):
#   0-1 0.2, 1-2 0.2, 2-3 .. 8-9 3.0 (seven intervals), 9-10 0.2  [m/s]
# A timer pause from 7 s to 9 s covers the intervals 7-8 and 8-9.
# Moving = intervals faster than 0.5 m/s and outside the pause = 2-3, 3-4, 4-5, 5-6, 6-7 = 5 s.
DIST = [0.0, 0.2, 0.4, 3.4, 6.4, 9.4, 12.4, 15.4, 18.4, 21.4, 21.6]


def test_moving_time_by_hand() -> None:
    act = make({"distance_m": DIST}, pauses=[(7.0, 9.0)])
    assert moving_time_s(act) == pytest.approx(5.0)
    assert MOVING_SPEED_MIN_M_S == 0.5
    # without the pause the two 3 m/s intervals inside it count too: 7 s
    assert moving_time_s(make({"distance_m": DIST})) == pytest.approx(7.0)


def test_moving_time_uses_only_samples_that_hold_a_distance() -> None:
    # distance on even seconds only, 6 m every 2 s = 3 m/s throughout: all 10 s are moving,
    # not half of them (the NaN samples are not "standing still").
    dist = [float(i * 3) if i % 2 == 0 else math.nan for i in range(11)]
    assert moving_time_s(make({"distance_m": dist})) == pytest.approx(10.0)


def test_moving_time_from_positions_when_there_is_no_distance() -> None:
    # 0.0001 deg of latitude on the mean-radius sphere = 2*pi*6371008.8/360*0.0001 = 11.12 m per second:
    # moving. 0.000001 deg = 0.111 m/s: standing (GPS drift).
    fast = make({"lat_deg": [i * 1e-4 for i in range(5)], "lon_deg": [0.0] * 5})
    slow = make({"lat_deg": [i * 1e-6 for i in range(5)], "lon_deg": [0.0] * 5})
    assert moving_time_s(fast) == pytest.approx(4.0)
    assert moving_time_s(slow) == pytest.approx(0.0)


def test_moving_time_from_speed_alone_and_unknown_without_any_channel() -> None:
    # intervals start at speeds 0, 0, 2, 2 m/s: two moving seconds
    assert moving_time_s(make({"speed_m_s": [0.0, 0.0, 2.0, 2.0, 0.0]})) == pytest.approx(2.0)
    assert moving_time_s(make({"heart_rate_bpm": [120.0, 121.0, 122.0]})) is None


@pytest.mark.parametrize(
    ("offset_s", "expected"),
    [
        (7200.0, "2024-01-03T08:01:02+02:00"),  # 06:01:02Z + 2 h
        (-16200.0, "2024-01-03T01:31:02-04:30"),  # 06:01:02Z - 4 h 30 min
        (0.0, "2024-01-03T06:01:02+00:00"),
        (None, None),
        (-1108856499.0, None),  # a broken local_timestamp, not a time zone
    ],
)
def test_start_local(offset_s: float | None, expected: str | None) -> None:
    summary = activity_summary(make({"distance_m": DIST}, utc_offset_s=offset_s))
    assert summary["start_utc"] == "2024-01-03T06:01:02Z"
    assert summary["start_local"] == expected


def test_plausible_utc_offset_bounds() -> None:
    # real zones run from UTC-12:00 (Baker Island) to UTC+14:00 (Line Islands)
    assert plausible_utc_offset(14 * 3600) == 14 * 3600
    assert plausible_utc_offset(-12 * 3600) == -12 * 3600
    assert plausible_utc_offset(14 * 3600 + 1) is None
    assert plausible_utc_offset(math.nan) is None


def test_summary_fields_by_hand() -> None:
    act = make(
        {"distance_m": DIST, "heart_rate_bpm": [math.nan] * 11, "cadence_spm": [170.0] * 11},
        pauses=[(7.0, 9.0)],
        utc_offset_s=3600.0,
        warnings=("runs/a.fit: 2 repeated timestamp(s) merged",),
    )
    s = activity_summary(act)
    assert s["format"] == "fit" and s["decoder"] == "fitdecode"
    assert s["device"] == {"manufacturer": "garmin", "product": "fenix6"}
    assert (s["sport"], s["sub_sport"], s["is_run"]) == ("running", "track", True)
    assert s["elapsed_s"] == 10.0  # first to last record
    assert s["paused_s"] == 2.0 and s["timer_s"] == 8.0  # 10 s less the 2 s pause
    assert s["moving_s"] == 5.0  # worked out above DIST
    assert s["distance_m"] == pytest.approx(21.6)
    assert (s["records"], s["laps"], s["pauses"]) == (11, 0, 1)
    assert s["channels"] == ["distance_m", "cadence_spm"]  # heart rate column is all NaN: not present
    assert s["warnings"] == ["2 repeated timestamp(s) merged"]
    assert s["strava"] is None
    json.dumps(s)  # JSON-ready


def test_summary_carries_strava_export_fields() -> None:
    extra = {
        "strava_activity_id": "10001",
        "strava_activity_date": "Jan 3, 2024, 6:01:02 AM",
        "strava_start_utc": "2024-01-03T06:01:02Z",
        "strava_activity_name": "Track 6x800",
        "strava_activity_type": "Run",
        "strava_is_run": True,
    }
    s = activity_summary(make({"distance_m": DIST}, extra=extra))
    assert s["strava"] == {
        "activity_id": "10001",
        "date": "Jan 3, 2024, 6:01:02 AM",
        "start_utc": "2024-01-03T06:01:02Z",
        "name": "Track 6x800",
        "type": "Run",
        "is_run": True,
    }


def test_summary_of_single_record_activity() -> None:
    s = activity_summary(make({"distance_m": [5.0]}))
    assert s["elapsed_s"] == 0.0 and s["moving_s"] == 0.0 and s["records"] == 1
