"""Blocks beyond the local disk: fsspec ``memory://`` URLs, manifests, and the worker-side run.

The worker-side run (:func:`block_remote`) must give the report the
parent-side run (:func:`milepace.block`) gives for the same files; the files
here are the fake JSON "activities" of ``test_run.py`` so the runner itself is
what is compared, on the serial engine (``memory://`` lives in this process).
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import milepace
from milepace.block import remote
from milepace.block.remote import (
    FetchTask,
    block_remote,
    fetch_and_analyze,
    is_url,
    list_any,
    load_any,
    read_manifest,
)
from milepace.block.sources import Source
from milepace.errors import ParseError, UsageError

from .test_run import GOOD, FakeReader, _run, _write

fsspec = pytest.importorskip("fsspec")


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeReader:
    from milepace.block import files as block_files

    reader = FakeReader()
    monkeypatch.setattr(block_files, "_analyze", reader)
    return reader


@pytest.fixture()
def mem() -> Iterator[str]:
    """A fresh ``memory://`` folder, removed afterwards."""
    root = f"memory://milepace-test-{uuid.uuid4().hex}"
    yield root
    fs = fsspec.filesystem("memory")
    if fs.exists(root):
        fs.rm(root, recursive=True)


def _put(root: str, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        with fsspec.open(f"{root}/{name}", "wb") as fh:
            fh.write(data)


def _doc(report: Any, prefix: str) -> dict[str, Any]:
    """The report's JSON document with the folder prefix taken out of every source name."""
    doc = report.to_dict()
    for key in ("engine", "workers", "wall_s"):
        doc["stats"].pop(key)
    return json.loads(json.dumps(doc).replace(prefix, "<block>"))


BAD = {
    "bad/corrupt.fit": b"\x00\x01 random bytes",
    "bad/empty.gpx": b"",
    "bad/ride.gpx": _run("2026-03-04T12:00:00Z", 20.0, sport="cycling"),
    "bad/bug.gpx": _run("2026-03-05T12:00:00Z", 1.0, explode=True),
    "zdup/same_start.tcx": _run("2026-03-08T12:00:20Z", 9.9),
}


def test_is_url() -> None:
    assert is_url("memory://a/b.fit") and is_url("s3://bucket/key.fit") and is_url("file:///tmp/x.gpx")
    assert not is_url("runs/a.fit") and not is_url("/abs/a.fit") and not is_url("C:\\runs\\a.fit")


def test_memory_block_is_the_local_block(tmp_path: Path, mem: str, fake: FakeReader) -> None:
    files = {**GOOD, **BAD}
    _write(tmp_path, files)
    _put(mem, files)
    local = milepace.block(tmp_path, goal_mile="5:30", engine="serial", cache=False)
    fetched = block_remote(mem, goal_mile="5:30", engine="serial", cache=False)
    assert len(local.activities) == 5 and len(local.errors) == 3  # the comparison is not vacuous
    assert _doc(fetched, mem) == _doc(local, str(tmp_path))


def test_memory_zip_export_and_progress(tmp_path: Path, mem: str, fake: FakeReader) -> None:
    csv = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        '1,"Mar 3, 2026, 12:00:00 PM",Track,Run,activities/1.gpx\n'
        '2,"Mar 4, 2026, 12:00:00 PM",Spin,Ride,activities/2.gpx\n'
        '3,"Mar 8, 2026, 12:00:00 PM",Long,Run,activities/3.gpx\n'
    )
    local_zip = tmp_path / "export.zip"
    with zipfile.ZipFile(local_zip, "w") as zf:
        zf.writestr("activities.csv", csv)
        zf.writestr("activities/1.gpx", GOOD["w1/tue.gpx"])
        zf.writestr("activities/2.gpx", _run("2026-03-04T12:00:00Z", 20.0))
        zf.writestr("activities/3.gpx", GOOD["w1/sun.gpx"])
    _put(mem, {"export.zip": local_zip.read_bytes()})
    seen: list[tuple[int, int]] = []
    report = block_remote(
        f"{mem}/export.zip",
        goal_mile="5:30",
        engine="serial",
        cache=False,
        progress=lambda d, t, s: seen.append((d, t)),
    )
    assert [a.name for a in report.activities] == ["Track", "Long"]  # names from the export's CSV
    assert [(s.reason, s.detail) for s in report.skipped] == [("not a run", "Ride")]
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    assert fake.calls == [f"{mem}/export.zip!activities/1.gpx", f"{mem}/export.zip!activities/3.gpx"]
    local = milepace.block(local_zip, goal_mile="5:30", engine="serial", cache=False)
    assert _doc(report, f"{mem}/export.zip") == _doc(local, str(local_zip))


