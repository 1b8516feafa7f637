"""Session kinds from hand-built efforts, pace bands, and the athlete's local date.

Goal mile 5:30 (330 s/mi) with the documented fallback ratios: T = 330 × 1.18
= 389.4 s/mi, I = 330 × 1.086 = 358.38 s/mi, 3K = 330 × 1.063 = 350.79 s/mi;
the interval band is faster than 358.38 + (389.4 − 358.38) / 3 = 368.72 s/mi,
the threshold band runs to 389.4 × 1.07 = 416.66 s/mi.
"""

from __future__ import annotations

import math

import pytest

from milepace.block.sessions import (
    SessionRules,
    activity_row,
    effort_band,
    local_start,
    pace_bands,
    parse_strava_date,
    session_facts,
    session_kind,
)
from milepace.units import METERS_PER_MILE

from .factory import effort, result

BANDS = pace_bands(330.0, use_training_paces=False)
RULES = SessionRules()
MILE = METERS_PER_MILE


def test_ratio_bands_by_hand() -> None:
    assert BANDS.threshold_s_per_mile == pytest.approx(389.4)
    assert BANDS.interval_s_per_mile == pytest.approx(358.38)
    assert BANDS.threshold_fast_limit_s_per_mile == pytest.approx(368.72)
    assert BANDS.threshold_slow_limit_s_per_mile == pytest.approx(416.658)
    assert BANDS.source == "ratios"


def test_training_pace_bands_bracket_threshold() -> None:
    bands = pace_bands(330.0)
    # whichever source: mile < 3K < I < fast limit < T < slow limit
    assert (
        bands.mile_s_per_mile
        < bands.three_k_s_per_mile
        < bands.interval_s_per_mile
        < bands.threshold_fast_limit_s_per_mile
        < bands.threshold_s_per_mile
        < bands.threshold_slow_limit_s_per_mile
    )


@pytest.mark.parametrize(
    ("kind", "distance_m", "pace", "band"),
    [
        ("interval", 800.0, 335.0, "interval"),
        ("interval", 2 * MILE, 390.0, "threshold"),  # 780 s at T pace
        ("interval", 400.0, 390.0, "interval"),  # 97 s: too short to be threshold work
        ("interval", 1000.0, 368.0, "interval"),  # just inside the fast limit 368.72
        ("interval", 1000.0, 370.0, "threshold"),  # just outside it, 230 s long
        ("interval", 5000.0, 350.0, "threshold"),  # 18 min: a tempo measured fast, not an interval rep
        ("interval", 2 * MILE, 420.0, "steady"),  # slower than 416.66: marathon-ish pickup
        ("stride", 100.0, 300.0, "stride"),
        ("hill_repeat", 60.0, 420.0, "hill"),
    ],
)
def test_effort_band(kind: str, distance_m: float, pace: float, band: str) -> None:
    assert effort_band(effort(kind, distance_m, pace), BANDS, RULES) == band


def _kind(efforts: list, **kwargs: object) -> str:  # type: ignore[type-arg]
    res = result(efforts, **kwargs)  # type: ignore[arg-type]
    facts = session_facts(res, BANDS, RULES, name=kwargs.get("name"))  # type: ignore[arg-type]
    return session_kind(res, facts, RULES, name=kwargs.get("name"))  # type: ignore[arg-type]


def test_six_by_800_is_intervals() -> None:
    assert _kind([effort("interval", 800.0, 335.0) for _ in range(6)]) == "intervals"


def test_two_by_two_miles_is_threshold() -> None:
    res = result([effort("interval", 2 * MILE, 390.0) for _ in range(2)], miles=8.0)
    facts = session_facts(res, BANDS, RULES)
    assert facts.threshold_m == pytest.approx(4 * MILE)
    assert session_kind(res, facts, RULES) == "threshold"


def test_combo_with_more_threshold_than_speed_is_threshold() -> None:
    efforts = []
    for _ in range(4):
        efforts += [effort("interval", 0.75 * MILE, 390.0), effort("interval", 0.25 * MILE, 330.0)]
    res = result(efforts, miles=8.0)
    facts = session_facts(res, BANDS, RULES)
    assert facts.threshold_m == pytest.approx(3 * MILE)
    assert facts.interval_m == pytest.approx(1 * MILE)
    assert session_kind(res, facts, RULES) == "threshold"


