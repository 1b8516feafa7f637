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
    """Format each value with ``template`` (``str.format`` style); NaN or a missing column gives ``""``."""
    if values is None:
        return [""] * n
    arr = np.asarray(values, dtype=np.float64)
    vals = arr.tolist()
    fmt = template.format
    if np.isnan(arr).any():
        return [fmt(v) if v == v else "" for v in vals]
    return [fmt(v) for v in vals]


def join_columns(columns: Sequence[Sequence[str]]) -> list[str]:
    """Concatenate string columns element-wise."""
    return ["".join(parts) for parts in zip(*columns, strict=True)]
