"""TCX (Garmin Training Center v2) reader: lxml, compiled XPath, columns converted in bulk.

Rules this reader follows (each is tested in ``tests/io/test_tcx.py``):

* **Activities.** Every ``Activity`` (also inside ``MultiSportSession``) is
  found; when several are present the running ones are read (all of them if
  none is running). A file with only ``Courses`` is refused: a course is a
  plan, not a recording.
* **Trackpoints** (``Lap/Track/Trackpoint``): ``Time`` (offsets → UTC, no
  offset = UTC), ``Position`` (treadmill files have none: no lat/lon
  columns), ``AltitudeMeters``, ``DistanceMeters`` (the device's cumulative
  distance; when a file has none at all but has positions, distance is
  computed along them as for GPX), ``HeartRateBpm/Value``, and the
  ActivityExtension v2 ``TPX`` values under any prefix: ``Speed`` [m/s],
  ``RunCadence``, ``Watts`` [W].
* **Cadence.** ``RunCadence`` (preferred) and ``Cadence`` are per leg: ×2
  for steps per minute, unless their 90th percentile is above 130/min, which
  only already-doubled values reach (kept as they are, with a note).
* **Times.** As for GPX: up to 10 % of trackpoints without a time are
  dropped with a note, more is an error.
* **Laps.** ``start`` = ``StartTime``; ``timer_s`` = ``TotalTimeSeconds``
  (TCX's lap time is timer time); ``end`` = the next lap's start, or for the
  last lap ``start + TotalTimeSeconds`` (extended to its last trackpoint when
  the timer was paused); ``elapsed_s = end - start``; ``distance_m`` =
  ``DistanceMeters``; ``TriggerMethod`` Manual/Distance/Location/Time →
  manual/distance/position/time, HeartRate → unknown; ``Intensity``
  Active/Resting → active/rest.
* **Device.** ``Creator/Name`` → ``product`` (manufacturer ``garmin`` when the
  creator carries a Garmin ``UnitId``/``ProductID``, or is named after a
  known brand); ``Author/Name`` is kept in ``meta.extra``.
* **Pauses.** Gaps between trackpoints longer than
  :data:`milepace.io.gpx.GAP_PAUSE_S` are pauses with source ``gap``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd
from lxml import etree
from pandas.arrays import IntegerArray

from ..activity import LAP_COLUMNS, Activity, ActivityMeta, empty_laps
from ..errors import DataQualityWarning, EmptyActivity, ParseError
from . import _xmlcols as xc
from .gpx import GAP_PAUSE_S, _path_distance, device_from_creator
from .records import build_records, frame_of_columns, object_column
from .xmlsafe import parse_xml_notes

TCX_NAMESPACE = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"

TRIGGERS = {
    "manual": "manual",
    "distance": "distance",
    "location": "position",
    "time": "time",
    "heartrate": "unknown",
}
"""TCX ``TriggerMethod`` (lower case) to canonical lap trigger."""

INTENSITIES = {"active": "active", "resting": "rest"}
"""TCX ``Intensity`` (lower case) to canonical lap intensity."""

SPORTS = {"running": "running", "biking": "cycling", "other": None}
"""TCX ``Sport`` attribute (lower case) to canonical sport."""

EXTENSION_NAMES: dict[str, tuple[str, ...]] = {
    "speed_m_s": ("speed",),
    "cadence": ("runcadence",),
    "power_w": ("watts",),
}
"""Trackpoint extension leaf local names (lower case) per channel."""


def read_tcx(data: bytes, source: str) -> Activity:
    """Read a TCX document into an :class:`~milepace.activity.Activity`.

    Parameters
    ----------
    data
        The whole document [bytes] (already decompressed).
    source
        Path or archive member name, kept in ``meta.source`` and messages.

    Returns
    -------
    Activity
        Records (lat/lon [deg], elevation [m], distance [m], heart rate
        [bpm], cadence [spm], speed [m/s], power [W] — those the file has),
        laps, gap pauses and metadata (``format="tcx"``).

    Raises
    ------
    ParseError
        Not TCX, only courses, or trackpoints without times.
    EmptyActivity
        No activity or no trackpoints.
    HostileInput
        The document declares XML entities.

    Examples
    --------
    >>> doc = (b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
    ...        b'<Activities><Activity Sport="Running"><Id>2024-01-01T00:00:00Z</Id>'
    ...        b'<Lap StartTime="2024-01-01T00:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds>'
    ...        b'<DistanceMeters>200</DistanceMeters><Track>'
    ...        b'<Trackpoint><Time>2024-01-01T00:00:00Z</Time><DistanceMeters>0</DistanceMeters></Trackpoint>'
    ...        b'<Trackpoint><Time>2024-01-01T00:01:00Z</Time><DistanceMeters>200</DistanceMeters></Trackpoint>'
    ...        b'</Track></Lap></Activity></Activities></TrainingCenterDatabase>')
    >>> a = read_tcx(doc, "x.tcx")
    >>> float(a.laps["distance_m"].iloc[0]), a.meta.sport
    (200.0, 'running')
    """
    root, notes = parse_xml_notes(data, source)
    if not isinstance(root.tag, str) or xc.local(root.tag) != "TrainingCenterDatabase":
        found = xc.local(root.tag) if isinstance(root.tag, str) else "none"
        raise ParseError(
            f"{source} is not TCX: needs a <TrainingCenterDatabase> root element, found <{found}>",
            path=source,
        )
    root_ns = etree.QName(root).namespace
    ns = xc.Namespaces()

    def tag(name: str) -> str:
        return f"{{{root_ns}}}{name}" if root_ns else name

    def step(name: str) -> str:
        return ns.step(tag(name))

    # iter() walks the tree in C; an XPath ``//Activity`` first collects every node of the document
    activities = list(root.iter(tag("Activity")))
    if not activities:
        courses = int(xc.number(f"count(//{step('Course')})", ns.mapping, root))
        if courses:
            raise ParseError(
                f"{source} holds {courses:,} course(s) but no recorded activity; needs <Activities>/<Activity>",
                path=source,
            )
        raise EmptyActivity(f"{source} has no <Activity>", path=source)
    sports = [(a.get("Sport") or "").strip().lower() for a in activities]
    chosen = [a for a, s in zip(activities, sports, strict=True) if s == "running"] or activities
    if len(chosen) < len(activities):
        notes.append(
            f"the file holds {len(activities)} activities ({', '.join(s or '?' for s in sports)}); "
            f"only the {len(chosen)} running one(s) were read"
        )
    sport_attr = chosen[0].get("Sport") or ""

    # --------------------------------------------------------------- points
    lap_step, track_step = step("Lap"), step("Track")
    time_parts: list[npt.NDArray[np.int64]] = []
    text_parts: list[list[str | None]] = []
    col_parts: list[dict[str, npt.NDArray[np.float64]]] = []
    lap_rows: list[dict[str, object]] = []
    lap_last_time: list[str | None] = []
    for activity in chosen:
        table = xc.PointTable(activity, f"{lap_step}/{track_step}", {tag("Trackpoint")}, ns)
        if table.n:
            t_text, cols = _trackpoint_columns(table, tag)
            t_ns = xc.to_time_ns(t_text)
            time_parts.append(t_ns)
            text_parts.append(t_text)
            col_parts.append(cols)
        rows, last_times = _laps(activity, tag)
        lap_rows.extend(rows)
        lap_last_time.extend(last_times)
    if not time_parts:
        raise EmptyActivity(f"{source} has an activity but no trackpoints", path=source)

    time_ns = np.concatenate(time_parts)
    time_text = [s for part in text_parts for s in part]
    names = sorted({k for c in col_parts for k in c})
    merged = {
        k: np.concatenate(
            [c.get(k, np.full(len(t), np.nan)) for c, t in zip(col_parts, time_parts, strict=True)]
        )
        for k in names
    }
    try:
        keep, note = xc.missing_time_policy(time_ns, "Trackpoint")
    except ValueError as err:
        raise ParseError(f"{source} {err}", path=source) from None
    if note:
        notes.append(note)
    order = np.flatnonzero(keep)
    t = time_ns[order]
    backwards = int(np.count_nonzero(np.diff(t) < 0))
    if backwards:
        notes.append(f"{backwards:,} Trackpoint time(s) went backwards; points were sorted by time")
        resort = np.argsort(t, kind="stable")
        order, t = order[resort], t[resort]

    columns: dict[str, npt.NDArray[np.float64] | None] = {}
    for k in ("lat_deg", "lon_deg", "elevation_m", "heart_rate_bpm", "speed_m_s", "power_w"):
        if k in merged:
            columns[k] = merged[k][order]
    extra: dict[str, object] = {}
    if "distance_m" in merged and np.isfinite(merged["distance_m"]).any():
        columns["distance_m"] = merged["distance_m"][order]
        extra["distance_source"] = "device"
    elif "lat_deg" in columns and "lon_deg" in columns:
        lat, lon = columns["lat_deg"], columns["lon_deg"]
        assert lat is not None and lon is not None
        bad = ~(np.isfinite(lat) & np.isfinite(lon))
        if (~bad).any():
            columns["distance_m"] = _path_distance(lat, lon, bad)
            extra["distance_source"] = "positions"
    if "cadence" in merged:
        spm, cad_note = xc.cadence_to_spm(merged["cadence"][order])
        columns["cadence_spm"] = spm
        if cad_note:
            notes.append(cad_note)

    records, rec_notes = build_records(t, columns)
    notes.extend(xc.quiet_duplicates(rec_notes, t, columns))
    if len(records.index) == 0:
        raise EmptyActivity(f"{source} has no timed trackpoints", path=source)
    if records.shape[1] == 0:
        raise EmptyActivity(
            f"{source} has times on its {len(records.index):,} Trackpoints but no position, distance, "
            "heart rate or other values",
            path=source,
        )

    laps = _laps_frame(lap_rows, lap_last_time)

    # ------------------------------------------------------------- metadata
    creator = chosen[0].find(f"{{{root_ns}}}Creator" if root_ns else "Creator")
    product = _child_text(creator, "Name", root_ns) if creator is not None else None
    manufacturer, _ = device_from_creator(product)
    if creator is not None and manufacturer is None and _child_text(creator, "UnitId", root_ns):
        manufacturer = "garmin"  # UnitId/ProductID are Garmin device identifiers
    author = root.find(f"{{{root_ns}}}Author" if root_ns else "Author")
    author_name = _child_text(author, "Name", root_ns) if author is not None else None
    product_id = _child_text(creator, "ProductID", root_ns) if creator is not None else None
    extra.update({"tcx_sport": sport_attr or None, "author": author_name, "product_id": product_id})
    name = _child_text(chosen[0], "Notes", root_ns)
    meta = ActivityMeta(
        source=source,
        format="tcx",
        sport=SPORTS.get(sport_attr.strip().lower(), sport_attr.strip().lower() or None),
        manufacturer=manufacturer,
        product=product,
        name=name,
        utc_offset_s=xc.utc_offset_s(time_text[i] for i in order[:1]),
        decoder="lxml",
        extra={k: v for k, v in extra.items() if v is not None},
    )
    for n in notes:
        warnings.warn(f"{source}: {n}", DataQualityWarning, stacklevel=2)
    return Activity(
        records=records,
        laps=laps,
        pauses=xc.pauses_from_gaps(records.index, GAP_PAUSE_S),  # type: ignore[arg-type]
        meta=meta,
        warnings=tuple(notes),
    )


def _child_text(el: etree._Element | None, name: str, ns: str | None) -> str | None:
    if el is None:
        return None
    text = el.findtext(f"{{{ns}}}{name}" if ns else name)
    return text.strip() or None if text else None


def _trackpoint_columns(
    table: xc.PointTable, tag: Callable[[str], str]
) -> tuple[list[str | None], dict[str, npt.NDArray[np.float64]]]:
    """Time strings and float columns of one activity's trackpoints."""
    rels = {
        "time": tag("Time"),
        "lat_deg": tag("LatitudeDegrees"),
        "lon_deg": tag("LongitudeDegrees"),
        "elevation_m": tag("AltitudeMeters"),
        "distance_m": tag("DistanceMeters"),
        "heart_rate_bpm": tag("Value"),  # HeartRateBpm/Value: the only Value inside a Trackpoint
        "cadence_plain": tag("Cadence"),
    }
    ext_tags = list(
        dict.fromkeys(
            p[-1]
            for p in xc.leaf_paths(table.sample())
            if len(p) > 1
            and xc.local(p[0]) == "Extensions"
            and xc.local(p[-1]).lower() in {"speed", "runcadence", "watts"}
        )
    )
    keys = list(rels)
    texts, _ = table.scan([{rels[k]} for k in keys] + [{t} for t in ext_tags])
    by_key = dict(zip(keys, texts[: len(keys)], strict=True))
    cols: dict[str, npt.NDArray[np.float64]] = {}
    for k in ("lat_deg", "lon_deg", "elevation_m", "distance_m", "heart_rate_bpm"):
        v = xc.to_float(by_key[k])
        if not np.isnan(v).all():
            cols[k] = v
    for channel, names in EXTENSION_NAMES.items():
        values: npt.NDArray[np.float64] | None = None
        for t, txt in zip(ext_tags, texts[len(keys) :], strict=True):
            if xc.local(t).lower() in names:
                col = xc.to_float(txt)
                values = col if values is None else np.where(np.isnan(values), col, values)
        if channel == "cadence":
            plain = xc.to_float(by_key["cadence_plain"])
            values = plain if values is None else np.where(np.isnan(values), plain, values)
        if values is not None and not np.isnan(values).all():
            cols[channel] = np.where(values < 0, np.nan, values)
    for k in ("lat_deg", "lon_deg"):
        if k in cols:
            limit = 90.0 if k == "lat_deg" else 180.0
            cols[k] = np.where(np.abs(cols[k]) > limit, np.nan, cols[k])
    return by_key["time"], cols


