"""Training-block check: a coach's whole block against the mile-training guidance.

>>> import milepace
>>> report = milepace.block("strava_export.zip", goal_mile="5:30")   # doctest: +SKIP
>>> report.to_frame("weeks")                                         # doctest: +SKIP

Modules: :mod:`~milepace.block.sources` (listing without reading),
:mod:`~milepace.block.files` (the per-file work), :mod:`~milepace.block.engine`
(where it runs), :mod:`~milepace.block.cache` (per-file results on disk),
:mod:`~milepace.block.sessions` (session kinds), :mod:`~milepace.block.weeks`
(ISO weeks, time trials), :mod:`~milepace.block.checks` (the guidance),
:mod:`~milepace.block.run` (putting it together).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from .checks import CheckConfig
from .model import BlockReport, Check, FileResult, WeekSummary
from .run import BlockOptions, block
from .sessions import SessionRules

__all__ = [
    "BlockOptions",
    "BlockReport",
    "Check",
    "CheckConfig",
    "FileResult",
    "SessionRules",
    "WeekSummary",
    "block",
]


class _CallablePackage(types.ModuleType):
    """``milepace.block`` names both this package and the function :func:`block`.

    Once any ``milepace.block.*`` module is imported, Python binds the
    attribute ``milepace.block`` to the package, hiding the lazily exported
    function; making the package callable keeps ``milepace.block(paths,
    goal_mile=...)`` working either way.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> BlockReport:
        return block(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
