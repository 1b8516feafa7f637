"""Rendering the session report: table, Markdown, CSV (one row per effort), JSON (contract + keys)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console

from milepace.errors import UsageError
from milepace.render.table import render_session
from milepace.report.session import SessionReport, session_report
from milepace.units import METERS_PER_MILE
from tests.report.builders import Seg, build, reps

CONTRACT_KEYS = {"file", "status", "error", "activity", "goal_mile_s", "efforts"}
EFFORT_KEYS = {
    "index",
    "kind",
    "start",
    "end",
    "duration_s",
    "distance_m",
    "measured_distance_m",
    "pace_s_per_mile",
    "target_pace_s_per_mile",
    "delta_s_per_mile",
    "recovery",
}


def _session_with_missed_rep() -> SessionReport:
    segs = [Seg(300.0, 3.0)]
    for k, secs in enumerate([162.1, 164.5, 165.0, 163.5, 167.0]):
        segs.append(Seg(secs, 800.0 / secs, work=True, recovery_kind="walk" if k == 3 else "jog"))
        if k < 4:
            segs.append(Seg(450.0 if k == 1 else 125.0, 400.0 / 125.0))
    segs.append(Seg(300.0, 3.0))
    analysis = build(segs, warnings=("GPS dropout of 12 s",), goal_mile_s=330.0)
    return session_report(analysis, plan="6x800m@mile/400m jog")


def test_table_reads_at_a_glance() -> None:
    text = render_session(_session_with_missed_rep(), "table")
    lines = text.splitlines()
    assert "goal mile 5:30 (82.0 s/400 m)" in lines[0] and "plan 6x800m@mile/400m jog" in lines[0]
    row1 = next(line for line in lines if line.startswith("│ 1 "))
    # 162.1 s vs 164.04 s target: -1.9 s; pace 162.1/800*1609.344 = 326.1 s/mi = 5:26/mi
    for cell in (
        "800m@mile",
        "800 m",
        "2:42.1",
        "2:44.0",
        "-1.9 s",
        "5:26/mi",
        "on-target",
        "2:05 400 m jog",
        "ok",
    ):
        assert cell in row1
    missed = [line for line in lines if "missed" in line and "│" in line]
    assert len(missed) == 1
    # the missed row sits between efforts 2 and 3
    assert lines.index(missed[0]) == lines.index(next(line for line in lines if line.startswith("│ 2 "))) + 1
    assert any("walked (plan 400m jog)" in line for line in lines)
    assert any(line.startswith("│ 6×800m@mile") for line in lines)  # set summary row
    assert "warning: GPS dropout of 12 s" in text
    assert "warning: planned rep(s) not found in the session: #3 800m@mile" in text


def test_table_prints_to_console() -> None:
    buf = io.StringIO()
    text = render_session(_session_with_missed_rep(), "table", console=Console(file=buf, width=200))
    assert "on-target" in buf.getvalue() and "on-target" in text


def test_markdown() -> None:
    text = render_session(_session_with_missed_rep(), "markdown")
    assert text.startswith("### synthetic.fit")
    assert "| # | rep | distance | time | target | Δ | pace | Δ/mi | verdict |" in text
    assert "|---:|---|---:|" in text
    assert "| 1 | 800m@mile | 800 m | 2:42.1 | 2:44.0 | -1.9 s | 5:26/mi | -3.9 | on-target |" in text
    assert "> warning: GPS dropout of 12 s" in text


def test_csv_one_row_per_effort() -> None:
    text = render_session(_session_with_missed_rep(), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    first = rows[0]
    assert first["effort"] == "1" and first["plan_index"] == "1" and first["verdict"] == "on-target"
    assert first["duration_s"] == "162.1" and first["target_time_s"] == "164.0" and first["delta_s"] == "-1.9"
    assert first["start"] == "2026-05-02T13:05:00Z"
    assert rows[2]["plan_index"] == "4"  # effort 3 ran the 4th planned rep
    assert rows[3]["recovery_verdict"] == "walked"
    assert rows[4]["recovery_kind"] == ""  # nothing after the last effort


def test_json_keeps_the_contract_and_adds_keys() -> None:
    report = _session_with_missed_rep()
    data = json.loads(render_session(report, "json", file="runs/track.fit"))
    assert CONTRACT_KEYS <= set(data)
    assert data["file"] == "runs/track.fit" and data["status"] == "ok" and data["error"] is None
    assert len(data["efforts"]) == 5
    for effort in data["efforts"]:
        assert EFFORT_KEYS <= set(effort)
        assert effort["kind"] in ("interval", "stride", "hill_repeat")
    first = data["efforts"][0]
    assert first["verdict"] == "on-target" and first["target_time_s"] == 164.0 and first["delta_s"] == -1.9
    assert first["target_pace_s_per_mile"] == 330.0 and first["plan_label"] == "800m@mile"
    assert first["recovery"]["kind"] == "jog" and first["recovery_check"]["verdict"] == "ok"
    assert data["efforts"][-1]["recovery"] is None and data["efforts"][-1]["recovery_check"] is None
    assert data["missed_reps"] == [
        {"plan_index": 3, "label": "800m@mile", "distance_m": 800.0, "duration_s": None}
    ]
    assert data["extra_efforts"] == []
    assert data["plan"] == "6x800m@mile/400m jog"
    assert data["paces"]["vdot"] == pytest.approx(53.37, abs=0.01)
    assert data["sets"][0]["label"] == "6×800m@mile" and data["sets"][0]["efforts"] == [1, 2, 3, 4, 5]
    assert "GPS dropout of 12 s" in data["warnings"]


def test_time_trial_sections() -> None:
    segs = [Seg(600.0, 3.0), Seg(298.0, METERS_PER_MILE / 298.0, work=True), Seg(300.0, 3.0)]
    report = session_report(build(segs), goal_mile_s=300.0, plan="1mi@mile")
    text = render_session(report, "table")
    assert "time trial: effort 1, 1609 m in 4:58.0" in text
    # even 298 s mile: lap 1 = 298 * 409.344 / 1609.344 = 75.8 s, goal 300 * 409.344 / 1609.344 = 76.3 s
    assert any("409 m" in line and "75.8" in line and "76.3" in line for line in text.splitlines())
    assert "last lap by 100 m: 18.5 / 18.5 / 18.5 / 18.5 s" in text
    assert "lap 1: off plan" in text
    md = render_session(report, "markdown")
    assert "**Time trial**" in md and "- lap 4: ok" in md
    data = json.loads(render_session(report, "json"))
    assert data["time_trial"]["split_s"][0] == pytest.approx(75.8, abs=0.01)


def test_empty_session_and_bad_format() -> None:
    report = session_report(build([Seg(600.0, 3.0)]), goal_mile_s=330.0)
    assert "no efforts found" in render_session(report, "table")
    assert "_no efforts found_" in render_session(report, "markdown")
    assert render_session(report, "csv").count("\n") == 1
    with pytest.raises(UsageError, match="format"):
        render_session(report, "html")  # type: ignore[arg-type]


def test_plain_reps_without_plan_get_kind_names() -> None:
    report = session_report(build(reps([82.0, 83.0], 400.0)), goal_mile_s=330.0)
    text = render_session(report, "table")
    assert "│ 1 │ interval" in text
    # no snapped distance from detection: the set is named by its mean distance
    assert "2×~400m" in text


def test_delta_cells() -> None:
    from milepace.render.table import delta_cell

    assert delta_cell(-0.04) == "0.0 s"  # no "-0.0"
    assert delta_cell(1.26) == "+1.3 s"
    assert delta_cell(-3.91, "") == "-3.9"
    assert delta_cell(float("nan")) == "–"
