"""FIT enum integers → the profile's names, taken from ``fitdecode.profile`` (not hand-written).

The types milepace reads come from ``fit_enums.py``, generated from
``fitdecode.profile`` and checked against it by a test, so reading a file
does not import fitdecode.

The FIT profile ships with fitdecode; its enum tables are the reference both
FIT decoders agree on. Unknown values come back as ``None`` (or, for
products, the integer as text) so a newer device never breaks reading.
"""

from __future__ import annotations

import math
from functools import cache

GARMIN_MANUFACTURERS: frozenset[int] = frozenset({1, 13, 15})
"""``garmin``, ``dynastream_oem`` and ``dynastream``: the FIT profile resolves their
``product`` field through the ``garmin_product`` table."""

LAP_TRIGGER_TO_CANONICAL: dict[str, str] = {
    "manual": "manual",
    "time": "time",
    "distance": "distance",
    "position_start": "position",
    "position_lap": "position",
    "position_waypoint": "position",
    "position_marked": "position",
    "session_end": "session_end",
    "fitness_equipment": "unknown",
}
"""FIT ``lap_trigger`` names → :data:`milepace.activity.LAP_TRIGGERS`."""

TIMER_STOP_EVENT_TYPES: frozenset[int] = frozenset({1, 4, 8, 9})
"""FIT ``event_type`` values that stop the timer: stop, stop_all, stop_disable, stop_disable_all."""
TIMER_START_EVENT_TYPE = 0
"""FIT ``event_type`` ``start``."""
TIMER_EVENT = 0
"""FIT ``event`` ``timer``."""


@cache
def _enum(type_name: str) -> dict[int, str]:
    from .fit_enums import ENUMS  # the tables milepace names, generated from fitdecode.profile

    table = ENUMS.get(type_name)
    if table is not None:
        return table
    from fitdecode import profile  # any other type: imported on first use (~30 ms of CPU)

    field_type = profile.FIELD_TYPES.get(type_name)
    if field_type is None or not field_type.enum:
        return {}
    return dict(field_type.enum)


def enum_name(type_name: str, value: float | int | None) -> str | None:
    """Name of an enum value in the FIT profile, or ``None`` when absent or unknown.

    Parameters
    ----------
    type_name
        Profile type, e.g. ``"sport"``, ``"lap_trigger"``, ``"manufacturer"``.
    value
        Raw integer (NaN and ``None`` mean "not recorded").

    Examples
    --------
    >>> enum_name("sport", 1)
    'running'
    """
    if value is None:
        return None
    try:
        if math.isnan(float(value)):
            return None
        key = int(value)
    except (TypeError, ValueError):
        return None
    return _enum(type_name).get(key)


def product_name(manufacturer: float | int | None, product: float | int | None) -> str | None:
    """Device model name: the ``garmin_product`` name for Garmin-family makers, else the number as text.

    Examples
    --------
    >>> product_name(1, 1632)
    'fr220'
    """
    if product is None:
        return None
    try:
        if math.isnan(float(product)):
            return None
        key = int(product)
    except (TypeError, ValueError):
        return None
    if manufacturer is not None and not (isinstance(manufacturer, float) and math.isnan(manufacturer)):
        if int(manufacturer) in GARMIN_MANUFACTURERS:
            name = _enum("garmin_product").get(key)
            if name is not None:
                return name
    return str(key)
