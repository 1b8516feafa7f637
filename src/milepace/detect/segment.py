"""Speed segmentation: where is the runner clearly faster than their own easy pace?

Thresholds come from the session itself: the easy speed is the median of the
long-scale moving speed, the top speed a high percentile of the short-scale
speed, and an effort is a run of seconds above a hysteresis pair placed
between the two.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import _stats
from .config import DetectConfig
from .prepare import FloatArray, Prepared, centered_mean

Spans = list[tuple[int, int]]
"""Grid spans ``(start, end)`` in seconds from ``t0``, end exclusive."""


@dataclass(frozen=True)
class SessionSpeeds:
    """The session's own reference speeds.

    Attributes
    ----------
    easy_m_s
        Median long-scale speed while moving [m/s].
    top_m_s
        98th percentile of the short-scale speed while moving [m/s].
    enter_m_s, exit_m_s
        Hysteresis thresholds [m/s].
    """

    easy_m_s: float
    top_m_s: float
    enter_m_s: float
    exit_m_s: float


def easy_speed_m_s(prep: Prepared, config: DetectConfig) -> float:
    """The session's easy running speed [m/s], or NaN when the runner hardly moved.

    The median long-scale speed while moving, unless the warm-up and
    cool-down (the first and last ``easy_ends_frac`` of the moving time) are
    slower: when work fills more than half a session (2 × 2 mi of
    threshold) the median is a work speed, but sessions start and end easy.
    """
    moving = prep.valid & (np.nan_to_num(prep.v_slow_m_s) > config.moving_speed_m_s)
    if moving.sum() < 30:
        return float("nan")
    slow = prep.v_slow_m_s[moving]
    k = max(1, int(config.easy_ends_frac * len(slow)))
    ends = np.concatenate([slow[:k], slow[-k:]])
    return min(_stats.median(slow), _stats.median(ends))


def session_speeds(prep: Prepared, config: DetectConfig, signal: FloatArray | None = None) -> SessionSpeeds:
    """Easy and top speed of the session and the hysteresis thresholds derived from them [m/s]."""
    fast = prep.v_fast_m_s if signal is None else signal
    moving = prep.valid & (prep.v_slow_m_s > config.moving_speed_m_s) & np.isfinite(fast)
    if moving.sum() < 30:
        return SessionSpeeds(np.nan, np.nan, np.inf, np.inf)
    easy = easy_speed_m_s(prep, config)
    top = _stats.percentile(fast[moving], 98)
    spread = max(top - easy, 0.0)
    enter = easy + max(config.enter_frac * spread, config.min_margin_frac * easy)
    exit_ = easy + max(config.exit_frac * spread, config.min_exit_frac * easy)
    return SessionSpeeds(easy, top, enter, exit_)


def runs(mask: npt.NDArray[np.bool_]) -> Spans:
    """Spans of consecutive True values.

    >>> runs(np.array([0, 1, 1, 0, 1], dtype=bool))
    [(1, 3), (4, 5)]
    """
    mask = np.asarray(mask, dtype=bool)
    m = np.zeros(len(mask) + 2, dtype=np.int8)
    m[1:-1] = mask
    # the changes alternate: a start (0 -> 1), then its end (1 -> 0)
    edges = np.flatnonzero(np.diff(m)).tolist()
    return list(zip(edges[0::2], edges[1::2], strict=True))


def hysteresis(signal: FloatArray, enter: float, exit_: float) -> Spans:
    """Spans where ``signal`` stays above ``exit_`` and somewhere exceeds ``enter``."""
    # NaN compares False, as the -inf it used to be replaced by (thresholds are finite)
    above_exit = runs(signal > exit_)
    high = signal > enter
    csum = np.concatenate([[0], np.cumsum(high)])
    return [(a, b) for a, b in above_exit if csum[b] - csum[a] > 0]


def merge_close(spans: Spans, gap_s: float) -> Spans:
    """Join spans separated by fewer than ``gap_s`` seconds."""
    out: Spans = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] < gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _cadence_gate(spans: Spans, prep: Prepared, config: DetectConfig, easy: float) -> Spans:
    """Drop spans whose cadence is not above the easy cadence (when cadence is recorded).

    Running faster means a higher cadence as well as a longer step, so a
    "speed-up" with unchanged cadence is GPS noise.
    """
    c = prep.cadence_spm
    if not np.isfinite(easy):
        return spans
    out: Spans = []
    w = int(config.stride_max_s)
    for a, b in spans:
        seg = c[a:b]
        seg = seg[np.isfinite(seg)]
        if not len(seg):
            out.append((a, b))
            continue
        mean = _stats.mean(seg)
        if mean - easy < config.min_cadence_rise_spm:
            continue
        if b - a <= config.stride_max_s:
            # a short burst of position-derived speed with the cadence of the running
            # around it is GPS error: a stride or sprint raises the cadence sharply
            around = np.concatenate([c[max(0, a - w) : a], c[b : b + w]])
            around = around[np.isfinite(around) & (around >= config.walk_cadence_spm)]
            if len(around) >= 5 and mean - _stats.median(around) < config.repeat_cadence_rise_spm:
                continue
        out.append((a, b))
    return out


def easy_cadence_spm(prep: Prepared, config: DetectConfig, easy_m_s: float | None = None) -> float:
    """The session's easy running cadence [steps/min], or NaN without cadence.

    The median long-scale cadence while running at the easy speed (within
    ``easy_band_frac`` of it): jog recoveries step slower and work steps
    faster, and either can fill half a session. Without enough such
    seconds, a low percentile (``easy_cadence_pct``) of the running cadence.
    ``easy_m_s`` is :func:`easy_speed_m_s` when the caller has it already.
    """
    c = prep.cadence_spm
    if np.isfinite(c).mean() < 0.5:
        return float("nan")
    c_slow = (
        prep.cadence_slow_spm if prep.cadence_slow_spm is not None else centered_mean(c, config.slow_window_s)
    )
    v = np.nan_to_num(prep.v_slow_m_s)
    running = (
        prep.valid & np.isfinite(c_slow) & (c_slow >= config.walk_cadence_spm) & (v > config.moving_speed_m_s)
    )
    if running.sum() < 60:
        return float("nan")
    easy_v = easy_speed_m_s(prep, config) if easy_m_s is None else easy_m_s
    at_easy = running & (np.abs(v - easy_v) <= config.easy_band_frac * easy_v)
    if at_easy.sum() >= 60:
        return _stats.median(c_slow[at_easy])
    return _stats.percentile(c_slow[running], config.easy_cadence_pct)


def cadence_long_spans(prep: Prepared, config: DetectConfig, base_spm: float | None = None) -> Spans:
    """Long efforts found on the cadence alone (tempo, threshold, long reps).

    Threshold running is only ~10 % faster than easy running, within the
    minute-scale error of position-derived speed, but the cadence rises by
    5–8 steps/min and cadence is measured by the watch's accelerometer or a
    footpod, not by GPS. A span is kept when the long-scale cadence stays
    ``cadence_long_exit_spm`` above the easy cadence, reaches
    ``cadence_long_enter_spm`` above it, and lasts ``long_min_s``.
    """
    base = easy_cadence_spm(prep, config) if base_spm is None else base_spm
    if not np.isfinite(base):
        return []
    c_slow = (
        prep.cadence_slow_spm
        if prep.cadence_slow_spm is not None
        else centered_mean(prep.cadence_spm, config.slow_window_s)
    )
    spans = hysteresis(c_slow, base + config.cadence_long_enter_spm, base + config.cadence_long_exit_spm)
    spans = merge_close(spans, config.merge_gap_s)
    return [(a, b) for a, b in spans if b - a >= config.long_min_s]


def candidate_spans(
    prep: Prepared, config: DetectConfig, signal: FloatArray | None = None
) -> tuple[Spans, SessionSpeeds]:
    """Efforts at two scales: long ones on the slow speed, short ones on the fast speed.

    Long efforts (tempo, threshold, reps of a minute or more) are found with
    low margins over the easy speed on the long-scale speed, where GPS noise
    has averaged out; short efforts (strides, 200 m reps, fartlek surges)
    must rise well clear of the easy speed on the short-scale speed. Dips
    shorter than ``merge_gap_s`` are merged, blips shorter than
    ``min_effort_s`` dropped, and spans whose cadence does not rise are
    dropped.

    Parameters
    ----------
    prep
        The prepared session.
    config
        Detector parameters.
    signal
        Short-scale speed-like signal to segment [m/s]; defaults to ``prep.v_fast_m_s``.

    Returns
    -------
    (spans, speeds)
        Candidate spans in grid seconds and the reference speeds used.
    """
    sig = prep.v_fast_m_s if signal is None else signal
    speeds = session_speeds(prep, config, sig)
    if not np.isfinite(speeds.easy_m_s):
        return [], speeds
    easy = speeds.easy_m_s
    short = hysteresis(sig, speeds.enter_m_s, speeds.exit_m_s)
    short = merge_close(short, config.merge_gap_s)
    short = [(a, b) for a, b in short if b - a >= config.min_effort_s]
    long_ = hysteresis(
        prep.v_slow_m_s, easy * (1 + config.long_enter_frac), easy * (1 + config.long_exit_frac)
    )
    long_ = merge_close(long_, config.merge_gap_s)
    base_c = easy_cadence_spm(prep, config, easy)
    if np.isfinite(base_c):
        # with a cadence, a long speed-up only counts where the cadence rose too:
        # minute-scale errors of position-derived speed are not efforts
        c_slow = (
            prep.cadence_slow_spm
            if prep.cadence_slow_spm is not None
            else centered_mean(prep.cadence_spm, config.slow_window_s)
        )
        raised = np.nan_to_num(c_slow, nan=-np.inf) > base_c + config.cadence_long_exit_spm
        long_ = merge_close(_clip_runs(long_, runs(raised)), config.merge_gap_s)
    long_ = [(a, b) for a, b in long_ if b - a >= config.long_min_s]
    long_ = long_ + cadence_long_spans(prep, config, base_c)
    spans = merge_close(short + long_, 1.0)
    spans = _cadence_gate(spans, prep, config, base_c)
    return spans, speeds


def _clip_runs(spans: Spans, raised: Spans) -> Spans:
    """The parts of ``raised`` (sorted, disjoint) inside each span, in order: ``runs(mask[a:b])`` shifted by ``a``.

    >>> _clip_runs([(0, 10), (20, 30)], [(2, 4), (8, 22), (25, 40)])
    [(2, 4), (8, 10), (20, 22), (25, 30)]
    """
    starts = [a for a, _ in raised]
    out: Spans = []
    for a, b in spans:
        j = max(bisect.bisect_right(starts, a) - 1, 0)
        while j < len(raised) and raised[j][0] < b:
            x, y = max(raised[j][0], a), min(raised[j][1], b)
            if x < y:
                out.append((x, y))
            j += 1
    return out


def bridge_dropouts(spans: Spans, prep: Prepared, config: DetectConfig) -> Spans:
    """Join efforts split only by a recording dropout the runner kept running through.

    Nothing is recorded during a GPS dropout, so the speed there is unknown
    and an effort breaks in two. When the gap between two efforts is mostly
    dropout (not a pause) and the distance covered across it, divided by its
    duration, is at least ``bridge_speed_ratio`` of the slower effort's mean
    speed, the two are one effort.
    """
    out: Spans = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            gap = a - pb
            if 0 < gap and (~prep.valid[pb:a] & ~prep.paused[pb:a]).mean() >= 0.5:
                across = (prep.distance_m[min(a, prep.n - 1)] - prep.distance_m[pb]) / gap
                v1 = _stats.nanmean(prep.speed_m_s[pa:pb])
                v2 = _stats.nanmean(prep.speed_m_s[a:b])
                if np.isfinite(across) and across >= config.bridge_speed_ratio * min(v1, v2):
                    out[-1] = (pa, b)
                    continue
        out.append((a, b))
    return out
