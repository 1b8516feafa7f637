"""Shape candidate efforts: split on sustained pace changes and move boundaries to the change onset."""

from __future__ import annotations

import statistics

import numpy as np

from . import _stats
from .config import DetectConfig
from .prepare import FloatArray, Prepared
from .segment import Spans


def _line_sse(x: FloatArray) -> float:
    """Sum of squared residuals of the least-squares line through ``x`` against its index.

    Closed form on centred sums (what ``np.polyfit(t, x, 1)`` solves, without
    its SVD: the same SSE to rounding, ~1e-15 relative).

    >>> _line_sse(np.array([0.0, 1.0, 2.0, 3.0]))
    0.0
    >>> round(_line_sse(np.array([0.0, 2.0, 0.0])), 12)
    2.666666666667
    """
    n = len(x)
    if n < 2:
        return 0.0
    tc = np.arange(n, dtype=np.float64) - (n - 1) / 2
    dx = x - float(np.add.reduce(x)) / n
    slope = float(tc @ dx) / float(tc @ tc)
    r = dx - slope * tc
    return float(r @ r)


def _best_step(v: FloatArray, min_side: int) -> tuple[int, float, float]:
    """Best single step in ``v``: (index, relative change, step-vs-trend SSE ratio)."""
    n = len(v)
    x = np.where(np.isfinite(v), v, _stats.nanmean(v))
    cs = np.concatenate([[0.0], np.cumsum(x)])
    cs2 = np.concatenate([[0.0], np.cumsum(x * x)])
    k = np.arange(min_side, n - min_side + 1)
    if not len(k):
        return -1, 0.0, 1.0
    ml = cs[k] / k
    mr = (cs[n] - cs[k]) / (n - k)
    sse = (cs2[k] - k * ml**2) + (cs2[n] - cs2[k] - (n - k) * mr**2)
    j = int(np.argmin(sse))
    kk = int(k[j])
    lo = min(ml[j], mr[j])
    change = abs(mr[j] - ml[j]) / lo if lo > 0 else 0.0
    sse_lin = _line_sse(x)
    ratio = float(sse[j] / sse_lin) if sse_lin > 0 else 1.0
    return kk, change, ratio


def split_sustained(spans: Spans, prep: Prepared, config: DetectConfig) -> Spans:
    """Split efforts that hold two different sustained paces (¾ mi at threshold into ¼ mi hard).

    A split needs both parts to last ``split_min_side_s``, a relative change of
    ``split_min_change_frac`` and a step that explains the speeds clearly
    better than a steady fade or build would.
    """
    min_side = int(config.split_min_side_s)
    has_cad = np.isfinite(prep.cadence_spm).mean() > 0.5
    c_slow = prep.cadence_slow_spm if has_cad else None
    # position-derived speed drifts by tens of percent over minutes: only a clean speed splits
    clean_speed = prep.speed_noise_m_s <= config.split_max_speed_noise_m_s
    out: Spans = []
    stack = list(spans)
    while stack:
        a, b = stack.pop(0)
        if b - a >= 2 * min_side:
            k = -1
            if c_slow is not None:
                kc, change_c, ratio_c = _best_step(c_slow[a:b], min_side)
                level = _stats.nanmean(c_slow[a:b])
                if (
                    kc > 0
                    and change_c * level >= config.split_min_cadence_spm
                    and ratio_c < config.split_max_sse_ratio
                ):
                    k = kc
            if k < 0 and clean_speed:
                kv, change, ratio = _best_step(prep.speed_m_s[a:b], min_side)
                if kv > 0 and change >= config.split_min_change_frac and ratio < 0.7:
                    k = kv
            if k > 0:
                stack[:0] = [(a, a + k), (a + k, b)]
                continue
        out.append((a, b))
    return sorted(out)


def trim_tails(spans: Spans, prep: Prepared, config: DetectConfig) -> Spans:
    """Cut the ends of an effort that sit nearer the neighbouring running than the effort itself.

    The session-wide exit threshold keeps an effort going while the runner
    is still faster than easy running, so a rep that goes straight into a
    brisk cool-down runs on. Each end is trimmed back to the midpoint
    between the effort's own level and the level of the ``trim_window_s``
    seconds beyond it, on the cadence when recorded (it is cleaner than the
    speed), else on the short-scale speed, when the two levels differ
    clearly (``trim_min_cadence_spm`` or ``trim_min_speed_frac``).
    """
    has_cad = np.isfinite(prep.cadence_spm).mean() > 0.5
    sig = prep.cadence_fast_spm if has_cad and prep.cadence_fast_spm is not None else prep.v_fast_m_s
    sig = np.where(prep.valid, sig, np.nan)
    w = int(config.trim_window_s)
    out: Spans = []
    for i, (a, b) in enumerate(spans):
        core_v = sig[a:b][np.isfinite(sig[a:b])]
        if len(core_v) < config.min_effort_s:
            out.append((a, b))
            continue
        core = _stats.median(core_v)
        min_gap = config.trim_min_cadence_spm if has_cad else config.trim_min_speed_frac * core
        prev_end = spans[i - 1][1] if i > 0 else 0
        next_start = spans[i + 1][0] if i + 1 < len(spans) else prep.n
        after = _finite_median(sig[b : min(b + w, next_start)])
        if after is not None and core - after >= min_gap:
            thr = 0.5 * (core + after)
            lim = a + int(config.min_effort_s)
            tail = sig[max(a, lim) : b].tolist()
            # step back over the slow samples at the end (NaN stops it)
            while b - 1 > lim and b > a and tail[b - 1 - max(a, lim)] < thr:
                b -= 1
        before = _finite_median(sig[max(prev_end, a - w) : a])
        if before is not None and core - before >= min_gap:
            thr = 0.5 * (core + before)
            lim = b - int(config.min_effort_s)
            a0 = a
            head = sig[a0 : max(a0, lim)].tolist()
            # step forward over the slow samples at the start (NaN stops it)
            while a + 1 < lim and head[a - a0] < thr:
                a += 1
        out.append((a, b))
    return out


