"""milepace.io.records: the frames every reader builds."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from pandas.arrays import IntegerArray

from milepace.io import records
from milepace.io.records import frame_of_columns, object_column


def utc(ns: npt.NDArray[np.int64]) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(ns.view("datetime64[ns]"), tz="UTC")


@pytest.mark.parametrize("n", [0, 1, 3])
@pytest.mark.parametrize("way", ["blocks", "older pandas"])
def test_frame_of_columns_is_what_the_constructor_builds(
    n: int, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the laps/workout-step frames are assembled block by block (pandas >= 3; the constructor before);
    # they must equal the frame the DataFrame constructor makes of the same columns (object columns
    # passed as object Series)
    if way == "older pandas":
        monkeypatch.setattr(records, "create_dataframe_from_blocks", None)

    ns = np.arange(n, dtype=np.int64) * 1_000_000_000 + 1_631_065_600 * 1_000_000_000  # T0 in Unix ns
    floats = np.linspace(0.0, 1.0, n)
    texts = ["a", None, "c"][:n]
    ints = IntegerArray(np.arange(n, dtype=np.int64), np.arange(n) == 1)
    columns = pd.Index(["t", "x", "s", "i"])
    built = frame_of_columns(columns, [utc(ns), floats, object_column(texts), ints])
    expected = pd.DataFrame(
        {
            "t": utc(ns),
            "x": floats,
            "s": pd.Series(texts, dtype=object),
            "i": ints,
        },
        index=pd.RangeIndex(n),
        copy=False,
    )
    pd.testing.assert_frame_equal(built, expected, check_exact=True)
    assert [str(d) for d in built.dtypes] == ["datetime64[ns, UTC]", "float64", "object", "Int64"]
    assert built["s"].tolist() == texts  # None kept, strings not turned into pandas' str dtype
    assert built.columns is not columns and built.columns.equals(columns)  # a copy of the names
    if n:
        assert built["t"].iloc[0] == pd.Timestamp("2021-09-08T01:46:40Z")  # 1,631,065,600 s after 1970
