"""Recovery verdicts against the plan, and heart-rate drop, on hand-built recoveries."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from milepace.detect.model import Effort, Recovery
from milepace.plan.grammar import parse_plan
from milepace.plan.model import PlannedRep, RecoverySpec
from milepace.report.recovery import check_recovery
from milepace.report.tolerance import Tolerance

T0 = pd.Timestamp("2026-05-02T13:00:00Z")


def _effort(duration_s: float = 164.0) -> Effort:
    return Effort(1, "interval", T0, T0 + pd.Timedelta(seconds=duration_s), duration_s, 800.0, 800.0, 330.0)


def _rec(duration_s: float, distance_m: float, kind: str, after_s: float = 164.0) -> Recovery:
    start = T0 + pd.Timedelta(seconds=after_s)
    return Recovery(start, start + pd.Timedelta(seconds=duration_s), duration_s, distance_m, kind)  # type: ignore[arg-type]


def _planned(text: str, index: int = 0) -> tuple[RecoverySpec | None, PlannedRep]:
    rep = parse_plan(text).expand()[index]
    return rep.recovery, rep


@pytest.mark.parametrize(
    ("plan", "duration_s", "distance_m", "kind", "verdict"),
    [
        # 400m jog: accepted 400 ± max(15 % = 60 m, 30 m) = 340..460 m, and a jog
        ("2x800m@mile/400m jog", 130.0, 402.0, "jog", "ok"),
        ("2x800m@mile/400m jog", 130.0, 455.0, "jog", "ok"),
        ("2x800m@mile/400m jog", 110.0, 330.0, "jog", "short"),
        ("2x800m@mile/400m jog", 200.0, 470.0, "jog", "long"),
        ("2x800m@mile/400m jog", 190.0, 400.0, "walk", "walked"),
        ("2x800m@mile/400m jog", 100.0, 300.0, "mixed", "short, mixed"),
        # 30s jog: 30 ± max(20 % = 6 s, 10 s) = 20..40 s
        ("2x400m@5k/30s jog", 38.0, 80.0, "jog", "ok"),
        ("2x400m@5k/30s jog", 45.0, 95.0, "jog", "long"),
        ("2x400m@5k/30s jog", 18.0, 40.0, "jog", "short"),
        # 90s stand: 90 ± max(18 s, 10 s) = 72..108 s, standing
        ("2x400m@mile/90s stand", 95.0, 5.0, "stand", "ok"),
        ("2x400m@mile/90s stand", 95.0, 120.0, "walk", "walked"),
        ("2x400m@mile/90s stand", 60.0, 2.0, "stand", "short"),
        # walk down: no length, walk/jog/mixed fine, standing not
        ("2x10s hill/walk down", 75.0, 60.0, "walk", "ok"),
        ("2x10s hill/walk down", 75.0, 90.0, "jog", "ok"),
        ("2x10s hill/walk down", 75.0, 5.0, "stand", "stood"),
    ],
)
def test_recovery_verdicts(plan: str, duration_s: float, distance_m: float, kind: str, verdict: str) -> None:
    planned, rep = _planned(plan)
    check = check_recovery(_effort(), _rec(duration_s, distance_m, kind), planned, planned_rep=rep)
    assert check.verdict == verdict
    assert check.planned == planned.text  # type: ignore[union-attr]


def test_distance_window_by_hand() -> None:
    planned, rep = _planned("2x800m@mile/400m jog")
    check = check_recovery(_effort(), _rec(130.0, 402.0, "jog"), planned, planned_rep=rep)
    assert (check.min_m, check.max_m) == (340.0, 460.0)
    assert check.kind_ok is True and check.length_verdict == "ok"


def test_full_recovery_minimum() -> None:
    # full after a 200 m at mile pace planned (41.0 s): at least max(120 s, 3 * 41.0 s = 123.0 s)
    from milepace.targets.paces import training_paces

    rep = parse_plan("4x200m@mile/full").expand(training_paces(goal_mile_s=330.0))[0]
    effort = _effort(41.0)
    short = check_recovery(effort, _rec(122.0, 150.0, "walk", after_s=41.0), rep.recovery, planned_rep=rep)
    assert short.min_s == pytest.approx(3 * 41.0105, abs=1e-3)
    assert short.verdict == "short"
    ok = check_recovery(effort, _rec(124.0, 150.0, "walk", after_s=41.0), rep.recovery, planned_rep=rep)
    assert ok.verdict == "ok"  # "full" names no kind, walking is fine
    # a 10 s hill sprint: 3 x 10 s is under the 120 s floor
    hill = parse_plan("4x10s hill/full").expand()[0]
    assert (
        check_recovery(
            _effort(10.0), _rec(100.0, 50.0, "walk", 10.0), hill.recovery, planned_rep=hill
        ).verdict
        == "short"
    )


def test_straight_on_inside_a_group() -> None:
    rep = parse_plan("2x(0.75mi@T, 0.25mi@mile)/0.25mi jog").expand()[0]
    assert rep.recovery is not None and rep.recovery.continuous
    assert check_recovery(_effort(), _rec(3.0, 12.0, "jog"), rep.recovery, planned_rep=rep).verdict == "ok"
    assert (
        check_recovery(_effort(), _rec(40.0, 60.0, "walk"), rep.recovery, planned_rep=rep).verdict == "long"
    )


def test_no_plan() -> None:
    check = check_recovery(_effort(), _rec(121.0, 402.0, "jog"))
    assert check.verdict == "no plan" and check.planned is None
    assert check.describe() == "2:01 402 m jog"


def test_tolerance_is_configurable() -> None:
    planned, rep = _planned("2x400m@5k/30s jog")
    strict = Tolerance(recovery_time_frac=0.0, recovery_time_min_s=2.0)
    assert (
        check_recovery(_effort(), _rec(35.0, 80.0, "jog"), planned, planned_rep=rep, tolerance=strict).verdict
        == "long"
    )


def test_heart_rate_drop() -> None:
    # HR 180 through the effort (0..164 s), then falling 1 bpm/s for 60 s, then flat at 120 to 294 s
    t = np.arange(0.0, 300.0)
    hr = np.where(t < 164, 180.0, np.maximum(180.0 - (t - 163.0), 120.0))
    records = pd.DataFrame({"heart_rate_bpm": hr}, index=pd.DatetimeIndex(T0 + pd.to_timedelta(t, unit="s")))
    check = check_recovery(_effort(), _rec(130.0, 400.0, "jog"), records=records)
    # last 5 s of the effort (159..163 s): 180; last 5 s of the recovery (289..293 s): 120 -> drop 60
    assert check.hr_end_effort_bpm == 180.0
    assert check.hr_end_recovery_bpm == 120.0
    assert check.hr_drop_bpm == 60.0
    # 55..65 s after the end (219..228 s): 180 - (t - 163) = 124..120, clipped at 120:
    # values 124, 123, 122, 121, 120, 120, 120, 120, 120, 120 -> mean 121.0 -> drop 59.0
    assert check.hr_drop_60s_bpm == pytest.approx(59.0)


def test_no_heart_rate_gives_nan() -> None:
    check = check_recovery(
        _effort(), _rec(130.0, 400.0, "jog"), records=pd.DataFrame(index=pd.DatetimeIndex([], tz="UTC"))
    )
    assert math.isnan(check.hr_drop_bpm)
