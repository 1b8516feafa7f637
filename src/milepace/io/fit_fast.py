"""The vectorised FIT decoder (fast path): whole field columns at once with numpy.

How it works
------------
1. **One Python pass over record headers only.** Definition messages are
   parsed (little and big endian, developer-field sizes added to the message
   size); each data message is only *located*: its byte offset and the
   layout (definition) its local message type points to. Runs of the same
   message, and short repeating cycles of up to :data:`_MAX_PERIOD` messages
   (records interleaved with ``hrv``, say), are skipped with strided numpy
   compares of the header bytes where the next repetitions must start, so the
   Python loop runs about once per definition and per change of pattern,
   not once per message.
2. **Per layout, numpy views.** All messages of one layout are read at once:
   a zero-copy strided view (``np.ndarray`` over the bytes with a structured
   dtype) when they are evenly spaced, otherwise one gather. Each wanted
   field becomes a float64 column; invalid-value sentinels become NaN; the
   profile's scale and offset are applied exactly as fitdecode does
   (``raw / scale - offset``).
3. **Compressed timestamps** are rolled over in one vectorised scan over all
   messages that set or use the timestamp accumulator, in file order.
4. **CRC** of the header and of the file (:mod:`milepace.io.fit_crc`); a
   mismatch is a note, and the data is kept.
5. **Fields narrower than their profile type** (a 4-byte ``position_lat``
   declared with an unknown base type, as ``byte`` or as four ``enum``; a
   number declared as a ``string``) are
   dropped, with a note naming the field when any message held data in it,
   exactly as the fitdecode decoder does
   (:func:`~milepace.io.fit_profile.narrower_than_profile`).

The output is :data:`~milepace.io.fit_tables.FitTables` with the same
conventions as the fitdecode decoder ``milepace.io.fit.decode_fitdecode``
(subfield parents such as ``event.data`` hold the raw integer; a resolved
subfield such as ``event.timer_trigger`` gets its own column; ``enhanced_*``
only when the file wrote them; an array field gives its first valid element),
and ``tests/io/test_fit_fast.py`` checks the two agree on every real FIT file.

What it hands to the fallback
-----------------------------
:class:`FastPathUnsupported` is raised, with a short reason, for anything
outside that design: damage of any kind (truncation, a bad header, a data
message for an undefined local type, bytes after the last FIT file that are
not FIT), ``compressed_speed_distance`` records (an accumulated component),
``hr`` messages carrying beat arrays (``filtered_bpm``, ``event_timestamp``),
and zero-size fields (which fitdecode itself cannot read). The caller
(``milepace.io.fit.read_fit``) then decodes the file with fitdecode, which
keeps what decodes before any damage.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .fit_crc import crc16
from .fit_profile import (
    BASE_TYPE_NAMES,
    MESSAGE_NAMES,
    PROFILE,
    FieldSpec,
    narrower_field_note,
    narrower_than_profile,
)
from .fit_tables import MESSAGES, FitTables

__all__ = ["ColumnTables", "FastPathUnsupported", "decode", "decode_columns"]

F64 = npt.NDArray[np.float64]
_MAX_PERIOD = 6
"""Longest repeating cycle of messages (in messages) the header pass skips with numpy."""
_FIRST_PROBE = 8
"""Repetitions checked before a cycle is checked all the way to the end of the file."""


class FastPathUnsupported(Exception):
    """The fast decoder declines this file; decode it with the fitdecode reader instead.

    Parameters
    ----------
    reason
        Short reason (``"truncated file"``, ``"compressed_speed_distance records"`` …).
    offset
        Byte offset where the problem was found, when there is one.
    """

    def __init__(self, reason: str, *, offset: int | None = None) -> None:
        self.reason = reason
        self.offset = offset
        super().__init__(reason if offset is None else f"{reason} (at byte {offset:,})")


# base type byte → (numpy type code, size [bytes], invalid value or None for NaN)
_BASE_TYPES: dict[int, tuple[str, int, int | None]] = {
    0x00: ("u1", 1, 0xFF),  # enum
    0x01: ("i1", 1, 0x7F),  # sint8
    0x02: ("u1", 1, 0xFF),  # uint8
    0x83: ("i2", 2, 0x7FFF),  # sint16
    0x84: ("u2", 2, 0xFFFF),  # uint16
    0x85: ("i4", 4, 0x7FFFFFFF),  # sint32
    0x86: ("u4", 4, 0xFFFFFFFF),  # uint32
    0x88: ("f4", 4, None),  # float32 (invalid: NaN)
    0x89: ("f8", 8, None),  # float64
    0x0A: ("u1", 1, 0),  # uint8z
    0x8B: ("u2", 2, 0),  # uint16z
    0x8C: ("u4", 4, 0),  # uint32z
    0x8E: ("i8", 8, 0x7FFFFFFFFFFFFFFF),  # sint64
    0x8F: ("u8", 8, 0xFFFFFFFFFFFFFFFF),  # uint64
    0x90: ("u8", 8, 0),  # uint64z
}
_STRING = 0x07
_BYTE = 0x0D  # also what fitdecode uses for an unknown base type or a size that is not a multiple
_TIMESTAMP = 253
_HR_ARRAY_FIELDS = frozenset({6, 9, 10})  # hr.filtered_bpm, event_timestamp, event_timestamp_12
_RECORD = 20
_HR_BEATS = "\0hr_beats"  # private column: each hr message's beat-array fields, decoded in _hr_beats
_CSD = 8  # record.compressed_speed_distance: 3 bytes, speed 12 bits (/100 m/s), distance 12 bits (/16 m, accumulated)
_CSD_DISTANCE = "\0csd_distance"  # private column: the 12-bit distance counts, rolled over in _decode_file

_BY_NUMBER: dict[int, tuple[str, dict[int, FieldSpec]]] = {
    num: (name, fields) for name, (num, fields) in PROFILE.items()
}


@dataclass
class _Layout:
    """One distinct definition: global message, byte order and fields (shared by redefinitions)."""

    global_num: int
    big_endian: bool
    fields: list[
        tuple[int, int, int, int]
    ]  # (field number, offset after header [bytes], size [bytes], base type)
    size: int  # whole data message including its 1-byte header [bytes]
    starts: list[int] = field(default_factory=list)  # run starts (header offsets)
    strides: list[int] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)

    def offsets(self) -> npt.NDArray[np.int64]:
        """Header offsets of every data message of this layout, in file order."""
        if len(self.starts) == 1:
            return np.arange(self.counts[0], dtype=np.int64) * self.strides[0] + self.starts[0]
        counts = np.asarray(self.counts, dtype=np.int64)
        firsts = np.cumsum(counts) - counts
        step_index = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(firsts, counts)
        out = np.repeat(np.asarray(self.starts, dtype=np.int64), counts) + step_index * np.repeat(
            np.asarray(self.strides, dtype=np.int64), counts
        )
        if out.size > 1 and bool((np.diff(out) < 0).any()):
            out.sort()
        return out


def _walk(buf: bytes, arr: npt.NDArray[np.uint8], start: int, end: int, resets: list[int]) -> list[_Layout]:
    """Locate every data message in ``buf[start:end]`` (one FIT file's records) by layout.

    ``resets`` receives the offsets of record definitions holding
    ``compressed_speed_distance``: fitdecode restarts its distance accumulator there.
    """
    layouts: dict[tuple[int, int, bytes, int], _Layout] = {}
    local: list[_Layout | None] = [None] * 16
    # recent data messages since the last definition: offset, masked header, mask, layout
    h_off: list[int] = []
    h_head: list[int] = []
    h_mask: list[int] = []
    h_lay: list[_Layout] = []
    p = start
    while p < end:
        h = buf[p]
        if h & 0xC0 == 0x40:  # definition message
            if p + 6 > end:
                raise FastPathUnsupported("truncated definition message", offset=p)
            big = buf[p + 2] != 0
            global_num = int.from_bytes(buf[p + 3 : p + 5], "big" if big else "little")
            n_fields = buf[p + 5]
            q = p + 6 + 3 * n_fields
            spec = buf[p + 6 : q]
            dev_size = 0
            if h & 0x20:
                if q + 1 > end:
                    raise FastPathUnsupported("truncated definition message", offset=p)
                n_dev = buf[q]
                dev = buf[q + 1 : q + 1 + 3 * n_dev]
                dev_size = sum(dev[1::3])
                q += 1 + 3 * n_dev
            if q > end:
                raise FastPathUnsupported("truncated definition message", offset=p)
            key = (global_num, int(big), spec, dev_size)
            lay = layouts.get(key)
            if lay is None:
                fields = []
                pos = 1
                for i in range(0, len(spec), 3):
                    number, size, base = spec[i], spec[i + 1], spec[i + 2]
                    if size == 0 and base in _BASE_TYPES:
                        raise FastPathUnsupported("zero-size field in a definition", offset=p)
                    fields.append((number, pos, size, base))
                    pos += size
                lay = _Layout(global_num, big, fields, pos + dev_size)
                layouts[key] = lay
            local[h & 0x0F] = lay
            if global_num == _RECORD and _CSD in spec[0::3]:
                resets.append(p)
            h_off.clear()
            h_head.clear()
            h_mask.clear()
            h_lay.clear()
            p = q
            continue
        if h & 0x80:  # compressed-timestamp header: local type in bits 5-6
            lay = local[(h >> 5) & 0x03]
            mask = 0xE0
        else:
            lay = local[h & 0x0F]
            mask = 0xFF
        if lay is None:
            raise FastPathUnsupported("data message for an undefined local message type", offset=p)
        size = lay.size
        if p + size > end:
            raise FastPathUnsupported("truncated data message", offset=p)
        lay.starts.append(p)
        lay.strides.append(size)
        lay.counts.append(1)
        head = h & mask
        h_off.append(p)
        h_head.append(head)
        h_mask.append(mask)
        h_lay.append(lay)
        p += size
        # Is this message the end of a cycle of `period` messages that repeats from here on?
        n_hist = len(h_off)
        for period in range(1, min(_MAX_PERIOD, n_hist - 1) + 1):
            if h_head[-1 - period] != head or h_mask[-1 - period] != mask:
                continue
            cycle = p - h_off[-period]  # bytes in one repetition
            pattern = range(n_hist - period, n_hist)
            # one cheap repetition check in Python before any numpy
            if any(h_off[k] + cycle >= end for k in pattern) or any(
                buf[h_off[k] + cycle] & h_mask[k] != h_head[k] for k in pattern
            ):
                continue
            reps = _repeats(
                arr, [h_off[k] + cycle for k in pattern], h_head[-period:], h_mask[-period:], cycle, end, size
            )
            if reps:
                for k in pattern:
                    lk = h_lay[k]
                    lk.starts.append(h_off[k] + cycle)
                    lk.strides.append(cycle)
                    lk.counts.append(reps)
                p += reps * cycle
                h_off.clear()
                h_head.clear()
                h_mask.clear()
                h_lay.clear()
            break
        if len(h_off) > 4 * _MAX_PERIOD:
            del (
                h_off[: -_MAX_PERIOD - 1],
                h_head[: -_MAX_PERIOD - 1],
                h_mask[: -_MAX_PERIOD - 1],
                h_lay[: -_MAX_PERIOD - 1],
            )
    return list(layouts.values())


def _repeats(
    arr: npt.NDArray[np.uint8],
    firsts: list[int],
    heads: list[int],
    masks: list[int],
    cycle: int,
    end: int,
    last_size: int,
) -> int:
    """How many whole repetitions of a message cycle follow, checked with strided compares.

    ``firsts`` are the header offsets of the cycle's messages in the first
    repetition to check; every message of a repetition must have its header
    (masked) where expected, and the last one must end inside ``end``.
    """
    room = (end - (firsts[-1] + last_size)) // cycle + 1
    if room <= 0:
        return 0
    limit = min(room, _FIRST_PROBE)
    while True:
        reps = limit
        for first, head, mask in zip(firsts, heads, masks, strict=True):
            seen: np.ndarray = arr[first : first + limit * cycle : cycle]
            if mask != 0xFF:
                seen = seen & mask
            ok = seen == head
            if not ok.all():
                reps = min(reps, int(np.argmin(ok)))
                if reps == 0:
                    return 0
        if reps < limit or limit == room:
            return reps
        limit = room


def _rows(buf: bytes, arr: npt.NDArray[np.uint8], lay: _Layout, offsets: npt.NDArray[np.int64]) -> np.ndarray:
    """All messages of a layout as one structured array (zero-copy when evenly spaced)."""
    dtype = _layout_dtype(lay.big_endian, tuple(lay.fields), lay.size)
    n = offsets.size
    if n == 1 or (n > 1 and bool((np.diff(offsets) == offsets[1] - offsets[0]).all())):
        stride = int(offsets[1] - offsets[0]) if n > 1 else lay.size
        return np.ndarray(shape=(n,), dtype=dtype, buffer=buf, offset=int(offsets[0]) + 1, strides=(stride,))
    if lay.size <= 1:
        index = offsets[:, None] + np.arange(1, lay.size, dtype=np.int64)[None, :]
        return arr[index].view(dtype).reshape(n)
    # one gather of whole messages: the bytes seen as overlapping (size - 1)-byte items, item j = buf[j + 1 : j + size]
    items = np.ndarray(
        shape=(len(buf) - lay.size + 1,),
        dtype=np.dtype((np.void, lay.size - 1)),
        buffer=buf,
        offset=1,
        strides=(1,),
    )
    return items[offsets].view(dtype)


@functools.lru_cache(maxsize=512)
def _layout_dtype(big_endian: bool, fields: tuple[tuple[int, int, int, int], ...], size: int) -> np.dtype:
    """Structured dtype of a data message after its header byte: field ``f<i>`` for the i-th field."""
    order = ">" if big_endian else "<"
    names, formats, positions = [], [], []
    for i, (_number, pos, field_size, base) in enumerate(fields):
        names.append(f"f{i}")
        formats.append(
            f"S{field_size}" if base not in _BASE_TYPES else _field_format(order, base, field_size)
        )
        positions.append(pos - 1)
    return np.dtype({"names": names, "formats": formats, "offsets": positions, "itemsize": size - 1})


def _field_format(order: str, base: int, size: int) -> str:
    code, width, _ = _BASE_TYPES[base]
    if size % width:
        return f"S{size}"  # fitdecode reads a size that is not a multiple as bytes
    count = size // width
    return f"{order}{code}" if count == 1 else f"({count},){order}{code}"


def _numeric(raw: np.ndarray, base: int, size: int) -> tuple[F64, npt.NDArray[np.bool_]]:
    """Float64 values and validity of one field column (an array field gives its first valid element)."""
    if base not in _BASE_TYPES or size % _BASE_TYPES[base][1]:
        # fitdecode's byte type: None when every byte is 0xFF, else (first element of) the bytes
        as_bytes = np.ascontiguousarray(raw).view(np.uint8).reshape(raw.shape[0], size)
        valid = (as_bytes != 0xFF).any(axis=1)
        return as_bytes[:, 0].astype(np.float64), valid
    invalid = _BASE_TYPES[base][2]
    if raw.ndim == 1:
        values = raw.astype(np.float64)
        ok = ~np.isnan(values) if invalid is None else raw != invalid
        return values, ok
    ok_all = ~np.isnan(raw) if invalid is None else raw != invalid
    first = np.argmax(ok_all, axis=1)
    picked = raw[np.arange(raw.shape[0]), first]
    return picked.astype(np.float64), ok_all.any(axis=1)


def _strings(raw: np.ndarray, base: int) -> npt.NDArray[np.object_]:
    """Decoded strings (UTF-8 up to the first NUL, ``None`` when empty) as fitdecode gives them."""
    out = np.empty(raw.shape[0], dtype=object)
    if base != _STRING or raw.dtype.kind != "S":
        return out  # not a string on the wire: fitdecode's value is not a str
    for i, value in enumerate(raw.tolist()):
        text = value.split(b"\x00", 1)[0].decode("utf-8", errors="replace")
        out[i] = text or None
    return out


_SCALAR_EXACT = frozenset(b for b, (code, _size, _invalid) in _BASE_TYPES.items() if code not in ("i8", "u8"))
"""Base types whose single values :func:`_scalar_value` reads as numpy would (64-bit integers left to numpy)."""


def _scalar_value(raw: Any, base: int, spec: FieldSpec) -> float:
    """One message's field as :func:`_numeric` + :func:`_scale` give it: float64 arithmetic, NaN when invalid."""
    invalid = _BASE_TYPES[base][2]
    if raw != raw if invalid is None else raw == invalid:
        return math.nan
    value = float(raw)  # exact: at most 32-bit integers, or a float32/float64
    if spec.scale:
        value = value / spec.scale
    if spec.offset:
        value = value - spec.offset
    return value


def _scale(values: F64, spec: FieldSpec) -> F64:
    if spec.scale:
        values = values / spec.scale
    if spec.offset:
        values = values - spec.offset
    return values


def _decode_layout(
    msg: str,
    specs: dict[int, FieldSpec],
    buf: bytes,
    arr: npt.NDArray[np.uint8],
    lay: _Layout,
    offsets: npt.NDArray[np.int64],
) -> dict[str, np.ndarray]:
    """Columns (name → values per message) of one layout's messages."""
    plan = _plain_fields(msg, tuple(lay.fields))
    if plan is not None:
        return _decode_plain(plan, buf, arr, lay, offsets)
    wanted = MESSAGES[msg]
    beat_fields = [f for f in lay.fields if f[0] in _HR_ARRAY_FIELDS] if msg == "hr" else []
    if len({f[0] for f in beat_fields}) != len(beat_fields):
        raise FastPathUnsupported("hr message with a repeated beat-array field")
    n = offsets.size
    if not any(number in specs for number, *_rest in lay.fields):
        return {}
    rows = _rows(buf, arr, lay, offsets)
    first_index: dict[int, int] = {}
    for i, (number, *_rest) in enumerate(lay.fields):
        first_index.setdefault(number, i)
    # fitdecode keeps the last of repeated field numbers
    last_index = {number: i for i, (number, *_rest) in enumerate(lay.fields)}
    raw_cache: dict[int, tuple[F64, npt.NDArray[np.bool_]]] = {}

    def numeric(i: int) -> tuple[F64, npt.NDArray[np.bool_]]:
        if i not in raw_cache:
            _number, _pos, size, base = lay.fields[i]
            raw_cache[i] = _numeric(rows[f"f{i}"], base, size)
        return raw_cache[i]

    out: dict[str, np.ndarray] = {}
    components: dict[str, tuple[F64, npt.NDArray[np.bool_]]] = {}
    # one message (most message types but records): its fields as Python numbers, without a numpy call each
    single: tuple[Any, ...] | None = rows.tolist()[0] if n == 1 else None
    if beat_fields:
        out[_HR_BEATS] = _beat_rows(rows, lay, beat_fields, n)
    for i, (number, _pos, _size, base) in enumerate(lay.fields):
        spec = specs.get(number)
        if spec is None or (number in _HR_ARRAY_FIELDS and msg == "hr"):
            continue
        if spec.is_string:
            if spec.name in wanted and last_index[number] == i:
                out[spec.name] = _strings(rows[f"f{i}"], base)
            continue
        if msg == "record" and number == _CSD:
            if base != _BYTE or _size != 3:
                raise FastPathUnsupported("compressed_speed_distance not written as 3 bytes")
            if first_index[number] == i:
                packed = np.ascontiguousarray(rows[f"f{i}"]).view(np.uint8).reshape(n, 3).astype(np.int64)
                valid = (packed != 0xFF).any(axis=1)
                whole = packed[:, 0] | (packed[:, 1] << 8) | (packed[:, 2] << 16)
                _claim(
                    components,
                    "speed",
                    np.where(valid, (whole & 0xFFF) / 100, np.nan),
                    np.ones(n, dtype=bool),
                )
                out[_CSD_DISTANCE] = np.where(valid, (whole >> 12) & 0xFFF, np.nan)
            continue
        for comp in spec.components:
            target = specs.get(comp.def_num)
            subfields = target.subfields if target is not None else ()
            if comp.name.startswith("enhanced_") or not (
                comp.name in wanted or any(sf.name in wanted for sf in subfields)
            ):
                continue
            if comp.accumulate or base not in _BASE_TYPES or rows[f"f{i}"].ndim != 1:
                raise FastPathUnsupported(f"{msg}.{comp.name} from a packed component")
            values, ok = numeric(i)
            values = ((values.astype(np.int64) >> comp.bit_offset) & ((1 << comp.bits) - 1)).astype(
                np.float64
            )
            if comp.scale:
                values = values / comp.scale
            if comp.offset:
                values = values - comp.offset
            values = np.where(ok, values, np.nan)
            if target is None or not subfields:
                _claim(components, comp.name, values, np.ones(n, dtype=bool))
                continue
            # the expanded value takes the name of the subfield it resolves to (fitdecode)
            chosen = _resolve_subfield(target, lay, first_index, numeric, n)
            if comp.name in wanted:
                _claim(components, comp.name, values, chosen < 0)
            for k, sub in enumerate(subfields):
                if sub.name in wanted:
                    _claim(components, sub.name, values, chosen == k)
        if last_index[number] != i:
            continue
        if spec.name in wanted:
            if single is not None and base in _SCALAR_EXACT and _size == _BASE_TYPES[base][1]:
                out[spec.name] = np.array([_scalar_value(single[i], base, spec)])
            else:
                values, ok = numeric(i)
                out[spec.name] = np.where(ok, _scale(values, spec), np.nan)
        for k, sub in enumerate(spec.subfields):
            if sub.name not in wanted:
                continue
            chosen = _resolve_subfield(spec, lay, first_index, numeric, n)
            hit = chosen == k
            if hit.any():
                values, ok = numeric(i)
                out[sub.name] = np.where(hit & ok, values, np.nan)
    for name, (values, claimed) in components.items():
        if not claimed.any():
            continue
        if name in out:
            out[name] = np.where(np.isnan(out[name]), values, out[name])
        else:
            out[name] = values
    return out


_PlainField = tuple[int, str, int, int, FieldSpec | None]


@functools.lru_cache(maxsize=512)
def _plain_fields(msg: str, fields: tuple[tuple[int, int, int, int], ...]) -> tuple[_PlainField, ...] | None:
    """The wanted columns of a definition every field of which :func:`_decode_layout` reads on its own.

    That is: no field number twice, no component expanded into a wanted
    column, no wanted subfield, no ``compressed_speed_distance`` and no
    ``hr`` beat array — the usual case (records, laps, sessions, device
    info …). Each column as (field index, name, base type, size, profile spec
    or ``None`` for a string). ``None`` when the definition needs the general
    path. Worked out once per definition, not per file.
    """
    specs = PROFILE[msg][1]
    wanted = MESSAGES[msg]
    numbers = [f[0] for f in fields]
    if len(set(numbers)) != len(numbers) or (msg == "hr" and _HR_ARRAY_FIELDS & set(numbers)):
        return None
    out: list[_PlainField] = []
    for i, (number, _pos, size, base) in enumerate(fields):
        spec = specs.get(number)
        if spec is None:
            continue
        if spec.is_string:
            if spec.name in wanted:
                out.append((i, spec.name, base, size, None))
            continue
        if msg == "record" and number == _CSD:
            return None
        for comp in spec.components:
            target = specs.get(comp.def_num)
            subfields = target.subfields if target is not None else ()
            if not comp.name.startswith("enhanced_") and (
                comp.name in wanted or any(sf.name in wanted for sf in subfields)
            ):
                return None
        if any(sub.name in wanted for sub in spec.subfields):
            return None
        if spec.name in wanted:
            out.append((i, spec.name, base, size, spec))
    return tuple(out)


def _decode_plain(
    plan: tuple[_PlainField, ...],
    buf: bytes,
    arr: npt.NDArray[np.uint8],
    lay: _Layout,
    offsets: npt.NDArray[np.int64],
) -> dict[str, np.ndarray]:
    """:func:`_decode_layout` for a definition :func:`_plain_fields` planned: the same columns, less Python."""
    if not plan:
        return {}
    rows = _rows(buf, arr, lay, offsets)
    single: tuple[Any, ...] | None = rows.tolist()[0] if offsets.size == 1 else None
    out: dict[str, np.ndarray] = {}
    for i, name, base, size, spec in plan:
        if spec is None:
            out[name] = _strings(rows[f"f{i}"], base)
        elif single is not None and base in _SCALAR_EXACT and size == _BASE_TYPES[base][1]:
            out[name] = np.array([_scalar_value(single[i], base, spec)])
        else:
            values, ok = _numeric(rows[f"f{i}"], base, size)
            out[name] = np.where(ok, _scale(values, spec), np.nan)
    return out


def _claim(
    components: dict[str, tuple[F64, npt.NDArray[np.bool_]]],
    name: str,
    values: F64,
    rows: npt.NDArray[np.bool_],
) -> None:
    """Give ``values`` to column ``name`` in ``rows`` not already taken by an earlier component (first wins)."""
    if name not in components:
        components[name] = (np.where(rows, values, np.nan), rows.copy())
        return
    current, claimed = components[name]
    take = rows & ~claimed
    if take.any():
        components[name] = (np.where(take, values, current), claimed | take)


def _resolve_subfield(
    spec: FieldSpec, lay: _Layout, first_index: dict[int, int], numeric: Any, n: int
) -> npt.NDArray[np.int64]:
    """Index of the subfield each message resolves to (-1: none), first match wins as in fitdecode.

    The first match in subfield order is the lowest subfield index whose reference
    matches: per reference field, one lookup of every message's value in the
    sorted reference values (with the lowest subfield index for each).
    """
    none = len(spec.subfields)
    chosen = np.full(n, none, dtype=np.int64)
    for ref_number, ref_values, ref_subfield in _subfield_refs(spec):
        j = first_index.get(ref_number)
        if j is None:
            continue
        _number, _pos, size, base = lay.fields[j]
        if base not in _BASE_TYPES or size != _BASE_TYPES[base][1]:
            continue  # an array, bytes or a string never equals fitdecode's integer reference value
        values, ok = numeric(j)
        at = np.minimum(np.searchsorted(ref_values, values), ref_values.size - 1)
        match = ok & (ref_values[at] == values)
        chosen = np.where(match, np.minimum(chosen, ref_subfield[at]), chosen)
    chosen[chosen == none] = -1
    return chosen


@functools.lru_cache(maxsize=256)
def _subfield_refs(
    spec: FieldSpec,
) -> tuple[tuple[int, npt.NDArray[np.float64], npt.NDArray[np.int64]], ...]:
    """Per reference field: its sorted distinct reference values and the first subfield each selects."""
    first: dict[int, dict[float, int]] = {}
    for k, sub in enumerate(spec.subfields):
        for ref_number, ref_value in sub.refs:
            first.setdefault(ref_number, {}).setdefault(float(ref_value), k)
    out = []
    for ref_number, by_value in first.items():
        values = np.array(sorted(by_value), dtype=np.float64)
        out.append((ref_number, values, np.array([by_value[v] for v in values.tolist()], dtype=np.int64)))
    return tuple(out)


def _raw_like_fitdecode(raw: np.ndarray, base: int, size: int) -> list[Any]:
    """fitdecode's ``raw_value`` per message: ``None`` (invalid), a number, or a tuple for an array or bytes."""
    if base not in _BASE_TYPES or size % _BASE_TYPES[base][1]:
        as_bytes = np.ascontiguousarray(raw).view(np.uint8).reshape(raw.shape[0], size)
        return [None if all(b == 0xFF for b in row) else tuple(row) for row in as_bytes.tolist()]
    invalid = _BASE_TYPES[base][2]

    def parse(v: Any) -> Any:
        return None if (v != v if invalid is None else v == invalid) else v

    if raw.ndim == 1:
        return [parse(v) for v in raw.tolist()]
    return [tuple(parse(v) for v in row) for row in raw.tolist()]


def _beat_rows(
    rows: np.ndarray, lay: _Layout, beat_fields: list[tuple[int, int, int, int]], n: int
) -> np.ndarray:
    """Per hr message: ((field number, fitdecode raw value), …) for its beat-array fields, in definition order."""
    columns = [_raw_like_fitdecode(rows[f"f{lay.fields.index(f)}"], f[3], f[2]) for f in beat_fields]
    numbers = [f[0] for f in beat_fields]
    out = np.empty(n, dtype=object)
    for k, values in enumerate(zip(*columns, strict=True)):
        out[k] = tuple(zip(numbers, values, strict=True))
    return out


def _hr_beats(
    chunks: list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]], first_timestamp_at: int | None
) -> None:
    """``filtered_bpm`` and ``event_timestamp`` tuples of hr messages, as ``milepace.io.fit`` decodes them.

    ``event_timestamp`` [s on the sensor clock] comes from the 32-bit field
    (/1024) or from ``event_timestamp_12``: eight 12-bit little-endian counts
    rolled over from the last full value, in file order across messages.
    """
    with_beats = [(offsets, cols) for offsets, cols in chunks if _HR_BEATS in cols]
    if not with_beats:
        return
    order = sorted(
        (int(o), c, k) for c, (offsets, _cols) in enumerate(with_beats) for k, o in enumerate(offsets)
    )
    bpm = [np.full(offsets.size, None, dtype=object) for offsets, _ in with_beats]
    stamps = [np.full(offsets.size, None, dtype=object) for offsets, _ in with_beats]
    has_bpm = [False] * len(with_beats)
    has_stamps = [False] * len(with_beats)
    acc: int | None = None
    anchored = False
    for offset, c, k in order:
        for number, raw in with_beats[c][1][_HR_BEATS][k]:
            if number == 6:  # filtered_bpm
                raws = raw if isinstance(raw, tuple) else (raw,)
                bpm[c][k] = tuple(math.nan if r is None else float(r) for r in raws)
                has_bpm[c] = True
            elif number == 9:  # event_timestamp
                raws = raw if isinstance(raw, tuple) else (raw,)
                if raws and raws[0] is not None:
                    acc = int(raws[0]) & 0xFFFFFFFF
                # fitdecode anchors its own 12-bit expansion on the last full timestamp seen
                anchored = first_timestamp_at is not None and first_timestamp_at <= offset
                stamps[c][k] = tuple(math.nan if r is None else r / 1024.0 for r in raws)
                has_stamps[c] = True
            elif number == 10 and isinstance(raw, tuple):  # event_timestamp_12
                if not anchored:
                    raise FastPathUnsupported("hr event_timestamp_12 before an anchoring event_timestamp")
                packed = int.from_bytes(bytes(int(b) & 0xFF for b in raw), "little")
                values = [(packed >> (12 * i)) & 0xFFF for i in range(len(raw) * 8 // 12)]
                expanded: list[float] = []
                for v in values:
                    if acc is None:
                        expanded.append(math.nan)
                        continue
                    base = v + (acc & ~0xFFF)
                    if v < (acc & 0xFFF):
                        base += 0x1000
                    acc = base
                    expanded.append(base / 1024.0)
                stamps[c][k] = tuple(expanded)
                has_stamps[c] = True
            elif number == 10 and not anchored:
                raise FastPathUnsupported("hr event_timestamp_12 before an anchoring event_timestamp")
    for c, (_offsets, cols) in enumerate(with_beats):
        del cols[_HR_BEATS]
        if has_bpm[c]:
            cols["filtered_bpm"] = bpm[c]
        if has_stamps[c]:
            cols["event_timestamp"] = stamps[c]


_DEVELOPER_DATA_ID, _FIELD_DESCRIPTION = 207, 206
_FITDECODE_BASE_TYPES = frozenset(_BASE_TYPES) | {_STRING, _BYTE}


def _check_developer_declarations(buf: bytes, arr: npt.NDArray[np.uint8], layouts: list[_Layout]) -> None:
    """Decline files whose developer-field declarations fitdecode rejects (it stops reading there).

    A ``field_description`` must name a ``developer_data_index`` declared by an
    earlier ``developer_data_id``, with a known base type.
    """
    events: list[tuple[int, int, Any, Any]] = []  # offset, message number, index, base type
    for lay in layouts:
        if lay.global_num not in (_DEVELOPER_DATA_ID, _FIELD_DESCRIPTION) or not lay.starts:
            continue
        offsets = lay.offsets()
        rows = _rows(buf, arr, lay, offsets)
        index_field = 3 if lay.global_num == _DEVELOPER_DATA_ID else 0

        def raw(number: int, lay: _Layout = lay, rows: np.ndarray = rows) -> list[Any]:
            i = next((k for k, f in enumerate(lay.fields) if f[0] == number), None)
            if i is None:
                return [None] * rows.shape[0]
            return _raw_like_fitdecode(rows[f"f{i}"], lay.fields[i][3], lay.fields[i][2])

        for offset, index, base in zip(offsets.tolist(), raw(index_field), raw(2), strict=True):
            events.append((offset, lay.global_num, index, base))
    declared: set[Any] = set()
    for offset, number, index, base in sorted(events, key=lambda e: e[0]):
        if number == _DEVELOPER_DATA_ID:
            if not isinstance(index, int):
                raise FastPathUnsupported("developer_data_id without a valid index", offset=offset)
            declared.add(index)
        elif index not in declared:
            raise FastPathUnsupported(
                "field_description for an undeclared developer data index", offset=offset
            )
        elif base is not None and base not in _FITDECODE_BASE_TYPES:
            raise FastPathUnsupported("field_description with an unknown base type", offset=offset)


def _rolled(
    full_at: list[npt.NDArray[np.int64]],
    full_raw: list[F64],
    comp_at: list[npt.NDArray[np.int64]],
    comp_offset: list[npt.NDArray[np.int64]],
    bits: int = 5,
) -> F64:
    """A FIT accumulator at each of the ``comp_at`` messages, in the order of ``comp_at`` concatenated.

    The accumulator starts at 0 and is set by every "full" event (a valid
    timestamp, or 0 where a definition restarts it); a packed ``bits``-bit value
    advances it by ``(value - acc) mod 2**bits`` — the compressed-timestamp
    header (5 bits, FIT protocol 4.1.2) and accumulated components (12-bit
    ``compressed_speed_distance`` distance), exactly as fitdecode rolls them.
    """
    f_at = np.concatenate(full_at) if full_at else np.empty(0, np.int64)
    f_val = np.concatenate(full_raw).astype(np.int64) if full_raw else np.empty(0, np.int64)
    c_at = np.concatenate(comp_at)
    c_off = np.concatenate(comp_offset)
    # events in file order; within one message the full timestamp field comes first
    key = np.concatenate([f_at * 2, c_at * 2 + 1])
    is_full = np.concatenate([np.ones(f_at.size, bool), np.zeros(c_at.size, bool)])
    value = np.concatenate([f_val, c_off])
    order = np.argsort(key, kind="stable")
    is_full, value = is_full[order], value[order]
    # accumulator mod 32 before each event
    mask = (1 << bits) - 1
    low = value & mask
    prev_low = np.concatenate([[0], low[:-1]])
    delta = np.where(is_full, 0, (value - prev_low) & mask)
    group = np.cumsum(is_full)
    base = np.concatenate([[0], value[is_full]])[group]
    csum = np.cumsum(delta)
    group_start = np.concatenate([[0], csum[is_full]])[group]
    acc = base + csum - group_start
    result = acc[~is_full]
    # back to the caller's order
    comp_order = order[order >= f_at.size] - f_at.size
    out = np.empty(c_at.size, dtype=np.float64)
    out[comp_order] = result
    return out


def _without_narrow_fields(msg: str, lay: _Layout, rows: Any, notes: set[str]) -> _Layout:
    """``lay`` without the profile fields declared narrower than their profile type (see ``narrower_than_profile``).

    A dropped field's note goes to ``notes`` when some message holds data in
    it (an element neither zero nor invalid; a placeholder of zeros is dropped
    silently, as in ``milepace.io.fit``); ``rows()`` gives the layout's
    structured rows. The data-message dtype keeps explicit byte positions, so
    the other fields still read from the same bytes.
    """
    narrow = _narrow_fields(msg, lay.global_num, tuple(lay.fields))
    if not narrow:
        return lay
    for i, (_number, _pos, size, base), name, declared, profile_type in narrow:
        raw = rows()[f"f{i}"]
        if base == _STRING:  # fitdecode's text: up to the first NUL
            holds = bool(
                (np.ascontiguousarray(raw).view(np.uint8).reshape(raw.shape[0], size)[:, 0] != 0).any()
            )
        elif base not in _BASE_TYPES or size % _BASE_TYPES[base][1] != 0:  # read as bytes
            elements = np.ascontiguousarray(raw).view(np.uint8)
            holds = bool(((elements != 0) & (elements != 0xFF)).any())
        else:
            invalid = _BASE_TYPES[base][2]
            ok = ~np.isnan(raw) if invalid is None else raw != invalid
            holds = bool((ok & (raw != 0)).any())
        if holds:
            notes.add(narrower_field_note(msg, name, size, declared, profile_type))
    dropped = {field for _i, field, *_rest in narrow}
    return dataclasses.replace(lay, fields=[f for f in lay.fields if f not in dropped])


@functools.lru_cache(maxsize=512)
def _narrow_fields(
    msg: str, global_num: int, fields: tuple[tuple[int, int, int, int], ...]
) -> tuple[tuple[int, tuple[int, int, int, int], str, str | None, str], ...]:
    """The fields of a definition declared narrower than their profile type (the same for every file).

    Each as (index of its first occurrence, field, profile name, declared type
    name or ``None`` for bytes, profile type name).
    """
    specs = _BY_NUMBER[global_num][1]
    out = []
    for declared_field in fields:
        number, _pos, size, base = declared_field
        spec = specs.get(number)
        if spec is None:
            continue
        as_bytes = base not in _BASE_TYPES or size % _BASE_TYPES[base][1] != 0
        element = 1 if as_bytes else _BASE_TYPES[base][1]
        profile_type = narrower_than_profile(
            global_num, number, size, element, declared_string=base == _STRING
        )
        if profile_type is None:
            continue
        declared = "string" if base == _STRING else None if as_bytes else BASE_TYPE_NAMES[base]
        out.append((fields.index(declared_field), declared_field, spec.name, declared, profile_type[0]))
    return tuple(out)


def _decode_file(
    buf: bytes,
    arr: npt.NDArray[np.uint8],
    start: int,
    end: int,
    seen: dict[str, int],
    dropped: set[str],
) -> dict[str, list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]]]:
    """Columns per message name and layout for one FIT file's records (``start``..``end``).

    ``seen`` collects every message name with the offset of its first message;
    ``dropped`` the notes for fields declared narrower than their profile type.
    """
    resets: list[int] = []
    layouts = _walk(buf, arr, start, end, resets)
    _check_developer_declarations(buf, arr, layouts)
    for lay in layouts:
        if lay.starts:
            name = MESSAGE_NAMES.get(lay.global_num, f"unknown_{lay.global_num}")
            seen[name] = min(seen.get(name, lay.starts[0]), lay.starts[0])
    parts: dict[str, list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]]] = {}
    full_at: list[npt.NDArray[np.int64]] = []
    full_raw: list[F64] = []
    comp_at: list[npt.NDArray[np.int64]] = []
    comp_offset: list[npt.NDArray[np.int64]] = []
    comp_targets: list[tuple[dict[str, np.ndarray], npt.NDArray[np.bool_]]] = []
    odd_timestamp = False
    for lay in layouts:
        if not lay.starts:
            continue
        offsets = lay.offsets()
        headers = arr[offsets]
        compressed = (headers & 0x80) != 0
        known = _BY_NUMBER.get(lay.global_num)
        ts_index = next((i for i, f in enumerate(lay.fields) if f[0] == _TIMESTAMP), None)
        cols: dict[str, np.ndarray] | None = None
        if known is not None:
            readable = _without_narrow_fields(
                known[0], lay, functools.partial(_rows, buf, arr, lay, offsets), dropped
            )
            cols = _decode_layout(known[0], known[1], buf, arr, readable, offsets)
            parts.setdefault(known[0], []).append((offsets, cols))
        if ts_index is not None:
            # every message's valid timestamp feeds the compressed-timestamp accumulator
            _n, _p, size, base = lay.fields[ts_index]
            if base not in _BASE_TYPES or size != _BASE_TYPES[base][1]:
                odd_timestamp = True
            else:
                if cols is not None and "timestamp" in cols:
                    ts = cols["timestamp"]
                else:
                    values, ok = _numeric(_rows(buf, arr, lay, offsets)[f"f{ts_index}"], base, size)
                    ts = np.where(ok, values, np.nan)
                good = ~np.isnan(ts)
                full_at.append(offsets[good])
                full_raw.append(ts[good])
        if compressed.any():
            comp_at.append(offsets[compressed])
            comp_offset.append((headers[compressed] & 0x1F).astype(np.int64))
            comp_targets.append((cols if cols is not None else {}, compressed))
    if comp_at and odd_timestamp:
        # fitdecode sets its timestamp accumulator to the tuple and fails at the next compressed header
        raise FastPathUnsupported("a timestamp declared as an array or bytes, with compressed timestamps")
    if comp_at:
        stamps = _rolled(full_at, full_raw, comp_at, comp_offset)
        pos = 0
        for cols, compressed in comp_targets:
            k = int(compressed.sum())
            filled = np.full(compressed.size, np.nan)
            filled[compressed] = stamps[pos : pos + k]
            pos += k
            if "timestamp" in cols:
                cols["timestamp"] = np.where(np.isnan(cols["timestamp"]), filled, cols["timestamp"])
            else:
                cols["timestamp"] = filled
    _roll_csd_distance(parts.get("record", []), resets)
    first_ts = min((int(a[0]) for a in full_at if a.size), default=None)
    _hr_beats(parts.get("hr", []), first_ts)
    return parts


