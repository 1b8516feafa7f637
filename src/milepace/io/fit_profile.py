"""FIT profile numbers for the messages and fields milepace reads (see :data:`~milepace.io.fit_tables.MESSAGES`).

Generated from ``fitdecode.profile`` (fitdecode 0.11.0, which transcribes the
Garmin FIT SDK profile) so the fast decoder does not import fitdecode at start-up;
``tests/io/test_fit_fast.py`` checks every number here against ``fitdecode.profile``.

Layout: ``PROFILE[message name] = (global message number, {field number: FieldSpec})``.
"""

from __future__ import annotations

from typing import NamedTuple


class SubFieldSpec(NamedTuple):
    """A dynamic field: the name, scale and offset a field takes when a reference field has a given raw value."""

    name: str
    scale: float | None
    offset: float | None
    refs: tuple[tuple[int, int], ...]
    """(reference field number, raw value) pairs; the first match selects this subfield."""


class ComponentSpec(NamedTuple):
    """A field expanded from bits of another field (``speed`` → ``enhanced_speed`` …)."""

    name: str
    def_num: int
    scale: float | None
    offset: float | None
    bits: int
    bit_offset: int
    accumulate: bool


class FieldSpec(NamedTuple):
    """One profile field: its name, scale and offset (value = raw / scale - offset), subfields and components."""

    name: str
    scale: float | None
    offset: float | None
    subfields: tuple[SubFieldSpec, ...] = ()
    components: tuple[ComponentSpec, ...] = ()
    is_string: bool = False
    """The profile type is ``string`` (UTF-8, NUL-terminated)."""


