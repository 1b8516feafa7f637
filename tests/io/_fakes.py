"""Test helpers for the registry and archive tests: tiny activity files and a recording fake reader."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from milepace.activity import Activity, ActivityMeta, empty_laps, empty_pauses
from milepace.io import registry

# A FIT file header (FIT SDK "File Header"): size 14, protocol 0x10, profile 2093, data size 0, ".FIT", CRC 0.
FIT_HEAD_14 = bytes([14, 0x10]) + (2093).to_bytes(2, "little") + (0).to_bytes(4, "little") + b".FIT" + b"\0\0"
FIT_HEAD_12 = bytes([12, 0x10]) + (2093).to_bytes(2, "little") + (0).to_bytes(4, "little") + b".FIT"
GPX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
    b'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg/></trk></gpx>'
)
TCX = (
    b'<?xml version="1.0"?>\n<TrainingCenterDatabase '
    b'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities/></TrainingCenterDatabase>'
)

Calls = list[tuple[str, bytes, str]]


def fake_activity(fmt: str, source: str, *, n: int = 3, sport: str | None = None) -> Activity:
    """A valid three-second activity (distance 0, 3, 6 m) carrying ``fmt`` and ``source``."""
    idx = pd.date_range("2024-01-03T06:01:02Z", periods=n, freq="1s", name="time")
    recs = pd.DataFrame({"distance_m": np.arange(n) * 3.0}, index=idx)
    return Activity(recs, empty_laps(), empty_pauses(), ActivityMeta(source=source, format=fmt, sport=sport))


def install_fake_readers(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Replace the FIT/GPX/TCX readers by a fake that records (format, data, source); return the record."""
    calls: Calls = []

    def reader_for(fmt: str) -> Callable[[bytes, str], Activity]:
        def read_fake(data: bytes, source: str) -> Activity:
            calls.append((fmt, data, source))
            return fake_activity(fmt, source)

        return read_fake

    monkeypatch.setattr(registry, "_reader", reader_for)
    return calls
