"""Listing a block's files without reading them, and loading one on demand."""

from __future__ import annotations

import gzip
import io
import os
import pickle
import zipfile
from pathlib import Path

import pytest

from milepace.block.sources import Source, content_hash, list_sources, load_bytes, parse_strava_csv
from milepace.errors import MilepaceError

GPX = b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>'
FIT_HEAD = b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"
CSV = (
    b"Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Distance\n"
    b'1,"Mar 2, 2026, 1:01:07 PM",Track 6x800,Run,3100,9.8,activities/1.fit.gz,9800\n'
    b'2,"Mar 3, 2026, 6:00:00 AM",Commute,Ride,1800,12.0,activities/2.gpx,12000\n'
    b'3,"Mar 4, 2026, 6:00:00 AM",Manual entry,Run,1800,5.0,,5000\n'
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_strava_csv_first_column_of_each_name() -> None:
    mapping = parse_strava_csv(CSV)
    assert set(mapping) == {"activities/1.fit.gz", "activities/2.gpx"}  # the manual entry has no file
    assert mapping["activities/1.fit.gz"] == {
        "id": "1",
        "date": "Mar 2, 2026, 1:01:07 PM",
        "name": "Track 6x800",
        "type": "Run",
    }


def test_folder_is_walked_sorted_skipping_non_activity_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.gpx").write_bytes(GPX)
    (tmp_path / "a.tcx.gz").write_bytes(gzip.compress(b"<TrainingCenterDatabase/>"))
    (tmp_path / "notes.txt").write_text("not an activity")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / ".hidden.fit").write_bytes(FIT_HEAD)
    (tmp_path / "no_extension").write_bytes(FIT_HEAD)
    (tmp_path / "random_blob").write_bytes(b"hello world, not a watch file")
    sources, errors = list_sources([tmp_path])
    assert errors == []
    names = [Path(s.display).relative_to(tmp_path).as_posix() for s in sources]
    assert names == ["a.tcx.gz", "no_extension", "b/z.gpx"]


def test_strava_export_zip_members_carry_the_csv_row(tmp_path: Path) -> None:
    export = tmp_path / "export.zip"
    export.write_bytes(
        _zip(
            {
                "activities.csv": CSV,
                "activities/1.fit.gz": gzip.compress(FIT_HEAD),
                "activities/2.gpx": GPX,
                "profile.json": b"{}",
            }
        )
    )
    sources, errors = list_sources([str(export)])
    assert errors == []
    assert [s.display for s in sources] == [f"{export}!activities/1.fit.gz", f"{export}!activities/2.gpx"]
    assert sources[0].strava["name"] == "Track 6x800"
    assert not sources[0].strava_non_run
    assert sources[1].strava_non_run  # a Ride: skipped unread
    assert gzip.decompress(load_bytes(sources[0])) == FIT_HEAD  # as stored: still gzipped


def test_strava_export_folder(tmp_path: Path) -> None:
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities.csv").write_bytes(CSV)
    (tmp_path / "activities" / "1.fit.gz").write_bytes(gzip.compress(FIT_HEAD))
    sources, _ = list_sources([tmp_path])
    assert len(sources) == 1 and sources[0].strava["type"] == "Run"


def test_garmin_style_nested_zip(tmp_path: Path) -> None:
    inner = _zip({"run1.fit": FIT_HEAD + b"1", "run2.fit": FIT_HEAD + b"2"})
    outer = tmp_path / "garmin.zip"
    outer.write_bytes(_zip({"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip": inner}))
    sources, errors = list_sources([outer])
    assert errors == []
    assert [s.members for s in sources] == [
        ("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip", "run1.fit"),
        ("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip", "run2.fit"),
    ]
    assert sources[1].display.endswith("UploadedFiles_0.zip!run2.fit")
    assert load_bytes(sources[1]) == FIT_HEAD + b"2"


def test_traversal_member_names_are_only_labels(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    archive.write_bytes(_zip({"../../escape.gpx": GPX, "/abs/path.gpx": GPX}))
    sources, _ = list_sources([archive])
    assert len(sources) == 2
    assert all(load_bytes(s) == GPX for s in sources)
    assert not (tmp_path.parent.parent / "escape.gpx").exists()


def test_missing_path_and_bad_zip_are_errors_not_crashes(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    good = tmp_path / "good.gpx"
    good.write_bytes(GPX)
    sources, errors = list_sources([tmp_path / "nope.fit", bad, good])
    assert [s.display for s in sources] == [str(good)]
    assert [e.source for e in errors] == [str(tmp_path / "nope.fit"), str(bad)]
    assert "no such file" in errors[0].error


def test_load_bytes_of_a_vanished_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(MilepaceError):
        load_bytes(Source(display="gone.fit", path=str(tmp_path / "gone.fit")))


def test_sources_pickle_for_worker_processes() -> None:
    src = Source(display="a.zip!x.fit", path="a.zip", members=("x.fit",), strava={"type": "Run"})
    assert pickle.loads(pickle.dumps(src)) == src


def test_content_hash_is_of_the_bytes() -> None:
    assert content_hash(b"abc") == content_hash(b"abc")
    assert content_hash(b"abc") != content_hash(b"abd")
    assert len(content_hash(b"")) == 32
    # XXH3-128 of the empty input, the xxHash project's published test vector (0x99AA06D3014798D86001C324468D497F)
    assert content_hash(b"") == "99aa06d3014798d86001c324468d497f"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_share_the_parents_open_archives(tmp_path: Path) -> None:
    # the parent and a forked child would share one file offset: the child must open its own
    from milepace.block import sources

    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("activities/1.gpx", b"<gpx/>")
    src = Source(display=f"{z}!activities/1.gpx", path=str(z), members=("activities/1.gpx",))
    assert load_bytes(src) == b"<gpx/>" and sources._ZIPS
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it inherited, then read the member itself
        try:
            inherited = len(sources._ZIPS)
            ok = load_bytes(src) == b"<gpx/>"
            os.write(write_fd, f"{inherited} {ok}".encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    report = os.read(read_fd, 100).decode()
    os.waitpid(pid, 0)
    os.close(read_fd)
    assert report == "0 True"
    assert sources._ZIPS  # the parent keeps its own