PROFILE: dict[str, tuple[int, dict[int, FieldSpec]]] = {
    "file_id": (
        0,
        {
            0: FieldSpec("type", None, None),
            1: FieldSpec("manufacturer", None, None),
            2: FieldSpec(
                "product",
                None,
                None,
                (
                    SubFieldSpec("favero_product", None, None, ((1, 263),)),
                    SubFieldSpec("garmin_product", None, None, ((1, 1), (1, 15), (1, 13), (1, 89))),
                ),
            ),
            3: FieldSpec("serial_number", None, None),
            4: FieldSpec("time_created", None, None),
        },
    ),
    "device_info": (
        23,
        {
            0: FieldSpec("device_index", None, None),
            2: FieldSpec("manufacturer", None, None),
            4: FieldSpec(
                "product",
                None,
                None,
                (
                    SubFieldSpec("favero_product", None, None, ((2, 263),)),
                    SubFieldSpec("garmin_product", None, None, ((2, 1), (2, 15), (2, 13), (2, 89))),
                ),
            ),
            27: FieldSpec("product_name", None, None, is_string=True),
            253: FieldSpec("timestamp", None, None),
        },
    ),
    "sport": (
        12,
        {
            0: FieldSpec("sport", None, None),
            1: FieldSpec("sub_sport", None, None),
            3: FieldSpec("name", None, None, is_string=True),
        },
    ),
    "session": (
        18,
        {
            2: FieldSpec("start_time", None, None),
            5: FieldSpec("sport", None, None),
            6: FieldSpec("sub_sport", None, None),
            7: FieldSpec("total_elapsed_time", 1000, None),
            8: FieldSpec("total_timer_time", 1000, None),
            9: FieldSpec("total_distance", 100, None),
            25: FieldSpec("first_lap_index", None, None),
            26: FieldSpec("num_laps", None, None),
            253: FieldSpec("timestamp", None, None),
        },
    ),
    "lap": (
        19,
        {
            0: FieldSpec("event", None, None),
            1: FieldSpec("event_type", None, None),
            2: FieldSpec("start_time", None, None),
            7: FieldSpec("total_elapsed_time", 1000, None),
            8: FieldSpec("total_timer_time", 1000, None),
            9: FieldSpec("total_distance", 100, None),
            23: FieldSpec("intensity", None, None),
            24: FieldSpec("lap_trigger", None, None),
            25: FieldSpec("sport", None, None),
            71: FieldSpec("wkt_step_index", None, None),
            253: FieldSpec("timestamp", None, None),
        },
    ),
    "record": (
        20,
        {
            0: FieldSpec("position_lat", None, None),
            1: FieldSpec("position_long", None, None),
            2: FieldSpec(
                "altitude",
                5,
                500,
                (),
                (ComponentSpec("enhanced_altitude", 78, 5, 500, 16, 0, False),),
            ),
            3: FieldSpec("heart_rate", None, None),
            4: FieldSpec("cadence", None, None),
            5: FieldSpec("distance", 100, None),
            6: FieldSpec(
                "speed",
                1000,
                None,
                (),
                (ComponentSpec("enhanced_speed", 73, 1000, None, 16, 0, False),),
            ),
            7: FieldSpec("power", None, None),
            8: FieldSpec(
                "compressed_speed_distance",
                None,
                None,
                (),
                (
                    ComponentSpec("speed", 6, 100, None, 12, 0, False),
                    ComponentSpec("distance", 5, 16, None, 12, 12, True),
                ),
            ),
            53: FieldSpec("fractional_cadence", 128, None),
            73: FieldSpec("enhanced_speed", 1000, None),
            78: FieldSpec("enhanced_altitude", 5, 500),
            253: FieldSpec("timestamp", None, None),
        },
    ),
    "event": (
        21,
        {
            0: FieldSpec("event", None, None),
            1: FieldSpec("event_type", None, None),
            2: FieldSpec(
                "data16",
                None,
                None,
                (),
                (ComponentSpec("data", 3, None, None, 16, 0, False),),
            ),
            3: FieldSpec(
                "data",
                None,
                None,
                (
                    SubFieldSpec("auto_activity_detect_duration", None, None, ((0, 54),)),
                    SubFieldSpec("battery_level", 1000, None, ((0, 11),)),
                    SubFieldSpec("cad_high_alert", None, None, ((0, 17),)),
                    SubFieldSpec("cad_low_alert", None, None, ((0, 18),)),
                    SubFieldSpec("calorie_duration_alert", None, None, ((0, 25),)),
                    SubFieldSpec("comm_timeout", None, None, ((0, 47),)),
                    SubFieldSpec("course_point_index", None, None, ((0, 10),)),
                    SubFieldSpec("distance_duration_alert", 100, None, ((0, 24),)),
                    SubFieldSpec("dive_alert", None, None, ((0, 56),)),
                    SubFieldSpec("fitness_equipment_state", None, None, ((0, 27),)),
                    SubFieldSpec("gear_change_data", None, None, ((0, 42), (0, 43))),
                    SubFieldSpec("hr_high_alert", None, None, ((0, 13),)),
                    SubFieldSpec("hr_low_alert", None, None, ((0, 14),)),
                    SubFieldSpec("power_high_alert", None, None, ((0, 19),)),
                    SubFieldSpec("power_low_alert", None, None, ((0, 20),)),
                    SubFieldSpec("radar_threat_alert", None, None, ((0, 75),)),
                    SubFieldSpec("rider_position", None, None, ((0, 44),)),
                    SubFieldSpec("speed_high_alert", 1000, None, ((0, 15),)),
                    SubFieldSpec("speed_low_alert", 1000, None, ((0, 16),)),
                    SubFieldSpec("sport_point", None, None, ((0, 33),)),
                    SubFieldSpec("time_duration_alert", 1000, None, ((0, 23),)),
                    SubFieldSpec("timer_trigger", None, None, ((0, 0),)),
                    SubFieldSpec("virtual_partner_speed", 1000, None, ((0, 12),)),
                ),
            ),
            253: FieldSpec("timestamp", None, None),
        },
    ),
    "activity": (
        34,
        {
            0: FieldSpec("total_timer_time", 1000, None),
            1: FieldSpec("num_sessions", None, None),
            5: FieldSpec("local_timestamp", None, None),
            253: FieldSpec("timestamp", None, None),
        },
    ),
    "workout": (
        26,
        {
            4: FieldSpec("sport", None, None),
            6: FieldSpec("num_valid_steps", None, None),
            8: FieldSpec("wkt_name", None, None, is_string=True),
            11: FieldSpec("sub_sport", None, None),
        },
    ),
    "workout_step": (
        27,
        {
            0: FieldSpec("wkt_step_name", None, None, is_string=True),
            1: FieldSpec("duration_type", None, None),
            2: FieldSpec(
                "duration_value",
                None,
                None,
                (
                    SubFieldSpec("duration_calories", None, None, ((1, 4),)),
                    SubFieldSpec("duration_distance", 100, None, ((1, 1),)),
                    SubFieldSpec("duration_hr", None, None, ((1, 2), (1, 3))),
                    SubFieldSpec("duration_power", None, None, ((1, 14), (1, 15))),
                    SubFieldSpec("duration_reps", None, None, ((1, 29),)),
                    SubFieldSpec(
                        "duration_step",
                        None,
                        None,
                        ((1, 6), (1, 7), (1, 8), (1, 9), (1, 10), (1, 11), (1, 12), (1, 13)),
                    ),
                    SubFieldSpec("duration_time", 1000, None, ((1, 0), (1, 28))),
                ),
            ),
            3: FieldSpec("target_type", None, None),
            4: FieldSpec(
                "target_value",
                None,
                None,
                (
                    SubFieldSpec("repeat_calories", None, None, ((1, 9),)),
                    SubFieldSpec("repeat_distance", 100, None, ((1, 8),)),
                    SubFieldSpec("repeat_hr", None, None, ((1, 10), (1, 11))),
                    SubFieldSpec("repeat_power", None, None, ((1, 12), (1, 13))),
                    SubFieldSpec("repeat_steps", None, None, ((1, 6),)),
                    SubFieldSpec("repeat_time", 1000, None, ((1, 7),)),
                    SubFieldSpec("target_cadence_zone", None, None, ((3, 3),)),
                    SubFieldSpec("target_hr_zone", None, None, ((3, 1),)),
                    SubFieldSpec("target_power_zone", None, None, ((3, 4),)),
                    SubFieldSpec("target_speed_zone", None, None, ((3, 0),)),
                    SubFieldSpec("target_stroke_type", None, None, ((3, 11),)),
                ),
            ),
            5: FieldSpec(
                "custom_target_value_low",
                None,
                None,
                (
                    SubFieldSpec("custom_target_cadence_low", None, None, ((3, 3),)),
                    SubFieldSpec("custom_target_heart_rate_low", None, None, ((3, 1),)),
                    SubFieldSpec("custom_target_power_low", None, None, ((3, 4),)),
                    SubFieldSpec("custom_target_speed_low", 1000, None, ((3, 0),)),
                ),
            ),
            6: FieldSpec(
                "custom_target_value_high",
                None,
                None,
                (
                    SubFieldSpec("custom_target_cadence_high", None, None, ((3, 3),)),
                    SubFieldSpec("custom_target_heart_rate_high", None, None, ((3, 1),)),
                    SubFieldSpec("custom_target_power_high", None, None, ((3, 4),)),
                    SubFieldSpec("custom_target_speed_high", 1000, None, ((3, 0),)),
                ),
            ),
            7: FieldSpec("intensity", None, None),
            254: FieldSpec("message_index", None, None),
        },
    ),
    "hr": (
        132,
        {
            0: FieldSpec("fractional_timestamp", 32768, None),
            1: FieldSpec(
                "time256",
                256,
                None,
                (),
                (ComponentSpec("fractional_timestamp", 0, 256, None, 8, 0, False),),
            ),
            6: FieldSpec("filtered_bpm", None, None),
            9: FieldSpec("event_timestamp", 1024, None),
            10: FieldSpec(
                "event_timestamp_12",
                None,
                None,
                (),
                (
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 0, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 12, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 24, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 36, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 48, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 60, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 72, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 84, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 96, True),
                    ComponentSpec("event_timestamp", 9, 1024, None, 12, 108, True),
                ),
            ),
            253: FieldSpec("timestamp", None, None),
        },
    ),
}
"""Message name → (global message number, field number → :class:`FieldSpec`)."""

