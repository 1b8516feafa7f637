"""The rolling median behind the cadence repeats equals pandas' centred rolling median.

Pandas' centred window for row ``i`` is ``[i + (w - 1) // 2 + 1 - w, i + (w - 1) // 2 + 1)``
clipped to the series; NaN and ±inf are not counted; an even count gives the mean of the two
middle values; fewer than ``min_periods`` values give NaN (pandas' rolling documentation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.detect import repeats
from milepace.detect.repeats import _blocked_median, _rolling_median


def _pandas(values: np.ndarray, window: int, min_periods: int) -> np.ndarray:
    series = pd.Series(values).rolling(window, center=True, min_periods=min_periods)
    return series.median().to_numpy(dtype=np.float64)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([150.0, 160.0, 161.0, 168.5, 170.0, 172.0, 180.0, np.nan]), max_size=90),
    st.integers(0, 20),
    st.integers(1, 12),
)
def test_equals_pandas_on_few_levels(values: list[float], half: int, min_periods: int) -> None:
    x = np.array(values, dtype=np.float64)
    window = 2 * half + 1
    min_periods = min(min_periods, window)
    assert np.array_equal(
        _rolling_median(x, window, min_periods), _pandas(x, window, min_periods), equal_nan=True
    )


def test_equals_pandas_on_many_levels_and_a_session() -> None:
    rng = np.random.default_rng(4)
    steady = np.round(rng.normal(170.0, 3.0, 3600))  # whole steps/min: the counting path
    steady[rng.random(3600) < 0.05] = np.nan
    smooth = rng.normal(170.0, 3.0, 500)  # every value distinct: the blocked path
    for x in (steady, smooth):
        assert np.array_equal(_rolling_median(x, 121, 10), _pandas(x, 121, 10), equal_nan=True)


def test_hand_worked() -> None:
    # windows of 3 over 1, 5, 2, 8: [1, 5] -> 3 (even count), [1, 5, 2] -> 2, [5, 2, 8] -> 5, [2, 8] -> 5
    assert _rolling_median(np.array([1.0, 5.0, 2.0, 8.0]), 3, 1).tolist() == [3.0, 2.0, 5.0, 5.0]


_VALUES = st.one_of(
    st.floats(150.0, 190.0, allow_nan=False),  # fractional cadence
    st.sampled_from([160.0, 170.0, 170.5, 0.0, -0.0, -3.25, np.nan, np.inf, -np.inf]),  # ties, missing
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_VALUES, max_size=120), st.integers(1, 61), st.integers(0, 61))
def test_equals_pandas_on_any_values_and_windows(values: list[float], window: int, min_periods: int) -> None:
    x = np.array(values, dtype=np.float64)
    min_periods = min(min_periods, window)
    assert np.array_equal(
        _rolling_median(x, window, min_periods), _pandas(x, window, min_periods), equal_nan=True
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(_VALUES, max_size=120), st.integers(1, 61), st.integers(0, 61), st.integers(2, 12))
def test_blocked_median_equals_pandas_for_any_block_length(
    values: list[float], window: int, min_periods: int, block: int
) -> None:
    x = np.array(values, dtype=np.float64)
    min_periods = min(min_periods, window)
    block = min(block, window + 1)  # a block's core is window - block + 1 >= 0 samples
    assert np.array_equal(
        _blocked_median(x, window, min_periods, block), _pandas(x, window, min_periods), equal_nan=True
    )


def test_an_hour_of_fractional_cadence_with_gaps() -> None:
    # a FIT file's cadence: (strides + fraction/128) x 2, resampled, hundreds of distinct values
    rng = np.random.default_rng(9)
    cadence = 2.0 * (85.0 + np.cumsum(rng.normal(0.0, 0.3, 3600)) / 10.0 + rng.integers(0, 128, 3600) / 128.0)
    cadence[1000:1090] = np.nan  # a stop
    cadence[rng.random(3600) < 0.02] = np.nan
    assert len(np.unique(cadence[np.isfinite(cadence)])) > repeats.MAX_LEVELS_FOR_COUNTING
    for window, min_periods in ((121, 10), (120, 10), (121, 121), (31, 1)):
        assert np.array_equal(
            _rolling_median(cadence, window, min_periods),
            _pandas(cadence, window, min_periods),
            equal_nan=True,
        )


def test_pandas_beyond_the_table_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(170.0, 3.0, 400)
    monkeypatch.setattr(repeats, "MAX_BLOCKED_CELLS", 100)
    assert np.array_equal(_rolling_median(x, 121, 10), _pandas(x, 121, 10), equal_nan=True)


def test_hand_worked_even_window() -> None:
    # window 4 over 1, 5, 2, 8, 3: row i covers [i - 2, i + 2): {1, 5} -> 3, {1, 5, 2} -> 2,
    # {1, 5, 2, 8} -> (2 + 5) / 2 = 3.5, {5, 2, 8, 3} -> (3 + 5) / 2 = 4, {2, 8, 3} -> 3
    x = np.array([1.0, 5.0, 2.0, 8.0, 3.0])
    assert _rolling_median(x, 4, 1).tolist() == [3.0, 2.0, 3.5, 4.0, 3.0]
    assert _blocked_median(x, 4, 1, 2).tolist() == [3.0, 2.0, 3.5, 4.0, 3.0]
    # min_periods 3: the first row holds only two values
    assert np.isnan(_rolling_median(x, 4, 3)[0]) and _rolling_median(x, 4, 3)[1] == 2.0
