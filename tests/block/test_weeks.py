"""ISO weeks, the block span, and the time-trial progression, by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from milepace.block.weeks import (
    BlockSpan,
    block_span,
    mile_equivalent_s,
    summarize_weeks,
    time_trials,
    week_label,
)
from milepace.units import METERS_PER_MILE

from .factory import day, row


def test_week_label_is_iso() -> None:
    assert week_label(date(2026, 3, 2)) == "2026-W10"
    # 2024-12-30 is the Monday of ISO week 1 of 2025
    assert week_label(date(2024, 12, 30)) == "2025-W01"


def test_span_rounds_out_to_whole_weeks_near_the_edges() -> None:
    # first run on a Tuesday (a rest Monday before it), last on a Saturday (rest Sunday after it)
    span = block_span([date(2026, 3, 3), date(2026, 3, 14)])
    assert span == BlockSpan(date(2026, 3, 2), date(2026, 3, 15))
    assert span.days == 14


def test_span_keeps_partial_edges_mid_week() -> None:
    # first run on a Wednesday, last on a Thursday: the edge weeks are partial
    span = block_span([date(2026, 3, 4), date(2026, 3, 12)])
    assert span == BlockSpan(date(2026, 3, 4), date(2026, 3, 12))
    assert [m.isoformat() for m in span.mondays()] == ["2026-03-02", "2026-03-09"]


def test_span_can_be_set() -> None:
    span = block_span([date(2026, 3, 4)], since=date(2026, 3, 2), until=date(2026, 3, 8))
    assert span == BlockSpan(date(2026, 3, 2), date(2026, 3, 8))
    assert block_span([]) is None


def test_week_summary_by_hand() -> None:
    rows = [
        row(day(1, 1), "intervals", 7.0, interval_mi=2.0, interval_pace=330.0),
        row(day(1, 2), "strides", 6.0, strides=6),
        row(day(1, 3), "threshold", 8.0, threshold_mi=3.0),
        row(day(1, 6), "long", 10.0),
        row(day(2, 1), "intervals", 7.0, interval_mi=1.0, interval_pace=340.0),
        row(day(2, 1), "easy", 3.0),  # a double: one run day
        row(day(2, 6), "long", 11.0),
    ]
    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    w1, w2 = summarize_weeks(rows, span, goal_mile_s=330.0)
    assert w1.week == "2026-W10" and w2.week == "2026-W11"
    assert w1.distance_m == pytest.approx(31 * METERS_PER_MILE)
    assert w2.distance_m == pytest.approx(21 * METERS_PER_MILE)
    assert w2.change_pct == pytest.approx((21 / 31 - 1) * 100)
    assert math.isnan(w1.change_pct)
    assert w1.long_run_m == pytest.approx(10 * METERS_PER_MILE)
    assert w1.threshold_m == pytest.approx(3 * METERS_PER_MILE) and w1.threshold_sessions == 1
    assert w1.interval_sessions == 1 and w1.interval_vs_goal_s_per_mile == pytest.approx(0.0)
    assert w1.strides_hill_sessions == 1
    assert w1.rest_days == 3  # Monday, Friday, Saturday
    assert w2.rest_days == 5  # Tuesday (twice) and Sunday are the run days
    assert w1.kinds == {"intervals": 1, "strides": 1, "threshold": 1, "long": 1}


def test_empty_weeks_are_kept() -> None:
    rows = [row(day(1, 0), "easy", 5.0), row(day(3, 6), "easy", 5.0)]
    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    weeks = summarize_weeks(rows, span, goal_mile_s=330.0)
    assert [w.runs for w in weeks] == [1, 0, 1]
    assert weeks[1].distance_m == 0.0 and weeks[1].rest_days == 7
    assert weeks[1].change_pct == pytest.approx(-100.0)
    assert math.isnan(weeks[2].change_pct)  # nothing to compare with after an empty week


def test_mile_equivalent() -> None:
    # a 5:35 on a GPS-long 1,620 m is scaled by pace: 335 × 1609.344 / 1620 = 332.80 s
    assert mile_equivalent_s(335.0, 1620.0) == pytest.approx(335.0 * 1609.344 / 1620.0)
    # a 19:00 5K by Riegel: 1140 × (1609.344 / 5000)^1.06 = 342.80 s
    assert mile_equivalent_s(1140.0, 5000.0) == pytest.approx(342.80, abs=0.01)
    assert math.isnan(mile_equivalent_s(300.0, 0.0))


def test_time_trial_progression() -> None:
    rows = [
        row(day(1, 5), "time_trial", 5.0, trial=(341.0, 1609.344)),
        row(day(2, 5), "easy", 5.0),
        row(day(6, 5), "time_trial", 5.0, trial=(335.5, 1609.344)),
    ]
    trials = time_trials(rows, 330.0)
    assert [t.date for t in trials] == [day(1, 5).isoformat(), day(6, 5).isoformat()]
    assert math.isnan(trials[0].change_s)
    assert trials[1].change_s == pytest.approx(-5.5)
    assert trials[1].vs_goal_s == pytest.approx(5.5)
