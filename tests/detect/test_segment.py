"""Session reference levels and the cadence-led long-effort finder, on hand-built 1 Hz sessions.

Each session is built directly as a :class:`~milepace.detect.prepare.Prepared`
so that the expected spans follow from the definitions by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from milepace.detect.config import DetectConfig
from milepace.detect.intervals import trim_tails
from milepace.detect.prepare import Prepared, centered_mean
from milepace.detect.segment import (
    bridge_dropouts,
    cadence_long_spans,
    easy_cadence_spm,
    easy_speed_m_s,
)

CFG = DetectConfig()


def _prepared(speed: np.ndarray, cadence: np.ndarray, valid: np.ndarray | None = None) -> Prepared:
    n = len(speed)
    ok = np.ones(n, dtype=bool) if valid is None else valid
    v = np.where(ok, speed, np.nan)
    c = np.where(ok, cadence, np.nan)
    return Prepared(
        t0=pd.Timestamp("2026-05-02T13:00:00Z"),
        paused=np.zeros(n, dtype=bool),
        valid=ok,
        distance_m=np.concatenate([[0.0], np.cumsum(speed[:-1])]),
        speed_m_s=v,
        v_fast_m_s=centered_mean(v, 3),
        v_slow_m_s=centered_mean(v, CFG.slow_window_s),
        cadence_spm=c,
        elevation_m=np.full(n, np.nan),
        lat_deg=None,
        lon_deg=None,
        speed_noise_m_s=0.05,
        fast_window_s=3,
        speed_source="device",
        cadence_noise_spm=0.0,
        cadence_fast_spm=centered_mean(c, 3),
        cadence_slow_spm=centered_mean(c, CFG.slow_window_s),
    )


def test_easy_speed_is_the_warm_up_when_work_fills_most_of_the_session() -> None:
    # 300 s at 3 m/s, 1000 s of work at 4 m/s, 300 s at 3 m/s: the median moving speed is
    # 4 m/s, but the first and last 15 % (240 s each) are all 3 m/s
    speed = np.r_[np.full(300, 3.0), np.full(1000, 4.0), np.full(300, 3.0)]
    prep = _prepared(speed, np.full(1600, 160.0))
    assert easy_speed_m_s(prep, CFG) == pytest.approx(3.0)


def test_easy_speed_is_the_median_when_the_ends_are_faster() -> None:
    # a session that starts and ends with work: the median (3 m/s) is below the ends (4 m/s)
    speed = np.r_[np.full(300, 4.0), np.full(1000, 3.0), np.full(300, 4.0)]
    prep = _prepared(speed, np.full(1600, 160.0))
    assert easy_speed_m_s(prep, CFG) == pytest.approx(3.0)


def test_easy_cadence_is_taken_at_the_easy_speed() -> None:
    # 600 s easy (3 m/s, 160 spm), 600 s of jog recoveries (2.4 m/s, 150 spm), 600 s easy:
    # a low percentile of all running cadence would be the jog's 150; at the easy speed it is 160
    speed = np.r_[np.full(600, 3.0), np.full(600, 2.4), np.full(600, 3.0)]
    cadence = np.r_[np.full(600, 160.0), np.full(600, 150.0), np.full(600, 160.0)]
    prep = _prepared(speed, cadence)
    assert easy_cadence_spm(prep, CFG) == pytest.approx(160.0)


def test_threshold_found_on_the_cadence_alone() -> None:
    # speed says nothing (3 m/s throughout); the cadence steps from 160 to 168 for [600, 900).
    # The 15 s centred mean exceeds 160 + 2.5 once 5 of its 15 samples are 168, i.e. from
    # t = 600 - 7 + 4 = 597, and stays above it until t = 899 + 7 - 4 = 902 (end exclusive 903).
    speed = np.full(1500, 3.0)
    cadence = np.r_[np.full(600, 160.0), np.full(300, 168.0), np.full(600, 160.0)]
    prep = _prepared(speed, cadence)
    assert cadence_long_spans(prep, CFG) == [(597, 903)]


def test_a_small_cadence_wobble_is_not_an_effort() -> None:
    # +4 spm stays under the 4.5 spm entry threshold
    speed = np.full(1500, 3.0)
    cadence = np.r_[np.full(600, 160.0), np.full(300, 164.0), np.full(600, 160.0)]
    assert cadence_long_spans(_prepared(speed, cadence), CFG) == []


def test_efforts_split_by_a_dropout_are_joined() -> None:
    # running at 4.5 m/s through a 20 s dropout in [300, 320): the distance across it
    # (20 s x 4.5 m/s) gives the same speed as either side, so the two halves are one effort
    speed = np.r_[np.full(100, 3.0), np.full(400, 4.5), np.full(100, 3.0)]
    valid = np.ones(600, dtype=bool)
    valid[300:320] = False
    prep = _prepared(speed, np.full(600, 165.0), valid)
    assert bridge_dropouts([(100, 300), (320, 500)], prep, CFG) == [(100, 500)]
    # a real stop is a pause, not a dropout: nothing is joined across valid slow seconds
    slow = speed.copy()
    slow[300:320] = 0.8
    prep = _prepared(slow, np.full(600, 165.0))
    assert bridge_dropouts([(100, 300), (320, 500)], prep, CFG) == [(100, 300), (320, 500)]


def test_a_rep_that_runs_on_into_the_cool_down_is_trimmed() -> None:
    # rep cadence 185 on [100, 200), then a brisk cool-down at 175: the midpoint is 180, and
    # the 3 s mean of the cadence falls below it from t = 200 (its window holds two 175s),
    # so a span found as (100, 215) ends at 200
    speed = np.r_[np.full(100, 3.0), np.full(100, 4.8), np.full(200, 3.6)]
    cadence = np.r_[np.full(100, 160.0), np.full(100, 185.0), np.full(200, 175.0)]
    prep = _prepared(speed, cadence)
    assert trim_tails([(100, 215)], prep, CFG) == [(100, 200)]
