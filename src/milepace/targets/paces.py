"""Target paces: a goal mile (or a race) turned into a table of training and race paces.

The anchor is a goal mile time or a recent race (``5k=18:37``). Two models
translate it to other distances:

``vdot`` (default)
    Daniels–Gilbert VDOT (:mod:`milepace.targets.vdot`): race rows are the
    race times the anchor's VDOT predicts; T and I are the paces whose oxygen
    cost is 88 % and 97.5 % of VDOT; E is 59–74 % of VDOT (the table shows
    both ends, the target is their mean); M is the predicted marathon pace;
    R is I less 6 s per 400 m.
``riegel``
    Riegel's ``T2 = T1 (D2/D1)^1.06`` (:mod:`milepace.targets.riegel`) for
    the race rows and M; T is the pace of the distance Riegel says can be
    raced in 60 minutes (Daniels' definition of threshold: the pace one can
    race for about an hour); I the pace of an 11-minute race (Daniels: the
    pace one can race for 10–12 minutes); R is I less 6 s per 400 m; E has no
    Riegel analogue and comes from the anchor's VDOT.

Splits for 200, 400, 800, 1200 m and the mile are the pace times distance:
a 5:30 mile is 330 × 400 / 1609.344 = 82.02 s per 400 m.

>>> table = training_paces(goal_mile_s=330.0)
>>> round(table.split_s("mile", 400.0), 2)
82.02
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from ..errors import UsageError
from ..units import METERS_PER_MILE, format_duration, format_pace, parse_duration
from . import riegel, vdot

Model = Literal["vdot", "riegel"]

SPLIT_DISTANCES_M: tuple[float, ...] = (200.0, 400.0, 800.0, 1200.0, METERS_PER_MILE)
"""Distances whose split times the table shows [m]."""

RACE_DISTANCES_M: dict[str, float] = {
    "1500": 1500.0,
    "mile": METERS_PER_MILE,
    "3k": 3000.0,
    "5k": 5000.0,
    "10k": 10000.0,
    "hm": 21097.5,
    "marathon": 42195.0,
}
"""Race rows of the table, by canonical name [m]."""

_ALIASES: dict[str, str] = {
    "1500": "1500",
    "1500m": "1500",
    "1.5k": "1500",
    "mile": "mile",
    "1mi": "mile",
    "1mile": "mile",
    "mi": "mile",
    "1609": "mile",
    "1600": "mile",
    "goal": "mile",
    "3k": "3k",
    "3000": "3k",
    "3000m": "3k",
    "5k": "5k",
    "5000": "5k",
    "5000m": "5k",
    "10k": "10k",
    "10000": "10k",
    "10000m": "10k",
    "hm": "hm",
    "half": "hm",
    "marathon": "M",
    "m": "M",
    "mp": "M",
    "t": "T",
    "threshold": "T",
    "tempo": "T",
    "i": "I",
    "interval": "I",
    "r": "R",
    "rep": "R",
    "repetition": "R",
    "e": "E",
    "easy": "E",
}

_RACE_DISTANCE_WORDS: dict[str, float] = {
    "800": 800.0,
    "800m": 800.0,
    "1500": 1500.0,
    "1500m": 1500.0,
    "mile": METERS_PER_MILE,
    "1mi": METERS_PER_MILE,
    "3k": 3000.0,
    "3000": 3000.0,
    "3000m": 3000.0,
    "2mi": 2 * METERS_PER_MILE,
    "5k": 5000.0,
    "5000": 5000.0,
    "5000m": 5000.0,
    "8k": 8000.0,
    "10k": 10000.0,
    "10000": 10000.0,
    "10000m": 10000.0,
    "15k": 15000.0,
    "10mi": 10 * METERS_PER_MILE,
    "hm": 21097.5,
    "half": 21097.5,
    "marathon": 42195.0,
}

_ROW_LABELS: dict[str, str] = {
    "1500": "1500 m race",
    "mile": "mile race",
    "3k": "3K race",
    "5k": "5K race",
    "10k": "10K race",
    "hm": "half marathon",
    "R": "repetition (R)",
    "I": "interval (I)",
    "T": "threshold (T)",
    "M": "marathon (M)",
    "E": "easy (E)",
}

_T_RACE_S = 3600.0
_I_RACE_S = 660.0


@dataclass(frozen=True)
class PaceRow:
    """One pace of a :class:`PaceTable`.

    Attributes
    ----------
    name
        Canonical name: ``1500``, ``mile``, ``3k``, ``5k``, ``10k``, ``hm``,
        ``R``, ``I``, ``T``, ``M`` or ``E``.
    label
        What a runner calls it.
    pace_s_per_mile
        Target pace [s/mile] (for E, the middle of its range).
    fast_pace_s_per_mile, slow_pace_s_per_mile
        Ends of the range [s/mile]; equal to ``pace_s_per_mile`` except for E.
    race_time_s
        Predicted race time for race rows [s], else NaN.
    """

    name: str
    label: str
    pace_s_per_mile: float
    fast_pace_s_per_mile: float
    slow_pace_s_per_mile: float
    race_time_s: float = float("nan")

    def split_s(self, distance_m: float) -> float:
        """Time for ``distance_m`` at this pace [s]."""
        return self.pace_s_per_mile * distance_m / METERS_PER_MILE


@dataclass(frozen=True)
class PaceTable:
    """Training and race paces from one anchor performance.

    Attributes
    ----------
    model
        ``vdot`` or ``riegel``.
    anchor_name
        What anchored the table (``mile`` or the race given, e.g. ``5k``).
    anchor_distance_m, anchor_time_s
        The anchor performance [m], [s].
    vdot
        The anchor's VDOT [ml/kg/min] (computed for both models).
    goal_mile_s
        The goal mile [s] when one was given, else ``None``.
    rows
        The paces, fastest first.
    """

    model: Model
    anchor_name: str
    anchor_distance_m: float
    anchor_time_s: float
    vdot: float
    goal_mile_s: float | None
    rows: tuple[PaceRow, ...]

    def row(self, name: str) -> PaceRow:
        """The row for a pace name or alias (``mile``, ``3k``, ``T``, ``threshold`` …)."""
        canonical = canonical_pace_name(name)
        for row in self.rows:
            if row.name == canonical:
                return row
        raise UsageError(f"the pace table has no {name!r} pace")  # pragma: no cover - every name has a row

    def pace_s_per_mile(self, name: str) -> float:
        """Target pace for a name or alias [s/mile]."""
        return self.row(name).pace_s_per_mile

    def split_s(self, name: str, distance_m: float) -> float:
        """Time for ``distance_m`` at the named pace [s]."""
        return self.row(name).split_s(distance_m)

    def to_frame(self) -> pd.DataFrame:
        """One row per pace: pace [s/mile, s/km], range ends, race time and the 200–mile splits [s]."""
        records = []
        for row in self.rows:
            rec: dict[str, object] = {
                "name": row.name,
                "label": row.label,
                "pace_s_per_mile": row.pace_s_per_mile,
                "pace_s_per_km": row.pace_s_per_mile / METERS_PER_MILE * 1000.0,
                "fast_pace_s_per_mile": row.fast_pace_s_per_mile,
                "slow_pace_s_per_mile": row.slow_pace_s_per_mile,
                "race_time_s": row.race_time_s,
            }
            for d in SPLIT_DISTANCES_M:
                rec[f"split_{_split_name(d)}_s"] = row.split_s(d)
            records.append(rec)
        return pd.DataFrame.from_records(records).set_index("name")

    def describe(self) -> str:
        """One line naming the anchor, model and VDOT."""
        anchor = f"{self.anchor_name} {format_duration(self.anchor_time_s, decimals=0)}"
        return f"anchor {anchor} · model {self.model} · VDOT {self.vdot:.1f}"


def canonical_pace_name(name: str) -> str:
    """Map a pace name or alias (case-insensitive) to its canonical row name.

    Raises
    ------
    UsageError
        When the name is none of the known paces.
    """
    key = name.strip().lower().replace(" ", "")
    if name.strip() == "M":
        return "M"
    try:
        return _ALIASES[key]
    except KeyError:
        known = "1500, mile, 3k, 5k, 10k, hm, R, I, T, M, E"
        raise UsageError(f"unknown pace {name!r}; expected one of {known}") from None


def parse_race(text: str) -> tuple[str, float, float]:
    """Parse a race such as ``5k=18:37`` into ``(name, distance_m, time_s)``.

    Distances: 800, 1500, mile, 3k, 2mi, 5k, 8k, 10k, 15k, 10mi, hm/half,
    marathon, or a number with ``m``/``km``/``mi``.
    """
    name, sep, clock = text.partition("=")
    if not sep or not clock.strip():
        raise UsageError(f"expected a race like 5k=18:37, got {text!r}")
    key = name.strip().lower().replace(" ", "")
    distance_m = _RACE_DISTANCE_WORDS.get(key)
    if distance_m is None:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(m|km|k|mi)", key)
        if not m:
            raise UsageError(f"expected a race distance like 5k, mile or 3000m before '=', got {name!r}")
        value = float(m.group(1))
        distance_m = value * {"m": 1.0, "km": 1000.0, "k": 1000.0, "mi": METERS_PER_MILE}[m.group(2)]
    time_s = parse_duration(clock)
    if time_s <= 0:
        raise UsageError(f"expected a positive race time, got {clock!r}")
    pace = time_s / distance_m * METERS_PER_MILE
    if not 150.0 <= pace <= 1800.0:
        raise UsageError(f"{text!r} is {format_pace(pace)}, not a plausible running race pace")
    return key, distance_m, time_s


def training_paces(
    goal_mile_s: float | None = None, race: str | None = None, model: Model = "vdot"
) -> PaceTable:
    """Build the pace table from a goal mile or a race.

    Parameters
    ----------
    goal_mile_s
        Goal mile time [s].
    race
        A race such as ``5k=18:37`` that anchors the table instead of the goal
        mile. When both are given the race anchors every row except ``mile``,
        which stays the goal.
    model
        ``vdot`` (Daniels–Gilbert) or ``riegel``.

    Returns
    -------
    PaceTable

    Examples
    --------
    >>> t = training_paces(goal_mile_s=330.0)
    >>> round(t.vdot, 1), round(t.split_s("mile", 800.0), 2)
    (53.4, 164.04)
    """
    if model not in ("vdot", "riegel"):
        raise UsageError(f"model must be 'vdot' or 'riegel', got {model!r}")
    if goal_mile_s is not None and not (math.isfinite(goal_mile_s) and goal_mile_s > 0):
        raise UsageError(f"goal mile must be a positive time, got {goal_mile_s!r}")
    if race is not None:
        anchor_name, anchor_d, anchor_t = parse_race(race)
    elif goal_mile_s is not None:
        anchor_name, anchor_d, anchor_t = "mile", METERS_PER_MILE, float(goal_mile_s)
    else:
        raise UsageError("training paces need a goal mile time or a race (e.g. 5k=18:37)")

    v = vdot.vdot_from_race(anchor_d, anchor_t)

    def race_time(distance_m: float) -> float:
        if model == "vdot":
            return vdot.race_time_s(v, distance_m)
        return riegel.riegel_time_s(anchor_t, anchor_d, distance_m)

    rows: dict[str, PaceRow] = {}
    for name, d in RACE_DISTANCES_M.items():
        t = race_time(d)
        if name == "mile" and goal_mile_s is not None:
            t = float(goal_mile_s)
        key = "M" if name == "marathon" else name
        pace = t / d * METERS_PER_MILE
        rows[key] = PaceRow(key, _ROW_LABELS[key], pace, pace, pace, t)

    if model == "vdot":
        t_pace = _pace_from_velocity(vdot.training_velocity_m_per_min(v, "T")[1])
        i_pace = _pace_from_velocity(vdot.training_velocity_m_per_min(v, "I")[1])
    else:
        t_d = riegel.riegel_distance_m(anchor_t, anchor_d, _T_RACE_S)
        i_d = riegel.riegel_distance_m(anchor_t, anchor_d, _I_RACE_S)
        t_pace = _T_RACE_S / t_d * METERS_PER_MILE
        i_pace = _I_RACE_S / i_d * METERS_PER_MILE
    r_pace = i_pace - vdot.R_FASTER_THAN_I_S_PER_400M * METERS_PER_MILE / 400.0
    e_slow_v, e_fast_v = vdot.training_velocity_m_per_min(v, "E")
    e_slow, e_fast = _pace_from_velocity(e_slow_v), _pace_from_velocity(e_fast_v)
    rows["R"] = PaceRow("R", _ROW_LABELS["R"], r_pace, r_pace, r_pace)
    rows["I"] = PaceRow("I", _ROW_LABELS["I"], i_pace, i_pace, i_pace)
    rows["T"] = PaceRow("T", _ROW_LABELS["T"], t_pace, t_pace, t_pace)
    rows["E"] = PaceRow("E", _ROW_LABELS["E"], 0.5 * (e_fast + e_slow), e_fast, e_slow)

    ordered = tuple(sorted(rows.values(), key=lambda r: r.pace_s_per_mile))
    return PaceTable(
        model=model,
        anchor_name=anchor_name,
        anchor_distance_m=anchor_d,
        anchor_time_s=anchor_t,
        vdot=v,
        goal_mile_s=None if goal_mile_s is None else float(goal_mile_s),
        rows=ordered,
    )


def _pace_from_velocity(velocity_m_per_min: float) -> float:
    return METERS_PER_MILE / velocity_m_per_min * 60.0


def _split_name(distance_m: float) -> str:
    return "mile" if distance_m == METERS_PER_MILE else f"{distance_m:.0f}m"
