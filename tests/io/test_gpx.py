"""GPX reader: namespaces, segments, extension spellings, units, times, errors.

Every fixture is a small document written here; expected values are worked
out by hand in the comments.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.activity import validate
from milepace.errors import EmptyActivity, HostileInput, ParseError
from milepace.io.gpx import GAP_PAUSE_S, device_from_creator, read_gpx, sport_from_type

GPX11 = "http://www.topografix.com/GPX/1/1"
GPX10 = "http://www.topografix.com/GPX/1/0"
TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
TPX2 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"


def gpx(
    points: str, ns: str | None = GPX11, extra_ns: str = "", head: str = "", creator: str = "test"
) -> bytes:
    xmlns = f' xmlns="{ns}"' if ns else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="{creator}"{xmlns}{extra_ns}>'
        f"{head}<trk><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def pt(lat: float, lon: float, t: str, inner: str = "") -> str:
    return f'<trkpt lat="{lat}" lon="{lon}"><time>{t}</time>{inner}</trkpt>'


def read(data: bytes) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_gpx(data, "test.gpx")


def quiet_read(data: bytes):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        act = read_gpx(data, "test.gpx")
    validate(act)
    return act


# ---------------------------------------------------------------- distance


def test_distance_on_a_known_geodesic() -> None:
    # 0.001 deg of latitude along a meridian on the mean-radius sphere:
    # R * dphi = 6,371,008.8 m * (0.001 * pi / 180) = 6,371,008.8 * 1.745329252e-5 = 111.1951 m
    doc = gpx(pt(0.0, 0.0, "2024-05-01T10:00:00Z") + pt(0.001, 0.0, "2024-05-01T10:00:30Z"))
    act = quiet_read(doc)
    assert act.records["distance_m"].tolist() == pytest.approx([0.0, 111.1951], abs=1e-3)
    assert act.meta.extra["distance_source"] == "positions"
    assert "speed_m_s" not in act.records  # never derived by the reader


def test_distance_skips_points_without_a_position() -> None:
    # 0 -> (no position) -> 0.002 deg: the middle point gets NaN, the last is 2 * 111.1951 = 222.3902 m
    doc = gpx(
        pt(0.0, 0.0, "2024-05-01T10:00:00Z")
        + "<trkpt><time>2024-05-01T10:00:01Z</time></trkpt>"
        + pt(0.002, 0.0, "2024-05-01T10:00:02Z")
    )
    d = quiet_read(doc).records["distance_m"]
    assert d.iloc[0] == 0.0 and np.isnan(d.iloc[1]) and d.iloc[2] == pytest.approx(222.3902, abs=1e-3)


def test_distance_extension_wins_over_positions() -> None:
    gd = ' xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"'
    doc = gpx(
        pt(
            0.0,
            0.0,
            "2024-05-01T10:00:00Z",
            "<extensions><gpxdata:distance>5.0</gpxdata:distance></extensions>",
        )
        + pt(
            0.001,
            0.0,
            "2024-05-01T10:00:30Z",
            "<extensions><gpxdata:distance>120.0</gpxdata:distance></extensions>",
        ),
        extra_ns=gd,
    )
    act = quiet_read(doc)
    assert act.records["distance_m"].tolist() == [5.0, 120.0]
    assert act.meta.extra["distance_source"] == "extension"


# -------------------------------------------------------------- namespaces

POINTS = (
    pt(45.0, 6.0, "2024-05-01T10:00:00Z", "<ele>100.5</ele>")
    + pt(45.0001, 6.0, "2024-05-01T10:00:01Z", "<ele>101.0</ele>")
    + pt(45.0002, 6.0, "2024-05-01T10:00:02Z", "<ele>101.5</ele>")
)


@pytest.mark.parametrize("ns", [GPX11, GPX10, None])
def test_gpx_versions_read_the_same(ns: str | None) -> None:
    act = quiet_read(gpx(POINTS, ns=ns))
    assert len(act.records) == 3
    assert act.records["elevation_m"].tolist() == [100.5, 101.0, 101.5]
    assert act.records["lat_deg"].tolist() == [45.0, 45.0001, 45.0002]
    assert act.records.index[0] == pd.Timestamp("2024-05-01T10:00:00Z")


def test_mixed_10_and_11_namespaces() -> None:
    # the second segment is declared in the GPX 1.0 namespace inside a 1.1 document
    doc = (
        f'<gpx version="1.1" xmlns="{GPX11}"><trk><trkseg>'
        + pt(1.0, 1.0, "2024-05-01T10:00:00Z")
        + f'</trkseg><trkseg xmlns="{GPX10}">'
        + pt(1.0001, 1.0, "2024-05-01T10:00:01Z")
        + pt(1.0002, 1.0, "2024-05-01T10:00:02Z")
        + "</trkseg></trk></gpx>"
    ).encode()
    assert len(quiet_read(doc).records) == 3


def test_gpx10_speed_element_is_m_per_s() -> None:
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T10:00:00Z", "<speed>3.5</speed>")
        + pt(1.0, 1.0, "2024-05-01T10:00:01Z", "<speed>3.6</speed>"),
        ns=GPX10,
    )
    assert quiet_read(doc).records["speed_m_s"].tolist() == [3.5, 3.6]


# ---------------------------------------------------------------- segments


def test_several_tracks_and_segments_in_time_order() -> None:
    # a later segment written first: concatenated in time order, without a "went backwards" note
    late = pt(1.0, 1.0, "2024-05-01T11:00:00Z") + pt(1.0, 1.0001, "2024-05-01T11:00:01Z")
    early = pt(1.0, 1.0, "2024-05-01T10:00:00Z") + pt(1.0, 1.0001, "2024-05-01T10:00:01Z")
    third = pt(1.0, 1.0, "2024-05-01T12:00:00Z")
    doc = (
        f'<gpx version="1.1" xmlns="{GPX11}"><trk><trkseg>{late}</trkseg><trkseg>{early}</trkseg></trk>'
        f"<trk><trkseg>{third}</trkseg></trk></gpx>"
    ).encode()
    act = quiet_read(doc)
    assert len(act.records) == 5
    assert act.records.index[0] == pd.Timestamp("2024-05-01T10:00:00Z")
    assert act.warnings == ()
    # two gaps of 3,599 s between segments are pauses
    assert act.pauses["duration_s"].tolist() == [3599.0, 3599.0]


# -------------------------------------------------------------- extensions

HR_CAD = [
    # Garmin TrackPointExtension v1, usual prefix
    (
        f' xmlns:gpxtpx="{TPX1}"',
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr><gpxtpx:cad>{cad}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>",
    ),
    # same namespace, Garmin Connect's ns3 prefix
    (
        f' xmlns:ns3="{TPX1}"',
        "<extensions><ns3:TrackPointExtension><ns3:hr>{hr}</ns3:hr><ns3:cad>{cad}</ns3:cad></ns3:TrackPointExtension></extensions>",
    ),
    # TrackPointExtension v2
    (
        f' xmlns:tp2="{TPX2}"',
        "<extensions><tp2:TrackPointExtension><tp2:hr>{hr}</tp2:hr><tp2:cad>{cad}</tp2:cad></tp2:TrackPointExtension></extensions>",
    ),
    # ClueTrust gpxdata directly under extensions
    (
        ' xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"',
        "<extensions><gpxdata:hr>{hr}</gpxdata:hr><gpxdata:cadence>{cad}</gpxdata:cadence></extensions>",
    ),
    # plain elements in the GPX namespace (sportractive, Polar)
    ("", "<extensions><heartrate>{hr}</heartrate><cadence>{cad}</cadence></extensions>"),
]


@pytest.mark.parametrize(("decl", "template"), HR_CAD)
def test_heart_rate_and_cadence_spellings(decl: str, template: str) -> None:
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T10:00:00Z", template.format(hr=150, cad=85))
        + pt(1.0, 1.0001, "2024-05-01T10:00:01Z", template.format(hr=152, cad=90)),
        extra_ns=decl,
    )
    recs = quiet_read(doc).records
    assert recs["heart_rate_bpm"].tolist() == [150.0, 152.0]
    # cadence is per leg in GPX: 85 and 90 strides/min are 170 and 180 steps/min
    assert recs["cadence_spm"].tolist() == [170.0, 180.0]


@pytest.mark.parametrize(
    ("decl", "inner"),
    [
        (
            f' xmlns:gpxtpx="{TPX1}"',
            "<extensions><gpxtpx:TrackPointExtension><gpxtpx:power>{w}</gpxtpx:power></gpxtpx:TrackPointExtension></extensions>",
        ),
        ("", "<extensions><power>{w}</power></extensions>"),
        (
            ' xmlns:pwr="http://www.garmin.com/xmlschemas/PowerExtension/v1"',
            "<extensions><pwr:PowerInWatts>{w}</pwr:PowerInWatts></extensions>",
        ),
    ],
)
def test_power_spellings(decl: str, inner: str) -> None:
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T10:00:00Z", inner.format(w=250))
        + pt(1.0, 1.0001, "2024-05-01T10:00:01Z", inner.format(w=260)),
        extra_ns=decl,
    )
    assert quiet_read(doc).records["power_w"].tolist() == [250.0, 260.0]


def test_tpx_v2_speed() -> None:
    inner = "<extensions><t:TrackPointExtension><t:speed>{v}</t:speed></t:TrackPointExtension></extensions>"
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T10:00:00Z", inner.format(v=3.25))
        + pt(1.0, 1.0001, "2024-05-01T10:00:01Z", inner.format(v=3.5)),
        extra_ns=f' xmlns:t="{TPX2}"',
    )
    assert quiet_read(doc).records["speed_m_s"].tolist() == [3.25, 3.5]


def test_heart_rate_on_some_points_only_lines_up() -> None:
    # hr on points 1 and 3 only: the column must not shift onto point 2
    ext = "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T10:00:00Z", ext.format(140))
        + pt(1.0, 1.0001, "2024-05-01T10:00:01Z")
        + pt(1.0, 1.0002, "2024-05-01T10:00:02Z", ext.format(160)),
        extra_ns=f' xmlns:gpxtpx="{TPX1}"',
    )
    hr = quiet_read(doc).records["heart_rate_bpm"]
    assert hr.iloc[0] == 140.0 and np.isnan(hr.iloc[1]) and hr.iloc[2] == 160.0


def test_cadence_already_in_steps_per_minute_is_not_doubled() -> None:
    # 172-180 per leg would be 344-360 steps/min: these values are already steps/min
    ext = "<extensions><cadence>{}</cadence></extensions>"
    pts = "".join(
        pt(1.0, 1.0 + i * 1e-4, f"2024-05-01T10:00:{i:02d}Z", ext.format(172 + i)) for i in range(9)
    )
    act = quiet_read(gpx(pts))
    assert act.records["cadence_spm"].tolist() == [172.0 + i for i in range(9)]
    assert any("not doubled" in w for w in act.warnings)


def test_absent_channels_are_absent() -> None:
    recs = quiet_read(gpx(POINTS)).records
    for name in ("heart_rate_bpm", "cadence_spm", "power_w", "speed_m_s"):
        assert name not in recs


# ------------------------------------------------------------------- times


def test_time_offsets_become_utc() -> None:
    # 12:00+02:00 is 10:00Z; 05:00:01-05:00 is 10:00:01Z; no offset is taken as UTC (the GPX schema)
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T12:00:00+02:00")
        + pt(1.0, 1.0, "2024-05-01T05:00:01-05:00")
        + pt(1.0, 1.0, "2024-05-01T10:00:02")
    )
    act = quiet_read(doc)
    assert list(act.records.index) == [
        pd.Timestamp("2024-05-01T10:00:00Z"),
        pd.Timestamp("2024-05-01T10:00:01Z"),
        pd.Timestamp("2024-05-01T10:00:02Z"),
    ]
    assert act.meta.utc_offset_s == 7200.0


def test_fractional_seconds() -> None:
    doc = gpx(pt(1.0, 1.0, "2024-05-01T10:00:00.250Z") + pt(1.0, 1.0, "2024-05-01T10:00:00.750Z"))
    assert quiet_read(doc).elapsed_s == 0.5


def test_a_few_missing_times_are_dropped_with_a_note() -> None:
    pts = [pt(1.0, 1.0 + i * 1e-4, f"2024-05-01T10:00:{i:02d}Z") for i in range(20)]
    pts[7] = '<trkpt lat="1" lon="1"/>'
    act = quiet_read(gpx("".join(pts)))
    assert len(act.records) == 19
    assert any("1 of 20 trackpoints had no usable time" in w for w in act.warnings)


def test_no_times_at_all_is_an_error() -> None:
    doc = gpx('<trkpt lat="1" lon="1"/><trkpt lat="1" lon="2"/>')
    with pytest.raises(ParseError, match="needs a timestamp on every trackpoint, found none"):
        read(doc)


def test_times_that_stop_are_an_error_saying_where() -> None:
    pts = [pt(1.0, 1.0, f"2024-05-01T10:00:{i:02d}Z") for i in range(5)]
    pts += ['<trkpt lat="1" lon="1"/>'] * 5
    with pytest.raises(ParseError, match="found none after trackpoint 5 of 10"):
        read(gpx("".join(pts)))


def test_gap_pauses() -> None:
    # 1 s steps, then a 40 s stop: one pause of 40 s (threshold GAP_PAUSE_S = 10 s)
    assert GAP_PAUSE_S == 10.0
    doc = gpx(
        pt(1.0, 1.0, "2024-05-01T10:00:00Z")
        + pt(1.0, 1.0, "2024-05-01T10:00:01Z")
        + pt(1.0, 1.0, "2024-05-01T10:00:41Z")
    )
    act = quiet_read(doc)
    assert act.pauses["duration_s"].tolist() == [40.0]
    assert act.pauses["source"].tolist() == ["gap"]
    assert act.laps.empty and "start" in act.laps


# -------------------------------------------------------------- refusals


def test_route_only_is_refused() -> None:
    doc = f'<gpx xmlns="{GPX11}"><rte><rtept lat="1" lon="1"/><rtept lat="1" lon="2"/></rte></gpx>'.encode()
    with pytest.raises(ParseError, match="2 route point"):
        read(doc)


def test_waypoints_only_is_refused() -> None:
    doc = f'<gpx xmlns="{GPX11}"><wpt lat="1" lon="1"/></gpx>'.encode()
    with pytest.raises(ParseError, match="1 waypoint"):
        read(doc)


def test_empty_gpx() -> None:
    with pytest.raises(EmptyActivity):
        read(f'<gpx xmlns="{GPX11}"><metadata/></gpx>'.encode())


def test_not_gpx() -> None:
    with pytest.raises(ParseError, match="not GPX"):
        read(b"<kml/>")


def test_entity_bomb_in_gpx_is_refused() -> None:
    doc = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">]><gpx>&a;</gpx>'
    with pytest.raises(HostileInput):
        read(doc)


# ---------------------------------------------------------------- metadata


def test_metadata() -> None:
    head = "<metadata><name>meta name</name></metadata>"
    doc = (
        f'<gpx version="1.1" creator="StravaGPX" xmlns="{GPX11}">{head}<trk><name>Track 6x800</name><type>9</type>'
        f"<trkseg>{POINTS}</trkseg></trk></gpx>"
    ).encode()
    meta = quiet_read(doc).meta
    assert (meta.name, meta.sport, meta.format, meta.decoder) == ("Track 6x800", "running", "gpx", "lxml")
    assert meta.extra["creator"] == "StravaGPX"


@pytest.mark.parametrize(
    ("text", "sport"),
    [
        ("running", "running"),
        ("Run", "running"),
        ("9", "running"),
        ("1", "cycling"),
        ("road biking", "cycling"),
        ("42", None),
        ("", None),
    ],
)
def test_sport_from_type(text: str, sport: str | None) -> None:
    assert sport_from_type(text) == sport


@pytest.mark.parametrize(
    ("creator", "expected"),
    [
        ("Garmin Connect", ("garmin", None)),
        ("COROS", ("coros", None)),
        ("Huami Amazfit Sports Watch", ("amazfit", "Huami Amazfit Sports Watch")),
        ("Movescount - http://www.movescount.com", ("suunto", None)),
        ("StravaGPX", (None, None)),
        (None, (None, None)),
    ],
)
def test_device_from_creator(creator: str | None, expected: tuple[str | None, str | None]) -> None:
    assert device_from_creator(creator) == expected


# -------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.integers(min_value=-3, max_value=20), min_size=2, max_size=40),
    lats=st.lists(st.floats(min_value=-60, max_value=60, allow_nan=False), min_size=40, max_size=40),
)
def test_records_sorted_unique_and_distance_never_negative(steps: list[int], lats: list[float]) -> None:
    # arbitrary steps, including repeats (0) and going backwards (< 0)
    t0 = pd.Timestamp("2024-05-01T10:00:00Z")
    times = t0 + pd.to_timedelta(np.cumsum(steps), unit="s")
    pts = "".join(pt(lats[i], 10.0, t.strftime("%Y-%m-%dT%H:%M:%SZ")) for i, t in enumerate(times))
    act = quiet_read(gpx(pts))  # validate(): sorted, unique, UTC, no negative distance
    assert len(act.records) == len(set(times))
    d = act.records["distance_m"].to_numpy()
    assert (np.diff(d) >= 0).all()
