"""The watch's laps as evidence: structured-workout steps and manual presses.

Auto-km and auto-mile laps say nothing about where the reps are and are
ignored. Structured-workout laps (intensity ``rest``/``recovery``/``warmup``
/``cooldown``/``interval`` present) mark each step exactly, so an effort
found in the speed that matches a work step takes the step's times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..activity import Activity
from .prepare import Prepared
from .segment import Spans

STRUCTURED_INTENSITIES = frozenset({"rest", "recovery", "warmup", "cooldown", "interval"})
WORK_INTENSITIES = frozenset({"active", "interval"})


def _to_grid(prep: Prepared, times: pd.Series) -> np.ndarray:
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        ns = times.array.as_unit("ns").asi8
        if not (ns == np.iinfo(np.int64).min).any():  # no NaT
            # the same arithmetic as pandas' ``(times - t0).dt.total_seconds()`` (whole
            # seconds plus the sub-second residual divided separately) on plain int64
            # nanoseconds, without building Series: this runs on every analysed file
            floor_s, residual = np.divmod(ns - prep.t0.value, 10**9)
            return np.round(floor_s + residual / 1e9).astype(np.int64)
    secs = (pd.to_datetime(times, utc=True) - prep.t0).dt.total_seconds().to_numpy(dtype=np.float64)
    return np.round(secs).astype(np.int64)


def _intensities(laps: pd.DataFrame) -> list[str | None]:
    """Lower-cased lap intensities, ``None`` where missing (a handful of laps: plain Python)."""
    return [None if pd.isna(v) else str(v).lower() for v in laps["intensity"].tolist()]


def is_structured(activity: Activity) -> bool:
    """True when the laps come from a structured workout (they carry step intensities)."""
    laps = activity.laps
    if laps is None or laps.empty or "intensity" not in laps:
        return False
    return any(v in STRUCTURED_INTENSITIES for v in _intensities(laps))


def workout_work_spans(activity: Activity, prep: Prepared) -> Spans:
    """Grid spans of the work steps of a structured workout (empty when the laps are not structured)."""
    laps = activity.laps
    if laps is None or laps.empty or "intensity" not in laps:
        return []
    # the three columns in one pass over the frame (a lookup each costs more on a fresh frame)
    cols = {name: column for name, column in laps.items() if name in ("intensity", "start", "end")}
    intensities = [None if pd.isna(v) else str(v).lower() for v in cols["intensity"].tolist()]
    if not any(v in STRUCTURED_INTENSITIES for v in intensities):
        return []  # not a structured workout (same test as is_structured)
    is_work = [v in WORK_INTENSITIES for v in intensities]
    if not any(is_work):
        return []
    mask = np.array(is_work)
    a = _to_grid(prep, cols["start"])[mask]
    b = _to_grid(prep, cols["end"])[mask]
    return [(int(x), int(y)) for x, y in zip(a, b, strict=True) if y > x]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Temporal intersection over union of two spans.

    >>> iou((0, 10), (5, 15))
    0.3333333333333333
    """
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def snap_to_steps(spans: Spans, steps: Spans, min_iou: float) -> tuple[Spans, list[bool]]:
    """Replace each span by the workout step it overlaps best when their IoU reaches ``min_iou``.

    Returns the new spans and, per span, whether a step confirmed it.
    """
    out: Spans = []
    used: set[int] = set()
    confirmed: list[bool] = []
    for sp in spans:
        best, best_j = 0.0, -1
        for j, st in enumerate(steps):
            if j in used:
                continue
            v = iou(sp, st)
            if v > best:
                best, best_j = v, j
        if best_j >= 0 and best >= min_iou:
            used.add(best_j)
            out.append(steps[best_j])
            confirmed.append(True)
        else:
            out.append(sp)
            confirmed.append(False)
    return out, confirmed
