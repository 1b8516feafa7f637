"""The FIT → Activity builder on hand-made tables, and the fitdecode decoder on damaged bytes.

Every expected value below is worked out by hand in the comment next to it,
from the FIT profile's definitions (positions in semicircles, 2**31 = 180°;
running cadence in strides per minute of one leg; lap_trigger / intensity /
event_type enum numbers; workout_step subfield scales), not from the code.
"""

from __future__ import annotations

import math
import struct
import sys
import types
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepace.activity import (
    LAP_COLUMNS,
    PAUSE_COLUMNS,
    WORKOUT_STEP_COLUMNS,
    Activity,
    empty_laps,
    validate,
)
from milepace.errors import DataQualityWarning, EmptyActivity, ParseError
from milepace.io.fit import decode_fitdecode, merge_hr, read_fit, read_fit_reference, tables_to_activity
from milepace.io.fit_crc import crc16
from milepace.io.fit_tables import FitTables
from tests.conftest import REALDATA

T0 = 1_000_000_000.0
"""A FIT timestamp: 1e9 s after 1989-12-31T00:00:00Z = 2021-09-08T01:46:40Z (631065600 + 1e9 = 1631065600 Unix)."""
T0_UTC = pd.Timestamp("2021-09-08T01:46:40Z")


def _records(n: int = 3, **columns: list[float]) -> pd.DataFrame:
    data: dict[str, list[float]] = {"timestamp": [T0 + i for i in range(n)]}
    data.update(columns)
    return pd.DataFrame({k: np.asarray(v, dtype=np.float64) for k, v in data.items()})


def _as_columns(tables: FitTables) -> dict[str, dict[str, np.ndarray]]:
    """The same tables as plain numpy columns (the fast decoder's ``decode_columns`` form)."""
    return {name: {c: frame[c].to_numpy() for c in frame.columns} for name, frame in tables.items()}


