"""GPX 1.0/1.1 reader: lxml, compiled XPath, columns converted in bulk.

Rules this reader follows (each is tested in ``tests/io/test_gpx.py``):

* **Namespaces.** The GPX namespace is taken from the root element (1.1,
  1.0 or none) and every XPath step is namespace-qualified. A document that
  declares more than one GPX namespace (1.0 and 1.1 mixed) is read with
  ``local-name()`` steps instead (slower, same result).
* **Tracks.** Every ``trk/trkseg/trkpt`` is read. Segments are concatenated
  in the order of their first time (a file listing a later segment first is
  not "going backwards"). A file with only routes (``rte``) or waypoints
  (``wpt``) is refused: it is a plan, not a recording.
* **Times.** Every point needs one; offsets become UTC and a time without
  offset is taken as UTC (the GPX schema says times are UTC). Up to 10 % of
  points without a usable time are dropped with a note; more is an error that
  says where the times stop.
* **Extensions** (any prefix, any namespace; found under the point, under
  ``extensions`` or one level deeper, e.g. Garmin ``TrackPointExtension``
  v1/v2): heart rate ``hr``/``heartrate``/``heartRate``; cadence
  ``cad``/``cadence``/``RunCadence``; power ``power``/``PowerInWatts``/
  ``watts``; speed ``speed`` (GPX 1.0 ``<speed>`` and TrackPointExtension v2
  are m/s); distance ``distance`` (cumulative metres, ClueTrust gpxdata).
* **Cadence** in GPX is per leg (Garmin ``gpxtpx:cad``, Strava, ClueTrust
  ``gpxdata:cadence``), as in FIT: it is doubled to steps per minute, unless
  their 90th percentile is above 130/min, which only already-doubled values reach
  (then it is kept and a note says so).
* **Distance.** GPX has no device distance: ``distance_m`` is the cumulative
  haversine distance along the positions (in time order, skipping points
  without a position, which get NaN), unless every point carries a distance
  extension. ``meta.extra["distance_source"]`` says which (``positions`` or
  ``extension``).
* **Speed** is only present when the file carries it; it is never derived
  here (the prepare step chooses and derives speed).
* **Pauses.** GPX has no timer events: gaps between points longer than
  :data:`GAP_PAUSE_S` are pauses with source ``gap``.
* **Laps.** GPX has none: an empty laps frame.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import numpy.typing as npt
from lxml import etree

from ..activity import Activity, ActivityMeta
from ..errors import DataQualityWarning, EmptyActivity, ParseError
from ..geo import haversine_m
from . import _xmlcols as xc
from .records import build_records
from .xmlsafe import ROOT_SCAN_BYTES, parse_xml_notes, root_tag_span

GAP_PAUSE_S = 10.0
"""A gap between consecutive points longer than this is a pause [s].

Longer than the longest step of "smart" recording in the labelled corpus
(7 s) and of Garmin smart recording in practice (≤ 8–9 s), shorter than a
traffic-light stop or a standing rest."""

GPX_NAMESPACES = ("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0")

CHANNEL_NAMES: dict[str, tuple[str, ...]] = {
    "heart_rate_bpm": ("hr", "heartrate"),
    "cadence": ("cad", "cadence", "runcadence"),
    "power_w": ("power", "powerinwatts", "watts"),
    "speed_m_s": ("speed",),
    "distance": ("distance",),
}
"""Extension leaf local names (lower case) read into each channel, in order of preference."""

STRAVA_TYPE_CODES = {"1": "cycling", "9": "running"}
"""Numeric ``<type>`` codes written by Strava's GPX export (9 = Run and 1 = Ride, checked on named files)."""

_SPORTS = {
    "running": "running",
    "run": "running",
    "trail_running": "running",
    "trail running": "running",
    "treadmill_running": "running",
    "street_running": "running",
    "track_running": "running",
    "cycling": "cycling",
    "biking": "cycling",
    "road biking": "cycling",
    "road_biking": "cycling",
    "mountain biking": "cycling",
    "mountain_biking": "cycling",
    "ride": "cycling",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "hike": "hiking",
    "swimming": "swimming",
    "swim": "swimming",
}

