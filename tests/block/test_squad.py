"""Many athletes in one run: each athlete's report is the block of their files alone; JSON Lines; goals."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

import milepace
from milepace.block.model import BlockReport
from milepace.block.squad import squad
from milepace.errors import UsageError
from milepace.units import METERS_PER_MILE

from .test_run import GOOD, FakeReader, _run, _write


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeReader:
    from milepace.block import files as block_files

    reader = FakeReader()
    monkeypatch.setattr(block_files, "_analyze", reader)
    return reader


BEN = {
    "mon.gpx": _run("2026-03-02T18:00:00Z", 4.0),
    "wed.gpx": _run("2026-03-04T18:00:00Z", 6.0),
    "bad.fit": b"junk",
}


def _squad_folder(tmp_path: Path) -> Path:
    _write(tmp_path / "ana", GOOD)
    _write(tmp_path / "ben", BEN)
    # cy ran one of ana's runs with her (same bytes): for cy it is no duplicate
    _write(tmp_path / "cy", {"tue.gpx": GOOD["w1/tue.gpx"]})
    lines = ["path,athlete,goal_mile"]
    lines += [f"ana/{name},ana,5:10" for name in GOOD]
    lines += [f"ben/{name},ben," for name in BEN]
    lines += ["cy/tue.gpx,cy,", "ben/missing.gpx,ben,"]
    (tmp_path / "squad.csv").write_text("\n".join(lines) + "\n")
    return tmp_path / "squad.csv"


def _doc(report: BlockReport) -> dict[str, Any]:
    doc = report.to_dict()
    for key in ("engine", "workers", "wall_s"):
        doc["stats"].pop(key)
    return doc


def test_each_athlete_gets_the_block_of_their_own_files(tmp_path: Path, fake: FakeReader) -> None:
    manifest = _squad_folder(tmp_path)
    result = squad(manifest, group_by="athlete", goal_mile="5:30", engine="serial", cache=False)
    assert list(result.reports) == ["ana", "ben", "cy"]  # the manifest's order
    alone = {
        "ana": milepace.block(
            [tmp_path / "ana" / n for n in GOOD], goal_mile="5:10", engine="serial", cache=False
        ),
        "ben": milepace.block(
            [tmp_path / "ben" / n for n in [*BEN, "missing.gpx"]],
            goal_mile="5:30",
            engine="serial",
            cache=False,
        ),
        "cy": milepace.block([tmp_path / "cy" / "tue.gpx"], goal_mile="5:30", engine="serial", cache=False),
    }
    for name, report in result.reports.items():
        assert _doc(report) == _doc(alone[name]), name
    assert result.reports["ana"].goal_mile_s == 310.0  # the manifest's goal for ana
    assert result.reports["cy"].skipped == ()  # same bytes as ana's Tuesday, but another athlete
    assert [e.source for e in result.reports["ben"].errors] == [  # listing errors first, as block() does
        str(tmp_path / "ben" / "missing.gpx"),
        str(tmp_path / "ben" / "bad.fit"),
    ]
    assert not result.ok
    assert result.stats.files == 5 + 4 + 1 and result.stats.failed == 2 and result.stats.analysed == 9


def test_summary_by_hand(tmp_path: Path, fake: FakeReader) -> None:
    result = squad(_squad_folder(tmp_path), goal_mile="5:30", engine="serial", cache=False)
    frame = result.to_frame().set_index("athlete")
    # ana: week W10 = 5 + 7 + 10 mi, week W11 = 6 + 11 mi (GOOD in test_run.py)
    assert frame.loc["ana", "runs"] == 5 and frame.loc["ana", "weeks"] == 2
    assert frame.loc["ana", "mean_weekly_distance_m"] == pytest.approx((22.0 + 17.0) / 2 * METERS_PER_MILE)
    assert frame.loc["ana", "peak_weekly_distance_m"] == pytest.approx(22.0 * METERS_PER_MILE)
    assert frame.loc["ana", "longest_run_m"] == pytest.approx(11.0 * METERS_PER_MILE)
    # ben: 4 + 6 mi in one week, two files failed
    assert frame.loc["ben", "runs"] == 2 and frame.loc["ben", "failed"] == 2
    assert frame.loc["ben", "peak_weekly_distance_m"] == pytest.approx(10.0 * METERS_PER_MILE)
    assert math.isnan(result.athletes[2].best_mile_equivalent_s)  # cy: no time trial


def test_json_lines_one_document_per_athlete_then_the_squad(tmp_path: Path, fake: FakeReader) -> None:
    result = squad(_squad_folder(tmp_path), goal_mile="5:30", engine="serial", cache=False)
    docs = [json.loads(line) for line in result.to_jsonl()]
    assert [(d["type"], d.get("athlete")) for d in docs] == [
        ("athlete", "ana"),
        ("athlete", "ben"),
        ("athlete", "cy"),
        ("squad", None),
    ]
    assert len(docs[0]["activities"]) == 5 and {"weeks", "checks", "errors", "stats"} <= set(docs[1])
    assert [a["athlete"] for a in docs[-1]["athletes"]] == ["ana", "ben", "cy"]
    assert docs[-1]["stats"]["files"] == 10 and docs[-1]["ok"] is False


def test_goals(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("path,athlete,goal_mile\na.fit,ana,5:10\nb.fit,ana,5:20\n")
    with pytest.raises(UsageError, match="two goal miles"):
        squad(tmp_path / "m.csv", goal_mile="5:30", engine="serial")
    (tmp_path / "m.csv").write_text("path,athlete\na.fit,ana\n")
    with pytest.raises(UsageError, match="no goal_mile"):
        squad(tmp_path / "m.csv", engine="serial")
    (tmp_path / "m.csv").write_text("path,athlete,goal_mile\na.fit,ana,fast\n")
    with pytest.raises(UsageError, match="line 2"):
        squad(tmp_path / "m.csv", engine="serial")