MESSAGE_NAMES: dict[int, str] = {
    0: "file_id",
    1: "capabilities",
    2: "device_settings",
    3: "user_profile",
    4: "hrm_profile",
    5: "sdm_profile",
    6: "bike_profile",
    7: "zones_target",
    8: "hr_zone",
    9: "power_zone",
    10: "met_zone",
    12: "sport",
    13: "training_settings",
    15: "goal",
    18: "session",
    19: "lap",
    20: "record",
    21: "event",
    23: "device_info",
    26: "workout",
    27: "workout_step",
    28: "schedule",
    30: "weight_scale",
    31: "course",
    32: "course_point",
    33: "totals",
    34: "activity",
    35: "software",
    37: "file_capabilities",
    38: "mesg_capabilities",
    39: "field_capabilities",
    49: "file_creator",
    51: "blood_pressure",
    53: "speed_zone",
    55: "monitoring",
    72: "training_file",
    78: "hrv",
    80: "ant_rx",
    81: "ant_tx",
    82: "ant_channel_id",
    101: "length",
    103: "monitoring_info",
    106: "slave_device",
    127: "connectivity",
    128: "weather_conditions",
    129: "weather_alert",
    131: "cadence_zone",
    132: "hr",
    142: "segment_lap",
    145: "memo_glob",
    148: "segment_id",
    149: "segment_leaderboard_entry",
    150: "segment_point",
    151: "segment_file",
    158: "workout_session",
    159: "watchface_settings",
    160: "gps_metadata",
    161: "camera_event",
    162: "timestamp_correlation",
    164: "gyroscope_data",
    165: "accelerometer_data",
    167: "three_d_sensor_calibration",
    169: "video_frame",
    174: "obdii_data",
    177: "nmea_sentence",
    178: "aviation_attitude",
    184: "video",
    185: "video_title",
    186: "video_description",
    187: "video_clip",
    188: "ohr_settings",
    200: "exd_screen_configuration",
    201: "exd_data_field_configuration",
    202: "exd_data_concept_configuration",
    206: "field_description",
    207: "developer_data_id",
    208: "magnetometer_data",
    209: "barometer_data",
    210: "one_d_sensor_calibration",
    211: "monitoring_hr_data",
    216: "time_in_zone",
    225: "set",
    227: "stress_level",
    229: "max_met_data",
    258: "dive_settings",
    259: "dive_gas",
    262: "dive_alarm",
    264: "exercise_title",
    268: "dive_summary",
    269: "spo2_data",
    275: "sleep_level",
    285: "jump",
    289: "aad_accel_features",
    290: "beat_intervals",
    297: "respiration_rate",
    302: "hsa_accelerometer_data",
    304: "hsa_step_data",
    305: "hsa_spo2_data",
    306: "hsa_stress_data",
    307: "hsa_respiration_data",
    308: "hsa_heart_rate_data",
    312: "split",
    313: "split_summary",
    314: "hsa_body_battery_data",
    315: "hsa_event",
    317: "climb_pro",
    319: "tank_update",
    323: "tank_summary",
    346: "sleep_assessment",
    370: "hrv_status_summary",
    371: "hrv_value",
    372: "raw_bbi",
    375: "device_aux_battery_info",
    376: "hsa_gyroscope_data",
    387: "chrono_shot_session",
    388: "chrono_shot_data",
    389: "hsa_configuration_data",
    393: "dive_apnea_alarm",
    398: "skin_temp_overnight",
    409: "hsa_wrist_temperature_data",
}
"""Global message number → profile name (others are ``unknown_<number>``, as fitdecode names them)."""