def _same_activity(a: Activity, b: Activity) -> None:
    for name in ("records", "laps", "pauses"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    if a.workout_steps is None or b.workout_steps is None:
        assert a.workout_steps is None and b.workout_steps is None
    else:
        pd.testing.assert_frame_equal(a.workout_steps, b.workout_steps, check_exact=True)
    assert a.meta == b.meta and a.warnings == b.warnings


def _build(tables: FitTables, notes: list[str] | None = None):  # type: ignore[no-untyped-def]
    # every builder test also checks that plain numpy columns build the very same Activity
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        act = tables_to_activity(tables, notes or [], source="t.fit", decoder="fitdecode")
        from_columns = tables_to_activity(
            _as_columns(tables), notes or [], source="t.fit", decoder="fitdecode"
        )
    validate(act)
    _same_activity(act, from_columns)
    return act


def _session(sport: int, start: float, elapsed: float, sub_sport: float = 0) -> dict[str, float]:
    return {
        "timestamp": start + elapsed,
        "start_time": start,
        "sport": float(sport),
        "sub_sport": float(sub_sport),
        "total_elapsed_time": elapsed,
    }


# --------------------------------------------------------------------------- records


def test_time_index_is_utc_from_fit_epoch() -> None:
    act = _build({"record": _records(2)})
    assert act.records.index[0] == T0_UTC
    assert act.records.index[1] == T0_UTC + pd.Timedelta(seconds=1)
    assert str(act.records.index.tz) == "UTC"


def test_semicircles_to_degrees() -> None:
    # 2**30 semicircles = 90°, 2**29 = 45°, -(2**30 + 2**28) = -(90 + 22.5) = -112.5°
    act = _build({"record": _records(2, position_lat=[2**30, 2**29], position_long=[-(2**30 + 2**28), 0])})
    assert act.records["lat_deg"].tolist() == [90.0, 45.0]
    assert act.records["lon_deg"].tolist() == [-112.5, 0.0]


def test_running_cadence_counts_both_legs() -> None:
    # FIT running cadence is strides/min of one leg: (85 + 0.5) x 2 = 171 steps/min; (90 + 0) x 2 = 180
    recs = _records(2, cadence=[85, 90], fractional_cadence=[0.5, math.nan])
    act = _build({"record": recs, "session": pd.DataFrame([_session(1, T0, 2)])})
    assert act.records["cadence_spm"].tolist() == [171.0, 180.0]


def test_cycling_cadence_is_not_reported_as_steps() -> None:
    recs = _records(2, cadence=[85, 90], speed=[8.0, 8.1])
    act = _build({"record": recs, "session": pd.DataFrame([_session(2, T0, 2)])})
    assert "cadence_spm" not in act.records
    assert act.meta.sport == "cycling"
    assert "cadence_dropped" in act.meta.extra


def test_enhanced_fields_win_and_plain_fill_gaps() -> None:
    recs = _records(
        2,
        speed=[3.0, 3.1],
        enhanced_speed=[3.25, math.nan],
        altitude=[100.0, 101.0],
        enhanced_altitude=[math.nan, 250.5],
    )
    act = _build({"record": recs})
    assert act.records["speed_m_s"].tolist() == [3.25, 3.1]
    assert act.records["elevation_m"].tolist() == [100.0, 250.5]


def test_absent_channels_are_absent_not_zero() -> None:
    act = _build({"record": _records(2, distance=[0.0, 3.5], heart_rate=[math.nan, math.nan])})
    assert list(act.records.columns) == ["distance_m"]


def test_records_without_timestamp_are_dropped_with_a_warning() -> None:
    recs = _records(3, distance=[0.0, 1.0, 2.0])
    recs.loc[1, "timestamp"] = math.nan
    act = _build({"record": recs})
    assert len(act.records) == 2
    assert any("without a timestamp" in w for w in act.warnings)


# --------------------------------------------------------------------------- hr messages


def test_merge_hr_averages_samples_since_previous_record() -> None:
    # record 10: window (9, 10] holds 100, 102 -> 101; record 11: (10, 11] holds 104, 110 -> 107;
    # record 12: (11, 12] holds nothing -> NaN; record 13: (12, 13] holds 120, 121 -> 120.5 rounds half up to 121
    rec_t = np.array([10.0, 11.0, 12.0, 13.0])
    hr_t = np.array([9.5, 10.0, 10.5, 11.0, 12.5, 13.0])
    bpm = np.array([100.0, 102.0, 104.0, 110.0, 120.0, 121.0])
    out = merge_hr(rec_t, hr_t, bpm)
    assert out[0] == 101.0 and out[1] == 107.0 and math.isnan(out[2]) and out[3] == 121.0


def test_hr_messages_fill_records_without_heart_rate() -> None:
    # anchor: FIT time T0 + 0.5 s <-> event clock 2000.0 s; later samples at event 2000.5 and 2001.0
    # -> FIT times T0+1.0 (82) and T0+1.5 (84); the SDK carries 80 forward at T0+0.75 and 82 at T0+1.25.
    # record T0+1: window (T0, T0+1] = {80 @ .5, 80 @ .75, 82 @ 1.0} -> 80.67 -> 81
    # record T0+2: window (T0+1, T0+2] = {82 @ 1.25, 84 @ 1.5} -> 83
    # record T0 keeps its own heart rate (90).
    hr = pd.DataFrame(
        {
            "timestamp": [T0, math.nan],
            "fractional_timestamp": [0.5, math.nan],
            "event_timestamp": [(2000.0,), (2000.5, 2001.0)],
            "filtered_bpm": [(80.0,), (82.0, 84.0)],
        }
    )
    recs = _records(3, heart_rate=[90.0, math.nan, math.nan])
    act = _build({"record": recs, "hr": hr})
    assert act.records["heart_rate_bpm"].tolist() == [90.0, 81.0, 83.0]


# --------------------------------------------------------------------------- laps


def test_laps_map_trigger_and_intensity() -> None:
    # lap_trigger: 0 manual, 1 time, 4 position_lap -> position, 8 fitness_equipment -> unknown, 7 session_end
    # intensity: 0 active, 1 rest, 2 warmup, NaN -> None, 5 interval
    laps = pd.DataFrame(
        {
            "timestamp": [T0 + 100, T0 + 200, T0 + 300, T0 + 400, T0 + 500],
            "start_time": [T0, T0 + 100, T0 + 200, T0 + 300, T0 + 400],
            "total_elapsed_time": [100.0, 100.0, 100.0, 100.0, 90.5],
            "total_timer_time": [100.0, 95.0, 100.0, 100.0, 90.5],
            "total_distance": [400.0, 200.0, 1000.0, 0.0, 400.0],
            "lap_trigger": [0.0, 1.0, 4.0, 8.0, 7.0],
            "intensity": [0.0, 1.0, 2.0, math.nan, 5.0],
            "wkt_step_index": [0.0, 1.0, math.nan, 3.0, 4.0],
        }
    )
    act = _build({"record": _records(2), "lap": laps})
    got = act.laps
    assert list(got.columns) == list(LAP_COLUMNS)
    assert got["trigger"].tolist() == ["manual", "time", "position", "unknown", "session_end"]
    assert got["intensity"].tolist()[:3] == ["active", "rest", "warmup"]
    assert got["intensity"].iloc[3] is None and got["intensity"].iloc[4] == "interval"
    assert str(got["wkt_step_index"].dtype) == "Int64"
    assert got["wkt_step_index"].isna().tolist() == [False, False, True, False, False]
    assert got["start"].iloc[1] == T0_UTC + pd.Timedelta(seconds=100)
    # end = start + elapsed: T0 + 400 + 90.5 s
    assert got["end"].iloc[4] == T0_UTC + pd.Timedelta(seconds=490.5)
    assert got["timer_s"].iloc[1] == 95.0 and got["distance_m"].iloc[2] == 1000.0


def test_laps_read_the_same_from_float_and_mixed_tables() -> None:
    # the builder reads float-only tables as one array and mixed ones (a string column, numbers
    # held as objects, as decode_fitdecode can produce) column by column: both give the same laps
    floats = pd.DataFrame(
        {
            "timestamp": [T0 + 100, T0 + 200],
            "start_time": [T0, T0 + 100],
            "total_elapsed_time": [100.0, 100.0],
            "total_distance": [400.0, 200.0],
            "lap_trigger": [0.0, 1.0],
            "intensity": [0.0, 1.0],
        }
    )
    mixed = floats.assign(
        total_distance=pd.Series([400.0, None], dtype=object), name=pd.Series(["a", None], dtype=object)
    )
    from_floats = _build({"record": _records(2), "lap": floats}).laps
    from_mixed = _build({"record": _records(2), "lap": mixed}).laps
    assert from_mixed["distance_m"].iloc[0] == 400.0 and math.isnan(from_mixed["distance_m"].iloc[1])
    pd.testing.assert_frame_equal(
        from_floats.drop(columns="distance_m"), from_mixed.drop(columns="distance_m")
    )
    assert from_floats["start"].iloc[1] == T0_UTC + pd.Timedelta(seconds=100)  # T0 + 100 s
    # laps built from rows keep the dtypes of an empty laps frame (trigger/intensity stay object, not str)
    assert from_floats.dtypes.to_dict() == empty_laps().dtypes.to_dict()


def test_lap_without_start_time_starts_at_end_minus_elapsed() -> None:
    laps = pd.DataFrame({"timestamp": [T0 + 60], "total_elapsed_time": [60.0], "lap_trigger": [0.0]})
    act = _build({"record": _records(2), "lap": laps})
    assert act.laps["start"].iloc[0] == T0_UTC


# --------------------------------------------------------------------------- pauses


def test_timer_stop_start_events_become_pauses() -> None:
    # event 0 = timer; event_type 0 start, 1 stop, 4 stop_all; timer_trigger 0 manual, 1 auto
    # pauses: T0+10 -> T0+25 (15 s, auto), T0+40 -> T0+41 (1 s, manual); the second stop at T0+12 is a repeat;
    # the final stop_all at T0+60 has no start after it (end of activity) and is not a pause.
    ev = pd.DataFrame(
        {
            "timestamp": [T0, T0 + 10, T0 + 12, T0 + 25, T0 + 30, T0 + 40, T0 + 41, T0 + 60],
            "event": [0.0, 0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0],
            "event_type": [0.0, 1.0, 1.0, 0.0, 3.0, 4.0, 0.0, 4.0],
            "timer_trigger": [0.0, 1.0, 1.0, 1.0, math.nan, 0.0, 0.0, 0.0],
        }
    )
    act = _build({"record": _records(61), "event": ev})
    p = act.pauses
    assert set(PAUSE_COLUMNS) <= set(p.columns)
    assert p["duration_s"].tolist() == [15.0, 1.0]
    assert p["start"].tolist() == [T0_UTC + pd.Timedelta(seconds=10), T0_UTC + pd.Timedelta(seconds=40)]
    assert p["source"].tolist() == ["timer", "timer"]
    assert p["trigger"].tolist() == ["auto", "manual"]
    assert act.paused_s == 16.0


# --------------------------------------------------------------------------- sessions and meta


def test_multisport_keeps_only_running_session() -> None:
    # cycling T0..T0+9, running T0+10..T0+19
    sessions = pd.DataFrame([_session(2, T0, 9.0), _session(1, T0 + 10, 9.0, sub_sport=4)])
    laps = pd.DataFrame(
        {"start_time": [T0, T0 + 10], "timestamp": [T0 + 9, T0 + 19], "total_elapsed_time": [9.0, 9.0]}
    )
    recs = _records(20, cadence=[80.0] * 20)
    act = _build({"record": recs, "session": sessions, "lap": laps})
    assert act.meta.sport == "running" and act.meta.sub_sport == "track"
    assert act.records.index[0] == T0_UTC + pd.Timedelta(seconds=10)
    assert len(act.records) == 10
    assert len(act.laps) == 1
    assert act.records["cadence_spm"].iloc[0] == 160.0
    assert any("multisport" in w for w in act.warnings)


def test_meta_names_device_sport_and_utc_offset() -> None:
    # FIT profile: manufacturer 1 = garmin, garmin_product 2691 = fr935; sport 1 running, sub_sport 1 treadmill
    # activity.local_timestamp - timestamp = 7200 s (UTC+2)
    tables: FitTables = {
        "record": _records(2),
        "file_id": pd.DataFrame({"type": [4.0], "manufacturer": [1.0], "product": [2691.0]}),
        "session": pd.DataFrame([_session(1, T0, 1.0, sub_sport=1)]),
        "activity": pd.DataFrame({"timestamp": [T0 + 1], "local_timestamp": [T0 + 1 + 7200]}),
    }
    meta = _build(tables).meta
    assert (meta.manufacturer, meta.product) == ("garmin", "fr935")
    assert (meta.sport, meta.sub_sport) == ("running", "treadmill")
    assert meta.utc_offset_s == 7200.0
    assert meta.format == "fit" and meta.decoder == "fitdecode"


def test_workout_steps_scaled_by_subfield() -> None:
    # duration_type 0 time: duration_time scale 1000 -> 120000 = 120 s; 1 distance: duration_distance scale 100
    # -> 80000 = 800 m; target_type 0 speed: custom_target_speed scale 1000 -> 4500 = 4.5 m/s, 5000 = 5.0 m/s
    steps = pd.DataFrame(
        {
            "message_index": [0.0, 1.0],
            "wkt_step_name": ["warm up", None],
            "duration_type": [0.0, 1.0],
            "duration_value": [120000.0, 80000.0],
            "target_type": [2.0, 0.0],
            "custom_target_value_low": [math.nan, 4500.0],
            "custom_target_value_high": [math.nan, 5000.0],
            "intensity": [2.0, 0.0],
        }
    )
    ws = _build({"record": _records(2), "workout_step": steps}).workout_steps
    assert ws is not None and list(ws.columns) == list(WORKOUT_STEP_COLUMNS)
    assert ws["duration_type"].tolist() == ["time", "distance"]
    assert ws["duration_value"].tolist() == [120.0, 800.0]
    assert ws["target_type"].tolist() == ["open", "speed"]
    assert ws["target_low"].iloc[1] == 4.5 and ws["target_high"].iloc[1] == 5.0
    assert ws["intensity"].tolist() == ["warmup", "active"]
    assert ws["name"].iloc[0] == "warm up"
    assert ws["name"].iloc[1] is None
    assert {str(ws[c].dtype) for c in ("name", "intensity", "duration_type", "target_type")} == {"object"}


def test_notes_become_warnings() -> None:
    with pytest.warns(DataQualityWarning, match="checksum"):
        act = tables_to_activity(
            {"record": _records(2)},
            ["the file's checksum does not match"],
            source="x.fit",
            decoder="fitdecode",
        )
    assert act.warnings == ("x.fit: the file's checksum does not match",)


_FORMS = {"frames": lambda tables: tables, "columns": _as_columns}
"""The two table forms the builder reads: DataFrames (fitdecode decoder) and numpy columns (fast decoder)."""


@pytest.mark.parametrize("form", list(_FORMS))
def test_no_records_is_an_empty_activity(form: str) -> None:
    tables: FitTables = {"file_id": pd.DataFrame({"type": [2.0]})}  # file type 2 = settings
    with pytest.raises(EmptyActivity, match=r"no timestamped records.*settings file holding only file_id$"):
        tables_to_activity(_FORMS[form](tables), [], source="s.fit", decoder="fitdecode")
    # the decoders' summary lists every message name in the file, so the message can name them
    tables["_summary"] = pd.DataFrame({"fit_files": [1.0], "messages": ["file_id, device_settings"]})
    with pytest.raises(EmptyActivity, match=r"settings file holding only file_id, device_settings$"):
        tables_to_activity(_FORMS[form](tables), [], source="s.fit", decoder="fitdecode")


# --------------------------------------------------------------------------- decoder on bytes


@pytest.mark.parametrize("form", list(_FORMS))
def test_records_all_without_timestamps_are_an_empty_activity(form: str) -> None:
    recs = pd.DataFrame({"distance": [25.0, 50.0], "speed": [1.6, 1.7]})
    with pytest.raises(EmptyActivity, match="none of its 2 record message"):
        tables_to_activity(_FORMS[form]({"record": recs}), [], source="swim.fit", decoder="fitdecode")


def test_not_fit_bytes_raise_parse_error() -> None:
    with pytest.raises(ParseError):
        decode_fitdecode(b"<gpx></gpx> this is not a FIT file", "x.fit")
    with pytest.raises(ParseError):
        decode_fitdecode(b"", "empty.fit")


def test_an_error_without_message_is_named_by_its_type_as_written() -> None:
    # The header's data size ends inside the second record: fitdecode 0.11 fails a bare
    # `assert chunk_size <= body_bytes_left` (no message). The note must name the type as written.
    definition = bytes([0x40, 0, 0]) + (20).to_bytes(2, "little") + bytes([2, 253, 4, 0x86, 3, 1, 0x02])
    records = b"".join(bytes([0]) + struct.pack("<IB", 1_000_000_000 + k, 150) for k in range(3))
    body = definition + records
    declared = len(definition) + 6 + 3  # one whole 6-byte record, then 3 bytes of the next
    head = struct.pack("<BBHI4s", 12, 0x20, 2132, declared, b".FIT")
    data = head + body + struct.pack("<H", crc16(head + body))
    tables, notes = decode_fitdecode(data, "cut.fit")
    assert len(tables["record"]) == 1
    text = " ".join(notes)
    assert "assertionError" not in text
    assert "fitdecode stopped with AssertionError and no message" in text


def test_fields_narrower_than_their_profile_type_become_warnings() -> None:
    # record.position_lat (sint32 in the FIT profile) declared as four 1-byte enums: the builder
    # must warn (naming the field) and leave latitude out rather than read its first byte.
    definition = bytes([0x40, 0, 0]) + (20).to_bytes(2, "little") + bytes([3])
    definition += bytes([253, 4, 0x86, 0, 4, 0x00, 1, 4, 0x85])
    body = definition
    for k in range(3):  # 3 records 1 s apart near (40.7 N, 74.0 W) in semicircles (deg * 2**31 / 180)
        body += bytes([0]) + struct.pack("<Iii", 1_000_000_000 + k, 485_590_000, -882_850_000)
    head = struct.pack("<BBHI4s", 12, 0x20, 2132, len(body), b".FIT")
    data = head + body
    data += struct.pack("<H", crc16(data))
    with pytest.warns(DataQualityWarning, match=r"record\.position_lat .*enum"):
        act = read_fit(data, "narrow.fit")
    assert "lat_deg" not in act.records or act.records["lat_deg"].isna().all()
    assert act.records["lon_deg"].notna().all()
    with pytest.warns(DataQualityWarning, match="position_lat"):
        assert act.warnings == read_fit_reference(data, "narrow.fit").warnings


_SMALL_RUN = REALDATA / "python-fitparse" / "activity-filecrc.fit"


@pytest.fixture
def small_fit() -> bytes:
    """A small real FIT activity (771 bytes, 14 records); its footer CRC is wrong on purpose."""
    if not _SMALL_RUN.is_file():
        pytest.skip(f"{_SMALL_RUN} not found")
    return _SMALL_RUN.read_bytes()


def test_bad_crc_keeps_data_and_warns(small_fit: bytes) -> None:
    with pytest.warns(DataQualityWarning, match="checksum"):
        act = read_fit_reference(small_fit, "crc.fit")
    validate(act)
    assert len(act.records) == 14


def test_truncated_file_keeps_what_decoded(small_fit: bytes) -> None:
    cut = len(small_fit) // 2
    tables, notes = decode_fitdecode(small_fit[:cut], "cut.fit")
    assert any(f"of {cut:,}" in n and "truncated" in n for n in notes)
    full, _ = decode_fitdecode(small_fit, "full.fit")
    got = len(tables.get("record", ()))
    assert 0 < got < len(full["record"])
    # every record decoded before the damage is identical to the undamaged file's
    pd.testing.assert_frame_equal(tables["record"], full["record"].iloc[:got][tables["record"].columns])


def test_read_fit_falls_back_when_fast_path_declines(
    small_fit: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("milepace.io.fit_fast")

    class FastPathUnsupported(Exception):
        pass

    def decode_columns(data: bytes) -> tuple[FitTables, list[str]]:
        raise FastPathUnsupported("big-endian definitions")

    fake.FastPathUnsupported = FastPathUnsupported  # type: ignore[attr-defined]
    fake.decode_columns = decode_columns  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "milepace.io.fit_fast", fake)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        act = read_fit(small_fit, "f.fit")
    assert act.meta.decoder == "fitdecode"
    assert act.meta.extra["fallback_reason"] == "big-endian definitions"


def test_read_fit_uses_fast_path_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("milepace.io.fit_fast")

    class FastPathUnsupported(Exception):
        pass

    def decode_columns(data: bytes) -> tuple[dict[str, dict[str, np.ndarray]], list[str]]:
        return _as_columns({"record": _records(2, distance=[0.0, 2.0])}), []

    fake.FastPathUnsupported = FastPathUnsupported  # type: ignore[attr-defined]
    fake.decode_columns = decode_columns  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "milepace.io.fit_fast", fake)
    act = read_fit(b"ignored by the fake", "f.fit")
    assert act.meta.decoder == "fit-fast"
    assert "fallback_reason" not in act.meta.extra
    assert act.records["distance_m"].tolist() == [0.0, 2.0]


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=40),
    speeds=st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=12)), min_size=40, max_size=40),
)
def test_builder_output_is_sorted_unique_and_never_negative(
    offsets: list[int], speeds: list[float | None]
) -> None:
    # records in any order, with repeated timestamps: the Activity is sorted, unique, and keeps every instant once
    n = len(offsets)
    recs = pd.DataFrame(
        {
            "timestamp": [T0 + o for o in offsets],
            "speed": [math.nan if s is None else s for s in speeds[:n]],
            "distance": [float(o) for o in offsets],
        }
    )
    act = _build({"record": recs})
    assert act.records.index.is_monotonic_increasing and act.records.index.is_unique
    assert len(act.records) == len(set(offsets))
    if "speed_m_s" in act.records:
        assert not (act.records["speed_m_s"] < 0).any()
