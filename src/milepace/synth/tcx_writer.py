"""TCX writer for synthetic sessions (Garmin TrainingCenterDatabase v2).

One ``<Lap>`` per device lap (``Intensity`` Active/Resting, ``TriggerMethod``),
``<Trackpoint>`` s with position (absent on a treadmill), altitude, device
distance, heart rate, and ``ns3:TPX`` ``Speed`` [m/s] / ``RunCadence``
(per leg, steps per minute / 2, whole numbers) from ActivityExtension v2.
"""

from __future__ import annotations

import numpy as np

from ._xml import fmt_column, iso_times, join_columns
from .session import SynthSession

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"

_TRIGGER = {"manual": "Manual", "distance": "Distance", "time": "Time", "session_end": "Manual"}
_SPORT = {"running": "Running", "cycling": "Biking"}


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
    cad = np.round(s.cadence_spm / 2.0) if s.cadence_spm is not None else None
    pos_open = pos_close = [""] * n
    if s.lat_deg is not None and s.lon_deg is not None:
        has = np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg)
        pos_open = ["<Position>" if h else "" for h in has.tolist()]
        pos_close = ["</Position>" if h else "" for h in has.tolist()]
    has_tpx = s.speed_m_s is not None or cad is not None
    cols = [
        ["<Trackpoint><Time>" + t + "</Time>" for t in iso_times(s.time_s)],
        pos_open,
        fmt_column(s.lat_deg, "<LatitudeDegrees>%.9f</LatitudeDegrees>", n),
        fmt_column(s.lon_deg, "<LongitudeDegrees>%.9f</LongitudeDegrees>", n),
        pos_close,
        fmt_column(s.elevation_m, "<AltitudeMeters>%.1f</AltitudeMeters>", n),
        fmt_column(s.distance_m, "<DistanceMeters>%.2f</DistanceMeters>", n),
        fmt_column(s.heart_rate_bpm, "<HeartRateBpm><Value>%.0f</Value></HeartRateBpm>", n),
        ["<Extensions><ns3:TPX>" if has_tpx else ""] * n,
        fmt_column(s.speed_m_s, "<ns3:Speed>%.3f</ns3:Speed>", n),
        fmt_column(cad, "<ns3:RunCadence>%.0f</ns3:RunCadence>", n),
        ["</ns3:TPX></Extensions></Trackpoint>" if has_tpx else "</Trackpoint>"] * n,
    ]
    points = join_columns(cols)

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<TrainingCenterDatabase xmlns="{TCX_NS}" xmlns:ns3="{AX_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "<Activities>",
        f'<Activity Sport="{_SPORT.get(s.sport, "Other")}">',
        f"<Id>{iso_times([s.start_s])[0]}</Id>",
    ]
    laps = s.laps
    bounds = np.searchsorted(s.time_s, [lap.start_s for lap in laps[1:]], side="left").tolist()
    edges = [0, *bounds, n]
    lap_starts = iso_times([lap.start_s for lap in laps])
    for li, lap in enumerate(laps):
        a, b = edges[li], edges[li + 1]
        hr = s.heart_rate_bpm[a:b] if s.heart_rate_bpm is not None else np.array([])
        hr = hr[np.isfinite(hr)]
        spd = s.speed_m_s[a:b] if s.speed_m_s is not None else np.array([])
        spd = spd[np.isfinite(spd)]
        out.append(f'<Lap StartTime="{lap_starts[li]}">')
        out.append(f"<TotalTimeSeconds>{lap.timer_s:.1f}</TotalTimeSeconds>")
        out.append(f"<DistanceMeters>{lap.distance_m:.2f}</DistanceMeters>")
        if len(spd):
            out.append(f"<MaximumSpeed>{spd.max():.3f}</MaximumSpeed>")
        out.append("<Calories>0</Calories>")
        if len(hr):
            out.append(f"<AverageHeartRateBpm><Value>{round(float(hr.mean()))}</Value></AverageHeartRateBpm>")
            out.append(f"<MaximumHeartRateBpm><Value>{int(hr.max())}</Value></MaximumHeartRateBpm>")
        out.append(f"<Intensity>{'Resting' if lap.intensity == 'rest' else 'Active'}</Intensity>")
        out.append(f"<TriggerMethod>{_TRIGGER.get(lap.trigger, 'Manual')}</TriggerMethod>")
        if b > a:
            out.append("<Track>")
            out.extend(points[a:b])
            out.append("</Track>")
        out.append("</Lap>")
    out.append(
        '<Creator xsi:type="Device_t"><Name>milepace synth</Name><UnitId>1</UnitId><ProductID>1</ProductID>'
        "<Version><VersionMajor>1</VersionMajor><VersionMinor>0</VersionMinor></Version></Creator>"
    )
    out += ["</Activity>", "</Activities>", "</TrainingCenterDatabase>", ""]
    return "\n".join(out).encode("utf-8")
