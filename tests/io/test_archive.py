"""Archives: zips, nested zips, Strava and Garmin exports, hostile members — all read in memory.

Archives are built in the tests with :mod:`zipfile` and :mod:`gzip`; members
are tiny GPX/TCX/FIT stand-ins and the readers are the recording fake from
``test_registry`` so only the archive layer is under test.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from milepace.errors import HostileInput, ParseError, UsageError
from milepace.io import archive, read, read_bytes, read_many
from milepace.io.archive import Payload, StravaInfo, expand, parse_strava_csv, read_member
from tests.io._fakes import FIT_HEAD_14, GPX, TCX, Calls, install_fake_readers

# Column names of a real Strava bulk export's activities.csv (2023–2024 exports), in order, including
# the names Strava repeats ("Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute").
STRAVA_HEADER = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute", "Activity Private Note",
    "Activity Gear", "Filename", "Athlete Weight", "Bike Weight", "Elapsed Time", "Moving Time",
    "Distance", "Max Speed", "Average Speed", "Elevation Gain",
]  # fmt: skip


@pytest.fixture
def fake_readers(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return install_fake_readers(monkeypatch)


def strava_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(STRAVA_HEADER)
    for row in rows:
        cells = []
        seen: set[str] = set()
        for name in STRAVA_HEADER:
            # the repeated columns hold different values (seconds vs h:mm:ss, km vs m): first one wins
            cells.append(row.get(name, "") if name not in seen else "999")
            seen.add(name)
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


STRAVA_ROWS = [
    {
        "Activity ID": "10001",
        "Activity Date": "Jan 3, 2024, 6:01:02 AM",
        "Activity Name": "Track 6x800",
        "Activity Type": "Run",
        "Filename": "activities/10001.gpx",
    },
    {
        "Activity ID": "10002",
        "Activity Date": "Jan 4, 2024, 5:30:00 PM",
        "Activity Name": "Commute, windy",
        "Activity Type": "Ride",
        "Filename": "activities/10002.fit.gz",
    },
    {
        "Activity ID": "10003",
        "Activity Date": "Jan 5, 2024, 12:00:00 PM",
        "Activity Name": "Hills",
        "Activity Type": "Run",
        "Filename": "activities/10003.tcx.gz",
    },
    {  # a manual entry: no file
        "Activity ID": "10004",
        "Activity Date": "Jan 6, 2024, 7:00:00 AM",
        "Activity Name": "Yoga",
        "Activity Type": "Yoga",
        "Filename": "",
    },
]

STRAVA_MEMBERS = {
    "activities.csv": strava_csv(STRAVA_ROWS),
    "activities/10001.gpx": GPX,
    "activities/10002.fit.gz": gzip.compress(FIT_HEAD_14 + b"ride"),
    "activities/10003.tcx.gz": gzip.compress(TCX),
    "media/abc.jpg": b"\xff\xd8\xff\xe0",
    "profile.csv": b"a,b\n1,2\n",
}


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _check_strava(results: list, prefix: str) -> None:
    assert [r.source for r in results] == [
        f"{prefix}activities/10001.gpx",
        f"{prefix}activities/10002.fit.gz",
        f"{prefix}activities/10003.tcx.gz",
    ]
    assert all(r.ok for r in results)
    run, ride, hills = (r.activity for r in results)
    assert run.meta.name == "Track 6x800"
    assert run.meta.extra["strava_activity_id"] == "10001"
    assert run.meta.extra["strava_activity_type"] == "Run"
    # "Jan 3, 2024, 6:01:02 AM" is UTC in Strava exports -> 2024-01-03T06:01:02Z (read by hand)
    assert run.meta.extra["strava_start_utc"] == "2024-01-03T06:01:02Z"
    assert run.meta.extra["strava_is_run"] is True and run.meta.sport == "running"
    # "5:30:00 PM" is 17:30 on the 24-hour clock
    assert ride.meta.extra["strava_start_utc"] == "2024-01-04T17:30:00Z"
    assert ride.meta.name == "Commute, windy"
    assert ride.meta.extra["strava_is_run"] is False
    assert ride.meta.sport == "cycling" and not ride.is_run  # read, but marked as not a run
    assert results[1].strava is not None and results[1].strava.type == "Ride"
    assert hills.meta.format == "tcx" and hills.meta.name == "Hills"


def test_strava_export_zip(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "export_123.zip"
    path.write_bytes(make_zip(STRAVA_MEMBERS))
    results = list(read_many([path]))
    _check_strava(results, f"{path}!")
    # the readers got the decompressed content of the .gz members
    assert [c[0] for c in fake_readers] == ["gpx", "fit", "tcx"]
    assert fake_readers[1][1] == FIT_HEAD_14 + b"ride"


def test_strava_export_folder(tmp_path: Path, fake_readers: Calls) -> None:
    root = tmp_path / "export_123"
    for name, data in STRAVA_MEMBERS.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    results = list(read_many([root]))
    _check_strava(results, str(root) + os.sep)


def test_strava_export_inside_a_top_folder_of_the_zip(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip({f"export_123/{k}": v for k, v in STRAVA_MEMBERS.items()}))
    results = list(read_many([path]))
    assert [r.activity.meta.name for r in results if r.activity] == ["Track 6x800", "Commute, windy", "Hills"]


def test_strava_row_whose_file_is_missing_is_reported(tmp_path: Path, fake_readers: Calls) -> None:
    members = dict(STRAVA_MEMBERS)
    del members["activities/10003.tcx.gz"]
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(members))
    results = list(read_many([path]))
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].source == f"{path}!activities/10003.tcx.gz"
    assert "activities.csv lists this file for activity 10003 (Hills)" in str(results[2].error)
    root = tmp_path / "folder_export"
    for name, data in members.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    results = list(read_many([root]))
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].source == str(root / "activities" / "10003.tcx.gz")


def test_strava_csv_first_of_repeated_columns_and_missing_filename_column() -> None:
    table = parse_strava_csv(strava_csv(STRAVA_ROWS), "activities.csv")
    assert set(table) == {"activities/10001.gpx", "activities/10002.fit.gz", "activities/10003.tcx.gz"}
    info = table["activities/10001.gpx"]
    assert info == StravaInfo(
        "10001",
        "Jan 3, 2024, 6:01:02 AM",
        "2024-01-03T06:01:02Z",
        "Track 6x800",
        "Run",
        "activities/10001.gpx",
    )
    with pytest.raises(ParseError, match="Filename"):
        parse_strava_csv(b"Activity ID,Activity Name\n1,x\n", "activities.csv")
    # a date Strava wrote in another language is kept as text, with no UTC guess
    other = parse_strava_csv(
        b"Activity ID,Activity Date,Filename\n7,3 janv. 2024,a/7.gpx\n", "activities.csv"
    )
    assert other["a/7.gpx"].date == "3 janv. 2024" and other["a/7.gpx"].start_utc is None


GARMIN_INNER = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"


def garmin_export() -> bytes:
    inner = make_zip(
        {
            "someone@example.com_1001.fit": FIT_HEAD_14 + b"a",
            "someone@example.com_1002.fit": FIT_HEAD_14 + b"b",
        }
    )
    return make_zip(
        {
            "DI_CONNECT/DI-Connect-Fitness/someone_summarizedActivities.json": b"[]",
            GARMIN_INNER: inner,
            "DI_CONNECT/DI-Connect-User/user_profile.json": b"{}",
        }
    )


def test_garmin_export_nested_zip(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "garmin.zip"
    path.write_bytes(garmin_export())
    results = list(read_many([path]))
    assert [r.source for r in results] == [
        f"{path}!{GARMIN_INNER}!someone@example.com_1001.fit",
        f"{path}!{GARMIN_INNER}!someone@example.com_1002.fit",
    ]
    assert all(r.ok for r in results)


def test_zip_nested_two_levels_is_reported_not_opened(tmp_path: Path, fake_readers: Calls) -> None:
    deepest = make_zip({"deep.gpx": GPX})
    middle = make_zip({"inner.zip": deepest, "mid.gpx": GPX})
    path = tmp_path / "outer.zip"
    path.write_bytes(make_zip({"middle.zip": middle, "top.gpx": GPX}))
    results = {r.source: r for r in read_many([path])}
    assert set(results) == {f"{path}!middle.zip!inner.zip", f"{path}!middle.zip!mid.gpx", f"{path}!top.gpx"}
    nested = results[f"{path}!middle.zip!inner.zip"]
    assert isinstance(nested.error, ParseError) and "nested" in str(nested.error)
    assert results[f"{path}!top.gpx"].ok and results[f"{path}!middle.zip!mid.gpx"].ok


def test_traversal_and_absolute_member_names_are_read_in_memory_only(
    tmp_path: Path, fake_readers: Calls
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / "evil.zip"
    path.write_bytes(make_zip({"../escaped.gpx": GPX, "/abs/olute.gpx": GPX, "..\\win.gpx": GPX}))
    before = sorted(p for p in tmp_path.rglob("*"))
    cwd = os.getcwd()
    os.chdir(work)
    try:
        results = list(read_many([path]))
    finally:
        os.chdir(cwd)
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written anywhere
    assert not (tmp_path / "escaped.gpx").exists()
    names = sorted(r.source.split("!", 1)[1] for r in results)
    assert names == sorted(["../escaped.gpx", "/abs/olute.gpx", "..\\win.gpx"])
    assert all(r.ok for r in results)
    assert all(c[1] == GPX for c in fake_readers)  # the content came from the archive


def bomb_zip(uncompressed_mib: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("good.gpx", GPX)
        with zf.open("bomb.fit", "w", force_zip64=True) as fh:
            chunk = bytes(1 << 20)
            for _ in range(uncompressed_mib):
                fh.write(chunk)
    return buf.getvalue()


def test_zip_bomb_is_refused_quickly_and_the_good_member_still_reads(
    tmp_path: Path, fake_readers: Calls
) -> None:
    data = bomb_zip(200)  # 200 MiB of zeros deflate to well under 1 MiB
    assert len(data) < 1 << 20
    path = tmp_path / "bomb.zip"
    path.write_bytes(data)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        results = {r.source.rsplit("!", 1)[1]: r for r in read_many([path])}
        elapsed_s = time.perf_counter() - started
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed_s < 2.0
    assert peak_bytes < 100 << 20  # issue 8: refused in under 100 MiB of extra memory
    assert isinstance(results["bomb.fit"].error, HostileInput)
    assert "200.0 MiB" in str(results["bomb.fit"].error)
    assert results["good.gpx"].ok


def test_lying_declared_size_stops_at_the_declared_size(tmp_path: Path, fake_readers: Calls) -> None:
    # Patch the central directory so the bomb member claims 1,000 bytes: inflating stops one byte past
    # the 1,000, so the lie costs nothing and the member is refused as hostile.
    data = bytearray(bomb_zip(50))
    cd = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)  # second central-directory entry: bomb.fit
    assert data[cd + 46 : cd + 54] == b"bomb.fit"
    usize_at = cd + 24
    if (
        struct.unpack_from("<I", data, usize_at)[0] == 0xFFFFFFFF
    ):  # zip64: the real size sits in the extra field
        pytest.skip("zipfile wrote a zip64 size; this test patches the 32-bit field")
    struct.pack_into("<I", data, usize_at, 1000)
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    started = time.perf_counter()
    results = {r.source.rsplit("!", 1)[1]: r for r in read_many([path])}
    assert time.perf_counter() - started < 2.0
    assert isinstance(results["bomb.fit"].error, HostileInput)
    assert "expands past the 1,000 bytes it declares" in str(results["bomb.fit"].error)
    assert results["good.gpx"].ok


class _LyingZip:
    """Stands in for a zip implementation that trusts its data, not its header."""

    def __init__(self, real: bytes) -> None:
        self.real = real

    def open(self, info: zipfile.ZipInfo) -> io.BytesIO:
        return io.BytesIO(self.real)


def test_chunked_read_enforces_the_cap_even_when_the_header_lies() -> None:
    info = zipfile.ZipInfo("x.fit")
    info.file_size = 10
    with pytest.raises(HostileInput, match="expands past"):
        read_member(_LyingZip(bytes(5 << 20)), info, 2 << 20, "a.zip!x.fit")  # type: ignore[arg-type]


def test_total_declared_size_cap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_readers: Calls
) -> None:
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    path = tmp_path / "big.zip"
    path.write_bytes(make_zip({f"{i}.gpx": GPX + b" " * 400 for i in range(5)}))
    results = list(read_many([path]))
    assert len(results) == 1 and isinstance(results[0].error, HostileInput)
    assert results[0].source == str(path)


def test_member_count_cap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_readers: Calls) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    path = tmp_path / "many.zip"
    path.write_bytes(make_zip({f"{i}.gpx": GPX for i in range(4)}))
    [result] = list(read_many([path]))
    assert isinstance(result.error, HostileInput) and "4 entries" in str(result.error)


def test_damaged_zip_is_one_error_and_the_batch_goes_on(tmp_path: Path, fake_readers: Calls) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    good = tmp_path / "good.gpx"
    good.write_bytes(GPX)
    results = list(read_many([bad, good]))
    assert [r.ok for r in results] == [False, True]
    assert isinstance(results[0].error, ParseError) and "zip" in str(results[0].error)


def test_corrupt_member_data_is_a_parse_error(tmp_path: Path, fake_readers: Calls) -> None:
    data = bytearray(make_zip({"a.gpx": GPX * 20, "b.gpx": GPX}))
    start = 30 + len("a.gpx")  # first local header is 30 bytes plus the name; deflate data follows
    data[start + 5 : start + 25] = b"\xff" * 20
    path = tmp_path / "corrupt.zip"
    path.write_bytes(bytes(data))
    results = {r.source.rsplit("!", 1)[1]: r for r in read_many([path])}
    assert isinstance(results["a.gpx"].error, ParseError)
    assert results["b.gpx"].ok


def test_members_without_extension_are_sniffed_and_others_skipped(
    tmp_path: Path, fake_readers: Calls
) -> None:
    path = tmp_path / "mixed.zip"
    path.write_bytes(
        make_zip(
            {
                "README.txt": b"hello",
                "__MACOSX/._run.gpx": b"\0\5\26\7",
                "data/blob": FIT_HEAD_14 + b"z",
                "data/other": b"plain words",
                "run.gpx": GPX,
                "folder/": b"",
            }
        )
    )
    results = list(read_many([path]))
    assert [r.source.split("!", 1)[1] for r in results] == ["data/blob", "run.gpx"]
    assert [c[0] for c in fake_readers] == ["fit", "gpx"]


def test_read_of_zip_with_one_activity_returns_it(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "one.zip"
    path.write_bytes(make_zip({"notes.txt": b"x", "run.gpx.gz": gzip.compress(GPX)}))
    act = read(path)
    assert act.meta.source == f"{path}!run.gpx.gz"
    assert read_bytes(path.read_bytes(), "mem.zip").meta.source == "mem.zip!run.gpx.gz"


def test_read_of_zip_with_several_activities_points_to_read_many(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(STRAVA_MEMBERS))
    with pytest.raises(UsageError, match=r"read_many\(\) or `milepace info`"):
        read(path)


def test_zip_without_activities_is_one_error(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "photos.zip"
    path.write_bytes(make_zip({"a.jpg": b"\xff\xd8", "notes.txt": b"x"}))
    [result] = list(read_many([path]))
    assert result.source == str(path) and "archive holds no FIT, GPX or TCX files" in str(result.error)
    empty = tmp_path / "empty.zip"
    empty.write_bytes(make_zip({}))
    assert [str(r.error) for r in read_many([empty])] == ["the archive holds no FIT, GPX or TCX files"]


def test_payloads_are_picklable(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(STRAVA_MEMBERS))
    payloads = list(expand([path]))
    assert len(payloads) == 3
    back = pickle.loads(pickle.dumps(payloads))
    assert back == payloads and isinstance(back[0], Payload) and back[0].strava is not None


# ----------------------------------------------------------------------------- exports from the project's generator


def test_generated_strava_and_garmin_exports_through_the_real_readers(tmp_path: Path) -> None:
    synth = pytest.importorskip("milepace.synth")
    export = pytest.importorskip("milepace.synth.export")
    sessions = [
        synth.simulate("track_4x400", seed=3, goal_mile_s=330.0),
        synth.simulate("easy_strides", seed=4, goal_mile_s=330.0),
        synth.simulate("hill_sprints", seed=5, goal_mile_s=330.0),
    ]
    strava_zip = tmp_path / "strava.zip"
    listing = export.write_strava_export(
        sessions, strava_zip, formats=["fit", "gpx", "tcx"], extra_members={"broken.fit": b"\x0e\x10junk"}
    )
    results = list(read_many([strava_zip]))
    assert [r.source for r in results] == [f"{strava_zip}!{row['filename']}" for row in listing]
    good, bad = results[:3], results[3]
    assert all(r.ok and not r.unexpected for r in good), [str(r.error) for r in good]
    for result, row in zip(good, listing, strict=False):
        assert result.activity is not None
        assert result.activity.meta.name == row["name"]
        assert result.activity.meta.extra["strava_activity_id"] == row["id"]
        assert result.activity.meta.format == row["filename"].split(".")[1]
    assert not bad.ok and isinstance(bad.error, ParseError) and not bad.unexpected

    garmin_zip = tmp_path / "garmin.zip"
    names = export.write_garmin_export(sessions[:2], garmin_zip)
    results = list(read_many([garmin_zip]))
    inner = f"{garmin_zip}!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
    assert [r.source for r in results] == [f"{inner}!{name}" for name in sorted(names)]
    assert all(r.ok for r in results)


def test_read_file_capped_reads_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "run.gpx"
    path.write_bytes(GPX)
    assert archive.read_file_capped(str(path)) == GPX
    with pytest.raises(ParseError, match="more than the"):
        archive.read_file_capped(str(path), cap=len(GPX) - 1)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_read_file_capped_reads_a_file_whose_size_says_zero() -> None:
    # /proc files report size 0 but have content: the read goes on past the stated size
    data = archive.read_file_capped("/proc/self/status")
    assert b"Pid:" in data


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_read_file_capped_stops_an_endless_file_at_the_cap() -> None:
    with pytest.raises(ParseError, match="grew past the"):
        archive.read_file_capped("/dev/zero", cap=1000)
