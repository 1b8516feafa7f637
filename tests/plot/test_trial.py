"""Time-trial chart: 400 m splits, goal and plan marks, last-lap 100 m splits.

By hand for an even 5:20 mile (320 s) against a 5:30 goal (330 s): the mile
is split 409.344 m then 3 × 400 m; the goal splits are 330 × 409.344 / 1609.344
= 83.937 s and 330 × 400 / 1609.344 = 82.021 s; run evenly the splits are
320 × 409.344 / 1609.344 = 81.393 s and 79.536 s, and each last-lap 100 m is
320 × 100 / 1609.344 = 19.884 s against a goal 100 m of 20.505 s.
"""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from milepace.errors import UsageError
from milepace.plot import plan_split_s, trial_chart
from milepace.report.session import session_report
from tests.report.builders import Seg, build, reps

MILE_M = 1609.344


def _tops(fig: Figure, prefix: str) -> list[float]:
    found = sorted(
        (a for a in fig.findobj() if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)),
        key=lambda a: int(a.get_gid().rsplit("-", 1)[1]),
    )
    return [a.get_y() + a.get_height() for a in found]


def _lines(fig: Figure, prefix: str) -> list[float]:
    found = sorted(
        (a for a in fig.findobj() if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)),
        key=lambda a: int(a.get_gid().rsplit("-", 1)[1]),
    )
    return [float(a.get_ydata()[0]) for a in found]


@pytest.fixture(scope="module")
def even_mile_fig() -> Figure:
    analysis = build([Seg(600.0, 3.0), Seg(320.0, MILE_M / 320.0, work=True), Seg(600.0, 3.0)])
    report = session_report(analysis, goal_mile_s=330.0)
    assert report.time_trial is not None
    return trial_chart(report)


def test_split_bars_are_the_splits(even_mile_fig: Figure) -> None:
    assert _tops(even_mile_fig, "split-") == pytest.approx([81.393, 79.536, 79.536, 79.536], abs=0.01)


def test_goal_and_plan_marks(even_mile_fig: Figure) -> None:
    assert _lines(even_mile_fig, "goal-") == pytest.approx([83.937, 82.021, 82.021, 82.021], abs=0.001)
    # plan: lap 1 one second over goal, lap 2 that second back, laps 3 and 4 on goal
    assert _lines(even_mile_fig, "plan-") == pytest.approx([84.937, 81.021, 82.021, 82.021], abs=0.001)


def test_last_lap_in_100_m_splits(even_mile_fig: Figure) -> None:
    assert _tops(even_mile_fig, "last100-") == pytest.approx([19.884] * 4, abs=0.01)
    (goal,) = [a for a in even_mile_fig.findobj() if a.get_gid() == "goal100m"]
    assert goal.get_ydata()[0] == pytest.approx(20.505, abs=0.001)


def test_title_gives_time_and_goal(even_mile_fig: Figure) -> None:
    title = even_mile_fig.get_suptitle()
    assert title.startswith("Time trial — synthetic.fit — 2026-05-02 13:00")
    assert "1609 m in 5:20.0 (goal 5:30.0, −10.0 s)" in title


def test_plan_only_for_a_mile_with_a_goal() -> None:
    analysis = build([Seg(600.0, 3.0), Seg(320.0, MILE_M / 320.0, work=True), Seg(600.0, 3.0)])
    report = session_report(analysis)  # no goal: no goal marks, no plan
    assert report.time_trial is not None
    assert plan_split_s(report.time_trial) == ()
    fig = trial_chart(report)
    assert _lines(fig, "goal-") == [] and _lines(fig, "plan-") == []


def test_session_without_a_time_trial_is_a_usage_error() -> None:
    report = session_report(build(reps([81.0, 82.0], 400.0)), goal_mile_s=330.0)
    with pytest.raises(UsageError, match="time trial"):
        trial_chart(report)
