"""``milepace.analyze``: read (if needed) and detect, returning a :class:`SessionAnalysis`."""

from __future__ import annotations

import os

from .activity import Activity
from .detect.config import DetectConfig
from .detect.model import SessionAnalysis
from .detect.pipeline import detect
from .errors import NotARun, UsageError
from .units import parse_duration


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
    found = detect(activity, config)
    return SessionAnalysis(
        activity=activity,
        efforts=found.efforts,
        goal_mile_s=goal_s,
        is_track=found.is_track,
        warnings=tuple(activity.warnings) + found.warnings,
    )