def test_strides_run() -> None:
    assert _kind([effort("stride", 100.0, 300.0) for _ in range(6)]) == "strides"


def test_one_stride_is_just_easy() -> None:
    assert _kind([effort("stride", 100.0, 300.0)]) == "easy"


def test_hill_sprints_and_repeats() -> None:
    sprints = [effort("hill_repeat", 50.0, 8.0 * MILE / 50.0) for _ in range(8)]  # 8 s each
    assert _kind(sprints) == "hill_sprints"
    repeats = [effort("hill_repeat", 250.0, 60.0 * MILE / 250.0) for _ in range(6)]  # 60 s each
    assert _kind(repeats) == "hill_repeats"


def test_mile_time_trial_with_strides_before() -> None:
    efforts = [effort("stride", 100.0, 300.0) for _ in range(4)] + [effort("interval", MILE, 335.0)]
    res = result(efforts, miles=5.0)
    facts = session_facts(res, BANDS, RULES)
    assert facts.time_trial is not None and facts.time_trial.distance_m == MILE
    assert session_kind(res, facts, RULES) == "time_trial"
    row = activity_row(res, BANDS, RULES)
    assert row.time_trial_s == pytest.approx(335.0)
    assert row.time_trial_m == pytest.approx(MILE)


def test_a_slow_mile_is_not_a_time_trial_unless_named() -> None:
    # 352 s/mi is slower than 330 × 1.06 = 349.8: a mile rep in a session, not an all-out mile
    assert _kind([effort("interval", MILE, 352.0)]) == "intervals"
    assert _kind([effort("interval", MILE, 352.0)], name="Mile TT") == "time_trial"


def test_five_k_race() -> None:
    # Riegel: 330 × (5000/1609.344)^0.06 = 353.22 s/mi, +2 % = 360.29: 359 s/mi qualifies
    assert _kind([effort("interval", 5000.0, 359.0)], miles=6.0) == "race"
    # a 20-min tempo measured at 365 s/mi is no race: a threshold session
    assert _kind([effort("interval", 5300.0, 365.0)], miles=6.0) == "threshold"


def test_race_by_name() -> None:
    assert _kind([effort("interval", MILE, 332.0)], name="Club champs race") == "race"


def test_long_run_with_and_without_much_work() -> None:
    assert _kind([], miles=10.0) == "long"
    # 2 mi of threshold pickups in 10 mi: 20 % < 25 %, still the long run
    assert _kind([effort("interval", MILE, 390.0), effort("interval", MILE, 390.0)], miles=10.0) == "long"
    # 4 mi of threshold in 10 mi: 40 %, a threshold session
    assert _kind([effort("interval", 2 * MILE, 390.0) for _ in range(2)], miles=10.0) == "threshold"


def test_plain_run_is_easy() -> None:
    assert _kind([], miles=5.0) == "easy"


def test_interval_pace_is_distance_weighted() -> None:
    # 400 m at 320 s/mi and 1200 m at 340 s/mi: (400×320 + 1200×340) / 1600 = 335 s/mi
    res = result([effort("interval", 400.0, 320.0), effort("interval", 1200.0, 340.0)])
    facts = session_facts(res, BANDS, RULES)
    assert facts.interval_pace_s_per_mile == pytest.approx(335.0)


# ---------------------------------------------------------------------- dates
def test_strava_date_formats() -> None:
    assert parse_strava_date("Mar 2, 2026, 1:01:07 PM").isoformat() == "2026-03-02T13:01:07"  # type: ignore[union-attr]
    assert parse_strava_date("2026-03-02 13:01:07").isoformat() == "2026-03-02T13:01:07"  # type: ignore[union-attr]
    assert parse_strava_date("not a date") is None
    assert parse_strava_date(None) is None


def test_local_date_from_the_file_offset() -> None:
    # 23:30 UTC at UTC+2 is 01:30 the next day
    res = result([], start_utc="2026-03-03T23:30:00Z", utc_offset_s=7200.0)
    start, basis = local_start(res, None)
    assert basis == "file"
    assert start is not None and start.isoformat() == "2026-03-04T01:30:00"
    # the same instant at UTC-5 is 18:30 the same day
    res = result([], start_utc="2026-03-03T23:30:00Z", utc_offset_s=-18000.0)
    assert local_start(res, None)[0].date().isoformat() == "2026-03-03"  # type: ignore[union-attr]


