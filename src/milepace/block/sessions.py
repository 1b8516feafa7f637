"""Session kinds: what a run was, from the detector's efforts and a few documented rules.

Every effort the detector calls an ``interval`` is put in a pace band
relative to the goal mile (:class:`PaceBands`):

* **interval band** — faster than a third of the way from interval (I) pace
  to threshold (T) pace: mile, 1500 m, 3K and 5K-pace reps;
* **threshold band** — from there down to T pace + 7 %; also any effort held
  for at least :attr:`SessionRules.threshold_long_effort_s` at a pace faster
  than that (nobody holds I pace for 8 minutes outside a race, so a long
  effort that GPS makes look fast is still a tempo); but an effort shorter
  than :attr:`SessionRules.threshold_min_effort_s` is interval work whatever
  its pace (nobody runs a 60 s threshold rep);
* slower efforts (marathon-pace pickups in a long run) count in neither.

T and I paces come from :func:`milepace.targets.paces.training_paces` (Daniels'
VDOT) when that module is available, else from fixed ratios to the goal mile
pace (the VDOT values at a 5:30 mile: T = 1.18 × mile pace, I = 1.086 ×,
3K = 1.063 ×).

A session's kind is decided in this order (first match wins):

1. ``time_trial`` — exactly one interval effort of
   :attr:`SessionRules.time_trial_min_m`–:attr:`SessionRules.time_trial_max_m`
   at no slower than goal-mile pace + :attr:`SessionRules.time_trial_pace_slack`
   (early in a block the athlete is not yet at goal fitness), or a name saying
   "time trial"/"TT" with one such effort at any pace; and at most
   :attr:`SessionRules.time_trial_max_other_hard_m` of other hard running
   (strides don't count).
2. ``race`` — the same with one longer effort at no slower than the goal pace
   extended to its distance by Riegel (exponent 1.06) +
   :attr:`SessionRules.race_pace_slack`, or a name saying "race"/"parkrun".
3. ``long`` — at least :attr:`SessionRules.long_min_m` with hard running
   under :attr:`SessionRules.long_max_work_fraction` of the distance (only the
   longest such run of a week stays ``long``: see
   :func:`milepace.block.weeks.one_long_run_per_week`).
4. ``hill_sprints`` / ``hill_repeats`` — at least
   :attr:`SessionRules.min_hill_efforts` hill efforts outnumbering the
   interval-band ones; sprints when their median is at most
   :attr:`SessionRules.hill_sprint_max_s`.
5. ``threshold`` / ``intervals`` — threshold-band distance at least
   :attr:`SessionRules.threshold_session_min_m`, or interval-band distance at
   least :attr:`SessionRules.interval_session_min_m`; the larger volume names it.
6. ``strides`` — at least :attr:`SessionRules.min_strides` strides. When every
   ``interval`` effort of a run is at most :attr:`SessionRules.stride_like_max_s`
   long, they count as strides: 10–30 s pickups are strides whatever side of
   the detector's stride/interval line they fell (an 8×200 m session's reps
   take 40 s at mile pace and stay intervals).
7. ``easy`` — everything else.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..units import METERS_PER_MILE
from .model import ActivityRow, EffortRow, FileResult

SESSION_KINDS: tuple[str, ...] = (
    "easy",
    "long",
    "threshold",
    "intervals",
    "strides",
    "hill_sprints",
    "hill_repeats",
    "time_trial",
    "race",
)

# Fallback ratios to goal-mile pace, from the Daniels–Gilbert equations at a 5:30 mile
# (VDOT 53.4): T is the pace at 88 % of VO2max (6:29.5/mi), I at 97.5 % (5:58.5/mi),
# 3K the predicted 3K race pace (5:50.9/mi). Used only when milepace.targets is unavailable.
THRESHOLD_RATIO = 1.18
INTERVAL_RATIO = 1.086
THREE_K_RATIO = 1.063
RIEGEL_EXPONENT = 1.06


@dataclass(frozen=True)
class PaceBands:
    """Paces [s/mile] that sort efforts into bands.

    Attributes
    ----------
    mile_s_per_mile
        Goal mile pace.
    threshold_s_per_mile, interval_s_per_mile, three_k_s_per_mile
        Threshold (T), interval (I) and 3K race pace.
    threshold_fast_limit_s_per_mile
        Efforts at least this fast are interval work: a third of the way from I to T.
    threshold_slow_limit_s_per_mile
        Efforts slower than this are not threshold work: T × 1.07.
    source
        ``training_paces`` (Daniels' VDOT via :mod:`milepace.targets`) or ``ratios``.
    """

    mile_s_per_mile: float
    threshold_s_per_mile: float
    interval_s_per_mile: float
    three_k_s_per_mile: float
    threshold_fast_limit_s_per_mile: float
    threshold_slow_limit_s_per_mile: float
    source: str

    def as_dict(self) -> dict[str, Any]:
        """The bands for the JSON document."""
        return {
            "mile_s_per_mile": self.mile_s_per_mile,
            "threshold_s_per_mile": self.threshold_s_per_mile,
            "interval_s_per_mile": self.interval_s_per_mile,
            "three_k_s_per_mile": self.three_k_s_per_mile,
            "threshold_fast_limit_s_per_mile": self.threshold_fast_limit_s_per_mile,
            "threshold_slow_limit_s_per_mile": self.threshold_slow_limit_s_per_mile,
            "source": self.source,
        }


FAST_LIMIT_FRACTION = 1.0 / 3.0
"""Where the interval band ends, as a fraction of the way from I to T pace. For a 5:30 miler (VDOT:
I 5:58/mi, T 6:30/mi, gap 31 s) the band ends at 6:09/mi: 5K-pace reps (6:04/mi, 18 % of the gap)
stay interval work, and threshold running that GPS measures a few % fast stays threshold."""

THRESHOLD_SLOW_SLACK = 0.07
"""Threshold band extends to T pace + 7 % (GPS error and a runner's day-to-day spread)."""


def pace_bands(goal_mile_s: float, *, use_training_paces: bool = True) -> PaceBands:
    """Pace bands for a goal mile time.

    Parameters
    ----------
    goal_mile_s
        Goal mile time [s].
    use_training_paces
        Take T, I and 3K paces from :func:`milepace.targets.paces.training_paces`
        when it is available; ``False`` forces the documented ratios.

    Examples
    --------
    >>> b = pace_bands(330.0, use_training_paces=False)
    >>> round(b.threshold_s_per_mile, 1), round(b.interval_s_per_mile, 1)   # 330 × 1.18, 330 × 1.086
    (389.4, 358.4)
    """
    threshold = interval = three_k = math.nan
    source = "ratios"
    if use_training_paces:
        threshold, interval, three_k = _from_training_paces(goal_mile_s)
        if all(math.isfinite(v) for v in (threshold, interval, three_k)):
            source = "training_paces"
    if source == "ratios":
        threshold = goal_mile_s * THRESHOLD_RATIO
        interval = goal_mile_s * INTERVAL_RATIO
        three_k = goal_mile_s * THREE_K_RATIO
    return PaceBands(
        mile_s_per_mile=goal_mile_s,
        threshold_s_per_mile=threshold,
        interval_s_per_mile=interval,
        three_k_s_per_mile=three_k,
        threshold_fast_limit_s_per_mile=interval + (threshold - interval) * FAST_LIMIT_FRACTION,
        threshold_slow_limit_s_per_mile=threshold * (1.0 + THRESHOLD_SLOW_SLACK),
        source=source,
    )


def _from_training_paces(goal_mile_s: float) -> tuple[float, float, float]:
    """T, I and 3K paces [s/mile] from the reporter's VDOT pace table, NaN when it is not available."""
    nan = (math.nan, math.nan, math.nan)
    try:
        from ..targets.paces import training_paces
    except ImportError:
        return nan
    try:
        table = training_paces(goal_mile_s=goal_mile_s)
        return (
            float(table.pace_s_per_mile("T")),
            float(table.pace_s_per_mile("I")),
            float(table.pace_s_per_mile("3k")),
        )
    except Exception:  # the pace table is optional here; the ratios stand in
        return nan


@dataclass(frozen=True)
class SessionRules:
    """Thresholds of the session-kind rules (see the module docstring for the order).

    Attributes
    ----------
    threshold_min_effort_s
        Shortest effort counted as threshold work [s] (Daniels' cruise intervals run 3–15 min).
    threshold_long_effort_s
        Efforts at least this long [s] that are faster than the threshold band's slow end are
        threshold work however fast they look (Daniels: I pace can be held 10–12 min all out).
    time_trial_min_m, time_trial_max_m
        Distance range of a time-trial effort [m] (a mile, with GPS error either side);
        a single race effort longer than ``time_trial_max_m`` is a race.
    time_trial_pace_slack
        How much slower than goal-mile pace a mile effort may be and still be a time trial (fraction).
    race_pace_slack
        How much slower than the goal pace extended by Riegel a longer all-out effort may be (fraction).
    time_trial_max_other_hard_m
        Most other interval-band running beside the time trial [m] (strides don't count).
    long_min_m
        Shortest long run [m] (9 mi: the guidance's ~10 mi less 10 %).
    long_max_work_fraction
        A run this long is still a long run when under this fraction of it is hard running.
    min_hill_efforts
        Hill efforts that make a hill session.
    hill_sprint_max_s
        Hill efforts up to this long [s] (median) are sprints, longer are repeats.
    threshold_session_min_m
        Threshold-band distance that makes a threshold session [m] (1 mi).
    interval_session_min_m
        Interval-band distance that makes an interval session [m] (800 m).
    min_strides
        Strides that make a strides session (and count toward the week's strides/hill sessions).
    stride_like_max_s
        A run whose interval efforts all last at most this long [s] has strides, not reps.
    """

    threshold_min_effort_s: float = 180.0
    threshold_long_effort_s: float = 480.0
    time_trial_min_m: float = 1400.0
    time_trial_max_m: float = 1800.0
    time_trial_pace_slack: float = 0.06
    race_pace_slack: float = 0.02
    time_trial_max_other_hard_m: float = 800.0
    long_min_m: float = 9 * METERS_PER_MILE
    long_max_work_fraction: float = 0.25
    min_hill_efforts: int = 3
    hill_sprint_max_s: float = 20.0
    threshold_session_min_m: float = METERS_PER_MILE
    interval_session_min_m: float = 800.0
    min_strides: int = 2
    stride_like_max_s: float = 30.0


def effort_band(
    effort: EffortRow, bands: PaceBands, rules: SessionRules, *, set_pace_s_per_mile: float | None = None
) -> str:
    """The band of one effort: ``interval``, ``threshold``, ``steady``, ``stride`` or ``hill``.

    ``set_pace_s_per_mile`` is the pace of the set the effort belongs to (see
    :func:`set_paces`); when given it decides the band instead of the rep's own
    pace, so one rep measured fast by GPS does not change sides alone.
    """
    if effort.kind == "stride":
        return "stride"
    if effort.kind == "hill_repeat":
        return "hill"
    pace = effort.pace_s_per_mile if set_pace_s_per_mile is None else set_pace_s_per_mile
    if not math.isfinite(pace):
        return "steady"
    if pace > bands.threshold_slow_limit_s_per_mile:
        return "steady"
    if effort.duration_s < rules.threshold_min_effort_s:
        return "interval"
    if pace > bands.threshold_fast_limit_s_per_mile or effort.duration_s >= rules.threshold_long_effort_s:
        return "threshold"
    return "interval"


SET_DISTANCE_RATIO = 1.25
"""Interval efforts whose distances are within this ratio of the shortest of a group form one set."""


def set_paces(efforts: tuple[EffortRow, ...] | list[EffortRow]) -> dict[int, float]:
    """Pace [s/mile] of the set each interval effort belongs to, by effort index.

    Efforts are grouped by distance (sorted, a new set whenever a distance
    exceeds :data:`SET_DISTANCE_RATIO` × the set's shortest): the ¾ mi and ¼ mi
    reps of a combo session are two sets, six 800s one. A set's pace is its
    total time over its total distance.
    """
    reps = sorted(
        (e for e in efforts if e.kind == "interval" and e.distance_m > 0), key=lambda e: e.distance_m
    )
    out: dict[int, float] = {}
    group: list[EffortRow] = []

    def close() -> None:
        distance = sum(e.distance_m for e in group)
        pace = sum(e.duration_s for e in group) / distance * METERS_PER_MILE
        for e in group:
            out[e.index] = pace

    for e in reps:
        if group and e.distance_m > SET_DISTANCE_RATIO * group[0].distance_m:
            close()
            group = []
        group.append(e)
    if group:
        close()
    return out


@dataclass(frozen=True)
class SessionFacts:
    """What the kind rules look at in one run (volumes in [m], counts)."""

    threshold_m: float
    interval_m: float
    interval_pace_s_per_mile: float
    interval_efforts: int
    strides: int
    hill_efforts: int
    hill_median_s: float
    time_trial: EffortRow | None


def session_facts(
    result: FileResult, bands: PaceBands, rules: SessionRules, *, name: str | None = None
) -> SessionFacts:
    """Band volumes, counts and the candidate time-trial effort of one run."""
    threshold_m = interval_m = interval_s = 0.0
    interval_efforts: list[EffortRow] = []
    strides = 0
    hills: list[float] = []
    paces = set_paces(result.efforts)
    reps = [e for e in result.efforts if e.kind == "interval"]
    stride_like = len(reps) >= rules.min_strides and all(
        e.duration_s <= rules.stride_like_max_s for e in reps
    )
    for e in result.efforts:
        if stride_like and e.kind == "interval":
            strides += 1
            continue
        band = effort_band(e, bands, rules, set_pace_s_per_mile=paces.get(e.index))
        if band == "threshold":
            threshold_m += e.distance_m
        elif band == "interval":
            interval_m += e.distance_m
            interval_s += e.duration_s
            interval_efforts.append(e)
        elif band == "stride":
            strides += 1
        elif band == "hill":
            hills.append(e.duration_s)
    pace = interval_s / interval_m * METERS_PER_MILE if interval_m > 0 else math.nan
    return SessionFacts(
        threshold_m=threshold_m,
        interval_m=interval_m,
        interval_pace_s_per_mile=pace,
        interval_efforts=len(interval_efforts),
        strides=strides,
        hill_efforts=len(hills),
        hill_median_s=statistics.median(hills) if hills else math.nan,
        time_trial=_time_trial_effort(result, bands, rules, name=name),
    )


def _time_trial_effort(
    result: FileResult, bands: PaceBands, rules: SessionRules, *, name: str | None = None
) -> EffortRow | None:
    """The one all-out effort of a time trial or race, or ``None``."""
    named = bool(name and (_TT_NAME.search(name) or _RACE_NAME.search(name)))
    candidates = []
    for e in result.efforts:
        if (
            e.kind != "interval"
            or e.distance_m < rules.time_trial_min_m
            or not math.isfinite(e.pace_s_per_mile)
        ):
            continue
        if e.distance_m <= rules.time_trial_max_m:
            limit = bands.mile_s_per_mile * (1.0 + rules.time_trial_pace_slack)
        else:
            riegel = (e.distance_m / METERS_PER_MILE) ** (RIEGEL_EXPONENT - 1.0)
            limit = bands.mile_s_per_mile * riegel * (1.0 + rules.race_pace_slack)
        if named or e.pace_s_per_mile <= limit:
            candidates.append(e)
    if len(candidates) != 1:
        return None
    tt = candidates[0]
    other = sum(
        e.distance_m
        for e in result.efforts
        if e is not tt and e.kind == "interval" and e.pace_s_per_mile <= bands.threshold_slow_limit_s_per_mile
    )
    return tt if other <= rules.time_trial_max_other_hard_m else None


_RACE_NAME = re.compile(r"\brace\b|\bparkrun\b|\bchampionships?\b|\bchamps\b", re.IGNORECASE)
_TT_NAME = re.compile(r"\btime[ -]?trial\b|\bTT\b", re.IGNORECASE)


def session_kind(
    result: FileResult, facts: SessionFacts, rules: SessionRules, *, name: str | None = None
) -> str:
    """The kind of one run (see the module docstring for the rules and their order)."""
    if facts.time_trial is not None:
        if facts.time_trial.distance_m > rules.time_trial_max_m or (name and _RACE_NAME.search(name)):
            return "race"
        return "time_trial"
    work_m = facts.threshold_m + facts.interval_m
    if result.distance_m >= rules.long_min_m and work_m < rules.long_max_work_fraction * result.distance_m:
        return "long"
    if facts.hill_efforts >= rules.min_hill_efforts and facts.hill_efforts > facts.interval_efforts:
        return "hill_sprints" if facts.hill_median_s <= rules.hill_sprint_max_s else "hill_repeats"
    is_threshold = facts.threshold_m >= rules.threshold_session_min_m
    is_interval = facts.interval_m >= rules.interval_session_min_m
    if is_threshold or is_interval:
        if is_threshold and (not is_interval or facts.threshold_m >= facts.interval_m):
            return "threshold"
        return "intervals"
    if facts.strides >= rules.min_strides:
        return "strides"
    return "easy"


# ---------------------------------------------------------------------- dates
_STRAVA_DATE_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",
    "%b %d, %Y, %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%d %b %Y, %H:%M:%S",
)


def parse_strava_date(text: str | None) -> datetime | None:
    """Parse the ``Activity Date`` of a Strava ``activities.csv`` (naive datetime), or ``None``.

    >>> parse_strava_date("Mar 2, 2026, 1:01:07 PM")
    datetime.datetime(2026, 3, 2, 13, 1, 7)
    """
    if not text:
        return None
    cleaned = " ".join(str(text).replace("\u202f", " ").split())
    for fmt in _STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
    return None


def local_start(
    result: FileResult, strava_date: str | None, *, block_offset_s: float | None = None
) -> tuple[datetime | None, str]:
    """The athlete's local start time (naive) and where it came from.

    In order: the file's own UTC offset (``file``); the Strava ``Activity Date``
    when it is a local wall time — within 14 h of the file's start but not equal
    to it, the offset being their difference rounded to 15 min (``strava``); the
    block's usual offset, taken from the files that record one (``block``: one
    athlete is usually in one time zone, and GPX files carry none); else UTC
    (``utc``; Strava's bulk export writes UTC, which says nothing more).
    """
    start = _parse_utc(result.start_utc)
    if start is not None and result.utc_offset_s is not None and math.isfinite(result.utc_offset_s):
        return (start + timedelta(seconds=result.utc_offset_s)).replace(tzinfo=None), "file"
    strava = parse_strava_date(strava_date)
    if strava is not None and start is None:
        return strava, "strava"
    if strava is not None and start is not None:
        offset_s = (strava - start.replace(tzinfo=None)).total_seconds()
        quarter = round(offset_s / 900.0) * 900.0
        if quarter != 0 and abs(offset_s) <= 14 * 3600:
            return (start + timedelta(seconds=quarter)).replace(tzinfo=None), "strava"
    if start is not None and block_offset_s is not None:
        return (start + timedelta(seconds=block_offset_s)).replace(tzinfo=None), "block"
    if start is not None:
        return start.replace(tzinfo=None), "utc"
    return None, "unknown"


def block_offset(results: list[FileResult]) -> float | None:
    """The most common UTC offset [s] among the files that record one (ties: the earliest seen)."""
    counts: dict[float, int] = {}
    for r in results:
        if r.utc_offset_s is not None and math.isfinite(r.utc_offset_s):
            counts[r.utc_offset_s] = counts.get(r.utc_offset_s, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _parse_utc(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def activity_row(
    result: FileResult,
    bands: PaceBands,
    rules: SessionRules,
    *,
    strava: dict[str, Any] | None = None,
    from_cache: bool = False,
    block_offset_s: float | None = None,
) -> ActivityRow:
    """Turn one analysed run into its block row: local date, name, session kind, band volumes."""
    strava = strava or {}
    start, basis = local_start(result, strava.get("date"), block_offset_s=block_offset_s)
    name = strava.get("name") or result.name
    facts = session_facts(result, bands, rules, name=name)
    kind = session_kind(result, facts, rules, name=name)
    tt = facts.time_trial
    verdicts: dict[str, int] = {}
    for e in result.efforts:
        if e.verdict:
            verdicts[e.verdict] = verdicts.get(e.verdict, 0) + 1
    duration_s = result.timer_s or result.elapsed_s
    return ActivityRow(
        source=result.source,
        content_hash=result.content_hash,
        date=start.date().isoformat() if start else "",
        start_local=start.isoformat(timespec="seconds") if start else None,
        date_basis=basis,
        name=name,
        kind=kind,
        distance_m=result.distance_m,
        duration_s=duration_s,
        pace_s_per_mile=duration_s / result.distance_m * METERS_PER_MILE
        if result.distance_m > 0
        else math.nan,
        threshold_m=facts.threshold_m,
        interval_m=facts.interval_m,
        interval_pace_s_per_mile=facts.interval_pace_s_per_mile,
        strides=facts.strides,
        hill_efforts=facts.hill_efforts,
        time_trial_s=tt.duration_s if tt is not None else math.nan,
        time_trial_m=tt.distance_m if tt is not None else math.nan,
        verdicts=verdicts,
        efforts=result.efforts,
        is_track=result.is_track,
        warnings=result.warnings,
        from_cache=from_cache,
    )
