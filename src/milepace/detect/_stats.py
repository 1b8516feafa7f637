"""Medians and means of short 1-D float arrays without numpy's per-call overhead.

The detectors take hundreds of medians and means of slices a few seconds
long per session, where ``np.median`` and ``np.nanmean`` spend most of their
time dispatching. These return the same values bit for bit: the same order
statistics from ``np.partition`` and ``(lower + upper) / 2`` for an even
count, and sums by ``np.add.reduce`` over the same elements in the same
order (with NaN replaced by 0 for the NaN-skipping mean, as ``np.nanmean``
does), divided by the same count.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_NAN = float("nan")


def median(values: FloatArray) -> float:
    """``float(np.median(values))`` for a 1-D float array (NaN when empty or when any value is NaN).

    >>> median(np.array([3.0, 1.0, 2.0, 10.0]))
    2.5
    """
    n = values.shape[0]
    if n == 0:
        return _NAN
    k = n // 2
    if n % 2:
        part = np.partition(values, (k, -1))
        mid = float(part[k])
    else:
        part = np.partition(values, (k - 1, k, -1))
        mid = float((part[k - 1] + part[k]) / 2)
    return _NAN if part[-1] != part[-1] else mid


def nanmedian(values: FloatArray) -> float:
    """``float(np.nanmedian(values))`` for a 1-D float array, NaN (without a warning) when all are NaN.

    >>> nanmedian(np.array([np.nan, 4.0, 1.0]))
    2.5
    """
    return median(values[~np.isnan(values)])


def nanmean(values: FloatArray) -> float:
    """``float(np.nanmean(values))`` for a 1-D float array, NaN (without a warning) when all are NaN.

    >>> nanmean(np.array([1.0, np.nan, 2.0]))
    1.5
    """
    nan = np.isnan(values)
    count = values.shape[0] - int(np.count_nonzero(nan))
    if count == 0:
        return _NAN
    total = np.add.reduce(np.where(nan, 0.0, values) if count < values.shape[0] else values)
    return float(total / count)


def mean(values: FloatArray) -> float:
    """``float(np.mean(values))`` for a non-empty 1-D float array.

    >>> mean(np.array([1.0, 2.0]))
    1.5
    """
    return float(np.add.reduce(values) / values.shape[0])


def percentile(values: FloatArray, q: float) -> float:
    """``float(np.percentile(values, q))`` (linear method) for a non-empty 1-D float array.

    The same steps as numpy: virtual index ``(n - 1) · q/100``, the order
    statistics either side of it, and numpy's two-sided linear interpolation.

    >>> percentile(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 90.0)
    4.6
    """
    n = values.shape[0]
    virtual = (n - 1) * (np.float64(q) / 100)
    if np.isnan(virtual) or virtual >= n - 1:
        below = above = -1
    elif virtual < 0:
        below = above = 0
    else:
        below = int(np.floor(virtual))
        above = below + 1
    gamma = virtual - below
    part = np.partition(values, sorted({0, n - 1, below % n, above % n}))
    a, b = part[below], part[above]
    diff = b - a
    value = b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma
    return _NAN if part[-1] != part[-1] else float(value)
