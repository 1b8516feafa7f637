"""The canonical :class:`Activity` every reader returns.

An Activity is a frozen dataclass holding three DataFrames and its metadata.
Column names carry their units. A channel the file does not record is
*absent* from ``records`` (never a column of zeros); a value the device did
not record at one instant is NaN.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

RECORD_COLUMNS: tuple[str, ...] = (
    "lat_deg",
    "lon_deg",
    "distance_m",
    "speed_m_s",
    "elevation_m",
    "heart_rate_bpm",
    "cadence_spm",
    "power_w",
)
"""Record channels in canonical order; a file may have any subset of them."""

LAP_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "elapsed_s",
    "timer_s",
    "distance_m",
    "trigger",
    "intensity",
    "wkt_step_index",
)
"""Lap columns: ``start``/``end`` are UTC timestamps (end = start + elapsed)."""

LAP_TRIGGERS: tuple[str, ...] = ("manual", "time", "distance", "position", "session_end", "unknown")
LAP_INTENSITIES: tuple[str, ...] = ("active", "rest", "warmup", "cooldown", "recovery", "interval", "other")

PAUSE_COLUMNS: tuple[str, ...] = ("start", "end", "duration_s", "source")
"""Pause spans: ``source`` is ``timer`` (FIT timer stop/start events) or ``gap`` (a gap in GPX/TCX times)."""

WORKOUT_STEP_COLUMNS: tuple[str, ...] = (
    "step_index",
    "name",
    "intensity",
    "duration_type",
    "duration_value",
    "target_type",
    "target_low",
    "target_high",
)
"""FIT workout steps: ``duration_value`` is seconds for time steps and metres for distance
steps; ``target_low/high`` are speeds in m/s for speed targets."""


@dataclass(frozen=True)
class ActivityMeta:
    """What the file says about itself.

    Attributes
    ----------
    source
        Path as given (``archive.zip!member`` for archive members).
    format
        ``fit``, ``gpx`` or ``tcx``.
    sport, sub_sport
        Lower-case names (``running``/``track``, ``running``/``treadmill``,
        ``cycling``/``generic``…); ``None`` when the file does not say.
    manufacturer, product
        Device maker and model as the file names them.
    name
        Activity name (GPX ``<name>``, Strava ``activities.csv``).
    utc_offset_s
        Local time minus UTC at the start [s], when the file records it.
    decoder
        Which decoder produced the data (``fit-fast``, ``fitdecode``, ``lxml``).
    extra
        Anything else worth keeping (Strava activity id and type, archive member…).
    """

    source: str
    format: str
    sport: str | None = None
    sub_sport: str | None = None
    manufacturer: str | None = None
    product: str | None = None
    name: str | None = None
    utc_offset_s: float | None = None
    decoder: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Activity:
    """One recorded session.

    Attributes
    ----------
    records
        Samples on a sorted, unique, tz-aware UTC ``DatetimeIndex`` named
        ``time``; columns are a subset of :data:`RECORD_COLUMNS` (float64).
    laps
        One row per lap with :data:`LAP_COLUMNS` (may be empty).
    pauses
        Timer stop/start spans with :data:`PAUSE_COLUMNS` (may be empty).
    meta
        :class:`ActivityMeta`.
    workout_steps
        FIT workout steps with :data:`WORKOUT_STEP_COLUMNS`, or ``None``.
    warnings
        Data-quality problems found while reading (also issued as
        :class:`~milepace.errors.DataQualityWarning`), shown in reports.
    """

    records: pd.DataFrame
    laps: pd.DataFrame
    pauses: pd.DataFrame
    meta: ActivityMeta
    workout_steps: pd.DataFrame | None = None
    warnings: tuple[str, ...] = ()

    # ------------------------------------------------------------------ summaries
    @property
    def start(self) -> pd.Timestamp | None:
        """First record time (UTC), or ``None`` for an empty activity."""
        return self.records.index[0] if len(self.records) else None

    @property
    def end(self) -> pd.Timestamp | None:
        """Last record time (UTC), or ``None`` for an empty activity."""
        return self.records.index[-1] if len(self.records) else None

    @property
    def elapsed_s(self) -> float:
        """Wall-clock span from first to last record [s]."""
        if len(self.records) < 2:
            return 0.0
        return float((self.records.index[-1] - self.records.index[0]).total_seconds())

    @property
    def paused_s(self) -> float:
        """Total time the timer was stopped [s]."""
        if self.pauses.empty:
            return 0.0
        return float(self.pauses["duration_s"].sum())

    @property
    def timer_s(self) -> float:
        """Elapsed time less timer pauses [s]."""
        return max(0.0, self.elapsed_s - self.paused_s)

    @property
    def distance_m(self) -> float:
        """Total distance [m]: the device's cumulative distance when present, else from positions."""
        recs = self.records
        if "distance_m" in recs:
            d = recs["distance_m"].to_numpy(dtype=np.float64)
            d = d[~np.isnan(d)]
            if len(d):
                return float(d[-1] - d[0]) if len(d) > 1 else 0.0
        if "lat_deg" in recs and "lon_deg" in recs:
            from .geo import path_distance_m

            return float(np.nansum(path_distance_m(recs["lat_deg"].to_numpy(), recs["lon_deg"].to_numpy())))
        return 0.0

    @property
    def channels(self) -> tuple[str, ...]:
        """Record channels that hold at least one value."""
        return tuple(c for c in self.records.columns if self.records[c].notna().any())

    @property
    def is_run(self) -> bool:
        """True unless the file says it is some sport other than running/walking/generic."""
        sport = (self.meta.sport or "").lower()
        return sport in ("", "running", "run", "generic", "walking", "hiking", "trail_running", "treadmill")

    def with_(self, **changes: Any) -> Activity:
        """Return a copy with some fields replaced (the dataclass is frozen)."""
        return dataclasses.replace(self, **changes)


