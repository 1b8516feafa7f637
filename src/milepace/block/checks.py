"""Checks of a block against the mile-training guidance, each with pass/warn per week and for the block.

The guidance (the mile-training plan the athletes follow): a 40–50 mi/week
aerobic base built up gradually; one long run of about 10 mi; one threshold
session a week with 3–4 mi at threshold; one interval session a week with
2–3 mi of reps at or near mile or 3K pace; strides or hill sprints once or
twice a week; a mile time trial every 4–6 weeks; rest days.

Every number below is a field of :class:`CheckConfig` and can be overridden
(``milepace block --rule weekly_min_mi=35``). The defaults and why:

=============================  ==========  =====================================================
rule                           default     meaning
=============================  ==========  =====================================================
``weekly_distance``            40–50 mi    week total outside the range warns
``mileage_increase``           +10 %       more than 10 % over the higher of the previous two
                                           weeks warns (the 10 % rule; comparing with the higher
                                           of two weeks lets a return from a cutback week pass)
``long_run``                   9–12 mi     longest run of the week; "about 10 mi" ± 10 %/20 %
``threshold``                  ≥ 1, 3–4 mi a ``threshold`` session whose threshold-band distance is
                                           3–4 mi ± 10 % (GPS and boundary error)
``intervals``                  ≥ 1, 2–3 mi an ``intervals`` session (a time trial or race that week
                                           stands in for it) with 2–3 mi ± 10 % of interval-band reps
                                           (the biggest such session of the week is judged)
``interval_pace``              3K + 5 s/mi interval-band reps no slower on average than 3K pace + 5 s/mi
``strides_hills``              1–2         sessions with strides or hill sprints
``rest_days``                  ≥ 1         days without a run
``time_trial`` (block)         4–6 weeks   gap between time trials (and from the last one to the
                                           end of the block, and from the start to the first)
                                           at most 6 weeks + 3 days, and at least 4 weeks − 3 days
``files`` (block)              0 failed    files that could not be read warn
=============================  ==========  =====================================================

Partial weeks (see :mod:`milepace.block.weeks`) are ``skip`` for every week rule.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import UsageError
from ..units import METERS_PER_MILE, format_duration, format_pace
from .model import Check, CheckStatus, FileError, TimeTrial, WeekSummary
from .sessions import PaceBands
from .weeks import BlockSpan

WEEK_RULES: tuple[str, ...] = (
    "weekly_distance",
    "mileage_increase",
    "long_run",
    "threshold",
    "intervals",
    "interval_pace",
    "strides_hills",
    "rest_days",
)
BLOCK_RULES: tuple[str, ...] = ("time_trial", "files")


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds of the guidance checks (see the module docstring's table).

    Distances are in miles because that is how the guidance is written; the
    checks convert with :data:`~milepace.units.METERS_PER_MILE`.
    """

    weekly_min_mi: float = 40.0
    weekly_max_mi: float = 50.0
    max_increase_pct: float = 10.0
    increase_reference_weeks: int = 2
    long_run_min_mi: float = 9.0
    long_run_max_mi: float = 12.0
    threshold_sessions_min: int = 1
    threshold_min_mi: float = 3.0
    threshold_max_mi: float = 4.0
    interval_sessions_min: int = 1
    interval_min_mi: float = 2.0
    interval_max_mi: float = 3.0
    volume_tolerance: float = 0.10
    interval_pace_tolerance_s_per_mile: float = 5.0
    time_trial_counts_as_intervals: bool = True
    strides_hills_min: int = 1
    strides_hills_max: int = 2
    rest_days_min: int = 1
    time_trial_min_weeks: float = 4.0
    time_trial_max_weeks: float = 6.0
    time_trial_slack_days: int = 3

    def with_overrides(self, overrides: dict[str, str]) -> CheckConfig:
        """A copy with fields set from ``name=value`` strings (the CLI's ``--rule``).

        Raises
        ------
        UsageError
            For an unknown field or a value of the wrong type.
        """
        fields = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, object] = {}
        for name, text in overrides.items():
            if name not in fields:
                raise UsageError(f"unknown rule setting {name!r}; known: {', '.join(sorted(fields))}")
            current = getattr(self, name)
            try:
                if isinstance(current, bool):
                    if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(text)
                    changes[name] = text.lower() in ("true", "1", "yes")
                elif isinstance(current, int):
                    changes[name] = int(text)
                else:
                    changes[name] = float(text)
            except ValueError:
                raise UsageError(
                    f"rule setting {name} needs a {type(current).__name__}, got {text!r}"
                ) from None
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _mi(distance_m: float) -> str:
    return f"{distance_m / METERS_PER_MILE:.1f} mi"


