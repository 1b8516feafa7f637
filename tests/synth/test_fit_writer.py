"""The FIT encoder: CRC, header, and every value decoded back by fitdecode (the reference reader)."""

from __future__ import annotations

import io
from typing import Any

import fitdecode
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milepace.errors import UsageError
from milepace.synth import TEMPLATES, SynthSession, write_fit
from milepace.synth.fit_writer import crc16, crc16_reference
from milepace.units import FIT_EPOCH_S, SEMICIRCLES_TO_DEG

from .conftest import need, session


def test_crc_check_value() -> None:
    # CRC-16/ARC check value for b"123456789" is 0xBB3D (Greg Cook's CRC catalogue); the FIT CRC is CRC-16/ARC
    assert crc16_reference(b"123456789") == 0xBB3D
    assert crc16(b"123456789" * 100) == crc16_reference(b"123456789" * 100)


@pytest.mark.parametrize("n", [0, 1, 255, 256, 257, 1000, 4097])
def test_vectorised_crc_matches_reference(n: int) -> None:
    data = np.random.default_rng(n).integers(0, 256, n).astype(np.uint8).tobytes()
    assert crc16(data) == crc16_reference(data)


def decode(data: bytes) -> dict[str, list[Any]]:
    """All data messages by name, decoded with CRC checking on (a CRC error raises)."""
    out: dict[str, list[Any]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                out.setdefault(frame.name, []).append(frame)
    return out


def column(frames: list[Any], name: str) -> np.ndarray:
    vals = []
    for f in frames:
        v = f.get_value(name, fallback=None) if f.has_field(name) else None
        vals.append(np.nan if v is None else v)
    return np.array(vals, dtype=float)


def check_records(s: SynthSession, msgs: dict[str, list[Any]], *, hr_in_records: bool = True) -> None:
    recs = msgs["record"]
    assert len(recs) == len(s.time_s)
    ts = np.array([f.get_value("timestamp").timestamp() for f in recs])
    assert np.array_equal(ts, s.time_s)
    if s.lat_deg is not None and s.lon_deg is not None:
        lat = column(recs, "position_lat") * SEMICIRCLES_TO_DEG
        lon = column(recs, "position_long") * SEMICIRCLES_TO_DEG
        assert np.allclose(lat, s.lat_deg, atol=1e-12, equal_nan=True)
        assert np.allclose(lon, s.lon_deg, atol=1e-12, equal_nan=True)
    else:
        assert not recs[0].has_field("position_lat")
    assert s.distance_m is not None and s.speed_m_s is not None and s.elevation_m is not None
    assert np.allclose(column(recs, "distance"), s.distance_m, atol=0.005)
    assert np.allclose(column(recs, "enhanced_speed"), s.speed_m_s, atol=0.0005)
    assert np.allclose(column(recs, "enhanced_altitude"), s.elevation_m, atol=0.1)
    if hr_in_records:
        assert np.array_equal(column(recs, "heart_rate"), need(s.heart_rate_bpm))
    if s.cadence_spm is not None:
        spm = 2 * (column(recs, "cadence") + column(recs, "fractional_cadence"))
        assert np.allclose(spm, s.cadence_spm, atol=1 / 64 + 1e-9)


REPRESENTATIVE = ["track_6x800", "easy_strides", "hill_sprints", "mile_time_trial"]


@pytest.mark.parametrize(
    "template",
    [t if t in REPRESENTATIVE else pytest.param(t, marks=pytest.mark.slow) for t in sorted(TEMPLATES)],
)
def test_every_template_decodes_to_the_session(template: str) -> None:
    s = session(template, recording="smart")
    msgs = decode(write_fit(s))
    check_records(s, msgs)
    assert len(msgs["lap"]) == len(s.laps)
    sess = msgs["session"][0]
    assert sess.get_value("sport") == "running"
    assert sess.get_value("total_distance") == pytest.approx(s.device_distance_m, abs=0.01)
    assert sess.get_value("total_timer_time") == pytest.approx(s.timer_s)
    assert sess.get_value("num_laps") == len(s.laps)


OPTIONS = [
    {},
    {"compressed_timestamps": True},
    {"big_endian": True},
    {"developer_fields": True},
    {"local_message_types": "rotating"},
    {"hr_messages": True},
    {"interleave_events": False},
    {"speed_fields": "plain"},
    {
        "compressed_timestamps": True,
        "big_endian": True,
        "developer_fields": True,
        "local_message_types": "rotating",
        "hr_messages": True,
    },
    {"compressed_timestamps": True, "local_message_types": "single", "interleave_events": True},
]


@pytest.mark.parametrize("opts", OPTIONS, ids=lambda o: "+".join(o) or "default")
def test_options_decode_identically(opts: dict[str, Any]) -> None:
    # 4 x 400 with standing rests and auto-pause: timer events and >= 32 s record gaps
    s = session("track_4x400", auto_pause=True, recording="smart")
    data = write_fit(s, **opts)
    msgs = decode(data)
    if opts.get("speed_fields") == "plain":
        recs = msgs["record"]
        defined = {fd.def_num for fd in recs[0].def_mesg.field_defs}
        assert 6 in defined and 73 not in defined  # fitdecode still expands speed into enhanced_speed
        assert np.allclose(column(recs, "speed"), need(s.speed_m_s), atol=0.0005)
        assert np.allclose(column(recs, "altitude"), need(s.elevation_m), atol=0.1)
        return
    check_records(s, msgs, hr_in_records=not opts.get("hr_messages"))
    events = msgs["event"]
    assert len(events) == 2 + 2 * len(s.pauses)
    types = [e.get_value("event_type") for e in events]
    assert types.count("start") == 1 + len(s.pauses)
    assert types.count("stop_all") == 1 + len(s.pauses)
    assert len(msgs["lap"]) == len(s.laps)
    if opts.get("hr_messages"):
        assert not msgs["record"][0].has_field("heart_rate")
        # the strap's beat stream, continuous through pauses: one sample per beat
        bpm = [v for f in msgs["hr"] for v in np.atleast_1d(f.get_value("filtered_bpm"))]
        assert np.array_equal(bpm, need(s.hr_beat_bpm))
        stamps = np.array([v for f in msgs["hr"] for v in np.atleast_1d(f.get_value("event_timestamp"))])
        assert np.allclose(stamps, (need(s.hr_beat_time_s) - FIT_EPOCH_S) % 2**22, atol=1e-3)
        anchor = msgs["hr"][0]
        anchor_s = anchor.get_value("timestamp").timestamp() + anchor.get_value("fractional_timestamp")
        assert anchor_s == pytest.approx(need(s.hr_beat_time_s)[0], abs=1 / 32768)
        # one anchor message with a timestamp, then timestamp-less messages of beats
        assert [f.has_field("timestamp") for f in msgs["hr"]] == [True] + [False] * (len(msgs["hr"]) - 1)
    if opts.get("developer_fields"):
        assert msgs["field_description"][0].get_value("field_name") == "form_power"
        assert msgs["record"][5].has_field("form_power")
    if opts.get("compressed_timestamps"):
        # a compressed header saves the 4-byte timestamp field on most records
        assert len(data) < len(write_fit(s, **{**opts, "compressed_timestamps": False})) - 2 * len(s.time_s)


def test_interleaved_laps_and_events_sit_among_records() -> None:
    s = session("track_4x400", auto_pause=True)
    names = []
    with fitdecode.FitReader(io.BytesIO(write_fit(s))) as reader:
        names = [f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)]
    first, last = names.index("record"), len(names) - 1 - names[::-1].index("record")
    inner = names[first:last]
    assert inner.count("lap") == len(s.laps) - 1
    assert inner.count("event") == 2 * len(s.pauses)


