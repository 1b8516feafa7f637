"""The JSON Lines contract: field names, ISO times with Z, targets, nulls."""

from __future__ import annotations

import json

import pandas as pd

from milepace.activity import Activity, ActivityMeta, empty_laps, empty_pauses
from milepace.detect.model import Effort, Recovery, SessionAnalysis
from milepace.render.jsonl import analysis_to_contract, dumps, error_to_contract, iso_utc


def _analysis() -> SessionAnalysis:
    idx = pd.date_range("2026-05-02T13:01:07Z", periods=3, freq="s", name="time")
    act = Activity(
        pd.DataFrame({"distance_m": [0.0, 3.0, 6.0]}, index=idx),
        empty_laps(),
        empty_pauses(),
        ActivityMeta("a.fit", "fit", "running"),
    )
    t = pd.Timestamp("2026-05-02T13:19:40Z")
    rec = Recovery(t + pd.Timedelta(seconds=164), t + pd.Timedelta(seconds=285), 121.0, 402.0, "jog")
    e1 = Effort(
        1,
        "interval",
        t,
        t + pd.Timedelta(seconds=164),
        164.0,
        800.0,
        812.4,
        164.0 / 800.0 * 1609.344,
        800.0,
        recovery=rec,
    )
    e2 = Effort(
        2,
        "stride",
        t + pd.Timedelta(seconds=285),
        t + pd.Timedelta(seconds=305),
        20.0,
        100.0,
        100.0,
        float("nan"),
    )
    return SessionAnalysis(act, (e1, e2), goal_mile_s=330.0)


def test_contract_fields() -> None:
    c = analysis_to_contract(_analysis(), "runs/a.fit")
    assert c["file"] == "runs/a.fit" and c["status"] == "ok" and c["error"] is None
    assert c["activity"]["start"] == "2026-05-02T13:01:07Z"
    first, last = c["efforts"]
    assert first["start"] == "2026-05-02T13:19:40Z" and first["end"] == "2026-05-02T13:22:24Z"
    # 800 m in 164 s is 164/800*1609.344 = 329.9 s/mile; target is the goal mile, 330 s
    assert first["pace_s_per_mile"] == 329.9
    assert first["target_pace_s_per_mile"] == 330.0
    assert first["delta_s_per_mile"] == -0.1
    assert first["recovery"]["duration_s"] == 121.0 and first["recovery"]["kind"] == "jog"
    assert last["recovery"] is None
    assert last["target_pace_s_per_mile"] is None and last["pace_s_per_mile"] is None
    assert json.loads(dumps(c)) == c


def test_error_line() -> None:
    assert error_to_contract("b.fit", ValueError("needs a FIT header,\n found HTML")) == {
        "file": "b.fit",
        "status": "error",
        "error": "needs a FIT header, found HTML",
    }


def test_iso_utc_converts_offsets() -> None:
    assert iso_utc(pd.Timestamp("2026-05-02T15:01:07+02:00")) == "2026-05-02T13:01:07Z"