def _new_empty_laps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start": pd.Series([], dtype="datetime64[ns, UTC]"),
            "end": pd.Series([], dtype="datetime64[ns, UTC]"),
            "elapsed_s": pd.Series([], dtype="float64"),
            "timer_s": pd.Series([], dtype="float64"),
            "distance_m": pd.Series([], dtype="float64"),
            "trigger": pd.Series([], dtype="object"),
            "intensity": pd.Series([], dtype="object"),
            "wkt_step_index": pd.Series([], dtype="Int64"),
        }
    )


def _new_empty_pauses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start": pd.Series([], dtype="datetime64[ns, UTC]"),
            "end": pd.Series([], dtype="datetime64[ns, UTC]"),
            "duration_s": pd.Series([], dtype="float64"),
            "source": pd.Series([], dtype="object"),
        }
    )


_EMPTY_LAPS = _new_empty_laps()
_EMPTY_PAUSES = _new_empty_pauses()


def empty_laps() -> pd.DataFrame:
    """A laps DataFrame with the canonical columns and no rows (a copy of one built once)."""
    return _EMPTY_LAPS.copy()


def empty_pauses() -> pd.DataFrame:
    """A pauses DataFrame with the canonical columns and no rows (a copy of one built once)."""
    return _EMPTY_PAUSES.copy()


def validate(activity: Activity) -> None:
    """Assert the invariants every reader promises (used by tests and after reading).

    Raises ``AssertionError`` with a sentence naming the broken invariant.
    """
    recs = activity.records
    idx = recs.index
    assert isinstance(idx, pd.DatetimeIndex), "records index must be a DatetimeIndex"
    assert str(idx.tz) == "UTC", f"records index must be UTC, found {idx.tz}"
    assert idx.is_monotonic_increasing, "records must be sorted by time"
    assert idx.is_unique, "record timestamps must be unique"
    unknown = set(recs.columns) - set(RECORD_COLUMNS)
    assert not unknown, f"unknown record columns {sorted(unknown)}"
    if "speed_m_s" in recs:
        assert not (recs["speed_m_s"] < 0).any(), "speeds must not be negative"
    if "distance_m" in recs:
        assert not (recs["distance_m"] < 0).any(), "distances must not be negative"
    missing = set(LAP_COLUMNS) - set(activity.laps.columns)
    assert not missing, f"laps lack columns {sorted(missing)}"
    missing = set(PAUSE_COLUMNS) - set(activity.pauses.columns)
    assert not missing, f"pauses lack columns {sorted(missing)}"
