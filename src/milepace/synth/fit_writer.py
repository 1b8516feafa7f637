"""A FIT encoder for synthetic sessions (activity files).

Writes what a running watch writes: ``file_id``, ``device_info``, ``sport``,
optionally ``developer_data_id`` + ``field_description``, ``workout`` +
``workout_step`` (structured workouts), timer ``event`` s, ``record`` s,
``lap`` s, optional ``hr`` messages, ``session`` and ``activity`` — with the
14-byte header, its CRC and the file CRC (CRC-16 as in the FIT SDK, which is
CRC-16/ARC: reflected polynomial 0xA001, initial value 0).

Field numbers, base types, scales and offsets follow the FIT profile
(``Profile.xlsx`` of the FIT SDK; the same tables fitdecode ships). Records
are packed in bulk with a numpy structured dtype per layout, so a 1-hour
session encodes in a few milliseconds.

Options exercise what decoders must cope with: compressed-timestamp record
headers, big-endian definitions, developer fields, several local message
types (rotating) or one redefined over and over, events and laps interleaved
with records, and heart rate carried in separate ``hr`` messages.

``hr`` messages follow the FIT SDK's layout: an anchor message (``timestamp``,
``fractional_timestamp``, one ``filtered_bpm``/``event_timestamp``), then
messages of up to 8 beats without a timestamp; ``event_timestamp`` is each
sample's time as FIT seconds × 1024 modulo 2³² (decoded: seconds, scale 1024,
rolling over every 2²² s).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import UsageError
from ..units import FIT_EPOCH_S, SEMICIRCLES_TO_DEG
from .session import SynthSession

PROFILE_VERSION = 2132
PROTOCOL_VERSION = 0x20

# base type name -> (base type byte, numpy kind, invalid value)
_BASE: dict[str, tuple[int, str, int]] = {
    "enum": (0x00, "u1", 0xFF),
    "sint8": (0x01, "i1", 0x7F),
    "uint8": (0x02, "u1", 0xFF),
    "sint16": (0x83, "i2", 0x7FFF),
    "uint16": (0x84, "u2", 0xFFFF),
    "sint32": (0x85, "i4", 0x7FFFFFFF),
    "uint32": (0x86, "u4", 0xFFFFFFFF),
    "string": (0x07, "S", 0),
    "uint8z": (0x0A, "u1", 0),
    "uint16z": (0x8B, "u2", 0),
    "uint32z": (0x8C, "u4", 0),
    "byte": (0x0D, "u1", 0xFF),
}

# global message numbers (FIT profile, MesgNum)
FILE_ID, SPORT, SESSION, LAP, RECORD, EVENT, DEVICE_INFO = 0, 12, 18, 19, 20, 21, 23
WORKOUT, WORKOUT_STEP, ACTIVITY, HR = 26, 27, 34, 132
FIELD_DESCRIPTION, DEVELOPER_DATA_ID = 206, 207

_SPORT = {"running": 1, "cycling": 2, "generic": 0}
_SUB_SPORT = {"generic": 0, "treadmill": 1, "street": 2, "trail": 3, "track": 4, "road": 7}
_INTENSITY = {"active": 0, "rest": 1, "warmup": 2, "cooldown": 3, "recovery": 4, "interval": 5, "other": 6}
_LAP_TRIGGER = {"manual": 0, "time": 1, "distance": 2, "session_end": 7}
_DURATION_TYPE = {"time": 0, "distance": 1, "open": 5}
_EVENT_TIMER, _EVENT_LAP, _EVENT_SESSION, _EVENT_ACTIVITY = 0, 9, 8, 26
_TYPE_START, _TYPE_STOP, _TYPE_STOP_ALL = 0, 1, 4
MANUFACTURER_DEVELOPMENT = 255


@dataclass(frozen=True)
class _Layout:
    """A message definition: global number, (field number, base type, size) and developer fields."""

    global_num: int
    fields: tuple[tuple[int, str, int], ...]
    dev_fields: tuple[tuple[int, int, int], ...] = ()

    def dtype(self, big_endian: bool) -> np.dtype[Any]:
        return _layout_dtype(self, big_endian)


@functools.lru_cache(maxsize=256)
def _layout_dtype(layout: _Layout, big_endian: bool) -> np.dtype[Any]:
    end = ">" if big_endian else "<"
    spec: list[tuple[Any, ...]] = [("hdr", "u1")]
    for num, base, size in layout.fields:
        kind = _BASE[base][1]
        if kind == "S":
            spec.append((f"f{num}", f"S{size}"))
            continue
        width = int(kind[1])
        if size == width:
            spec.append((f"f{num}", end + kind))
        else:
            spec.append((f"f{num}", end + kind, (size // width,)))
    for num, size, idx in layout.dev_fields:
        spec.append((f"d{idx}_{num}", end + "u" + str(size)))
    return np.dtype(spec)


def _definition(local: int, layout: _Layout, big_endian: bool) -> bytes:
    hdr = 0x40 | local | (0x20 if layout.dev_fields else 0)
    out = bytearray([hdr, 0, 1 if big_endian else 0])
    out += layout.global_num.to_bytes(2, "big" if big_endian else "little")
    out.append(len(layout.fields))
    for num, base, size in layout.fields:
        out += bytes([num, size, _BASE[base][0]])
    if layout.dev_fields:
        out.append(len(layout.dev_fields))
        for num, size, idx in layout.dev_fields:
            out += bytes([num, size, idx])
    return bytes(out)


def _raw(values: Any, base: str, scale: float = 1.0, offset: float = 0.0) -> npt.NDArray[Any]:
    """Physical values to raw integers (``(v + offset) * scale``, rounded); NaN → the invalid value."""
    kind, invalid = _BASE[base][1], _BASE[base][2]
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        x = float(values)
        return np.array(
            invalid if not math.isfinite(x) else round((x + offset) * scale), dtype=np.int64
        ).astype(kind)
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    raw = np.where(finite, np.round((np.where(finite, v, 0.0) + offset) * scale), invalid)
    return raw.astype(np.int64).astype(kind)


class _Stream:
    """Accumulates definition and data messages, re-defining a local type only when its layout changes."""

    def __init__(self, big_endian: bool) -> None:
        self.big_endian = big_endian
        self.chunks: list[bytes] = []
        self.defined: dict[int, _Layout] = {}

    def ensure(self, local: int, layout: _Layout) -> None:
        if self.defined.get(local) != layout:
            self.chunks.append(_definition(local, layout, self.big_endian))
            self.defined[local] = layout

    def rows(self, local: int, layout: _Layout, n: int, values: dict[str, Any], headers: Any = None) -> None:
        """Write ``n`` data messages; ``values`` maps ``f<num>``/``d<idx>_<num>`` to scalars or arrays."""
        if n == 0:
            return
        self.ensure(local, layout)
        arr = np.zeros(n, dtype=layout.dtype(self.big_endian))
        arr["hdr"] = local if headers is None else headers
        for name, val in values.items():
            arr[name] = val
        self.chunks.append(arr.tobytes())

    def one(self, local: int, layout: _Layout, values: dict[str, Any]) -> None:
        self.rows(local, layout, 1, values)


# ----------------------------------------------------------------------------- CRC
_CRC_NIBBLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
"""The FIT SDK's 16-entry CRC table (``fit_crc.c``)."""


