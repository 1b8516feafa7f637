"""``milepace.block`` end to end on files whose analysis is faked, so the runner itself is what is tested.

Each test file holds a small JSON description of a run; the fake reader turns
it into a :class:`FileResult` (or raises what a real reader would). The real
readers and detector are exercised in ``test_block_synthetic.py``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

import milepace
from milepace.block import files as block_files
from milepace.block import remote
from milepace.block.model import EffortRow, FileResult
from milepace.errors import EmptyActivity, ParseError, UsageError
from milepace.units import METERS_PER_MILE


class FakeReader:
    """Stands in for read + analyze: JSON in, FileResult out; counts the files it analysed."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, data: bytes, display: str, goal_mile_s: float, digest: str) -> FileResult:
        self.calls.append(display)
        if not data:
            raise EmptyActivity("holds no timestamped records", path=display)
        try:
            spec = json.loads(data)
        except ValueError:
            raise ParseError("is not FIT, GPX or TCX (starts with random bytes)", path=display) from None
        if spec.get("explode"):
            raise ZeroDivisionError("a bug in a reader")
        efforts = tuple(
            EffortRow(
                index=i,
                kind=e["kind"],
                start_utc=spec["start"],
                duration_s=e["m"] / METERS_PER_MILE * e["pace"],
                distance_m=e["m"],
                pace_s_per_mile=e["pace"],
            )
            for i, e in enumerate(spec.get("efforts", []), start=1)
        )
        return FileResult(
            source=display,
            content_hash=digest,
            status="ok" if spec.get("sport", "running") == "running" else "not_run",
            sport=spec.get("sport", "running"),
            start_utc=spec["start"],
            utc_offset_s=spec.get("offset", 0.0),
            distance_m=spec["miles"] * METERS_PER_MILE,
            elapsed_s=spec["miles"] * 480.0,
            timer_s=spec["miles"] * 480.0,
            efforts=efforts,
        )


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeReader:
    reader = FakeReader()
    monkeypatch.setattr(block_files, "_analyze", reader)
    return reader


def _run(start: str, miles: float, **extra: Any) -> bytes:
    return json.dumps({"start": start, "miles": miles, **extra}).encode()


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


GOOD = {
    "w1/mon.gpx": _run("2026-03-02T12:00:00Z", 5.0),
    "w1/tue.gpx": _run(
        "2026-03-03T12:00:00Z", 7.0, efforts=[{"kind": "interval", "m": 800.0, "pace": 335.0}] * 6
    ),
    "w1/sun.gpx": _run("2026-03-08T12:00:00Z", 10.0),
    "w2/tue.gpx": _run(
        "2026-03-10T12:00:00Z", 6.0, efforts=[{"kind": "stride", "m": 100.0, "pace": 300.0}] * 5
    ),
    "w2/sun.gpx": _run("2026-03-15T12:00:00Z", 11.0),
}


def test_bad_files_lose_no_good_file(tmp_path: Path, fake: FakeReader) -> None:
    _write(tmp_path, GOOD)
    _write(
        tmp_path,
        {
            "bad/corrupt.fit": b"\x00\x01 random bytes",
            "bad/empty.gpx": b"",
            "bad/ride.gpx": _run("2026-03-04T12:00:00Z", 20.0, sport="cycling"),
            "bad/bug.gpx": _run("2026-03-05T12:00:00Z", 1.0, explode=True),
            "zdup/same_bytes.gpx": GOOD["w1/tue.gpx"],
            "zdup/same_start.tcx": _run("2026-03-08T12:00:20Z", 9.9),  # 20 s from Sunday's long run
        },
    )
    report = milepace.block(tmp_path, goal_mile="5:30", engine="serial")
    assert sorted(a.source for a in report.activities) == sorted(str(tmp_path / n) for n in GOOD)
    errors = {Path(e.source).name: e for e in report.errors}
    assert set(errors) == {"corrupt.fit", "empty.gpx", "bug.gpx"}
    assert errors["empty.gpx"].error == "holds no timestamped records"
    assert "unexpected ZeroDivisionError" in errors["bug.gpx"].error
    skipped = {Path(s.source).name: s for s in report.skipped}
    assert skipped["ride.gpx"].reason == "not a run" and skipped["ride.gpx"].detail == "cycling"
    assert (
        skipped["same_bytes.gpx"].reason == "duplicate" and "w1/tue.gpx" in skipped["same_bytes.gpx"].detail
    )
    assert (
        skipped["same_start.tcx"].reason == "duplicate" and "w1/sun.gpx" in skipped["same_start.tcx"].detail
    )
    assert not report.ok
    assert report.stats.files == 11 and report.stats.failed == 3 and report.stats.skipped == 3


