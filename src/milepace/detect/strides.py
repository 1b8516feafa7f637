"""Strides: short, flat accelerations that build to near top speed."""

from __future__ import annotations

import numpy as np

from .config import DetectConfig
from .prepare import Prepared


def build_fraction(prep: Prepared, start: int, end: int) -> float:
    """Share of the effort spent before the speed first reaches 90 % of its peak [fraction]."""
    v = prep.v_fast_m_s[start:end]
    if not np.isfinite(v).any():
        return 0.0
    peak = np.nanmax(v)
    first = int(np.argmax(np.nan_to_num(v) >= 0.9 * peak))
    return first / max(1, end - start)


def looks_like_stride(prep: Prepared, start: int, end: int, config: DetectConfig) -> bool:
    """True for a short effort (≤ ``stride_max_s``) that builds rather than starting at full speed."""
    dur = end - start
    return bool(dur <= config.stride_max_s and build_fraction(prep, start, end) >= config.stride_min_build)
