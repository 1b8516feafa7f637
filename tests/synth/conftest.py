"""Shared, cached synthetic sessions for the synth tests (simulating is cheap, decoding is not)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from milepace.synth import SynthSession, simulate


@functools.lru_cache(maxsize=64)
def _cached(template: str, seed: int, items: tuple[tuple[str, Any], ...]) -> SynthSession:
    return simulate(template, seed=seed, **dict(items))


def session(template: str, seed: int = 1, **kwargs: Any) -> SynthSession:
    """A simulated session, memoised across tests."""
    return _cached(template, seed, tuple(sorted(kwargs.items())))


def need(values: np.ndarray | None) -> np.ndarray:
    """A recorded channel that the test expects to be present."""
    assert values is not None, "expected the channel to be recorded"
    return values
