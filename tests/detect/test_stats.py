"""The fast medians and means in ``detect._stats`` equal numpy's, bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from milepace.detect import _stats

floats = st.floats(-1e6, 1e6, width=64) | st.just(float("nan"))
series = arrays(np.float64, st.integers(0, 40), elements=floats)


def _same(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


@settings(max_examples=300, deadline=None)
@given(series)
def test_median_and_means_equal_numpy(x: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert _same(_stats.median(x), float(np.median(x)))
        assert _same(_stats.nanmedian(x), float(np.nanmedian(x)))
        assert _same(_stats.nanmean(x), float(np.nanmean(x)))
        if len(x):
            assert _same(_stats.mean(x), float(np.mean(x)))


def test_hand_worked_values() -> None:
    # worked by hand: sorted 1, 2, 3, 10 -> (2 + 3) / 2; NaN-skipping mean of 1 and 2
    assert _stats.median(np.array([3.0, 1.0, 2.0, 10.0])) == 2.5
    assert _stats.median(np.array([3.0, np.nan, 2.0])) != _stats.median(np.array([3.0, np.nan, 2.0]))
    assert _stats.nanmedian(np.array([np.nan, 4.0, 1.0, 9.0])) == 4.0
    assert _stats.nanmean(np.array([1.0, np.nan, 2.0])) == 1.5
    assert np.isnan(_stats.nanmean(np.array([np.nan])))
    assert np.isnan(_stats.median(np.zeros(0)))


@settings(max_examples=300, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e6, 1e6, width=64)),
    st.sampled_from([0.0, 2.0, 10.0, 25.0, 50.0, 90.0, 98.0, 100.0]) | st.floats(0, 100),
)
def test_percentile_equals_numpy(x: np.ndarray, q: float) -> None:
    assert _stats.percentile(x, q) == float(np.percentile(x, q))


def test_percentile_hand_worked() -> None:
    # 90th of 1..5: virtual index 0.9 * 4 = 3.6 -> 4 + 0.6 * (5 - 4) = 4.6 (to rounding)
    assert abs(_stats.percentile(np.array([5.0, 4.0, 3.0, 2.0, 1.0]), 90.0) - 4.6) < 1e-12
