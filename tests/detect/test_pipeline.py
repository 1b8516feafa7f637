"""Detection on small synthetic sessions with known truth, one per kind and per recording trap.

Truth comes from :func:`milepace.synth.simulate` (efforts and recoveries it
laid down); the FIT writer and reader sit in between, as for a real file.
Tolerances: counts exact, kinds exact, each boundary within 5 s (the goal
is a median of 2 s and a 90th percentile of 5 s over the labelled corpus).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from milepace.analysis import analyze
from milepace.io import read_bytes
from milepace.synth import simulate, write_fit, write_gpx

BOUNDARY_TOL_S = 5.0


def _run(template: str, **kwargs: Any) -> tuple[Any, Any]:
    session = simulate(template, seed=3, goal_mile_s=330.0, laps=kwargs.pop("laps", "none"), **kwargs)
    activity = read_bytes(write_fit(session), f"{template}.fit")
    return session, analyze(activity, goal_mile="5:30")


def _offsets(session: Any, result: Any) -> tuple[np.ndarray, np.ndarray]:
    t0 = result.activity.start.timestamp()
    truth = np.array([[e.start_s, e.end_s] for e in session.efforts]) - t0
    found = np.array([[e.start.timestamp(), e.end.timestamp()] for e in result.efforts]) - t0
    return truth, found


CASES = [
    ("track_4x400", {}),
    ("easy_strides", {}),
    ("hill_sprints", {}),
    ("fartlek", {"recording": "smart"}),
    ("track_6x800", {"auto_pause": True}),
    ("track_4x400", {"gps_dropouts": 2}),
    # work longer than the warm-up and cool-down together: the median speed is a work speed
    ("threshold_2x2mi", {}),
    ("tempo", {}),
    ("hill_repeats", {}),
    ("track_8x200", {"speed_source": "footpod"}),
    # harsher than the labelled corpus: 5 m GPS error, smart recording and auto-pause at once
    ("fartlek", {"gps_sigma_m": 5.0, "auto_pause": True, "recording": "smart"}),
]
GRADUAL_BUILD = pytest.mark.xfail(
    strict=True,
    reason="known miss: the generator's first stride dips for 3 s and then builds over 10 s; "
    "its start is found 7 s late, at the steep part of the build",
)


@pytest.mark.parametrize(("template", "kwargs"), CASES)
def test_counts_and_kinds(template: str, kwargs: dict[str, Any]) -> None:
    session, result = _run(template, **kwargs)
    assert [e.kind for e in result.efforts] == [e.kind for e in session.efforts]


@pytest.mark.parametrize(
    ("template", "kwargs"),
    [pytest.param(t, k, marks=GRADUAL_BUILD if t == "easy_strides" else ()) for t, k in CASES],
)
def test_boundaries_within_tolerance(template: str, kwargs: dict[str, Any]) -> None:
    session, result = _run(template, **kwargs)
    truth, found = _offsets(session, result)
    assert found.shape == truth.shape
    assert np.abs(found - truth).max() <= BOUNDARY_TOL_S


def test_easy_run_with_traffic_lights_has_no_efforts() -> None:
    session, result = _run("easy")
    assert not session.efforts
    assert result.efforts == ()


def test_recoveries_are_wall_clock_and_typed() -> None:
    # auto-pause drops records while standing; the recovery still spans the wall clock
    session, result = _run("track_4x400", auto_pause=True)
    assert len(result.efforts) == len(session.efforts)
    for effort, truth in zip(result.efforts[:-1], session.recoveries, strict=False):
        assert effort.recovery is not None
        assert effort.recovery.kind == truth.kind
        assert abs(effort.recovery.duration_s - truth.duration_s) <= 2 * BOUNDARY_TOL_S
    assert result.efforts[-1].recovery is None


def test_track_reps_are_snapped_to_400m() -> None:
    session, result = _run("track_4x400")
    assert result.is_track
    truth, found = _offsets(session, result)
    well_bounded = np.abs(found - truth).max(axis=1) <= BOUNDARY_TOL_S
    assert well_bounded.sum() >= 3
    for e in np.array(result.efforts, dtype=object)[well_bounded]:
        assert e.snapped_distance_m == 400.0
        # the best estimate is pulled from the lane-1 measurement toward 400 m, so it
        # lies between them; 1 s of rounding at 5 m/s is 5 m, 1.25 % of 400 m
        assert abs(e.distance_m - 400.0) <= 5.0
        # pace is the time over that distance: a mile is 1609.344 m
        assert e.pace_s_per_mile == pytest.approx(e.duration_s * 1609.344 / e.distance_m)


def test_efforts_are_sorted_and_disjoint() -> None:
    _, result = _run("combo")
    spans = [(e.start, e.end) for e in result.efforts]
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))


def test_three_quarters_into_a_quarter_are_two_efforts() -> None:
    # 4 x (3/4 mi at threshold straight into 1/4 mi hard): eight efforts, each pair touching
    session, result = _run("combo")
    assert [e.kind for e in result.efforts] == ["interval"] * 8
    assert len(session.efforts) == 8
    for first, second in zip(result.efforts[0::2], result.efforts[1::2], strict=True):
        assert first.end == second.start


def test_a_gps_dropout_does_not_split_a_tempo_run() -> None:
    # GPX has no device distance: nothing is recorded in a dropout, yet the runner ran on
    session = simulate("tempo", seed=3, goal_mile_s=330.0, laps="none", gps_dropouts=3)
    result = analyze(read_bytes(write_gpx(session), "tempo.gpx"))
    assert len(result.efforts) == 1
    truth = session.efforts[0]
    assert abs(result.efforts[0].start.timestamp() - truth.start_s) <= BOUNDARY_TOL_S
    assert abs(result.efforts[0].end.timestamp() - truth.end_s) <= BOUNDARY_TOL_S


@pytest.mark.parametrize(
    ("template", "seed", "kwargs"),
    [
        # GPS error lengthens a 30 m sprint's path by several metres: its grade must not be diluted
        ("hill_sprints", 101, {}),
        # a track rep ends where it began: its straight-line run is no measure of its grade
        ("track_6x800", 100, {"recording": "smart", "gps_sigma_m": 5.0, "elevation_source": "gps"}),
    ],
)
def test_kinds_from_gpx(template: str, seed: int, kwargs: dict[str, Any]) -> None:
    session = simulate(template, seed=seed, goal_mile_s=330.0, laps="none", **kwargs)
    result = analyze(read_bytes(write_gpx(session), f"{template}.gpx"))
    assert [e.kind for e in result.efforts] == [e.kind for e in session.efforts]
