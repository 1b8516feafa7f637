"""The vectorised FIT decoder against hand-built files, fitdecode, and every real FIT file we have.

* Hand-built files (a minimal FIT writer below): expected values worked out
  by hand from the FIT profile (scale/offset, invalid sentinels, compressed
  timestamp roll-over per the FIT protocol document, section 4.1.2).
* Real files (``../shared/realdata`` and ``../shared/corpus``): the fast
  decoder and ``milepace.io.fit.decode_fitdecode`` must give the same tables
  (same messages, rows, columns; timestamps and integers exactly; scaled
  fields within half their resolution), or the file is listed in
  :data:`FALLBACK` with the reason the fast decoder gives for declining it.
  Files over 60 kB run only with ``-m slow``.
* Hypothesis: random sessions and writer options from ``milepace.synth.write_fit``
  decode the same both ways.
"""

from __future__ import annotations

import csv
import gzip
import math
import struct
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milepace.io import fit_fast
from milepace.io.fit_crc import crc16, crc16_numpy, crc16_python
from milepace.io.fit_fast import FastPathUnsupported, decode, decode_columns
from milepace.io.fit_profile import PROFILE, PROFILE_TYPES
from milepace.io.fit_tables import MESSAGES
from tests.conftest import CORPUS, REALDATA

SMALL_BYTES = 60_000
"""Real files up to this size are compared by default; all of them with ``-m slow``."""

FALLBACK: dict[str, str] = {}
"""Real files the fast decoder hands to fitdecode, and why (a substring of the reason).

Empty: every real file either decodes the same both ways or is damaged (then the
fast decoder declines it and fitdecode must report the damage too)."""


# --------------------------------------------------------------------------- a minimal FIT writer

_EPOCH_1000 = 1000  # a FIT timestamp [s]; 1000 % 32 == 8


def _definition(
    local: int, global_num: int, fields: list[tuple[int, int, int]], *, big: bool = False, dev: int = 0
) -> bytes:
    """Definition message; ``fields`` are (number, size, base type); ``dev`` developer bytes per message."""
    out = bytearray([0x40 | local | (0x20 if dev else 0), 0, 1 if big else 0])
    out += global_num.to_bytes(2, "big" if big else "little")
    out.append(len(fields))
    for number, size, base in fields:
        out += bytes([number, size, base])
    if dev:
        out += bytes([1, 0, dev, 0])  # one developer field: number 0, size dev, index 0
    return bytes(out)


def _fit(body: bytes, *, header_crc: bool = True, file_crc: int | None = None) -> bytes:
    """Header (14 bytes) + body + file CRC (the FIT SDK's nibble-table CRC, computed here byte by byte)."""
    head = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    head += struct.pack("<H", crc16_python(head) if header_crc else 0)
    whole = head + body
    return whole + struct.pack("<H", crc16_python(whole) if file_crc is None else file_crc)


# record: timestamp(253, uint32), heart_rate(3, uint8), speed(6, uint16, /1000), altitude(2, uint16, /5 - 500)
_RECORD_FIELDS = [(253, 4, 0x86), (3, 1, 0x02), (6, 2, 0x84), (2, 2, 0x84)]


def _record(ts: int, hr: int, speed_raw: int, alt_raw: int, *, local: int = 0, big: bool = False) -> bytes:
    order = ">" if big else "<"
    return bytes([local]) + struct.pack(f"{order}IBHH", ts, hr, speed_raw, alt_raw)


def test_values_scale_offset_and_invalid_sentinels() -> None:
    body = _definition(0, 20, _RECORD_FIELDS)
    body += _record(_EPOCH_1000, 150, 3500, 2600)
    body += _record(_EPOCH_1000 + 1, 0xFF, 0xFFFF, 0xFFFF)  # every value invalid but the timestamp
    tables, notes = decode(_fit(body))
    rec = tables["record"]
    assert notes == []
    assert list(rec.columns) == ["timestamp", "speed", "altitude", "heart_rate"]  # MESSAGES order
    # by hand: speed 3500 / 1000 = 3.5 m/s; altitude 2600 / 5 - 500 = 20.0 m
    assert rec["timestamp"].tolist() == [1000.0, 1001.0]
    assert rec["heart_rate"].iloc[0] == 150.0
    assert rec["speed"].iloc[0] == 3.5
    assert rec["altitude"].iloc[0] == 20.0
    assert rec.iloc[1][["heart_rate", "speed", "altitude"]].isna().all()
    assert "enhanced_speed" not in rec  # only fields the file wrote (fitdecode's expansion is not copied)