def _range_mi(lo: float, hi: float) -> str:
    return f"{lo:g}–{hi:g} mi"


def check_weeks(weeks: Sequence[WeekSummary], *, config: CheckConfig, bands: PaceBands) -> list[Check]:
    """Week checks, in week order and :data:`WEEK_RULES` order within a week."""
    out: list[Check] = []
    for i, w in enumerate(weeks):
        label = f"week {i + 1} ({w.week})"

        def add(rule: str, status: CheckStatus, text: str, *, w: WeekSummary = w, label: str = label) -> None:
            out.append(Check("week", w.week, rule, status, f"{label}: {text}"))

        if w.days_in_block < 7:
            for rule in WEEK_RULES:
                add(rule, "skip", f"partial week ({w.days_in_block} days in the block), not judged")
            continue
        # weekly distance
        lo, hi = config.weekly_min_mi * METERS_PER_MILE, config.weekly_max_mi * METERS_PER_MILE
        if w.distance_m < lo:
            add("weekly_distance", "warn", f"{_mi(w.distance_m)}, under {config.weekly_min_mi:g} mi")
        elif w.distance_m > hi:
            add("weekly_distance", "warn", f"{_mi(w.distance_m)}, over {config.weekly_max_mi:g} mi")
        else:
            add("weekly_distance", "pass", f"{_mi(w.distance_m)}")
        # mileage increase against the higher of the previous complete weeks
        previous = [
            (j, weeks[j])
            for j in range(max(0, i - config.increase_reference_weeks), i)
            if weeks[j].days_in_block == 7
        ]
        if not previous:
            add("mileage_increase", "skip", "no complete previous week to compare with")
        else:
            j, ref = max(previous, key=lambda p: p[1].distance_m)
            if ref.distance_m <= 0:
                add("mileage_increase", "skip", f"week {j + 1} had no running to compare with")
            else:
                change = (w.distance_m / ref.distance_m - 1.0) * 100.0
                status: CheckStatus = "warn" if change > config.max_increase_pct else "pass"
                add("mileage_increase", status, f"mileage {change:+.0f} % vs week {j + 1}")
        # long run
        lo, hi = config.long_run_min_mi * METERS_PER_MILE, config.long_run_max_mi * METERS_PER_MILE
        if w.long_run_m < lo:
            text = f"no long run (longest {_mi(w.long_run_m)}, guidance about 10 mi)"
            add("long_run", "warn", text if w.runs else "no long run (no runs)")
        elif w.long_run_m > hi:
            add("long_run", "warn", f"long run {_mi(w.long_run_m)}, over {config.long_run_max_mi:g} mi")
        else:
            add("long_run", "pass", f"long run {_mi(w.long_run_m)}")
        # threshold
        tol = config.volume_tolerance
        lo = config.threshold_min_mi * (1 - tol) * METERS_PER_MILE
        hi = config.threshold_max_mi * (1 + tol) * METERS_PER_MILE
        guidance = _range_mi(config.threshold_min_mi, config.threshold_max_mi)
        if w.threshold_sessions < config.threshold_sessions_min:
            add("threshold", "warn", "no threshold session")
        elif not lo <= w.threshold_session_m <= hi:
            add("threshold", "warn", f"{_mi(w.threshold_session_m)} at threshold (guidance {guidance})")
        else:
            add("threshold", "pass", f"{_mi(w.threshold_session_m)} at threshold")
        # intervals
        lo = config.interval_min_mi * (1 - tol) * METERS_PER_MILE
        hi = config.interval_max_mi * (1 + tol) * METERS_PER_MILE
        guidance = _range_mi(config.interval_min_mi, config.interval_max_mi)
        has_trial = bool(w.time_trials) and config.time_trial_counts_as_intervals
        if w.interval_sessions < config.interval_sessions_min:
            if has_trial:
                add("intervals", "pass", "time trial in place of the interval session")
            else:
                add("intervals", "warn", "no interval session")
        elif not lo <= w.interval_session_m <= hi:
            add("intervals", "warn", f"{_mi(w.interval_session_m)} of interval reps (guidance {guidance})")
        else:
            add("intervals", "pass", f"{_mi(w.interval_session_m)} of interval reps")
        # interval pace
        limit = bands.three_k_s_per_mile + config.interval_pace_tolerance_s_per_mile
        if w.interval_sessions < 1 or not math.isfinite(w.interval_pace_s_per_mile):
            add("interval_pace", "skip", "no interval reps to judge")
        elif w.interval_pace_s_per_mile > limit:
            add(
                "interval_pace",
                "warn",
                f"interval reps averaged {format_pace(w.interval_pace_s_per_mile)}, slower than 3K pace "
                f"{format_pace(bands.three_k_s_per_mile)}",
            )
        else:
            delta = w.interval_pace_s_per_mile - bands.mile_s_per_mile
            add(
                "interval_pace",
                "pass",
                f"interval reps averaged {format_pace(w.interval_pace_s_per_mile)} ({delta:+.0f} s/mi vs goal)",
            )
        # strides / hill sprints
        n = w.strides_hill_sessions
        if n < config.strides_hills_min:
            add("strides_hills", "warn", "no strides or hill sprints")
        elif n > config.strides_hills_max:
            add(
                "strides_hills",
                "warn",
                f"{n} strides/hill sessions (guidance {config.strides_hills_min}–{config.strides_hills_max})",
            )
        else:
            add("strides_hills", "pass", f"{n} strides/hill session{'s' if n != 1 else ''}")
        # rest days
        if w.rest_days < config.rest_days_min:
            add("rest_days", "warn", "no rest day")
        else:
            add("rest_days", "pass", f"{w.rest_days} rest day{'s' if w.rest_days != 1 else ''}")
    return out