def _finite_median(values: FloatArray, min_count: int = 3) -> float | None:
    """Median of the finite values, ``None`` when fewer than ``min_count`` (a few seconds of context)."""
    vals = [v for v in values.tolist() if v == v]
    if len(vals) < min_count:
        return None
    return float(statistics.median(vals))


def _hinge_onset(v: FloatArray, centre: int, half: int, lead: int = 6) -> int | None:
    """Onset of a speed change near ``centre``: flat before it, a linear ramp after it (least squares)."""
    n = len(v)
    ks = np.arange(max(centre - half, lead), min(centre + half, n - lead) + 1)
    if not len(ks):
        return None
    win = np.lib.stride_tricks.sliding_window_view(v, 2 * lead)[ks - lead]  # rows: v[k-lead : k+lead]
    ok = np.isfinite(win).all(axis=1)
    if not ok.any():
        return None
    left, right = win[:, :lead], win[:, lead:]
    m = left.mean(axis=1, keepdims=True)
    tt = np.arange(1, lead + 1, dtype=np.float64)
    slope = (right - m) @ tt / float(tt @ tt)
    sse = ((left - m) ** 2).sum(axis=1) + ((right - m - slope[:, None] * tt) ** 2).sum(axis=1)
    sse = np.where(ok, sse, np.inf)
    return int(ks[int(np.argmin(sse))])


def _cadence_step(c: FloatArray, centre: int, half: int, sign: int) -> tuple[int | None, float]:
    """Largest cadence step of the given sign near ``centre`` (index of the first new sample, size)."""
    n = len(c)
    lo, hi = max(2, centre - half), min(n - 2, centre + half + 1)
    if hi <= lo:
        return None, 0.0
    # plain Python over the ~15 samples involved (numpy's per-call overhead dominated here)
    x = c[lo - 2 : hi + 1].tolist()
    best_k, best = None, float("-inf")
    for k in range(lo, hi):
        i = k - lo + 2
        step = sign * ((x[i] + x[i + 1]) / 2 - (x[i - 1] + x[i - 2]) / 2)
        if step == step and step > best:
            best_k, best = k, step
    if best_k is None:
        return None, 0.0
    return best_k, best


def _departure(c: FloatArray, k: int, sign: int, threshold: float) -> int:
    """First sample near a cadence step at ``k`` that has left the plateau before it.

    The cadence ramps over a few steps (slowing down takes longer than
    speeding up); the effort starts or ends where the ramp begins, i.e. at
    the first sample that departs from the preceding plateau by more than
    ``threshold`` in the direction of the step.
    """
    lo = max(0, k - 6)
    before = [v for v in c[lo : max(lo + 1, k - 2)].tolist() if v == v]
    if not before:
        return k
    level = statistics.median(before)
    hi = min(len(c), k + 2)
    j0 = max(0, k - 2)
    for j, v in enumerate(c[j0:hi].tolist(), start=j0):
        if v == v and sign * (v - level) > threshold:
            return j
    return k


def cadence_boundary(prep: Prepared, pos: int, sign: int, half: int) -> int | None:
    """Where the cadence clearly steps up (``sign`` 1) or down (-1) within ``half`` s of ``pos``, or ``None``.

    A clear step is at least 3 steps/min and 3× the cadence's 1 Hz noise; the
    boundary is the first sample that has left the plateau before it.
    """
    if not prep.has_cadence:
        return None
    c = prep.cadence_spm
    k, size = _cadence_step(c, pos, half, sign)
    thr = max(3.0 * prep.cadence_noise_spm, 3.0)
    if k is None or size < thr:
        return None
    return _departure(c, k, sign, thr)


def _level(prep: Prepared, a: int, b: int) -> float:
    """Mean cadence over a span (mean speed without cadence)."""
    x = prep.cadence_spm[a:b] if prep.has_cadence else prep.speed_m_s[a:b]
    x = x[np.isfinite(x)]
    return _stats.mean(x) if len(x) else float("nan")


def refine_boundaries(spans: Spans, prep: Prepared, config: DetectConfig) -> Spans:
    """Move each boundary to the onset of the change nearby.

    Cadence changes within a step, so a clear cadence step (at least 3× its
    noise) wins; otherwise the onset of the speed ramp (a flat-then-linear
    fit) is used. Where one effort runs straight into the next (¾ mi at
    threshold into ¼ mi hard) the shared boundary is refined once, in the
    direction of the change, and both efforts keep it.
    """
    half = config.boundary_search_s
    v = prep.speed_m_s

    def refine(pos: int, sign: int, reach: int = half) -> int:
        choice = cadence_boundary(prep, pos, sign, reach)
        if choice is None:
            choice = _hinge_onset(v, pos, reach)
        return pos if choice is None else choice

    out: Spans = []
    shared: int | None = None
    for i, (a, b) in enumerate(spans):
        na = shared if shared is not None else refine(a, 1)
        shared = None
        if i + 1 < len(spans) and spans[i + 1][0] == b:
            up = _level(prep, b, spans[i + 1][1]) > _level(prep, a, b)
            shared = refine(b, 1 if up else -1)
            nb = shared
        else:
            nb = refine(b, -1)
        if nb - na >= config.min_effort_s:
            out.append((na, nb))
        else:
            out.append((a, b))
            shared = None
    return out
