"""Repeated short efforts found by contrast with the recoveries around them.

Hill sprints and short hill repeats are often no faster than easy running
(the runner climbs), yet each one stands out against the walk or jog back
down before and after it, and they come in sets. A moving span between two
slow spans is an effort when it is clearly faster than both neighbours and
belongs to a run of at least three such spans of similar length.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import _stats
from .config import DetectConfig
from .prepare import FloatArray, Prepared, centered_mean
from .segment import Spans, hysteresis, merge_close, runs


def contrast_repeats(prep: Prepared, easy_m_s: float, config: DetectConfig) -> Spans:
    """Spans of repeated short efforts that stand out against their recoveries.

    Parameters
    ----------
    prep
        The prepared session.
    easy_m_s
        The session's easy speed [m/s].
    config
        Detector parameters (``repeat_*``).

    Returns
    -------
    Spans
        Grid spans, in order; empty when no set of at least
        ``repeat_min_count`` is found.
    """
    if not np.isfinite(easy_m_s):
        return []
    v = np.nan_to_num(prep.v_fast_m_s, nan=0.0)
    slow = prep.paused | (v < config.repeat_slow_frac * easy_m_s)
    slow_spans = [s for s in runs(slow) if s[1] - s[0] >= config.repeat_min_recovery_s]
    cands: list[tuple[int, int, int]] = []  # (start, end, index of the slow span before)
    for i in range(len(slow_spans) - 1):
        a = slow_spans[i][1]
        b = slow_spans[i + 1][0]
        dur = b - a
        if not config.min_effort_s <= dur <= config.repeat_max_s:
            continue
        mean = _stats.mean(v[a:b])
        before = _stats.mean(v[slow_spans[i][0] : slow_spans[i][1]])
        after = _stats.mean(v[slow_spans[i + 1][0] : slow_spans[i + 1][1]])
        if mean >= config.repeat_contrast * max(before, after, 0.3):
            cands.append((a, b, i))
    # keep runs of consecutive candidates (adjacent slow spans) with similar durations
    out: Spans = []
    group: list[tuple[int, int, int]] = []

    def flush() -> None:
        if len(group) >= config.repeat_min_count:
            durs = np.array([b - a for a, b, _ in group], dtype=np.float64)
            med = _stats.median(durs)
            keep = [(a, b) for a, b, _ in group if med / 1.6 <= b - a <= med * 1.6]
            if len(keep) >= config.repeat_min_count:
                out.extend(keep)

    for c in cands:
        if group and (c[2] != group[-1][2] + 1 or c[0] - group[-1][1] > config.repeat_max_recovery_s):
            flush()
            group = []
        group.append(c)
    flush()
    return out


def _sets(spans: Spans, config: DetectConfig) -> Spans:
    """Keep spans that form sets of at least ``repeat_min_count`` of similar length and close together."""
    out: Spans = []
    group: Spans = []

    def flush() -> None:
        if len(group) >= config.repeat_min_count:
            durs = np.array([b - a for a, b in group], dtype=np.float64)
            med = _stats.median(durs)
            keep = [
                (a, b)
                for a, b in group
                if med / config.repeat_duration_ratio <= b - a <= med * config.repeat_duration_ratio
            ]
            if len(keep) >= config.repeat_min_count:
                out.extend(keep)

    for sp in spans:
        if group and sp[0] - group[-1][1] > config.repeat_max_recovery_s:
            flush()
            group = []
        group.append(sp)
    flush()
    return out


def cadence_repeats(prep: Prepared, config: DetectConfig) -> Spans:
    """Sets of short efforts where the cadence rises above its local level and the speed with it.

    The local level is a centred rolling median over ``repeat_baseline_s``;
    an effort raises the 3 s cadence at least ``repeat_cadence_rise_spm``
    above it, is run (median cadence at least ``walk_cadence_spm``), lasts
    ``min_effort_s`` to ``repeat_max_s`` and is faster than the seconds
    either side of it.
    """
    c = prep.cadence_spm
    if np.isfinite(c).mean() < 0.5:
        return []
    c3 = prep.cadence_fast_spm if prep.cadence_fast_spm is not None else centered_mean(c, 3)
    base = _rolling_median(c, int(config.repeat_baseline_s) | 1, 10)
    rise = c3 - base
    spans = hysteresis(rise, config.repeat_cadence_rise_spm, 0.5 * config.repeat_cadence_rise_spm)
    spans = merge_close(spans, 3)
    v = prep.speed_m_s
    kept: Spans = []
    for a, b in spans:
        if not config.min_effort_s <= b - a <= config.repeat_max_s:
            continue
        if not _stats.nanmedian(c[a:b]) >= config.walk_cadence_spm:
            continue  # a brisker walk is not an effort: efforts are run
        w = max(5, (b - a) // 2)
        inside = _stats.nanmean(v[a:b])
        around = _stats.nanmean(np.concatenate([v[max(0, a - w) : a], v[b : b + w]]))
        if np.isfinite(inside) and np.isfinite(around) and inside >= config.repeat_speed_contrast * around:
            kept.append((a, b))
    return _sets(kept, config)


MAX_LEVELS_FOR_COUNTING = 40
"""Most distinct values for which :func:`_rolling_median` counts per value."""

MAX_BLOCKED_CELLS = 4_000_000
"""Largest sorted-core table (windows / block length × window length, float64) :func:`_blocked_median` builds."""


def _rolling_median(values: FloatArray, window: int, min_periods: int) -> FloatArray:
    """``pd.Series(values).rolling(window, center=True, min_periods=min_periods).median()`` as an array.

    The same values for any input (NaN and ±inf count as missing, as in pandas),
    computed one of three ways:

    * a watch records cadence in whole or half steps per minute, so an hour of
      it at 1 Hz usually holds a few dozen distinct values. Then every window's
      median comes from counts per value (prefix sums over the session, all
      windows at once): the same order statistics, and ``(upper + lower) / 2``
      for an even count, as pandas' skip list, in a fraction of its time;
    * otherwise (a FIT file's cadence with ``fractional_cadence``, resampled:
      hundreds of distinct values) :func:`_blocked_median`, ~0.5 of pandas' time;
    * pandas itself when that would need a table over
      :data:`MAX_BLOCKED_CELLS` cells (very long series or windows).
    """
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    window = int(window)
    half = window // 2
    fin = np.isfinite(x)
    xf = x[fin]
    # a FIT file's cadence shows too many values within its first few hundred: skip sorting it all
    few = len(np.unique(xf[:256])) <= MAX_LEVELS_FOR_COUNTING
    levels = np.unique(xf) if few else xf[:0]
    k = len(levels)
    if not (0 < k <= MAX_LEVELS_FOR_COUNTING and window % 2 == 1 and 2 * half + 1 < n < 32000):
        block = _block_length(window)
        if window >= 1 and (n // block + 1) * (window + 2 * block + 1) <= MAX_BLOCKED_CELLS:
            return _blocked_median(x, window, min_periods, block)
        return (
            pd.Series(x, copy=False)
            .rolling(window, center=True, min_periods=min_periods)
            .median()
            .to_numpy(dtype=np.float64)
        )
    rank = np.full(n, k, dtype=np.int16)  # NaN after every value: never a median
    rank[fin] = np.searchsorted(levels, xf)
    # at_most[j, i]: values of rank <= j among the first i samples
    at_most = np.zeros((k, n + 1), dtype=np.int16)
    np.cumsum(
        rank[None, :] <= np.arange(k, dtype=np.int16)[:, None], axis=1, dtype=np.int16, out=at_most[:, 1:]
    )
    # ... and in the window [max(i - half, 0), min(i + half + 1, n)), by region
    below = np.empty((k, n), dtype=np.int16)
    below[:, :half] = at_most[:, half + 1 : 2 * half + 1] - at_most[:, :1]
    below[:, half : n - half] = at_most[:, 2 * half + 1 :] - at_most[:, : n - 2 * half]
    below[:, n - half :] = at_most[:, n:] - at_most[:, n - 2 * half : n - half]
    m = below[-1].astype(np.int64)
    # rank of the order statistic q = number of levels holding at most q values
    upper_rank = (below <= (m // 2).astype(np.int16)).sum(axis=0)
    out = levels[np.minimum(upper_rank, k - 1)]
    even = np.flatnonzero((m % 2 == 0) & (m > 0))
    if len(even):
        lower_rank = (below[:, even] <= ((m[even] - 1) // 2).astype(np.int16)).sum(axis=0)
        out[even] = (out[even] + levels[np.minimum(lower_rank, k - 1)]) / 2
    out[m < max(min_periods, 1)] = np.nan
    return out


def _block_length(window: int) -> int:
    """Windows per block in :func:`_blocked_median`: ~sqrt(window / 3) balances its sort and its merge (6 for 121)."""
    return max(2, min(round(math.sqrt(window / 3)), window))


def _blocked_median(x: FloatArray, window: int, min_periods: int, block: int) -> FloatArray:
    """Centred rolling median of any float series, equal to pandas' (see :func:`_rolling_median`).

    Windows are taken ``block`` (``L``) at a time. The ``L`` consecutive windows
    of a block share a *core* of ``window - L + 1`` samples; each window adds
    ``L - 1`` samples of its own (the end of the stretch before the core, the
    start of the one after). Missing values count as +inf (sorted last, never
    a median: a window's order statistics below its count ``m`` of values are
    all finite). Per window the ``lo = (m - 1) // 2`` and ``hi = m // 2``
    smallest are wanted. Removing the window's ``L - 1`` own samples moves an
    order statistic down by at most ``L - 1`` places, so with ``a = lo - (L - 1)``
    the core's ``a`` smallest lie below both, and its samples above index
    ``hi`` above both: the wanted values are the ``L - 1``-th and ``L - 1 +
    (hi - lo)``-th smallest of the core's sorted ``a .. a + L`` (``-inf``
    in front where ``a < 0``) merged with the window's own samples. Each core
    is sorted once (numpy's sort over ``rows × (window - L + 1)``); the merge
    inserts each own sample into the ``L + 1`` candidates with one elementwise
    min/max over all windows at once, keeping the ``L + 1`` smallest.
    Even counts give ``(hi + lo) / 2``, as pandas. Memory: about
    ``len(x) / L × (window + 2 L)`` floats.
    """
    n = x.shape[0]
    if n == 0:
        return np.full(0, np.nan)
    L = block
    offset = (window - 1) // 2  # pandas' centred window for row i: [i + offset + 1 - window, i + offset + 1)
    n_blocks = -(-n // L)
    n_windows = n_blocks * L
    total = n_windows + window + L
    # padded so window i is xp[i : i + window]; missing (NaN, ±inf, outside the series) is +inf
    xp = np.full(total, np.inf)
    lead = window - 1 - offset
    xp[lead : lead + n] = x
    present = np.isfinite(xp)
    xp[~present] = np.inf
    count = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(present, out=count[1:])
    m = count[window : window + n_windows] - count[:n_windows]
    # sorted cores, with L -inf in front and +inf behind so every candidate slice is inside a row
    core_len = window - L + 1
    width = core_len + 2 * L + 1
    cores = np.empty((n_blocks, width))
    cores[:, :L] = -np.inf
    cores[:, L + core_len :] = np.inf
    body = cores[:, L : L + core_len]
    body[...] = _rows_of(xp, L - 1, n_blocks, L, core_len)  # block b's core: xp[b L + L - 1 : b L + window]
    body.sort(axis=1)
    lo = np.maximum((m - 1) // 2, 0)
    first = np.repeat(np.arange(n_blocks) * width, L) + lo + 1  # padded index of core[a], a = lo - (L - 1)
    best = cores.reshape(-1)[
        first[None, :] + np.arange(L + 1)[:, None]
    ]  # (L + 1, windows), sorted down axis 0
    # each window's own samples: the stretch before its block's core from its start, then the one after
    own = np.empty((n_blocks, 2 * L - 2))
    own[:, : L - 1] = _rows_of(xp, 0, n_blocks, L, L - 1)  # xp[b L : b L + L - 1]
    own[:, L - 1 :] = _rows_of(xp, window, n_blocks, L, L - 1)  # xp[b L + window : b L + window + L - 1]
    higher = np.empty((L, n_windows))
    for j in range(L - 1):
        sample = own[:, j : j + L].reshape(-1)  # window r of a block takes own[r + j]
        # insert into the sorted candidates, keeping the L + 1 smallest
        np.maximum(best[:-1], sample, out=higher)
        np.minimum(higher, best[1:], out=best[1:])
        np.minimum(best[0], sample, out=best[0])
    med, high = best[L - 1], best[L]
    even = np.flatnonzero((m & 1) == 0)
    med[even] = (high[even] + med[even]) / 2
    med[m < max(min_periods, 1)] = np.nan
    return med[:n]


def _rows_of(x: FloatArray, start: int, rows: int, step: int, length: int) -> FloatArray:
    """Read-only strided view: row ``r`` is ``x[start + r step : start + r step + length]`` (must lie in ``x``)."""
    assert x.flags.c_contiguous and start + (rows - 1) * step + length <= x.shape[0]
    size = x.itemsize
    view: FloatArray = np.ndarray(
        (rows, length), dtype=x.dtype, buffer=x, offset=start * size, strides=(step * size, size)
    )
    view.flags.writeable = False
    return view
