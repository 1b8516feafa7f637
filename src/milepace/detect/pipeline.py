"""Run the detectors in order and build the :class:`~milepace.detect.model.Effort` list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from ..activity import Activity
from ..units import METERS_PER_MILE
from . import _stats
from .classify import classify
from .config import DetectConfig
from .hills import climb
from .intervals import refine_boundaries, split_sustained, trim_tails
from .laps import snap_to_steps, workout_work_spans
from .model import Effort, EffortKind
from .prepare import Prepared, prepare
from .recovery import make_recovery
from .repeats import cadence_repeats, contrast_repeats
from .segment import bridge_dropouts, candidate_spans
from .sets import complete_hill_sets
from .track import fit_track, lane1_distance_m, shrink_to_standard, snap_distance


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found.

    Attributes
    ----------
    efforts
        Efforts in time order with their recoveries.
    is_track
        The session was recognised as run on a 400 m track.
    prepared
        The 1 Hz arrays the detectors used.
    warnings
        Notes for the report.
    """

    efforts: tuple[Effort, ...]
    is_track: bool
    prepared: Prepared
    warnings: tuple[str, ...] = ()


_DEFAULT_CONFIG = DetectConfig()


def _stat(values: np.ndarray, fn: str) -> float:
    v = values[np.isfinite(values)]
    if not len(v):
        return float("nan")
    return float(v.sum() / len(v) if fn == "mean" else v.max())


def _median0(values: np.ndarray) -> float:
    """Median of the finite values, 0 when there are none (paused, standing)."""
    v = values[np.isfinite(values)]
    return _stats.median(v) if len(v) else 0.0


def detect(activity: Activity, config: DetectConfig | None = None) -> Detection:
    """Find the interval reps, strides and hill repeats in a run.

    Parameters
    ----------
    activity
        The run.
    config
        Detector parameters; defaults to :class:`DetectConfig()`.

    Returns
    -------
    Detection
    """
    cfg = config or _DEFAULT_CONFIG
    prep = prepare(activity, cfg)
    spans, speeds = candidate_spans(prep, cfg)
    for finder in (contrast_repeats(prep, speeds.easy_m_s, cfg), cadence_repeats(prep, cfg)):
        extra = [r for r in finder if not any(r[0] < b and a < r[1] for a, b in spans)]
        spans = sorted(spans + extra)
    spans = bridge_dropouts(spans, prep, cfg)
    spans = trim_tails(spans, prep, cfg)
    spans = split_sustained(spans, prep, cfg)
    spans = refine_boundaries(spans, prep, cfg)
    steps = workout_work_spans(activity, prep)
    confirmed = [False] * len(spans)
    if steps:
        spans, confirmed = snap_to_steps(spans, steps, cfg.lap_snap_iou)
    order = np.argsort([a for a, _ in spans], kind="stable")
    spans = [spans[i] for i in order]
    confirmed = [confirmed[i] for i in order]
    # no overlaps after refinement
    for i in range(1, len(spans)):
        if spans[i][0] < spans[i - 1][1]:
            spans[i] = (spans[i - 1][1], max(spans[i][1], spans[i - 1][1] + 1))
    kinds: list[str] = list(classify(spans, prep, cfg, speeds.easy_m_s))
    by_lap = {sp for sp, c in zip(spans, confirmed, strict=True) if c}
    spans, kinds = complete_hill_sets(spans, kinds, prep, cfg)
    confirmed = [sp in by_lap for sp in spans]

    warnings: list[str] = []
    is_track = (activity.meta.sub_sport or "").lower() == "track"
    fit = fit_track(prep)
    if fit is not None:
        is_track = True
    hr_s = np.zeros(0)
    hr_bpm = prep.heart_rate_bpm
    if hr_bpm is not None:
        if prep.record_s is not None:
            hr_s = prep.record_s  # (index ns - t0 ns) / 1e9, as below
        else:
            recs = activity.records
            hr_s = (pd.DatetimeIndex(recs.index).asi8 - prep.t0.value) / 1e9
    efforts: list[Effort] = []
    for i, ((a, b), kind) in enumerate(zip(spans, kinds, strict=True)):
        dur = float(b - a)
        measured = float(prep.distance_m[min(b, prep.n - 1)] - prep.distance_m[a])
        best = measured
        snapped = None
        lane1 = float("nan")
        if is_track and kind == "interval":
            lane1 = lane1_distance_m(prep, fit, a, b) if fit is not None else measured
            snapped = snap_distance(lane1, cfg.snap_tolerance_frac)
            best = snapped if snapped is not None else lane1
            if snapped is not None:
                # both ends of the span are on the 1 Hz grid: ±0.5 s uniform each
                boundary_sd = snapped / dur * np.sqrt(2.0 / 12.0)
                measure_sd = (
                    np.sqrt(2.0) * fit.rms_m if fit is not None else cfg.device_distance_sd_frac * measured
                )
                # the span starts at the first sample that leaves the recovery's speed: the
                # runner sets off from the line there and covers little ground in that first
                # fraction of a second; it ends at the first sample back below rep speed, and the
                # line was crossed somewhere in the second before, so on average the span runs
                # on by half a second at the rep's speed (corpus truth over snapped track reps:
                # +2.1 m over the standard at 4.2 m/s; perturbed synthetic set agrees: pace
                # error 3.05 -> 2.73 s/mi)
                v_out = _median0(prep.speed_m_s[a:b])
                expected = snapped + 0.5 * v_out
                best = shrink_to_standard(expected, lane1, boundary_sd, measure_sd)
        gain, grade = climb(prep, a, b, cfg.baro_noise_m)
        avg_hr = max_hr = float("nan")
        if hr_bpm is not None:
            seg = hr_bpm[np.searchsorted(hr_s, a) : np.searchsorted(hr_s, b - 1, side="right")]
            avg_hr, max_hr = _stat(seg, "mean"), _stat(seg, "max")
        recovery = None
        if i + 1 < len(spans):
            recovery = make_recovery(prep, b, spans[i + 1][0], cfg)
        efforts.append(
            Effort(
                index=i + 1,
                kind=cast(EffortKind, kind),
                start=prep.time_at(a),
                end=prep.time_at(b),
                duration_s=dur,
                distance_m=best,
                measured_distance_m=measured,
                pace_s_per_mile=dur / best * METERS_PER_MILE if best > 0 else float("nan"),
                snapped_distance_m=snapped,
                max_speed_m_s=_stat(prep.v_fast_m_s[a:b], "max"),
                elevation_gain_m=gain,
                grade_pct=100 * grade,
                avg_heart_rate_bpm=avg_hr,
                max_heart_rate_bpm=max_hr,
                avg_cadence_spm=_stat(prep.cadence_spm[a:b], "mean"),
                source="laps+speed" if confirmed[i] else "speed",
                recovery=recovery,
                extra={"lane1_distance_m": lane1},
            )
        )
    return Detection(tuple(efforts), is_track, prep, tuple(warnings))