_BRANDS = (
    ("garmin", "garmin"),
    ("coros", "coros"),
    ("suunto", "suunto"),
    ("movescount", "suunto"),
    ("polar", "polar"),
    ("wahoo", "wahoo"),
    ("amazfit", "amazfit"),
    ("huami", "amazfit"),
    ("tomtom", "tomtom"),
    ("apple", "apple"),
    ("fitbit", "fitbit"),
)
_SERVICE_WORDS = ("connect", "websync", "flow", "movescount", "http", "app", "strava", ".com")


def sport_from_type(text: str | None) -> str | None:
    """Canonical sport from a GPX ``<type>`` (``running``, ``Run``, Strava ``9``); unknown → lower-case text."""
    if not text or not text.strip():
        return None
    t = text.strip().lower()
    if t in STRAVA_TYPE_CODES:
        return STRAVA_TYPE_CODES[t]
    if t.isdigit():
        return None
    return _SPORTS.get(t, t.replace(" ", "_"))


def device_from_creator(creator: str | None) -> tuple[str | None, str | None]:
    """``(manufacturer, product)`` from a GPX ``creator``: a brand when named, a product only for a device name."""
    if not creator:
        return None, None
    low = creator.lower()
    for word, brand in _BRANDS:
        if word in low:
            rest = low.replace(word, "").strip(" -_")
            if rest and not any(w in low for w in _SERVICE_WORDS):
                return brand, creator.strip()
            return brand, None
    return None, None


def _mixed_namespaces(data: bytes, root_ns: str | None) -> bool:
    """True when GPX elements may sit in more than one namespace (1.0 and 1.1 mixed, or none and one).

    A cheap byte test (``bytes.count`` runs at memory speed): both GPX
    namespace URIs appear, a namespace-less root meets a GPX URI, or a
    default namespace is reset with ``xmlns=""``. A false alarm only costs
    speed (every variant of each tag is then looked for).
    """
    span = root_tag_span(data[:ROOT_SCAN_BYTES])
    # "xmlns" cannot straddle the span's "<" or ">", so none outside it means all of them are in it
    if span is not None and data.find(b"xmlns", span[1]) < 0 and data.find(b"xmlns", 0, span[0]) < 0:
        return False  # every namespace is declared on the root element: one GPX namespace at most
    has10 = b"topografix.com/GPX/1/0" in data
    has11 = b"topografix.com/GPX/1/1" in data
    if root_ns is None:
        return has10 or has11
    return (has10 and has11) or b'xmlns=""' in data or b"xmlns=''" in data


def _gpx_tags(name: str, root_ns: str | None, mixed: bool) -> set[str]:
    """Clark tags of a GPX element: in the root's namespace, or (mixed documents) in 1.1, 1.0 or none."""
    if not mixed:
        return {f"{{{root_ns}}}{name}" if root_ns else name}
    return {f"{{{u}}}{name}" for u in (*GPX_NAMESPACES, root_ns) if u} | {name}


