"""Simulate a recorded running session with exact ground truth.

:func:`simulate` runs a workout template (:mod:`milepace.synth.workouts`)
through a small physical model and a model of how a watch records it:

1. **Kinematics** — the runner's true speed, second by second: each segment
   approaches its speed with a first-order ramp (time constant 0.8 s speeding
   up, 1.8 s slowing down), strides build over their first half, reps wobble
   (smoothed noise), fade and sometimes kick. A segment set by distance ends
   at the exact (fractional) instant the true cumulative distance reaches it,
   so a 800 m rep is 800.000 m of lane 1 by construction.
2. **Path** — positions follow the true distance along a route: lane 1 of a
   400 m stadium oval (two 84.39 m straights, bends of radius 36.5 m + 0.30 m),
   a meandering road, a road that ends in a hill of a given grade (walk-backs
   reverse along it), or no positions at all (treadmill).
3. **Recording** — GPS error (a slow AR(1) drift plus jitter, with a settling
   period), device distance from smoothed noisy positions or from a footpod
   with a calibration error, Doppler/footpod speed, barometric or GPS
   elevation, heart rate that lags effort, cadence by gait, smart recording
   (1–7 s gaps where speed is steady), auto-pause, and laps (workout steps,
   late or missed manual presses, auto-km/mile, or none).

Everything is drawn from one ``numpy.random.Generator`` seeded by ``seed``,
so the same arguments always give the same session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import UsageError
from ..units import EARTH_RADIUS_M, METERS_PER_MILE, SEMICIRCLES_TO_DEG
from .workouts import EXTRA_TEMPLATES, TEMPLATES, Paces, Plan, Segment

FloatArray = npt.NDArray[np.float64]

# ----------------------------------------------------------------------------- track geometry
TRACK_STRAIGHT_M = 84.39
"""Length of each straight of a standard 400 m track [m] (IAAF/World Athletics)."""
TRACK_KERB_RADIUS_M = 36.5
"""Radius of the bends measured to the inner kerb [m]."""
LANE1_OFFSET_M = 0.30
"""Lane 1 is measured 0.30 m outside the kerb [m]."""
LANE1_RADIUS_M = TRACK_KERB_RADIUS_M + LANE1_OFFSET_M
LANE1_LENGTH_M = 2 * TRACK_STRAIGHT_M + 2 * math.pi * LANE1_RADIUS_M
"""2 × 84.39 + 2π × 36.8 = 400.00 m (to 1 cm)."""

ORIGIN_LAT_DEG = 45.5120
ORIGIN_LON_DEG = -122.6840
"""Where synthetic sessions are run (any open ground will do)."""


@dataclass(frozen=True)
class SynthLap:
    """One lap as the device records it.

    Attributes
    ----------
    start_s, end_s
        Unix seconds; ``end_s`` is the next lap's ``start_s``.
    timer_s
        ``end_s - start_s`` less auto-pause time inside the lap [s].
    distance_m
        Device distance over the lap [m].
    trigger
        ``manual``, ``time``, ``distance`` or ``session_end``.
    intensity
        ``warmup``, ``active``, ``rest`` or ``cooldown``.
    wkt_step_index
        Workout step (0-based) for workout laps, else ``None``.
    """

    start_s: float
    end_s: float
    timer_s: float
    distance_m: float
    trigger: str
    intensity: str
    wkt_step_index: int | None = None


@dataclass(frozen=True)
class SynthPause:
    """A span the timer was stopped (auto-pause) [Unix s]."""

    start_s: float
    end_s: float
    trigger: str = "auto"


@dataclass(frozen=True)
class WorkoutStep:
    """A structured-workout step (FIT ``workout_step``).

    Attributes
    ----------
    step_index
        0-based step number.
    name
        Step name.
    intensity
        ``warmup``, ``active``, ``rest`` or ``cooldown``.
    duration_type
        ``time``, ``distance`` or ``open``.
    duration_value
        Seconds for ``time``, metres for ``distance``, ``None`` for ``open``.
    target_low_m_s, target_high_m_s
        Speed target [m/s], or ``None`` for an open target.
    """

    step_index: int
    name: str
    intensity: str
    duration_type: str
    duration_value: float | None
    target_low_m_s: float | None = None
    target_high_m_s: float | None = None


@dataclass(frozen=True)
class TruthEffort:
    """A piece of work the runner really did.

    Attributes
    ----------
    kind
        ``interval``, ``stride`` or ``hill_repeat`` (the contract's names).
    start_s, end_s
        Unix seconds, ``end_s`` exclusive (fractional: the instant the distance was reached).
    distance_m
        True distance run [m] (lane 1 on a track).
    pace_s_per_mile
        True mean pace [s/mile].
    label
        ``"800m #3"`` and the like.
    """

    kind: str
    start_s: float
    end_s: float
    distance_m: float
    pace_s_per_mile: float
    label: str

    @property
    def duration_s(self) -> float:
        """``end_s - start_s`` [s]."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class TruthRecovery:
    """The span between two consecutive efforts.

    Attributes
    ----------
    after
        Index (0-based) into ``efforts`` of the effort it follows.
    start_s, end_s
        Unix seconds (the previous effort's end, the next effort's start).
    duration_s
        Wall-clock duration [s], pauses included.
    distance_m
        True distance covered [m] (walking back counts).
    kind
        ``jog``, ``walk`` or ``stand``: the gait held for most of the time.
    """

    after: int
    start_s: float
    end_s: float
    duration_s: float
    distance_m: float
    kind: str


@dataclass(frozen=True, eq=False)
class SynthSession:
    """A simulated, recorded session and its ground truth.

    Record arrays hold what the device would write (already at the FIT
    resolution: positions on semicircles, distance 0.01 m, speed 0.001 m/s,
    elevation 0.2 m, whole bpm, cadence 1/64 spm); a channel the device did
    not record is ``None``, a missing value inside a channel is NaN.

    Attributes
    ----------
    template, name, description
        Template name, activity name and a one-line description.
    seed, goal_mile_s
        The generator inputs.
    sport, sub_sport
        ``running``/``track``, ``running``/``street``, ``running``/``treadmill``, ``cycling``/``road``.
    path
        ``track``, ``road``, ``hill`` or ``treadmill``.
    device
        How it was recorded (recording, speed source, laps, auto-pause, GPS σ, elevation source).
    time_s
        Unix seconds of each record (whole seconds).
    lat_deg, lon_deg, distance_m, speed_m_s, elevation_m, heart_rate_bpm, cadence_spm, power_w
        Recorded channels (``cadence_spm`` is steps per minute, both legs).
    laps, pauses, workout_steps
        Device laps, auto-pause spans, and workout steps (``laps="workout"`` only).
    efforts, recoveries
        Ground truth.
    true_distance_m
        Distance really run [m].
    utc_offset_s
        Local time minus UTC [s] (FIT ``activity.local_timestamp``).
    kind
        Session kind for block tests (``easy``, ``long``, ``threshold``, ``intervals``,
        ``strides``, ``hill_sprints``, ``hill_repeats``, ``time_trial``, ``ride``).
    hr_beat_time_s, hr_beat_bpm
        The heart-rate strap's own stream: one sample per beat [Unix s, bpm],
        continuous through pauses and smart-recording gaps (FIT ``hr`` messages).
    """

    template: str
    name: str
    description: str
    seed: int
    goal_mile_s: float
    sport: str
    sub_sport: str
    path: str
    device: dict[str, Any]
    time_s: FloatArray
    lat_deg: FloatArray | None
    lon_deg: FloatArray | None
    distance_m: FloatArray | None
    speed_m_s: FloatArray | None
    elevation_m: FloatArray | None
    heart_rate_bpm: FloatArray | None
    cadence_spm: FloatArray | None
    power_w: FloatArray | None
    laps: tuple[SynthLap, ...]
    pauses: tuple[SynthPause, ...]
    workout_steps: tuple[WorkoutStep, ...] | None
    efforts: tuple[TruthEffort, ...]
    recoveries: tuple[TruthRecovery, ...]
    true_distance_m: float
    utc_offset_s: float = 0.0
    kind: str = "easy"
    extra: dict[str, Any] = field(default_factory=dict)
    hr_beat_time_s: FloatArray | None = None
    hr_beat_bpm: FloatArray | None = None

    @property
    def start_s(self) -> float:
        """First record time [Unix s]."""
        return float(self.time_s[0])

    @property
    def end_s(self) -> float:
        """Last record time [Unix s]."""
        return float(self.time_s[-1])

    @property
    def elapsed_s(self) -> float:
        """Wall-clock span from first to last record [s]."""
        return self.end_s - self.start_s

    @property
    def timer_s(self) -> float:
        """Elapsed time less auto-pause [s]."""
        return self.elapsed_s - sum(p.end_s - p.start_s for p in self.pauses)

    @property
    def device_distance_m(self) -> float:
        """Total distance the device recorded [m] (NaN when it records none)."""
        if self.distance_m is None:
            return float("nan")
        d = self.distance_m[np.isfinite(self.distance_m)]
        return float(d[-1] - d[0]) if len(d) else float("nan")

    def channels(self) -> dict[str, FloatArray]:
        """The recorded channels that are present, by canonical column name."""
        from ..activity import RECORD_COLUMNS

        return {n: v for n in RECORD_COLUMNS if (v := getattr(self, n)) is not None}

    def to_truth_dict(self, file: str | None = None) -> dict[str, Any]:
        """Ground truth as a JSON-ready dict (times ISO 8601 UTC with milliseconds).

        Parameters
        ----------
        file
            File name to record in the entry, when the session was written to one.
        """
        return {
            "file": file,
            "template": self.template,
            "kind": self.kind,
            "description": self.description,
            "goal_mile_s": self.goal_mile_s,
            "path": self.path,
            "device": dict(self.device),
            "seed": self.seed,
            "start": iso_utc(self.start_s),
            "true_distance_m": round(self.true_distance_m, 3),
            "efforts": [
                {
                    "kind": e.kind,
                    "start": iso_utc(e.start_s),
                    "end": iso_utc(e.end_s),
                    "start_s": e.start_s,
                    "end_s": e.end_s,
                    "duration_s": round(e.duration_s, 3),
                    "distance_m": round(e.distance_m, 3),
                    "pace_s_per_mile": round(e.pace_s_per_mile, 3),
                    "label": e.label,
                }
                for e in self.efforts
            ],
            "recoveries": [
                {
                    "after": r.after,
                    "start": iso_utc(r.start_s),
                    "end": iso_utc(r.end_s),
                    "duration_s": round(r.duration_s, 3),
                    "distance_m": round(r.distance_m, 3),
                    "kind": r.kind,
                }
                for r in self.recoveries
            ],
        }


def iso_utc(unix_s: float) -> str:
    """Format Unix seconds as ISO 8601 UTC (``Z``), with milliseconds when not whole."""
    dt = datetime.fromtimestamp(unix_s, tz=timezone.utc)
    if abs(unix_s - round(unix_s)) < 5e-4:
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_start(start: str | float | datetime) -> float:
    """Turn ``"2026-05-02T13:01:07Z"`` (or Unix seconds, or an aware datetime) into whole Unix seconds."""
    if isinstance(start, (int, float)):
        return float(round(start))
    if isinstance(start, datetime):
        dt = start
    else:
        try:
            dt = datetime.fromisoformat(start.replace("Z", "+00:00"))
        except ValueError as err:
            raise UsageError(
                f"start must be an ISO 8601 time like 2026-05-02T13:01:07Z, got {start!r}"
            ) from err
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return float(round(dt.timestamp()))


# ----------------------------------------------------------------------------- small signal helpers
def _exp_filter(x: FloatArray, tau_s: float) -> FloatArray:
    """Causal first-order low-pass with time constant ``tau_s`` (1 Hz), normalised at the start.

    Implemented as an FFT convolution with the truncated kernel ``exp(-j / tau)``.
    """
    n = len(x)
    if n == 0 or tau_s <= 0:
        return np.array(x, dtype=np.float64)
    m = min(n, math.ceil(7 * tau_s) + 1)
    w = np.exp(-np.arange(m) / tau_s)
    if m <= 64:
        y = np.convolve(x, w)[:n]
        norm = np.cumsum(w)
        denom = np.full(n, norm[-1])
        denom[: min(n, m)] = norm[: min(n, m)]
        return np.asarray(y / denom, dtype=np.float64)
    size = 1 << math.ceil(math.log2(n + m))
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(w, size), size)[:n]
    norm = np.cumsum(w)
    denom = np.full(n, norm[-1])
    denom[: min(n, m)] = norm[: min(n, m)]
    return np.asarray(y / denom, dtype=np.float64)