PROFILE_TYPES: dict[int, dict[int, tuple[str, int]]] = {
    0: {  # file_id
        0: ("enum", 1),
        1: ("uint16", 2),
        2: ("uint16", 2),
        3: ("uint32z", 4),
        4: ("uint32", 4),
    },
    23: {  # device_info
        0: ("uint8", 1),
        2: ("uint16", 2),
        4: ("uint16", 2),
        27: ("string", 1),
        253: ("uint32", 4),
    },
    12: {  # sport
        0: ("enum", 1),
        1: ("enum", 1),
        3: ("string", 1),
    },
    18: {  # session
        2: ("uint32", 4),
        5: ("enum", 1),
        6: ("enum", 1),
        7: ("uint32", 4),
        8: ("uint32", 4),
        9: ("uint32", 4),
        25: ("uint16", 2),
        26: ("uint16", 2),
        253: ("uint32", 4),
    },
    19: {  # lap
        0: ("enum", 1),
        1: ("enum", 1),
        2: ("uint32", 4),
        7: ("uint32", 4),
        8: ("uint32", 4),
        9: ("uint32", 4),
        23: ("enum", 1),
        24: ("enum", 1),
        25: ("enum", 1),
        71: ("uint16", 2),
        253: ("uint32", 4),
    },
    20: {  # record
        0: ("sint32", 4),
        1: ("sint32", 4),
        2: ("uint16", 2),
        3: ("uint8", 1),
        4: ("uint8", 1),
        5: ("uint32", 4),
        6: ("uint16", 2),
        7: ("uint16", 2),
        8: ("byte", 1),
        53: ("uint8", 1),
        73: ("uint32", 4),
        78: ("uint32", 4),
        253: ("uint32", 4),
    },
    21: {  # event
        0: ("enum", 1),
        1: ("enum", 1),
        2: ("uint16", 2),
        3: ("uint32", 4),
        253: ("uint32", 4),
    },
    34: {  # activity
        0: ("uint32", 4),
        1: ("uint16", 2),
        5: ("uint32", 4),
        253: ("uint32", 4),
    },
    26: {  # workout
        4: ("enum", 1),
        6: ("uint16", 2),
        8: ("string", 1),
        11: ("enum", 1),
    },
    27: {  # workout_step
        0: ("string", 1),
        1: ("enum", 1),
        2: ("uint32", 4),
        3: ("enum", 1),
        4: ("uint32", 4),
        5: ("uint32", 4),
        6: ("uint32", 4),
        7: ("enum", 1),
        254: ("uint16", 2),
    },
    132: {  # hr
        0: ("uint16", 2),
        1: ("uint8", 1),
        6: ("uint8", 1),
        9: ("uint32", 4),
        10: ("byte", 1),
        253: ("uint32", 4),
    },
}
"""Global message number → field number → (FIT base type of the profile type, its size [bytes]) for the fields of :data:`PROFILE`."""