def test_big_endian_definition() -> None:
    body = _definition(0, 20, _RECORD_FIELDS, big=True) + _record(_EPOCH_1000, 99, 1234, 3000, big=True)
    rec = decode(_fit(body))[0]["record"]
    # 1234 / 1000 = 1.234 m/s; 3000 / 5 - 500 = 100.0 m
    assert rec[["timestamp", "heart_rate", "speed", "altitude"]].iloc[0].tolist() == [
        1000.0,
        99.0,
        1.234,
        100.0,
    ]


def test_compressed_timestamps_roll_over() -> None:
    # Full timestamp 1000 (1000 mod 32 = 8), then compressed offsets 10, 31, 3, 3:
    # 10 >= 8 -> 1000 - 8 + 10 = 1002; 31 -> 1002 - 10 + 31 = 1023;
    # 3 < 31 -> rolls over: 1023 - 31 + 32 + 3 = 1027; 3 again -> no change, 1027.
    full = _definition(0, 20, _RECORD_FIELDS) + _record(_EPOCH_1000, 100, 1000, 2500)
    comp_def = _definition(1, 20, [(3, 1, 0x02)])  # local 1: heart_rate only
    body = full + comp_def
    for offset, hr in [(10, 101), (31, 102), (3, 103), (3, 104)]:
        body += bytes([0x80 | (1 << 5) | offset, hr])
    rec = decode(_fit(body))[0]["record"]
    assert rec["timestamp"].tolist() == [1000.0, 1002.0, 1023.0, 1027.0, 1027.0]
    assert rec["heart_rate"].tolist() == [100.0, 101.0, 102.0, 103.0, 104.0]


def test_runs_cycles_redefinitions_and_developer_bytes() -> None:
    # records (with 3 developer bytes) interleaved 2:1 with events, then a redefinition of local 0
    rec_def = _definition(0, 20, [(253, 4, 0x86), (3, 1, 0x02)], dev=3)
    ev_def = _definition(1, 21, [(253, 4, 0x86), (0, 1, 0x00), (1, 1, 0x00), (3, 4, 0x86)])
    body = rec_def + ev_def
    expected_hr = []
    for k in range(40):
        for j in range(2):
            t = 2000 + 2 * k + j
            body += bytes([0]) + struct.pack("<IB", t, 100 + (t % 50)) + b"\xaa\xbb\xcc"
            expected_hr.append(100 + (t % 50))
        body += bytes([1]) + struct.pack("<IBBI", 2000 + 2 * k + 1, 0, 4, 0)  # event timer(0), stop_all(4)
    body += _definition(0, 20, [(253, 4, 0x86), (4, 1, 0x02)])  # local 0 now carries cadence
    body += bytes([0]) + struct.pack("<IB", 3000, 88)
    tables = decode(_fit(body))[0]
    rec, ev = tables["record"], tables["event"]
    assert len(rec) == 81 and len(ev) == 40
    assert rec["heart_rate"].iloc[:80].tolist() == [float(v) for v in expected_hr]
    assert math.isnan(rec["heart_rate"].iloc[80]) and rec["cadence"].iloc[80] == 88.0
    assert rec["timestamp"].iloc[[0, 1, 79, 80]].tolist() == [2000.0, 2001.0, 2079.0, 3000.0]
    # event.data is a subfield parent: raw integer; timer_trigger resolved where event == timer (0)
    assert (ev["event"] == 0).all() and (ev["timer_trigger"] == 0).all() and (ev["data"] == 0).all()


def test_compressed_speed_distance_rolls_over() -> None:
    # 3 bytes, little endian: speed in bits 0-11 [1/100 m/s], distance in bits 12-23 [1/16 m],
    # accumulated with 12-bit roll-over (FIT profile: record.compressed_speed_distance).
    # By hand: counts 4000 -> 4000/16 = 250.0 m; then 100 < 4000 rolls over to 4096 + 100 = 4196 -> 262.25 m;
    # then 0xFFFFFF (invalid) -> NaN, counter unchanged; then 200 -> 4096 + 200 = 4296 -> 268.5 m.
    body = _definition(0, 20, [(253, 4, 0x86), (8, 3, 0x0D)])
    for t, speed_raw, count in [(1000, 350, 4000), (1001, 360, 100), (1002, None, None), (1003, 370, 200)]:
        packed = 0xFFFFFF if speed_raw is None or count is None else speed_raw | (count << 12)
        body += bytes([0]) + struct.pack("<I", t) + packed.to_bytes(3, "little")
    rec = decode(_fit(body))[0]["record"]
    assert rec["distance"].tolist()[:2] == [250.0, 262.25] and rec["distance"].iloc[3] == 268.5
    assert rec["speed"].tolist()[:2] == [3.5, 3.6] and rec["speed"].iloc[3] == 3.7
    assert rec.iloc[2][["speed", "distance"]].isna().all()


