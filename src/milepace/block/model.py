"""The objects a block check produces: per-file results, activities, weeks, checks.

:class:`FileResult` is what the per-file work returns (and what the cache
stores): plain values only, so it pickles for a process pool or a Dask worker
and round-trips through JSON. Everything else here is built from file results
in the parent process and is cheap to recompute. All of them are frozen
dataclasses with unit-suffixed fields; :class:`BlockReport` gathers them and
offers ``to_frame()``s and ``to_dict()`` (the ``--json`` document).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

FileStatus = Literal["ok", "error", "not_run"]
CheckStatus = Literal["pass", "warn", "skip"]

SCHEMA_VERSION = 1
"""Bumped whenever :class:`FileResult` changes shape or meaning; part of the cache key."""


@dataclass(frozen=True)
class EffortRow:
    """One detected effort, reduced to what the block needs.

    Attributes
    ----------
    index
        1-based position in the session.
    kind
        ``interval``, ``stride`` or ``hill_repeat`` (the detector's kind).
    start_utc
        ISO 8601 UTC instant the effort starts.
    duration_s, distance_m, pace_s_per_mile
        Time [s], best distance estimate [m] and pace [s/mile].
    elevation_gain_m, grade_pct
        Climb [m] and mean grade [%] (NaN when unknown).
    recovery_duration_s, recovery_distance_m, recovery_kind
        The recovery after it ([s], [m], ``jog``/``walk``/``stand``/``mixed``), or ``None``.
    verdict
        The reporter's verdict for the rep (``on target``, ``fast``, ``slow`` …) when available.
    delta_s_per_mile
        The reporter's pace delta against the rep's target [s/mile] when available.
    """

    index: int
    kind: str
    start_utc: str
    duration_s: float
    distance_m: float
    pace_s_per_mile: float
    elevation_gain_m: float = math.nan
    grade_pct: float = math.nan
    recovery_duration_s: float | None = None
    recovery_distance_m: float | None = None
    recovery_kind: str | None = None
    verdict: str | None = None
    delta_s_per_mile: float | None = None


@dataclass(frozen=True)
class FileResult:
    """What analysing one file gives: plain values, picklable and JSON-able.

    Attributes
    ----------
    source
        The file as named to the user (``export.zip!activities/1.fit.gz`` for archive members).
    content_hash
        XXH3-128 hex digest of the file's bytes as stored (the cache and duplicate key).
    status
        ``ok`` (a run, analysed), ``not_run`` (another sport: listed, skipped) or ``error``.
    error
        One sentence when ``status == "error"``.
    error_type
        Exception class name of the error.
    unexpected
        True when the error was not a :class:`~milepace.errors.MilepaceError` (a bug; never cached).
    warnings
        Data-quality notes from reading and analysis.
    format, sport, sub_sport, name
        From the file's own metadata.
    start_utc
        ISO 8601 UTC start of the first record.
    utc_offset_s
        Local time minus UTC [s] when the file records it.
    distance_m, elapsed_s, timer_s
        Total distance [m], wall-clock span [s] and span less timer pauses [s].
    is_track
        The detector recognised a 400 m track.
    efforts
        Detected efforts (with the reporter's verdicts where available).
    reporter
        True when verdicts came from :func:`milepace.session_report`.
    extra
        Other metadata the file carries (e.g. Strava fields from the registry).
    """

    source: str
    content_hash: str
    status: FileStatus
    error: str | None = None
    error_type: str | None = None
    unexpected: bool = False
    warnings: tuple[str, ...] = ()
    format: str | None = None
    sport: str | None = None
    sub_sport: str | None = None
    name: str | None = None
    start_utc: str | None = None
    utc_offset_s: float | None = None
    distance_m: float = 0.0
    elapsed_s: float = 0.0
    timer_s: float = 0.0
    is_track: bool = False
    efforts: tuple[EffortRow, ...] = ()
    reporter: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (NaN becomes ``None``)."""
        return _clean(self)  # like dataclasses.asdict, without its deep copies (a third of a cache write)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileResult:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["warnings"] = tuple(values.get("warnings") or ())
        efforts = []
        for e in values.get("efforts") or ():
            e = {k: (math.nan if v is None and k in _NAN_FIELDS else v) for k, v in e.items()}
            efforts.append(EffortRow(**e))
        values["efforts"] = tuple(efforts)
        values["extra"] = dict(values.get("extra") or {})
        return cls(**values)


_NAN_FIELDS = frozenset({"elevation_gain_m", "grade_pct", "pace_s_per_mile", "distance_m", "duration_s"})


@dataclass(frozen=True)
class ActivityRow:
    """One run in the block, with its session kind and weekly-volume contributions.

    Attributes
    ----------
    source, content_hash
        The file and its content hash.
    date
        Local calendar date (ISO ``YYYY-MM-DD``) in the athlete's time zone.
    start_local
        Local start time (ISO, no zone) when known.
    date_basis
        Where the local date came from: ``file`` (the file's UTC offset),
        ``strava`` (the export's ``Activity Date``), ``block`` (the block's usual
        offset) or ``utc``.
    name
        Activity name (Strava ``activities.csv`` or the file).
    kind
        Session kind: ``easy``, ``long``, ``threshold``, ``intervals``, ``strides``,
        ``hill_sprints``, ``hill_repeats``, ``time_trial`` or ``race``.
    distance_m, duration_s
        Total distance [m] and moving (timer) duration [s].
    pace_s_per_mile
        Average pace over the timer duration [s/mile].
    threshold_m, interval_m
        Distance of efforts in the threshold and interval pace bands [m].
    interval_pace_s_per_mile
        Distance-weighted pace of the interval-band efforts [s/mile] (NaN when none).
    strides, hill_efforts
        Counts of stride and hill-repeat efforts.
    time_trial_s, time_trial_m
        The time-trial/race effort's time [s] and distance [m] (NaN otherwise).
    verdicts
        Counts of the reporter's verdicts, e.g. ``{"on target": 4, "slow": 2}``.
    efforts
        The efforts themselves.
    warnings
        Data-quality notes.
    from_cache
        The result came from the cache.
    """

    source: str
    content_hash: str
    date: str
    start_local: str | None
    date_basis: str
    name: str | None
    kind: str
    distance_m: float
    duration_s: float
    pace_s_per_mile: float
    threshold_m: float
    interval_m: float
    interval_pace_s_per_mile: float
    strides: int
    hill_efforts: int
    time_trial_s: float
    time_trial_m: float
    verdicts: dict[str, int]
    efforts: tuple[EffortRow, ...]
    is_track: bool = False
    warnings: tuple[str, ...] = ()
    from_cache: bool = False


@dataclass(frozen=True)
class SkippedFile:
    """A file listed but not counted: another sport, or a duplicate.

    Attributes
    ----------
    source
        The file.
    reason
        ``not a run`` or ``duplicate``.
    detail
        The sport/type found, or which file it duplicates.
    date
        Local date when known.
    """

    source: str
    reason: str
    detail: str
    date: str | None = None


@dataclass(frozen=True)
class FileError:
    """A file that could not be analysed, with its one-line error."""

    source: str
    error: str
    error_type: str | None = None


@dataclass(frozen=True)
class TimeTrial:
    """A time trial or race in the block.

    Attributes
    ----------
    date, source, name
        When and which file.
    distance_m, time_s
        The effort's distance [m] and time [s].
    mile_equivalent_s
        The effort scaled to a mile [s]: by pace for 1,400–1,800 m efforts, by
        Riegel's formula (exponent 1.06) otherwise.
    change_s
        Change in mile equivalent vs the previous time trial [s] (negative is faster).
    vs_goal_s
        Mile equivalent minus the goal mile [s].
    kind
        ``time_trial`` or ``race``.
    """

    date: str
    source: str
    name: str | None
    distance_m: float
    time_s: float
    mile_equivalent_s: float
    change_s: float
    vs_goal_s: float
    kind: str = "time_trial"


@dataclass(frozen=True)
class WeekSummary:
    """One ISO week of the block (Monday to Sunday, athlete's local dates).

    Attributes
    ----------
    week
        ISO week label, e.g. ``2026-W10``.
    week_start
        Monday's date (ISO).
    days_in_block
        Days of this week inside the block's span (7 except possibly the first and last weeks).
    runs
        Number of runs.
    distance_m
        Total run distance [m].
    change_pct
        Change in distance vs the previous week [%] (NaN for the first week).
    long_run_m, long_run_source
        The longest run [m] and its file.
    threshold_m, threshold_sessions
        Threshold-band effort distance over all runs [m] and the number of ``threshold`` sessions.
    interval_m, interval_sessions
        Interval-band effort distance over all runs [m] and the number of ``intervals`` sessions.
    threshold_session_m, interval_session_m
        Threshold-band distance of the week's biggest ``threshold`` session and interval-band
        distance of its biggest ``intervals`` session [m] (what the guidance's 3–4 mi and 2–3 mi
        are about; 0 without such a session).
    interval_pace_s_per_mile, interval_vs_goal_s_per_mile
        Distance-weighted interval-band pace [s/mile] and its difference from goal-mile pace (NaN when none).
    strides_hill_sessions
        Sessions holding strides or hill sprints/repeats.
    rest_days
        Days of the week inside the block with no run.
    time_trials
        Time trials and races this week.
    kinds
        Count of sessions by kind.
    """

    week: str
    week_start: str
    days_in_block: int
    runs: int
    distance_m: float
    change_pct: float
    long_run_m: float
    long_run_source: str | None
    threshold_m: float
    threshold_sessions: int
    interval_m: float
    interval_sessions: int
    threshold_session_m: float
    interval_session_m: float
    interval_pace_s_per_mile: float
    interval_vs_goal_s_per_mile: float
    strides_hill_sessions: int
    rest_days: int
    time_trials: tuple[TimeTrial, ...] = ()
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """One guidance check, for a week or for the whole block.

    Attributes
    ----------
    scope
        ``week`` or ``block``.
    week
        ISO week label for week checks, ``None`` for block checks.
    rule
        Rule name (``weekly_distance``, ``mileage_increase``, ``long_run``, ``threshold``,
        ``intervals``, ``strides_hills``, ``rest_days``, ``time_trial``, ``files``).
    status
        ``pass``, ``warn`` or ``skip`` (not judged, e.g. a partial week).
    message
        One sentence a coach reads, e.g. ``week 5: no threshold session``.
    """

    scope: str
    week: str | None
    rule: str
    status: CheckStatus
    message: str


@dataclass(frozen=True)
class RunStats:
    """How the run went: files seen, analysed, from cache, failed, and wall time [s]."""

    files: int
    analysed: int
    from_cache: int
    failed: int
    skipped: int
    wall_s: float
    engine: str
    workers: int


@dataclass(frozen=True)
class BlockReport:
    """A training block checked against the mile-training guidance.

    Attributes
    ----------
    goal_mile_s
        Goal mile time [s].
    activities
        Runs, in date order (duplicates and non-runs excluded).
    weeks
        ISO weeks from the first run's week to the last, empty weeks included.
    checks
        Week checks (week order, rule order) then block checks.
    time_trials
        Time trials and races with the progression.
    skipped
        Non-runs and duplicates.
    errors
        Files that could not be analysed.
    stats
        Run statistics.
    paces
        The pace bands used [s/mile]: ``mile``, ``threshold``, ``interval``,
        ``threshold_fast_limit``, ``threshold_slow_limit``, and ``source``.
    """

    goal_mile_s: float
    activities: tuple[ActivityRow, ...]
    weeks: tuple[WeekSummary, ...]
    checks: tuple[Check, ...]
    time_trials: tuple[TimeTrial, ...]
    skipped: tuple[SkippedFile, ...]
    errors: tuple[FileError, ...]
    stats: RunStats
    paces: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every file was read (the CLI exits 1 otherwise)."""
        return not self.errors

    @property
    def status(self) -> CheckStatus:
        """``warn`` when any check warns, else ``pass``."""
        return "warn" if any(c.status == "warn" for c in self.checks) else "pass"

    # ------------------------------------------------------------------ frames
    def activities_frame(self) -> pd.DataFrame:
        """One row per run; units in the column names."""
        rows = []
        for a in self.activities:
            row = dataclasses.asdict(a)
            row.pop("efforts")
            row["efforts"] = len(a.efforts)
            row["verdicts"] = ", ".join(f"{n} {v}" for v, n in a.verdicts.items())
            row["warnings"] = "; ".join(a.warnings)
            rows.append(row)
        columns = [f.name for f in dataclasses.fields(ActivityRow)]
        return pd.DataFrame(rows, columns=columns)

    def efforts_frame(self) -> pd.DataFrame:
        """One row per effort of every run, with the run's source and date."""
        rows = []
        for a in self.activities:
            for e in a.efforts:
                rows.append(
                    {"source": a.source, "date": a.date, "session_kind": a.kind, **dataclasses.asdict(e)}
                )
        columns = ["source", "date", "session_kind"] + [f.name for f in dataclasses.fields(EffortRow)]
        return pd.DataFrame(rows, columns=columns)

    def weeks_frame(self) -> pd.DataFrame:
        """One row per ISO week; time trials as ``date time`` text, kinds as ``kind×n``."""
        rows = []
        for w in self.weeks:
            row = dataclasses.asdict(w)
            row["time_trials"] = "; ".join(
                f"{t.date} {t.time_s:.1f}s/{t.distance_m:.0f}m" for t in w.time_trials
            )
            row["kinds"] = ", ".join(f"{k}×{n}" for k, n in w.kinds.items())
            rows.append(row)
        columns = [f.name for f in dataclasses.fields(WeekSummary)]
        return pd.DataFrame(rows, columns=columns)

    def checks_frame(self) -> pd.DataFrame:
        """One row per check."""
        return pd.DataFrame(
            [dataclasses.asdict(c) for c in self.checks], columns=[f.name for f in dataclasses.fields(Check)]
        )

    def time_trials_frame(self) -> pd.DataFrame:
        """One row per time trial or race."""
        return pd.DataFrame(
            [dataclasses.asdict(t) for t in self.time_trials],
            columns=[f.name for f in dataclasses.fields(TimeTrial)],
        )

    def errors_frame(self) -> pd.DataFrame:
        """One row per file that failed."""
        return pd.DataFrame(
            [dataclasses.asdict(e) for e in self.errors],
            columns=[f.name for f in dataclasses.fields(FileError)],
        )

    def skipped_frame(self) -> pd.DataFrame:
        """One row per skipped file (non-runs and duplicates)."""
        return pd.DataFrame(
            [dataclasses.asdict(s) for s in self.skipped],
            columns=[f.name for f in dataclasses.fields(SkippedFile)],
        )

    def to_frame(
        self,
        table: Literal[
            "weeks", "activities", "efforts", "checks", "time_trials", "errors", "skipped"
        ] = "weeks",
    ) -> pd.DataFrame:
        """One of the report's tables as a DataFrame (always a DataFrame, whatever ``table``)."""
        frames = {
            "weeks": self.weeks_frame,
            "activities": self.activities_frame,
            "efforts": self.efforts_frame,
            "checks": self.checks_frame,
            "time_trials": self.time_trials_frame,
            "errors": self.errors_frame,
            "skipped": self.skipped_frame,
        }
        try:
            return frames[table]()
        except KeyError:
            raise ValueError(f"table must be one of {sorted(frames)}, got {table!r}") from None

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document: activities, weeks, checks, time trials, skipped, errors, stats."""
        doc = {
            "goal_mile_s": self.goal_mile_s,
            "status": self.status,
            "ok": self.ok,
            "paces": self.paces,
            "activities": [dataclasses.asdict(a) for a in self.activities],
            "weeks": [dataclasses.asdict(w) for w in self.weeks],
            "checks": [dataclasses.asdict(c) for c in self.checks],
            "time_trials": [dataclasses.asdict(t) for t in self.time_trials],
            "skipped": [dataclasses.asdict(s) for s in self.skipped],
            "errors": [dataclasses.asdict(e) for e in self.errors],
            "stats": dataclasses.asdict(self.stats),
        }
        return _clean(doc)


def _clean(value: Any) -> Any:
    """Make a structure JSON-safe: NaN/inf → None, tuples → lists, dataclasses → dicts."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
