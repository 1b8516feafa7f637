"""TCX writer for synthetic sessions (Garmin TrainingCenterDatabase v2).

One ``<Lap>`` per device lap (``Intensity`` Active/Resting, ``TriggerMethod``),
``<Trackpoint>`` s with position (absent on a treadmill), altitude, device
distance, heart rate, and ``ns3:TPX`` ``Speed`` [m/s] / ``RunCadence``
(per leg, steps per minute / 2) from ActivityExtension v2.
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

from .session import SynthSession

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"

_TRIGGER = {"manual": "Manual", "distance": "Distance", "time": "Time", "session_end": "Manual"}
_SPORT = {"running": "Running", "cycling": "Biking"}


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_tcx(session: SynthSession) -> bytes:
    """Encode a session as TCX.

    Parameters
    ----------
    session
        The simulated session.

    Returns
    -------
    bytes
        UTF-8 XML with one ``<Lap>`` per lap of the session.
    """
    s = session
    n = len(s.time_s)
    times = [_iso(t) for t in s.time_s.tolist()]
    has_pos = s.lat_deg is not None and s.lon_deg is not None
    lat = s.lat_deg.tolist() if s.lat_deg is not None else None
    lon = s.lon_deg.tolist() if s.lon_deg is not None else None
    ele = s.elevation_m.tolist() if s.elevation_m is not None else None
    dist = s.distance_m.tolist() if s.distance_m is not None else None
    hr = s.heart_rate_bpm.tolist() if s.heart_rate_bpm is not None else None
    spd = s.speed_m_s.tolist() if s.speed_m_s is not None else None
    cad = np.round(s.cadence_spm / 2.0).tolist() if s.cadence_spm is not None else None

    def point(i: int) -> str:
        parts = [f"<Trackpoint><Time>{times[i]}</Time>"]
        if has_pos and lat is not None and lon is not None and np.isfinite(lat[i]) and np.isfinite(lon[i]):
            parts.append(
                f"<Position><LatitudeDegrees>{lat[i]:.9f}</LatitudeDegrees>"
                f"<LongitudeDegrees>{lon[i]:.9f}</LongitudeDegrees></Position>"
            )
        if ele is not None and np.isfinite(ele[i]):
            parts.append(f"<AltitudeMeters>{ele[i]:.1f}</AltitudeMeters>")
        if dist is not None and np.isfinite(dist[i]):
            parts.append(f"<DistanceMeters>{dist[i]:.2f}</DistanceMeters>")
        if hr is not None and np.isfinite(hr[i]):
            parts.append(f"<HeartRateBpm><Value>{int(hr[i])}</Value></HeartRateBpm>")
        tpx = []
        if spd is not None and np.isfinite(spd[i]):
            tpx.append(f"<ns3:Speed>{spd[i]:.3f}</ns3:Speed>")
        if cad is not None and np.isfinite(cad[i]):
            tpx.append(f"<ns3:RunCadence>{int(cad[i])}</ns3:RunCadence>")
        if tpx:
            parts.append(f"<Extensions><ns3:TPX>{''.join(tpx)}</ns3:TPX></Extensions>")
        parts.append("</Trackpoint>")
        return "".join(parts)

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<TrainingCenterDatabase xmlns="{TCX_NS}" xmlns:ns3="{AX_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "<Activities>",
        f'<Activity Sport="{_SPORT.get(s.sport, "Other")}">',
        f"<Id>{_iso(s.start_s)}</Id>",
    ]
    laps = s.laps
    bounds = np.searchsorted(s.time_s, [lap.start_s for lap in laps[1:]], side="left").tolist()
    edges = [0, *bounds, n]
    for li, lap in enumerate(laps):
        a, b = edges[li], edges[li + 1]
        seg_hr = np.asarray(hr[a:b], dtype=float) if hr is not None else np.array([])
        seg_hr = seg_hr[np.isfinite(seg_hr)]
        seg_spd = np.asarray(spd[a:b], dtype=float) if spd is not None else np.array([])
        seg_spd = seg_spd[np.isfinite(seg_spd)]
        out.append(f'<Lap StartTime="{_iso(lap.start_s)}">')
        out.append(f"<TotalTimeSeconds>{lap.timer_s:.1f}</TotalTimeSeconds>")
        out.append(f"<DistanceMeters>{lap.distance_m:.2f}</DistanceMeters>")
        if len(seg_spd):
            out.append(f"<MaximumSpeed>{seg_spd.max():.3f}</MaximumSpeed>")
        out.append("<Calories>0</Calories>")
        if len(seg_hr):
            out.append(f"<AverageHeartRateBpm><Value>{round(seg_hr.mean())}</Value></AverageHeartRateBpm>")
            out.append(f"<MaximumHeartRateBpm><Value>{int(seg_hr.max())}</Value></MaximumHeartRateBpm>")
        out.append(f"<Intensity>{'Resting' if lap.intensity == 'rest' else 'Active'}</Intensity>")
        out.append(f"<TriggerMethod>{_TRIGGER.get(lap.trigger, 'Manual')}</TriggerMethod>")
        if b > a:
            out.append("<Track>")
            out.extend(point(i) for i in range(a, b))
            out.append("</Track>")
        out.append("</Lap>")
    out.append(
        '<Creator xsi:type="Device_t"><Name>milepace synth</Name><UnitId>1</UnitId><ProductID>1</ProductID>'
        "<Version><VersionMajor>1</VersionMajor><VersionMinor>0</VersionMinor></Version></Creator>"
    )
    out += ["</Activity>", "</Activities>", "</TrainingCenterDatabase>", ""]
    return "\n".join(out).encode("utf-8")
