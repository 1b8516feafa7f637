"""The records as numpy arrays, fetched once per report, and time windows found by binary search.

The reporter looks at the records over many short windows (each rep, the last
5 s of each rep and recovery, the minute after each rep). Selecting each window
with a boolean mask over the whole DataFrame costs a full-length comparison and
a pandas copy per window; here the time index is turned into integers once
(ns since the epoch) and each window is two ``searchsorted`` calls and a numpy
slice. Results equal the pandas selections they replace: the same samples in
the same order, reduced by the same numpy routines, and durations computed the
way :meth:`pandas.Timedelta.total_seconds` computes them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

NS_PER_S = 1_000_000_000
"""Nanoseconds per second (the unit of :attr:`RecordArrays.time_ns`)."""

FloatArray = npt.NDArray[np.float64]
Positions = slice | npt.NDArray[np.intp]


def timestamp_ns(ts: Any) -> int:
    """An instant as integer nanoseconds since the epoch (UTC for tz-aware instants) [ns]."""
    return int(ts.value) if isinstance(ts, pd.Timestamp) else int(pd.Timestamp(ts).value)


def seconds(delta_ns: int) -> float:
    """A duration given in ns, in seconds exactly as :meth:`pandas.Timedelta.total_seconds` gives it [s]."""
    whole, rest = divmod(delta_ns, NS_PER_S)
    return whole + rest / NS_PER_S


def seconds_array(delta_ns: npt.NDArray[np.int64]) -> FloatArray:
    """Element-wise :func:`seconds`, as :meth:`pandas.TimedeltaIndex.total_seconds` computes it [s]."""
    whole, rest = np.divmod(delta_ns, NS_PER_S)
    return np.asarray(whole + rest / NS_PER_S, dtype=np.float64)


class RecordArrays:
    """An activity's records as a time array [ns] and float channel arrays, for window lookups.

    Parameters
    ----------
    records
        Records on a ``DatetimeIndex`` (an :class:`~milepace.activity.Activity`'s
        ``records``), or ``None`` for none.

    Notes
    -----
    Windows are found by binary search when the index is sorted (as
    :meth:`Activity.validate <milepace.activity.Activity.validate>` guarantees)
    and by a boolean mask otherwise, so the selection is the same either way.
    Channel arrays are fetched on first use and kept; the records must not be
    modified while this object is in use.
    """

    __slots__ = ("_columns", "_frame", "_recorded", "_sorted", "_tz_aware", "time_ns")

    def __init__(self, records: pd.DataFrame | None) -> None:
        self._frame = records
        self._columns: dict[str, FloatArray] = {}
        self._recorded: dict[str, tuple[npt.NDArray[np.int64], FloatArray]] = {}
        if records is None or not isinstance(records.index, pd.DatetimeIndex):
            self.time_ns: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
            self._sorted = True
            self._tz_aware: bool | None = None
            if records is not None and len(records):
                raise TypeError(f"records need a DatetimeIndex, found {type(records.index).__name__}")
            return
        index = records.index
        self.time_ns = np.asarray(index.as_unit("ns").asi8, dtype=np.int64)
        self._sorted = bool(index.is_monotonic_increasing)
        self._tz_aware = index.tz is not None

    @classmethod
    def of(cls, records: pd.DataFrame | RecordArrays | None) -> RecordArrays:
        """``records`` itself when it already is a :class:`RecordArrays`, else a new one over it."""
        return records if isinstance(records, RecordArrays) else cls(records)

    @property
    def frame(self) -> pd.DataFrame | None:
        """The records DataFrame these arrays come from."""
        return self._frame

    def __len__(self) -> int:
        return len(self.time_ns)

    def has(self, column: str) -> bool:
        """Whether the records hold ``column``."""
        return self._frame is not None and column in self._frame.columns

    def column(self, name: str) -> FloatArray:
        """The channel ``name`` as a float64 array (fetched once); raises ``KeyError`` when absent."""
        values = self._columns.get(name)
        if values is None:
            if self._frame is None:
                raise KeyError(name)
            values = np.asarray(self._frame[name].to_numpy(dtype=np.float64, na_value=np.nan))
            self._columns[name] = values
        return values

    def check_instant(self, ts: Any) -> int:
        """``ts`` in ns, after checking it is comparable with the index (both tz-aware or both naive)."""
        stamp = ts if isinstance(ts, pd.Timestamp) else pd.Timestamp(ts)
        if self._tz_aware is not None and (stamp.tz is not None) != self._tz_aware:
            raise TypeError(
                f"cannot compare a {'tz-aware' if self._tz_aware else 'tz-naive'} record index "
                f"with the {'tz-aware' if stamp.tz is not None else 'tz-naive'} instant {stamp}"
            )
        return int(stamp.value)

    def positions(self, start_ns: int, end_ns: int, *, include_end: bool = False) -> Positions:
        """Positions of the samples with ``start_ns <= t < end_ns`` (``<= end_ns`` with ``include_end``).

        Parameters
        ----------
        start_ns, end_ns
            Window bounds [ns since the epoch].
        include_end
            Make the window closed at its end.

        Returns
        -------
        slice or ndarray
            A slice on a sorted index, else the positions the boolean mask selects.
        """
        t = self.time_ns
        if self._sorted:
            lo = int(t.searchsorted(start_ns, side="left"))
            hi = int(t.searchsorted(end_ns, side="right" if include_end else "left"))
            return slice(lo, max(lo, hi))
        mask = (t >= start_ns) & ((t <= end_ns) if include_end else (t < end_ns))
        return np.flatnonzero(mask)

    def window(self, column: str, start_ns: int, end_ns: int) -> FloatArray:
        """Values of ``column`` over ``[start_ns, end_ns)``, NaN included (empty when absent)."""
        if not self.has(column):
            return np.empty(0, dtype=np.float64)
        return self.column(column)[self.positions(start_ns, end_ns)]

    def recorded(self, column: str, start_ns: int, end_ns: int) -> FloatArray:
        """The values of ``column`` over ``[start_ns, end_ns)`` that are not NaN, in time order.

        On a sorted index the non-NaN samples of each channel are kept once, with their
        times, so a window of them is a contiguous slice found by binary search.
        """
        if not self.has(column):
            return np.empty(0, dtype=np.float64)
        if not self._sorted:
            values = self.window(column, start_ns, end_ns)
            return values[~np.isnan(values)]
        kept = self._recorded.get(column)
        if kept is None:
            values = self.column(column)
            ok = ~np.isnan(values)
            kept = (self.time_ns[ok], values[ok])
            self._recorded[column] = kept
        t, values = kept
        lo = int(t.searchsorted(start_ns, side="left"))
        hi = int(t.searchsorted(end_ns, side="left"))
        return values[lo : max(lo, hi)]

    def mean(self, column: str, start_ns: int, end_ns: int) -> float:
        """Mean of the recorded values of ``column`` over ``[start_ns, end_ns)``; NaN when none."""
        if end_ns <= start_ns:
            return math.nan
        values = self.recorded(column, start_ns, end_ns)
        return float(values.mean()) if len(values) else math.nan

    def max(self, column: str, start_ns: int, end_ns: int) -> float:
        """Largest recorded value of ``column`` over ``[start_ns, end_ns)``; NaN when none."""
        values = self.recorded(column, start_ns, end_ns)
        return float(values.max()) if len(values) else math.nan
