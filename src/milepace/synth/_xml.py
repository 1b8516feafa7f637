"""Column-wise text formatting shared by the GPX and TCX writers (one pass per column, not per point)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def iso_times(unix_s: npt.ArrayLike) -> list[str]:
    """Whole Unix seconds as ``YYYY-MM-DDTHH:MM:SSZ`` strings, vectorised."""
    t = np.round(np.asarray(unix_s, dtype=np.float64)).astype(np.int64).astype("datetime64[s]")
    return [x + "Z" for x in np.datetime_as_string(t, unit="s").tolist()]


def fmt_column(values: npt.ArrayLike | None, template: str, n: int) -> list[str]:
    """Format each value with a ``%``-style ``template``; NaN or a missing column gives ``""``.

    The whole column goes through one ``%`` operation (a C loop), about twice
    as fast as formatting value by value.
    """
    if values is None:
        return [""] * n
    arr = np.asarray(values, dtype=np.float64)
    if len(arr) == 0:
        return []
    nan = np.isnan(arr)
    vals = tuple(np.where(nan, 0.0, arr).tolist())
    out = ((template + "\x00") * len(vals) % vals).split("\x00")[:-1]
    if nan.any():
        for i in np.flatnonzero(nan).tolist():
            out[i] = ""
    return out


def join_columns(columns: Sequence[Sequence[str]]) -> list[str]:
    """Concatenate string columns element-wise."""
    return ["".join(parts) for parts in zip(*columns, strict=True)]
