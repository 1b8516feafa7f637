"""What the runner did between two efforts: how long, how far, and whether they jogged, walked or stood."""

from __future__ import annotations

import numpy as np

from .config import DetectConfig
from .model import Recovery, RecoveryKind
from .prepare import Prepared


def recovery_kind(prep: Prepared, start: int, end: int, config: DetectConfig) -> RecoveryKind:
    """Classify a recovery span of the grid as ``jog``, ``walk``, ``stand`` or ``mixed``.

    Standing: paused or slower than ``stand_speed_recovery_m_s`` for at least
    ``stand_fraction`` of the span. Otherwise the median moving speed and
    cadence decide: walking is below about 2 m/s and 140 steps/min (the
    walk–run transition), jogging above both.
    """
    if end <= start:
        return "jog"
    v = prep.speed_m_s[start:end]
    paused = prep.paused[start:end]
    slow = paused | (np.nan_to_num(prep.v_fast_m_s[start:end], nan=0.0) < config.stand_speed_recovery_m_s)
    if slow.mean() >= config.stand_fraction:
        return "stand"
    moving = ~slow & np.isfinite(v)
    if not moving.any():
        return "stand"
    speed = float(np.median(prep.v_fast_m_s[start:end][moving]))
    cad = prep.cadence_spm[start:end][moving]
    cad = cad[np.isfinite(cad)]
    if len(cad) >= 3:
        cadence = float(np.median(cad))
        if cadence < config.walk_cadence_spm and speed < config.walk_speed_m_s + 0.3:
            return "walk"
        if cadence >= config.walk_cadence_spm and speed >= config.walk_speed_m_s - 0.3:
            return "jog"
    return "walk" if speed < config.walk_speed_m_s else "jog"


def make_recovery(prep: Prepared, start: int, end: int, config: DetectConfig) -> Recovery:
    """The :class:`Recovery` between grid seconds ``start`` and ``end`` (wall clock, pauses included)."""
    end = max(end, start)
    dist = float(prep.distance_m[min(end, prep.n - 1)] - prep.distance_m[min(start, prep.n - 1)])
    paused = float(prep.paused[start:end].sum())
    v = prep.speed_m_s[start:end]
    moving = ~prep.paused[start:end] & np.isfinite(v)
    mean_speed = float(np.mean(v[moving])) if moving.any() else 0.0
    return Recovery(
        start=prep.time_at(start),
        end=prep.time_at(end),
        duration_s=float(end - start),
        distance_m=max(dist, 0.0),
        kind=recovery_kind(prep, start, end, config),
        paused_s=paused,
        mean_speed_m_s=mean_speed,
    )
