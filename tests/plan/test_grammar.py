"""Every plan example of issue 5 parses to the right structure; malformed plans say where and what."""

from __future__ import annotations

import pytest

from milepace.errors import PlanSyntaxError
from milepace.plan.grammar import parse_plan
from milepace.plan.model import PlannedRep
from milepace.targets.paces import training_paces
from milepace.units import METERS_PER_MILE

PACES = training_paces(goal_mile_s=330.0)


def _reps(text: str) -> tuple[PlannedRep, ...]:
    return parse_plan(text).expand(PACES)


def _rec(rep: PlannedRep) -> tuple:
    r = rep.recovery
    return None if r is None else (r.distance_m, r.duration_s, r.kind, r.full, r.continuous)


def test_six_by_800() -> None:
    reps = _reps("6x800m@mile/400m jog")
    assert len(reps) == 6
    assert all(r.distance_m == 800.0 and r.duration_s is None and r.kind == "interval" for r in reps)
    assert all(r.pace_name == "mile" and r.target_pace_s_per_mile == 330.0 for r in reps)
    # 800 m at 330 s/mile = 330 * 800 / 1609.344 = 164.042 s
    assert reps[0].target_time_s == pytest.approx(164.042, abs=1e-3)
    assert [_rec(r) for r in reps[:5]] == [(400.0, None, "jog", False, False)] * 5
    assert reps[-1].recovery is None
    assert {r.set_label for r in reps} == {"6×800m@mile"}


def test_eight_by_200() -> None:
    reps = _reps("8x200m@mile/200m jog")
    assert len(reps) == 8 and all(r.distance_m == 200.0 for r in reps)
    assert _rec(reps[0]) == (200.0, None, "jog", False, False)


def test_two_parts() -> None:
    reps = _reps("1x800m@3k/800m jog, 4x400m@5k/30s jog")
    assert [(r.distance_m, r.pace_name) for r in reps] == [(800.0, "3k")] + [(400.0, "5k")] * 4
    assert _rec(reps[0]) == (800.0, None, "jog", False, False)
    assert _rec(reps[1]) == (None, 30.0, "jog", False, False)
    assert reps[0].set_key != reps[1].set_key
    assert reps[1].set_label == "4×400m@5k"


def test_four_by_1200() -> None:
    reps = _reps("4x1200m@3k/800m jog")
    assert len(reps) == 4 and reps[0].distance_m == 1200.0 and reps[0].pace_name == "3k"


def test_fartlek_timed_reps() -> None:
    reps = _reps("6x1min@3k/1min jog, 6x45s@mile/45s jog, 6x30s@1500/30s jog")
    assert len(reps) == 18
    assert [r.duration_s for r in reps] == [60.0] * 6 + [45.0] * 6 + [30.0] * 6
    assert all(r.distance_m is None for r in reps)
    assert [r.pace_name for r in (reps[0], reps[6], reps[12])] == ["3k", "mile", "1500"]
    assert _rec(reps[5]) == (None, 60.0, "jog", False, False)  # last 1-min rep still gets its jog
    assert _rec(reps[6]) == (None, 45.0, "jog", False, False)
    # a timed rep expects duration / pace of distance: 45 s at 330 s/mile = 45/330*1609.344 = 219.456 m
    assert reps[6].expected_distance_m == pytest.approx(219.456, abs=1e-3)
    assert len({r.set_key for r in reps}) == 3


def test_threshold_miles() -> None:
    reps = _reps("2x2mi@T/1mi jog")
    assert len(reps) == 2
    assert reps[0].distance_m == pytest.approx(2 * METERS_PER_MILE)
    assert reps[0].pace_name == "T"
    assert reps[0].recovery is not None and reps[0].recovery.distance_m == pytest.approx(METERS_PER_MILE)


def test_group_with_set_recovery() -> None:
    reps = _reps("4x(0.75mi@T, 0.25mi@mile)/0.25mi jog")
    assert len(reps) == 8
    assert [r.pace_name for r in reps] == ["T", "mile"] * 4
    assert reps[0].distance_m == pytest.approx(0.75 * METERS_PER_MILE)
    assert reps[1].distance_m == pytest.approx(0.25 * METERS_PER_MILE)
    assert all(r.recovery is not None and r.recovery.continuous for r in reps[0::2])
    assert all(_rec(r) == (0.25 * METERS_PER_MILE, None, "jog", False, False) for r in reps[1:7:2])
    assert reps[-1].recovery is None
    # the T reps form one set and the mile reps another
    assert len({r.set_key for r in reps[0::2]}) == 1
    assert reps[0].set_key != reps[1].set_key
    assert reps[0].set_label == "4×0.75mi@T"


def test_nested_sets_get_their_own_set_recovery() -> None:
    reps = _reps("2x(4x400m@mile/60s jog)/4min walk")
    assert len(reps) == 8
    assert _rec(reps[2]) == (None, 60.0, "jog", False, False)
    assert _rec(reps[3]) == (None, 240.0, "walk", False, False)  # set recovery replaces the 4th jog
    assert reps[0].set_key == reps[3].set_key != reps[4].set_key
    assert reps[0].set_label == "4×400m@mile (set 1)"


def test_strides() -> None:
    reps = _reps("6x20s strides/60s walk")
    assert len(reps) == 6
    assert all(r.kind == "stride" and r.duration_s == 20.0 and r.target_pace_s_per_mile is None for r in reps)
    assert _rec(reps[0]) == (None, 60.0, "walk", False, False)