def test_strings_and_object_columns() -> None:
    body = _definition(0, 26, [(8, 8, 0x07), (4, 1, 0x00)]) + bytes([0]) + b"6x800\x00\xff\xff" + bytes([1])
    wkt = decode(_fit(body))[0]["workout"]
    assert wkt["wkt_name"].dtype == object and wkt["wkt_name"].iloc[0] == "6x800"
    assert wkt["sport"].iloc[0] == 1.0


def test_crc_mismatch_is_a_note_and_the_data_is_kept() -> None:
    body = _definition(0, 20, _RECORD_FIELDS) + _record(_EPOCH_1000, 150, 3500, 2600)
    tables, notes = decode(_fit(body, file_crc=0x1234))
    assert len(tables["record"]) == 1
    assert len(notes) == 1 and "checksum" in notes[0]


def test_chained_files_are_read_in_order() -> None:
    one = _fit(_definition(0, 20, _RECORD_FIELDS) + _record(1000, 120, 1000, 2500))
    two = _fit(_definition(0, 20, _RECORD_FIELDS) + _record(2000, 130, 2000, 2500))
    tables, notes = decode(one + two)
    assert tables["record"]["heart_rate"].tolist() == [120.0, 130.0]
    assert (
        tables["_summary"]["fit_files"].iloc[0] == 2.0 and tables["_summary"]["messages"].iloc[0] == "record"
    )
    assert notes == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_fit(_definition(0, 20, _RECORD_FIELDS) + _record(1000, 1, 1, 1))[:-5], "truncated"),
        (b"\x0e\x20\x54\x08" + b"\x00" * 4 + b".FTT" + b"\x00" * 8, "not a FIT header"),
        (_fit(bytes([0]) + b"\x00" * 11), "undefined local message type"),
        (_fit(_definition(0, 20, _RECORD_FIELDS)) + b"\x00" * 20, "not a FIT header"),
        (
            _fit(_definition(0, 20, [(253, 4, 0x86), (8, 4, 0x86)]) + bytes([0]) + b"\x00" * 8),
            "compressed_speed_distance not written as 3 bytes",
        ),
        (_fit(_definition(0, 20, [(253, 0, 0x86)])), "zero-size field"),
        (b"", "empty file"),
    ],
    ids=[
        "truncated",
        "bad-magic",
        "undefined-local",
        "trailing-bytes",
        "compressed-speed-distance",
        "zero-size",
        "empty",
    ],
)
def test_declines_what_it_does_not_support(data: bytes, reason: str) -> None:
    with pytest.raises(FastPathUnsupported, match=reason):
        decode(data)


# record with position_lat (0, sint32) and position_long (1, sint32) next to a plain heart_rate
_POSITION = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (3, 1, 0x02)]


def _position_record(lat_raw: int, lon_raw: int, hr: int) -> bytes:
    return bytes([0]) + struct.pack("<IiiB", _EPOCH_1000, lat_raw, lon_raw, hr)


@pytest.mark.parametrize(
    ("lat_base", "declared"),
    [
        (0x55, "an unknown base type"),  # not in the FIT base type table (the FIT SDK refuses it)
        (0x0D, "an unknown base type (or raw bytes)"),  # byte: 4 opaque bytes
        (0x00, "base type enum (an array of narrower values)"),  # 4 one-byte enums
        (0x84, "base type uint16 (an array of narrower values)"),  # 2 two-byte values
    ],
    ids=["unknown", "byte", "enum-array", "uint16-array"],
)
def test_field_narrower_than_its_profile_type_is_dropped_with_a_note(lat_base: int, declared: str) -> None:
    # A 4-byte latitude read as its first byte/element would be a fragment (0x4D of 0x1234564D:
    # ~4e-7 degrees), not the value; both decoders must drop it and say so, the other fields intact.
    fields = [(253, 4, 0x86), (0, 4, lat_base), (1, 4, 0x85), (3, 1, 0x02)]
    body = _definition(0, 20, fields) + _position_record(0x1234564D, -0x1234564D, 150)
    tables, notes = decode(_fit(body))
    ref_tables, ref_notes = _reference(_fit(body))
    assert _same_tables(tables, ref_tables) == []
    rec = tables["record"]
    assert "position_lat" not in rec or rec["position_lat"].isna().all()
    assert rec["position_long"].tolist() == [-0x1234564D]  # untouched: declared as the profile's sint32
    assert rec["heart_rate"].tolist() == [150.0]
    (note,) = notes
    assert note == ref_notes[-1]
    assert note.startswith("record.position_lat is declared as 4 byte(s) of ") and declared in note
    assert "sint32" in note


