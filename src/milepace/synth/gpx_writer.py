"""GPX writer for synthetic sessions (GPX 1.1 or 1.0, Garmin TrackPointExtension).

GPX has no laps and no device distance: a track of points with position,
elevation and time, and heart rate / cadence in extensions. Cadence in the
Garmin extension is per leg (steps per minute / 2), as Garmin writes it.
Points without a position fix are left out (a GPX point needs lat/lon).
"""

from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import escape

import numpy as np

from ..errors import UsageError
from .session import SynthSession

GPX_NS = {"1.1": "http://www.topografix.com/GPX/1/1", "1.0": "http://www.topografix.com/GPX/1/0"}
TPX_NS = {
    "garmin_v2": "http://www.garmin.com/xmlschemas/TrackPointExtension/v2",
    "garmin_v1": "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
}


def _iso(unix_s: np.ndarray) -> list[str]:
    return [
        datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for t in np.asarray(unix_s).tolist()
    ]


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
    lat = s.lat_deg[ok].tolist()
    lon = s.lon_deg[ok].tolist()
    times = _iso(s.time_s[ok])
    ele = s.elevation_m[ok].tolist() if s.elevation_m is not None else None
    hr = s.heart_rate_bpm[ok] if s.heart_rate_bpm is not None else None
    cad = np.round(s.cadence_spm[ok] / 2.0) if s.cadence_spm is not None else None
    spd = s.speed_m_s[ok].tolist() if s.speed_m_s is not None else None
    n = len(lat)

    tpx = TPX_NS.get(extensions)
    ns_decl = f' xmlns="{GPX_NS[version]}"'
    if tpx:
        ns_decl += f' xmlns:gpxtpx="{tpx}"'
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="{version}" creator="milepace synth"{ns_decl}'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ]
    start = _iso(np.array([s.start_s]))[0]
    if version == "1.1":
        head.append(f"<metadata><name>{escape(s.name)}</name><time>{start}</time></metadata>")
        head.append(f"<trk><name>{escape(s.name)}</name><type>{escape(s.sport)}</type><trkseg>")
    else:
        head.append(f"<time>{start}</time>")
        head.append(f"<trk><name>{escape(s.name)}</name><trkseg>")

    hr_s = [str(int(v)) if np.isfinite(v) else "" for v in hr.tolist()] if hr is not None else None
    cad_s = [str(int(v)) if np.isfinite(v) else "" for v in cad.tolist()] if cad is not None else None

    def ext(i: int) -> str:
        parts = []
        if extensions == "plain":
            if hr_s and hr_s[i]:
                parts.append(f"<hr>{hr_s[i]}</hr>")
            if cad_s and cad_s[i]:
                parts.append(f"<cad>{cad_s[i]}</cad>")
            return f"<extensions>{''.join(parts)}</extensions>" if parts else ""
        if hr_s and hr_s[i]:
            parts.append(f"<gpxtpx:hr>{hr_s[i]}</gpxtpx:hr>")
        if cad_s and cad_s[i]:
            parts.append(f"<gpxtpx:cad>{cad_s[i]}</gpxtpx:cad>")
        if extensions == "garmin_v2" and spd is not None and np.isfinite(spd[i]):
            parts.append(f"<gpxtpx:speed>{spd[i]:.3f}</gpxtpx:speed>")
        if not parts:
            return ""
        if version == "1.0":
            return "".join(parts)
        return f"<extensions><gpxtpx:TrackPointExtension>{''.join(parts)}</gpxtpx:TrackPointExtension></extensions>"

    body = []
    for i in range(n):
        e = f"<ele>{ele[i]:.1f}</ele>" if ele is not None and np.isfinite(ele[i]) else ""
        extra = ""
        if version == "1.0" and spd is not None and np.isfinite(spd[i]):
            extra = f"<speed>{spd[i]:.3f}</speed>"
        x = ext(i) if extensions != "none" else ""
        body.append(
            f'<trkpt lat="{lat[i]:.9f}" lon="{lon[i]:.9f}">{e}<time>{times[i]}</time>{extra}{x}</trkpt>'
        )
    tail = ["</trkseg></trk>", "</gpx>", ""]
    return "\n".join(head + body + tail).encode("utf-8")
