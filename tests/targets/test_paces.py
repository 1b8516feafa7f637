"""The pace table: goal-mile splits, VDOT and Riegel rows, anchors and aliases."""

from __future__ import annotations

import pytest

from milepace.errors import UsageError
from milepace.targets.paces import canonical_pace_name, parse_race, training_paces
from milepace.units import METERS_PER_MILE


def test_goal_mile_splits_by_hand() -> None:
    table = training_paces(goal_mile_s=330.0)
    # 330 s per 1609.344 m: 400 m -> 132000 / 1609.344 = 82.0210 s (1609.344*82 = 131966.208, 33.792/1609.344 = 0.0210);
    # 800 m -> 164.0420 s; 200 m -> 41.0105 s; 1200 m -> 246.0630 s
    assert table.split_s("mile", 400.0) == pytest.approx(82.0210, abs=1e-4)
    assert table.split_s("mile", 800.0) == pytest.approx(164.0420, abs=1e-4)
    assert table.split_s("mile", 200.0) == pytest.approx(41.0105, abs=1e-4)
    assert table.split_s("mile", 1200.0) == pytest.approx(246.0630, abs=1e-4)
    assert table.pace_s_per_mile("mile") == 330.0


def test_frame_has_split_columns_and_every_row() -> None:
    frame = training_paces(goal_mile_s=330.0).to_frame()
    assert set(frame.index) == {"1500", "mile", "3k", "5k", "10k", "hm", "R", "I", "T", "M", "E"}
    for col in ("split_200m_s", "split_400m_s", "split_800m_s", "split_1200m_s", "split_mile_s"):
        assert col in frame.columns
    assert frame.loc["mile", "split_400m_s"] == pytest.approx(82.0210, abs=1e-4)
    # pace per km = pace per mile * 1000 / 1609.344: 330 -> 205.05 s/km
    assert frame.loc["mile", "pace_s_per_km"] == pytest.approx(205.05, abs=0.01)


def test_vdot_rows_follow_the_published_table() -> None:
    # A 19:57 5K is VDOT 50 (Daniels' table 3.1, see test_vdot.py): the table's 10K row should be
    # 41:21 (2481 s) and its T pace 4:15/km (255 s/km) to within the table's rounding.
    table = training_paces(race="5k=19:57")
    assert table.vdot == pytest.approx(50.0, abs=0.1)
    assert table.row("10k").race_time_s == pytest.approx(2481.0, abs=6.0)
    assert table.pace_s_per_mile("T") / METERS_PER_MILE * 1000.0 == pytest.approx(255.0, abs=1.5)


def test_race_and_training_paces_are_ordered() -> None:
    t = training_paces(goal_mile_s=330.0)
    p = t.pace_s_per_mile
    assert p("1500") < p("mile") < p("3k") < p("5k") < p("10k") < p("T") < p("M") < p("E")
    # R is I less 6 s per 400 m: 6 * 1609.344 / 400 = 24.14 s/mile
    assert p("I") - p("R") == pytest.approx(24.1402, abs=1e-3)
    e = t.row("E")
    assert e.fast_pace_s_per_mile < e.pace_s_per_mile < e.slow_pace_s_per_mile


def test_riegel_model_rows_by_hand() -> None:
    t = training_paces(goal_mile_s=330.0, model="riegel")
    # 5K from a 5:30 mile by Riegel: 1097.39 s (see test_riegel.py)
    assert t.row("5k").race_time_s == pytest.approx(1097.39, abs=0.05)
    # T: the distance raced in 3600 s: 1609.344 * (3600/330)^(1/1.06) = 1609.344 * 10.9091^0.943396
    #    = 1609.344 * e^(0.943396 * 2.389595) = 1609.344 * 9.5304 = 15337.7 m -> 3600/15337.7*1609.344 = 377.7 s/mi
    assert t.pace_s_per_mile("T") == pytest.approx(377.7, abs=0.3)


def test_race_anchor_with_goal_keeps_goal_mile() -> None:
    t = training_paces(goal_mile_s=330.0, race="5k=18:37")
    assert t.anchor_name == "5k"
    assert t.pace_s_per_mile("mile") == 330.0
    # 18:37 = 1117 s over 5000 m -> 1117 / 5000 * 1609.344 = 359.52 s/mile on the 5K row
    assert t.pace_s_per_mile("5k") == pytest.approx(359.52, abs=0.5)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("Mile", "mile"),
        ("threshold", "T"),
        ("t", "T"),
        ("3000", "3k"),
        ("M", "M"),
        ("marathon", "M"),
        ("1500m", "1500"),
    ],
)
def test_aliases(alias: str, name: str) -> None:
    assert canonical_pace_name(alias) == name


def test_parse_race() -> None:
    assert parse_race("5k=18:37") == ("5k", 5000.0, 1117.0)
    _name, d, t = parse_race("3000m=9:30")
    assert (d, t) == (3000.0, 570.0)
    assert parse_race("2mi=11:00")[1] == pytest.approx(2 * METERS_PER_MILE)


@pytest.mark.parametrize("bad", ["5k", "5k=", "fast=18:00", "5k=abc", "5k=2:00"])
def test_bad_race(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_race(bad)


def test_needs_an_anchor() -> None:
    with pytest.raises(UsageError, match="goal mile"):
        training_paces()
    with pytest.raises(UsageError, match="model"):
        training_paces(goal_mile_s=330.0, model="magic")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        canonical_pace_name("warp")