@pytest.mark.parametrize("placeholder", [0, 0xFFFFFFFF], ids=["zeros", "all-0xFF"])
def test_a_narrow_placeholder_is_dropped_without_a_note(placeholder: int) -> None:
    # a real file writes file_id.serial_number (uint32z) as 4 zero bytes: nothing is lost by
    # dropping it, so no warning (an element that is zero or invalid holds no data)
    fields = [(253, 4, 0x86), (0, 4, 0x0D), (1, 4, 0x85), (3, 1, 0x02)]
    body = _definition(0, 20, fields) + bytes([0]) + struct.pack("<IIiB", _EPOCH_1000, placeholder, 7, 150)
    tables, notes = decode(_fit(body))
    ref_tables, ref_notes = _reference(_fit(body))
    assert notes == [] and ref_notes == []
    assert _same_tables(tables, ref_tables) == []
    assert "position_lat" not in tables["record"] or tables["record"]["position_lat"].isna().all()


@pytest.mark.parametrize(("size", "text"), [(1, b"x"), (4, b"ab\0\0"), (4, b"\0\0\0\0")])
def test_a_number_declared_as_a_string_is_dropped(size: int, text: bytes) -> None:
    # fitdecode would hand the text to a numeric column; the fast decoder would read its first byte
    fields = [(253, 4, 0x86), (0, size, 0x07), (1, 4, 0x85), (3, 1, 0x02)]
    payload = struct.pack("<I", _EPOCH_1000) + text[:size] + struct.pack("<iB", 7, 150)
    data = _fit(_definition(0, 20, fields) + bytes([0]) + payload)
    tables, notes = decode(data)
    ref_tables, ref_notes = _reference(data)
    assert _same_tables(tables, ref_tables) == []
    assert "position_lat" not in tables["record"] or tables["record"]["position_lat"].isna().all()
    assert tables["record"]["position_long"].tolist() == [7.0]
    assert notes == ref_notes
    # an empty string (first byte NUL) held nothing: dropped without a note
    assert len(notes) == (0 if text[0] == 0 else 1)
    assert all("position_lat" in n and "string" in n for n in notes)


def test_a_timestamp_array_with_compressed_timestamps_is_left_to_fitdecode() -> None:
    # fitdecode keeps the (uint16, uint16) tuple as its timestamp accumulator and cannot roll the next
    # compressed-timestamp header from it: it reports damage, so the fast decoder must not read on
    body = (
        _definition(0, 20, [(253, 4, 0x84), (3, 1, 0x02)]) + bytes([0]) + struct.pack("<IB", _EPOCH_1000, 150)
    )
    body += _definition(1, 20, [(3, 1, 0x02)]) + bytes([0x80 | (1 << 5) | 9, 151])
    with pytest.raises(FastPathUnsupported, match="timestamp declared as an array"):
        decode(_fit(body))
    assert any("damaged" in n for n in _reference(_fit(body))[1])


@pytest.mark.parametrize(
    "fields",
    [
        [(253, 4, 0x86), (3, 1, 0x55)],  # a one-byte field of unknown type: its byte is the whole value
        [(253, 4, 0x86), (3, 1, 0x0D)],  # heart_rate (uint8) as one byte
        [(253, 4, 0x86), (3, 2, 0x02)],  # heart_rate as two uint8: an array of the profile's own type
        [(253, 4, 0x86), (3, 1, 0x02), (6, 1, 0x02)],  # speed (uint16) as a single uint8: a valid encoding
    ],
    ids=["unknown-1-byte", "byte-1-byte", "same-type-array", "narrower-scalar"],
)
def test_fields_that_hold_whole_values_are_kept(fields: list[tuple[int, int, int]]) -> None:
    # real files write event.data (uint32) as a 1-byte enum or byte: a single value, kept as read
    payload = struct.pack("<I", _EPOCH_1000) + bytes([150] * (sum(f[1] for f in fields) - 4))
    data = _fit(_definition(0, 20, fields) + bytes([0]) + payload)
    tables, notes = decode(data)
    assert notes == []
    assert _same_tables(tables, _reference(data)[0]) == []
    assert tables["record"]["heart_rate"].tolist() == [150.0]


# --------------------------------------------------------------------------- CRC and profile


def test_crc_check_value_and_numpy_lanes() -> None:
    # 0xBB3D: the CRC catalogue's check value of CRC-16/ARC over b"123456789"
    assert crc16(b"123456789") == crc16_numpy(b"123456789") == crc16_python(b"123456789") == 0xBB3D
    rng = np.random.default_rng(7)
    for n in (0, 1, 128, 129, 1000, 4097, 50_001):
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert crc16_numpy(data) == crc16_python(data) == crc16(data), n