def test_local_date_from_strava_when_the_file_has_no_offset() -> None:
    res = result([], start_utc="2026-03-03T23:30:05Z")
    start, basis = local_start(res, "Mar 4, 2026, 1:30:00 AM")  # a local wall time: offset +2 h
    assert basis == "strava"
    assert start is not None and start.isoformat() == "2026-03-04T01:30:05"
    start, basis = local_start(res, "Mar 3, 2026, 11:30:05 PM")  # a UTC wall time: offset 0
    assert start is not None and start.date().isoformat() == "2026-03-03" and basis == "utc"


def test_local_date_falls_back_to_utc() -> None:
    res = result([], start_utc="2026-03-03T23:30:00Z")
    start, basis = local_start(res, None)
    assert basis == "utc"
    assert start is not None and start.date().isoformat() == "2026-03-03"


def test_activity_row_takes_the_strava_name_and_counts_verdicts() -> None:
    res = result([effort("interval", 800.0, 335.0) for _ in range(3)], name="file name")
    res = res.__class__(
        **{
            **res.__dict__,
            "efforts": tuple(
                e.__class__(**{**e.__dict__, "verdict": v})
                for e, v in zip(res.efforts, ["on target", "slow", "on target"], strict=True)
            ),
        }
    )
    row = activity_row(res, BANDS, RULES, strava={"name": "Tuesday track", "date": None})
    assert row.name == "Tuesday track"
    assert row.verdicts == {"on target": 2, "slow": 1}
    assert row.kind == "intervals"
    assert row.interval_m == pytest.approx(2400.0)
    assert math.isnan(row.time_trial_s)


def test_a_rep_measured_fast_stays_with_its_set() -> None:
    # ¾ mi threshold reps at 376, 367, 380, 377 s/mi: the second alone would be interval band
    # (< 368.72), but the set's pace (equal distances: the mean, 375 s/mi) keeps it threshold
    efforts = []
    for pace in (376.0, 367.0, 380.0, 377.0):
        efforts += [effort("interval", 0.75 * MILE, pace), effort("interval", 0.25 * MILE, 330.0)]
    res = result(efforts, miles=8.0)
    facts = session_facts(res, BANDS, RULES)
    assert facts.threshold_m == pytest.approx(3 * MILE)
    assert facts.interval_m == pytest.approx(1 * MILE)


def test_sets_are_grouped_by_distance() -> None:
    from milepace.block.sessions import set_paces

    res = result(
        [effort("interval", 800.0, 330.0), effort("interval", 790.0, 340.0), effort("interval", 400.0, 320.0)]
    )
    paces = set_paces(res.efforts)
    # 800 m at 330 and 790 m at 340: (800×330 + 790×340) / 1590 = 334.97 s/mi; the 400 alone
    assert paces[1] == pytest.approx((800 * 330 + 790 * 340) / 1590)
    assert paces[2] == paces[1]
    assert paces[3] == pytest.approx(320.0)


def test_short_pickups_called_intervals_are_strides() -> None:
    # five 13–21 s pickups labelled "interval": strides; eight 200s at mile pace (41 s) stay reps
    pickups = [effort("interval", d, 310.0) for d in (68.0, 83.0, 98.0, 91.0, 100.0)]
    assert _kind(pickups) == "strides"
    assert _kind([effort("interval", 200.0, 330.0) for _ in range(8)]) == "intervals"


def test_local_date_from_the_blocks_usual_offset() -> None:
    from milepace.block.sessions import block_offset

    # a GPX (no offset) run at 20:30 UTC by an athlete at UTC+10 whose FIT files say +10 h:
    # 06:30 the next morning, local
    gpx = result([], start_utc="2026-03-03T20:30:00Z")
    fits = [result([], utc_offset_s=36000.0), result([], utc_offset_s=36000.0), result([], utc_offset_s=0.0)]
    offset = block_offset([gpx, *fits])
    assert offset == 36000.0
    start, basis = local_start(gpx, None, block_offset_s=offset)
    assert basis == "block" and start is not None and start.isoformat() == "2026-03-04T06:30:00"
    # a Strava date in UTC adds nothing, so the block's offset still decides
    start, basis = local_start(gpx, "Mar 3, 2026, 8:30:00 PM", block_offset_s=offset)
    assert basis == "block" and start is not None and start.date().isoformat() == "2026-03-04"
    assert block_offset([gpx]) is None