def test_weeks_and_kinds_from_the_runs(tmp_path: Path, fake: FakeReader) -> None:
    _write(tmp_path, GOOD)
    report = milepace.block([tmp_path], goal_mile=330.0, engine="serial")
    assert [w.week for w in report.weeks] == ["2026-W10", "2026-W11"]
    assert [round(w.distance_m / METERS_PER_MILE, 6) for w in report.weeks] == [22.0, 17.0]
    assert [a.kind for a in report.activities] == ["easy", "intervals", "long", "strides", "long"]
    assert report.weeks[0].interval_m == pytest.approx(4800.0)
    frame = report.to_frame("activities")
    assert list(frame["kind"]) == [a.kind for a in report.activities]
    assert len(report.to_frame("efforts")) == 11
    doc = json.loads(json.dumps(report.to_dict()))
    assert set(doc) >= {"activities", "weeks", "checks", "errors", "time_trials", "skipped", "stats"}


def test_second_run_comes_from_the_cache(tmp_path: Path, fake: FakeReader) -> None:
    data = tmp_path / "data"
    _write(data, GOOD)
    first = milepace.block(data, goal_mile="5:30", engine="serial", cache_dir=tmp_path / "cache")
    assert first.stats.from_cache == 0 and len(fake.calls) == 5
    second = milepace.block(data, goal_mile="5:30", engine="serial", cache_dir=tmp_path / "cache")
    assert second.stats.from_cache == 5 and len(fake.calls) == 5  # nothing analysed again
    assert [a.kind for a in second.activities] == [a.kind for a in first.activities]
    assert all(a.from_cache for a in second.activities)
    # a new file: only it is analysed
    _write(data, {"w2/wed.gpx": _run("2026-03-11T12:00:00Z", 5.0)})
    third = milepace.block(data, goal_mile="5:30", engine="serial", cache_dir=tmp_path / "cache")
    assert third.stats.from_cache == 5 and fake.calls[-1].endswith("wed.gpx") and len(fake.calls) == 6
    # another goal is another key; --no-cache analyses everything and stores nothing
    milepace.block(data, goal_mile="5:00", engine="serial", cache_dir=tmp_path / "cache")
    assert len(fake.calls) == 12
    before = len(list((tmp_path / "cache").rglob("*.json")))
    milepace.block(data, goal_mile="4:50", engine="serial", cache=False, cache_dir=tmp_path / "cache")
    assert len(fake.calls) == 18
    assert len(list((tmp_path / "cache").rglob("*.json"))) == before


