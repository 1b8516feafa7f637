"""The session report on hand-built sessions: targets, deltas, verdicts, plan alignment, sets, trials."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from milepace.errors import PlanSyntaxError, UsageError
from milepace.report.session import describe_rep, session_report
from milepace.report.tolerance import Tolerance
from milepace.units import METERS_PER_MILE
from tests.report.builders import Seg, build, reps

# 5:30 mile: 800 m target 330 * 800 / 1609.344 = 164.042 s; tolerance 1 s per 400 m -> +/- 2 s
TARGET_800 = 330.0 * 800.0 / METERS_PER_MILE


def test_goal_mile_only() -> None:
    analysis = build(reps([162.1, 164.0, 166.5, 164.0], 800.0), goal_mile_s=330.0)
    report = session_report(analysis)
    assert [r.verdict for r in report.reps] == ["on-target", "on-target", "slow", "on-target"]
    first = report.reps[0]
    assert first.target_time_s == pytest.approx(164.042, abs=1e-3)
    # 162.1 - 164.042 = -1.942 s; pace 162.1 / 800 * 1609.344 = 326.09 s/mile -> -3.91 s/mile
    assert first.delta_s == pytest.approx(-1.942, abs=1e-3)
    assert first.delta_s_per_mile == pytest.approx(-3.906, abs=1e-3)
    assert first.tolerance_s == 2.0
    assert first.target_source == "goal mile"
    # 166.5 - 164.042 = +2.458 s > 2 s: slow
    assert report.reps[2].delta_s == pytest.approx(2.458, abs=1e-3)
    assert describe_rep(first) == "800 m in 2:42.1 — target 2:44.0 — on target"
    assert all(r.plan_status == "no plan" for r in report.reps)
    assert report.recoveries[0].verdict == "no plan"
    # a set of 4 found without a plan
    assert len(report.sets) == 1 and report.sets[0].n == 4


def test_fast_verdict_and_sentence() -> None:
    report = session_report(build(reps([160.0, 164.0], 800.0)), goal_mile_s=330.0)
    # 160.0 - 164.042 = -4.042 s: fast
    assert report.reps[0].verdict == "fast"
    assert describe_rep(report.reps[0]) == "800 m in 2:40.0 — target 2:44.0 — 4.0 s fast"


def test_plan_with_missed_rep() -> None:
    # 6 x 800 planned, 5 run; the 3rd is missing (long gap after the 2nd)
    segs = [Seg(300.0, 3.0)]
    for k, secs in enumerate([163.0, 164.5, 165.0, 163.5, 162.0]):
        segs.append(Seg(secs, 800.0 / secs, work=True))
        if k < 4:
            segs.append(Seg(450.0 if k == 1 else 125.0, 400.0 / 125.0))
    segs.append(Seg(300.0, 3.0))
    report = session_report(build(segs), goal_mile_s=330.0, plan="6x800m@mile/400m jog")
    assert [m.index for m in report.missed] == [3]
    assert [r.plan_index for r in report.reps] == [1, 2, 4, 5, 6]
    assert all(r.target_source == "plan 800m@mile" for r in report.reps)
    assert any("not found" in w and "#3" in w for w in report.warnings)
    # recovery after effort 1: 125 s jog of 400 m -> ok; after effort 2: 450 s covering 1440 m -> long
    assert report.reps[0].recovery is not None and report.reps[0].recovery.verdict == "ok"
    assert report.reps[1].recovery is not None and report.reps[1].recovery.verdict == "long"
    assert report.sets[0].label == "6×800m@mile" and report.sets[0].n == 5


def test_plan_with_extra_rep() -> None:
    segs = [Seg(300.0, 3.0)]
    for k, (secs, dist) in enumerate([(82.0, 400.0), (82.0, 400.0), (260.0, 1200.0), (82.0, 400.0)]):
        segs.append(Seg(secs, dist / secs, work=True))
        if k < 3:
            segs.append(Seg(90.0, 2.5))
    report = session_report(build(segs), goal_mile_s=330.0, plan="3x400m@mile/90s jog")
    assert report.extra == (3,)
    extra = report.reps[2]
    assert extra.plan_status == "extra" and extra.verdict == "no-target" and extra.plan_index is None


def test_timed_reps_expected_distance() -> None:
    # 6 x 1 min @ 3K; goal 5:30 mile -> 3K pace from VDOT 53.37 (10:54.1 3K = 350.87 s/mile)
    segs = reps([60.0] * 3, 280.0, recovery_s=60.0)
    report = session_report(build(segs), goal_mile_s=330.0, plan="3x1min@3k/1min jog")
    rep = report.reps[0]
    pace_3k = report.paces.pace_s_per_mile("3k")  # type: ignore[union-attr]
    # expected distance in 60 s at 3K pace: 60 / pace * 1609.344
    assert rep.expected_distance_m == pytest.approx(60.0 / pace_3k * METERS_PER_MILE)
    assert rep.distance_delta_m == pytest.approx(280.0 - 60.0 / pace_3k * METERS_PER_MILE)
    assert rep.planned_duration_s == 60.0
    # 280 m in 60 s is 60 / 280 * 1609.344 = 344.86 s/mile, about 6 s/mile faster than 3K pace: over the
    # 1 s per 400 m tolerance (280 m -> 1 s floor; time for 280 m at 3K pace = 61.04 s, delta -1.04 s)
    assert rep.target_time_s == pytest.approx(pace_3k * 280.0 / METERS_PER_MILE)
    assert rep.verdict == "fast"


def test_strides_have_top_speed_and_build() -> None:
    # a stride that builds: 4 s at 5 m/s then 12 s at 7 m/s; 90 % of 7 m/s (6.3) is first reached at 4 s
    segs = [Seg(600.0, 3.0)]
    for _ in range(3):
        segs += [Seg(4.0, 5.0, work=False), Seg(12.0, 7.0, work=True, kind="stride", recovery_kind="walk")]
        segs.append(Seg(60.0, 1.4))
    analysis = build(segs)
    # make the efforts span the whole build (start 4 s earlier) by hand-building them from the records
    from dataclasses import replace

    efforts = tuple(
        replace(
            e,
            start=e.start - pd.Timedelta(seconds=4),
            duration_s=16.0,
            distance_m=104.0,
            measured_distance_m=104.0,
        )
        for e in analysis.efforts
    )
    analysis = replace(analysis, efforts=efforts)
    report = session_report(analysis, goal_mile_s=330.0)
    stride = report.reps[0]
    assert stride.verdict == "no-target"  # strides have no pace target
    assert stride.top_speed_m_s == pytest.approx(7.0)
    assert stride.build_s == pytest.approx(4.0)
    assert report.sets[0].label.startswith("3×strides")


def test_hill_repeats_grade_adjusted() -> None:
    from dataclasses import replace

    analysis = build(reps([60.0, 61.0], 250.0, recovery_s=120.0, kind="hill_repeat"))
    efforts = tuple(replace(e, elevation_gain_m=20.0, grade_pct=8.0) for e in analysis.efforts)
    report = session_report(replace(analysis, efforts=efforts), goal_mile_s=330.0)
    hill = report.reps[0]
    assert hill.verdict == "no-target"
    # 60 s over 250 m = 386.24 s/mile; Minetti at i = 0.08:
    # 155.4*0.08^5 - 30.4*0.08^4 - 43.3*0.08^3 + 46.3*0.08^2 + 19.5*0.08 + 3.6
    # = 0.000509 - 0.001245 - 0.022170 + 0.296320 + 1.56 + 3.6 = 5.433414; ratio 1.509282
    # GAP = 386.24 / 1.509282 = 255.91 s/mile
    assert hill.gap_pace_s_per_mile == pytest.approx(255.91, abs=0.05)


def test_time_trial_in_report() -> None:
    segs = [Seg(600.0, 3.0), Seg(298.0, METERS_PER_MILE / 298.0, work=True), Seg(300.0, 3.0)]
    report = session_report(build(segs), goal_mile_s=300.0, plan="1mi@mile")
    trial = report.time_trial
    assert trial is not None and trial.effort_index == 1
    # even pace 298 s for the mile: first split 298 * 409.344 / 1609.344 = 75.798 s, the others 74.068 s
    assert trial.split_s == pytest.approx((75.798, 74.068, 74.068, 74.068), abs=1e-3)
    assert trial.goal_pace_s_per_mile == 300.0
    # no plan: the goal mile judges a mile-long single effort
    assert session_report(build(segs), goal_mile_s=300.0).time_trial is not None
    # two long efforts are not a time trial
    two = [
        Seg(600.0, 3.0),
        Seg(600.0, 5.0, work=True),
        Seg(120.0, 3.0),
        Seg(600.0, 5.0, work=True),
        Seg(60.0, 3.0),
    ]
    assert session_report(build(two), goal_mile_s=300.0).time_trial is None
    # a mile after 400 m reps is not a time trial either (with or without a goal)
    mixed = [*reps([80.0, 80.0], 400.0), Seg(298.0, METERS_PER_MILE / 298.0, work=True), Seg(60.0, 3.0)]
    assert session_report(build(mixed), goal_mile_s=300.0).time_trial is None
    assert session_report(build(mixed)).time_trial is None
    # without a goal a lone mile still gets its splits, with no goal to judge them by
    alone = session_report(build(segs)).time_trial
    assert alone is not None and [c.name for c in alone.checks] == ["lap 4"]


def test_group_plan_sets() -> None:
    segs = [Seg(300.0, 3.0)]
    for k in range(2):
        segs.append(Seg(292.0, 0.75 * METERS_PER_MILE / 292.0, work=True))
        segs.append(Seg(82.0, 0.25 * METERS_PER_MILE / 82.0, work=True))
        if k < 1:
            segs.append(Seg(130.0, 402.0 / 130.0))
    segs.append(Seg(300.0, 3.0))
    report = session_report(build(segs), goal_mile_s=330.0, plan="2x(0.75mi@T, 0.25mi@mile)/0.25mi jog")
    assert [s.label for s in report.sets] == ["2×0.75mi@T", "2×0.25mi@mile"]
    assert report.reps[0].recovery is not None and report.reps[0].recovery.planned == "straight on"
    assert report.reps[1].recovery is not None and report.reps[1].recovery.planned == "0.25mi jog"


def test_set_summary_by_hand() -> None:
    report = session_report(
        build(reps([80.0, 82.0, 81.0, 84.0], 400.0)), goal_mile_s=330.0, plan="4x400m@mile/2min jog"
    )
    s = report.sets[0]
    # paces: t / 400 * 1609.344 = 321.87, 329.92, 325.89, 337.96 s/mile
    assert s.mean_duration_s == pytest.approx(81.75)
    assert s.spread_s == pytest.approx(4.0)  # 84 - 80
    assert s.fade_s == pytest.approx(4.0)  # last 84 - first 80
    assert s.spread_s_per_mile == pytest.approx(4.0 / 400.0 * METERS_PER_MILE)
    # CV of paces = CV of times (same distance): times 80, 82, 81, 84, mean 81.75,
    # deviations -1.75, 0.25, -0.75, 2.25 -> squares 3.0625 + 0.0625 + 0.5625 + 5.0625 = 8.75 / 4 = 2.1875
    # sd 1.47902 -> 1.8092 %
    assert s.cv_pct == pytest.approx(1.8092, abs=1e-3)
    # target 82.021 s, allowance 1 s: 80 fast, 82 on, 81 fast (-1.02), 84 slow
    assert (s.n_fast, s.n_on_target, s.n_slow) == (2, 1, 1)


def test_warnings_carried_and_named_paces_without_goal() -> None:
    analysis = build(reps([82.0, 82.0], 400.0), warnings=("CRC mismatch: kept what decoded",))
    report = session_report(analysis, plan="2x400m@mile/2min jog")
    assert report.warnings[0] == "CRC mismatch: kept what decoded"
    assert any("no goal mile or race" in w for w in report.warnings)
    assert all(r.verdict == "no-target" for r in report.reps)


def test_explicit_pace_needs_no_goal() -> None:
    report = session_report(build(reps([80.0, 80.5], 400.0)), plan="2x400m@80s/400/2min jog")
    assert [r.verdict for r in report.reps] == ["on-target", "on-target"]


def test_race_anchor_and_tolerance_number() -> None:
    analysis = build(reps([165.5, 165.5], 800.0))
    # 165.5 - 164.042 = 1.458 s: within the default 2 s for 800 m, over 0.5 s per 400 m (1.0 s)
    assert session_report(analysis, race="mile=5:30").reps[0].verdict == "on-target"
    report = session_report(analysis, race="mile=5:30", tolerance=0.5)
    assert report.reps[0].verdict == "slow"
    assert report.tolerance == Tolerance(rep_s_per_400m=0.5)
    with pytest.raises(UsageError):
        session_report(build(reps([83.0], 400.0)), goal_mile_s=330.0, tolerance=-1.0)


def test_bad_plan_raises() -> None:
    with pytest.raises(PlanSyntaxError):
        session_report(build(reps([83.0], 400.0)), goal_mile_s=330.0, plan="6x800m@mile/400m jgo")


def test_frames() -> None:
    report = session_report(
        build(reps([164.0, 165.0], 800.0), hr=False), goal_mile_s=330.0, plan="2x800m@mile/400m jog"
    )
    frame = report.to_frame()
    assert list(frame.index) == [1, 2]
    for col in (
        "distance_m",
        "duration_s",
        "target_time_s",
        "delta_s",
        "verdict",
        "recovery_verdict",
        "set_label",
    ):
        assert col in frame.columns
    assert frame.loc[1, "recovery_kind"] == "jog"
    assert pd.isna(frame.loc[2, "recovery_kind"])
    assert len(report.recoveries_frame()) == 1
    assert report.sets_frame().loc[0, "n"] == 2


def test_heart_rate_from_records() -> None:
    segs = reps([164.0, 164.0], 800.0)
    for s in segs:
        s.heart_rate_bpm = 175.0 if s.work else 130.0
    report = session_report(build(segs, hr=True), goal_mile_s=330.0)
    assert report.reps[0].avg_heart_rate_bpm == 175.0 and report.reps[0].max_heart_rate_bpm == 175.0
    assert report.recoveries[0].hr_drop_bpm == pytest.approx(45.0)
    assert math.isnan(session_report(build(segs), goal_mile_s=330.0).reps[0].avg_heart_rate_bpm)


def test_timed_sets_without_plan_are_named_by_time() -> None:
    # six 60 s efforts of 270..285 m: equal times, distances vary by more than 2 % -> "6×60s"
    segs = [Seg(300.0, 3.0)]
    for k, dist in enumerate([270.0, 275.0, 280.0, 285.0, 272.0, 278.0]):
        segs.append(Seg(60.0, dist / 60.0, work=True))
        if k < 5:
            segs.append(Seg(60.0, 2.8))
    report = session_report(build(segs), goal_mile_s=330.0)
    assert [s.label for s in report.sets] == ["6×60s"]


def test_every_result_has_a_frame() -> None:
    report = session_report(
        build(reps([164.0, 165.0], 800.0)), goal_mile_s=330.0, plan="2x800m@mile/400m jog"
    )
    rep = report.reps[0]
    assert rep.to_frame().loc[1, "duration_s"] == 164.0
    assert rep.recovery is not None and rep.recovery.to_frame().loc[1, "verdict"] == "ok"
    assert report.sets[0].to_frame().loc[0, "label"] == "2×800m@mile"


def test_track_rep_judged_over_snapped_distance() -> None:
    # A rep detection measured as 806.4 m but snapped to the standard 800 m (a track) is timed
    # line to line: target for 800 m at a 5:30 mile = 330 × 800 / 1609.344 = 164.042 s (1609.344 × 164 = 263,932.4; 67.6 / 1609.344 = 0.042),
    # so 164.0 s is 0.042 s fast and on target; pace 164 / 800 × 1609.344 = 329.9 s/mi.
    import dataclasses

    from milepace.report.session import session_report

    from .builders import build, reps

    analysis = build(reps([164.0], 800.0), goal_mile_s=330.0)
    effort = dataclasses.replace(analysis.efforts[0], distance_m=806.4, snapped_distance_m=800.0)
    analysis = dataclasses.replace(analysis, efforts=(effort,))
    check = session_report(analysis).reps[0]
    assert check.distance_m == 800.0
    assert check.target_time_s == pytest.approx(164.0420, abs=1e-4)
    assert check.delta_s == pytest.approx(-0.0420, abs=1e-4)
    assert check.pace_s_per_mile == pytest.approx(329.9155, abs=1e-3)
    assert check.verdict == "on-target"


def test_stride_build_from_device_distance_only() -> None:
    # the session of test_strides_have_top_speed_and_build without its speed channel: speed is then
    # the distance step over the 1 s time step, 5 m/s for the samples 1..4 s into the effort and
    # 7 m/s from 5 s on (each step looks back one second), so 90 % of 7 m/s is first reached at 5 s
    from dataclasses import replace

    segs = [Seg(600.0, 3.0)]
    for _ in range(2):
        segs += [Seg(4.0, 5.0), Seg(12.0, 7.0, work=True, kind="stride", recovery_kind="walk")]
        segs.append(Seg(60.0, 1.4))
    analysis = build(segs)
    efforts = tuple(
        replace(e, start=e.start - pd.Timedelta(seconds=4), duration_s=16.0) for e in analysis.efforts
    )
    activity = replace(analysis.activity, records=analysis.activity.records.drop(columns="speed_m_s"))
    report = session_report(replace(analysis, efforts=efforts, activity=activity), goal_mile_s=330.0)
    assert [r.build_s for r in report.reps] == [5.0, 5.0]