def _last_time_text(lap: etree._Element, tag: Callable[[str], str]) -> str | None:
    """Text of the last ``Track/Trackpoint/Time`` of a lap (walked backwards from the end), or None."""
    track_tag, point_tag, time_tag = tag("Track"), tag("Trackpoint"), tag("Time")
    for track in lap.iterchildren(track_tag, reversed=True):
        for point in track.iterchildren(point_tag, reversed=True):
            for el in point.iterchildren(time_tag, reversed=True):
                return el.text  # the last Time in document order (None when empty, as before)
    return None


def _lap_field(lap: etree._Element, tag: str) -> str | None:
    """Stripped first text of the lap's first ``tag`` child (XPath ``tag[1]/text()[1]``), or None.

    ``find`` and ``.text`` run in C; XPath per field cost ~0.1 ms a lap. They
    differ from ``text()[1]`` only when the child's first node is an element
    (then the XPath is asked) or text is followed by CDATA (``.text`` joins them).
    """
    child = lap.find(tag)
    if child is None:
        return None
    text = child.text
    if text is None and len(child):
        found = xc.strings("text()[1]", (), child)
        text = found[0] if found else None
    return text.strip() if text is not None else None


def _laps(
    activity: etree._Element, tag: Callable[[str], str]
) -> tuple[list[dict[str, object]], list[str | None]]:
    """One dict per ``Lap`` (raw values) and the time text of its last trackpoint (None if none)."""
    rows: list[dict[str, object]] = []
    last_times: list[str | None] = []
    fields = {k: tag(n) for k, n in (("timer_s", "TotalTimeSeconds"), ("distance_m", "DistanceMeters"))}
    trigger_tag, intensity_tag = tag("TriggerMethod"), tag("Intensity")
    for lap in activity.iterchildren(tag("Lap")):
        row: dict[str, object] = {"start": lap.get("StartTime")}
        row.update({k: _lap_field(lap, t) for k, t in fields.items()})
        row["trigger"] = (_lap_field(lap, trigger_tag) or "").lower()
        row["intensity"] = (_lap_field(lap, intensity_tag) or "").lower()
        rows.append(row)
        last_times.append(_last_time_text(lap, tag))
    return rows, last_times