def test_header_workout_steps_and_activity() -> None:
    s = session("track_6x800", laps="workout", recording="smart")
    data = write_fit(s)
    assert data[0] == 14 and data[8:12] == b".FIT"
    assert int.from_bytes(data[4:8], "little") == len(data) - 16
    msgs = decode(data)
    assert s.workout_steps is not None
    steps = msgs["workout_step"]
    assert len(steps) == len(s.workout_steps)
    assert [f.get_value("intensity") for f in steps] == [w.intensity for w in s.workout_steps]
    rep = steps[1]
    assert rep.get_value("duration_type") == "distance"
    assert rep.get_value("duration_value") == pytest.approx(800.0)
    assert rep.get_value("custom_target_value_low") == pytest.approx(s.workout_steps[1].target_low_m_s)
    laps = msgs["lap"]
    assert [f.get_value("wkt_step_index") for f in laps] == list(range(len(laps)))
    assert [f.get_value("intensity") for f in laps][:3] == ["warmup", "active", "rest"]
    assert msgs["session"][0].get_value("sub_sport") == "track"
    act = msgs["activity"][0]
    assert act.get_value("local_timestamp") is not None
    assert msgs["file_id"][0].get_value("type") == "activity"


def test_treadmill_and_power() -> None:
    from milepace.synth import simulate

    s = simulate("easy", seed=2, treadmill=True, power=True, duration_s=600)
    msgs = decode(write_fit(s))
    check_records(s, msgs)
    assert np.array_equal(column(msgs["record"], "power"), need(s.power_w))
    assert msgs["session"][0].get_value("sub_sport") == "treadmill"


