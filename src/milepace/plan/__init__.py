"""Written workout plans: the grammar, the planned reps, and their alignment with detected efforts."""

from __future__ import annotations

from .grammar import parse_plan
from .model import Plan, PlannedRep

__all__ = ["Plan", "PlannedRep", "parse_plan"]
