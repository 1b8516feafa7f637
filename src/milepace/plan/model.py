"""What a written plan means: repeats of reps with target paces and the recoveries between them.

:func:`milepace.plan.grammar.parse_plan` builds a :class:`Plan`;
:meth:`Plan.expand` turns it into the ordered list of :class:`PlannedRep`
the reporter aligns with detected efforts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ..units import METERS_PER_MILE

if TYPE_CHECKING:
    from ..targets.paces import PaceTable

RepKind = Literal["interval", "stride", "hill_repeat"]
PlannedRecoveryKind = Literal["jog", "walk", "stand", "walk down", "jog down"]


@dataclass(frozen=True)
class PaceSpec:
    """The ``@…`` of a rep.

    Exactly one of ``name``, ``pace_s_per_mile`` and ``rep_time_s`` is set.

    Attributes
    ----------
    text
        As written (``mile``, ``5:20/mi``, ``80s/400``, ``2:44``).
    name
        Canonical pace name (``mile``, ``3k``, ``T`` …) resolved with a
        :class:`~milepace.targets.paces.PaceTable`.
    pace_s_per_mile
        Explicit pace [s/mile].
    rep_time_s
        Explicit target time for the whole rep [s] (``800m@2:44``).
    """

    text: str
    name: str | None = None
    pace_s_per_mile: float | None = None
    rep_time_s: float | None = None


@dataclass(frozen=True)
class RecoverySpec:
    """What the plan asks for between reps.

    Attributes
    ----------
    text
        As written (``400m jog``, ``90s stand``, ``full``, ``walk down``).
    distance_m, duration_s
        Prescribed distance [m] or duration [s], when given.
    kind
        ``jog``, ``walk``, ``stand``, ``walk down``, ``jog down`` or ``None`` (any).
    full
        ``full`` recovery: as long as the runner needs, at least the documented minimum.
    continuous
        No recovery at all: the next rep follows straight on (reps inside ``(…, …)``).
    """

    text: str
    distance_m: float | None = None
    duration_s: float | None = None
    kind: PlannedRecoveryKind | None = None
    full: bool = False
    continuous: bool = False


CONTINUOUS = RecoverySpec(text="straight on", duration_s=0.0, continuous=True)
"""The recovery between reps of a group such as ``(0.75mi@T, 0.25mi@mile)``."""


@dataclass(frozen=True)
class RepSpec:
    """One rep as written: a distance or a duration, what kind, and at what pace.

    Attributes
    ----------
    text
        As written (``800m@mile``).
    kind
        ``interval``, ``stride`` (``strides``) or ``hill_repeat`` (``hill``).
    distance_m, duration_s
        Exactly one is set [m] or [s].
    pace
        The ``@…`` part, or ``None``.
    position
        0-based offset of the rep in the plan text.
    """

    text: str
    kind: RepKind
    distance_m: float | None = None
    duration_s: float | None = None
    pace: PaceSpec | None = None
    position: int = 0


@dataclass(frozen=True)
class Block:
    """``count`` repeats of a rep or a group, with the recovery after each repeat.

    Attributes
    ----------
    count
        Number of repeats (1 when no ``Nx`` was written).
    body
        One :class:`RepSpec`, or the items of a parenthesised group.
    recovery
        Recovery after each repeat (``/400m jog``), or ``None`` when not written.
    is_group
        True for ``Nx(…)``.
    text
        As written.
    """

    count: int
    body: tuple[RepSpec | Block, ...]
    recovery: RecoverySpec | None = None
    is_group: bool = False
    text: str = ""


@dataclass(frozen=True)
class PlannedRep:
    """One rep the plan expects, in order.

    Attributes
    ----------
    index
        1-based position in the session plan.
    label
        The rep as written (``800m@mile``).
    kind
        ``interval``, ``stride`` or ``hill_repeat``.
    distance_m, duration_s
        What the rep prescribes [m] or [s] (one of them is ``None``).
    pace_name
        Named target pace (``mile``, ``T`` …), or ``None``.
    target_pace_s_per_mile
        Resolved target pace [s/mile], or ``None`` when it cannot be resolved
        (no pace written, or a named pace without a pace table).
    target_time_s
        Target time for the rep [s]: explicit (``@2:44``), the distance at the
        target pace, or the duration of a timed rep.
    recovery
        Recovery expected after this rep, or ``None`` (after the last rep, or not written).
    set_key
        Reps with the same key form a set (for spread and fade).
    set_label
        The set as a runner says it (``6×800m@mile``).
    """

    index: int
    label: str
    kind: RepKind
    distance_m: float | None
    duration_s: float | None
    pace_name: str | None
    target_pace_s_per_mile: float | None
    target_time_s: float | None
    recovery: RecoverySpec | None
    set_key: str
    set_label: str = ""

    @property
    def expected_duration_s(self) -> float | None:
        """How long the rep should take [s], when the plan says or the pace implies it."""
        if self.duration_s is not None:
            return self.duration_s
        return self.target_time_s

    @property
    def expected_distance_m(self) -> float | None:
        """How far the rep should go [m]: its distance, or its duration at the target pace."""
        if self.distance_m is not None:
            return self.distance_m
        if self.duration_s is not None and self.target_pace_s_per_mile:
            return self.duration_s / self.target_pace_s_per_mile * METERS_PER_MILE
        return None


@dataclass(frozen=True)
class Plan:
    """A parsed workout plan.

    Attributes
    ----------
    text
        The plan as written.
    blocks
        Top-level comma-separated parts.
    """

    text: str
    blocks: tuple[Block, ...]

    def expand(self, paces: PaceTable | None = None) -> tuple[PlannedRep, ...]:
        """The reps in the order they are to be run, each with the recovery after it.

        Parameters
        ----------
        paces
            Resolves named paces (``mile``, ``3k``, ``T``); without it those
            reps have no target pace.

        Returns
        -------
        tuple of PlannedRep
            The recovery written after a repeat follows every repeat, including
            the last one of a part when another part follows; a recovery written
            after a group replaces the recovery of the group's last rep; reps
            inside a group follow each other straight on; nothing follows the
            last rep of the plan.
        """
        raw: list[tuple[RepSpec, RecoverySpec | None, str]] = []
        for i, block in enumerate(self.blocks):
            raw.extend(_expand_block(block, str(i + 1)))
        reps: list[PlannedRep] = []
        for n, (spec, recovery, key) in enumerate(raw):
            if n == len(raw) - 1:
                recovery = None
            reps.append(_planned_rep(n + 1, spec, recovery, key, paces))
        counts: dict[str, int] = {}
        for rep in reps:
            counts[rep.set_key] = counts.get(rep.set_key, 0) + 1
        labels: dict[str, str] = {}
        for rep in reps:
            labels.setdefault(rep.set_key, f"{counts[rep.set_key]}×{rep.label}")
        repeated = {label for label in labels.values() if list(labels.values()).count(label) > 1}
        seen: dict[str, int] = {}
        for key, label in labels.items():
            if label in repeated:
                seen[label] = seen.get(label, 0) + 1
                labels[key] = f"{label} (set {seen[label]})"
        return tuple(replace(rep, set_label=labels[rep.set_key]) for rep in reps)

    @property
    def n_reps(self) -> int:
        """Number of reps the plan prescribes."""
        return len(self.expand())

    def to_frame(self, paces: PaceTable | None = None) -> pd.DataFrame:
        """One row per expanded rep."""
        rows = []
        for rep in self.expand(paces):
            rec = rep.recovery
            rows.append(
                {
                    "index": rep.index,
                    "label": rep.label,
                    "kind": rep.kind,
                    "distance_m": _nan(rep.distance_m),
                    "duration_s": _nan(rep.duration_s),
                    "pace_name": rep.pace_name,
                    "target_pace_s_per_mile": _nan(rep.target_pace_s_per_mile),
                    "target_time_s": _nan(rep.target_time_s),
                    "recovery": None if rec is None else rec.text,
                    "set": rep.set_label,
                }
            )
        return pd.DataFrame.from_records(rows).set_index("index") if rows else pd.DataFrame()


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _expand_block(block: Block, key: str) -> list[tuple[RepSpec, RecoverySpec | None, str]]:
    """Expand one block; ``key`` is the set path so far."""
    inner_repeats = _has_inner_repeat(block)
    out: list[tuple[RepSpec, RecoverySpec | None, str]] = []
    for it in range(block.count):
        iter_key = f"{key}.{it + 1}" if inner_repeats and block.count > 1 else key
        one: list[tuple[RepSpec, RecoverySpec | None, str]] = []
        for j, item in enumerate(block.body):
            item_key = f"{iter_key}{chr(ord('a') + j)}" if block.is_group else iter_key
            if isinstance(item, RepSpec):
                one.append((item, None, item_key))
            else:
                one.extend(_expand_block(item, item_key))
            if block.is_group and j < len(block.body) - 1 and one and one[-1][1] is None:
                spec, _, k = one[-1]
                one[-1] = (spec, CONTINUOUS, k)
        if block.recovery is not None and one:
            spec, _, k = one[-1]
            one[-1] = (spec, block.recovery, k)
        out.extend(one)
    return out


def _has_inner_repeat(block: Block) -> bool:
    """True when some block below this one repeats (so each repeat of this one is its own set)."""
    for item in block.body:
        if isinstance(item, Block) and (item.count > 1 or _has_inner_repeat(item)):
            return True
    return False


def _planned_rep(
    index: int, spec: RepSpec, recovery: RecoverySpec | None, key: str, paces: PaceTable | None
) -> PlannedRep:
    pace_name: str | None = None
    pace: float | None = None
    target_time: float | None = None
    if spec.pace is not None:
        if spec.pace.name is not None:
            pace_name = spec.pace.name
            if paces is not None:
                pace = paces.pace_s_per_mile(spec.pace.name)
        elif spec.pace.pace_s_per_mile is not None:
            pace = spec.pace.pace_s_per_mile
        elif spec.pace.rep_time_s is not None and spec.distance_m:
            target_time = spec.pace.rep_time_s
            pace = target_time / spec.distance_m * METERS_PER_MILE
    if target_time is None:
        if spec.duration_s is not None:
            target_time = spec.duration_s
        elif spec.distance_m is not None and pace is not None:
            target_time = pace * spec.distance_m / METERS_PER_MILE
    return PlannedRep(
        index=index,
        label=spec.text,
        kind=spec.kind,
        distance_m=spec.distance_m,
        duration_s=spec.duration_s,
        pace_name=pace_name,
        target_pace_s_per_mile=pace,
        target_time_s=target_time,
        recovery=recovery,
        set_key=key,
    )
