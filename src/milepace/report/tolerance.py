"""How close is close enough: the tolerances behind every verdict in the session report.

The defaults are chosen the way a coach reads a session, not tuned to any file:

* **Reps**: on target within 1 s per 400 m of the target time (4.0 s/mile),
  never tighter than 1 s (the resolution of a watch recording once a second).
  An 800 m at mile pace is on target within ±2 s, a 200 m within ±1 s, a
  2-mile threshold rep within ±8 s.
* **Recoveries by distance** (``400m jog``): within ±15 % or ±30 m, whichever
  is larger (GPS measures a jog lap no better than that).
* **Recoveries by time** (``90s stand``): within ±20 % or ±10 s, whichever is
  larger (the runner starts the next rep when they see the clock).
* **Full recovery**: at least 2 minutes and at least 3 times the rep
  (a 200 m at mile pace, ~41 s, needs 2:03; a 10 s hill sprint 2:00).
* **Straight on** (reps inside a group): a gap of at most 15 s.
* **Time trials** (pacing plan of the mile-training guidance): lap 1 about
  1 s slower than the goal split (0 to +2 s); on goal pace by 800 m (within
  ±1 s cumulative); lap 3 held (no more than 1 s slower than the goal split);
  lap 4 built 100 m by 100 m (each 100 m no slower than the one before, with
  0.2 s of slack for timing noise).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..units import METERS_PER_MILE


@dataclass(frozen=True)
class Tolerance:
    """Tolerances for rep, recovery and time-trial verdicts (see the module docstring).

    Attributes
    ----------
    rep_s_per_400m
        Allowed |delta| per 400 m of rep [s].
    rep_min_s
        Smallest allowed |delta| for any rep [s].
    recovery_distance_frac, recovery_distance_min_m
        Allowed recovery distance error: fraction of the planned distance, and floor [m].
    recovery_time_frac, recovery_time_min_s
        Allowed recovery time error: fraction of the planned time, and floor [s].
    full_recovery_min_s, full_recovery_rep_factor
        "full" means at least this long [s] and at least this many times the rep.
    continuous_max_s
        Longest gap still "straight on" between reps of a group [s].
    trial_lap1_slow_s, trial_lap1_band_s
        Lap 1 should be ``trial_lap1_slow_s`` slower than the goal split, ± ``trial_lap1_band_s`` [s].
    trial_800m_band_s
        Allowed cumulative gap to goal pace at 800 m [s].
    trial_lap3_slack_s
        How much slower than the goal split lap 3 may be and still be "held" [s].
    trial_build_slack_s
        How much slower a last-lap 100 m may be than the previous one and still "build" [s].
    """

    rep_s_per_400m: float = 1.0
    rep_min_s: float = 1.0
    recovery_distance_frac: float = 0.15
    recovery_distance_min_m: float = 30.0
    recovery_time_frac: float = 0.20
    recovery_time_min_s: float = 10.0
    full_recovery_min_s: float = 120.0
    full_recovery_rep_factor: float = 3.0
    continuous_max_s: float = 15.0
    trial_lap1_slow_s: float = 1.0
    trial_lap1_band_s: float = 1.0
    trial_800m_band_s: float = 1.0
    trial_lap3_slack_s: float = 1.0
    trial_build_slack_s: float = 0.2

    def rep_allowance_s(self, distance_m: float) -> float:
        """Allowed |delta| for a rep of ``distance_m`` [s]."""
        if not distance_m or distance_m <= 0:
            return self.rep_min_s
        return max(self.rep_s_per_400m * distance_m / 400.0, self.rep_min_s)

    @property
    def rep_s_per_mile(self) -> float:
        """The rep tolerance as a pace [s/mile] (1 s per 400 m = 4.02 s/mile)."""
        return self.rep_s_per_400m * METERS_PER_MILE / 400.0