BASE_TYPE_NAMES: dict[int, str] = {
    0x00: "enum",
    0x01: "sint8",
    0x02: "uint8",
    0x83: "sint16",
    0x84: "uint16",
    0x85: "sint32",
    0x86: "uint32",
    0x07: "string",
    0x88: "float32",
    0x89: "float64",
    0x0A: "uint8z",
    0x8B: "uint16z",
    0x8C: "uint32z",
    0x0D: "byte",
    0x8E: "sint64",
    0x8F: "uint64",
    0x90: "uint64z",
}
"""FIT base type byte (endian bit included) → name, as in the FIT protocol's base type table."""


def narrower_than_profile(
    global_num: int, field_num: int, size: int, element_size: int, *, declared_string: bool = False
) -> tuple[str, int] | None:
    """The profile type a field cannot be read as, when its declared elements are narrower than that type.

    A multi-byte field declared as bytes (``byte``, an unknown base type, or a
    size that is not a multiple of its base type's size) or as an array of a
    base type narrower than the profile's (a 4-byte ``position_lat`` of
    ``enum``) would be read as its first element: a fragment of the value,
    not the value. The FIT SDK refuses an unknown base type outright; both
    milepace decoders drop such a field (one declared as a single narrower
    value, such as a 1-byte ``event.data``, is a valid FIT encoding and kept).
    A number declared as a ``string`` is dropped whatever its size (it would
    come out as text).

    Parameters
    ----------
    global_num, field_num
        Global message number and field number.
    size
        The field's declared size [bytes].
    element_size
        Size of one element as decoded [bytes]: the base type's size, or 1
        when the field is read as bytes.
    declared_string
        The declared base type is ``string``.

    Returns
    -------
    tuple[str, int] or None
        The profile's base type name and size [bytes] when the field must be
        dropped, else ``None`` (also for fields outside :data:`PROFILE_TYPES`).
    """
    profile_type = PROFILE_TYPES.get(global_num, {}).get(field_num)
    if profile_type is None:
        return None
    if declared_string:
        return None if profile_type[0] == "string" else profile_type
    if size <= element_size or element_size >= profile_type[1]:
        return None
    return profile_type


def narrower_field_note(message: str, field: str, size: int, declared: str | None, profile_type: str) -> str:
    """The data-quality note for a field dropped by :func:`narrower_than_profile` (same text in both decoders).

    Parameters
    ----------
    message, field
        Profile names (``record``, ``position_lat``).
    size
        The field's declared size [bytes].
    declared
        The declared base type's name, or ``None`` when the field is read as bytes.
    profile_type
        The profile's base type name.
    """
    if declared is None:
        what, first = "an unknown base type (or raw bytes)", "byte"
    elif declared == "string":
        what, first = "base type string (text)", "character"
    else:
        what, first = f"base type {declared} (an array of narrower values)", "element"
    return (
        f"{message}.{field} is declared as {size} byte(s) of {what}, where the FIT profile has a "
        f"{profile_type}; the field was ignored rather than read as its first {first}"
    )
