"""Each guidance check fires when its rule is broken, and not otherwise.

The base block is eight weeks a coach would sign off (written out by hand
below, in miles): Monday rest; Tuesday 6×800 m (2.98 mi of reps at 5:35/mi);
Wednesday easy with strides; Thursday 2×2 mi threshold (4.0 mi); Friday and
Saturday easy; Sunday a 10 mi long run; time trials on the Saturdays of
weeks 3 and 8 (35 days apart). Weekly totals 42 → 48 mi with a cutback in
week 6. Each test breaks one rule in one week and expects exactly that
(week, rule) pair to warn.
"""

from __future__ import annotations

import math

import pytest

from milepace.block.checks import CheckConfig, check_block, check_time_trials, check_weeks
from milepace.block.model import ActivityRow, FileError
from milepace.block.sessions import pace_bands
from milepace.block.weeks import block_span, summarize_weeks, time_trials
from milepace.errors import UsageError
from milepace.units import METERS_PER_MILE

from .factory import day, row

GOAL = 330.0  # 5:30 mile
BANDS = pace_bands(GOAL, use_training_paces=False)  # 3K pace 330 × 1.063 = 350.8 s/mi
WEEK_MILES = [42, 43, 44, 45, 46, 41, 46, 48]  # largest rise +2.3 % (44 → 45 is 2.3 %, 45 → 46 is 2.2 %)


def _week(
    week: int,
    total_mi: float,
    *,
    long_mi: float = 10.0,
    threshold: bool = True,
    threshold_mi: float = 4.0,
    intervals: bool = True,
    interval_mi: float = 4800 / METERS_PER_MILE,
    interval_pace: float = 335.0,
    strides_sessions: int = 1,
    rest_days: int = 1,
    trial: bool = False,
) -> list[ActivityRow]:
    """One week of runs adding up to ``total_mi``: what is left after the fixed days goes to Friday and
    Saturday (Friday alone in a time-trial week, when Saturday is the trial)."""
    runs = []
    tue = row(day(week, 1), "intervals", 7.0, interval_mi=interval_mi, interval_pace=interval_pace)
    runs.append(tue if intervals else row(day(week, 1), "easy", 7.0))
    runs.append(
        row(
            day(week, 2),
            "strides" if strides_sessions >= 1 else "easy",
            7.0,
            strides=6 * (strides_sessions >= 1),
        )
    )
    thu = row(day(week, 3), "threshold", 8.0, threshold_mi=threshold_mi)
    runs.append(thu if threshold else row(day(week, 3), "easy", 8.0))
    runs.append(row(day(week, 6), "long" if long_mi >= 9 else "easy", long_mi))
    if rest_days == 0:
        runs.append(row(day(week, 0), "easy", 2.0))
    if trial:
        runs.append(row(day(week, 5), "time_trial", 5.0, trial=(335.0, 1609.344)))
    left = total_mi - sum(r.distance_m for r in runs) / METERS_PER_MILE
    assert left > 0, "the week's total leaves no room for Friday's run"
    flexible = [4] if trial else [4, 5]
    for i, weekday in enumerate(flexible):
        with_strides = strides_sessions >= 2 + i
        runs.append(
            row(
                day(week, weekday),
                "strides" if with_strides else "easy",
                left / len(flexible),
                strides=6 * with_strides,
            )
        )
    return runs


def _block(
    changes: dict[int, dict[str, object]] | None = None, miles: list[float] | None = None
) -> list[ActivityRow]:
    changes = changes or {}
    miles = miles or WEEK_MILES
    out: list[ActivityRow] = []
    for week, total in enumerate(miles, start=1):
        kwargs: dict[str, object] = {"trial": week in (3, 8)}
        kwargs.update(changes.get(week, {}))
        out.extend(_week(week, total, **kwargs))  # type: ignore[arg-type]
    return out