def read_gpx(data: bytes, source: str) -> Activity:
    """Read a GPX document into an :class:`~milepace.activity.Activity`.

    Parameters
    ----------
    data
        The whole document [bytes] (already decompressed).
    source
        Path or archive member name, kept in ``meta.source`` and messages.

    Returns
    -------
    Activity
        Records (lat/lon [deg], elevation [m], distance [m], and heart rate
        [bpm], cadence [spm], power [W], speed [m/s] when the file has them),
        an empty laps frame, gap pauses and metadata (``format="gpx"``).

    Raises
    ------
    ParseError
        Not GPX, only routes/waypoints, or points without times.
    EmptyActivity
        No track points.
    HostileInput
        The document declares XML entities.

    Examples
    --------
    >>> doc = (b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    ...        b'<trkpt lat="0" lon="0"><time>2024-01-01T00:00:00Z</time></trkpt>'
    ...        b'<trkpt lat="0.001" lon="0"><time>2024-01-01T00:00:30Z</time></trkpt>'
    ...        b'</trkseg></trk></gpx>')
    >>> round(float(read_gpx(doc, "x.gpx").records["distance_m"].iloc[-1]), 1)
    111.2
    """
    root, notes = parse_xml_notes(data, source)
    if not isinstance(root.tag, str) or xc.local(root.tag) != "gpx":
        found = xc.local(root.tag) if isinstance(root.tag, str) else "none"
        raise ParseError(f"{source} is not GPX: needs a <gpx> root element, found <{found}>", path=source)
    root_ns = etree.QName(root).namespace
    generic = _mixed_namespaces(data, root_ns)
    ns = xc.Namespaces()

    def step(name: str) -> str:
        """XPath step for a GPX element (any namespace when namespaces are mixed)."""
        if generic:
            return xc.any_ns_step(name)
        return ns.step(f"{{{root_ns}}}{name}" if root_ns else name)

    trk, seg = step("trk"), step("trkseg")
    root_step = "/*" if generic else "/" + step("gpx")
    seg_path = f"{root_step}/{trk}/{seg}"
    table = xc.PointTable(root, seg_path, _gpx_tags("trkpt", root_ns, generic), ns)
    if table.n == 0:
        _refuse_without_track(root, source, ns)

    # ---------------------------------------------------------------- columns
    child = step
    ext_tags = list(dict.fromkeys(p[-1] for p in _extension_paths(table)))
    texts, (lat_text, lon_text) = table.scan(
        [_gpx_tags("time", root_ns, generic), _gpx_tags("ele", root_ns, generic), *({t} for t in ext_tags)],
        ("lat", "lon"),
    )
    lat, lon = xc.to_float(lat_text), xc.to_float(lon_text)
    time_text = texts[0]
    time_ns = xc.to_time_ns(time_text)
    ele = xc.to_float(texts[1])
    channels = _extension_channels(ext_tags, texts[2:])

    # ------------------------------------------------------ order and clean
    order = _segment_order(table, time_ns)
    try:
        keep, note = xc.missing_time_policy(time_ns[order], "trackpoint")
    except ValueError as err:
        raise ParseError(f"{source} {err}", path=source) from None
    if note:
        notes.append(note)
    order = order[keep]
    t = time_ns[order]
    backwards = int(np.count_nonzero(np.diff(t) < 0))
    if backwards:
        notes.append(f"{backwards:,} trackpoint time(s) went backwards; points were sorted by time")
        resort = np.argsort(t, kind="stable")
        order = order[resort]
        t = t[resort]

    lat_o, lon_o = lat[order], lon[order]
    bad_pos = ~(np.isfinite(lat_o) & np.isfinite(lon_o))
    out_of_range = (np.abs(lat_o) > 90) | (np.abs(lon_o) > 180)
    if out_of_range.any():
        notes.append(
            f"{int(out_of_range.sum()):,} trackpoint position(s) out of range were treated as missing"
        )
        bad_pos |= out_of_range
    lat_o = np.where(bad_pos, np.nan, lat_o)
    lon_o = np.where(bad_pos, np.nan, lon_o)
    columns: dict[str, npt.NDArray[np.float64] | None] = {
        "lat_deg": lat_o,
        "lon_deg": lon_o,
        "elevation_m": ele[order],
    }
    for channel in ("heart_rate_bpm", "power_w", "speed_m_s"):
        if channel in channels:
            columns[channel] = channels[channel][order]
    extra: dict[str, object] = {}
    if "cadence" in channels:
        spm, cad_note = xc.cadence_to_spm(channels["cadence"][order])
        columns["cadence_spm"] = spm
        if cad_note:
            notes.append(cad_note)
    if "distance" in channels and np.isfinite(channels["distance"][order]).all():
        columns["distance_m"] = channels["distance"][order]
        extra["distance_source"] = "extension"
    elif (~bad_pos).any():
        columns["distance_m"] = _path_distance(lat_o, lon_o, bad_pos)
        extra["distance_source"] = "positions"

    records, rec_notes = build_records(t, columns)
    notes.extend(xc.quiet_duplicates(rec_notes, t, columns))
    if len(records.index) == 0:
        raise EmptyActivity(f"{source} has no timed trackpoints", path=source)
    if records.shape[1] == 0:
        raise EmptyActivity(
            f"{source} has times on its {len(records.index):,} trackpoints but no position, distance, "
            "heart rate or other values",
            path=source,
        )

    # ------------------------------------------------------------- metadata
    def first(expr: str) -> str | None:
        return _first_text(root, expr, ns)

    trk_type = first(f"{root_step}/{trk}/{child('type')}")
    name = (
        first(f"{root_step}/{trk}/{child('name')}")
        or first(f"{root_step}/{child('metadata')}/{child('name')}")
        or first(f"{root_step}/{child('name')}")  # GPX 1.0 keeps the name on the root
    )
    creator = root.get("creator")
    manufacturer, product = device_from_creator(creator)
    extra.update({"creator": creator, "gpx_type": trk_type, "gpx_version": root.get("version")})
    meta = ActivityMeta(
        source=source,
        format="gpx",
        sport=sport_from_type(trk_type),
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
        laps=xc.no_laps(),
        pauses=xc.pauses_from_gaps(records.index, GAP_PAUSE_S),  # type: ignore[arg-type]
        meta=meta,
        warnings=tuple(notes),
    )