def _roll_csd_distance(
    chunks: list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]], resets: list[int]
) -> None:
    """Fill record ``distance`` [m] from ``compressed_speed_distance``: 12-bit counts of 1/16 m rolled over."""
    with_csd = [(offsets, cols) for offsets, cols in chunks if _CSD_DISTANCE in cols]
    if not with_csd:
        return
    at, counts = [], []
    for offsets, cols in with_csd:
        ok = ~np.isnan(cols[_CSD_DISTANCE])
        at.append(offsets[ok])
        counts.append(cols[_CSD_DISTANCE][ok].astype(np.int64))
    reset_at = np.asarray(resets, dtype=np.int64)
    rolled = _rolled([reset_at], [np.zeros(reset_at.size)], at, counts, bits=12) / 16
    pos = 0
    for offsets, cols in with_csd:
        counted = cols.pop(_CSD_DISTANCE)
        ok = ~np.isnan(counted)
        distance = np.full(offsets.size, np.nan)
        distance[ok] = rolled[pos : pos + int(ok.sum())]
        pos += int(ok.sum())
        cols["distance"] = (
            np.where(np.isnan(cols["distance"]), distance, cols["distance"])
            if "distance" in cols
            else distance
        )


ColumnTables = dict[str, dict[str, np.ndarray]]
""":data:`~milepace.io.fit_tables.FitTables` without the DataFrames: message name → column name →
values, one per message in file order (float64, or object for strings and ``hr`` beat tuples);
a message type whose fields milepace does not read is an empty mapping (no rows)."""