def crc16_reference(data: bytes, crc: int = 0) -> int:
    """FIT CRC-16 exactly as the FIT SDK's ``FitCRC_Get16`` computes it, one byte at a time."""
    for byte in data:
        tmp = _CRC_NIBBLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_NIBBLE[byte & 0xF]
        tmp = _CRC_NIBBLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_NIBBLE[(byte >> 4) & 0xF]
    return crc


_BLOCK = 64


@functools.lru_cache(maxsize=1)
def _byte_table() -> npt.NDArray[np.uint16]:
    return np.array([crc16_reference(bytes([b])) for b in range(256)], dtype=np.uint16)


@functools.lru_cache(maxsize=32)
def _shift_table(level: int) -> npt.NDArray[np.uint16]:
    """CRC state after ``_BLOCK * 2**level`` zero bytes, for every 16-bit starting state."""
    if level > 0:
        half = _shift_table(level - 1)
        return half[half]
    table = _byte_table()
    state = np.arange(65536, dtype=np.uint16)
    for _ in range(_BLOCK):
        state = (state >> 8) ^ table[state & 0xFF]
    return state


def crc16(data: bytes) -> int:
    """FIT CRC-16 of ``data`` (same result as :func:`crc16_reference`), vectorised with numpy.

    The CRC has initial value 0 and no final XOR, so it is linear and leading
    zero bytes leave it unchanged: the data is front-padded to a power-of-two
    number of 64-byte blocks, all blocks run in parallel, and pairs of block
    CRCs are folded level by level with "advance over 64·2^k zero bytes" tables.
    """
    n = len(data)
    if n < 4 * _BLOCK:
        return crc16_reference(data)
    table = _byte_table()
    nb = 1 << math.ceil(math.log2(-(-n // _BLOCK)))
    buf = np.zeros(nb * _BLOCK, dtype=np.uint8)
    buf[nb * _BLOCK - n :] = np.frombuffer(data, dtype=np.uint8)
    blocks = buf.reshape(nb, _BLOCK).T.copy()
    c = np.zeros(nb, dtype=np.uint16)
    for j in range(_BLOCK):
        c = (c >> 8) ^ table[(c ^ blocks[j]) & 0xFF]
    level = 0
    while len(c) > 1:
        c = _shift_table(level)[c[0::2]] ^ c[1::2]
        level += 1
    return int(c[0])


# ----------------------------------------------------------------------------- helpers
def _fit_time(unix_s: Any) -> Any:
    return np.asarray(unix_s, dtype=np.float64) - FIT_EPOCH_S


def _string(text: str, size: int) -> bytes:
    raw = text.encode("utf-8")[: size - 1]
    return raw + b"\x00" * (size - len(raw))


def _locals(mode: str) -> dict[str, int]:
    if mode == "single":
        return dict.fromkeys(
            ("file_id", "device_info", "sport", "dev", "workout", "workout_step", "event", "lap", "session",
             "activity", "hr", "record_full"), 0
        )  # fmt: skip
    return {
        "record_full": 4,
        "file_id": 5,
        "device_info": 6,
        "event": 7,
        "lap": 8,
        "session": 9,
        "activity": 10,
        "sport": 11,
        "workout": 12,
        "workout_step": 13,
        "hr": 14,
        "dev": 15,
    }


def _record_layout(s: SynthSession, *, full: bool, speed: str, hr: bool, dev: bool, power: bool) -> _Layout:
    f: list[tuple[int, str, int]] = []
    if full:
        f.append((253, "uint32", 4))
    if s.lat_deg is not None:
        f += [(0, "sint32", 4), (1, "sint32", 4)]
    if s.distance_m is not None:
        f.append((5, "uint32", 4))
    if s.elevation_m is not None:
        if speed in ("plain", "both"):
            f.append((2, "uint16", 2))
        if speed in ("enhanced", "both"):
            f.append((78, "uint32", 4))
    if s.speed_m_s is not None:
        if speed in ("plain", "both"):
            f.append((6, "uint16", 2))
        if speed in ("enhanced", "both"):
            f.append((73, "uint32", 4))
    if hr and s.heart_rate_bpm is not None:
        f.append((3, "uint8", 1))
    if s.cadence_spm is not None:
        f += [(4, "uint8", 1), (53, "uint8", 1)]
    if power and s.power_w is not None:
        f.append((7, "uint16", 2))
    return _Layout(RECORD, tuple(f), ((0, 2, 0),) if dev else ())


def _record_columns(s: SynthSession, dev: bool) -> dict[str, Any]:
    cols: dict[str, Any] = {"f253": _raw(_fit_time(s.time_s), "uint32")}
    if s.lat_deg is not None and s.lon_deg is not None:
        cols["f0"] = _raw(s.lat_deg / SEMICIRCLES_TO_DEG, "sint32")
        cols["f1"] = _raw(s.lon_deg / SEMICIRCLES_TO_DEG, "sint32")
    if s.distance_m is not None:
        cols["f5"] = _raw(s.distance_m, "uint32", 100.0)
    if s.elevation_m is not None:
        cols["f2"] = _raw(s.elevation_m, "uint16", 5.0, 500.0)
        cols["f78"] = _raw(s.elevation_m, "uint32", 5.0, 500.0)
    if s.speed_m_s is not None:
        cols["f6"] = _raw(s.speed_m_s, "uint16", 1000.0)
        cols["f73"] = _raw(s.speed_m_s, "uint32", 1000.0)
    if s.heart_rate_bpm is not None:
        cols["f3"] = _raw(s.heart_rate_bpm, "uint8")
    if s.cadence_spm is not None:
        per_leg = np.asarray(s.cadence_spm, dtype=np.float64) / 2.0
        whole = np.floor(per_leg)
        cols["f4"] = _raw(whole, "uint8")
        cols["f53"] = _raw((per_leg - whole) * 128.0, "uint8")
    if s.power_w is not None:
        cols["f7"] = _raw(s.power_w, "uint16")
    if dev:
        spd = s.speed_m_s if s.speed_m_s is not None else np.zeros(len(s.time_s))
        cols["d0_0"] = _raw(np.where(np.isfinite(spd), 40.0 + 9.0 * spd, np.nan), "uint16")
    return cols


def _nanmean(a: Any) -> float:
    a = np.asarray(a, dtype=np.float64)
    a = a[np.isfinite(a)]
    return float(a.mean()) if len(a) else math.nan


def _nanmax(a: Any) -> float:
    a = np.asarray(a, dtype=np.float64)
    a = a[np.isfinite(a)]
    return float(a.max()) if len(a) else math.nan


def _window(s: SynthSession, a: float, b: float) -> npt.NDArray[np.bool_]:
    return (s.time_s >= a) & (s.time_s <= b)


_LAP_LAYOUT_BASE: tuple[tuple[int, str, int], ...] = (
    (254, "uint16", 2),
    (253, "uint32", 4),
    (0, "enum", 1),
    (1, "enum", 1),
    (2, "uint32", 4),
    (7, "uint32", 4),
    (8, "uint32", 4),
    (9, "uint32", 4),
    (13, "uint16", 2),
    (110, "uint32", 4),
    (15, "uint8", 1),
    (16, "uint8", 1),
    (23, "enum", 1),
    (24, "enum", 1),
    (25, "enum", 1),
    (39, "enum", 1),
)


def _lap_values(s: SynthSession, i: int) -> dict[str, Any]:
    lap = s.laps[i]
    w = _window(s, lap.start_s, lap.end_s)
    speed = lap.distance_m / lap.timer_s if lap.timer_s > 0 else math.nan
    vals: dict[str, Any] = {
        "f254": i,
        "f253": _raw(_fit_time(lap.end_s), "uint32"),
        "f0": _EVENT_LAP,
        "f1": _TYPE_STOP,
        "f2": _raw(_fit_time(lap.start_s), "uint32"),
        "f7": _raw(lap.end_s - lap.start_s, "uint32", 1000.0),
        "f8": _raw(lap.timer_s, "uint32", 1000.0),
        "f9": _raw(lap.distance_m, "uint32", 100.0),
        "f13": _raw(speed, "uint16", 1000.0),
        "f110": _raw(speed, "uint32", 1000.0),
        "f15": _raw(_nanmean(s.heart_rate_bpm[w]) if s.heart_rate_bpm is not None else math.nan, "uint8"),
        "f16": _raw(_nanmax(s.heart_rate_bpm[w]) if s.heart_rate_bpm is not None else math.nan, "uint8"),
        "f23": _INTENSITY[lap.intensity],
        "f24": _LAP_TRIGGER[lap.trigger],
        "f25": _SPORT.get(s.sport, 0),
        "f39": _SUB_SPORT.get(s.sub_sport, 0),
    }
    if lap.wkt_step_index is not None:
        vals["f71"] = lap.wkt_step_index
    return vals


def write_fit(
    session: SynthSession,
    compressed_timestamps: bool = False,
    big_endian: bool = False,
    developer_fields: bool = False,
    local_message_types: str = "single",
    hr_messages: bool = False,
    interleave_events: bool = True,
    *,
    speed_fields: str = "both",
    serial_number: int | None = None,
) -> bytes:
    """Encode a :class:`~milepace.synth.SynthSession` as a FIT activity file.

    Parameters
    ----------
    session
        The simulated session.
    compressed_timestamps
        Write records with compressed-timestamp headers (a full timestamp
        record after any gap of 32 s or more).
    big_endian
        Mark every definition big-endian (architecture 1) and write data so.
    developer_fields
        Add ``developer_data_id`` + ``field_description`` and a developer
        field (``form_power`` [W], uint16) in every record.
    local_message_types
        ``single`` — every message on local type 0, redefined whenever the
        message changes; ``rotating`` — records cycle through local types 0–3
        in blocks of 64, other messages on their own local types.
    hr_messages
        Carry heart rate in ``hr`` messages (after the records) instead of in records.
    interleave_events
        Put timer events and laps among the records at their instants (as
        watches do); otherwise all of them follow the records.
    speed_fields
        ``both`` (``speed``/``altitude`` and ``enhanced_*``), ``enhanced`` or ``plain``.
    serial_number
        Device serial number (default: derived from the seed).

    Returns
    -------
    bytes
        The complete file, header CRC and file CRC included.
    """
    if local_message_types not in ("single", "rotating"):
        raise UsageError(f"local_message_types must be 'single' or 'rotating', got {local_message_types!r}")
    if speed_fields not in ("both", "enhanced", "plain"):
        raise UsageError(f"speed_fields must be 'both', 'enhanced' or 'plain', got {speed_fields!r}")
    s = session
    loc = _locals(local_message_types)
    st = _Stream(big_endian)
    t_start, t_end = s.start_s, s.end_s
    serial = serial_number if serial_number is not None else 3_000_000_000 + (s.seed * 7919) % 1_000_000

    # ---- header messages
    st.one(
        loc["file_id"],
        _Layout(
            FILE_ID, ((0, "enum", 1), (1, "uint16", 2), (2, "uint16", 2), (3, "uint32z", 4), (4, "uint32", 4))
        ),
        {
            "f0": 4,
            "f1": MANUFACTURER_DEVELOPMENT,
            "f2": 1,
            "f3": serial,
            "f4": _raw(_fit_time(t_start), "uint32"),
        },
    )
    st.one(
        loc["device_info"],
        _Layout(DEVICE_INFO, ((253, "uint32", 4), (0, "uint8", 1), (2, "uint16", 2), (4, "uint16", 2), (3, "uint32z", 4), (5, "uint16", 2), (27, "string", 16))),
        {"f253": _raw(_fit_time(t_start), "uint32"), "f0": 0, "f2": MANUFACTURER_DEVELOPMENT, "f4": 1, "f3": serial, "f5": 100, "f27": _string("milepace synth", 16)},
    )  # fmt: skip
    st.one(
        loc["sport"],
        _Layout(SPORT, ((0, "enum", 1), (1, "enum", 1), (3, "string", 16))),
        {
            "f0": _SPORT.get(s.sport, 0),
            "f1": _SUB_SPORT.get(s.sub_sport, 0),
            "f3": _string(s.sport.capitalize(), 16),
        },
    )
    if developer_fields:
        st.one(
            loc["dev"],
            _Layout(DEVELOPER_DATA_ID, ((0, "byte", 16), (1, "byte", 16), (3, "uint8", 1), (4, "uint32", 4))),
            {
                "f0": np.arange(16, dtype=np.uint8),
                "f1": np.arange(16, 32, dtype=np.uint8),
                "f3": 0,
                "f4": 100,
            },
        )
        st.one(
            loc["dev"],
            _Layout(FIELD_DESCRIPTION, ((0, "uint8", 1), (1, "uint8", 1), (2, "uint8", 1), (3, "string", 16), (8, "string", 8), (14, "uint16", 2), (15, "uint8", 1))),
            {"f0": 0, "f1": 0, "f2": _BASE["uint16"][0], "f3": _string("form_power", 16), "f8": _string("W", 8), "f14": RECORD, "f15": 0xFF},
        )  # fmt: skip
    if s.workout_steps:
        st.one(
            loc["workout"],
            _Layout(WORKOUT, ((4, "enum", 1), (11, "enum", 1), (6, "uint16", 2), (8, "string", 24))),
            {"f4": _SPORT.get(s.sport, 0), "f11": _SUB_SPORT.get(s.sub_sport, 0), "f6": len(s.workout_steps), "f8": _string(s.name, 24)},
        )  # fmt: skip
        step_layout = _Layout(
            WORKOUT_STEP,
            ((254, "uint16", 2), (0, "string", 16), (1, "enum", 1), (2, "uint32", 4), (3, "enum", 1), (4, "uint32", 4), (5, "uint32", 4), (6, "uint32", 4), (7, "enum", 1)),
        )  # fmt: skip
        for step in s.workout_steps:
            if step.duration_type == "time":
                dur = _raw(step.duration_value, "uint32", 1000.0)
            elif step.duration_type == "distance":
                dur = _raw(step.duration_value, "uint32", 100.0)
            else:
                dur = _raw(math.nan, "uint32")
            has_target = step.target_low_m_s is not None and step.target_high_m_s is not None
            st.one(
                loc["workout_step"],
                step_layout,
                {
                    "f254": step.step_index,
                    "f0": _string(step.name, 16),
                    "f1": _DURATION_TYPE[step.duration_type],
                    "f2": dur,
                    "f3": 0 if has_target else 2,
                    "f4": 0,
                    "f5": _raw(step.target_low_m_s if has_target else math.nan, "uint32", 1000.0),
                    "f6": _raw(step.target_high_m_s if has_target else math.nan, "uint32", 1000.0),
                    "f7": _INTENSITY[step.intensity],
                },
            )

    event_layout = _Layout(
        EVENT, ((253, "uint32", 4), (0, "enum", 1), (1, "enum", 1), (3, "uint32", 4), (4, "uint8", 1))
    )
    lap_layout = _Layout(LAP, _LAP_LAYOUT_BASE + (((71, "uint16", 2),) if s.workout_steps else ()))

    def event(t: float, etype: int, trigger: int) -> dict[str, Any]:
        return {"f253": _raw(_fit_time(t), "uint32"), "f0": _EVENT_TIMER, "f1": etype, "f3": trigger, "f4": 0}

    st.one(loc["event"], event_layout, event(t_start, _TYPE_START, 0))

    # ---- things that go among the records: (time, order, kind, payload)
    inserts: list[tuple[float, int, str, Any]] = []
    for p in s.pauses:
        inserts.append((p.start_s, 0, "event", event(p.start_s, _TYPE_STOP_ALL, 1)))
        inserts.append((p.end_s, -1, "event", event(p.end_s, _TYPE_START, 1)))
    for i in range(len(s.laps)):
        inserts.append((s.laps[i].end_s, 1, "lap", _lap_values(s, i)))
    inserts.sort(key=lambda r: (r[0], r[1]))
    times = s.time_s
    n = len(times)
    if interleave_events:
        # a resume event precedes the record at its instant; stops and laps follow the records up to their instant
        pos = [int(np.searchsorted(times, t, side="left" if o < 0 else "right")) for t, o, _, _ in inserts]
    else:
        pos = [n] * len(inserts)

    cols = _record_columns(s, developer_fields)
    full_layout = _record_layout(
        s, full=True, speed=speed_fields, hr=not hr_messages, dev=developer_fields, power=True
    )
    comp_layout = _record_layout(
        s, full=False, speed=speed_fields, hr=not hr_messages, dev=developer_fields, power=True
    )
    names_full = [f"f{num}" for num, _, _ in full_layout.fields] + [
        f"d{i}_{num}" for num, _, i in full_layout.dev_fields
    ]
    names_comp = [x for x in names_full if x != "f253"]

    # record breaks: inserts, rotation blocks, and (compressed) records that need a full timestamp
    fit_t = cols["f253"].astype(np.int64)
    needs_full = np.zeros(n, dtype=bool)
    if compressed_timestamps:
        needs_full[0] = True
        needs_full[1:] = np.diff(fit_t) >= 32
    breaks = (
        set(pos) | set(np.flatnonzero(needs_full).tolist()) | set((np.flatnonzero(needs_full) + 1).tolist())
    )
    if local_message_types == "rotating":
        breaks |= set(range(0, n, 64))
    edges = sorted({0, n} | {b for b in breaks if 0 <= b <= n})
    ins_at: dict[int, list[int]] = {}
    for k, p_ in enumerate(pos):
        ins_at.setdefault(p_, []).append(k)

    def flush_inserts(at: int) -> None:
        for k in ins_at.get(at, []):
            _, _, kind, payload = inserts[k]
            st.one(loc[kind], event_layout if kind == "event" else lap_layout, payload)

    for a, b in itertools.pairwise(edges):
        flush_inserts(a)
        if b <= a:
            continue
        rot = (a // 64) % 4 if local_message_types == "rotating" else 0
        if compressed_timestamps and not needs_full[a]:
            hdr = (0x80 | (rot << 5) | (fit_t[a:b] & 0x1F)).astype(np.uint8)
            st.rows(rot, comp_layout, b - a, {k: cols[k][a:b] for k in names_comp}, headers=hdr)
        else:
            local = loc["record_full"] if compressed_timestamps else rot
            st.rows(local, full_layout, b - a, {k: cols[k][a:b] for k in names_full})
    flush_inserts(n)
    st.one(loc["event"], event_layout, event(t_end, _TYPE_STOP_ALL, 0))

    if hr_messages and s.heart_rate_bpm is not None:
        _write_hr(st, loc["hr"], s)

    # ---- session and activity
    timer_s = s.timer_s
    dist = s.device_distance_m
    speed = dist / timer_s if timer_s > 0 else math.nan
    cad = s.cadence_spm
    st.one(
        loc["session"],
        _Layout(SESSION, ((254, "uint16", 2), (253, "uint32", 4), (0, "enum", 1), (1, "enum", 1), (2, "uint32", 4), (5, "enum", 1), (6, "enum", 1), (7, "uint32", 4), (8, "uint32", 4), (9, "uint32", 4), (14, "uint16", 2), (15, "uint16", 2), (124, "uint32", 4), (125, "uint32", 4), (16, "uint8", 1), (17, "uint8", 1), (18, "uint8", 1), (25, "uint16", 2), (26, "uint16", 2), (28, "enum", 1))),
        {
            "f254": 0, "f253": _raw(_fit_time(t_end), "uint32"), "f0": _EVENT_SESSION, "f1": _TYPE_STOP,
            "f2": _raw(_fit_time(t_start), "uint32"), "f5": _SPORT.get(s.sport, 0), "f6": _SUB_SPORT.get(s.sub_sport, 0),
            "f7": _raw(s.elapsed_s, "uint32", 1000.0), "f8": _raw(timer_s, "uint32", 1000.0), "f9": _raw(dist, "uint32", 100.0),
            "f14": _raw(speed, "uint16", 1000.0), "f15": _raw(_nanmax(s.speed_m_s) if s.speed_m_s is not None else math.nan, "uint16", 1000.0),
            "f124": _raw(speed, "uint32", 1000.0), "f125": _raw(_nanmax(s.speed_m_s) if s.speed_m_s is not None else math.nan, "uint32", 1000.0),
            "f16": _raw(_nanmean(s.heart_rate_bpm) if s.heart_rate_bpm is not None else math.nan, "uint8"),
            "f17": _raw(_nanmax(s.heart_rate_bpm) if s.heart_rate_bpm is not None else math.nan, "uint8"),
            "f18": _raw(_nanmean(cad[cad > 0]) / 2 if cad is not None and (cad > 0).any() else math.nan, "uint8"),
            "f25": 0, "f26": len(s.laps), "f28": 0,
        },
    )  # fmt: skip
    st.one(
        loc["activity"],
        _Layout(ACTIVITY, ((253, "uint32", 4), (0, "uint32", 4), (1, "uint16", 2), (2, "enum", 1), (3, "enum", 1), (4, "enum", 1), (5, "uint32", 4))),
        {"f253": _raw(_fit_time(t_end), "uint32"), "f0": _raw(timer_s, "uint32", 1000.0), "f1": 1, "f2": 0, "f3": _EVENT_ACTIVITY, "f4": _TYPE_STOP, "f5": _raw(_fit_time(t_end + s.utc_offset_s), "uint32")},
    )  # fmt: skip
    return _assemble(b"".join(st.chunks))


def _write_hr(st: _Stream, local: int, s: SynthSession) -> None:
    """HR as the FIT SDK expects it: one anchor message, then delta messages of up to 8 beats.

    The anchor carries ``timestamp`` + ``fractional_timestamp`` and exactly one
    ``event_timestamp``/``filtered_bpm``; later messages carry only arrays,
    placed at anchor + (event_timestamp - anchor event_timestamp)
    (``expand_heart_rates`` in the SDK). The beats are the strap's own stream
    (``hr_beat_*``) when the session has one, else the recorded heart rate.
    """
    if s.hr_beat_time_s is not None and s.hr_beat_bpm is not None:
        t_unix, bpm = s.hr_beat_time_s, s.hr_beat_bpm
    else:
        assert s.heart_rate_bpm is not None
        ok = np.isfinite(s.heart_rate_bpm)
        t_unix, bpm = s.time_s[ok], s.heart_rate_bpm[ok]
    ft = _fit_time(t_unix)
    if not len(ft):
        return
    ev = (np.round(ft * 1024.0).astype(np.int64) & 0xFFFFFFFF).astype(np.uint32)
    whole = math.floor(float(ft[0]))
    st.one(
        local,
        _Layout(HR, ((253, "uint32", 4), (0, "uint16", 2), (6, "uint8", 1), (9, "uint32", 4))),
        {"f253": whole, "f0": _raw(float(ft[0]) - whole, "uint16", 32768.0), "f6": int(bpm[0]), "f9": ev[0]},
    )
    # deltas in chunks of 8; the tail chunk has 2-8 (a one-element array would decode as a scalar)
    n = len(ft) - 1
    sizes = [8] * (n // 8)
    rem = n - 8 * len(sizes)
    if rem == 1 and sizes:
        sizes[-1], rem = 7, 2
    elif rem == 1:
        sizes, rem = [], 0
        # a single sample left: send it as a second one-element message of its own
        st.one(
            local,
            _Layout(HR, ((6, "uint8", 1), (9, "uint32", 4))),
            {"f6": int(bpm[1]), "f9": ev[1]},
        )
    groups = [
        (8, sum(1 for x in sizes if x == 8)),
        (7, sum(1 for x in sizes if x == 7)),
        (rem, 1 if rem else 0),
    ]
    a = 1
    for count, m in groups:
        if m <= 0 or count <= 0:
            continue
        b = a + count * m
        layout = _Layout(HR, ((6, "uint8", count), (9, "uint32", 4 * count)))
        st.rows(
            local,
            layout,
            m,
            {"f6": bpm[a:b].reshape(m, count).astype(np.uint8), "f9": ev[a:b].reshape(m, count)},
        )
        a = b


def _assemble(data: bytes) -> bytes:
    header = bytearray(14)
    header[0] = 14
    header[1] = PROTOCOL_VERSION
    header[2:4] = PROFILE_VERSION.to_bytes(2, "little")
    header[4:8] = len(data).to_bytes(4, "little")
    header[8:12] = b".FIT"
    header[12:14] = crc16_reference(bytes(header[:12])).to_bytes(2, "little")
    body = bytes(header) + data
    return body + crc16(body).to_bytes(2, "little")
