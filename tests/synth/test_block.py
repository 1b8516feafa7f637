"""The simulated training block: weekly structure, mileage and the rule-breaking options."""

from __future__ import annotations

import functools

import pytest

from milepace.synth import SynthSession
from milepace.synth.block import default_weekly_miles, simulate_block, week_summary
from milepace.units import METERS_PER_MILE


@functools.lru_cache(maxsize=4)
def block(**kwargs: object) -> tuple[SynthSession, ...]:
    return tuple(simulate_block(8, seed=3, **kwargs))  # type: ignore[arg-type]


def test_default_weekly_miles_by_hand() -> None:
    # 40, +2, +2, down 4, then +1 on the new cycle ... capped at 50
    assert default_weekly_miles(8) == [40, 42, 44, 40, 45, 47, 49, 45]
    assert max(default_weekly_miles(30)) == 50


def test_block_follows_the_guidance() -> None:
    weeks = week_summary(block())
    assert len(weeks) == 8
    for w, target in zip(weeks, default_weekly_miles(8), strict=True):
        assert w["true_distance_m"] / METERS_PER_MILE == pytest.approx(target, rel=0.02)
        assert w["distance_m"] == pytest.approx(w["true_distance_m"], rel=0.05)
        assert w["threshold_sessions"] == 1
        assert w["long_run_m"] / METERS_PER_MILE == pytest.approx(10.1, abs=0.4)
        assert 1 <= w["strides_sessions"] <= 2
        assert w["rest_days"] == 1
    assert [w["time_trials"] for w in weeks] == [0, 1, 0, 0, 0, 1, 0, 0]
    assert [w["interval_sessions"] for w in weeks] == [1, 0, 1, 1, 1, 0, 1, 1]


def test_sessions_are_ordered_tagged_and_deterministic() -> None:
    sessions = block()
    starts = [s.start_s for s in sessions]
    assert starts == sorted(starts)
    assert {s.kind for s in sessions} <= {
        "easy",
        "long",
        "threshold",
        "intervals",
        "strides",
        "hill_sprints",
        "time_trial",
    }
    again = simulate_block(8, seed=3)
    assert [(s.template, s.start_s, s.true_distance_m) for s in again] == [
        (s.template, s.start_s, s.true_distance_m) for s in sessions
    ]
    assert all(s.extra["week"] == (s.extra["day"] // 7) + 1 for s in sessions)


def test_rule_breaking_options() -> None:
    weeks = week_summary(
        block(
            mileage_jump_week=4, drop_threshold_week=5, drop_long_week=3, no_rest_week=7, time_trial_weeks=()
        )
    )
    assert weeks[4]["threshold_sessions"] == 0
    assert weeks[2]["long_run_m"] == 0
    assert weeks[6]["rest_days"] == 0
    assert sum(w["time_trials"] for w in weeks) == 0
    jump = weeks[3]["true_distance_m"] / weeks[2]["true_distance_m"] - 1
    assert jump > 0.15
    for i in (0, 1, 5):
        assert weeks[i]["threshold_sessions"] == 1 and weeks[i]["rest_days"] == 1


def test_rides_are_not_runs() -> None:
    sessions = simulate_block(2, seed=1, rides=1, vary_recording=False)
    rides = [s for s in sessions if s.kind == "ride"]
    assert len(rides) == 1 and rides[0].sport == "cycling"
    assert week_summary(sessions)[0]["rest_days"] == 1