def test_activity_urls_are_not_touched_while_listing(mem: str) -> None:
    # naming an activity file is enough: the worker fetches it (and reports it if it is missing)
    sources, errors = list_any([f"{mem}/nowhere/run.fit.gz", f"{mem}/also/missing.gpx"])
    assert errors == [] and [s.path for s in sources] == [
        f"{mem}/nowhere/run.fit.gz",
        f"{mem}/also/missing.gpx",
    ]
    fetched = fetch_and_analyze(FetchTask(sources[0], 330.0, None))
    assert fetched.result.status == "error" and "no such file" in (fetched.result.error or "")
    assert not fetched.from_cache and not fetched.analysed


def test_missing_folder_and_bad_zip_are_listing_errors(mem: str) -> None:
    _put(mem, {"broken.zip": b"PK\x03\x04 not a zip at all"})
    sources, errors = list_any([f"{mem}/no-such-folder", f"{mem}/broken.zip"])
    assert sources == []
    assert [e.source for e in errors] == [f"{mem}/no-such-folder", f"{mem}/broken.zip"]
    assert "no such file" in errors[0].error and "zip" in errors[1].error


def test_unknown_protocol_is_one_sentence() -> None:
    sources, errors = list_any(["nosuchproto://bucket/folder"])
    assert sources == [] and [e.source for e in errors] == ["nosuchproto://bucket/folder"]
    assert errors[0].error.startswith("is not a URL fsspec can open") and "\n" not in errors[0].error
    with pytest.raises(ParseError, match="is not a URL fsspec can open"):
        load_any(Source(display="nosuchproto://b/a.fit", path="nosuchproto://b/a.fit"))


def test_worker_side_cache(tmp_path: Path, mem: str, fake: FakeReader) -> None:
    _put(mem, GOOD)
    first = block_remote(mem, goal_mile="5:30", engine="serial", cache_dir=tmp_path / "c")
    assert first.stats.analysed == 5 and first.stats.from_cache == 0 and len(fake.calls) == 5
    again = block_remote(mem, goal_mile="5:30", engine="serial", cache_dir=tmp_path / "c")
    assert again.stats.analysed == 0 and again.stats.from_cache == 5 and len(fake.calls) == 5
    assert all(a.from_cache for a in again.activities)
    # the parent-side run reads the same cache: one format, one key (content hash and goal)
    _write(tmp_path / "local", GOOD)
    local = milepace.block(tmp_path / "local", goal_mile="5:30", engine="serial", cache_dir=tmp_path / "c")
    assert local.stats.from_cache == 5 and len(fake.calls) == 5


def test_duplicate_content_first_listed_kept(tmp_path: Path, mem: str, fake: FakeReader) -> None:
    files = {**GOOD, "zdup/same_bytes.gpx": GOOD["w1/tue.gpx"]}
    _write(tmp_path, files)
    _put(mem, files)
    fetched = block_remote(mem, goal_mile="5:30", engine="serial", cache=False)
    local = milepace.block(tmp_path, goal_mile="5:30", engine="serial", cache=False)
    assert [(s.reason, s.detail) for s in fetched.skipped] == [
        ("duplicate", f"same content as {mem}/w1/tue.gpx")
    ]
    assert _doc(fetched, mem)["skipped"] == _doc(local, str(tmp_path))["skipped"]
    # both runs read and hash on the workers: both copies were analysed before their hashes met
    assert fetched.stats.analysed == local.stats.analysed == len(files)
    # with a cache, the copy analysed after its twin is a hit — written in this run, so not "from cache"
    cached = block_remote(mem, goal_mile="5:30", engine="serial", cache_dir=tmp_path / "c")
    assert cached.stats.analysed == len(files) - 1 and cached.stats.from_cache == 0
    cached_doc, local_doc = _doc(cached, mem), _doc(local, str(tmp_path))
    assert cached_doc.pop("stats").pop("analysed") == local_doc.pop("stats").pop("analysed") - 1
    assert cached_doc == local_doc


