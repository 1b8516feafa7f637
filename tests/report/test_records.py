"""RecordArrays: time windows by binary search select what the pandas boolean masks select."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.report._records import NS_PER_S, RecordArrays, seconds, seconds_array, timestamp_ns
from milepace.report.recovery import window_mean

T0 = pd.Timestamp("2026-05-02T13:00:00Z")


def _records(offsets_s: list[float], hr: list[float]) -> pd.DataFrame:
    index = pd.DatetimeIndex(T0 + pd.to_timedelta(np.asarray(offsets_s, dtype=float), unit="s"), name="time")
    return pd.DataFrame({"heart_rate_bpm": hr}, index=index)


def _at(seconds_after_t0: float) -> int:
    return timestamp_ns(T0 + pd.Timedelta(seconds=seconds_after_t0))


def test_window_is_half_open_and_closed_on_request() -> None:
    # samples at 0..9 s; [2 s, 5 s) holds the samples at 2, 3 and 4 s, [2 s, 5 s] also the one at 5 s
    arrays = RecordArrays(_records(list(range(10)), [100.0 + k for k in range(10)]))
    assert arrays.window("heart_rate_bpm", _at(2), _at(5)).tolist() == [102.0, 103.0, 104.0]
    assert arrays.positions(_at(2), _at(5), include_end=True) == slice(2, 6)
    assert arrays.positions(_at(20), _at(30)) == slice(10, 10)
    assert arrays.positions(_at(5), _at(2)) == slice(5, 5)  # reversed window: nothing


def test_mean_and_max_skip_missing_values() -> None:
    # 100, NaN, 110, 120 over [0 s, 4 s): mean of the three recorded values is 110, max 120
    arrays = RecordArrays(_records([0, 1, 2, 3, 4], [100.0, math.nan, 110.0, 120.0, 200.0]))
    assert arrays.mean("heart_rate_bpm", _at(0), _at(4)) == 110.0
    assert arrays.max("heart_rate_bpm", _at(0), _at(4)) == 120.0
    assert math.isnan(arrays.mean("heart_rate_bpm", _at(1), _at(2)))  # only the NaN
    assert math.isnan(arrays.max("heart_rate_bpm", _at(1), _at(2)))
    assert math.isnan(arrays.mean("heart_rate_bpm", _at(3), _at(3)))  # empty window
    assert math.isnan(arrays.mean("speed_m_s", _at(0), _at(4)))  # absent channel


def test_unsorted_index_selects_like_a_mask() -> None:
    # out of order: the window [1 s, 3 s) holds the samples at 2 s and 1 s, in frame order
    arrays = RecordArrays(_records([3, 2, 0, 1], [13.0, 12.0, 10.0, 11.0]))
    assert arrays.window("heart_rate_bpm", _at(1), _at(3)).tolist() == [12.0, 11.0]


def test_window_mean_takes_a_frame_or_arrays() -> None:
    records = _records([0, 1, 2], [140.0, 150.0, 160.0])
    start, end = T0, T0 + pd.Timedelta(seconds=2)
    assert window_mean(records, "heart_rate_bpm", start, end) == 145.0
    assert window_mean(RecordArrays(records), "heart_rate_bpm", start, end) == 145.0
    assert math.isnan(window_mean(None, "heart_rate_bpm", start, end))


def test_naive_instant_against_utc_index_is_refused() -> None:
    arrays = RecordArrays(_records([0, 1], [1.0, 2.0]))
    with pytest.raises(TypeError, match="tz-naive"):
        arrays.check_instant(pd.Timestamp("2026-05-02T13:00:00"))


def test_empty_and_missing_records() -> None:
    assert len(RecordArrays(None)) == 0
    assert not RecordArrays(None).has("heart_rate_bpm")
    empty = pd.DataFrame({"heart_rate_bpm": []}, index=pd.DatetimeIndex([], tz="UTC", name="time"))
    assert math.isnan(RecordArrays(empty).mean("heart_rate_bpm", _at(0), _at(10)))


def test_seconds_match_pandas_total_seconds() -> None:
    # 1.5 s exactly; and pandas' own Timedelta.total_seconds as the reference for awkward values
    assert seconds(3 * NS_PER_S // 2) == 1.5
    awkward = [5_889_544_655_702, -1, 999_999_999, 86_400 * NS_PER_S + 123]
    for ns in awkward:
        assert seconds(ns) == pd.Timedelta(ns, unit="ns").total_seconds()
    reference = pd.to_timedelta(np.array(awkward), unit="ns").total_seconds().to_numpy()
    assert seconds_array(np.array(awkward, dtype=np.int64)).tolist() == reference.tolist()


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 120), min_size=0, max_size=40),
    shuffle=st.booleans(),
    bounds=st.tuples(st.integers(-5, 125), st.integers(-5, 125)),
    closed=st.booleans(),
)
def test_windows_equal_pandas_masks(
    offsets: list[int], shuffle: bool, bounds: tuple[int, int], closed: bool
) -> None:
    times = sorted(set(offsets))
    if shuffle:
        times = times[::-1]
    values = [float(t) if t % 7 else math.nan for t in times]
    records = _records([float(t) for t in times], values)
    start, end = (T0 + pd.Timedelta(seconds=b) for b in bounds)
    upper = records.index <= end if closed else records.index < end
    expected = records["heart_rate_bpm"].loc[(records.index >= start) & upper].to_numpy()
    arrays = RecordArrays(records)
    got = arrays.column("heart_rate_bpm")[
        arrays.positions(_at(bounds[0]), _at(bounds[1]), include_end=closed)
    ]
    np.testing.assert_array_equal(got, expected)
