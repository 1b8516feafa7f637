"""Recognise a 400 m track and snap rep distances to the standard ones.

A standard outdoor track (IAAF) is a stadium: two 84.39 m straights joined
by two half circles of 36.5 m kerb radius; lane 1 is measured 0.30 m out
from the kerb, so its line is 2·84.39 + 2π·36.8 = 400.0 m long.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..units import EARTH_RADIUS_M, METERS_PER_MILE
from . import _stats
from .prepare import FloatArray, Prepared

STRAIGHT_M = 84.39
"""Length of each straight [m]."""
LANE1_RADIUS_M = 36.8
"""Radius of the lane-1 measuring line (kerb radius 36.5 m + 0.30 m) [m]."""
STANDARD_DISTANCES_M: tuple[float, ...] = (
    200.0,
    300.0,
    400.0,
    600.0,
    800.0,
    1000.0,
    1200.0,
    1600.0,
    METERS_PER_MILE,
)
"""Rep distances a track session is written in [m]."""


@dataclass(frozen=True)
class TrackFit:
    """A stadium fitted to the positions.

    Attributes
    ----------
    centre_x_m, centre_y_m
        Centre in the local east/north frame [m].
    angle_rad
        Direction of the straights [rad from east].
    rms_m
        RMS distance of the fitted positions from the lane-1 line [m].
    inlier_frac
        Share of moving positions within 10 m of the line [fraction].
    """

    centre_x_m: float
    centre_y_m: float
    angle_rad: float
    rms_m: float
    inlier_frac: float


def _local_xy(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    lat0 = _stats.nanmedian(lat)
    lon0 = _stats.nanmedian(lon)
    x = np.radians(lon - lon0) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
    y = np.radians(lat - lat0) * EARTH_RADIUS_M
    return x, y


def _stadium_distance(u: FloatArray, w: FloatArray) -> FloatArray:
    """Signed distance of points (u along the straights, w across) from the lane-1 line [m]."""
    half = STRAIGHT_M / 2
    du = u - np.minimum(np.maximum(u, -half), half)  # beyond the end of the straight
    # sqrt of the sum of squares, not np.hypot (6x slower here; the same to an ulp at these sizes)
    return np.sqrt(du * du + w * w) - LANE1_RADIUS_M


def _arc_position(u: FloatArray, w: FloatArray) -> FloatArray:
    """Position along the lane-1 line [m, 0–400) of the nearest point of the line."""
    half = STRAIGHT_M / 2
    r = LANE1_RADIUS_M
    s = np.empty_like(u)
    top = (np.abs(u) <= half) & (w >= 0)
    bottom = (np.abs(u) <= half) & (w < 0)
    right = u > half
    left = u < -half
    # go anticlockwise: bottom straight (west→east), right bend, top straight (east→west), left bend
    s[bottom] = u[bottom] + half
    ang_r = np.arctan2(w[right], u[right] - half)  # -pi/2 .. pi/2
    s[right] = STRAIGHT_M + (ang_r + np.pi / 2) * r
    s[top] = STRAIGHT_M + np.pi * r + (half - u[top])
    ang_l = np.arctan2(-w[left], -(u[left] + half))  # -pi/2 .. pi/2
    s[left] = 2 * STRAIGHT_M + np.pi * r + (ang_l + np.pi / 2) * r
    return np.mod(s, 2 * STRAIGHT_M + 2 * np.pi * r)


INLIER_DIAMETER_M = STRAIGHT_M + 2 * (LANE1_RADIUS_M + 10.0)
"""Farthest apart two positions within 10 m of the lane-1 line can be [m] (178 m)."""


def _too_spread(coord_m: FloatArray, share: float = 0.8) -> bool:
    """True when no ``share`` of the positions fits in :data:`INLIER_DIAMETER_M` along this axis.

    Then no stadium can hold that share within 10 m of its line and :func:`fit_track`
    would reject any fit; saying so up front skips the fitting on road runs.
    A 20 m margin keeps rounding out of the decision.
    """
    n = len(coord_m)
    k = int(np.floor(share * n)) - 1  # fewer than any accepted share: rounding cannot matter
    if k < 2:
        return False
    s = np.sort(coord_m)
    return bool(np.min(s[k - 1 :] - s[: n - k + 1]) > INLIER_DIAMETER_M + 20.0)


def fit_track(prep: Prepared, mask: np.ndarray | None = None) -> TrackFit | None:
    """Fit a standard 400 m stadium to the moving positions; ``None`` when it does not fit.

    The size is fixed by the rules, so only the centre and the direction are
    fitted: principal axes give the start, then a few Gauss–Newton steps on
    the centre. The fit is accepted when most moving positions lie within
    10 m of the lane-1 line.
    """
    if prep.lat_deg is None or prep.lon_deg is None:
        return None
    sel = prep.valid & (prep.v_fast_m_s > 1.5)  # NaN: not moving
    if mask is not None:
        sel &= mask
    if sel.sum() < 60:
        return None
    x, y = _local_xy(prep.lat_deg[sel], prep.lon_deg[sel])
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if _too_spread(x) or _too_spread(y):
        return None
    cx, cy = _stats.median(x), _stats.median(y)
    cov = np.cov(np.vstack([x - cx, y - cy]))
    evals, evecs = np.linalg.eigh(cov)
    major = evecs[:, int(np.argmax(evals))]
    ang = float(np.arctan2(major[1], major[0]))
    eps = 0.5
    for _ in range(8):
        ca, sa = np.cos(ang), np.sin(ang)
        dx, dy = x - cx, y - cy
        xs, yc = dx * sa, dy * ca
        xc, ys = dx * ca, dy * sa
        d = _stadium_distance(xc + ys, yc - xs)
        inl = np.abs(d) < 15
        if inl.sum() < 30:
            return None
        # numerical Jacobian over (cx, cy, ang), on the inliers only (the only rows used);
        # the products that do not change with a step are reused (same values, bit for bit)
        dx, dy, d = dx[inl], dy[inl], d[inl]
        xs, yc, xc, ys = xs[inl], yc[inl], xc[inl], ys[inl]
        ca2, sa2 = np.cos(ang + eps / 100), np.sin(ang + eps / 100)
        cols = (
            (_stadium_distance((dx - eps) * ca + ys, yc - (dx - eps) * sa) - d) / eps,
            (_stadium_distance(xc + (dy - eps) * sa, (dy - eps) * ca - xs) - d) / eps,
            (_stadium_distance(dx * ca2 + dy * sa2, dy * ca2 - dx * sa2) - d) / (eps / 100),
        )
        # Gauss-Newton step from the 3x3 normal equations, built from dot products of
        # the columns (well conditioned here: two unit-scale columns and one of the bend
        # radius); lstsq's SVD only when they are singular
        normal = np.array([[float(ci @ cj) for cj in cols] for ci in cols])
        rhs = np.array([-float(ci @ d) for ci in cols])
        try:
            step = np.linalg.solve(normal, rhs)
        except np.linalg.LinAlgError:
            step, *_ = np.linalg.lstsq(np.column_stack(cols), -d, rcond=None)
        cx += float(step[0])
        cy += float(step[1])
        ang += float(step[2])
    ca, sa = np.cos(ang), np.sin(ang)
    u = (x - cx) * ca + (y - cy) * sa
    w = -(x - cx) * sa + (y - cy) * ca
    d = _stadium_distance(u, w)
    inlier = float(np.mean(np.abs(d) < 10))
    rms = float(np.sqrt(np.mean(d[np.abs(d) < 10] ** 2))) if inlier > 0 else np.inf
    if inlier < 0.8 or rms > 6.0:
        return None
    return TrackFit(cx, cy, ang, rms, inlier)


def lane1_distance_m(prep: Prepared, fit: TrackFit, start: int, end: int) -> float:
    """Distance along the lane-1 line between two grid seconds [m] (positions projected and unwrapped)."""
    xy = prep.local_xy_m
    assert xy is not None
    sl = slice(max(0, start - 3), min(prep.n, end + 4))
    x, y = xy[0][sl], xy[1][sl]
    ca, sa = np.cos(fit.angle_rad), np.sin(fit.angle_rad)
    u = (x - fit.centre_x_m) * ca + (y - fit.centre_y_m) * sa
    w = -(x - fit.centre_x_m) * sa + (y - fit.centre_y_m) * ca
    s = _arc_position(u, w)
    lap = 2 * STRAIGHT_M + 2 * np.pi * LANE1_RADIUS_M
    s = np.unwrap(s * (2 * np.pi / lap)) * (lap / (2 * np.pi))
    tt = np.arange(sl.start, sl.stop, dtype=np.float64)

    def at(second: int) -> float:
        m = np.abs(tt - second) <= 3
        if np.count_nonzero(m) < 2:
            return float(np.interp(second, tt, s))
        # least-squares line through the seconds around it, evaluated there (closed form
        # of np.polyfit(t, s, 1) + np.polyval: the same value to rounding)
        t_m, s_m = tt[m], s[m]
        t_mean = float(np.add.reduce(t_m)) / len(t_m)
        s_mean = float(np.add.reduce(s_m)) / len(s_m)
        tc = t_m - t_mean
        slope = float(tc @ (s_m - s_mean)) / float(tc @ tc)
        return s_mean + slope * (second - t_mean)

    return abs(at(end) - at(start))


def shrink_to_standard(prior_m: float, measured_m: float, boundary_sd_m: float, measure_sd_m: float) -> float:
    """Best estimate of the distance run over a detected span that snapped to a standard distance [m].

    The runner ran the standard distance between the lines, but the span
    found on the 1 Hz grid starts and ends a fraction of a second off the
    line crossings, so the distance run over the span scatters by
    ``boundary_sd_m`` around ``prior_m`` (the standard distance, shifted by
    what the grid adds or misses on average); the measured (lane-1
    projected) distance scatters around the distance run by
    ``measure_sd_m`` (GPS error at both ends). The posterior mean of a
    normal prior and a normal measurement is their precision-weighted mean.

    >>> shrink_to_standard(400.0, 404.0, 1.0, 1.0)
    402.0
    >>> shrink_to_standard(400.0, 404.0, 0.0, 3.0)
    400.0
    """
    prior = boundary_sd_m**2
    noise = measure_sd_m**2
    if not np.isfinite(measured_m) or prior + noise <= 0:
        return prior_m
    return float(prior_m + prior / (prior + noise) * (measured_m - prior_m))


def snap_distance(distance_m: float, tolerance_frac: float) -> float | None:
    """The standard distance within ``tolerance_frac`` of ``distance_m``, or ``None``.

    >>> snap_distance(812.4, 0.05)
    800.0
    >>> snap_distance(700.0, 0.05) is None
    True
    """
    if not np.isfinite(distance_m) or distance_m <= 0:
        return None
    best = min(STANDARD_DISTANCES_M, key=lambda s: abs(distance_m - s))
    if abs(distance_m - best) <= tolerance_frac * best:
        return best
    return None
