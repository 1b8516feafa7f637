"""Plan reps matched to efforts with a missed rep, an extra rep and a wrong-kind effort."""

from __future__ import annotations

from milepace.plan.align import align, match_cost
from milepace.plan.grammar import parse_plan
from tests.report.builders import Seg, build, reps


def _efforts(segs: list[Seg]):  # type: ignore[no-untyped-def]
    return build(segs).efforts


def test_all_matched_in_order() -> None:
    plan = parse_plan("6x800m@mile/400m jog").expand()
    efforts = _efforts(reps([164.0] * 6, 800.0))
    result = align(plan, efforts)
    assert [(p.plan_index, p.effort_index) for p in result.pairs] == [(i, i) for i in range(1, 7)]
    assert result.missed == () and result.extra == ()


def test_missed_rep_goes_where_the_long_gap_is() -> None:
    # 6 x 800 planned, the runner skipped the 3rd: after effort 2 the recovery is
    # 120 s jog + (an 800 not run) + 120 s = far longer than the planned 400 m jog (~133 s at 3 m/s).
    segs = [Seg(300.0, 3.0)]
    for k in range(5):
        segs.append(Seg(164.0, 800.0 / 164.0, work=True))
        if k < 4:
            segs.append(Seg(420.0 if k == 1 else 120.0, 400.0 / 120.0))
    segs.append(Seg(300.0, 3.0))
    result = align(parse_plan("6x800m@mile/400m jog").expand(), _efforts(segs))
    assert result.missed == (3,)
    assert result.extra == ()
    assert result.plan_for_effort() == {1: 1, 2: 2, 3: 4, 4: 5, 5: 6}


def test_missed_rep_without_evidence_is_the_last() -> None:
    result = align(parse_plan("6x800m@mile/400m jog").expand(), _efforts(reps([164.0] * 5, 800.0)))
    assert result.missed == (6,)


def test_missed_rep_of_a_different_size() -> None:
    # 800 then 4 x 400 planned; the 800 was not run (or not found): a zip would pair the 800 with a 400.
    plan = parse_plan("1x800m@3k/800m jog, 4x400m@5k/30s jog").expand()
    efforts = _efforts(reps([90.0] * 4, 400.0, recovery_s=30.0))
    result = align(plan, efforts)
    assert result.missed == (1,)
    assert result.plan_for_effort() == {1: 2, 2: 3, 3: 4, 4: 5}


def test_extra_rep_is_reported() -> None:
    # 4 x 400 planned, the runner ran a 1200 m in the middle (not in the plan)
    segs = [Seg(300.0, 3.0)]
    for k, (secs, dist) in enumerate(
        [(82.0, 400.0), (82.0, 400.0), (260.0, 1200.0), (82.0, 400.0), (82.0, 400.0)]
    ):
        segs.append(Seg(secs, dist / secs, work=True))
        if k < 4:
            segs.append(Seg(90.0, 2.5))
    result = align(parse_plan("4x400m@mile/90s jog").expand(), _efforts(segs))
    assert result.extra == (3,)
    assert result.missed == ()
    assert result.plan_for_effort() == {1: 1, 2: 2, 4: 3, 5: 4}


def test_stride_before_the_session_is_extra() -> None:
    # a 20 s stride before 3 x 1 mi @ T: similar size is not enough, the kind differs
    segs = [Seg(300.0, 3.0), Seg(20.0, 6.5, work=True, kind="stride"), Seg(120.0, 1.2)]
    for k in range(3):
        segs.append(Seg(390.0, 1609.344 / 390.0, work=True))
        if k < 2:
            segs.append(Seg(60.0, 2.0))
    result = align(parse_plan("3x1mi@T/60s jog").expand(), _efforts(segs))
    assert result.extra == (1,)
    assert result.plan_for_effort() == {2: 1, 3: 2, 4: 3}


def test_timed_reps_compare_durations() -> None:
    plan = parse_plan("6x1min@3k/1min jog").expand()
    efforts = _efforts(reps([60.0, 61.0, 59.0, 60.0, 60.0, 60.0], 330.0, recovery_s=60.0))
    (rep,) = plan[:1]
    # same duration, whatever the distance: cost 0
    assert match_cost(rep, efforts[0]) == 0.0
    assert align(plan, efforts).missed == ()


def test_nothing_found() -> None:
    result = align(parse_plan("3x800m@mile").expand(), ())
    assert result.missed == (1, 2, 3)
    assert all(p.status == "missed" for p in result.pairs)
    assert align((), _efforts(reps([82.0], 400.0))).extra == (1,)