def _ar1(rng: np.random.Generator, n: int, tau_s: float, sd: float) -> FloatArray:
    """A stationary AR(1)-like series of ``n`` seconds, correlation time ``tau_s``, std ``sd``."""
    if n == 0:
        return np.zeros(0)
    e = rng.standard_normal(n)
    y = _exp_filter(e, tau_s)
    # a normalised exponential average of white noise has std sqrt((1 - r) / (1 + r)), r = exp(-1/tau)
    r = math.exp(-1.0 / tau_s)
    return np.asarray(y * sd / math.sqrt((1 - r) / (1 + r)), dtype=np.float64)


def _runs(mask: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Start (inclusive) and end (exclusive) indices of the True runs of ``mask``."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


# ----------------------------------------------------------------------------- kinematics
_WOBBLE_SD = {
    "run": 0.02,
    "jog": 0.03,
    "walk": 0.04,
    "stride": 0.01,
    "sprint": 0.01,
    "stand": 0.0,
    "ride": 0.08,
}


@dataclass
class _Kinematics:
    v: FloatArray  # true speed over second [k, k+1) [m/s]
    direction: FloatArray  # +1/-1 per second
    bounds: list[tuple[float, float]]  # truth start/end of each segment [s from start]
    seg_distance_m: list[float]


def _profile(seg: Segment, n: int, n_nominal: float, v_prev: float, rng: np.random.Generator) -> FloatArray:
    i = np.arange(n, dtype=np.float64)
    if seg.motion == "stand":
        v = v_prev * np.exp(-(i + 0.5) / 1.0)
        return np.where(v < 0.15, 0.0, v)
    x = (i + 0.5) / max(n_nominal, 1.0)
    vt = seg.speed_m_s
    noise = _ar1(rng, n, 6.0, _WOBBLE_SD.get(seg.motion, 0.02)) if n > 1 else np.zeros(n)
    shape = 1.0 + noise
    if seg.effort is not None and seg.motion == "run":
        rep = 1.0 + rng.normal(0.0, 0.01)
        fade = rng.uniform(0.0, 0.03)
        kick = rng.uniform(0.01, 0.04) if rng.random() < 0.5 else 0.0
        shape = rep * (shape - fade * (x - 0.5) + kick * np.clip((x - 0.85) / 0.15, 0.0, 1.0))
    elif seg.motion == "stride":
        shape = shape * np.clip(0.55 + 0.9 * x, 0.0, 1.0)
    base = vt * shape
    tau = 0.8 if base[0] >= v_prev else 1.8
    v = base + (v_prev - base[0]) * np.exp(-(i + 0.5) / tau)
    return np.asarray(np.clip(v, 0.0, None), dtype=np.float64)


def _kinematics(plan: Plan, rng: np.random.Generator) -> _Kinematics:
    pieces: list[FloatArray] = []
    dirs: list[FloatArray] = []
    bounds: list[tuple[float, float]] = []
    seg_dist: list[float] = []
    k = 0  # seconds simulated so far
    d_k = 0.0  # true distance at instant k
    t_true = 0.0  # truth boundary where the next segment starts
    d_true = 0.0  # true distance at t_true
    v_prev = 0.0
    prev_dist = 0.0
    for seg in plan.segments:
        length = prev_dist if seg.back else seg.distance_m
        if length is not None:
            need = max(d_true + length - d_k, 0.05)
            v_ref = max(seg.speed_m_s, 0.5)
            n_alloc = int(need / v_ref * 1.3) + 20
            while True:
                v = _profile(seg, n_alloc, need / v_ref, v_prev, rng)
                c = np.cumsum(v)
                m = int(np.searchsorted(c, need))
                if m < n_alloc and v[m] > 0:
                    break
                n_alloc *= 2
            before = float(c[m - 1]) if m > 0 else 0.0
            t_end = k + m + (need - before) / float(v[m])
            v = v[: m + 1]
        else:
            if seg.duration_s is None:
                raise ValueError(f"segment {seg.label or seg.motion} has neither distance nor duration")
            t_end = t_true + seg.duration_s
            n = max(1, math.ceil(t_end - 1e-9) - k)
            v = _profile(seg, n, seg.duration_s, v_prev, rng)
        pieces.append(v)
        dirs.append(np.full(len(v), float(seg.direction)))
        k += len(v)
        d_k += float(v.sum())
        d_end = d_k - float(v[-1]) * (k - t_end)
        bounds.append((t_true, t_end))
        seg_dist.append(d_end - d_true)
        prev_dist = d_end - d_true
        t_true, d_true = t_end, d_end
        v_prev = float(v[-1])
    return _Kinematics(np.concatenate(pieces), np.concatenate(dirs), bounds, seg_dist)


# ----------------------------------------------------------------------------- routes
def oval_xy(s_m: FloatArray, *, rotation_rad: float = 0.0) -> tuple[FloatArray, FloatArray]:
    """Positions on lane 1 of a 400 m oval at distance ``s_m`` along it [m east, m north].

    The oval is centred on the origin; ``s = 0`` is the start of the bottom
    straight and the runner goes anticlockwise (infield on the left): bottom
    straight eastwards, east bend, top straight westwards, west bend.
    """
    s = np.mod(np.asarray(s_m, dtype=np.float64), LANE1_LENGTH_M)
    half = TRACK_STRAIGHT_M / 2
    r = LANE1_RADIUS_M
    bend = math.pi * r
    x = np.empty_like(s)
    y = np.empty_like(s)
    a = s < TRACK_STRAIGHT_M
    x[a], y[a] = -half + s[a], -r
    b = (s >= TRACK_STRAIGHT_M) & (s < TRACK_STRAIGHT_M + bend)
    th = (s[b] - TRACK_STRAIGHT_M) / r - math.pi / 2
    x[b], y[b] = half + r * np.cos(th), r * np.sin(th)
    c = (s >= TRACK_STRAIGHT_M + bend) & (s < 2 * TRACK_STRAIGHT_M + bend)
    x[c], y[c] = half - (s[c] - TRACK_STRAIGHT_M - bend), r
    d = s >= 2 * TRACK_STRAIGHT_M + bend
    th = (s[d] - 2 * TRACK_STRAIGHT_M - bend) / r + math.pi / 2
    x[d], y[d] = -half + r * np.cos(th), r * np.sin(th)
    if rotation_rad:
        cr, sr = math.cos(rotation_rad), math.sin(rotation_rad)
        x, y = cr * x - sr * y, sr * x + cr * y
    return x, y


def _road(
    p: FloatArray, rng: np.random.Generator, *, hill_start_m: float | None = None, grade_pct: float = 0.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A meandering road parameterised by distance ``p`` [m]: (x east, y north, elevation) [m]."""
    step = 4.0  # route resolution [m]: bends have radii of hundreds of metres
    lo = math.floor(float(p.min()) / step) * step - 2 * step
    hi = math.ceil(float(p.max()) / step) * step + 2 * step
    s = np.arange(lo, hi + step / 2, step, dtype=np.float64)
    ph = rng.uniform(0, 2 * math.pi, size=6)
    h0 = rng.uniform(0, 2 * math.pi)
    heading = (
        h0
        + 0.9 * np.sin(2 * math.pi * s / 1900 + ph[0])
        + 0.5 * np.sin(2 * math.pi * s / 650 + ph[1])
        + 0.2 * np.sin(2 * math.pi * s / 240 + ph[2])
    )
    if hill_start_m is not None:
        # the hill is a straight road
        heading = np.where(s >= hill_start_m, heading[np.searchsorted(s, hill_start_m)], heading)
    gx = np.cumsum(np.cos(heading)) * step
    gy = np.cumsum(np.sin(heading)) * step
    i0 = int(np.searchsorted(s, 0.0))
    gx -= gx[i0]
    gy -= gy[i0]
    elev = 60.0 + 6.0 * np.sin(2 * math.pi * s / 2100 + ph[3]) + 2.5 * np.sin(2 * math.pi * s / 720 + ph[4])
    if hill_start_m is not None:
        elev = 60.0 + 1.0 * np.sin(2 * math.pi * s / 900 + ph[5])
        e0 = float(np.interp(hill_start_m, s, elev))
        elev = np.where(s >= hill_start_m, e0 + (s - hill_start_m) * grade_pct / 100.0, elev)
    return np.interp(p, s, gx), np.interp(p, s, gy), np.interp(p, s, elev)


def enu_to_latlon(
    x_m: FloatArray, y_m: FloatArray, lat0_deg: float, lon0_deg: float
) -> tuple[FloatArray, FloatArray]:
    """Local east/north offsets [m] around (lat0, lon0) to degrees (equirectangular, exact enough under ~20 km)."""
    lat = lat0_deg + np.degrees(y_m / EARTH_RADIUS_M)
    lon = lon0_deg + np.degrees(x_m / (EARTH_RADIUS_M * math.cos(math.radians(lat0_deg))))
    return lat, lon


# ----------------------------------------------------------------------------- recording
def _quantise(x: FloatArray, step: float, offset: float = 0.0) -> FloatArray:
    return np.asarray(np.round((x + offset) / step) * step - offset, dtype=np.float64)


_SESSION_KIND = {
    "track_4x400": "intervals",
    "track_8x200": "intervals",
    "track_6x800": "intervals",
    "track_4x1200": "intervals",
    "track_mixed": "intervals",
    "mile_time_trial": "time_trial",
    "fartlek": "intervals",
    "threshold_2x2mi": "threshold",
    "tempo": "threshold",
    "combo": "threshold",
    "easy_strides": "strides",
    "hill_sprints": "hill_sprints",
    "hill_repeats": "hill_repeats",
    "easy": "easy",
    "long": "long",
    "ride": "ride",
}
"""Session kind of each template (what a coach would call the day)."""

_MOTION_RECOVERY_KIND = {"walk": "walk", "stand": "stand"}


def simulate(
    template: str,
    seed: int = 0,
    goal_mile_s: float = 330.0,
    recording: str = "every_second",
    speed_source: str = "gps",
    laps: str = "workout",
    auto_pause: bool = False,
    gps_sigma_m: float = 2.5,
    treadmill: bool = False,
    start: str | float | datetime = "2026-05-02T13:01:07Z",
    duration_s: float | None = None,
    *,
    elevation_source: str = "baro",
    power: bool = False,
    gps_dropouts: int = 0,
    utc_offset_s: float = 0.0,
    name: str | None = None,
) -> SynthSession:
    """Simulate one recorded session with exact ground truth.

    Parameters
    ----------
    template
        A key of :data:`~milepace.synth.TEMPLATES` (or ``"ride"`` for a non-run).
    seed
        Seed of every random choice; the same arguments give the same session.
    goal_mile_s
        Goal mile time [s]; all paces derive from it (see :mod:`milepace.synth.workouts`).
    recording
        ``every_second`` or ``smart`` (keeps changes, 1–7 s gaps where speed is steady).
    speed_source
        ``gps`` (distance from smoothed noisy positions, Doppler speed) or
        ``footpod`` (speed and distance from a footpod calibrated 1–4 % off).
    laps
        ``workout`` (one lap per workout step, with workout steps), ``manual``
        (presses at each effort's start and end, 0–2.5 s late, 6 % missed),
        ``auto_km``, ``auto_mile`` or ``none`` (one lap).
    auto_pause
        Drop records while standing and log timer stop/start.
    gps_sigma_m
        Standard deviation of the slow GPS drift [m].
    treadmill
        No positions, footpod speed, ``sub_sport="treadmill"``.
    start
        Start instant (ISO 8601, Unix seconds or an aware datetime).
    duration_s
        Total length [s] for ``easy``, ``easy_strides`` and ``long``.
    elevation_source
        ``baro`` (smooth, slowly drifting) or ``gps`` (noisy).
    power
        Also record running power [W].
    gps_dropouts
        Number of 10–25 s spans with no position fix.
    utc_offset_s
        Local time minus UTC [s].
    name
        Activity name (defaults to the template's).

    Returns
    -------
    SynthSession

    Examples
    --------
    >>> s = simulate("track_6x800", seed=1)
    >>> [round(e.distance_m, 3) for e in s.efforts]
    [800.0, 800.0, 800.0, 800.0, 800.0, 800.0]
    """
    factory = TEMPLATES.get(template) or EXTRA_TEMPLATES.get(template)
    if factory is None:
        raise UsageError(f"unknown template {template!r}; expected one of {', '.join(TEMPLATES)}")
    if recording not in ("every_second", "smart"):
        raise UsageError(f"recording must be 'every_second' or 'smart', got {recording!r}")
    if speed_source not in ("gps", "footpod"):
        raise UsageError(f"speed_source must be 'gps' or 'footpod', got {speed_source!r}")
    if laps not in ("workout", "manual", "auto_km", "auto_mile", "none"):
        raise UsageError(f"laps must be workout, manual, auto_km, auto_mile or none, got {laps!r}")
    if elevation_source not in ("baro", "gps"):
        raise UsageError(f"elevation_source must be 'baro' or 'gps', got {elevation_source!r}")
    if not goal_mile_s or goal_mile_s < 180 or goal_mile_s > 1200:
        raise UsageError(f"goal_mile_s must be a mile time between 180 and 1200 s, got {goal_mile_s!r}")
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), sum(map(ord, template))]))
    t0 = parse_start(start)
    plan = factory(Paces(goal_mile_s), rng, duration_s)
    is_ride = template == "ride"
    if treadmill:
        if plan.path in ("track", "hill"):
            raise UsageError(
                f"template {template!r} needs a track or a hill and cannot be run on a treadmill"
            )
        speed_source = "footpod"
    path = "treadmill" if treadmill else plan.path

    kin = _kinematics(plan, rng)
    v = kin.v
    n_sec = len(v)
    inst = np.arange(n_sec + 1, dtype=np.float64)
    true_d = np.concatenate([[0.0], np.cumsum(v)])
    route_p = np.concatenate([[0.0], np.cumsum(v * kin.direction)])
    s_inst = np.concatenate([[v[0] * 0.5], 0.5 * (v[:-1] + v[1:]), [v[-1] * 0.5]])

    # ---- path
    x = y = elev_true = None
    if path == "track":
        rot = float(rng.uniform(0, math.pi))
        x, y = oval_xy(route_p + float(rng.uniform(0, LANE1_LENGTH_M)), rotation_rad=rot)
        elev_true = np.full(n_sec + 1, 52.0)
    elif path in ("road", "hill"):
        hill_start = None
        if path == "hill":
            # the hill starts where the warm-up ends
            hill_start = float(np.interp(kin.bounds[0][1], inst, route_p))
        x, y, elev_true = _road(route_p, rng, hill_start_m=hill_start, grade_pct=plan.grade_pct)
    else:
        elev_true = np.full(n_sec + 1, 35.0)

    # ---- auto-pause and smart recording masks (on instants 0..n_sec)
    stopped = s_inst < 0.3
    paused = np.zeros(n_sec + 1, dtype=bool)
    pause_spans: list[tuple[int, int]] = []
    if auto_pause:
        st, en = _runs(stopped)
        for a, b in zip(st, en, strict=True):
            if b - a >= 4 and b <= n_sec:
                paused[a + 2 : b] = True
                pause_spans.append((int(a + 2), int(b)))
    keep = np.ones(n_sec + 1, dtype=bool)
    if recording == "smart":
        keep[:] = False
        gaps = rng.integers(1, 8, size=n_sec + 1)
        grid = np.cumsum(gaps)
        keep[grid[grid <= n_sec]] = True
        change = np.abs(np.diff(s_inst, prepend=s_inst[0])) > 0.3
        keep |= change
        keep[[0, n_sec]] = True
        for a, b in pause_spans:
            keep[a - 1] = True
            keep[b] = True
    keep &= ~paused
    idx = np.flatnonzero(keep)

    # ---- recorded channels at 1 Hz (then subsampled)
    lat = lon = None
    dev_d: FloatArray
    if x is not None and y is not None:
        ex = _ar1(rng, n_sec + 1, 45.0, gps_sigma_m * 0.9) + rng.normal(0.0, gps_sigma_m * 0.25, n_sec + 1)
        ey = _ar1(rng, n_sec + 1, 45.0, gps_sigma_m * 0.9) + rng.normal(0.0, gps_sigma_m * 0.25, n_sec + 1)
        settle = 4.0 * gps_sigma_m * np.exp(-inst / 15.0)
        ang = rng.uniform(0, 2 * math.pi)
        nx = x + ex + settle * math.cos(ang)
        ny = y + ey + settle * math.sin(ang)
        lat, lon = enu_to_latlon(nx, ny, ORIGIN_LAT_DEG, ORIGIN_LON_DEG)
        if speed_source == "gps":
            w = np.ones(5) / 5
            sx = np.convolve(np.pad(nx, 2, mode="edge"), w, mode="valid")
            sy = np.convolve(np.pad(ny, 2, mode="edge"), w, mode="valid")
            step = np.hypot(np.diff(sx), np.diff(sy))
            step[step < 0.4] = 0.0
            step[paused[1:]] = 0.0
            dev_d = np.concatenate([[0.0], np.cumsum(step)])
        for _ in range(gps_dropouts):
            a = int(rng.integers(60, max(61, n_sec - 60)))
            b = min(n_sec, a + int(rng.integers(10, 26)))
            lat[a:b] = np.nan
            lon[a:b] = np.nan
    calib = 1.0
    if speed_source == "footpod" or x is None:
        calib = 1.0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(0.01, 0.04))
        jitter = 1.0 + _ar1(rng, n_sec, 20.0, 0.01)
        per_sec = v * calib * jitter
        per_sec[paused[1:]] = 0.0
        dev_d = np.concatenate([[0.0], np.cumsum(per_sec)])
        spd = np.concatenate([[0.0], per_sec]) * 0.5 + np.concatenate([per_sec, [0.0]]) * 0.5
    else:
        spd = s_inst * (1.0 + _ar1(rng, n_sec + 1, 5.0, 0.015)) + rng.normal(0.0, 0.05, n_sec + 1)
        spd[s_inst < 0.2] = 0.0
    spd = np.clip(spd, 0.0, None)

    if elevation_source == "baro" or x is None:
        elev = elev_true + float(rng.uniform(-5, 5)) + np.cumsum(rng.normal(0.0, 0.01, n_sec + 1))
    else:
        elev = elev_true + float(rng.uniform(-8, 8)) + _ar1(rng, n_sec + 1, 120.0, 4.0)

    v_mile = METERS_PER_MILE / goal_mile_s
    effort_frac = np.clip(s_inst / (1.1 * v_mile * (2.5 if is_ride else 1.0)), 0.0, 1.0)
    hr_target = 62.0 + 128.0 * effort_frac**0.8 + 0.002 * inst
    # the heart starts from rest (72 bpm for a minute before the start) and lags effort
    rest = np.full(60, 72.0)
    hr = _exp_filter(np.concatenate([rest, hr_target]), 22.0)[60:] + rng.normal(0.0, 0.8, n_sec + 1)
    hr = np.clip(np.round(hr), 40, 220)
    # the strap's beat stream: a sample at every beat (beats accumulate at hr / 60 per second)
    beats = np.concatenate([[0.0], np.cumsum(0.5 * (hr[:-1] + hr[1:]) / 60.0)])
    beat_t = np.interp(np.arange(1.0, beats[-1]), beats, inst)
    beat_bpm = np.round(np.interp(beat_t, inst, hr))

    cad: FloatArray | None = None
    if not is_ride:
        gait = np.where(
            s_inst < 0.3, 0.0, np.where(s_inst < 2.0, 100.0 + 15.0 * s_inst, 145.0 + 8.0 * s_inst)
        )
        cad = np.where(gait > 0, gait + _ar1(rng, n_sec + 1, 4.0, 1.2), 0.0)
        cad = np.clip(cad, 0.0, 254.0)
    pw: FloatArray | None = None
    if power:
        pw = np.asarray(
            np.round(np.clip(76.0 * s_inst * (1.0 + _ar1(rng, n_sec + 1, 5.0, 0.03)), 0.0, None)),
            dtype=np.float64,
        )

    # ---- quantise to the FIT resolution and subsample
    def sub(a: FloatArray | None) -> FloatArray | None:
        return None if a is None else np.asarray(a[idx], dtype=np.float64)

    time_s = t0 + inst[idx]
    lat_q = lon_q = None
    if lat is not None and lon is not None:
        lat_q = sub(np.round(lat / SEMICIRCLES_TO_DEG) * SEMICIRCLES_TO_DEG)
        lon_q = sub(np.round(lon / SEMICIRCLES_TO_DEG) * SEMICIRCLES_TO_DEG)
    dist_q = sub(_quantise(dev_d, 0.01))
    spd_q = sub(_quantise(spd, 0.001))
    elev_q = sub(_quantise(elev, 0.2, 500.0))
    hr_q = sub(hr)
    cad_q = sub(np.round(cad * 64.0) / 64.0) if cad is not None else None
    pw_q = sub(pw)

    # ---- truth
    def d_at(t: float) -> float:
        return float(np.interp(t, inst, true_d))

    efforts: list[TruthEffort] = []
    effort_seg: list[int] = []
    for j, seg in enumerate(plan.segments):
        if seg.effort is None:
            continue
        a, b = kin.bounds[j]
        dist = kin.seg_distance_m[j]
        efforts.append(
            TruthEffort(seg.effort, t0 + a, t0 + b, dist, (b - a) / dist * METERS_PER_MILE, seg.label)
        )
        effort_seg.append(j)
    recoveries: list[TruthRecovery] = []
    for i in range(len(efforts) - 1):
        a = efforts[i].end_s - t0
        b = efforts[i + 1].start_s - t0
        if b - a < 0.5:
            continue
        time_by_kind: dict[str, float] = {}
        for j in range(effort_seg[i] + 1, effort_seg[i + 1]):
            sa, sb = kin.bounds[j]
            kind = _MOTION_RECOVERY_KIND.get(plan.segments[j].motion, "jog")
            time_by_kind[kind] = time_by_kind.get(kind, 0.0) + (sb - sa)
        kind = max(time_by_kind, key=lambda k: time_by_kind[k]) if time_by_kind else "jog"
        recoveries.append(TruthRecovery(i, t0 + a, t0 + b, b - a, d_at(b) - d_at(a), kind))

    # ---- laps
    steps, seg_step = _workout_steps(plan, kin) if laps == "workout" else (None, None)
    lap_list = _laps(laps, plan, kin, seg_step, steps, efforts, t0, n_sec, dev_d, pause_spans, rng)

    if is_ride:
        sport, sub_sport = "cycling", "road"
    elif treadmill:
        sport, sub_sport = "running", "treadmill"
    elif path == "track":
        sport, sub_sport = "running", "track"
    else:
        sport, sub_sport = "running", "street"

    device = {
        "recording": recording,
        "speed_source": speed_source,
        "laps": laps,
        "auto_pause": auto_pause,
        "gps_sigma_m": gps_sigma_m if lat is not None else None,
        "elevation_source": "baro" if x is None else elevation_source,
        "footpod_calibration": calib if calib != 1.0 else None,
        "gps_dropouts": gps_dropouts,
    }
    return SynthSession(
        template=template,
        name=name or plan.name,
        description=plan.description,
        seed=int(seed),
        goal_mile_s=float(goal_mile_s),
        sport=sport,
        sub_sport=sub_sport,
        path=path,
        device=device,
        time_s=time_s,
        lat_deg=lat_q,
        lon_deg=lon_q,
        distance_m=dist_q,
        speed_m_s=spd_q,
        elevation_m=elev_q,
        heart_rate_bpm=hr_q,
        cadence_spm=cad_q,
        power_w=pw_q,
        laps=tuple(lap_list),
        pauses=tuple(SynthPause(t0 + a, t0 + b) for a, b in pause_spans),
        workout_steps=tuple(steps) if steps is not None else None,
        efforts=tuple(efforts),
        recoveries=tuple(recoveries),
        true_distance_m=float(true_d[-1]),
        utc_offset_s=float(utc_offset_s),
        kind=_SESSION_KIND.get(template, "easy"),
        hr_beat_time_s=t0 + beat_t,
        hr_beat_bpm=beat_bpm,
    )


_INTENSITY = {
    "warmup": "warmup",
    "work": "active",
    "recovery": "rest",
    "cooldown": "cooldown",
    "easy": "active",
}


def _workout_steps(plan: Plan, kin: _Kinematics) -> tuple[list[WorkoutStep], list[int]]:
    """Group segments into workout steps: each effort its own step; other segments merge by role."""
    groups: list[list[int]] = []
    segs = plan.segments
    for j, seg in enumerate(segs):
        if (
            not groups
            or seg.effort is not None
            or segs[j - 1].effort is not None
            or seg.role != segs[j - 1].role
        ):
            groups.append([j])
        else:
            groups[-1].append(j)
    steps: list[WorkoutStep] = []
    seg_step = [0] * len(segs)
    for i, g in enumerate(groups):
        first = segs[g[0]]
        for j in g:
            seg_step[j] = i
        intensity = "active" if first.effort is not None else _INTENSITY[first.role]
        if all(segs[j].distance_m is not None for j in g):
            dtype, value = "distance", float(sum(segs[j].distance_m or 0.0 for j in g))
        elif all(segs[j].duration_s is not None for j in g):
            dtype, value = "time", float(sum(segs[j].duration_s or 0.0 for j in g))
        else:
            dtype, value = "open", None
        lo = hi = None
        if first.effort is not None:
            lo, hi = round(first.speed_m_s * 0.97, 3), round(first.speed_m_s * 1.03, 3)
        name = first.label or {"warmup": "Warm up", "cooldown": "Cool down", "recovery": "Recover"}.get(
            first.role, "Run"
        )
        steps.append(WorkoutStep(i, name, intensity, dtype, value, lo, hi))
    return steps, seg_step


def _laps(
    mode: str,
    plan: Plan,
    kin: _Kinematics,
    seg_step: list[int] | None,
    steps: list[WorkoutStep] | None,
    efforts: list[TruthEffort],
    t0: float,
    n_sec: int,
    dev_d: FloatArray,
    pause_spans: list[tuple[int, int]],
    rng: np.random.Generator,
) -> list[SynthLap]:
    cuts: list[int] = []
    lap_step: dict[int, int] = {0: 0}
    if mode == "workout" and seg_step is not None:
        for j in range(1, len(plan.segments)):
            if seg_step[j] != seg_step[j - 1]:
                c = math.ceil(kin.bounds[j][0] - 1e-9)
                cuts.append(c)
                lap_step[c] = seg_step[j]
    elif mode == "manual":
        for e in efforts:
            for t in (e.start_s - t0, e.end_s - t0):
                if rng.random() >= 0.06:
                    cuts.append(round(t + rng.uniform(0.0, 2.5)))
    elif mode in ("auto_km", "auto_mile"):
        unit = 1000.0 if mode == "auto_km" else METERS_PER_MILE
        marks = np.arange(unit, dev_d[-1], unit)
        cuts = [int(c) for c in np.searchsorted(dev_d, marks)]
    cuts = sorted({c for c in cuts if 0 < c < n_sec})
    edges = [0, *cuts, n_sec]
    laps: list[SynthLap] = []
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        paused = sum(max(0, min(b, pe) - max(a, ps)) for ps, pe in pause_spans)
        wkt: int | None = None
        if mode == "workout" and steps is not None:
            step = steps[lap_step.get(a, 0)]
            trig = {"distance": "distance", "time": "time"}.get(step.duration_type, "manual")
            inten, wkt = step.intensity, step.step_index
        else:
            trig = {"manual": "manual", "auto_km": "distance", "auto_mile": "distance"}.get(
                mode, "session_end"
            )
            inten = "active"
        if i == len(edges) - 2:
            trig = "session_end"
        laps.append(
            SynthLap(
                start_s=t0 + a,
                end_s=t0 + b,
                timer_s=float(b - a - paused),
                distance_m=round(float(dev_d[b] - dev_d[a]), 2),
                trigger=trig,
                intensity=inten,
                wkt_step_index=wkt,
            )
        )
    return laps