def decode(data: bytes) -> tuple[FitTables, list[str]]:
    """Decode FIT bytes into :data:`~milepace.io.fit_tables.FitTables` with numpy.

    Parameters
    ----------
    data
        The whole file (chained FIT files are read one after another).

    Returns
    -------
    (tables, notes)
        One DataFrame per message type of :data:`~milepace.io.fit_tables.MESSAGES`
        present in the file (rows in file order, float64 columns, strings as
        ``str``/``None`` object columns); ``notes`` are data-quality sentences
        (a checksum mismatch, a dropped field) for ``DataQualityWarning``; ``tables["_summary"]``
        holds ``fit_files`` (> 1 for a chained file) and ``messages`` (every message name).

    Raises
    ------
    FastPathUnsupported
        For damage or features this decoder leaves to fitdecode (the reason says which).

    Examples
    --------
    >>> tables, notes = decode(open("run.fit", "rb").read())  # doctest: +SKIP
    >>> tables["record"]["heart_rate"].max()  # doctest: +SKIP
    171.0
    """
    columns, notes = decode_columns(data)
    tables: FitTables = {name: _frame(cols) for name, cols in columns.items() if name != "_summary"}
    summary = columns["_summary"]
    tables["_summary"] = pd.DataFrame(
        {"fit_files": summary["fit_files"], "messages": [str(summary["messages"][0])]}
    )
    return tables, notes