@given(st.binary(min_size=0, max_size=3000), st.sampled_from([4, 16, 32]))
@settings(max_examples=60, deadline=None)
def test_crc_numpy_equals_bytewise(data: bytes, lane_bytes: int) -> None:
    assert crc16_numpy(data, lane_bytes=lane_bytes) == crc16_python(data)


def test_profile_numbers_match_fitdecode() -> None:
    fitdecode_profile = pytest.importorskip("fitdecode.profile")
    for name, (number, fields) in PROFILE.items():
        mesg = fitdecode_profile.MESSAGE_TYPES[number]
        assert mesg.name == name
        for field_number, spec in fields.items():
            ref = mesg.fields[field_number]
            assert (spec.name, spec.scale, spec.offset) == (ref.name, ref.scale, ref.offset)
            assert [s.name for s in spec.subfields] == [s.name for s in ref.subfields or ()]
            assert [(c.name, c.scale, c.offset, c.bits) for c in spec.components] == [
                (c.name, c.scale, c.offset, c.bits) for c in ref.components or ()
            ]
            assert spec.is_string == (getattr(ref.type, "name", "") == "string")
            base = ref.type if ref.type.__class__.__name__ == "BaseType" else ref.type.base_type
            assert PROFILE_TYPES[number][field_number] == (base.name, base.size)
        assert set(PROFILE_TYPES[number]) == set(fields)
        wanted = {f for f in MESSAGES[name] if f in {s.name for s in fields.values()}}
        assert wanted, name


# --------------------------------------------------------------------------- against fitdecode


def _same_tables(fast: dict[str, pd.DataFrame], ref: dict[str, pd.DataFrame]) -> list[str]:
    """Differences between two FitTables (a missing column counts as all-NaN)."""
    problems = []
    if set(fast) != set(ref):
        problems.append(f"message types differ: {sorted(set(fast) ^ set(ref))}")
    for name in sorted(set(fast) & set(ref)):
        a, b = fast[name], ref[name]
        if len(a) != len(b):
            problems.append(f"{name}: {len(a)} rows vs {len(b)}")
            continue
        if name == "_summary":
            if a.to_dict("list") != b.to_dict("list"):
                problems.append(f"_summary differs: {a.to_dict('list')} vs {b.to_dict('list')}")
            continue
        specs = {s.name: s for s in PROFILE[name][1].values()}
        for col in MESSAGES[name]:
            x = a[col] if col in a else pd.Series([None] * len(a), dtype=object)
            y = b[col] if col in b else pd.Series([None] * len(b), dtype=object)
            if x.dtype == object or y.dtype == object:
                xs = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in x]
                ys = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in y]
                if xs != ys:
                    problems.append(f"{name}.{col}: values differ")
                continue
            xv, yv = x.to_numpy(np.float64), y.to_numpy(np.float64)
            if (np.isnan(xv) != np.isnan(yv)).any():
                problems.append(f"{name}.{col}: missing values differ")
                continue
            spec = specs.get(col)
            # half the field's resolution (1/scale) for scaled fields; exact otherwise
            tol = 0.5 / spec.scale if spec is not None and spec.scale else 0.0
            ok = ~np.isnan(xv)
            if ok.any() and np.abs(xv[ok] - yv[ok]).max() > tol:
                problems.append(f"{name}.{col}: max difference {np.abs(xv[ok] - yv[ok]).max()}")
    return problems


