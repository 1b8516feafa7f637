"""Set summaries: how even a set of reps was.

A set is the reps of one plan line (``6x800m@mile`` → one set; in
``4x(0.75mi@T, 0.25mi@mile)`` the T reps are one set and the mile reps
another). Without a plan, consecutive efforts of one kind whose distance or
duration is within 15 % of the set's first effort form a set, named by their
snapped distance (``6×800m``), by their time when the times agree within 2 %
and the distances do not (a fartlek: ``6×60s``), else by mean distance
(``6×~275m``). Sets of one rep are not summarised.

Per set: mean time, distance and pace; spread (slowest − fastest pace);
fade (last − first pace, positive when the runner slowed); evenness as the
coefficient of variation of pace (population standard deviation over mean,
in %); and, when the reps are the same distance (within 2 %), spread and
fade of the times themselves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .session import RepCheck

SIMILAR_FRAC = 0.15
"""Efforts within this fraction of the first one's distance or duration join its set (no plan)."""
SAME_DISTANCE_FRAC = 0.02
"""Reps within this fraction of each other's distance count as the same distance for time spread."""


@dataclass(frozen=True)
class SetSummary:
    """Consistency of one set of reps.

    Attributes
    ----------
    label
        ``6×800m@mile`` (plan) or ``6×800m`` (found without a plan).
    kind
        Kind of the reps.
    effort_indices
        The efforts in the set (1-based).
    mean_duration_s, mean_distance_m, mean_pace_s_per_mile
        Means over the set [s], [m], [s/mile].
    spread_s_per_mile
        Slowest less fastest pace [s/mile].
    fade_s_per_mile
        Last less first pace [s/mile]; positive = slowed down.
    cv_pct
        Coefficient of variation of pace [%].
    spread_s, fade_s
        The same on times [s], when every rep is the same distance (else NaN).
    mean_delta_s_per_mile
        Mean pace less target [s/mile] over reps with a target (NaN without).
    n_on_target, n_fast, n_slow
        Verdict counts.
    """

    label: str
    kind: str
    effort_indices: tuple[int, ...]
    mean_duration_s: float
    mean_distance_m: float
    mean_pace_s_per_mile: float
    spread_s_per_mile: float
    fade_s_per_mile: float
    cv_pct: float
    spread_s: float
    fade_s: float
    mean_delta_s_per_mile: float
    n_on_target: int
    n_fast: int
    n_slow: int

    @property
    def n(self) -> int:
        """Number of reps in the set."""
        return len(self.effort_indices)

    def to_frame(self) -> pd.DataFrame:
        """A one-row frame (see :func:`sets_frame` for many)."""
        return sets_frame([self])


def summarize_sets(reps: Sequence[RepCheck]) -> tuple[SetSummary, ...]:
    """Group reps into sets and summarise each set of two or more.

    Parameters
    ----------
    reps
        Rep checks in session order; those with a ``set_label`` are grouped by
        it, the others (no plan) by similarity.
    """
    groups: dict[str, list[RepCheck]] = {}
    free: list[RepCheck] = []
    for rep in reps:
        if rep.set_label:
            groups.setdefault(rep.set_label, []).append(rep)
        elif rep.plan_status == "no plan":
            free.append(rep)
    ordered = list(groups.items()) + [(_auto_label(g), g) for g in _group_by_similarity(free)]
    out = [_summarize(label, members) for label, members in ordered if len(members) >= 2]
    return tuple(sorted(out, key=lambda s: s.effort_indices[0]))


def sets_frame(sets: Sequence[SetSummary]) -> pd.DataFrame:
    """One row per set."""
    rows = [{**s.__dict__, "n": s.n, "effort_indices": list(s.effort_indices)} for s in sets]
    return pd.DataFrame.from_records(rows)


def _group_by_similarity(reps: Sequence[RepCheck]) -> list[list[RepCheck]]:
    groups: list[list[RepCheck]] = []
    for rep in reps:
        if groups:
            first = groups[-1][0]
            if rep.kind == first.kind and (
                _close(rep.distance_m, first.distance_m) or _close(rep.duration_s, first.duration_s)
            ):
                groups[-1].append(rep)
                continue
        groups.append([rep])
    return groups


def _close(a: float, b: float) -> bool:
    return bool(a > 0 and b > 0 and abs(a - b) <= SIMILAR_FRAC * b)


def _auto_label(members: Sequence[RepCheck]) -> str:
    n = len(members)
    kind = members[0].kind
    mean_s = float(np.mean([m.duration_s for m in members]))
    if kind == "stride":
        return f"{n}×strides (~{mean_s:.0f}s)"
    if kind == "hill_repeat":
        return f"{n}×hill (~{mean_s:.0f}s)"
    snapped = {m.snapped_distance_m for m in members}
    if len(snapped) == 1 and None not in snapped:
        return f"{n}×{next(iter(snapped)):.0f}m"
    distances = [m.distance_m for m in members]
    durations = [m.duration_s for m in members]
    same_time = max(durations) - min(durations) <= SAME_DISTANCE_FRAC * mean_s
    same_distance = max(distances) - min(distances) <= SAME_DISTANCE_FRAC * float(np.mean(distances))
    if same_time and not same_distance:
        return f"{n}×{mean_s:.0f}s"  # timed reps (fartlek): equal times, distances vary
    if max(distances) - min(distances) <= SIMILAR_FRAC * float(np.mean(distances)):
        return f"{n}×~{float(np.mean(distances)):.0f}m"
    return f"{n}×~{mean_s:.0f}s"


def _summarize(label: str, members: Sequence[RepCheck]) -> SetSummary:
    paces = np.array([m.pace_s_per_mile for m in members], dtype=float)
    times = np.array([m.duration_s for m in members], dtype=float)
    dists = np.array([m.distance_m for m in members], dtype=float)
    finite = paces[np.isfinite(paces)]
    mean_pace = float(finite.mean()) if len(finite) else math.nan
    same_distance = bool(
        len(dists) and dists.min() > 0 and (dists.max() - dists.min()) <= SAME_DISTANCE_FRAC * dists.min()
    )
    deltas = np.array([m.delta_s_per_mile for m in members], dtype=float)
    deltas = deltas[np.isfinite(deltas)]
    verdicts = [m.verdict for m in members]
    return SetSummary(
        label=label,
        kind=members[0].kind,
        effort_indices=tuple(m.effort_index for m in members),
        mean_duration_s=float(times.mean()),
        mean_distance_m=float(dists.mean()),
        mean_pace_s_per_mile=mean_pace,
        spread_s_per_mile=float(finite.max() - finite.min()) if len(finite) else math.nan,
        fade_s_per_mile=float(paces[-1] - paces[0]),
        cv_pct=float(finite.std() / mean_pace * 100.0) if len(finite) and mean_pace else math.nan,
        spread_s=float(times.max() - times.min()) if same_distance else math.nan,
        fade_s=float(times[-1] - times[0]) if same_distance else math.nan,
        mean_delta_s_per_mile=float(deltas.mean()) if len(deltas) else math.nan,
        n_on_target=verdicts.count("on-target"),
        n_fast=verdicts.count("fast"),
        n_slow=verdicts.count("slow"),
    )
