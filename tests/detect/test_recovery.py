"""Recovery kinds: the gait held longest, on hand-built seconds."""

from __future__ import annotations

import numpy as np

from milepace.detect.config import DetectConfig
from milepace.detect.recovery import make_recovery, recovery_kind
from tests.detect.test_segment import _prepared

CFG = DetectConfig()


def test_a_walk_back_then_a_longer_wait_is_standing() -> None:
    # 25 s walking down (1.2 m/s, 118 spm) then 33 s standing: standing is held longest
    speed = np.r_[np.full(25, 1.2), np.zeros(33)]
    cadence = np.r_[np.full(25, 118.0), np.zeros(33)]
    assert recovery_kind(_prepared(speed, cadence), 0, 58, CFG) == "stand"


def test_a_jog_with_a_short_stop_is_a_jog() -> None:
    # 40 s at 2.6 m/s and 150 spm, 20 s stopped
    speed = np.r_[np.full(40, 2.6), np.zeros(20)]
    cadence = np.r_[np.full(40, 150.0), np.zeros(20)]
    assert recovery_kind(_prepared(speed, cadence), 0, 60, CFG) == "jog"


def test_walking_is_told_by_the_cadence() -> None:
    # 2.1 m/s is above the 2 m/s walk-run speed, but 130 spm is a walking cadence
    speed = np.full(60, 2.1)
    cadence = np.full(60, 130.0)
    assert recovery_kind(_prepared(speed, cadence), 0, 60, CFG) == "walk"


def test_recovery_is_wall_clock_with_distance() -> None:
    # 90 s at a steady 2.5 m/s: the cumulative distance grows 90 x 2.5 = 225 m
    speed = np.full(200, 2.5)
    rec = make_recovery(_prepared(speed, np.full(200, 150.0)), 50, 140, CFG)
    assert rec.duration_s == 90.0
    assert rec.distance_m == 225.0
    assert rec.kind == "jog"
