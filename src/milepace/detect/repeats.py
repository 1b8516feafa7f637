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
from .prepare import Prepared, centered_mean
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
    base = (
        pd.Series(c)
        .rolling(int(config.repeat_baseline_s) | 1, center=True, min_periods=10)
        .median()
        .to_numpy(dtype=np.float64)
    )
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
