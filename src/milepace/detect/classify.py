"""Give every effort its kind: ``interval``, ``stride`` or ``hill_repeat``.

Efforts are judged one by one and then as sets (consecutive efforts of
similar length with short recoveries), so a set of hill repeats or strides
gets one kind even when one of them is ambiguous on its own.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from . import _stats
from .config import DetectConfig
from .hills import climb, climbs
from .model import EffortKind
from .prepare import Prepared
from .segment import Spans
from .sets import local_xy
from .strides import build_fraction


def shared_start(spans: Spans, prep: Prepared, config: DetectConfig) -> list[bool]:
    """Per effort: do at least two other efforts start within ``set_spot_radius_m`` of it?

    Hill repeats are run from the same spot; reps on a road are not. True for
    every effort when there are no positions (nothing can be said).
    """
    xy = local_xy(prep)
    if xy is None:
        return [True] * len(spans)
    x, y = xy
    sx = np.array([x[min(a, prep.n - 1)] for a, _ in spans])
    sy = np.array([y[min(a, prep.n - 1)] for a, _ in spans])
    out = []
    for i in range(len(spans)):
        d = np.hypot(sx - sx[i], sy - sy[i])
        out.append(bool(np.sum(d <= config.set_spot_radius_m) >= 3))
    return out


def _vote(
    prep: Prepared, a: int, b: int, easy_m_s: float, config: DetectConfig, same_spot: bool = True
) -> EffortKind:
    """Kind of one effort on its own evidence."""
    dur = b - a
    gain, grade = climb(prep, a, b, config.baro_noise_m)
    reliable_elevation = np.isfinite(prep.elevation_noise_m) and prep.elevation_noise_m < config.baro_noise_m
    run_m = gain / grade if np.isfinite(grade) and grade != 0 else float("nan")
    if reliable_elevation and climbs(gain, grade, run_m, prep.elevation_noise_m, config):
        return "hill_repeat"
    v = prep.speed_m_s[a:b]
    ratio = _stats.nanmean(v) / easy_m_s if np.isfinite(easy_m_s) and easy_m_s > 0 else np.inf
    if dur <= config.repeat_max_s and ratio < config.climb_speed_ratio and same_spot:
        # a short hard effort (cadence up) that is hardly faster than easy running is a climb
        if not reliable_elevation or (np.isfinite(grade) and grade > 0):
            return "hill_repeat"
    if dur <= config.stride_max_s and build_fraction(prep, a, b) >= config.stride_min_build:
        return "stride"
    return "interval"


def effort_sets(spans: Spans, config: DetectConfig) -> list[list[int]]:
    """Indices of efforts grouped into sets: close in time and of similar length.

    Efforts separated by at most ``repeat_max_recovery_s`` form a block; the
    members of a set are the efforts of a block within a factor 2 of the
    block's median duration (so a time trial after its strides, or the
    quarters of ¾ + ¼ pairs, are not outvoted by the others).
    """
    blocks: list[list[int]] = []
    for i, (a, _) in enumerate(spans):
        if blocks and a - spans[blocks[-1][-1]][1] <= config.repeat_max_recovery_s:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    sets: list[list[int]] = []
    for block in blocks:
        durs = np.array([spans[i][1] - spans[i][0] for i in block], dtype=np.float64)
        med = _stats.median(durs)
        members = [i for i, d in zip(block, durs, strict=True) if med / 2 <= d <= med * 2]
        rest = [i for i in block if i not in members]
        sets += [members] if members else []
        sets += [[i] for i in rest]
    return sorted(sets)


def classify(
    spans: Spans, prep: Prepared, config: DetectConfig, easy_m_s: float = float("nan")
) -> list[EffortKind]:
    """Kinds for the spans, in order.

    A climbing effort is a hill repeat; a short effort that builds is a
    stride; everything else (reps, fartlek, tempo, time trials) is an
    interval. Within a set of at least three the majority kind wins.
    """
    spots = shared_start(spans, prep, config)
    votes = [_vote(prep, a, b, easy_m_s, config, spot) for (a, b), spot in zip(spans, spots, strict=True)]
    kinds = list(votes)
    for group in effort_sets(spans, config):
        if len(group) < 3:
            continue
        winner, _ = Counter(votes[i] for i in group).most_common(1)[0]
        for i in group:
            kinds[i] = winner
    return kinds
