"""Strava and Garmin export archives built from synthetic sessions."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pytest

from milepace.synth import simulate
from milepace.synth.export import STRAVA_COLUMNS, strava_date, write_garmin_export, write_strava_export


def test_strava_date_format() -> None:
    # 2026-05-02T13:01:07Z is a Saturday afternoon: Strava writes "May 2, 2026, 1:01:07 PM"
    assert strava_date(1777726867.0) == "May 2, 2026, 1:01:07 PM"
    assert strava_date(1777680000.0) == "May 2, 2026, 12:00:00 AM"


def test_strava_export_layout(tmp_path: Path) -> None:
    sessions = [
        simulate("easy", seed=1, duration_s=600, start="2026-04-13T07:00:00Z"),
        simulate("ride", seed=2, duration_s=600, start="2026-04-14T07:00:00Z"),
        simulate("easy", seed=3, duration_s=600, start="2026-04-15T07:00:00Z"),
        simulate("easy", seed=4, duration_s=600, start="2026-04-16T07:00:00Z"),
    ]
    path = tmp_path / "export.zip"
    listing = write_strava_export(
        sessions, path, formats=["fit", "fit", "gpx", "tcx"], extra_members={"broken.fit": b"not a fit file"}
    )
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        rows = list(csv.reader(io.StringIO(zf.read("activities.csv").decode())))
        members = {n: zf.read(n) for n in names}
    assert rows[0] == list(STRAVA_COLUMNS)
    assert rows[0][:4] == ["Activity ID", "Activity Date", "Activity Name", "Activity Type"]
    assert len(rows) == 1 + 5
    assert [r[3] for r in rows[1:]] == ["Run", "Ride", "Run", "Run", "Run"]
    filenames = [r[12] for r in rows[1:5]]
    assert [
        f.endswith(e) for f, e in zip(filenames, [".fit.gz", ".fit.gz", ".gpx", ".tcx.gz"], strict=True)
    ] == [True] * 4
    for row, entry in zip(rows[1:], listing, strict=True):
        assert row[12] == entry["filename"] and row[12] in members
    # members decode: gzip FIT starts with a FIT header, GPX is plain XML, TCX is gzipped XML
    assert gzip.decompress(members[rows[1][12]])[8:12] == b".FIT"
    assert members[rows[3][12]].startswith(b"<?xml")
    assert b"TrainingCenterDatabase" in gzip.decompress(members[rows[4][12]])
    # first Distance column in km, second in m
    assert float(rows[1][6]) == pytest.approx(float(rows[1][17]) / 1000, abs=0.006)
    assert rows[1][1] == "Apr 13, 2026, 7:00:00 AM"
    assert members["activities/broken.fit"] == b"not a fit file"


def test_strava_export_is_deterministic(tmp_path: Path) -> None:
    s = [simulate("easy", seed=1, duration_s=300)]
    write_strava_export(s, tmp_path / "a.zip")
    write_strava_export(s, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_garmin_export_nests_fit_uploads(tmp_path: Path) -> None:
    sessions = [simulate("easy", seed=i, duration_s=300, start=f"2026-04-1{i}T07:00:00Z") for i in (1, 2)]
    path = tmp_path / "garmin.zip"
    names = write_garmin_export(sessions, path)
    with zipfile.ZipFile(path) as zf:
        inner_name = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
        assert inner_name in zf.namelist()
        with zipfile.ZipFile(io.BytesIO(zf.read(inner_name))) as inner:
            assert inner.namelist() == names
            assert all(inner.read(n)[8:12] == b".FIT" for n in names)
