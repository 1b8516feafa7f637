"""Parameters of the detector, in one keyword-only dataclass.

Every threshold is relative to the session's own speeds or comes from the
physics of running; the defaults were measured on simulated sessions with
known truth (``../shared/corpus``) and checked for robustness, not tuned to
any one file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class DetectConfig:
    """Detector parameters (units in the names).

    Attributes
    ----------
    max_fill_gap_s
        Longest gap between records that is filled by interpolation while
        the runner keeps moving (smart recording writes a point every 1–7 s) [s].
    stand_speed_m_s
        Below this mean speed across a longer gap the gap is a pause (auto-pause
        while standing), not a dropout [m/s].
    moving_speed_m_s
        Samples slower than this are "not moving" when the easy speed is estimated [m/s].
    target_noise_m_s
        Residual speed noise the short smoothing window aims for; the window
        grows with the measured noise of the raw speed [m/s].
    fast_window_s, slow_window_s
        Shortest short-scale and the long-scale smoothing windows [s].
    max_fast_window_s
        Longest short-scale window (very noisy position-derived speed) [s].
    enter_frac, exit_frac
        Hysteresis: an effort starts where the short-scale speed rises above
        ``v_easy + enter_frac·(v_top − v_easy)`` and lasts while it stays above
        ``v_easy + exit_frac·(v_top − v_easy)`` [fraction].
    min_margin_frac
        The entry threshold is at least this fraction above the easy speed, so
        an even easy run produces nothing [fraction].
    min_exit_frac
        Least exit threshold above the easy speed for short efforts [fraction].
    long_enter_frac, long_exit_frac
        Hysteresis above the easy speed on the long-scale speed, for long
        efforts (threshold runs sit only ~10 % above easy) [fraction].
    long_min_s
        Shortest effort found on the long scale [s].
    easy_cadence_pct
        Percentile of the running cadence taken as the easy cadence when too
        few seconds are run at the easy speed [%].
    easy_ends_frac
        Share of the moving time at each end (warm-up, cool-down) whose median
        speed caps the easy speed [fraction].
    easy_band_frac
        Seconds within this fraction of the easy speed give the easy cadence [fraction].
    cadence_long_enter_spm, cadence_long_exit_spm
        Hysteresis above the easy cadence on the long-scale cadence, for long
        efforts whose speed is too noisy to trust (position-only speed) [steps/min].
    min_cadence_rise_spm
        Least rise of the mean cadence over the easy cadence for an effort,
        when cadence is recorded [steps/min].
    min_effort_s
        Shortest effort kept (hill sprints are 8–10 s) [s].
    merge_gap_s
        Two efforts separated by less than this are one (track bends, GPS noise) [s].
    bridge_speed_ratio
        Two efforts split only by a recording dropout are joined when the
        speed across the dropout is at least this share of theirs [ratio].
    split_min_side_s
        A sustained pace change splits an effort only when both parts last at
        least this long (so a finishing kick is not a separate effort) [s].
    split_min_change_frac
        Relative speed change that counts as a sustained change [fraction].
    split_min_cadence_spm, split_max_sse_ratio
        A sustained cadence change of at least ``split_min_cadence_spm`` splits
        an effort when a step explains the long-scale cadence clearly better
        than a steady drift (residual ratio below ``split_max_sse_ratio``) [steps/min, ratio].
    split_max_speed_noise_m_s
        Speed alone splits an effort only when its 1 Hz noise is below this
        (device or footpod speed, not positions) [m/s].
    trim_window_s, trim_min_cadence_spm, trim_min_speed_frac
        An effort's ends are trimmed to the midpoint between its own level and
        that of the ``trim_window_s`` seconds beyond when they differ by at
        least ``trim_min_cadence_spm`` (cadence) or ``trim_min_speed_frac``
        of the effort's speed [s, steps/min, fraction].
    boundary_search_s
        Half-width of the window in which each boundary is moved to the onset
        of the speed or cadence change [s].
    repeat_slow_frac, repeat_min_recovery_s
        A recovery between repeats is slower than ``repeat_slow_frac`` of the
        easy speed (or paused) for at least ``repeat_min_recovery_s`` [fraction, s].
    repeat_max_s, repeat_contrast, repeat_min_count, repeat_max_recovery_s
        A repeat lasts at most ``repeat_max_s``, is ``repeat_contrast`` times
        faster than the recoveries on both sides, comes in a set of at least
        ``repeat_min_count`` with recoveries under ``repeat_max_recovery_s`` [s, ratio, count, s].
    repeat_baseline_s, repeat_cadence_rise_spm, repeat_speed_contrast, repeat_duration_ratio
        Cadence-found repeats: rolling-median window of the local cadence
        level, least rise above it, least speed ratio over the seconds
        either side, and the most a set member's duration may differ from the
        set's median (the first stride out of easy running rises less above
        its surroundings and is found shorter) [s, steps/min, ratio, ratio].
    stride_max_s
        Longest stride [s] (strides are about 8–40 s).
    set_spot_radius_m, set_min_speed_ratio
        A hill repeat added to a set starts within ``set_spot_radius_m`` of
        the spot the others start from, finishes near where they finish, and
        is at least ``set_min_speed_ratio`` of their median speed or has their
        cadence within ``set_cadence_tol_spm`` [m, ratio, steps/min].
    hill_min_grade
        Mean grade over an effort that makes it a hill repeat (issue 4:
        sustained grade of about 4 % or more), raised by twice the elevation
        noise over the run (:func:`~milepace.detect.hills.climbs`) [fraction].
    hill_min_gain_m
        Least climb over a hill repeat (and at least twice the gain's noise) [m].
    baro_noise_m
        Elevation whose 1 Hz noise is below this is trusted for grades
        (barometric); noisier (GPS) elevation is not [m].
    climb_speed_ratio
        A short effort slower than this multiple of the easy speed, though
        the cadence rose, is a climb when the elevation cannot say [ratio].
    stride_min_build
        A stride spends at least this share of its time building to 90 % of
        its peak speed [fraction].
    lap_snap_iou
        Temporal IoU above which a structured-workout lap replaces the
        detected boundaries [fraction].
    snap_tolerance_frac
        A track rep within this fraction of a standard distance is snapped to it [fraction].
    device_distance_sd_frac
        Scatter of a device-measured rep distance (GPS or footpod, 1–2 %) when
        no track could be fitted to positions [fraction].
    stand_speed_recovery_m_s, walk_speed_m_s, walk_cadence_spm
        Recovery kinds: standing below ``stand_speed_recovery_m_s``; walking
        below ``walk_speed_m_s`` and ``walk_cadence_spm`` (the walk–run
        transition is about 2 m/s and 140 steps/min) [m/s, steps/min].
    """

    max_fill_gap_s: float = 10.0
    stand_speed_m_s: float = 0.5
    moving_speed_m_s: float = 1.0
    target_noise_m_s: float = 0.12
    fast_window_s: int = 3
    max_fast_window_s: int = 11
    slow_window_s: int = 15
    enter_frac: float = 0.35
    exit_frac: float = 0.2
    min_margin_frac: float = 0.25
    min_exit_frac: float = 0.1
    long_enter_frac: float = 0.08
    long_exit_frac: float = 0.04
    long_min_s: float = 45.0
    easy_cadence_pct: float = 30.0
    easy_ends_frac: float = 0.15
    easy_band_frac: float = 0.08
    cadence_long_enter_spm: float = 4.5
    cadence_long_exit_spm: float = 2.5
    min_cadence_rise_spm: float = 2.5
    min_effort_s: float = 6.0
    merge_gap_s: float = 6.0
    bridge_speed_ratio: float = 0.85
    split_min_side_s: float = 60.0
    split_min_change_frac: float = 0.07
    split_min_cadence_spm: float = 2.0
    split_max_sse_ratio: float = 0.65
    split_max_speed_noise_m_s: float = 0.25
    boundary_search_s: int = 6
    trim_window_s: float = 15.0
    trim_min_cadence_spm: float = 4.0
    trim_min_speed_frac: float = 0.1
    stride_max_s: float = 40.0
    set_spot_radius_m: float = 15.0
    set_min_speed_ratio: float = 0.85
    set_cadence_tol_spm: float = 4.0
    repeat_slow_frac: float = 0.8
    repeat_min_recovery_s: int = 4
    repeat_max_s: float = 150.0
    repeat_contrast: float = 1.3
    repeat_min_count: int = 3
    repeat_max_recovery_s: float = 240.0
    repeat_baseline_s: int = 121
    repeat_cadence_rise_spm: float = 4.0
    repeat_speed_contrast: float = 1.1
    repeat_duration_ratio: float = 2.5
    hill_min_grade: float = 0.04
    baro_noise_m: float = 0.3
    climb_speed_ratio: float = 1.2
    stride_min_build: float = 0.3
    hill_min_gain_m: float = 1.0
    lap_snap_iou: float = 0.5
    snap_tolerance_frac: float = 0.05
    device_distance_sd_frac: float = 0.015
    stand_speed_recovery_m_s: float = 0.5
    walk_speed_m_s: float = 2.0
    walk_cadence_spm: float = 140.0
