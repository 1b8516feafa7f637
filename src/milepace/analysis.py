"""``milepace.analyze``: read (if needed) and detect, returning a :class:`SessionAnalysis`."""

from __future__ import annotations

import os

from .activity import Activity
from .detect.config import DetectConfig
from .detect.model import SessionAnalysis
from .detect.pipeline import detect
from .errors import NotARun, ParseError, UsageError
from .units import parse_duration

MAX_SPAN_S = 7 * 86400.0
"""Longest first-to-last record span analysed [s] (a six-day mountain ultra fits). Detection puts the
whole span on a 1 Hz grid, so one record timed months or years off by a damaged clock (a flipped bit)
would cost gigabytes; such an activity is refused with a reason instead."""


def _goal_seconds(goal_mile: str | float | None) -> float | None:
    if goal_mile is None:
        return None
    if isinstance(goal_mile, str):
        value = parse_duration(goal_mile)
    else:
        value = float(goal_mile)
    if not 150 <= value <= 1800:
        raise UsageError(f"goal mile must be between 2:30 and 30:00, got {goal_mile!r}")
    return value


def analyze(
    activity_or_path: Activity | str | os.PathLike[str],
    *,
    goal_mile: str | float | None = None,
    config: DetectConfig | None = None,
) -> SessionAnalysis:
    """Find the efforts in one run and the recoveries between them.

    Parameters
    ----------
    activity_or_path
        An :class:`~milepace.activity.Activity` or a path :func:`milepace.read` can read.
    goal_mile
        Goal mile time (``"5:30"`` or seconds) that sets interval targets [s].
    config
        Detector parameters.

    Returns
    -------
    SessionAnalysis

    Raises
    ------
    NotARun
        The activity is some other sport.
    ParseError
        The records span more than :data:`MAX_SPAN_S` (a damaged clock).
    UsageError
        The goal mile time is malformed or implausible.

    Examples
    --------
    >>> result = analyze("run.fit", goal_mile="5:30")  # doctest: +SKIP
    >>> [e.kind for e in result.efforts]                # doctest: +SKIP
    ['interval', 'interval', ...]
    """
    goal_s = _goal_seconds(goal_mile)
    if isinstance(activity_or_path, Activity):
        activity = activity_or_path
    else:
        from .io import read

        activity = read(os.fspath(activity_or_path))
    if not activity.is_run:
        raise NotARun(
            f"needs a running activity, found sport {activity.meta.sport!r}"
            + (f"/{activity.meta.sub_sport}" if activity.meta.sub_sport else "")
        )
    if activity.elapsed_s > MAX_SPAN_S:
        raise ParseError(
            f"records span {activity.elapsed_s / 3600:,.1f} h from first to last, more than the "
            f"{MAX_SPAN_S / 3600:,.0f} h milepace analyses (a device clock jump? see the file's warnings)",
            path=activity.meta.source,
        )
    found = detect(activity, config)
    return SessionAnalysis(
        activity=activity,
        efforts=found.efforts,
        goal_mile_s=goal_s,
        is_track=found.is_track,
        warnings=tuple(activity.warnings) + found.warnings,
    )