def test_hill_sprints_walk_down() -> None:
    reps = _reps("8x10s hill/walk down")
    assert len(reps) == 8 and all(r.kind == "hill_repeat" and r.duration_s == 10.0 for r in reps)
    assert _rec(reps[0]) == (None, None, "walk down", False, False)
    assert parse_plan("8x10s hill sprints/jog back").expand()[0].recovery.kind == "jog down"  # type: ignore[union-attr]


def test_time_trial() -> None:
    reps = _reps("1mi@mile")
    assert len(reps) == 1
    assert reps[0].distance_m == pytest.approx(METERS_PER_MILE)
    assert reps[0].target_time_s == pytest.approx(330.0)
    assert reps[0].recovery is None


@pytest.mark.parametrize(
    ("text", "pace", "rep_time"),
    [
        # 5:20/mi = 320 s/mile
        ("4x1mi@5:20/mi/2min stand", 320.0, 320.0),
        # 3:20/km = 200 s/km = 200 * 1.609344 = 321.8688 s/mile; a 1k rep is 200 s
        ("5x1km@3:20/km/90s stand", 321.8688, 200.0),
        # 80 s per 400 m = 80 * 1609.344 / 400 = 321.8688 s/mile; a 400 is 80 s
        ("6x400m@80s/400/200m jog", 321.8688, 80.0),
        # a bare time is the target for the whole rep: 2:44 for 800 m = 164 / 800 * 1609.344 = 329.9155 s/mile
        ("6x800m@2:44/400m jog", 329.9155, 164.0),
    ],
)
def test_explicit_paces(text: str, pace: float, rep_time: float) -> None:
    rep = _reps(text)[0]
    assert rep.target_pace_s_per_mile == pytest.approx(pace, abs=1e-3)
    assert rep.target_time_s == pytest.approx(rep_time, abs=1e-3)
    assert rep.pace_name is None


def test_pace_per_distance_followed_by_recovery_distance() -> None:
    # "80s/400m jog" cannot be a pace (a pace ends at ',', '/', ')' or the end): 80 s for the rep, 400 m jog
    rep = _reps("6x400m@80s/400m jog")[0]
    assert rep.target_time_s == 80.0
    assert rep.recovery is not None and rep.recovery.distance_m == 400.0 and rep.recovery.kind == "jog"


def test_full_recovery_and_stand() -> None:
    reps = _reps("8x200m@R/full, 3x300m@mile/90s stand")
    assert reps[0].recovery is not None and reps[0].recovery.full
    assert _rec(reps[8]) == (None, 90.0, "stand", False, False)
    assert _reps("4x400m@mile/2min rest")[0].recovery.kind == "stand"  # type: ignore[union-attr]


def test_names_need_a_table_to_resolve() -> None:
    rep = parse_plan("6x800m@mile/400m jog").expand()[0]
    assert rep.pace_name == "mile" and rep.target_pace_s_per_mile is None and rep.target_time_s is None


def test_whitespace_case_and_times_sign() -> None:
    a = _reps(" 6 X 800M @ Mile / 400m Jog ")
    b = _reps("6×800m@mile/400m jog")
    assert [(r.distance_m, r.pace_name, _rec(r)) for r in a] == [
        (r.distance_m, r.pace_name, _rec(r)) for r in b
    ]


def test_bare_track_distances_are_metres() -> None:
    reps = _reps("6x400@mile/200 jog")
    assert [r.distance_m for r in reps] == [400.0] * 6
    assert _rec(reps[0]) == (200.0, None, "jog", False, False)


def test_plan_frame() -> None:
    frame = parse_plan("2x2mi@T/1mi jog").to_frame(PACES)
    assert list(frame.index) == [1, 2]
    assert frame.loc[1, "recovery"] == "1mi jog"


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("6x800m@mile/400m jgo", 17, "recovery kind"),
        ("6x80@mile", 4, "unit after the number"),
        ("6x800.5@mile", 7, "unit after the number"),
        ("6x800m@mil", 7, "pace name"),
        ("6x(800m@mile", 12, "')' to close the group"),
        ("6x800m mile", 7, "'@' and a pace"),
        ("0x400m@mile", 0, "repeat count from 1 to 100"),
        ("1000x400m@mile", 0, "repeat count from 1 to 100"),
        ("50x(50x400m@mile)", 0, "at most 500 reps"),
        ("2x(2x(2x(2x(2x(400m@mile)))))", 14, "levels of '(' groups"),
        ("6x800m@mile/", 12, "recovery such as"),
        ("6x800m@mile/400m jog,", 21, "a rep such as"),
        ("6x@mile", 2, "a rep such as"),
        ("6x800m@mile/400m jog)", 20, "',' before the next part"),
        ("", 0, "a plan such as"),
        ("6x1min@2:44", 7, "target time needs a rep given as a distance"),
        ("6x800m@", 7, "a pace after '@'"),
        ("6x800m@mile;", 11, "',' before the next part"),
    ],
)
def test_malformed_plans_point_at_the_character(text: str, position: int, expected: str) -> None:
    with pytest.raises(PlanSyntaxError) as info:
        parse_plan(text)
    err = info.value
    assert err.position == position, str(err)
    assert expected in err.message
    assert err.text == text


def test_error_message_names_what_was_found() -> None:
    with pytest.raises(PlanSyntaxError, match="found 'jgo'") as info:
        parse_plan("6x800m@mile/400m jgo")
    # the plan is shown on its own line, indented 2, and the caret sits under its 'j' (index 17)
    lines = str(info.value).splitlines()
    assert lines[1] == "  6x800m@mile/400m jgo"
    assert lines[2].index("^") == len("  ") + 17
    assert lines[1][lines[2].index("^")] == "j"
