"""The GPX writer, checked with gpxpy (the reference) and lxml."""

from __future__ import annotations

import gpxpy
import numpy as np
import pytest
from lxml import etree

from milepace.errors import UsageError
from milepace.synth import TEMPLATES, simulate, write_gpx

from .conftest import need, session

TPX2 = "{http://www.garmin.com/xmlschemas/TrackPointExtension/v2}"
TPX1 = "{http://www.garmin.com/xmlschemas/TrackPointExtension/v1}"


REPRESENTATIVE = ["track_6x800", "easy_strides", "hill_sprints", "mile_time_trial"]


@pytest.mark.parametrize(
    "template",
    [t if t in REPRESENTATIVE else pytest.param(t, marks=pytest.mark.slow) for t in sorted(TEMPLATES)],
)
def test_every_template_round_trips_through_gpxpy(template: str) -> None:
    s = session(template, recording="smart")
    gpx = gpxpy.parse(write_gpx(s).decode())
    assert gpx.tracks[0].type == "running"
    points = gpx.tracks[0].segments[0].points
    assert s.lat_deg is not None and s.lon_deg is not None and s.elevation_m is not None
    assert len(points) == len(s.time_s)
    assert np.allclose([p.latitude for p in points], s.lat_deg, atol=5e-9)
    assert np.allclose([p.longitude for p in points], s.lon_deg, atol=5e-9)
    assert np.allclose(np.array([p.elevation for p in points], dtype=float), need(s.elevation_m), atol=0.05)
    assert [p.time.timestamp() if p.time else None for p in points] == s.time_s.tolist()
    hr = [float(p.extensions[0].find(f"{TPX2}hr").text) for p in points]
    assert np.array_equal(hr, need(s.heart_rate_bpm))
    assert s.cadence_spm is not None and s.speed_m_s is not None
    cad = np.array([float(p.extensions[0].find(f"{TPX2}cad").text) for p in points])
    assert np.all(np.abs(cad - s.cadence_spm / 2) <= 0.5)  # per leg, whole rpm
    spd = np.array([float(p.extensions[0].find(f"{TPX2}speed").text) for p in points])
    assert np.allclose(spd, s.speed_m_s, atol=0.0005)


@pytest.mark.parametrize("extensions", ["garmin_v1", "plain", "none"])
def test_extension_variants(extensions: str) -> None:
    s = session("easy_strides")
    root = etree.fromstring(write_gpx(s, extensions=extensions))
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    pts = root.findall(".//g:trkpt", ns)
    assert len(pts) == len(s.time_s)
    if extensions == "garmin_v1":
        hr = [int(p.findtext(f".//{TPX1}hr") or -1) for p in pts]
        assert hr == need(s.heart_rate_bpm).astype(int).tolist()
        assert pts[0].find(f".//{TPX1}speed") is None
    elif extensions == "plain":
        hr = [int(p.findtext("g:extensions/g:hr", namespaces=ns) or -1) for p in pts]
        assert hr == need(s.heart_rate_bpm).astype(int).tolist()
    else:
        assert root.find(".//g:extensions", ns) is None


def test_gpx_1_0() -> None:
    s = session("easy_strides", recording="smart")
    data = write_gpx(s, version="1.0")
    root = etree.fromstring(data)
    assert root.get("version") == "1.0"
    assert root.tag == "{http://www.topografix.com/GPX/1/0}gpx"
    gpx = gpxpy.parse(data.decode())
    points = gpx.tracks[0].segments[0].points
    assert len(points) == len(s.time_s)
    assert s.speed_m_s is not None
    assert np.allclose(np.array([p.speed for p in points], dtype=float), need(s.speed_m_s), atol=0.0005)


def test_dropouts_are_left_out_and_treadmill_is_refused() -> None:
    s = simulate("easy", seed=4, gps_dropouts=2, duration_s=900)
    assert s.lat_deg is not None
    missing = int(np.isnan(s.lat_deg).sum())
    assert missing >= 10
    gpx = gpxpy.parse(write_gpx(s).decode())
    assert len(gpx.tracks[0].segments[0].points) == len(s.time_s) - missing
    with pytest.raises(UsageError, match="positions"):
        write_gpx(simulate("easy", seed=1, treadmill=True, duration_s=300))