def _first_text(root: etree._Element, expr: str, ns: xc.Namespaces) -> str | None:
    found = xc.strings(f"({expr})[1]/text()", ns.mapping, root)
    return (found[0].strip() or None) if found else None


def _refuse_without_track(root: etree._Element, source: str, ns: xc.Namespaces) -> None:
    """Raise the right error for a GPX document without track points."""

    def count(name: str) -> int:
        s = xc.any_ns_step(name)
        return int(xc.number(f"count(//{s})", ns.mapping, root))

    routes, waypoints = count("rtept"), count("wpt")
    if routes or waypoints:
        what = " and ".join(
            p
            for p in (
                f"{routes:,} route point(s)" if routes else "",
                f"{waypoints:,} waypoint(s)" if waypoints else "",
            )
            if p
        )
        raise ParseError(
            f"{source} holds {what} but no recorded track; needs <trk>/<trkseg>/<trkpt> points with times",
            path=source,
        )
    raise EmptyActivity(f"{source} has no track points (<trkpt>)", path=source)


def _extension_paths(table: xc.PointTable) -> list[xc.LeafPath]:
    """Leaf paths below a point whose local name is a known channel spelling."""
    wanted = {n for names in CHANNEL_NAMES.values() for n in names}
    paths = [p for p in xc.leaf_paths(table.sample()) if xc.local(p[-1]).lower() in wanted]
    return paths


def _extension_channels(tags: list[str], texts: list[list[str | None]]) -> dict[str, npt.NDArray[np.float64]]:
    """Heart rate, cadence, power, speed and distance from the extension columns (first spelling wins)."""
    out: dict[str, npt.NDArray[np.float64]] = {}
    for channel, names in CHANNEL_NAMES.items():
        candidates = sorted(
            (i for i, t in enumerate(tags) if xc.local(t).lower() in names),
            key=lambda i: names.index(xc.local(tags[i]).lower()),
        )
        values: npt.NDArray[np.float64] | None = None
        for i in candidates:
            col = xc.to_float(texts[i])
            values = col if values is None else np.where(np.isnan(values), col, values)
        if values is not None and not np.isnan(values).all():
            if channel != "distance":
                values = np.where(values < 0, np.nan, values)
            out[channel] = values
    return out


def _segment_order(table: xc.PointTable, time_ns: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """Point order with whole segments sorted by their first time (document order within a segment)."""
    order = np.arange(table.n)
    if len(table.sizes) < 2:
        return order
    bounds = np.concatenate([[0], np.cumsum(table.sizes)])
    firsts = []
    for a, b in itertools.pairwise(bounds):
        valid = time_ns[a:b][time_ns[a:b] != xc.NAT]
        firsts.append(int(valid[0]) if len(valid) else np.iinfo(np.int64).max)
    seg_order = np.argsort(np.array(firsts), kind="stable")
    if (seg_order == np.arange(len(table.sizes))).all():
        return order
    return np.concatenate([order[bounds[i] : bounds[i + 1]] for i in seg_order])


def _path_distance(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], bad: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """Cumulative haversine distance over points with a position [m]; NaN where a point has none."""
    out = np.full(len(lat), np.nan)
    good = np.flatnonzero(~bad)
    if len(good):
        steps = np.zeros(len(good))
        if len(good) > 1:
            la, lo = lat[good], lon[good]
            steps[1:] = haversine_m(la[:-1], lo[:-1], la[1:], lo[1:])
        out[good] = np.cumsum(steps)
    return out