def _reference(data: bytes) -> tuple[dict[str, pd.DataFrame], list[str]]:
    fit = pytest.importorskip("milepace.io.fit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit.decode_fitdecode(data, "test")


def _fit_files() -> list[tuple[str, Path, int]]:
    out = []
    manifest = REALDATA / "MANIFEST.tsv"
    if manifest.is_file():
        with manifest.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["format"] in ("fit", "fit.gz"):
                    out.append((row["relpath"], REALDATA / row["relpath"], int(row["size_bytes"])))
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.fit")):
            out.append((f"corpus/{path.name}", path, path.stat().st_size))
    return out


def _params() -> list[Any]:
    params: list[Any] = [
        pytest.param(rel, path, id=rel, marks=[pytest.mark.slow] if size > SMALL_BYTES else [])
        for rel, path, size in _fit_files()
    ]
    return params or [pytest.param(None, None, id="no-shared-data")]


@pytest.mark.parametrize(("rel", "path"), _params())
def test_real_file_decodes_as_fitdecode_does(rel: str | None, path: Path | None) -> None:
    if path is None or rel is None:
        pytest.skip("no real FIT files (../shared/realdata, ../shared/corpus)")
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    try:
        tables, notes = decode(data)
    except FastPathUnsupported as err:
        if rel in FALLBACK:
            assert FALLBACK[rel] in str(err)
            return
        # otherwise only damage may be declined: fitdecode must then report damage too
        ref_notes = _reference(data)[1] if _decodes(data) else ["fitdecode cannot read it"]
        assert any(word in " ".join(ref_notes) for word in ("damaged", "truncated", "not FIT", "cannot")), (
            f"declined without damage: {err}"
        )
        return
    assert rel not in FALLBACK, "listed as a fallback file but the fast decoder read it"
    _builds_the_same_from_columns(data, tables, notes)
    ref_tables, ref_notes = _reference(data)
    assert _same_tables(tables, ref_tables) == []
    assert any("checksum" in n for n in notes) == any("checksum" in n for n in ref_notes)


def _builds_the_same_from_columns(data: bytes, tables: dict[str, pd.DataFrame], notes: list[str]) -> None:
    """``decode_columns`` holds :func:`decode`'s values, and the builder makes the same Activity of both."""
    fit = pytest.importorskip("milepace.io.fit")
    errors = pytest.importorskip("milepace.errors")
    columns, column_notes = decode_columns(data)
    assert column_notes == notes
    assert set(columns) == set(tables)
    for name, cols in columns.items():
        frame = tables[name]
        assert list(cols) == list(frame.columns), name
        for c, values in cols.items():
            assert values.dtype == (object if frame[c].dtype != np.float64 else np.float64), (name, c)
            expected = frame[c].to_numpy()
            if values.dtype == np.float64:  # bit for bit, NaN included
                assert values.tobytes() == expected.tobytes(), (name, c)
            else:
                assert values.tolist() == expected.tolist(), (name, c)
    built = []
    for source in (tables, columns):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                built.append(fit.tables_to_activity(source, notes, source="t.fit", decoder="fit-fast"))
            except errors.MilepaceError as err:
                built.append(f"{type(err).__name__}: {err}")
    if isinstance(built[0], str) or isinstance(built[1], str):
        assert built[0] == built[1]
        return
    for part in ("records", "laps", "pauses"):
        pd.testing.assert_frame_equal(getattr(built[0], part), getattr(built[1], part), check_exact=True)
    steps = [b.workout_steps for b in built]
    if steps[0] is None or steps[1] is None:
        assert steps[0] is None and steps[1] is None
    else:
        pd.testing.assert_frame_equal(steps[0], steps[1], check_exact=True)
    assert built[0].meta == built[1].meta and built[0].warnings == built[1].warnings


def _decodes(data: bytes) -> bool:
    try:
        _reference(data)
    except Exception:
        return False
    return True


# --------------------------------------------------------------------------- random files from the synthetic writer


@given(
    seed=st.integers(0, 10_000),
    duration_s=st.integers(60, 420),
    compressed=st.booleans(),
    big=st.booleans(),
    dev=st.booleans(),
    local=st.sampled_from(["single", "rotating"]),
    interleave=st.booleans(),
    speed=st.sampled_from(["both", "enhanced", "plain"]),
    recording=st.sampled_from(["every_second", "smart"]),
)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_synthetic_files_decode_as_fitdecode_does(
    seed: int,
    duration_s: int,
    compressed: bool,
    big: bool,
    dev: bool,
    local: str,
    interleave: bool,
    speed: str,
    recording: str,
) -> None:
    synth = pytest.importorskip("milepace.synth")
    session = synth.simulate("easy", seed=seed, duration_s=float(duration_s), recording=recording)
    data = synth.write_fit(
        session,
        compressed_timestamps=compressed,
        big_endian=big,
        developer_fields=dev,
        local_message_types=local,
        interleave_events=interleave,
        speed_fields=speed,
    )
    tables, notes = decode(data)
    ref_tables, _ = _reference(data)
    assert _same_tables(tables, ref_tables) == []
    assert notes == []
    _builds_the_same_from_columns(data, tables, notes)
    # one record per sample the session recorded, with the session's timestamps (whole seconds here)
    fit_epoch_unix_s = 631_065_600  # 1989-12-31T00:00:00Z, FIT protocol document
    assert len(tables["record"]) == len(session.time_s)
    assert np.array_equal(
        tables["record"]["timestamp"].to_numpy() + fit_epoch_unix_s, np.floor(session.time_s)
    )


def test_synthetic_hr_messages_decode_as_fitdecode_does() -> None:
    synth = pytest.importorskip("milepace.synth")
    session = synth.simulate("easy", seed=1, duration_s=300.0)
    data = synth.write_fit(session, hr_messages=True)
    tables, notes = decode(data)
    assert _same_tables(tables, _reference(data)[0]) == []
    _builds_the_same_from_columns(data, tables, notes)
    # every heart-rate sample of the session is in some hr message's filtered_bpm
    beats = [b for row in tables["hr"]["filtered_bpm"] for b in row]
    assert len(beats) >= np.isfinite(session.heart_rate_bpm).sum()


@given(
    seed=st.integers(0, 7),
    flips=st.lists(
        st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=3
    ),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_files_are_declined_or_decoded_as_fitdecode_does(
    seed: int, flips: list[tuple[float, int]]
) -> None:
    # Corrupt bytes of a valid file: the fast decoder must decline (FastPathUnsupported) or give
    # fitdecode's tables exactly; never another exception, never different values.
    synth = pytest.importorskip("milepace.synth")
    original = bytes(
        synth.write_fit(
            synth.simulate("easy", seed=seed, duration_s=60.0),
            compressed_timestamps=bool(seed % 2),
            big_endian=seed % 3 == 0,
            developer_fields=seed % 4 == 0,
            hr_messages=seed % 7 == 0,
        )
    )
    data = bytearray(original)
    for where, value in flips:
        data[14 + int(where * (len(data) - 16))] = value  # body bytes only
    try:
        tables, notes = decode(bytes(data))
    except FastPathUnsupported:
        return
    try:
        ref_tables, ref_notes = _reference(bytes(data))
    except Exception:
        pytest.fail("fitdecode cannot read a file the fast decoder read")
    assert not any("damaged" in n for n in ref_notes), ref_notes
    assert _same_tables(tables, ref_tables) == []
    # a change of up to 3 bytes escapes CRC-16 with probability ~2**-16; unchanged data has no note
    assert any("checksum" in n for n in notes) == (bytes(data) != original)


@given(
    seed=st.integers(0, 3),
    changes=st.lists(
        st.tuples(
            st.floats(0.0, 1.0, exclude_max=True),
            st.one_of(st.sampled_from([0x55, 0x0D, 0x00, 0x02, 0x84, 0x83, 0x07, 0x88]), st.integers(0, 255)),
        ),
        min_size=1,
        max_size=3,
    ),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_changed_base_types_are_declined_or_decoded_as_fitdecode_does(
    seed: int, changes: list[tuple[float, int]]
) -> None:
    # Any base type byte of any field definition replaced (the CRC recomputed, so only the types are
    # wrong): same tables and same notes about dropped fields, or the fast decoder declines.
    synth = pytest.importorskip("milepace.synth")
    from tests.robustness import badfiles

    original = bytes(
        synth.write_fit(
            synth.simulate("easy", seed=seed, duration_s=60.0),
            compressed_timestamps=seed == 2,
            big_endian=seed == 1,
            hr_messages=seed == 3,
        )
    )
    slots = [
        d.offset + 6 + 3 * i + 2
        for d in badfiles.walk_fit(original)
        if d.kind == "definition"
        for i in range(len(d.fields))
    ]
    body = bytearray(original[:-2])
    for where, base in changes:
        body[slots[int(where * len(slots))]] = base
    data = bytes(body) + crc16(bytes(body)).to_bytes(2, "little")
    try:
        tables, notes = decode(data)
    except FastPathUnsupported:
        return
    ref_tables, ref_notes = _reference(data)
    assert _same_tables(tables, ref_tables) == []
    assert [n for n in notes if "declared as" in n] == [n for n in ref_notes if "declared as" in n]


# --------------------------------------------------------------------------- the decoder's shortcuts against its general path

_SCALAR_BASES = sorted(fit_fast._SCALAR_EXACT)


@settings(max_examples=400, deadline=None)
@given(
    base=st.sampled_from(_SCALAR_BASES),
    data=st.data(),
    scale=st.sampled_from([None, 1, 5, 100, 1000, 16.0, 3.6]),
    offset=st.sampled_from([None, 0, 500, 0.5, -20]),
)
def test_a_single_message_reads_as_the_column_path(
    base: int, data: st.DataObject, scale: Any, offset: Any
) -> None:
    # one message's field in plain Python (_scalar_value) against the numpy column path, bit for bit
    code, size, _invalid = fit_fast._BASE_TYPES[base]
    special = [b"\xff" * size, b"\x00" * size, b"\x7f" + b"\xff" * (size - 1), b"\x80" + b"\x00" * (size - 1)]
    raw_bytes = data.draw(st.one_of(st.binary(min_size=size, max_size=size), st.sampled_from(special)))
    raw = np.frombuffer(raw_bytes, dtype="<" + code)
    spec = PROFILE["record"][1][2]._replace(scale=scale, offset=offset)  # altitude's spec, other scale/offset
    values, ok = fit_fast._numeric(raw, base, size)
    column = np.where(ok, fit_fast._scale(values, spec), np.nan)
    single = np.array([fit_fast._scalar_value(raw.tolist()[0], base, spec)])
    assert single.tobytes() == column.tobytes()


def _first_matching_subfield(spec: Any, refs: dict[int, tuple[float, bool]]) -> int:
    """fitdecode's rule, message by message: the first subfield with a reference field holding its value."""
    for k, sub in enumerate(spec.subfields):
        for number, value in sub.refs:
            if number in refs and refs[number][1] and refs[number][0] == value:
                return k
    return -1


_WITH_SUBFIELDS = [
    (msg, number, spec)
    for msg, (_num, fields) in PROFILE.items()
    for number, spec in fields.items()
    if spec.subfields
]


@pytest.mark.parametrize(
    ("msg", "number", "spec"), _WITH_SUBFIELDS, ids=[f"{m}.{s.name}" for m, _n, s in _WITH_SUBFIELDS]
)
def test_subfields_resolve_to_the_first_match(msg: str, number: int, spec: Any) -> None:
    rng = np.random.default_rng(number)
    ref_numbers = sorted({n for sub in spec.subfields for n, _v in sub.refs})
    ref_values = sorted({float(v) for sub in spec.subfields for _n, v in sub.refs})
    n = 200
    # each reference field: a profile reference value, a value no subfield names, or invalid
    columns = {
        r: (
            rng.choice(np.array([*ref_values, max(ref_values) + 1.0, -1.0]), n),
            rng.random(n) > 0.1,
        )
        for r in ref_numbers
    }
    fields = [(r, 1 + j, 1, 0x02) for j, r in enumerate(ref_numbers)]
    lay = fit_fast._Layout(PROFILE[msg][0], False, fields, 1 + len(fields))
    first_index = {r: j for j, r in enumerate(ref_numbers)}
    chosen = fit_fast._resolve_subfield(spec, lay, first_index, lambda j: columns[ref_numbers[j]], n)
    expected = [
        _first_matching_subfield(
            spec, {r: (float(columns[r][0][i]), bool(columns[r][1][i])) for r in ref_numbers}
        )
        for i in range(n)
    ]
    assert chosen.tolist() == expected


def _general_path_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fit_fast, "_plain_fields", lambda msg, fields: None)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    compressed=st.booleans(),
    big=st.booleans(),
    dev=st.booleans(),
    local=st.sampled_from(["single", "rotating"]),
    hr_messages=st.booleans(),
    speed=st.sampled_from(["both", "enhanced", "plain"]),
)
def test_planned_definitions_read_as_the_general_path(
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    compressed: bool,
    big: bool,
    dev: bool,
    local: str,
    hr_messages: bool,
    speed: str,
) -> None:
    # _plain_fields/_decode_plain (most definitions) against _decode_layout's general path, bit for bit
    synth = pytest.importorskip("milepace.synth")
    session = synth.simulate("track_4x400", seed=seed, laps="manual", power=seed % 2 == 0)
    data = synth.write_fit(
        session,
        compressed_timestamps=compressed,
        big_endian=big,
        developer_fields=dev,
        local_message_types=local,
        hr_messages=hr_messages,
        speed_fields=speed,
    )
    planned, planned_notes = decode_columns(data)
    with monkeypatch.context() as patch:
        _general_path_only(patch)
        general, general_notes = decode_columns(data)
    assert planned_notes == general_notes
    assert list(planned) == list(general)
    for name, cols in planned.items():
        assert list(cols) == list(general[name]), name
        for c, values in cols.items():
            other = general[name][c]
            assert values.dtype == other.dtype, (name, c)
            if values.dtype == object:
                assert values.tolist() == other.tolist(), (name, c)
            else:
                assert values.tobytes() == other.tobytes(), (name, c)


def test_definitions_the_plan_leaves_to_the_general_path() -> None:
    # event.data's subfield timer_trigger is a wanted column; hr beat arrays; a field number twice
    assert fit_fast._plain_fields("event", ((253, 1, 4, 0x86), (0, 5, 1, 0x00), (3, 6, 4, 0x86))) is None
    assert fit_fast._plain_fields("hr", ((6, 1, 8, 0x02),)) is None
    assert fit_fast._plain_fields("record", ((3, 1, 1, 0x02), (3, 2, 1, 0x02))) is None
    assert fit_fast._plain_fields("record", ((8, 1, 3, 0x0D),)) is None  # compressed_speed_distance
    # record: timestamp, heart_rate and altitude (whose enhanced_altitude component is not copied) are plain
    plan = fit_fast._plain_fields("record", ((253, 1, 4, 0x86), (3, 5, 1, 0x02), (2, 6, 2, 0x84)))
    assert plan is not None and [(i, name) for i, name, *_rest in plan] == [
        (0, "timestamp"),
        (1, "heart_rate"),
        (2, "altitude"),
    ]
