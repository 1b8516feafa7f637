"""Block charts: stacks add up to each week's distance, quality sessions marked, time-trial progression."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from milepace.block.model import BlockReport, Check, RunStats, TimeTrial, WeekSummary
from milepace.errors import UsageError
from milepace.plot import block_chart, progression_chart, save, week_stacks, weekly_chart
from milepace.units import METERS_PER_MILE
from tests.block.factory import day, row

RUNS = [
    row(day(1, 1), "intervals", 7.0, interval_mi=3.0),
    row(day(1, 2), "easy", 6.0),
    row(day(1, 3), "threshold", 8.0, threshold_mi=4.0),
    row(day(1, 4), "strides", 5.0, strides=5),
    row(day(1, 6), "long", 12.0),
    row(day(2, 1), "time_trial", 4.0, trial=(334.0, METERS_PER_MILE)),
    row(day(2, 3), "hill_sprints", 5.5, hills=8),
    row(day(2, 6), "long", 11.0),
]


def _week(n: int, miles: float, days: int = 7) -> WeekSummary:
    """A week with the fields the chart reads set, the rest zero/empty (the block model may grow)."""
    monday = day(n, 0)
    iso = monday.isocalendar()
    blank = {"int": 0, "float": 0.0, "str": "", "str | None": None}
    values = {
        f.name: blank.get(str(f.type), None)
        for f in dataclasses.fields(WeekSummary)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    values.update(
        week=f"{iso.year}-W{iso.week:02d}",
        week_start=monday.isoformat(),
        days_in_block=days,
        distance_m=miles * METERS_PER_MILE,
    )
    return WeekSummary(**values)


def _report(trials: tuple[TimeTrial, ...] = ()) -> BlockReport:
    weeks = (_week(1, 38.0), _week(2, 20.5, days=5))
    checks = (
        Check("week", weeks[1].week, "threshold", "warn", "week 2: no threshold session"),
        Check("week", weeks[1].week, "intervals", "warn", "week 2: no interval session"),
        Check("week", weeks[0].week, "long_run", "pass", "ok"),
    )
    return BlockReport(
        goal_mile_s=330.0,
        activities=tuple(RUNS),
        weeks=weeks,
        checks=checks,
        time_trials=trials,
        skipped=(),
        errors=(),
        stats=RunStats(8, 8, 0, 0, 0, 0.1, "serial", 1),
    )


def test_stacks_split_each_week_by_kind_and_add_up() -> None:
    stacks = week_stacks(_report())
    # week 1: easy 6, long 12, threshold 8, intervals 7, strides/hills 5 (38 mi, the week's distance)
    assert stacks[0].miles == pytest.approx((6.0, 12.0, 8.0, 7.0, 5.0, 0.0))
    # week 2: long 11, hill sprints 5.5, time trial 4
    assert stacks[1].miles == pytest.approx((0.0, 11.0, 0.0, 0.0, 5.5, 4.0))
    for s, w in zip(stacks, _report().weeks, strict=True):
        assert s.total_mi == pytest.approx(w.distance_m / METERS_PER_MILE)
    assert [c for _d, c in stacks[0].quality] == ["intervals", "threshold", "strides/hills"]
    assert [c for _d, c in stacks[1].quality] == ["time trial/race", "strides/hills"]
    assert (stacks[0].warnings, stacks[1].warnings) == (0, 2)
    assert (stacks[0].partial, stacks[1].partial) == (False, True)


def test_weekly_chart_bars_and_markers() -> None:
    fig = weekly_chart(_report())
    ax = fig.axes[0]
    bars = {p.get_gid(): p.get_height() for p in ax.patches if isinstance(p.get_gid(), str)}
    assert bars["2026-W10:long"] == pytest.approx(12.0)
    assert bars["2026-W11:time trial/race"] == pytest.approx(4.0)
    markers = sorted(a.get_gid() for a in ax.lines if str(a.get_gid()).startswith("quality-"))
    assert len(markers) == 5
    assert "quality-2026-03-10-time trial/race" in markers
    assert [t.get_text() for t in ax.texts if t.get_gid() == "warnings-2026-W11"] == ["2 warnings"]
    assert ax.get_ylabel() == "distance [mi]"
    assert ax.get_title(loc="left").startswith(
        "Weekly distance by kind of running — 2026-03-02 to 2026-03-15"
    )


def test_progression_points_and_goal_line() -> None:
    trial = TimeTrial("2026-03-10", "tt.fit", "TT", METERS_PER_MILE, 334.0, 334.0, math.nan, 4.0)
    fig = progression_chart(_report((trial,)))
    ax = fig.axes[0]
    (goal,) = [a for a in ax.lines if a.get_gid() == "goal-mile"]
    assert goal.get_ydata()[0] == 330.0
    (points,) = [a for a in ax.lines if a.get_gid() == "progression"]
    assert list(points.get_ydata()) == [334.0]


def test_no_time_trials_says_so_and_no_weeks_is_an_error(tmp_path: Path) -> None:
    fig = progression_chart(_report())
    assert "no time trials or races in this block" in [t.get_text() for t in fig.axes[0].texts]
    empty = BlockReport(330.0, (), (), (), (), (), (), RunStats(0, 0, 0, 0, 0, 0.0, "serial", 1))
    with pytest.raises(UsageError, match="at least one run"):
        weekly_chart(empty)


def test_block_chart_has_both_panels_and_writes(tmp_path: Path) -> None:
    fig = block_chart(_report())
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_ylabel()]) >= 2
    assert save(fig, tmp_path / "block.svg").stat().st_size > 0