def _laps_frame(rows: list[dict[str, object]], last_texts: list[str | None]) -> pd.DataFrame:
    """Canonical laps from raw TCX lap values (see the module docstring for the rules)."""
    if not rows:
        return empty_laps()
    last_times = np.full(len(last_texts), xc.NAT, dtype=np.int64)
    timed = [i for i, text in enumerate(last_texts) if text is not None]
    if timed:  # one conversion for all laps (per lap it cost more than the trackpoints' times)
        last_times[timed] = xc.to_time_ns([last_texts[i] for i in timed])
    start = xc.to_time_ns([r["start"] for r in rows])  # type: ignore[misc]
    timer = xc.to_float([r["timer_s"] for r in rows])  # type: ignore[misc]
    keep = start != xc.NAT
    if not keep.any():
        return empty_laps()
    start, timer = start[keep], timer[keep]
    kept = [r for r, k in zip(rows, keep, strict=True) if k]
    last = np.asarray(last_times, dtype=np.int64)[keep]
    order = np.argsort(start, kind="stable")
    start, timer, last = start[order], timer[order], last[order]
    kept = [kept[i] for i in order]
    end = np.empty_like(start)
    end[:-1] = start[1:]
    own_end = start[-1] + np.where(np.isfinite(timer[-1]), timer[-1], 0.0) * 1e9
    end[-1] = int(max(own_end, last[-1] if last[-1] != xc.NAT else own_end))
    # every column is a fresh array made here, in LAP_COLUMNS order; starts and ends converted in one
    # call (the two columns are halves of one array), assembled block by block as the FIT reader does
    n = len(kept)
    start_end = pd.DatetimeIndex(np.concatenate([start, end]).view("datetime64[ns]"), tz="UTC").array
    return frame_of_columns(
        _LAP_INDEX,
        [
            start_end[:n],
            start_end[n:],
            (end - start) / 1e9,
            timer,
            xc.to_float([r["distance_m"] for r in kept]),  # type: ignore[misc]
            object_column([TRIGGERS.get(str(r["trigger"]), "unknown") for r in kept]),
            object_column([INTENSITIES.get(str(r["intensity"]), "other") for r in kept]),
            IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)),  # no workout steps in TCX
        ],
    )


_LAP_INDEX = pd.Index(list(LAP_COLUMNS))
