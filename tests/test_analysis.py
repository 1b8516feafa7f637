"""``milepace.analyze``: accepts an Activity or a path, refuses other sports, checks the goal."""

from __future__ import annotations

from pathlib import Path

import pytest

from milepace.analysis import analyze
from milepace.errors import NotARun, UsageError
from milepace.io import read_bytes
from milepace.synth import simulate, write_fit


def test_path_and_activity_give_the_same_efforts(tmp_path: Path) -> None:
    data = write_fit(simulate("track_4x400", seed=1, goal_mile_s=330.0, laps="none"))
    path = tmp_path / "run.fit"
    path.write_bytes(data)
    from_path = analyze(path, goal_mile="5:30")
    from_activity = analyze(read_bytes(data, "run.fit"), goal_mile=330.0)
    assert [(e.start, e.end) for e in from_path.efforts] == [(e.start, e.end) for e in from_activity.efforts]
    assert from_path.goal_mile_s == 330.0


def test_a_ride_is_not_a_run() -> None:
    activity = read_bytes(write_fit(simulate("ride", seed=1)), "ride.fit")
    with pytest.raises(NotARun, match="running"):
        analyze(activity)


def test_goal_mile_is_checked() -> None:
    activity = read_bytes(write_fit(simulate("easy", seed=1, duration_s=600)), "easy.fit")
    with pytest.raises(UsageError):
        analyze(activity, goal_mile="0:30")
