"""Target paces: goal-mile splits, Daniels-Gilbert VDOT and Riegel equivalents."""

from __future__ import annotations

from .paces import PaceTable, training_paces

__all__ = ["PaceTable", "training_paces"]