def test_unchanged_files_are_not_even_read_again(
    tmp_path: Path, fake: FakeReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    _write(data, GOOD)
    with zipfile.ZipFile(data / "more.zip", "w") as zf:
        zf.writestr("w3/sun.gpx", _run("2026-03-22T12:00:00Z", 12.0))
    first = milepace.block(data, goal_mile="5:30", engine="serial", cache_dir=cache)
    assert first.stats.analysed == 6 and len(fake.calls) == 6

    def no_reading(source: object) -> bytes:
        raise AssertionError(f"{source} was read")

    with monkeypatch.context() as m:
        m.setattr(remote, "load_any", no_reading)
        again = milepace.block(data, goal_mile="5:30", engine="serial", cache_dir=cache)
    assert again.ok and again.stats.from_cache == 6 and again.stats.analysed == 0
    assert again.to_dict()["activities"] == [dict(a, from_cache=True) for a in first.to_dict()["activities"]]
    # new content under the same name is read and analysed again; the rest still is not read
    _write(data, {"w1/mon.gpx": _run("2026-03-02T12:00:00Z", 6.0)})
    read: list[str] = []
    real_load = remote.load_any
    with monkeypatch.context() as m:
        m.setattr(remote, "load_any", lambda src: read.append(src.display) or real_load(src))
        changed = milepace.block(data, goal_mile="5:30", engine="serial", cache_dir=cache)
    assert read == [str(data / "w1" / "mon.gpx")] and fake.calls[-1] == read[0]
    assert changed.weeks[0].distance_m == pytest.approx(23.0 * METERS_PER_MILE)  # 6 + 7 + 10 miles
    # a copy of the folder is new to the key index: read and hashed, then found in the cache by content
    copy = tmp_path / "copy"
    _write(copy, {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()})
    copied = milepace.block(copy, goal_mile="5:30", engine="serial", cache_dir=cache)
    assert copied.stats.from_cache == 6 and len(fake.calls) == 7


def test_strava_non_runs_are_listed_unread(tmp_path: Path, fake: FakeReader) -> None:
    export = tmp_path / "export.zip"
    csv = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        '1,"Mar 3, 2026, 12:00:00 PM",Track,Run,activities/1.gpx\n'
        '2,"Mar 4, 2026, 12:00:00 PM",Spin,Ride,activities/2.gpx\n'
    )
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("activities.csv", csv)
        zf.writestr("activities/1.gpx", GOOD["w1/tue.gpx"])
        zf.writestr("activities/2.gpx", _run("2026-03-04T12:00:00Z", 20.0))
    report = milepace.block(export, goal_mile="5:30", engine="serial")
    assert [a.name for a in report.activities] == ["Track"]
    assert [(s.reason, s.detail, s.date) for s in report.skipped] == [("not a run", "Ride", "2026-03-04")]
    assert fake.calls == [f"{export}!activities/1.gpx"]


def test_progress_is_reported_for_every_file(tmp_path: Path, fake: FakeReader) -> None:
    _write(tmp_path, {**GOOD, "x/bad.fit": b"junk"})
    seen: list[tuple[int, int]] = []
    milepace.block(tmp_path, goal_mile="5:30", engine="serial", progress=lambda d, t, s: seen.append((d, t)))
    assert seen == [(i, 6) for i in range(1, 7)]


@pytest.mark.parametrize("goal", ["fast", "0:30", 5000.0])
def test_implausible_goal_is_a_usage_error(tmp_path: Path, goal: object) -> None:
    with pytest.raises(UsageError):
        milepace.block(tmp_path, goal_mile=goal)  # type: ignore[arg-type]


def test_nothing_found_gives_an_empty_report(tmp_path: Path) -> None:
    report = milepace.block(tmp_path, goal_mile="5:30", engine="serial")
    assert report.activities == () and report.weeks == () and report.ok
    assert {c.rule for c in report.checks} >= {"files"}


def test_a_longer_copy_listed_later_replaces_a_cut_short_one(tmp_path: Path, fake: FakeReader) -> None:
    # elapsed = miles × 480 s in the fake: a 2400 s, b 2880 s (20 % longer), c 2640 s; d is another run
    _write(
        tmp_path,
        {
            "a.gpx": _run("2026-03-02T12:00:00Z", 5.0),
            "b.gpx": _run("2026-03-02T12:00:30Z", 6.0),
            "c.gpx": _run("2026-03-02T12:00:50Z", 5.5),
            "d.gpx": _run("2026-03-02T12:01:01Z", 3.0),  # 61 s after the run kept first: not a twin
        },
    )
    report = milepace.block(tmp_path, goal_mile="5:30", engine="serial")
    name = {str(tmp_path / f"{n}.gpx"): n for n in "abcd"}
    assert sorted(name[a.source] for a in report.activities) == ["b", "d"]
    assert [(name[s.source], s.detail.replace(str(tmp_path) + "/", "")) for s in report.skipped] == [
        ("a", "same start time as b.gpx, which is longer"),
        ("c", "same start time as b.gpx"),
    ]
