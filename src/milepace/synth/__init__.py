"""Synthetic running sessions with exact ground truth, and writers for FIT, GPX and TCX.

>>> from milepace.synth import simulate, write_fit
>>> s = simulate("track_6x800", seed=1, goal_mile_s=330.0)
>>> data = write_fit(s)
>>> data[8:12]
b'.FIT'
"""

from __future__ import annotations

from .fit_writer import write_fit
from .gpx_writer import write_gpx
from .session import (
    LANE1_LENGTH_M,
    SynthLap,
    SynthPause,
    SynthSession,
    TruthEffort,
    TruthRecovery,
    WorkoutStep,
    simulate,
)
from .tcx_writer import write_tcx
from .workouts import TEMPLATES

__all__ = [
    "LANE1_LENGTH_M",
    "TEMPLATES",
    "SynthLap",
    "SynthPause",
    "SynthSession",
    "TruthEffort",
    "TruthRecovery",
    "WorkoutStep",
    "simulate",
    "write_fit",
    "write_gpx",
    "write_tcx",
]
