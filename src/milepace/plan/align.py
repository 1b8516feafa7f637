"""Match planned reps to detected efforts in order, tolerating missed and extra reps.

A plain ``zip`` pairs every rep after a missed one with the wrong plan line.
Instead the two sequences are aligned by dynamic programming (edit distance,
as in Needleman–Wunsch): matching plan rep *i* with effort *j* costs how
different they are, leaving a plan rep unmatched ("missed") or an effort
unmatched ("extra") costs a fixed penalty, and the cheapest path through the
table is the alignment.

Costs (dimensionless):

* match: ``|ln(effort / plan)|`` on distance when the plan gives a distance,
  on duration when it gives a time (capped at 2), plus 0.5 when the kinds
  differ (a stride matched to an 800 m rep);
* extra effort: :data:`EXTRA_COST` (0.6);
* missed rep: :data:`MISSED_COST_ROOM` (0.5) after an effort whose recovery
  is long enough to have held it (1.5 × the planned recovery plus half the
  rep), :data:`MISSED_COST` (0.6) before the first or after the last effort,
  and :data:`MISSED_COST_NO_ROOM` (0.9) between two efforts separated by an
  ordinary recovery.

So an effort 1.8× the planned size is still matched (ln 1.8 = 0.59 < 1.2,
the price of calling it missed plus extra), and a missed rep among identical
ones is placed where the session has the long gap it left.

>>> from milepace.plan.grammar import parse_plan
>>> reps = parse_plan("3x800m@mile").expand()
>>> align(reps, []).missed
(1, 2, 3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..detect.model import Effort
from .model import PlannedRep

EXTRA_COST = 0.6
"""Cost of an effort that matches no planned rep."""
MISSED_COST = 0.6
"""Cost of a planned rep with no effort before the first or after the last effort."""
MISSED_COST_ROOM = 0.5
"""Cost of a planned rep with no effort in a gap long enough to have held it."""
MISSED_COST_NO_ROOM = 0.9
"""Cost of a planned rep with no effort between two efforts separated by an ordinary recovery."""
KIND_MISMATCH_COST = 0.5
"""Added to a match whose kinds differ."""
MAX_SIZE_COST = 2.0
"""Cap on the size part of a match cost."""
_TIE = 1e-6
ROOM_FACTOR = 1.5
"""A recovery this many times the planned one (plus half the rep) is long enough to hide a missed rep."""


@dataclass(frozen=True)
class AlignedPair:
    """One step of an alignment.

    Attributes
    ----------
    plan_index
        1-based :attr:`PlannedRep.index`, or ``None`` for an extra effort.
    effort_index
        1-based :attr:`Effort.index`, or ``None`` for a missed rep.
    cost
        Cost of this step (see the module docstring).
    """

    plan_index: int | None
    effort_index: int | None
    cost: float

    @property
    def status(self) -> str:
        """``matched``, ``missed`` or ``extra``."""
        if self.plan_index is None:
            return "extra"
        if self.effort_index is None:
            return "missed"
        return "matched"


@dataclass(frozen=True)
class Alignment:
    """Planned reps matched to efforts, in session order.

    Attributes
    ----------
    pairs
        Every plan rep and every effort exactly once, in order.
    missed
        Plan indices with no effort.
    extra
        Effort indices with no plan rep.
    cost
        Total cost.
    """

    pairs: tuple[AlignedPair, ...]
    missed: tuple[int, ...]
    extra: tuple[int, ...]
    cost: float

    def plan_for_effort(self) -> dict[int, int]:
        """Map effort index to the plan index it was matched with."""
        return {
            p.effort_index: p.plan_index
            for p in self.pairs
            if p.effort_index is not None and p.plan_index is not None
        }


def match_cost(rep: PlannedRep, effort: Effort) -> float:
    """Cost of matching one planned rep with one effort (0 = identical size and kind)."""
    cost = 0.0
    if rep.distance_m is not None:
        cost += _log_ratio(effort.distance_m, rep.distance_m)
    elif rep.duration_s is not None:
        cost += _log_ratio(effort.duration_s, rep.duration_s)
    if rep.kind != effort.kind:
        cost += KIND_MISMATCH_COST
    return cost


def align(plan: Sequence[PlannedRep], efforts: Sequence[Effort]) -> Alignment:
    """Align planned reps with detected efforts.

    Parameters
    ----------
    plan
        Planned reps in order (:meth:`milepace.plan.model.Plan.expand`).
    efforts
        Detected efforts in time order.

    Returns
    -------
    Alignment
        Ties prefer a match, then a missed rep, then an extra effort; among
        equal-cost alignments the one that puts missed reps latest wins.
    """
    m, n = len(plan), len(efforts)
    inf = math.inf
    cost = [[inf] * (n + 1) for _ in range(m + 1)]
    move = [[""] * (n + 1) for _ in range(m + 1)]
    cost[0][0] = 0.0
    for i in range(m + 1):
        for j in range(n + 1):
            if i == 0 and j == 0:
                continue
            best, step = inf, ""
            if i > 0 and j > 0:
                c = cost[i - 1][j - 1] + match_cost(plan[i - 1], efforts[j - 1])
                if c < best - 1e-12:
                    best, step = c, "match"
            if i > 0:
                # the tiny position term breaks ties towards missing later reps
                c = cost[i - 1][j] + _missed_cost(plan, efforts, i - 1, j) + _TIE * (m - i)
                if c < best - 1e-12:
                    best, step = c, "missed"
            if j > 0:
                c = cost[i][j - 1] + EXTRA_COST
                if c < best - 1e-12:
                    best, step = c, "extra"
            cost[i][j], move[i][j] = best, step
    pairs: list[AlignedPair] = []
    i, j = m, n
    while i > 0 or j > 0:
        step = move[i][j]
        if step == "match":
            pairs.append(
                AlignedPair(plan[i - 1].index, efforts[j - 1].index, cost[i][j] - cost[i - 1][j - 1])
            )
            i, j = i - 1, j - 1
        elif step == "missed":
            pairs.append(AlignedPair(plan[i - 1].index, None, cost[i][j] - cost[i - 1][j]))
            i -= 1
        else:
            pairs.append(AlignedPair(None, efforts[j - 1].index, cost[i][j] - cost[i][j - 1]))
            j -= 1
    pairs.reverse()
    return Alignment(
        pairs=tuple(pairs),
        missed=tuple(p.plan_index for p in pairs if p.effort_index is None and p.plan_index is not None),
        extra=tuple(p.effort_index for p in pairs if p.plan_index is None and p.effort_index is not None),
        cost=cost[m][n],
    )


def _log_ratio(actual: float, planned: float) -> float:
    if not (actual > 0 and planned > 0 and math.isfinite(actual)):
        return MAX_SIZE_COST
    return min(abs(math.log(actual / planned)), MAX_SIZE_COST)


def _missed_cost(plan: Sequence[PlannedRep], efforts: Sequence[Effort], i: int, j: int) -> float:
    """Cost of leaving plan rep ``i`` (0-based) unmatched after the first ``j`` efforts."""
    if j == 0 or j == len(efforts):
        return MISSED_COST
    recovery = efforts[j - 1].recovery
    if recovery is None:
        return MISSED_COST_NO_ROOM
    expected = _expected_recovery_s(plan[i - 1] if i > 0 else None)
    rep_s = plan[i].expected_duration_s
    if expected is None and rep_s is None:
        return MISSED_COST_NO_ROOM
    room_s = ROOM_FACTOR * (expected or 0.0) + 0.5 * (rep_s or 0.0)
    return MISSED_COST_ROOM if recovery.duration_s >= room_s else MISSED_COST_NO_ROOM


def _expected_recovery_s(rep: PlannedRep | None) -> float | None:
    """Planned recovery after ``rep`` [s], when the plan gives a time (or a distance at jog pace)."""
    if rep is None or rep.recovery is None:
        return None
    rec = rep.recovery
    if rec.duration_s is not None and rec.duration_s > 0:
        return rec.duration_s
    if rec.distance_m is not None:
        # a recovery distance covered at an easy jog of about 3 m/s (8:56/mile)
        return rec.distance_m / 3.0
    return None
