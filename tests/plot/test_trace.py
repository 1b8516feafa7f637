"""Speed trace: shaded spans match the efforts, goal speed, laps, elevation panel for hill sessions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from milepace.activity import LAP_COLUMNS
from milepace.detect.model import SessionAnalysis
from milepace.errors import UsageError
from milepace.plot import speed_series, trace_chart
from milepace.report.session import session_report
from tests.report.builders import T0, Seg, build, reps

GOAL_S = 330.0


def _gids(fig: Figure, prefix: str) -> list[str]:
    return sorted(
        a.get_gid() for a in fig.findobj() if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)
    )


def test_shaded_spans_match_the_efforts() -> None:
    # warm-up 300 s, then 81 s rep, 120 s jog, 82 s rep, 120 s jog, 83 s rep
    analysis = build(reps([81.0, 82.0, 83.0], 400.0), goal_mile_s=GOAL_S)
    fig = trace_chart(analysis)
    spans = fig.milepace_spans  # type: ignore[attr-defined]
    # by hand, in minutes since the start: 300/60 = 5.0 to 381/60, 501/60 to 583/60, 703/60 to 786/60
    expected = [(1, 5.0, 381 / 60), (2, 501 / 60, 583 / 60), (3, 703 / 60, 786 / 60)]
    assert [(i, pytest.approx(a), pytest.approx(b)) for i, _k, a, b in spans] == expected
    assert _gids(fig, "effort-") == ["effort-1", "effort-2", "effort-3"]
    (patch,) = [a for a in fig.axes[0].patches if a.get_gid() == "effort-2"]
    assert isinstance(patch, Rectangle)  # axvspan gives a Rectangle in data x, axes y
    assert patch.get_x() == pytest.approx(501 / 60)
    assert patch.get_x() + patch.get_width() == pytest.approx(583 / 60)


def test_goal_speed_line_at_goal_mile_pace() -> None:
    fig = trace_chart(build(reps([81.0, 82.0], 400.0), goal_mile_s=GOAL_S))
    (line,) = [a for a in fig.findobj() if a.get_gid() == "goal-speed"]
    assert line.get_ydata()[0] == pytest.approx(1609.344 / 330.0)  # 4.877 m/s


def _with_laps_and_elevation(analysis: SessionAnalysis) -> SessionAnalysis:
    act = analysis.activity
    records = act.records.copy()
    records["elevation_m"] = np.linspace(50.0, 60.0, len(records))
    starts = [T0, T0 + pd.Timedelta(seconds=300), T0 + pd.Timedelta(seconds=600)]
    laps = pd.DataFrame({c: [None] * 3 for c in LAP_COLUMNS})
    laps["start"] = pd.DatetimeIndex(starts)
    laps["end"] = pd.DatetimeIndex([*starts[1:], act.end])
    return dataclasses.replace(analysis, activity=dataclasses.replace(act, records=records, laps=laps))


def test_hill_session_gets_an_elevation_panel_and_laps_are_marked() -> None:
    base = build(reps([10.0, 11.0, 10.0], 40.0, kind="hill_repeat", recovery_s=90.0), goal_mile_s=GOAL_S)
    fig = trace_chart(_with_laps_and_elevation(base))
    assert len(fig.axes) >= 2 and _gids(fig, "elevation") == ["elevation"]
    assert _gids(fig, "lap-") == ["lap-2", "lap-3"]
    flat = trace_chart(_with_laps_and_elevation(base), elevation=False)
    assert _gids(flat, "elevation") == []


def test_interval_session_without_elevation_has_one_panel() -> None:
    fig = trace_chart(session_report(build(reps([81.0, 82.0], 400.0), goal_mile_s=GOAL_S)))
    assert _gids(fig, "elevation") == []
    assert "Speed trace — synthetic.fit — 2026-05-02 13:00" in fig.axes[0].get_title(loc="left")


def test_speed_series_from_distance_when_no_speed_channel() -> None:
    analysis = build([Seg(60.0, 3.0), Seg(60.0, 5.0)])
    act = analysis.activity
    act = dataclasses.replace(act, records=act.records.drop(columns=["speed_m_s"]))
    speed = speed_series(act)
    assert speed is not None
    # well inside each constant-speed piece the 5 s mean is the piece's speed
    assert speed.loc[T0 + pd.Timedelta(seconds=30)] == pytest.approx(3.0)
    assert speed.loc[T0 + pd.Timedelta(seconds=90)] == pytest.approx(5.0)


def test_no_speed_distance_or_positions_is_a_usage_error() -> None:
    analysis = build([Seg(60.0, 3.0)])
    act = analysis.activity
    bare = dataclasses.replace(analysis, activity=dataclasses.replace(act, records=act.records[[]]))
    with pytest.raises(UsageError, match="speed, distance or positions"):
        trace_chart(bare)


def test_zoom_shows_two_minutes_either_side_of_the_efforts() -> None:
    analysis = build(reps([81.0, 82.0, 83.0], 400.0, warmup_s=900.0), goal_mile_s=GOAL_S)
    whole = trace_chart(analysis).axes[0].get_xlim()
    zoomed = trace_chart(analysis, zoom=True).axes[0].get_xlim()
    assert whole[0] == 0.0
    # first effort starts after the 900 s warm-up (15 min); the last ends 900+81+120+82+120+83 = 1386 s
    assert zoomed == pytest.approx((15.0 - 2.0, 1386 / 60 + 2.0))