# ---------------------------------------------------------------------- manifests
def test_manifest_paths_resolve_against_its_folder(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(
        "athlete,path,goal_mile\nana,ana/1.fit,5:10\n\nben,/abs/2.gpx,\ncy,memory://x/3.tcx,330\n"
    )
    rows = read_manifest(tmp_path / "m.csv", group_by="athlete")
    assert [(r.path, r.group, r.goal_mile, r.line) for r in rows] == [
        (str(tmp_path / "ana" / "1.fit"), "ana", "5:10", 2),
        ("/abs/2.gpx", "ben", None, 4),
        ("memory://x/3.tcx", "cy", "330", 5),
    ]


def test_manifest_from_a_url(mem: str) -> None:
    _put(mem, {"lists/m.csv": b"path\nruns/a.fit\ns3://other/b.fit\n"})
    assert [r.path for r in read_manifest(f"{mem}/lists/m.csv")] == [
        f"{mem}/lists/runs/a.fit",
        "s3://other/b.fit",
    ]


@pytest.mark.parametrize(
    ("text", "group_by", "needle"),
    [
        ("file,athlete\na.fit,ana\n", None, "'path' column"),
        ("path,who\na.fit,ana\n", "athlete", "not a column"),
        ("path,athlete\na.fit,\n", "athlete", "line 2 has an empty 'athlete'"),
        ("path,athlete\n,ana\n", "athlete", "line 2 has an empty 'path'"),
    ],
)
def test_bad_manifest_is_a_usage_error(tmp_path: Path, text: str, group_by: str | None, needle: str) -> None:
    (tmp_path / "m.csv").write_text(text)
    with pytest.raises(UsageError, match=needle):
        read_manifest(tmp_path / "m.csv", group_by=group_by)
    with pytest.raises(UsageError, match="cannot be read"):
        read_manifest(tmp_path / "nope.csv")


def test_manifest_block(tmp_path: Path, mem: str, fake: FakeReader) -> None:
    _put(mem, GOOD)
    (tmp_path / "m.csv").write_text("path\n" + "".join(f"{mem}/{name}\n" for name in GOOD))
    report = block_remote(goal_mile="5:30", manifest=tmp_path / "m.csv", engine="serial", cache=False)
    assert len(report.activities) == 5 and report.ok


def test_engine_by_name() -> None:
    from milepace.block.engine import get_engine

    assert get_engine("serial").name == "serial"
    with pytest.raises(UsageError, match="scheduler"):
        get_engine("local", scheduler="tcp://127.0.0.1:8786")
    engine = get_engine("dask", workers=2)  # built lazily: no cluster is started until it runs
    assert engine.name == "dask" and engine.workers == 2


def test_block_routes_urls_manifests_and_dask_to_the_workers(
    tmp_path: Path, mem: str, fake: FakeReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    _put(mem, GOOD)
    assert len(milepace.block(mem, goal_mile="5:30", engine="serial", cache=False).activities) == 5
    (tmp_path / "m.csv").write_text("path\n" + "".join(f"{mem}/{name}\n" for name in GOOD))
    report = milepace.block(goal_mile="5:30", manifest=tmp_path / "m.csv", engine="serial", cache=False)
    assert len(report.activities) == 5
    with pytest.raises(UsageError, match="scheduler"):
        milepace.block(tmp_path, goal_mile="5:30", engine="local", scheduler="tcp://10.0.0.5:8786")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(remote, "block_remote", lambda paths, **kw: calls.append(kw))
    milepace.block(tmp_path, goal_mile="5:30", engine="dask", scheduler="tcp://10.0.0.5:8786")
    assert calls[0]["engine"] == "dask" and calls[0]["scheduler"] == "tcp://10.0.0.5:8786"


def test_dask_is_imported_only_when_asked_for(tmp_path: Path) -> None:
    import subprocess
    import sys

    _write(tmp_path, {"a.gpx": b"not really a gpx"})
    code = (
        "import sys, milepace, milepace.block.remote, milepace.block.squad, milepace.cli.block\n"
        f"milepace.block({str(tmp_path)!r}, goal_mile='5:30', engine='serial', cache=False)\n"
        "print(sorted(m for m in ('dask', 'distributed', 'fsspec') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
