"""Column extraction shared by the GPX and TCX readers.

The containers of the points (``trkseg``, ``Lap/Track``) are found with a
compiled XPath; then one C-level walk per container (``element.iter`` over
the point tags and every column tag at once) fills all columns, with a short
Python step per matched element. Columns line up with the points by
construction: a point without a value gets ``None``, and the strings are
converted in bulk with numpy/pandas afterwards. Measured on a 1 h 1 Hz GPX
(3,601 points, 7 columns) this walk took about half the time of one
namespace-qualified XPath per column (``trkpt/time[1]/text()[1]``), and
``local-name()`` XPath steps are about three times slower again, so neither
is used for points.

Extension channels (heart rate, cadence, power, speed, distance) are found
by looking at a sample of points (the first and last 24 and 48 spread
evenly) for leaf elements whose local name is a known spelling, under any
namespace or prefix; their exact Clark tags are then read for every point. A
spelling that occurs on none of the sampled points (under ~2 % of a file) is
not read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from lxml import etree

from ..activity import empty_laps, empty_pauses
from .records import gap_pauses

FloatArray = npt.NDArray[np.float64]
LeafPath = tuple[str, ...]
"""Clark-notation tags (``{ns}local``) from a point down to a leaf element."""

SAMPLE_POINTS = 24
"""Points looked at from the start, the end and evenly in between when finding extension paths."""

CADENCE_ALREADY_SPM = 130.0
"""90th-percentile cadence above which a file's cadence is taken as steps per minute already [1/min].

Running cadence per leg is about 75–100 1/min (150–200 spm), strides and
sprints reach ~110; 130 per leg would be 260 spm, which only an all-out
sprint reaches for seconds, so when a tenth of the values are above it the
writer has already doubled them (Runalyze's "Treadmill-doubled-cadence"
file: 118–120 walking, 172–180 running)."""

_OFFSET = re.compile(r"(?:([+-])(\d\d):?(\d\d)|Z)$")


NsMapping = tuple[tuple[str, str], ...]


@lru_cache(maxsize=512)
def _compile(expr: str, namespaces: NsMapping) -> etree.XPath:
    return etree.XPath(expr, namespaces=dict(namespaces), smart_strings=False)


def nodes(expr: str, ns: NsMapping, context: etree._Element) -> list[etree._Element]:
    """Elements selected by a (cached, compiled) XPath."""
    return cast("list[etree._Element]", _compile(expr, ns)(context))


def strings(expr: str, ns: NsMapping, context: etree._Element) -> list[str]:
    """Strings (text nodes, attribute values) selected by a (cached, compiled) XPath."""
    return cast("list[str]", _compile(expr, ns)(context))


def number(expr: str, ns: NsMapping, context: etree._Element) -> float:
    """Value of a numeric XPath expression such as ``count(...)``."""
    return float(cast(float, _compile(expr, ns)(context)))


def local(tag: str) -> str:
    """Local name of a Clark tag (``{ns}hr`` → ``hr``; an undeclared ``p:hr`` → ``hr``)."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class Namespaces:
    """Prefixes for the namespaces met while building XPath steps."""

    def __init__(self) -> None:
        self._by_uri: dict[str, str] = {}

    def step(self, tag: str) -> str:
        """XPath step matching exactly the Clark tag ``tag``."""
        if tag.startswith("{"):
            uri, name = tag[1:].split("}", 1)
            prefix = self._by_uri.setdefault(uri, f"n{len(self._by_uri)}")
            return f"{prefix}:{name}"
        return tag

    @property
    def mapping(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((p, u) for u, p in self._by_uri.items()))


def any_ns_step(name: str) -> str:
    """XPath step matching ``name`` in any namespace (slow: used only for mixed documents)."""
    return f"*[local-name()='{name}']"


