"""TCX reader: laps, trackpoints, TPX extensions under any prefix, units, times, errors.

Fixtures are small documents written here; expected values are worked out by
hand in the comments.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.activity import Activity, validate
from milepace.errors import EmptyActivity, ParseError
from milepace.io.tcx import read_tcx

TCX = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"


def tcx(activities: str, decl: str = f' xmlns:ns3="{AX}"', author: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="{TCX}"{decl}>'
        f"<Activities>{activities}</Activities>{author}</TrainingCenterDatabase>"
    ).encode()


def activity(laps: str, sport: str = "Running", creator: str = "") -> str:
    return f'<Activity Sport="{sport}"><Id>2024-05-01T10:00:00Z</Id>{laps}{creator}</Activity>'


def lap(
    start: str, total_s: float, dist_m: float, points: str, trigger: str = "Manual", intensity: str = "Active"
) -> str:
    return (
        f'<Lap StartTime="{start}"><TotalTimeSeconds>{total_s}</TotalTimeSeconds><DistanceMeters>{dist_m}</DistanceMeters>'
        f"<Calories>0</Calories><Intensity>{intensity}</Intensity><TriggerMethod>{trigger}</TriggerMethod>"
        f"<Track>{points}</Track></Lap>"
    )


def tp(
    t: str, dist: float | None = None, lat: float | None = None, lon: float | None = None, inner: str = ""
) -> str:
    pos = (
        f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees><LongitudeDegrees>{lon}</LongitudeDegrees></Position>"
        if lat is not None
        else ""
    )
    d = f"<DistanceMeters>{dist}</DistanceMeters>" if dist is not None else ""
    return f"<Trackpoint><Time>{t}</Time>{pos}{d}{inner}</Trackpoint>"


def quiet_read(data: bytes) -> Activity:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        act = read_tcx(data, "test.tcx")
    validate(act)
    return act


def read(data: bytes) -> Activity:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_tcx(data, "test.tcx")


# --------------------------------------------------------------------- laps

TWO_LAPS = activity(
    lap(
        "2024-05-01T10:00:00Z",
        90.0,
        400.0,
        tp("2024-05-01T10:00:00Z", 0.0) + tp("2024-05-01T10:01:30Z", 400.0),
        trigger="Distance",
        intensity="Active",
    )
    + lap(
        "2024-05-01T10:02:00Z",
        60.0,
        150.0,
        tp("2024-05-01T10:02:00Z", 400.0) + tp("2024-05-01T10:03:30Z", 550.0),
        trigger="Manual",
        intensity="Resting",
    )
)


def test_laps() -> None:
    laps = quiet_read(tcx(TWO_LAPS)).laps
    assert list(laps["start"]) == [pd.Timestamp("2024-05-01T10:00:00Z"), pd.Timestamp("2024-05-01T10:02:00Z")]
    # lap 1 ends where lap 2 starts (120 s of wall clock for 90 s of timer: the timer was stopped 30 s);
    # the last lap ends at start + 60 s = 10:03:00, extended to its last trackpoint at 10:03:30
    assert list(laps["end"]) == [pd.Timestamp("2024-05-01T10:02:00Z"), pd.Timestamp("2024-05-01T10:03:30Z")]
    assert laps["elapsed_s"].tolist() == [120.0, 90.0]
    assert laps["timer_s"].tolist() == [90.0, 60.0]
    assert laps["distance_m"].tolist() == [400.0, 150.0]
    assert laps["trigger"].tolist() == ["distance", "manual"]
    assert laps["intensity"].tolist() == ["active", "rest"]
    assert laps["wkt_step_index"].isna().all()


def test_lap_fields_take_the_first_text_of_the_first_child() -> None:
    # odd but well-formed laps: padded numbers, text after a child element, a second DistanceMeters
    # (ignored), and a last lap without TotalTimeSeconds
    odd = activity(
        '<Lap StartTime="2024-05-01T10:00:00Z"><TotalTimeSeconds> 90 </TotalTimeSeconds>'
        "<DistanceMeters><Extra/>400</DistanceMeters><DistanceMeters>999</DistanceMeters>"
        "<TriggerMethod>Distance</TriggerMethod>"
        f"<Track>{tp('2024-05-01T10:00:00Z', 0.0)}{tp('2024-05-01T10:01:30Z', 400.0)}</Track></Lap>"
        '<Lap StartTime="2024-05-01T10:02:00Z"><DistanceMeters>150</DistanceMeters>'
        f"<Track>{tp('2024-05-01T10:02:00Z', 400.0)}{tp('2024-05-01T10:03:00Z', 550.0)}</Track></Lap>"
    )
    laps = quiet_read(tcx(odd)).laps
    assert laps["timer_s"].tolist()[0] == 90.0 and np.isnan(laps["timer_s"].iloc[1])
    assert laps["distance_m"].tolist() == [400.0, 150.0]
    assert laps["trigger"].tolist() == ["distance", "unknown"]
    # the last lap has no total time (start + 0 s): it ends at its last trackpoint, 10:03:00
    assert laps["end"].iloc[1] == pd.Timestamp("2024-05-01T10:03:00Z")


@pytest.mark.parametrize(
    ("method", "trigger"),
    [
        ("Manual", "manual"),
        ("Distance", "distance"),
        ("Location", "position"),
        ("Time", "time"),
        ("HeartRate", "unknown"),
    ],
)
def test_trigger_methods(method: str, trigger: str) -> None:
    doc = tcx(
        activity(
            lap(
                "2024-05-01T10:00:00Z",
                10,
                30,
                tp("2024-05-01T10:00:00Z", 0.0) + tp("2024-05-01T10:00:10Z", 30.0),
                trigger=method,
            )
        )
    )
    assert quiet_read(doc).laps["trigger"].tolist() == [trigger]


def test_last_lap_end_is_start_plus_total_time() -> None:
    # 1 lap of 100 s whose last trackpoint is at 90 s: end = start + 100 s
    doc = tcx(
        activity(
            lap(
                "2024-05-01T10:00:00Z",
                100,
                300,
                tp("2024-05-01T10:00:00Z", 0.0) + tp("2024-05-01T10:01:30Z", 300.0),
            )
        )
    )
    laps = quiet_read(doc).laps
    assert laps["end"].iloc[0] == pd.Timestamp("2024-05-01T10:01:40Z")
    assert laps["elapsed_s"].iloc[0] == 100.0


# ------------------------------------------------------------ trackpoints


def test_trackpoint_channels_and_units() -> None:
    # TPX Speed is m/s; RunCadence is per leg (88 -> 176 steps/min); Watts are W
    inner = (
        "<AltitudeMeters>12.5</AltitudeMeters><HeartRateBpm><Value>151</Value></HeartRateBpm>"
        "<Extensions><ns3:TPX><ns3:Speed>3.35</ns3:Speed><ns3:RunCadence>88</ns3:RunCadence>"
        "<ns3:Watts>310</ns3:Watts></ns3:TPX></Extensions>"
    )
    pts = tp("2024-05-01T10:00:00Z", 0.0, 52.0, 13.0, inner) + tp(
        "2024-05-01T10:00:01Z", 3.35, 52.00003, 13.0, inner
    )
    recs = quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 1, 3.35, pts)))).records
    assert recs["speed_m_s"].tolist() == [3.35, 3.35]
    assert recs["cadence_spm"].tolist() == [176.0, 176.0]
    assert recs["power_w"].tolist() == [310.0, 310.0]
    assert recs["heart_rate_bpm"].tolist() == [151.0, 151.0]
    assert recs["elevation_m"].tolist() == [12.5, 12.5]
    assert recs["distance_m"].tolist() == [0.0, 3.35]  # the device's distance, not recomputed
    assert recs["lat_deg"].tolist() == [52.0, 52.00003]


@pytest.mark.parametrize(
    ("decl", "inner"),
    [
        (f' xmlns:ns3="{AX}"', "<Extensions><ns3:TPX><ns3:Speed>{v}</ns3:Speed></ns3:TPX></Extensions>"),
        (f' xmlns:ax="{AX}"', "<Extensions><ax:TPX><ax:Speed>{v}</ax:Speed></ax:TPX></Extensions>"),
        ("", f'<Extensions><TPX xmlns="{AX}"><Speed>{{v}}</Speed></TPX></Extensions>'),
        ("", "<Extensions><TPX><Speed>{v}</Speed></TPX></Extensions>"),  # no namespace at all
    ],
)
def test_tpx_speed_under_any_prefix(decl: str, inner: str) -> None:
    pts = tp("2024-05-01T10:00:00Z", 0.0, inner=inner.format(v=2.5)) + tp(
        "2024-05-01T10:00:01Z", 2.5, inner=inner.format(v=2.75)
    )
    assert quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 1, 2.5, pts)), decl=decl)).records[
        "speed_m_s"
    ].tolist() == [2.5, 2.75]


def test_plain_cadence_is_per_leg() -> None:
    pts = tp("2024-05-01T10:00:00Z", 0.0, inner="<Cadence>80</Cadence>") + tp(
        "2024-05-01T10:00:01Z", 3.0, inner="<Cadence>81</Cadence>"
    )
    assert quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 1, 3, pts)))).records[
        "cadence_spm"
    ].tolist() == [160.0, 162.0]


def test_treadmill_without_positions() -> None:
    pts = "".join(tp(f"2024-05-01T10:00:{i:02d}Z", 3.0 * i) for i in range(5))
    act = quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 4, 12, pts))))
    assert "lat_deg" not in act.records and "lon_deg" not in act.records
    assert act.records["distance_m"].tolist() == [0.0, 3.0, 6.0, 9.0, 12.0]
    assert act.distance_m == 12.0


def test_distance_from_positions_when_the_file_has_none() -> None:
    # 0.001 deg of latitude on the mean-radius sphere = 6,371,008.8 * 0.001 * pi / 180 = 111.1951 m
    pts = tp("2024-05-01T10:00:00Z", lat=0.0, lon=0.0) + tp("2024-05-01T10:00:30Z", lat=0.001, lon=0.0)
    act = quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 30, 111, pts))))
    assert act.records["distance_m"].tolist() == pytest.approx([0.0, 111.1951], abs=1e-3)
    assert act.meta.extra["distance_source"] == "positions"


def test_missing_heart_rate_on_one_point_lines_up() -> None:
    hr = "<HeartRateBpm><Value>{}</Value></HeartRateBpm>"
    pts = (
        tp("2024-05-01T10:00:00Z", 0.0, inner=hr.format(120))
        + tp("2024-05-01T10:00:01Z", 3.0)
        + tp("2024-05-01T10:00:02Z", 6.0, inner=hr.format(130))
    )
    h = quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 2, 6, pts)))).records["heart_rate_bpm"]
    assert h.iloc[0] == 120.0 and np.isnan(h.iloc[1]) and h.iloc[2] == 130.0


def test_time_offsets_become_utc() -> None:
    # Polar writes local time with an offset: 12:00:00+02:00 is 10:00:00Z
    pts = tp("2024-05-01T12:00:00+02:00", 0.0) + tp("2024-05-01T12:00:01+02:00", 3.0)
    act = quiet_read(tcx(activity(lap("2024-05-01T12:00:00+02:00", 1, 3, pts))))
    assert act.records.index[0] == pd.Timestamp("2024-05-01T10:00:00Z")
    assert act.laps["start"].iloc[0] == pd.Timestamp("2024-05-01T10:00:00Z")
    assert act.meta.utc_offset_s == 7200.0


def test_lap_boundary_duplicates_merge_without_a_warning() -> None:
    # Garmin repeats the last trackpoint of a lap as the first of the next one
    a = lap("2024-05-01T10:00:00Z", 2, 6, tp("2024-05-01T10:00:00Z", 0.0) + tp("2024-05-01T10:00:02Z", 6.0))
    b = lap("2024-05-01T10:00:02Z", 2, 6, tp("2024-05-01T10:00:02Z", 6.0) + tp("2024-05-01T10:00:04Z", 12.0))
    act = quiet_read(tcx(activity(a + b)))
    assert len(act.records) == 3 and act.warnings == ()


def test_missing_times() -> None:
    pts = "<Trackpoint><DistanceMeters>1</DistanceMeters></Trackpoint>" * 3
    with pytest.raises(ParseError, match="needs a timestamp on every Trackpoint, found none"):
        read(tcx(activity(lap("2024-05-01T10:00:00Z", 1, 3, pts))))


def test_time_only_trackpoints_are_empty() -> None:
    pts = tp("2024-05-01T10:00:00Z") + tp("2024-05-01T10:00:05Z")
    with pytest.raises(EmptyActivity, match="no position, distance"):
        read(tcx(activity(lap("2024-05-01T10:00:00Z", 5, 0, pts))))


# ---------------------------------------------------------------- structure


def test_multisport_reads_the_running_activities() -> None:
    bike = activity(
        lap(
            "2024-05-01T09:00:00Z", 1, 10, tp("2024-05-01T09:00:00Z", 0.0) + tp("2024-05-01T09:00:01Z", 10.0)
        ),
        sport="Biking",
    )
    run = activity(
        lap("2024-05-01T10:00:00Z", 1, 3, tp("2024-05-01T10:00:00Z", 0.0) + tp("2024-05-01T10:00:01Z", 3.0))
    )
    act = quiet_read(tcx(bike + run))
    assert act.records.index[0] == pd.Timestamp("2024-05-01T10:00:00Z")
    assert act.meta.sport == "running"
    assert any("only the 1 running" in w for w in act.warnings)


def test_courses_only_are_refused() -> None:
    doc = f'<TrainingCenterDatabase xmlns="{TCX}"><Courses><Course><Name>x</Name></Course></Courses></TrainingCenterDatabase>'
    with pytest.raises(ParseError, match="course"):
        read(doc.encode())


def test_not_tcx() -> None:
    with pytest.raises(ParseError, match="not TCX"):
        read(b"<Activities/>")


def test_creator_and_author() -> None:
    creator = (
        '<Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Name>Forerunner 935</Name>'
        "<UnitId>3900000000</UnitId><ProductID>2691</ProductID></Creator>"
    )
    author = "<Author><Name>Connect Api</Name></Author>"
    act = quiet_read(
        tcx(
            activity(
                lap(
                    "2024-05-01T10:00:00Z",
                    1,
                    3,
                    tp("2024-05-01T10:00:00Z", 0.0) + tp("2024-05-01T10:00:01Z", 3.0),
                ),
                creator=creator,
            ),
            author=author,
        )
    )
    assert (act.meta.product, act.meta.manufacturer) == ("Forerunner 935", "garmin")
    assert act.meta.extra["author"] == "Connect Api" and act.meta.extra["product_id"] == "2691"
    assert (act.meta.format, act.meta.sport, act.meta.decoder) == ("tcx", "running", "lxml")


# -------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.integers(min_value=-2, max_value=15), min_size=2, max_size=30),
    dist_steps=st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), min_size=30, max_size=30),
)
def test_records_sorted_unique_non_negative(steps: list[int], dist_steps: list[float]) -> None:
    t0 = pd.Timestamp("2024-05-01T10:00:00Z")
    times = t0 + pd.to_timedelta(np.cumsum(steps), unit="s")
    dist = np.cumsum(dist_steps[: len(steps)])
    pts = "".join(tp(t.strftime("%Y-%m-%dT%H:%M:%SZ"), float(d)) for t, d in zip(times, dist, strict=True))
    act = quiet_read(tcx(activity(lap("2024-05-01T10:00:00Z", 1, 1, pts))))  # validate(): sorted, unique, UTC
    assert len(act.records) == len(set(times))
    assert (act.records["distance_m"] >= 0).all()
