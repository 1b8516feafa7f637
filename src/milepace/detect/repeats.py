"""Repeated short efforts found by contrast with the recoveries around them.

Hill sprints and short hill repeats are often no faster than easy running
(the runner climbs), yet each one stands out against the walk or jog back
down before and after it, and they come in sets. A moving span between two
slow spans is an effort when it is clearly faster than both neighbours and
belongs to a run of at least three such spans of similar length.
"""

from __future__ import annotations

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
"""Most distinct values for which :func:`_rolling_median` counts per value instead of calling pandas."""


def _rolling_median(values: FloatArray, window: int, min_periods: int) -> FloatArray:
    """``pd.Series(values).rolling(window, center=True, min_periods=min_periods).median()`` as an array.

    A watch records cadence in whole or half steps per minute, so an hour of
    it at 1 Hz usually holds a few dozen distinct values. Then every window's
    median comes from counts per value (prefix sums over the session, all
    windows at once): the same order statistics, and ``(upper + lower) / 2``
    for an even count, as pandas' skip list, in a fraction of its time.
    With more distinct values (cadence interpolated between irregular
    records) pandas computes it.
    """
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    half = int(window) // 2
    fin = np.isfinite(x)
    xf = x[fin]
    levels = np.unique(xf)
    k = len(levels)
    if not 0 < k <= MAX_LEVELS_FOR_COUNTING or n <= 2 * half + 1 or n >= 32000:
        return (
            pd.Series(x, copy=False)
            .rolling(int(window), center=True, min_periods=min_periods)
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