def _warnings(rows: list[ActivityRow], config: CheckConfig | None = None) -> set[tuple[int | None, str]]:
    """(block week number or None for block checks, rule) of every warning."""
    config = config or CheckConfig()
    from datetime import date

    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    trials = time_trials(rows, GOAL)
    weeks = summarize_weeks(rows, span, goal_mile_s=GOAL, trials=trials)
    week_checks = check_weeks(weeks, config=config, bands=BANDS)
    block_checks = check_block(weeks, week_checks, trials, [], span, config=config)
    index = {w.week: i + 1 for i, w in enumerate(weeks)}
    out: set[tuple[int | None, str]] = set()
    for c in week_checks:
        if c.status == "warn":
            out.add((index[c.week] if c.week else None, c.rule))
    for c in block_checks:
        if c.status == "warn" and c.rule in ("time_trial", "files"):
            out.add((None, c.rule))
    return out


def test_base_block_passes_every_check() -> None:
    rows = _block()
    assert _warnings(rows) == set()


def test_base_block_weekly_totals_are_as_written() -> None:
    from datetime import date

    rows = _block()
    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    weeks = summarize_weeks(rows, span, goal_mile_s=GOAL)
    assert [round(w.distance_m / METERS_PER_MILE, 6) for w in weeks] == WEEK_MILES
    assert all(w.rest_days == 1 for w in weeks)
    assert all(w.days_in_block == 7 for w in weeks)
    # 43 vs 42 mi is +2.38 %
    assert weeks[1].change_pct == pytest.approx((43 / 42 - 1) * 100)


