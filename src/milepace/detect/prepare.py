"""Resample an :class:`~milepace.activity.Activity` to a 1 Hz grid that knows about pauses and dropouts.

The grid runs in whole seconds from the first record (wall clock). Each
second is *paused* (timer stopped, or a long gap while standing: auto-pause),
*valid* (a record or a short gap that smart recording leaves while the runner
keeps moving), or neither (a dropout: nothing is invented there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..activity import Activity
from ..errors import EmptyActivity
from . import _stats
from .config import DetectConfig

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Prepared:
    """An activity on a 1 Hz wall-clock grid.

    Attributes
    ----------
    t0
        UTC instant of grid second 0 (the first record).
    paused
        Timer stopped or standing through a recording gap, per second.
    valid
        A measured or fillable sample, per second (False in dropouts and pauses).
    distance_m
        Cumulative distance [m] (device distance, else positions), interpolated.
    speed_m_s
        Raw speed [m/s] from the best source; 0 while paused, NaN in dropouts.
    v_fast_m_s, v_slow_m_s
        Zero-lag (centred) moving means of ``speed_m_s`` at a short window
        sized to the measured noise and at a long window [m/s].
    cadence_spm
        Cadence [steps/min] or all-NaN when absent.
    elevation_m
        Smoothed elevation [m] or all-NaN when absent.
    lat_deg, lon_deg
        Positions or ``None`` (treadmill).
    speed_noise_m_s
        Estimated 1 Hz noise of the raw speed [m/s].
    fast_window_s
        Width of the short smoothing window actually used [s].
    speed_source
        ``device`` (speed channel), ``distance`` or ``positions``.
    elevation_noise_m
        Estimated 1 Hz noise of the raw elevation [m] (barometric is a few
        centimetres, GPS elevation a metre or more); NaN without elevation.
    distance_from_positions
        The cumulative distance was measured along the positions (no device
        distance, speed or footpod channel).
    elevation_raw_m
        Elevation [m] interpolated onto the grid without smoothing (``None``
        when absent): a short climb's ends are not blurred into the flat or
        the descent around it.
    cadence_fast_spm, cadence_slow_spm
        Centred 3 s and ``slow_window_s`` means of the cadence [steps/min]
        (``None`` until set by :func:`prepare`).
    cadence_noise_spm
        Median absolute 1 Hz change of the cadence [steps/min]; NaN when
        cadence is missing for half the session or more.
    record_s
        Time of each record from ``t0`` [s] (``None`` unless the record index
        is in nanoseconds).
    heart_rate_bpm
        Heart rate of each record [beats/min], NaN where missing; ``None``
        without a heart-rate column.
    memo
        Results the detectors compute more than once for the same span
        (climbs, grid instants), keyed by what they were computed from.
    """

    t0: pd.Timestamp
    paused: BoolArray
    valid: BoolArray
    distance_m: FloatArray
    speed_m_s: FloatArray
    v_fast_m_s: FloatArray
    v_slow_m_s: FloatArray
    cadence_spm: FloatArray
    elevation_m: FloatArray
    lat_deg: FloatArray | None
    lon_deg: FloatArray | None
    speed_noise_m_s: float
    fast_window_s: int
    speed_source: str
    elevation_noise_m: float = float("nan")
    cadence_noise_spm: float = float("nan")
    cadence_fast_spm: FloatArray | None = None
    cadence_slow_spm: FloatArray | None = None
    distance_from_positions: bool = False
    elevation_raw_m: FloatArray | None = None
    record_s: FloatArray | None = None
    heart_rate_bpm: FloatArray | None = None
    memo: dict[tuple[object, ...], object] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def has_cadence(self) -> bool:
        """True when cadence is recorded for most of the session."""
        return bool(np.isfinite(self.cadence_noise_spm))

    @property
    def n(self) -> int:
        """Number of 1 Hz samples."""
        return len(self.paused)

    @cached_property
    def local_xy_m(self) -> tuple[FloatArray, FloatArray] | None:
        """Positions in a local east/north frame about the median position [m], or ``None``.

        Computed once per session (several detectors use it).
        """
        if self.lat_deg is None or self.lon_deg is None:
            return None
        from ..units import EARTH_RADIUS_M

        lat0 = _stats.nanmedian(self.lat_deg)
        lon0 = _stats.nanmedian(self.lon_deg)
        x = np.radians(self.lon_deg - lon0) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
        y = np.radians(self.lat_deg - lat0) * EARTH_RADIUS_M
        return x, y

    def time_at(self, second: float) -> pd.Timestamp:
        """UTC instant of a grid second."""
        key = ("time_at", second)
        found = self.memo.get(key)
        if found is None:
            found = pd.Timestamp(self.t0.value + round(float(second) * 1e9), unit="ns", tz=self.t0.tz)
            self.memo[key] = found
        return found  # type: ignore[return-value]


def centered_mean(values: FloatArray, window_s: int) -> FloatArray:
    """Centred moving mean that ignores NaN (zero lag) [same units as ``values``].

    Parameters
    ----------
    values
        Samples on the 1 Hz grid; NaN samples are skipped.
    window_s
        Window width [s]; an even width is widened by one.

    >>> centered_mean(np.array([0.0, 3.0, np.nan, 3.0, 0.0]), 3).round(2).tolist()
    [1.5, 1.5, 3.0, 1.5, 1.5]
    """
    return centered_means(values, (window_s,))[0]


def centered_means(values: FloatArray, windows_s: tuple[int, ...]) -> list[FloatArray]:
    """:func:`centered_mean` at several window widths, sharing the running sums [same units as ``values``].

    >>> [m.tolist() for m in centered_means(np.array([0.0, 3.0, 0.0]), (1, 3))]
    [[0.0, 3.0, 0.0], [1.5, 1.0, 1.5]]
    """
    x = np.asarray(values, dtype=np.float64)
    n = len(x)
    ok = np.isfinite(x)
    all_ok = bool(ok.all())
    s = np.zeros(n + 1)
    np.cumsum(x if all_ok else np.where(ok, x, 0.0), out=s[1:])
    c = None
    if not all_ok:
        c = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(ok, out=c[1:])
    return [_window_mean(s, c, n, int(window_s) | 1) for window_s in windows_s]


def _window_mean(s: FloatArray, c: npt.NDArray[np.int64] | None, n: int, w: int) -> FloatArray:
    """Centred means of width ``w`` from running sums ``s`` and finite counts ``c`` (``None``: all finite)."""
    half = w // 2
    cnt: npt.NDArray[np.int64]
    if n <= 2 * half + 1:
        idx = np.arange(n)
        lo = np.clip(idx - half, 0, n)
        hi = np.clip(idx + half + 1, 0, n)
        num = s[hi] - s[lo]
        cnt = (c[hi] - c[lo]) if c is not None else hi - lo
    else:
        # window sums s[min(i + half + 1, n)] - s[max(i - half, 0)] by region (head, middle,
        # tail) with slices: the same subtractions as clipped fancy indexing, fewer arrays
        num = np.empty(n)
        num[:half] = s[half + 1 : 2 * half + 1] - s[0]
        num[half : n - half] = s[2 * half + 1 :] - s[: n - 2 * half]
        num[n - half :] = s[n] - s[n - 2 * half : n - half]
        if c is None:
            cnt = np.full(n, w, dtype=np.int64)
            cnt[:half] = np.arange(half + 1, 2 * half + 1)
            cnt[n - half :] = np.arange(2 * half, half, -1)
        else:
            cnt = np.empty(n, dtype=np.int64)
            cnt[:half] = c[half + 1 : 2 * half + 1] - c[0]
            cnt[half : n - half] = c[2 * half + 1 :] - c[: n - 2 * half]
            cnt[n - half :] = c[n] - c[n - 2 * half : n - half]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / cnt
    if c is not None:
        out[cnt == 0] = np.nan
    return out


def _noise(values: FloatArray) -> float:
    """Robust 1-sample noise of a series: MAD of first differences / √2."""
    d = np.diff(values)
    d = d[np.isfinite(d)]
    if len(d) < 10:
        return 0.0
    return float(1.4826 * _stats.median(np.abs(d - _stats.median(d))) / np.sqrt(2.0))


_DEFAULT_CONFIG = DetectConfig()


def _float_columns(records: pd.DataFrame) -> dict[str, FloatArray] | None:
    """Every record column as a contiguous float64 array (NaN where missing), or ``None``.

    One conversion of the whole frame (the columns are float64 and share one
    block) instead of a pandas lookup per column; ``None`` when the frame does
    not convert as a whole (then each column is converted on its own).
    """
    try:
        block = np.ascontiguousarray(records.to_numpy(dtype=np.float64, na_value=np.nan).T)
    except (TypeError, ValueError):
        return None
    return {str(name): block[j] for j, name in enumerate(records.columns)}


def prepare(activity: Activity, config: DetectConfig | None = None) -> Prepared:
    """Put an activity on the 1 Hz grid, choose the speed source and smooth it.

    Parameters
    ----------
    activity
        A run as read by :func:`milepace.read`.
    config
        Detector parameters (:class:`DetectConfig`).

    Returns
    -------
    Prepared
        The arrays every detector works on.

    Raises
    ------
    EmptyActivity
        When the activity has fewer than two timed records with a distance,
        speed or position.
    """
    cfg = config or _DEFAULT_CONFIG
    recs = activity.records
    if len(recs) < 2:
        raise EmptyActivity(
            f"needs at least two timed records to find efforts, found {len(recs)}", path=activity.meta.source
        )
    index = recs.index
    ns = index.asi8 if isinstance(index, pd.DatetimeIndex) else pd.DatetimeIndex(index).asi8
    t = (ns - ns[0]) / 1e9
    n = int(np.floor(t[-1])) + 1
    grid = np.arange(n, dtype=np.float64)
    t0 = index[0]
    columns = _float_columns(recs)

    def col(name: str) -> FloatArray | None:
        if columns is not None:
            arr = columns.get(name)
        elif name in recs.columns:
            arr = recs[name].to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            arr = None
        if arr is not None and np.count_nonzero(np.isfinite(arr)) >= 2:
            return arr
        return None

    def interp(arr: FloatArray) -> FloatArray:
        ok = np.isfinite(arr)
        if ok.all():
            return np.interp(grid, t, arr)
        return np.interp(grid, t[ok], arr[ok])

    lat, lon = col("lat_deg"), col("lon_deg")
    dist = col("distance_m")
    source = "distance"
    from_positions = False
    if dist is None and lat is not None and lon is not None:
        from ..geo import cumulative_distance_m

        okp = np.isfinite(lat) & np.isfinite(lon)
        dist = np.full(len(t), np.nan)
        dist[okp] = cumulative_distance_m(lat[okp], lon[okp])
        source = "positions"
        from_positions = True
    speed = col("speed_m_s")
    if dist is None and speed is None:
        raise EmptyActivity(
            "needs a distance, speed or position channel to find efforts, found none",
            path=activity.meta.source,
        )
    if dist is None:
        assert speed is not None
        sp = np.where(np.isfinite(speed), speed, 0.0)
        dist = np.concatenate([[0.0], np.cumsum(0.5 * (sp[1:] + sp[:-1]) * np.diff(t))])
    # make the cumulative distance monotone (device resets, NaN holes)
    dist = np.fmax.accumulate(np.where(np.isfinite(dist), dist, -np.inf))
    dist[~np.isfinite(dist)] = np.nan
    dist_grid = interp(dist)

    # ---- gaps: pause, fillable, dropout
    paused = np.zeros(n, dtype=bool)
    pauses = activity.pauses
    if len(pauses):
        timer = pauses[pauses["source"].astype(str) == "timer"] if "source" in pauses else pauses
        for start, end in zip(timer["start"], timer["end"], strict=False):
            a = (pd.Timestamp(start) - t0).total_seconds()
            b = (pd.Timestamp(end) - t0).total_seconds()
            paused[max(0, int(np.ceil(a))) : max(0, int(np.ceil(b)))] = True
    valid = np.ones(n, dtype=bool)
    dt = np.diff(t)
    long_gaps = np.flatnonzero(dt > cfg.max_fill_gap_s)
    if len(long_gaps):
        dd = np.diff(np.nan_to_num(dist, nan=0.0))
        for k in long_gaps:
            a = int(np.floor(t[k])) + 1
            b = int(np.ceil(t[k + 1]))
            if b <= a:
                continue
            if paused[a:b].mean() > 0.5 or dd[k] / dt[k] < cfg.stand_speed_m_s:
                paused[a:b] = True
            else:
                valid[a:b] = False
    valid &= ~paused

    # ---- speed
    if speed is not None and np.isfinite(speed).mean() > 0.5:
        v = interp(speed)
        source = "device"
    else:
        v = np.gradient(dist_grid)
    v = np.where(paused, 0.0, v)
    v = np.where(valid | paused, v, np.nan)
    noise = _noise(np.where(valid, v, np.nan))
    w = (
        int(np.clip(np.ceil((noise / cfg.target_noise_m_s) ** 2), cfg.fast_window_s, cfg.max_fast_window_s))
        | 1
    )
    v_fast, v_slow = centered_means(v, (w, max(cfg.slow_window_s, 3 * w)))

    cad = col("cadence_spm")
    cad_grid = interp(cad) if cad is not None else np.full(n, np.nan)
    if cad is not None and _stats.nanmedian(cad[cad > 0]) < 110:
        cad_grid = cad_grid * 2.0  # per-leg cadence written as steps/min by a reader: make it steps
    cad_grid = np.where(valid, cad_grid, np.nan)

    c_noise = float("nan")
    if np.isfinite(cad_grid).mean() > 0.5:
        c_noise = _stats.nanmedian(np.abs(np.diff(cad_grid)))

    ele = col("elevation_m")
    e_noise = float("nan")
    eg = None
    if ele is not None:
        eg = interp(ele)
        e_noise = _noise(eg)
        ew = 5 if e_noise < 0.3 else 21
        ele_grid = centered_mean(eg, ew)
    else:
        ele_grid = np.full(n, np.nan)

    cad_fast, cad_slow = centered_means(cad_grid, (3, cfg.slow_window_s))
    lat_g = lon_g = None
    if lat is not None and lon is not None and np.isfinite(lat).mean() > 0.5:
        lat_g, lon_g = interp(lat), interp(lon)
    return Prepared(
        t0=t0,
        paused=paused,
        valid=valid,
        distance_m=dist_grid,
        speed_m_s=v,
        v_fast_m_s=v_fast,
        v_slow_m_s=v_slow,
        cadence_spm=cad_grid,
        elevation_m=ele_grid,
        lat_deg=lat_g,
        lon_deg=lon_g,
        speed_noise_m_s=noise,
        fast_window_s=w,
        speed_source=source,
        elevation_noise_m=e_noise,
        cadence_noise_spm=c_noise,
        cadence_fast_spm=cad_fast,
        cadence_slow_spm=cad_slow,
        distance_from_positions=from_positions,
        elevation_raw_m=eg,
        record_s=t if isinstance(index, pd.DatetimeIndex) and index.unit == "ns" else None,
        heart_rate_bpm=_heart_rate(recs, columns),
    )


def _heart_rate(records: pd.DataFrame, columns: dict[str, FloatArray] | None) -> FloatArray | None:
    if columns is not None:
        return columns.get("heart_rate_bpm")
    if "heart_rate_bpm" in records:
        return records["heart_rate_bpm"].to_numpy(dtype=np.float64, na_value=np.nan)
    return None
