"""The intermediate form both FIT decoders produce: one DataFrame per message type.

Two decoders turn FIT bytes into :data:`FitTables`:

* ``io/fit_fast.py`` — the vectorised numpy decoder (fast path);
* ``io/fit.py`` — the fitdecode-based decoder (reference and fallback).

``io/fit.py`` then builds the :class:`~milepace.activity.Activity` from the
tables, so the two decoders are compared table for table and value for value.

The same tables may also come as plain numpy columns per message
(``fit_fast.decode_columns``: message → column → array, same names, values and
conventions; ``fit_fast.decode`` is those columns put in DataFrames). The
builder reads both forms, and ``read_fit`` hands it the columns: the ten or so
small DataFrames per file cost more to build and take apart than decoding.

Contract
--------
``FitTables`` maps a message name to a DataFrame with one row per data
message of that type, in file order, with a default RangeIndex. Only the
messages in :data:`MESSAGES` are required; a message type absent from the
file is absent from the mapping (or an empty frame).

Columns are the FIT profile field names (as fitdecode names them) listed in
:data:`MESSAGES`; a field a message does not carry is a missing column or
NaN. Value conventions:

* **date_time fields** (``timestamp``, ``start_time``, ``time_created``,
  ``local_timestamp``): float64 raw seconds since the FIT epoch
  (1989-12-31T00:00:00Z; ``local_timestamp`` is in local time). For records
  with a compressed-timestamp header the decoder fills ``timestamp`` with the
  full rolled-over value.
* **position fields** (``position_lat``, ``position_long``): float64 raw
  semicircles.
* **scaled numeric fields**: float64 in physical units after the profile's
  scale and offset (``distance`` m, ``speed`` m/s, ``altitude`` m,
  ``total_elapsed_time`` s …), exactly as fitdecode's ``value``.
* **enum fields** (``sport``, ``sub_sport``, ``lap_trigger``, ``intensity``,
  ``event``, ``event_type``, ``manufacturer``, ``type``, ``duration_type``,
  ``target_type`` …) and plain integers (``product``, ``wkt_step_index``,
  ``message_index``, ``data``): float64 raw integer values.
* **strings** (``wkt_name``, ``wkt_step_name``, ``name``, ``product_name``):
  Python ``str`` (object column), ``None`` when invalid.
* Invalid-value sentinels (0xFF, 0xFFFF, 0x7FFFFFFF …) become NaN.

Records can carry both ``speed`` and ``enhanced_speed`` (and ``altitude`` /
``enhanced_altitude``); both are kept as separate columns, and the Activity
builder prefers the enhanced one.
"""

from __future__ import annotations

import pandas as pd

FitTables = dict[str, pd.DataFrame]

MESSAGES: dict[str, tuple[str, ...]] = {
    "file_id": ("type", "manufacturer", "product", "time_created", "serial_number"),
    "device_info": ("timestamp", "device_index", "manufacturer", "product", "product_name"),
    "sport": ("sport", "sub_sport", "name"),
    "session": (
        "timestamp",
        "start_time",
        "sport",
        "sub_sport",
        "total_elapsed_time",
        "total_timer_time",
        "total_distance",
        "first_lap_index",
        "num_laps",
    ),
    "lap": (
        "timestamp",
        "start_time",
        "total_elapsed_time",
        "total_timer_time",
        "total_distance",
        "lap_trigger",
        "intensity",
        "wkt_step_index",
        "sport",
        "event",
        "event_type",
    ),
    "record": (
        "timestamp",
        "position_lat",
        "position_long",
        "distance",
        "speed",
        "enhanced_speed",
        "altitude",
        "enhanced_altitude",
        "heart_rate",
        "cadence",
        "fractional_cadence",
        "power",
    ),
    "event": ("timestamp", "event", "event_type", "data", "timer_trigger"),
    "activity": ("timestamp", "local_timestamp", "total_timer_time", "num_sessions"),
    "workout": ("wkt_name", "sport", "sub_sport", "num_valid_steps"),
    "workout_step": (
        "message_index",
        "wkt_step_name",
        "duration_type",
        "duration_value",
        "target_type",
        "target_value",
        "custom_target_value_low",
        "custom_target_value_high",
        "intensity",
    ),
    "hr": ("timestamp", "fractional_timestamp", "time256", "filtered_bpm", "event_timestamp"),
}
"""Message name → the fields milepace uses from it."""