BROKEN: dict[str, tuple[dict[int, dict[str, object]], list[float] | None, set[tuple[int | None, str]]]] = {
    "under 40 mi": ({}, [42, 43, 44, 38, 41, 41, 44, 45], {(4, "weekly_distance")}),
    "over 50 mi": ({}, [42, 46, 48, 52, 48, 41, 46, 48], {(4, "weekly_distance")}),
    # 48 vs the higher of 44 and 43 is +9.1 % (passes); 49 vs 44 is +11.4 % (warns)
    "mileage jump": ({}, [42, 43, 44, 49, 46, 41, 46, 48], {(4, "mileage_increase")}),
    "short long run": ({6: {"long_mi": 7.0}}, None, {(6, "long_run")}),
    "too long a long run": ({6: {"long_mi": 13.0}}, [42, 43, 44, 45, 46, 45, 46, 48], {(6, "long_run")}),
    "no threshold session": ({5: {"threshold": False}}, None, {(5, "threshold")}),
    "too little threshold": ({5: {"threshold_mi": 2.0}}, None, {(5, "threshold")}),
    "no interval session": ({2: {"intervals": False}}, None, {(2, "intervals")}),
    "too few interval reps": ({2: {"interval_mi": 1.0}}, None, {(2, "intervals")}),
    # 6:05/mi is interval band (faster than halfway T–I) but slower than 3K pace 5:51 + 5 s
    "slow interval reps": ({2: {"interval_pace": 365.0}}, None, {(2, "interval_pace")}),
    "no strides": ({7: {"strides_sessions": 0}}, None, {(7, "strides_hills")}),
    "three strides sessions": ({7: {"strides_sessions": 3}}, None, {(7, "strides_hills")}),
    "no rest day": ({7: {"rest_days": 0}}, None, {(7, "rest_days")}),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_rule_fires_alone_when_broken(case: str) -> None:
    changes, miles, expected = BROKEN[case]
    assert _warnings(_block(changes, miles)) == expected


def test_time_trial_every_four_to_six_weeks() -> None:
    def with_trials(weeks: tuple[int, ...]) -> list[ActivityRow]:
        return _block({w: {"trial": w in weeks} for w in range(1, 9)})

    assert _warnings(with_trials((3, 8))) == set()
    # one time trial in week 1: 50 days from it to the block's last Sunday (> 6 weeks + 3 days)
    assert _warnings(with_trials((1,))) == {(None, "time_trial")}
    # weeks 3 and 5: only 14 days apart
    assert _warnings(with_trials((3, 5, 8))) == {(None, "time_trial")}
    # none in eight weeks
    assert _warnings(with_trials(())) == {(None, "time_trial")}


def test_time_trial_message_names_the_gap() -> None:
    from datetime import date

    rows = _block({w: {"trial": w == 1} for w in range(1, 9)})
    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    check = check_time_trials(time_trials(rows, GOAL), span, config=CheckConfig())
    # week 1 Saturday (2026-03-07) to the last Sunday (2026-04-26): 50 days, "7 weeks"
    assert check.status == "warn"
    assert "no time trial in the last 7 weeks" in check.message


def test_messages_read_like_a_coach() -> None:
    rows = _block({5: {"threshold": False}}, [42, 43, 44, 49, 46, 41, 46, 48])
    from datetime import date

    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    weeks = summarize_weeks(rows, span, goal_mile_s=GOAL)
    texts = [c.message for c in check_weeks(weeks, config=CheckConfig(), bands=BANDS) if c.status == "warn"]
    assert "week 5 (2026-W14): no threshold session" in texts
    # 49 / 44 - 1 = +11.4 % → "+11 %"
    assert "week 4 (2026-W13): mileage +11 % vs week 3" in texts


def test_overrides_change_the_threshold() -> None:
    rows = _block({}, [42, 43, 44, 38, 41, 41, 44, 45])
    assert _warnings(rows, CheckConfig().with_overrides({"weekly_min_mi": "35"})) == set()


@pytest.mark.parametrize(
    "overrides",
    [
        {"no_such_rule": "1"},
        {"weekly_min_mi": "forty"},
        {"strides_hills_min": "1.5"},
        {"time_trial_counts_as_intervals": "maybe"},
    ],
)
def test_bad_overrides_are_usage_errors(overrides: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        CheckConfig().with_overrides(overrides)


def test_partial_edge_weeks_are_skipped_not_judged() -> None:
    from datetime import date

    # drop Monday-to-Wednesday of week 1: the first run is a Thursday, so week 1 is partial
    rows = [r for r in _block() if r.date >= day(1, 3).isoformat()]
    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None and span.start == day(1, 3)
    weeks = summarize_weeks(rows, span, goal_mile_s=GOAL)
    assert weeks[0].days_in_block == 4
    checks = check_weeks(weeks, config=CheckConfig(), bands=BANDS)
    assert {c.status for c in checks if c.week == weeks[0].week} == {"skip"}
    # week 2 has no complete previous week within two: its mileage check is skipped, not judged
    w2 = [c for c in checks if c.week == weeks[1].week and c.rule == "mileage_increase"]
    assert w2[0].status == "skip"


def test_block_checks_summarise_weeks_and_files() -> None:
    from datetime import date

    rows = _block({5: {"threshold": False}})
    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    weeks = summarize_weeks(rows, span, goal_mile_s=GOAL)
    week_checks = check_weeks(weeks, config=CheckConfig(), bands=BANDS)
    errors = [FileError("bad.fit", "is not a FIT file")]
    block = {c.rule: c for c in check_block(weeks, week_checks, [], errors, span, config=CheckConfig())}
    assert block["threshold"].status == "warn"
    assert "7 of 8 weeks pass" in block["threshold"].message
    assert block["long_run"].status == "pass"
    assert block["files"].status == "warn"


def test_interval_pace_skipped_without_reps() -> None:
    rows = _block({2: {"intervals": False}})
    from datetime import date

    span = block_span([date.fromisoformat(r.date) for r in rows])
    assert span is not None
    weeks = summarize_weeks(rows, span, goal_mile_s=GOAL)
    assert math.isnan(weeks[1].interval_pace_s_per_mile)
    pace = [c for c in check_weeks(weeks, config=CheckConfig(), bands=BANDS) if c.rule == "interval_pace"]
    assert pace[1].status == "skip"
