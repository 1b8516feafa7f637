"""Column helpers shared by the GPX and TCX readers (``milepace.io._xmlcols``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.activity import LAP_COLUMNS, PAUSE_COLUMNS
from milepace.io import _xmlcols as xc

# 2024-01-01T00:00:00Z is Unix time 1704067200 s (published epoch tables); 2024 is a leap year, so
# 2024-02-29 is 31 + 28 = 59 days later: 1704067200 + 59 * 86400 = 1709164800 s.
FEB29_2024_S = 1709164800


def _pandas_ns(values: list[str | None]) -> np.ndarray:
    """The general path: pandas ISO 8601 parsing (the reference the fast path must agree with)."""
    series = pd.Series(values, dtype=object)
    times = pd.DatetimeIndex(pd.to_datetime(series, utc=True, format="ISO8601", errors="coerce"))
    return np.asarray(times.as_unit("ns").asi8)


def test_z_times_by_hand() -> None:
    got = xc.to_time_ns(["2024-02-29T00:00:00Z", "2024-02-29T12:34:56Z"])
    # 12:34:56 = 12 * 3600 + 34 * 60 + 56 = 45,296 s
    assert got.tolist() == [FEB29_2024_S * 10**9, (FEB29_2024_S + 45_296) * 10**9]
    ms = xc.to_time_ns(["2024-02-29T12:34:56.789Z"])
    assert ms.tolist() == [(FEB29_2024_S + 45_296) * 10**9 + 789 * 10**6]


def test_offset_and_missing_go_through_pandas() -> None:
    # +02:00 at 02:00 local is 00:00 UTC; a missing value is NaT
    got = xc.to_time_ns(["2024-02-29T02:00:00+02:00", None])
    assert got.tolist() == [FEB29_2024_S * 10**9, xc.NAT]


@pytest.mark.parametrize(
    "values",
    [
        ["2023-02-29T00:00:00Z"],  # not a leap year
        ["2024-13-01T00:00:00Z"],
        ["2024-01-00T00:00:00Z"],
        ["2024-01-01T24:00:00Z"],
        ["2024-01-01T00:00:60Z"],  # leap second
        ["2024-01-01 00:00:00Z"],
        ["2024-01-01T00:00:00z"],
        ["2024-01-01T00:00:00.5Z"],
        ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z"],  # two widths
        ["2019-01-01T00:00:00", "Z2019-01-01T00:00:00Z"],  # same total length, misaligned
        ["２024-01-01T00:00:00Z"],  # non-ASCII digit
        ["2024-01-01T00:00:00Z", None],
        [],
    ],
)
def test_anything_but_the_plain_layout_leaves_the_fast_path(values: list[str | None]) -> None:
    assert xc._utc_z_time_ns(values) is None
    assert xc.to_time_ns(values).tolist() == _pandas_ns(values).tolist()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=pd.Timestamp("1700-01-01").to_pydatetime(),
            max_value=pd.Timestamp("2260-12-31").to_pydatetime(),
        ),
        min_size=1,
        max_size=40,
    ),
    st.booleans(),
)
def test_fast_path_agrees_with_pandas(instants: list, millis: bool) -> None:
    fmt = "%Y-%m-%dT%H:%M:%S"
    values = [
        (t.strftime(fmt) + (f".{t.microsecond // 1000:03d}" if millis else "")).rjust(19, "0") + "Z"
        for t in instants
    ]
    fast = xc._utc_z_time_ns(values)
    assert fast is not None
    assert fast.tolist() == _pandas_ns(values).tolist()


def test_empty_frames_are_independent_copies() -> None:
    a, b = xc.no_laps(), xc.no_laps()
    assert list(a.columns) == list(LAP_COLUMNS) and len(a) == 0
    a["extra"] = 1.0
    assert "extra" not in b.columns and "extra" not in xc.no_laps().columns


def test_pauses_from_gaps() -> None:
    # gaps of 1 s, 12 s and 1 s: only the 12 s one is longer than 10 s
    # nanosecond resolution, as build_records makes every reader's index
    index = pd.DatetimeIndex((np.array([0, 1, 13, 14]) * 10**9).view("datetime64[ns]"), tz="UTC")
    pauses = xc.pauses_from_gaps(index, 10.0)
    assert list(pauses.columns) == list(PAUSE_COLUMNS)
    assert pauses["duration_s"].tolist() == [12.0]
    none = xc.pauses_from_gaps(index[:2], 10.0)
    assert len(none) == 0 and list(none.columns) == list(PAUSE_COLUMNS)


# ----------------------------------------------------------------------------- PointTable


def _table(body: str) -> xc.PointTable:
    from lxml import etree

    root = etree.fromstring(f"<gpx><trk><trkseg>{body}</trkseg></trk></gpx>".encode())
    return xc.PointTable(root, "/gpx/trk/trkseg", {"trkpt"}, xc.Namespaces())


def _lats(points: list) -> list[int]:
    return [int(p.get("lat")) for p in points]


def test_sample_takes_first_last_and_every_stride_th_child() -> None:
    # 10 points, k = 2: the first 2, the last 2 (from the end), and since 10 > 4 k every
    # 10 // (2 k) = 2nd element child from the first: 0, 2, 4, 6, 8 (worked out by hand)
    table = _table("".join(f'<trkpt lat="{i}"/>' for i in range(10)))
    assert _lats(table.sample(2)) == [0, 1, 9, 8, 0, 2, 4, 6, 8]


def test_sample_strides_over_every_element_child_not_only_points() -> None:
    # a non-point child first: 11 children, stride 11 // 4 = 2 over children 0, 2, ..., 10, which are
    # <extensions>, points 1, 3, 5, 7, 9; the non-point is skipped (worked out by hand)
    table = _table("<extensions/>" + "".join(f'<trkpt lat="{i}"/>' for i in range(10)))
    assert _lats(table.sample(2)) == [0, 1, 9, 8, 1, 3, 5, 7, 9]


def test_scan_reads_aligned_columns_and_attributes() -> None:
    table = _table(
        '<trkpt lat="1"><time>a</time><ele>10</ele></trkpt>'
        '<trkpt lat="2"><time>b</time></trkpt>'  # no <ele> here: the column is not aligned
        '<trkpt lat="3"><time>c</time><ele>30</ele></trkpt>'
    )
    (time, ele), (lat,) = table.scan([{"time"}, {"ele"}], ("lat",))
    assert (time, ele, lat) == (["a", "b", "c"], ["10", None, "30"], ["1", "2", "3"])
    assert table.n == 3 and table.sizes == [3]


def test_scan_counts_a_point_nested_in_a_point() -> None:
    # libxml2 recovery can nest a point inside another: it is a point of its own, in document order
    table = _table(
        '<trkpt lat="1"><time>a</time></trkpt>'
        '<trkpt lat="2"><time>b</time><trkpt lat="9"><time>n</time></trkpt></trkpt>'
        '<trkpt lat="3"><time>c</time></trkpt>'
    )
    (time,), (lat,) = table.scan([{"time"}], ("lat",))
    assert (time, lat) == (["a", "b", "n", "c"], ["1", "2", "9", "3"])
    assert table.n == 4


def test_scan_takes_the_first_value_of_a_point_with_two_when_another_has_none() -> None:
    # three <ele> for three points, but the first point has two and the second none: counting alone
    # would give the second point the first point's second value and shift nothing back; each point
    # gets the first <ele> inside it (the documented rule), and the second point none
    table = _table(
        '<trkpt lat="1"><time>a</time><ele>10</ele><ele>99</ele></trkpt>'
        '<trkpt lat="2"><time>b</time></trkpt>'
        '<trkpt lat="3"><time>c</time><ele>30</ele></trkpt>'
    )
    (time, ele), (lat,) = table.scan([{"time"}, {"ele"}], ("lat",))
    assert (time, ele, lat) == (["a", "b", "c"], ["10", None, "30"], ["1", "2", "3"])


def test_scan_gives_a_value_between_points_to_the_point_before_it() -> None:
    # an <ele> after the first point's end tag, before the second point: taken by the first point,
    # which has none of its own (the rule of scan's element walk, which both paths follow)
    table = _table(
        '<trkpt lat="1"><time>a</time></trkpt><ele>10</ele><trkpt lat="2"><time>b</time><ele>20</ele></trkpt>'
    )
    (time, ele), _ = table.scan([{"time"}, {"ele"}])
    assert (time, ele) == (["a", "b"], ["10", "20"])


def test_scan_notices_a_nested_point_when_no_column_has_a_value() -> None:
    table = _table('<trkpt lat="1"/><trkpt lat="2"><trkpt lat="9"/></trkpt>')
    (ele,), (lat,) = table.scan([{"ele"}], ("lat",))
    assert (ele, lat) == ([None, None, None], ["1", "2", "9"])
    assert table.n == 3


_POINT_PART = st.lists(
    st.sampled_from(
        ["<ele>1</ele>", "<ele>2</ele>", "<ele/>", "<x><ele>3</ele></x>", "<time>t</time>", "<x/>"]
    ),
    max_size=3,
)


@given(
    st.lists(
        st.tuples(_POINT_PART, st.sampled_from(["", "<ele>8</ele>", "<x/>", "<ele/>"]), st.booleans()),
        max_size=8,
    ),
    st.sampled_from(["", "<ele>7</ele>"]),
)
@settings(max_examples=300, deadline=None)
def test_scan_by_column_gives_what_the_element_walk_gives(
    points: list[tuple[list[str], str, bool]], before: str
) -> None:
    # any mix of points with zero, one or two values, values between points, empty elements and
    # points nested in points: the column-by-column fast path either declines or agrees with the walk
    body = before
    for i, (parts, after, nested) in enumerate(points):
        inner = f'<trkpt lat="{100 + i}"><ele>5</ele></trkpt>' if nested else ""
        body += f'<trkpt lat="{i}">{"".join(parts)}{inner}</trkpt>{after}'
    fast, walk = _table(body), _table(body)
    walk._scan_by_column = lambda columns, attributes: None  # type: ignore[method-assign]
    assert fast.scan([{"ele"}, {"time"}], ("lat",)) == walk.scan([{"ele"}, {"time"}], ("lat",))
    assert (fast.n, fast.sizes) == (walk.n, walk.sizes)
