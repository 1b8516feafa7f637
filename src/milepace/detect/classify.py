"""Give every effort its kind: ``interval``, ``stride`` or ``hill_repeat``."""

from __future__ import annotations

from .config import DetectConfig
from .hills import is_hill
from .model import EffortKind
from .prepare import Prepared
from .segment import Spans
from .strides import looks_like_stride


def classify(spans: Spans, prep: Prepared, config: DetectConfig) -> list[EffortKind]:
    """Kinds for the spans, in order.

    A climbing effort is a hill repeat; a short effort that builds is a
    stride; everything else (reps, fartlek, tempo, time trials) is an
    interval.
    """
    kinds: list[EffortKind] = []
    for a, b in spans:
        if is_hill(prep, a, b, config):
            kinds.append("hill_repeat")
        elif looks_like_stride(prep, a, b, config):
            kinds.append("stride")
        else:
            kinds.append("interval")
    return kinds
