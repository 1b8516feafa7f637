"""milepace: find the reps, strides and hill repeats in a runner's watch files.

>>> import milepace
>>> act = milepace.read("sample_data/track_6x800.fit")        # doctest: +SKIP
>>> result = milepace.analyze(act, goal_mile="5:30")            # doctest: +SKIP

Public names are loaded lazily so ``import milepace`` stays cheap for the CLI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "read": ("milepace.io", "read"),
    "read_bytes": ("milepace.io", "read_bytes"),
    "read_many": ("milepace.io", "read_many"),
    "ReadResult": ("milepace.io", "ReadResult"),
    "Activity": ("milepace.activity", "Activity"),
    "ActivityMeta": ("milepace.activity", "ActivityMeta"),
    "Effort": ("milepace.detect.model", "Effort"),
    "Recovery": ("milepace.detect.model", "Recovery"),
    "SessionAnalysis": ("milepace.detect.model", "SessionAnalysis"),
    "analyze": ("milepace.analysis", "analyze"),
    "block": ("milepace.block.run", "block"),
    "training_paces": ("milepace.targets.paces", "training_paces"),
    "parse_plan": ("milepace.plan.grammar", "parse_plan"),
    "session_report": ("milepace.report.session", "session_report"),
    "MilepaceError": ("milepace.errors", "MilepaceError"),
    "ParseError": ("milepace.errors", "ParseError"),
    "DataQualityWarning": ("milepace.errors", "DataQualityWarning"),
}

if TYPE_CHECKING:
    from .activity import Activity, ActivityMeta
    from .analysis import analyze
    from .block.run import block
    from .detect.model import Effort, Recovery, SessionAnalysis
    from .errors import DataQualityWarning, MilepaceError, ParseError
    from .io import ReadResult, read, read_bytes, read_many
    from .plan.grammar import parse_plan
    from .report.session import session_report
    from .targets.paces import training_paces

__all__ = [
    "Activity",
    "ActivityMeta",
    "DataQualityWarning",
    "Effort",
    "MilepaceError",
    "ParseError",
    "ReadResult",
    "Recovery",
    "SessionAnalysis",
    "__version__",
    "analyze",
    "block",
    "parse_plan",
    "read",
    "read_bytes",
    "read_many",
    "session_report",
    "training_paces",
]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'milepace' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
