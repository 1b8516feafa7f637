"""The TCX writer, checked with lxml."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from lxml import etree

from milepace.synth import TEMPLATES, simulate, write_tcx

from .conftest import need, session

NS = {
    "t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2",
    "x": "http://www.garmin.com/xmlschemas/ActivityExtension/v2",
}


def _xp(root: etree._Element, path: str) -> list[Any]:
    result = root.xpath(path, namespaces=NS)
    assert isinstance(result, list)
    return result


def _values(root: etree._Element, path: str) -> np.ndarray:
    return np.array([float(str(v)) for v in _xp(root, path)])


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_round_trips(template: str) -> None:
    s = session(template, recording="smart", laps="manual")
    root = etree.fromstring(write_tcx(s))
    assert _xp(root, "//t:Activity/@Sport") == ["Running"]
    laps = _xp(root, "//t:Lap")
    assert len(laps) == len(s.laps)
    assert _values(root, "//t:Lap/t:DistanceMeters/text()") == pytest.approx(
        [lap.distance_m for lap in s.laps], abs=0.005
    )
    assert _values(root, "//t:Lap/t:TotalTimeSeconds/text()") == pytest.approx(
        [lap.timer_s for lap in s.laps], abs=0.05
    )
    triggers = _xp(root, "//t:Lap/t:TriggerMethod/text()")
    assert triggers[:-1] == ["Manual"] * (len(s.laps) - 1)
    times = _xp(root, "//t:Trackpoint/t:Time/text()")
    assert len(times) == len(s.time_s)
    t = np.array([np.datetime64(str(x).rstrip("Z"), "s").astype(np.int64) for x in times], dtype=np.float64)
    assert np.array_equal(t, s.time_s)
    assert s.lat_deg is not None and s.distance_m is not None and s.speed_m_s is not None
    assert np.allclose(
        _values(root, "//t:Trackpoint/t:Position/t:LatitudeDegrees/text()"), s.lat_deg, atol=5e-9
    )
    assert np.allclose(_values(root, "//t:Trackpoint/t:DistanceMeters/text()"), s.distance_m, atol=0.005)
    assert np.allclose(_values(root, "//t:Trackpoint/t:HeartRateBpm/t:Value/text()"), need(s.heart_rate_bpm))
    assert np.allclose(_values(root, "//x:TPX/x:Speed/text()"), s.speed_m_s, atol=0.0005)
    assert s.cadence_spm is not None
    assert np.all(np.abs(_values(root, "//x:TPX/x:RunCadence/text()") - s.cadence_spm / 2) <= 0.5)


def test_workout_laps_intensity() -> None:
    s = session("track_6x800", laps="workout")
    root = etree.fromstring(write_tcx(s))
    intensity = _xp(root, "//t:Lap/t:Intensity/text()")
    # TCX knows only Active and Resting: the 5 jog laps are Resting
    assert intensity.count("Resting") == 5 and len(intensity) == 13
    assert _xp(root, "//t:Lap/t:TriggerMethod/text()")[1] == "Distance"


def test_treadmill_has_no_positions() -> None:
    s = simulate("easy", seed=5, treadmill=True, duration_s=900)
    root = etree.fromstring(write_tcx(s))
    assert _xp(root, "//t:Position") == []
    assert len(_xp(root, "//t:Trackpoint")) == len(s.time_s)
    assert s.distance_m is not None
    assert np.allclose(_values(root, "//t:Trackpoint/t:DistanceMeters/text()"), s.distance_m, atol=0.005)
