"""Complete sets of hill repeats from the spot they are run from.

Hill repeats are run up the same stretch of hill, so every repeat of a set
starts at the same spot and finishes at about the same spot. The middle of
a set stands out against the walk or jog back down on both sides, but the
first repeat is often run straight out of easy running and the last one
straight into the cool-down, where nothing slow marks its start or its end.
Once a set is known, the positions say where a repeat starts and ends: a
pass over the start spot shortly before the first (or after the last)
repeat, followed by a run up to the finish spot about as fast as the others,
is a repeat too; and a repeat that runs on past the finish spot ends there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import DetectConfig
from .intervals import cadence_boundary
from .prepare import FloatArray, Prepared
from .segment import Spans


def local_xy(prep: Prepared) -> tuple[FloatArray, FloatArray] | None:
    """Positions in a local east/north frame [m], or ``None`` without positions."""
    return prep.local_xy_m


def _closest(
    x: FloatArray, y: FloatArray, spot: tuple[float, float], lo: int, hi: int, radius_m: float
) -> int | None:
    """Grid second in ``[lo, hi)`` closest to ``spot``, if within ``radius_m``."""
    lo, hi = max(lo, 0), min(hi, len(x))
    if hi <= lo:
        return None
    d = np.hypot(x[lo:hi] - spot[0], y[lo:hi] - spot[1])
    if not np.isfinite(d).any():
        return None
    k = int(np.nanargmin(d))
    return lo + k if d[k] <= radius_m else None


def _mean_speed(prep: Prepared, a: int, b: int) -> float:
    v = prep.speed_m_s[a:b]
    v = v[np.isfinite(v)]
    return float(np.mean(v)) if len(v) else float("nan")


def _mean_cadence(prep: Prepared, a: int, b: int) -> float:
    c = prep.cadence_spm[a:b]
    c = c[np.isfinite(c)]
    return float(np.mean(c)) if len(c) else float("nan")


@dataclass(frozen=True)
class HillSet:
    """What the repeats of one set share.

    Attributes
    ----------
    start_xy_m, end_xy_m
        Median start and finish spots in the local frame [m].
    duration_s
        Median repeat duration [s].
    period_s
        Shortest start-to-start interval [s] (a missed repeat only lengthens one).
    speed_m_s, cadence_spm
        Median repeat speed [m/s] and cadence [steps/min] (NaN without cadence).
    """

    start_xy_m: tuple[float, float]
    end_xy_m: tuple[float, float]
    duration_s: float
    period_s: float
    speed_m_s: float
    cadence_spm: float

    @property
    def climb_m(self) -> float:
        """Straight-line distance from the start spot to the finish spot [m]."""
        return float(np.hypot(self.end_xy_m[0] - self.start_xy_m[0], self.end_xy_m[1] - self.start_xy_m[1]))


def _describe(members: Spans, x: FloatArray, y: FloatArray, prep: Prepared) -> HillSet | None:
    last = prep.n - 1
    ok = [(a, min(b, last)) for a, b in members if np.isfinite(x[a]) and np.isfinite(x[min(b, last)])]
    if len(ok) < 3:
        return None
    starts = np.array([a for a, _ in members])
    return HillSet(
        start_xy_m=(float(np.median([x[a] for a, _ in ok])), float(np.median([y[a] for a, _ in ok]))),
        end_xy_m=(float(np.median([x[b] for _, b in ok])), float(np.median([y[b] for _, b in ok]))),
        duration_s=float(np.median([b - a for a, b in members])),
        period_s=float(np.min(np.diff(starts))),
        speed_m_s=float(np.median([_mean_speed(prep, a, b) for a, b in members])),
        cadence_spm=float(np.median([_mean_cadence(prep, a, b) for a, b in members])),
    )


def _candidate(
    hs: HillSet, lo: int, hi: int, x: FloatArray, y: FloatArray, prep: Prepared, config: DetectConfig
) -> tuple[int, int] | None:
    """A repeat of the set starting in ``[lo, hi)``, or ``None``.

    Repeats of a set last about the same time, so the repeat is the
    ``duration_s`` seconds that leave the start spot and arrive at the finish
    spot; of the windows that fit the spots (a few metres of GPS error) the
    fastest is taken (a runner may wait at the start spot before going).
    """
    step = round(hs.duration_s)
    lo, hi = max(lo, 0), min(hi, prep.n - step - 1)
    if hi <= lo or step < config.min_effort_s:
        return None
    r = config.set_spot_radius_m
    a_all = np.arange(lo, hi)
    sx, sy = hs.start_xy_m
    ex, ey = hs.end_xy_m
    d_start = np.hypot(x[a_all] - sx, y[a_all] - sy)
    d_end = np.hypot(x[a_all + step] - ex, y[a_all + step] - ey)
    d_far = np.hypot(x[a_all + step] - sx, y[a_all + step] - sy)
    fit = (d_start <= r) & (d_end <= r) & (d_far >= 0.5 * hs.climb_m)
    if not fit.any():
        return None
    cs = np.concatenate([[0.0], np.cumsum(np.nan_to_num(prep.speed_m_s, nan=0.0))])
    mean_v = (cs[a_all + step] - cs[a_all]) / step
    a = int(a_all[int(np.argmax(np.where(fit, mean_v, -np.inf)))])
    b = a + step
    # a clear cadence step at one end (the walk back down, the walk before the
    # climb) places the repeat better than a few metres of GPS error
    near = max(2, step // 3)
    end = cadence_boundary(prep, b, -1, near)
    start = cadence_boundary(prep, a, 1, near)
    if end is not None and start is None:
        a, b = end - step, end
    elif start is not None and end is None:
        a, b = start, start + step
    if a < 0 or b >= prep.n:
        return None
    fast = _mean_speed(prep, a, b) >= config.set_min_speed_ratio * hs.speed_m_s
    # position-derived speed over ten seconds is rough; the cadence is not
    quick = bool(
        np.isfinite(hs.cadence_spm)
        and _mean_cadence(prep, a, b) >= hs.cadence_spm - config.set_cadence_tol_spm
    )
    if not (fast or quick) or prep.paused[a:b].any() or not prep.valid[a:b].all():
        return None
    return a, b


def _complete(
    members: Spans,
    bounds: tuple[int, int],
    x: FloatArray,
    y: FloatArray,
    prep: Prepared,
    config: DetectConfig,
) -> Spans:
    """One set with its missing repeats added (``bounds``: end of the effort before, start of the one after)."""
    hs = _describe(members, x, y, prep)
    if hs is None:
        return members
    dur, period = hs.duration_s, hs.period_s
    group = list(members)
    # a repeat that runs on past the finish spot ends there; one that was
    # entered from easy running starts at the start spot
    for k, (a, b) in enumerate(group):
        if b - a > 1.4 * dur:
            end = _closest(x, y, hs.end_xy_m, a + int(0.5 * dur), b + 1, config.set_spot_radius_m)
            start = _closest(x, y, hs.start_xy_m, a, b - int(0.5 * dur), config.set_spot_radius_m)
            na = a if start is None else start
            nb = b if end is None else end
            if np.isfinite(prep.elevation_noise_m) and prep.elevation_noise_m < config.baro_noise_m:
                # barometric elevation shows where the climb begins better than the spot does
                e = prep.elevation_m[a:b]
                rise = max(3.0 * prep.elevation_noise_m, 0.1)
                up = np.flatnonzero(np.nan_to_num(e - e[0], nan=0.0) > rise)
                if len(up) and up[0] > 0:
                    na = a + int(up[0])
            if nb - na >= config.min_effort_s:
                group[k] = (na, nb)
    # before the first repeat, between repeats further apart than a period, after the last
    found = _candidate(
        hs, max(bounds[0], group[0][0] - int(1.5 * period)), group[0][0] - int(dur), x, y, prep, config
    )
    if found is not None:
        group.insert(0, found)
    k = 0
    while k < len(group):
        a_k, b_k = group[k]
        limit = group[k + 1][0] if k + 1 < len(group) else bounds[1]
        if limit - a_k > 1.5 * period and len(group) < 3 * len(members):
            hi = min(limit - int(dur), a_k + int(1.5 * period))
            found = _candidate(hs, b_k + int(0.5 * dur), hi, x, y, prep, config)
            if found is not None and found[1] <= limit:
                group.insert(k + 1, found)
        k += 1
    return group


def complete_hill_sets(
    spans: Spans, kinds: list[str], prep: Prepared, config: DetectConfig
) -> tuple[Spans, list[str]]:
    """Add the missing repeats of each hill set and trim repeats that run on past the finish.

    Parameters
    ----------
    spans, kinds
        Efforts in time order and their kinds.
    prep
        The prepared session (positions are needed; without them nothing changes).
    config
        Detector parameters (``set_spot_radius_m``, ``set_min_speed_ratio``,
        ``set_cadence_tol_spm``, ``repeat_min_count``, ``repeat_max_recovery_s``).

    Returns
    -------
    (spans, kinds)
        The completed efforts, in time order.
    """
    xy = local_xy(prep)
    if xy is None or len(spans) < config.repeat_min_count:
        return spans, kinds
    x, y = xy
    out = list(zip(spans, kinds, strict=True))
    i = 0
    while i < len(out):
        j = i
        if out[i][1] == "hill_repeat":
            while (
                j + 1 < len(out)
                and out[j + 1][1] == "hill_repeat"
                and out[j + 1][0][0] - out[j][0][1] <= config.repeat_max_recovery_s
            ):
                j += 1
        members = [sp for sp, _ in out[i : j + 1]]
        if out[i][1] != "hill_repeat" or len(members) < config.repeat_min_count:
            i = j + 1
            continue
        bounds = (out[i - 1][0][1] if i > 0 else 0, out[j + 1][0][0] if j + 1 < len(out) else prep.n)
        group = _complete(members, bounds, x, y, prep, config)
        out[i : j + 1] = [(sp, "hill_repeat") for sp in group]
        i += len(group)
    return [sp for sp, _ in out], [k for _, k in out]