def test_bad_option_raises_usage_error() -> None:
    with pytest.raises(UsageError):
        write_fit(session("easy"), local_message_types="many")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    duration_s=st.integers(120, 600),
    recording=st.sampled_from(["every_second", "smart"]),
    auto_pause=st.booleans(),
    laps=st.sampled_from(["manual", "auto_km", "none", "workout"]),
    speed_source=st.sampled_from(["gps", "footpod"]),
    compressed=st.booleans(),
    big_endian=st.booleans(),
    dev=st.booleans(),
    local=st.sampled_from(["single", "rotating"]),
    hr_messages=st.booleans(),
    interleave=st.booleans(),
)
def test_random_sessions_and_options_decode_identically(
    seed: int,
    duration_s: int,
    recording: str,
    auto_pause: bool,
    laps: str,
    speed_source: str,
    compressed: bool,
    big_endian: bool,
    dev: bool,
    local: str,
    hr_messages: bool,
    interleave: bool,
) -> None:
    from milepace.synth import simulate

    s = simulate(
        "easy",
        seed=seed,
        duration_s=float(duration_s),
        recording=recording,
        auto_pause=auto_pause,
        laps=laps,
        speed_source=speed_source,
    )
    data = write_fit(
        s,
        compressed_timestamps=compressed,
        big_endian=big_endian,
        developer_fields=dev,
        local_message_types=local,
        hr_messages=hr_messages,
        interleave_events=interleave,
    )
    msgs = decode(data)
    check_records(s, msgs, hr_in_records=not hr_messages)
    assert len(msgs["lap"]) == len(s.laps)
    assert len(msgs["event"]) == 2 + 2 * len(s.pauses)


@pytest.mark.parametrize("opts", [{}, {"hr_messages": True, "big_endian": True, "developer_fields": True}])
def test_the_official_garmin_sdk_reads_it(opts: dict[str, Any]) -> None:
    # garmin-fit-sdk is the FIT SDK's own Python decoder (it does not take compressed timestamps)
    sdk = pytest.importorskip("garmin_fit_sdk")
    s = session("track_4x400", laps="workout")
    data = write_fit(s, **opts)
    decoder = sdk.Decoder(sdk.Stream.from_byte_array(bytearray(data)))
    assert decoder.check_integrity()
    decoder = sdk.Decoder(sdk.Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(merge_heart_rates=True)
    assert errors == []
    records = messages["record_mesgs"]
    assert len(records) == len(s.time_s)
    assert len(messages["lap_mesgs"]) == len(s.laps)
    hr = need(s.heart_rate_bpm)
    merged = np.array([r.get("heart_rate", np.nan) for r in records], dtype=float)
    if not opts.get("hr_messages"):
        assert np.array_equal(merged, hr)
    else:
        # the SDK merges the beats into each record as their mean over (previous record, record], so with a
        # record every second it lags by at most one second of change: the model's heart rate approaches its
        # target (at most 190 from at least 62 bpm) with a 22 s time constant, under 6 bpm/s; rounding adds 1
        # (the first record has no earlier beat in its window, the last is never assigned by the SDK)
        assert np.all(np.abs(merged[1:-1] - hr[1:-1]) <= 7)
        assert np.median(np.abs(merged[1:-1] - hr[1:-1])) <= 2
