"""Recovery checks: was the recovery after a rep as long as planned, and the planned kind?

Length: a recovery written as a distance (``400m jog``) is judged on the
distance covered, one written as a time (``90s stand``) on its wall-clock
duration; ``full`` must last at least the documented minimum and ``walk
down`` has no length to meet. Kind: ``jog`` needs a jog, ``walk`` a walk,
``stand`` standing; ``walk down``/``jog down`` accept walking, jogging or a
mix (the point is to get back to the bottom), not standing. Tolerances are
in :mod:`milepace.report.tolerance`.

Heart-rate drop, when heart rate was recorded: the mean over the last 5 s of
the effort less the mean over the last 5 s of the recovery, and the drop
after 60 s (mean over 55–65 s after the effort ended), the usual one-minute
heart-rate recovery.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..detect.model import Effort, Recovery
from ..plan.model import PlannedRep, RecoverySpec
from ..units import format_duration
from ._records import NS_PER_S, RecordArrays
from .tolerance import Tolerance

_ACCEPTED_KINDS: dict[str, frozenset[str]] = {
    "jog": frozenset({"jog"}),
    "walk": frozenset({"walk"}),
    "stand": frozenset({"stand"}),
    "walk down": frozenset({"walk", "jog", "mixed"}),
    "jog down": frozenset({"walk", "jog", "mixed"}),
}
_PAST_TENSE = {"jog": "jogged", "walk": "walked", "stand": "stood", "mixed": "mixed"}
HR_WINDOW_S = 5.0
"""Width of the windows heart rate is averaged over [s]."""


@dataclass(frozen=True)
class RecoveryCheck:
    """One recovery, measured and judged against the plan.

    Attributes
    ----------
    after_effort_index
        The effort this recovery follows (1-based).
    start, end
        UTC instants of the recovery.
    duration_s, distance_m, paused_s
        What detection measured [s], [m], [s].
    kind
        ``jog``, ``walk``, ``stand`` or ``mixed``.
    planned
        The recovery as written in the plan (``400m jog``), or ``None``.
    planned_distance_m, planned_duration_s
        What the plan asked for [m], [s] (NaN when not given).
    planned_kind
        Planned kind, or ``None`` (any kind).
    min_s, max_s, min_m, max_m
        The accepted range for the length (NaN where it does not apply).
    length_verdict
        ``ok``, ``short``, ``long``, or ``no plan``.
    kind_ok
        Whether the kind matched the plan (``None`` when the plan names no kind).
    verdict
        ``ok``, or what was off (``short``, ``long``, ``walked``, ``stood``,
        ``jogged``, ``mixed``, joined by ``, ``), or ``no plan``.
    hr_end_effort_bpm, hr_end_recovery_bpm, hr_drop_bpm, hr_drop_60s_bpm
        Heart rate at the end of the effort and of the recovery, their
        difference, and the one-minute drop [bpm] (NaN without heart rate).
    """

    after_effort_index: int
    start: pd.Timestamp
    end: pd.Timestamp
    duration_s: float
    distance_m: float
    paused_s: float
    kind: str
    planned: str | None = None
    planned_distance_m: float = math.nan
    planned_duration_s: float = math.nan
    planned_kind: str | None = None
    min_s: float = math.nan
    max_s: float = math.nan
    min_m: float = math.nan
    max_m: float = math.nan
    length_verdict: str = "no plan"
    kind_ok: bool | None = None
    verdict: str = "no plan"
    hr_end_effort_bpm: float = math.nan
    hr_end_recovery_bpm: float = math.nan
    hr_drop_bpm: float = math.nan
    hr_drop_60s_bpm: float = math.nan

    def to_frame(self) -> pd.DataFrame:
        """A one-row frame, indexed by the effort the recovery follows."""
        return pd.DataFrame.from_records([self.__dict__]).set_index("after_effort_index")

    def describe(self) -> str:
        """``2:01 402 m jog`` — what a coach reads."""
        return f"{format_duration(self.duration_s, decimals=0)} {self.distance_m:.0f} m {self.kind}"


def check_recovery(
    effort: Effort,
    recovery: Recovery,
    planned: RecoverySpec | None = None,
    *,
    planned_rep: PlannedRep | None = None,
    records: pd.DataFrame | RecordArrays | None = None,
    tolerance: Tolerance | None = None,
) -> RecoveryCheck:
    """Measure one recovery and judge it against the plan.

    Parameters
    ----------
    effort
        The effort the recovery follows.
    recovery
        What detection measured.
    planned
        The recovery the plan asks for after this rep, or ``None``.
    planned_rep
        The planned rep (for ``full``: at least 3 × its expected time).
    records
        The activity's records, for heart rate (or a
        :class:`~milepace.report._records.RecordArrays` over them).
    tolerance
        Verdict tolerances.

    Returns
    -------
    RecoveryCheck
    """
    tol = tolerance or Tolerance()
    hr = _heart_rate(effort, recovery, RecordArrays.of(records) if records is not None else None)
    base = {
        "after_effort_index": effort.index,
        "start": recovery.start,
        "end": recovery.end,
        "duration_s": float(recovery.duration_s),
        "distance_m": float(recovery.distance_m),
        "paused_s": float(recovery.paused_s),
        "kind": recovery.kind,
        **hr,
    }
    if planned is None:
        return RecoveryCheck(**base)  # type: ignore[arg-type]

    min_s = max_s = min_m = max_m = math.nan
    length = "ok"
    if planned.continuous:
        max_s = tol.continuous_max_s
        length = "long" if recovery.duration_s > max_s else "ok"
    elif planned.full:
        rep_s = planned_rep.expected_duration_s if planned_rep is not None else None
        if rep_s is None:
            rep_s = effort.duration_s
        min_s = max(tol.full_recovery_min_s, tol.full_recovery_rep_factor * rep_s)
        length = "short" if recovery.duration_s < min_s else "ok"
    elif planned.distance_m is not None:
        allow = max(tol.recovery_distance_frac * planned.distance_m, tol.recovery_distance_min_m)
        min_m, max_m = planned.distance_m - allow, planned.distance_m + allow
        length = _judge(recovery.distance_m, min_m, max_m)
    elif planned.duration_s is not None:
        allow = max(tol.recovery_time_frac * planned.duration_s, tol.recovery_time_min_s)
        min_s, max_s = planned.duration_s - allow, planned.duration_s + allow
        length = _judge(recovery.duration_s, min_s, max_s)

    kind_ok: bool | None = None
    if planned.kind is not None:
        kind_ok = recovery.kind in _ACCEPTED_KINDS[planned.kind]
    problems = [] if length == "ok" else [length]
    if kind_ok is False:
        problems.append(_PAST_TENSE.get(recovery.kind, recovery.kind))
    return RecoveryCheck(
        **base,  # type: ignore[arg-type]
        planned=planned.text,
        planned_distance_m=math.nan if planned.distance_m is None else planned.distance_m,
        planned_duration_s=math.nan if planned.duration_s is None else planned.duration_s,
        planned_kind=planned.kind,
        min_s=min_s,
        max_s=max_s,
        min_m=min_m,
        max_m=max_m,
        length_verdict=length,
        kind_ok=kind_ok,
        verdict=", ".join(problems) if problems else "ok",
    )


def _judge(value: float, low: float, high: float) -> str:
    if not math.isfinite(value):
        return "ok"
    if value < low:
        return "short"
    if value > high:
        return "long"
    return "ok"


def window_mean(
    records: pd.DataFrame | RecordArrays | None, column: str, start: pd.Timestamp, end: pd.Timestamp
) -> float:
    """Mean of a record channel over ``[start, end)``; NaN when absent or empty.

    ``records`` may be the DataFrame or a :class:`~milepace.report._records.RecordArrays`
    over it (cheaper when many windows are read from the same records).
    """
    if records is None:
        return math.nan
    arrays = RecordArrays.of(records)
    if not arrays.has(column):
        return math.nan
    return arrays.mean(column, arrays.check_instant(start), arrays.check_instant(end))


def _heart_rate(effort: Effort, recovery: Recovery, records: RecordArrays | None) -> dict[str, float]:
    if records is None or not records.has("heart_rate_bpm"):
        end_effort = end_recovery = drop_60 = math.nan
    else:
        window_ns = round(HR_WINDOW_S * NS_PER_S)
        effort_end = records.check_instant(effort.end)
        recovery_end = records.check_instant(recovery.end)
        end_effort = records.mean("heart_rate_bpm", effort_end - window_ns, effort_end)
        end_recovery = records.mean("heart_rate_bpm", recovery_end - window_ns, recovery_end)
        drop_60 = math.nan
        if recovery.duration_s >= 65.0:
            at_60 = records.mean("heart_rate_bpm", effort_end + 55 * NS_PER_S, effort_end + 65 * NS_PER_S)
            drop_60 = end_effort - at_60
    return {
        "hr_end_effort_bpm": end_effort,
        "hr_end_recovery_bpm": end_recovery,
        "hr_drop_bpm": end_effort - end_recovery,
        "hr_drop_60s_bpm": drop_60,
    }
