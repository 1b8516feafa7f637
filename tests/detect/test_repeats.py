"""The rolling median behind the cadence repeats equals pandas' centred rolling median."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.detect.repeats import _rolling_median


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
    smooth = rng.normal(170.0, 3.0, 500)  # every value distinct: pandas' path
    for x in (steady, smooth):
        assert np.array_equal(_rolling_median(x, 121, 10), _pandas(x, 121, 10), equal_nan=True)


def test_hand_worked() -> None:
    # windows of 3 over 1, 5, 2, 8: [1, 5] -> 3 (even count), [1, 5, 2] -> 2, [5, 2, 8] -> 5, [2, 8] -> 5
    assert _rolling_median(np.array([1.0, 5.0, 2.0, 8.0]), 3, 1).tolist() == [3.0, 2.0, 5.0, 5.0]