def decode_columns(data: bytes) -> tuple[ColumnTables, list[str]]:
    """Decode FIT bytes into plain numpy columns per message type (what :func:`decode` puts in DataFrames).

    ``milepace.io.fit.read_fit`` builds the Activity from these directly: the
    ten or so small DataFrames of :func:`decode` would cost more to build and
    take apart again than the decoding itself.

    Parameters
    ----------
    data
        The whole file (chained FIT files are read one after another).

    Returns
    -------
    (tables, notes)
        :data:`ColumnTables` with the same columns and values as :func:`decode`'s
        DataFrames; ``tables["_summary"]`` holds ``fit_files`` (float64, one value)
        and ``messages`` (object, one ``str``); ``notes`` as :func:`decode`.

    Raises
    ------
    FastPathUnsupported
        For damage or features this decoder leaves to fitdecode (the reason says which).
    """
    buf = bytes(data)
    arr = np.frombuffer(buf, dtype=np.uint8)
    notes: list[str] = []
    parts: dict[str, list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]]] = {}
    seen: dict[str, int] = {}
    dropped: set[str] = set()
    start = 0
    files = 0
    while start < len(buf):
        if len(buf) - start < 12:
            raise FastPathUnsupported("bytes after the FIT data that are not a FIT header", offset=start)
        header_size = buf[start]
        if header_size not in (12, 14) or buf[start + 8 : start + 12] != b".FIT":
            if files:
                raise FastPathUnsupported("bytes after the FIT data that are not a FIT header", offset=start)
            raise FastPathUnsupported("not a FIT header", offset=start)
        body_size = int.from_bytes(buf[start + 4 : start + 8], "little")
        body = start + header_size
        end = body + body_size
        if len(buf) < start + header_size or len(buf) < end + 2:
            raise FastPathUnsupported(
                f"truncated file: header says {end + 2 - start:,} bytes, found {len(buf) - start:,}",
                offset=start,
            )
        if header_size == 14:
            stored = int.from_bytes(buf[start + 12 : start + 14], "little")
            if stored and crc16(buf[start : start + 12]) != stored:
                notes.append(
                    f"the FIT header's checksum does not match (header at byte {start:,}); the data was kept"
                )
        stored = int.from_bytes(buf[end : end + 2], "little")
        computed = crc16(buf[start:end])
        if computed != stored:
            notes.append(
                f"the file's checksum does not match its contents (stored 0x{stored:04X}, computed 0x{computed:04X}); the data was kept"
            )
        for name, chunks in _decode_file(buf, arr, body, end, seen, dropped).items():
            parts.setdefault(name, []).extend(chunks)
        files += 1
        start = end + 2
    if files == 0:
        raise FastPathUnsupported("empty file")
    notes.extend(sorted(dropped))
    tables: ColumnTables = {name: _columns(name, chunks) for name, chunks in parts.items()}
    # as milepace.io.fit's decoder: FIT files read, and every message name in file order
    names = np.empty(1, dtype=object)
    names[0] = ", ".join(sorted(seen, key=seen.__getitem__))
    tables["_summary"] = {"fit_files": np.array([float(files)]), "messages": names}
    return tables, notes