class PointTable:
    """The points of a document (``trkpt`` or ``Trackpoint`` elements) and their columns.

    Parameters
    ----------
    context
        Element the container path is evaluated from.
    container_path
        XPath to the elements that hold the points (``trkseg``, ``Lap/Track``).
    point_tags
        Clark tags a point element may have (several when namespaces are mixed).
    ns
        Prefixes used in ``container_path``.
    """

    def __init__(
        self, context: etree._Element, container_path: str, point_tags: Collection[str], ns: Namespaces
    ) -> None:
        self.ns = ns
        self.point_tags = frozenset(point_tags)
        self.point_names = frozenset(local(t) for t in point_tags)
        self.containers = nodes(container_path, ns.mapping, context)
        capacity = sum(len(c) for c in self.containers)
        # counted exactly by scan(); until then an upper bound (children of the containers)
        self.n = (
            capacity if any(True for c in self.containers for _ in c.iterchildren(*self.point_tags)) else 0
        )
        self.sizes: list[int] = []
        self._children: list[list[etree._Element]] | None = None

    def _child_points(self) -> list[list[etree._Element]]:
        """Per container: its point children in document order (fetched once; :meth:`sample` and :meth:`scan` share them).

        A damaged file recovered by libxml2 can have points nested in points or
        below other children; they are not here, and :meth:`_scan_by_column`
        notices them.
        """
        if self._children is None:
            self._children = [list(cont.iterchildren(*self.point_tags)) for cont in self.containers]
        return self._children

    def sample(self, k: int = SAMPLE_POINTS) -> list[etree._Element]:
        """Points to look at for extension paths: ``k`` from the start, ``k`` from the end and ``2 k`` spread evenly."""
        conts = self.containers
        if not conts:
            return []
        below = self._child_points()
        out: list[etree._Element] = []
        for i, rev in ((0, False), (len(conts) - 1, True)):
            points = below[i]
            out.extend(points[: -k - 1 : -1] if rev else points[:k])
        total = sum(len(c) for c in conts)
        if total > 4 * k:
            stride = max(1, total // (2 * k))
            for cont, points in zip(conts, below, strict=True):
                if len(points) == len(cont):
                    out.extend(points[::stride])  # every child is a point: the same as the islice below
                    continue
                # every stride-th element child, as XPath ``*[position() mod stride = 1]``;
                # islice over the C iterator is ~3x faster than that XPath (and than indexing,
                # which walks the sibling list from the start for every index)
                every = itertools.islice(cont.iterchildren(etree.Element), 0, None, stride)
                out.extend(el for el in every if el.tag in self.point_tags)
        return out

    def _scan_by_column(
        self, columns: Sequence[Collection[str]], attributes: Sequence[str]
    ) -> tuple[list[list[str | None]], list[list[str | None]]] | None:
        """The common case, column by column: one C-level ``iter`` per column and container.

        Used only when it gives what :meth:`scan`'s element walk would: every
        point below a container is a child of it (no point nested in a point
        or below another child), and a column has, in each container, no
        element at all or exactly one between each point and the next (inside
        the point, in a sound file). Each column's walk visits the points too
        and checks, by identity, that what it meets alternates point, element,
        point, element; equal counts would not do, as one point with two
        ``<ele>`` and another with none would shift every value between them
        by a point. Anything else returns ``None`` and :meth:`scan` walks the
        elements one by one. About 2x faster than that walk on a 1 h GPX (the
        per-element Python step is the cost; here the loops are list
        comprehensions over C iterators); the check costs ~3 % of reading a
        1 h GPX and ~4 % of a TCX (callgrind instruction counts).
        """
        texts: list[list[str | None]] = [[] for _ in columns]
        attrs: list[list[str | None]] = [[] for _ in attributes]
        sizes: list[int] = []
        # the walks match points by local name only, which skips comparing the namespace URI of
        # every point for every column; a point of another namespace among them fails the
        # identity test below, so it costs the fast path, never a value
        point_names = [f"{{*}}{name}" for name in sorted(self.point_names)]
        for cont, points in zip(self.containers, self._child_points(), strict=True):
            m = len(points)
            walked = False  # has a walk checked that the points met are exactly the point children?
            for col, tags in zip(texts, columns, strict=True):
                if next(cont.iter(*tags), None) is None:  # no element of this column here
                    col.extend([None] * m)
                    continue
                walk = cont.iter(*point_names, *tags)
                # (point, element) pairs, taken lazily so that each element's proxy is freed at once
                # (a list of them all costs a cyclic-GC pass or more per column); a pair whose first
                # is not the next point is left out, and then there are fewer than m values
                found = [el.text for point, pt, el in zip(points, walk, walk, strict=False) if pt is point]
                if len(found) != m or next(walk, None) is not None:
                    return None
                col.extend(found)
                walked = True
            if not walked and list(cont.iter(*point_names)) != points:
                return None
            for values, name in zip(attrs, attributes, strict=True):
                values.extend([el.get(name) for el in points])
            sizes.append(m)
        self.n, self.sizes = sum(sizes), sizes
        return texts, attrs

    def scan(
        self, columns: Sequence[Collection[str]], attributes: Sequence[str] = ()
    ) -> tuple[list[list[str | None]], list[list[str | None]]]:
        """Text of the first element with each column's tags inside each point, and point attributes.

        One C-level walk per container (``iter`` over the point tags and every
        column tag at once) with a short Python step per element: measured
        about twice as fast as one XPath per column, and the columns line up
        with the points by construction (a point without a value gets
        ``None``). A column element before the first point of a container is
        ignored; one after a point (but outside it) would be taken as that
        point's value only if the point has none of its own. Sets :attr:`n`
        and :attr:`sizes` (points per container).

        Parameters
        ----------
        columns
            For each column, the Clark tags its values may have.
        attributes
            Attribute names read from each point element.

        Returns
        -------
        (texts, attrs)
            One list of length :attr:`n` per column and per attribute.
        """
        by_column = self._scan_by_column(columns, attributes)
        if by_column is not None:
            return by_column
        # one dict lookup per element: -1 for a point, else the column number
        code: dict[str, int] = dict.fromkeys(self.point_tags, -1)
        for k, tags in enumerate(columns):
            for tag in tags:
                code.setdefault(tag, k)
        # children of the containers bound the points of a well-formed file; a damaged file recovered
        # by libxml2 can nest points inside points, which the walk below also visits: then count them
        # exactly and walk again (found by fuzzing)
        capacity = sum(len(c) for c in self.containers)
        while True:
            texts: list[list[str | None]] = [[None] * capacity for _ in columns]
            attrs: list[list[str | None]] = [[None] * capacity for _ in attributes]
            iter_tags = list(code)
            two = len(attributes) == 2  # GPX lat/lon: unrolled
            a0, a1 = (attrs[0], attrs[1]) if two else ([], [])
            n0, n1 = (attributes[0], attributes[1]) if two else ("", "")
            i = -1
            sizes: list[int] = []
            try:
                for cont in self.containers:
                    start = i
                    in_point = False
                    for el in cont.iter(*iter_tags):
                        k = code[el.tag]
                        if k < 0:
                            i += 1
                            in_point = True
                            if two:
                                get = el.get
                                a0[i] = get(n0)
                                a1[i] = get(n1)
                            else:
                                for values, name in zip(attrs, attributes, strict=True):
                                    values[i] = el.get(name)
                        elif in_point:
                            col = texts[k]
                            if col[i] is None:
                                col[i] = el.text
                    sizes.append(i - start)
            except IndexError:
                exact = sum(1 for c in self.containers for _ in c.iter(*self.point_tags))
                if exact <= capacity:
                    raise
                capacity = exact
                continue
            break
        n = i + 1
        self.n, self.sizes = n, sizes
        return [t[:n] for t in texts], [a[:n] for a in attrs]


def to_float(values: Sequence[str | None]) -> FloatArray:
    """Strings to float64 in bulk; missing or unparsable values become NaN."""
    try:
        return np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        series = pd.Series(list(values), dtype=object)
        return np.asarray(pd.to_numeric(series, errors="coerce"), dtype=np.float64)


_Z_LAYOUTS = {20: 19, 24: 23}
"""Length of ``YYYY-MM-DDTHH:MM:SSZ`` / ``YYYY-MM-DDTHH:MM:SS.fffZ`` → index of the ``Z``."""

_DATE_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
"""Positions of the digits of year, month, day, hour, minute and second in those layouts."""

_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _utc_z_time_ns(values: Sequence[str | None]) -> npt.NDArray[np.int64] | None:
    """Vectorised parse when every value is ``YYYY-MM-DDTHH:MM:SS[.fff]Z`` with the same length; else None.

    The digits are read from one ``uint8`` matrix (no per-string Python
    work); any value that is not exactly that layout, or a field out of range
    (month 13, 30 February, hour 24, leap second, year outside 1678–2261),
    returns None so the caller parses everything with pandas instead.
    """
    n = len(values)
    try:
        widths = set(map(len, values))  # type: ignore[arg-type]  # TypeError on None
        joined = "".join(values).encode("ascii")  # type: ignore[arg-type]
    except (TypeError, UnicodeEncodeError):
        return None
    if n == 0 or len(widths) != 1:
        return None
    width = widths.pop()
    z_at = _Z_LAYOUTS.get(width)
    if z_at is None:
        return None
    a = np.frombuffer(joined, dtype=np.uint8).reshape(n, width)
    seps = {4: b"-", 7: b"-", 10: b"T", 13: b":", 16: b":", z_at: b"Z"}
    if width == 24:
        seps[19] = b"."
    expected = np.frombuffer(b"".join(seps.values()), dtype=np.uint8)
    if (a[:, list(seps)] != expected).any():
        return None
    digit_cols = list(_DATE_DIGITS) + ([20, 21, 22] if width == 24 else [])
    d = a[:, digit_cols] - np.uint8(ord("0"))  # wraps below '0' to > 9
    if (d > 9).any():
        return None
    d = d.astype(np.int64)
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    pairs = d[:, 4:14:2] * 10 + d[:, 5:14:2]
    month, day, hour, minute, second = pairs.T
    if ((year < 1678) | (year > 2261) | (month < 1) | (month > 12)).any():
        return None
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS_IN_MONTH[month] + (leap & (month == 2))
    if ((day < 1) | (day > last_day) | (hour > 23) | (minute > 59) | (second > 59)).any():
        return None
    # days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil)
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    ns = (days * 86400 + hour * 3600 + minute * 60 + second) * 1_000_000_000
    if width == 24:
        ns += (d[:, 14] * 100 + d[:, 15] * 10 + d[:, 16]) * 1_000_000
    return ns


def to_time_ns(values: Sequence[str | None]) -> npt.NDArray[np.int64]:
    """ISO 8601 strings (any offset; no offset means UTC) to UTC int64 ns; missing/unparsable → ``NaT``'s value.

    Whole-second and millisecond ``Z`` times of one width (what devices and
    most services write) are parsed by digit arithmetic in numpy; anything
    else by ``pandas.to_datetime(format="ISO8601")``.

    >>> int(to_time_ns(["2024-02-29T12:34:56.789Z"])[0])  # 1709164800 s is 2024-02-29T00:00:00Z
    1709210096789000000
    """
    fast = _utc_z_time_ns(values)
    if fast is not None:
        return fast
    series = pd.Series(list(values), dtype=object)
    times = pd.DatetimeIndex(pd.to_datetime(series, utc=True, format="ISO8601", errors="coerce"))
    # pandas parses to microseconds; a time outside what nanoseconds hold (years 1678-2261: a damaged
    # "3026-...") is unusable, not an OutOfBoundsDatetime (found by fuzzing)
    us = np.asarray(times.as_unit("us").asi8, dtype=np.int64)
    ok = (us != NAT) & (us >= _MIN_NS_AS_US) & (us <= _MAX_NS_AS_US)
    out = np.full(len(us), NAT, dtype=np.int64)
    out[ok] = us[ok] * 1000
    return out


NAT = np.iinfo(np.int64).min
_MIN_NS_AS_US = pd.Timestamp.min.value // 1000 + 1
_MAX_NS_AS_US = pd.Timestamp.max.value // 1000


@lru_cache(maxsize=1)
def _empty_laps_template() -> pd.DataFrame:
    return empty_laps()


@lru_cache(maxsize=1)
def _empty_pauses_template() -> pd.DataFrame:
    return empty_pauses()


def no_laps() -> pd.DataFrame:
    """An empty canonical laps frame: a copy of one built once (building it costs ~1.5 ms, copying ~0.04 ms)."""
    return _empty_laps_template().copy()


def pauses_from_gaps(index: pd.DatetimeIndex, min_gap_s: float) -> pd.DataFrame:
    """:func:`~milepace.io.records.gap_pauses`, with a copy of a prebuilt empty frame when no gap is long enough.

    Parameters
    ----------
    index
        Sorted record times.
    min_gap_s
        A gap longer than this is a pause [s].
    """
    t = index.asi8
    if len(t) < 2 or not (np.diff(t) / 1e9 > min_gap_s).any():  # the test gap_pauses applies
        return _empty_pauses_template().copy()
    return gap_pauses(index, min_gap_s)


def utc_offset_s(values: Iterable[str | None]) -> float | None:
    """Offset of local time from UTC [s] written in the first time string, or None (``Z`` or no offset)."""
    for v in values:
        if not v:
            continue
        m = _OFFSET.search(v.strip())
        if m is None or m.group(1) is None:
            return None
        sign = -1.0 if m.group(1) == "-" else 1.0
        return sign * (int(m.group(2)) * 3600 + int(m.group(3)) * 60)
    return None


def leaf_paths(points: Iterable[etree._Element], max_depth: int = 3) -> list[LeafPath]:
    """Distinct paths from a point down to leaf elements (at most ``max_depth`` levels), in first-seen order."""
    seen: dict[LeafPath, None] = {}

    def walk(el: etree._Element, path: LeafPath) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            p = (*path, tag)
            if len(child):
                if len(p) < max_depth:
                    walk(child, p)
            else:
                seen.setdefault(p, None)

    for point in points:
        walk(point, ())
    return list(seen)


def cadence_to_spm(per_leg: FloatArray) -> tuple[FloatArray, str | None]:
    """Per-leg cadence [1/min] to steps per minute (×2), unless the file already holds steps per minute.

    Returns the converted values and a note when they were left as they are
    (90th percentile of positive values above :data:`CADENCE_ALREADY_SPM`).

    >>> cadence_to_spm(np.array([80.0, 90.0]))[0]
    array([160., 180.])
    """
    positive = per_leg[per_leg > 0]
    if len(positive):
        p90 = float(np.percentile(positive, 90))
        if p90 > CADENCE_ALREADY_SPM:
            return per_leg, (
                f"cadence 90th percentile {p90:.0f}/min is above {CADENCE_ALREADY_SPM:.0f}, "
                "so it was taken as steps per minute already (not doubled)"
            )
    return per_leg * 2.0, None


def missing_time_policy(
    times_ns: npt.NDArray[np.int64], what: str, max_missing_fraction: float = 0.1
) -> tuple[npt.NDArray[np.bool_], str | None]:
    """Decide what to do with points that have no usable time.

    Parameters
    ----------
    times_ns
        One value per point, :data:`NAT` where missing.
    what
        ``trackpoint`` or ``Trackpoint``, for messages.
    max_missing_fraction
        Largest share of points without time that is dropped with a note [1].

    Returns
    -------
    (keep, note)
        Boolean mask of points to keep, and a note when some were dropped.

    Raises
    ------
    ValueError
        With the sentence for a :class:`~milepace.errors.ParseError` when too
        many points lack a time.
    """
    missing = times_ns == NAT
    n = len(times_ns)
    n_missing = int(missing.sum())
    if n_missing == 0:
        return ~missing, None
    if n_missing == n:
        raise ValueError(f"needs a timestamp on every {what}, found none on any of the {n:,} {what}s")
    if n_missing <= max_missing_fraction * n and n - n_missing >= 2:
        return ~missing, f"{n_missing:,} of {n:,} {what}s had no usable time and were dropped"
    last_with_time = int(np.flatnonzero(~missing)[-1]) + 1
    if not missing[:last_with_time].any():
        raise ValueError(
            f"needs a timestamp on every {what}, found none after {what} {last_with_time:,} of {n:,}"
        )
    raise ValueError(f"needs a timestamp on every {what}, found {n_missing:,} of {n:,} {what}s without one")


def quiet_duplicates(
    notes: list[str], time_ns: npt.NDArray[np.int64], columns: Mapping[str, FloatArray | None]
) -> list[str]:
    """Drop the "repeated timestamp(s) merged" note when merging lost nothing.

    Garmin TCX repeats the last trackpoint of a lap as the first of the next,
    and many writers repeat a point at a pause: when the repeated points agree
    on every value both of them have, merging them is exact and not a
    data-quality problem. ``time_ns`` must be sorted.
    """
    if not any("repeated timestamp" in n for n in notes):
        return notes
    dup = np.flatnonzero(np.diff(time_ns) == 0) + 1
    for values in columns.values():
        if values is None:
            continue
        a, b = values[dup - 1], values[dup]
        both = np.isfinite(a) & np.isfinite(b)
        if (a[both] != b[both]).any():
            return notes
    return [n for n in notes if "repeated timestamp" not in n]
