"""GPX writer for synthetic sessions (GPX 1.1 or 1.0, Garmin TrackPointExtension).

GPX has no laps and no device distance: a track of points with position,
elevation and time, and heart rate / cadence in extensions. Cadence in the
Garmin extension is per leg (steps per minute / 2, whole numbers), as Garmin
writes it. Points without a position fix are left out (a GPX point needs
lat/lon).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np

from ..errors import UsageError
from ._xml import fmt_column, iso_times, join_columns
from .session import SynthSession

GPX_NS = {"1.1": "http://www.topografix.com/GPX/1/1", "1.0": "http://www.topografix.com/GPX/1/0"}
TPX_NS = {
    "garmin_v2": "http://www.garmin.com/xmlschemas/TrackPointExtension/v2",
    "garmin_v1": "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
}


def write_gpx(session: SynthSession, version: str = "1.1", extensions: str = "garmin_v2") -> bytes:
    """Encode a session as GPX.

    Parameters
    ----------
    session
        The simulated session (must have positions: not a treadmill run).
    version
        ``1.1`` or ``1.0``. GPX 1.0 has no ``<extensions>`` element: its
        ``<speed>`` [m/s] is written instead, and heart rate / cadence (if any)
        go straight into the point as Garmin-namespaced elements.
    extensions
        ``garmin_v2`` (TrackPointExtension v2: hr, cad, speed), ``garmin_v1``
        (v1: hr, cad), ``plain`` (un-namespaced ``<hr>``/``<cad>`` inside
        ``<extensions>``, as some apps write) or ``none``.

    Returns
    -------
    bytes
        UTF-8 XML.
    """
    if version not in GPX_NS:
        raise UsageError(f"version must be '1.1' or '1.0', got {version!r}")
    if extensions not in ("garmin_v2", "garmin_v1", "plain", "none"):
        raise UsageError(f"extensions must be garmin_v2, garmin_v1, plain or none, got {extensions!r}")
    s = session
    if s.lat_deg is None or s.lon_deg is None:
        raise UsageError("GPX needs positions; this session has none (a treadmill run?)")
    ok = np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg)
    n = int(ok.sum())

    def col(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[ok]

    cad = col(s.cadence_spm)
    cad = np.round(cad / 2.0) if cad is not None else None
    cols = [
        fmt_column(col(s.lat_deg), '<trkpt lat="%.9f"', n),
        fmt_column(col(s.lon_deg), ' lon="%.9f">', n),
        fmt_column(col(s.elevation_m), "<ele>%.1f</ele>", n),
        ["<time>" + t + "</time>" for t in iso_times(s.time_s[ok])],
    ]
    if version == "1.0":
        cols.append(fmt_column(col(s.speed_m_s), "<speed>%.3f</speed>", n))
    if extensions == "plain":
        cols += [
            ["<extensions>"] * n,
            fmt_column(col(s.heart_rate_bpm), "<hr>%.0f</hr>", n),
            fmt_column(cad, "<cad>%.0f</cad>", n),
            ["</extensions>"] * n,
        ]
    elif extensions != "none":
        inner = [
            fmt_column(col(s.heart_rate_bpm), "<gpxtpx:hr>%.0f</gpxtpx:hr>", n),
            fmt_column(cad, "<gpxtpx:cad>%.0f</gpxtpx:cad>", n),
        ]
        if extensions == "garmin_v2":
            inner.append(fmt_column(col(s.speed_m_s), "<gpxtpx:speed>%.3f</gpxtpx:speed>", n))
        if version == "1.0":
            cols += inner
        else:
            cols += [["<extensions><gpxtpx:TrackPointExtension>"] * n, *inner]
            cols.append(["</gpxtpx:TrackPointExtension></extensions>"] * n)
    cols.append(["</trkpt>"] * n)

    tpx = TPX_NS.get(extensions)
    ns_decl = f' xmlns="{GPX_NS[version]}"' + (f' xmlns:gpxtpx="{tpx}"' if tpx else "")
    start = iso_times([s.start_s])[0]
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="{version}" creator="milepace synth"{ns_decl}'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    if version == "1.1":
        head.append(f"<metadata><name>{escape(s.name)}</name><time>{start}</time></metadata>")
        head.append(f"<trk><name>{escape(s.name)}</name><type>{escape(s.sport)}</type><trkseg>")
    else:
        head.append(f"<time>{start}</time>")
        head.append(f"<trk><name>{escape(s.name)}</name><trkseg>")
    tail = ["</trkseg></trk>", "</gpx>", ""]
    return "\n".join(head + join_columns(cols) + tail).encode("utf-8")