def _columns(
    name: str, chunks: list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]]
) -> dict[str, np.ndarray]:
    """One message type's columns from all its layouts, rows in file order (text columns as object)."""
    present = {c for _, cols in chunks for c in cols}
    columns = [c for c in MESSAGES[name] if c in present]
    if not columns:
        return {}  # none of the fields milepace reads: as fitdecode's tables, no rows
    if len(chunks) == 1:
        return {c: chunks[0][1][c] for c in columns}
    order = np.argsort(np.concatenate([o for o, _ in chunks]), kind="stable")
    out = {}
    for c in columns:
        is_text = any(c in cols and cols[c].dtype == object for _, cols in chunks)
        out[c] = _gather(chunks, c, order, None if is_text else np.nan)
    return out


def _frame(cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """One message type's columns as a DataFrame (numeric columns as one float64 block)."""
    if not cols:
        return pd.DataFrame()
    if any(v.dtype == object for v in cols.values()):
        data: dict[str, Any] = {
            c: pd.Series(v, dtype=object, copy=False) if v.dtype == object else v for c, v in cols.items()
        }
        return pd.DataFrame(data, copy=False)
    n = next(iter(cols.values())).shape[0]
    block = np.empty((len(cols), n), dtype=np.float64)
    for row, v in enumerate(cols.values()):
        block[row] = v
    key = tuple(cols)
    index = _COLUMN_INDEX.get(key)
    if index is None:
        index = _COLUMN_INDEX[key] = pd.Index(key)  # building it is most of a small frame's cost
    return pd.DataFrame(block.T, columns=index, copy=False)


_COLUMN_INDEX: dict[tuple[str, ...], pd.Index] = {}


def _gather(
    chunks: list[tuple[npt.NDArray[np.int64], dict[str, np.ndarray]]],
    column: str,
    order: npt.NDArray[np.intp] | None,
    missing: float | None,
) -> np.ndarray:
    """One column over all layouts in file order; rows of a layout without it are ``missing``."""
    if order is None:
        return chunks[0][1][column]
    kind = np.float64 if missing is not None else object
    pieces = [cols[column] if column in cols else np.full(o.size, missing, dtype=kind) for o, cols in chunks]
    return np.concatenate(pieces)[order]
