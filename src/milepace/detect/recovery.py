"""What the runner did between two efforts: how long, how far, and whether they jogged, walked or stood."""

from __future__ import annotations

from typing import cast

import numpy as np

from . import _stats
from .config import DetectConfig
from .model import Recovery, RecoveryKind
from .prepare import Prepared


def recovery_kind(prep: Prepared, start: int, end: int, config: DetectConfig) -> RecoveryKind:
    """Classify a recovery span of the grid as ``jog``, ``walk`` or ``stand``: the gait held longest.

    Each second is standing (paused, or slower than ``stand_speed_recovery_m_s``),
    walking or jogging; walking is a cadence under ``walk_cadence_spm`` when
    cadence is recorded, else a speed under ``walk_speed_m_s`` (the walk–run
    transition is about 2 m/s and 140 steps/min). Seconds with no data
    (dropouts) do not vote.
    """
    if end <= start:
        return "jog"
    v = prep.v_fast_m_s[start:end]
    paused = prep.paused[start:end]
    stand = paused | (v < config.stand_speed_recovery_m_s)  # NaN (no data) is not standing
    known = paused | np.isfinite(v)
    cad = prep.cadence_spm[start:end]
    if prep.has_cadence:
        walk = np.where(np.isfinite(cad), cad < config.walk_cadence_spm, v < config.walk_speed_m_s)
    else:
        walk = v < config.walk_speed_m_s
    moving = known & ~stand
    counts = {
        "stand": int(np.count_nonzero(known & stand)),
        "walk": int(np.count_nonzero(moving & walk)),
        "jog": int(np.count_nonzero(moving & ~walk)),
    }
    if not any(counts.values()):
        return "stand"
    kind = max(counts, key=lambda k: counts[k])
    return cast(RecoveryKind, kind)


def make_recovery(prep: Prepared, start: int, end: int, config: DetectConfig) -> Recovery:
    """The :class:`Recovery` between grid seconds ``start`` and ``end`` (wall clock, pauses included)."""
    end = max(end, start)
    dist = float(prep.distance_m[min(end, prep.n - 1)] - prep.distance_m[min(start, prep.n - 1)])
    paused = float(np.count_nonzero(prep.paused[start:end]))
    v = prep.speed_m_s[start:end]
    moving = ~prep.paused[start:end] & np.isfinite(v)
    mean_speed = _stats.mean(v[moving]) if moving.any() else 0.0
    return Recovery(
        start=prep.time_at(start),
        end=prep.time_at(end),
        duration_s=float(end - start),
        distance_m=max(dist, 0.0),
        kind=recovery_kind(prep, start, end, config),
        paused_s=paused,
        mean_speed_m_s=mean_speed,
    )
