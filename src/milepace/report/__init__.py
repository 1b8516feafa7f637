"""The session report: reps against targets and the plan, recoveries, sets, time-trial splits."""

from __future__ import annotations

from .session import RepCheck, SessionReport, session_report
from .tolerance import Tolerance

__all__ = ["RepCheck", "SessionReport", "Tolerance", "session_report"]