def check_time_trials(trials: Sequence[TimeTrial], span: BlockSpan, *, config: CheckConfig) -> Check:
    """Whether time trials come every 4–6 weeks across the block (one block check)."""
    slack = config.time_trial_slack_days
    max_days = config.time_trial_max_weeks * 7 + slack
    min_days = config.time_trial_min_weeks * 7 - slack
    dates = sorted(date.fromisoformat(t.date) for t in trials if t.kind == "time_trial")
    problems: list[str] = []
    if not dates:
        if span.days > max_days:
            problems.append(f"no time trial in the block's {span.days / 7:.0f} weeks")
    else:
        lead = (dates[0] - span.start).days
        if lead > max_days:
            problems.append(f"no time trial in the first {lead / 7:.0f} weeks")
        for a, b in itertools.pairwise(dates):
            gap = (b - a).days
            if gap > max_days:
                problems.append(f"{gap / 7:.1f} weeks between the time trials of {a} and {b}")
            elif gap < min_days:
                problems.append(f"time trials of {a} and {b} only {gap / 7:.1f} weeks apart")
        tail = (span.end - dates[-1]).days
        if tail > max_days:
            problems.append(f"no time trial in the last {tail / 7:.0f} weeks")
    guidance = f"guidance: every {config.time_trial_min_weeks:g}–{config.time_trial_max_weeks:g} weeks"
    if problems:
        return Check("block", None, "time_trial", "warn", f"block: {'; '.join(problems)} ({guidance})")
    if not dates:
        return Check(
            "block", None, "time_trial", "pass", f"block: no time trial yet, block is short ({guidance})"
        )
    return Check("block", None, "time_trial", "pass", f"block: {len(dates)} time trial(s), {guidance}")


def check_block(
    weeks: Sequence[WeekSummary],
    week_checks: Sequence[Check],
    trials: Sequence[TimeTrial],
    errors: Sequence[FileError],
    span: BlockSpan | None,
    *,
    config: CheckConfig,
) -> list[Check]:
    """Block checks: each week rule summarised, the time-trial rhythm, and unreadable files."""
    out: list[Check] = []
    for rule in WEEK_RULES:
        judged = [c for c in week_checks if c.rule == rule and c.status != "skip"]
        if not judged:
            out.append(
                Check("block", None, rule, "skip", f"block: {rule.replace('_', ' ')}: no complete week")
            )
            continue
        warned = [c for c in judged if c.status == "warn"]
        status: CheckStatus = "warn" if warned else "pass"
        text = f"block: {rule.replace('_', ' ')}: {len(judged) - len(warned)} of {len(judged)} weeks pass"
        out.append(Check("block", None, rule, status, text))
    if span is not None:
        out.append(check_time_trials(trials, span, config=config))
    if errors:
        out.append(Check("block", None, "files", "warn", f"block: {len(errors)} file(s) could not be read"))
    else:
        out.append(Check("block", None, "files", "pass", "block: every file was read"))
    return out


def progression_text(trials: Sequence[TimeTrial]) -> str:
    """One line: the mile-equivalent times in order, e.g. ``5:41.2 → 5:36.0 (−5.2 s)``."""
    if not trials:
        return "no time trials"
    times = " → ".join(format_duration(t.mile_equivalent_s) for t in trials)
    if len(trials) > 1:
        total = trials[-1].mile_equivalent_s - trials[0].mile_equivalent_s
        return f"{times} ({total:+.1f} s)"
    return times
