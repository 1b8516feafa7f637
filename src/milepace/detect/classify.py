"""Give every effort its kind: ``interval``, ``stride`` or ``hill_repeat``.

Efforts are judged one by one and then as sets (consecutive efforts of
similar length with short recoveries), so a set of hill repeats or strides
gets one kind even when one of them is ambiguous on its own.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .config import DetectConfig
from .hills import climb
from .model import EffortKind
from .prepare import Prepared
from .segment import Spans
from .strides import build_fraction


def _vote(prep: Prepared, a: int, b: int, easy_m_s: float, config: DetectConfig) -> EffortKind:
    """Kind of one effort on its own evidence."""
    dur = b - a
    gain, grade = climb(prep, a, b)
    reliable_elevation = np.isfinite(prep.elevation_noise_m) and prep.elevation_noise_m < config.baro_noise_m
    if (
        reliable_elevation
        and np.isfinite(grade)
        and grade >= config.hill_min_grade
        and gain >= config.hill_min_gain_m
    ):
        return "hill_repeat"
    v = prep.speed_m_s[a:b]
    ratio = float(np.nanmean(v)) / easy_m_s if np.isfinite(easy_m_s) and easy_m_s > 0 else np.inf
    if dur <= config.repeat_max_s and ratio < config.climb_speed_ratio:
        # a short hard effort (cadence up) that is hardly faster than easy running is a climb
        if not reliable_elevation or (np.isfinite(grade) and grade > 0):
            return "hill_repeat"
    if dur <= config.stride_max_s and build_fraction(prep, a, b) >= config.stride_min_build:
        return "stride"
    return "interval"


def effort_sets(spans: Spans, config: DetectConfig) -> list[list[int]]:
    """Indices of consecutive efforts grouped into sets (similar length, short recoveries)."""
    sets: list[list[int]] = []
    for i, (a, b) in enumerate(spans):
        if sets:
            j = sets[-1][-1]
            pb = spans[j][1]
            typical = float(np.median([spans[k][1] - spans[k][0] for k in sets[-1]]))
            similar = max(b - a, typical) <= 1.8 * min(b - a, typical)
            if similar and a - pb <= config.repeat_max_recovery_s:
                sets[-1].append(i)
                continue
        sets.append([i])
    return sets


def classify(
    spans: Spans, prep: Prepared, config: DetectConfig, easy_m_s: float = float("nan")
) -> list[EffortKind]:
    """Kinds for the spans, in order.

    A climbing effort is a hill repeat; a short effort that builds is a
    stride; everything else (reps, fartlek, tempo, time trials) is an
    interval. Within a set of at least three the majority kind wins.
    """
    votes = [_vote(prep, a, b, easy_m_s, config) for a, b in spans]
    kinds = list(votes)
    for group in effort_sets(spans, config):
        if len(group) < 3:
            continue
        winner, _ = Counter(votes[i] for i in group).most_common(1)[0]
        for i in group:
            kinds[i] = winner
    return kinds
