"""The Dask engine: the same report as the local engine, ``memory://`` blocks, and failures reported, not lost.

One 2-worker :class:`~distributed.LocalCluster` (processes, one thread each)
serves the module; its scheduler gives a task up after the first worker death
(``allowed_failures=0``) so the tests that kill workers stay quick — the
engine's lone re-run is what tells the file that kills a worker from the
innocent files queued next to it.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import milepace
from milepace.block import remote
from milepace.block.dask_engine import DaskEngine, WorkerDied
from milepace.block.remote import block_remote

from .test_run import GOOD, FakeReader, _write

distributed = pytest.importorskip("distributed")
fsspec = pytest.importorskip("fsspec")
synth_block = pytest.importorskip("milepace.synth.block")
synth_export = pytest.importorskip("milepace.synth.export")
WorkerPlugin: Any = distributed.WorkerPlugin


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
            scheduler_kwargs={"allowed_failures": 0, "dashboard": False, "dashboard_address": ":0"},
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def square(x: int) -> int:
    return x * x


def raise_on_two(x: int) -> int:
    if x == 2:
        raise RuntimeError("boom")
    return x


def die_on_three(x: int) -> int:
    if x == 3:
        os._exit(13)  # the worker process dies, as a crash in a C extension would
    return x * x


class PoisonFiles(WorkerPlugin):
    """On every worker (restarted ones too): analysing a file named ``*poison*`` kills the worker."""

    name = "milepace-poison"

    def setup(self, worker: Any) -> None:
        from milepace.block import remote as worker_remote

        real = worker_remote.analyze_bytes

        def analyze(data: bytes, display: str, goal_mile_s: float, *, digest: str | None = None) -> Any:
            if "poison" in display:
                os._exit(13)
            return real(data, display, goal_mile_s, digest=digest)

        worker_remote.analyze_bytes = analyze


def _doc(report: Any, prefix: str | None = None) -> dict[str, Any]:
    """The JSON document without what depends on the engine (its name, workers, wall time)."""
    doc = report.to_dict()
    for key in ("engine", "workers", "wall_s"):
        doc["stats"].pop(key)
    text = json.dumps(doc)
    return json.loads(text.replace(prefix, "<block>") if prefix else text)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A two-week Strava-style export (FIT, GPX, TCX; a corrupt, an empty and a copied file; a ride)."""
    sessions = synth_block.simulate_block(2, seed=5, weekly_miles=[30.0, 32.0], rides=1, utc_offset_s=3600)
    fmts = [("fit", "gpx", "tcx")[i % 3] for i in range(len(sessions))]
    copy = synth_export.encode(sessions[1], fmts[1], gzip_member=fmts[1] != "gpx")[1]
    path = tmp_path_factory.mktemp("dask-export") / "export.zip"
    synth_export.write_strava_export(
        sessions,
        path,
        formats=fmts,
        extra_members={
            "corrupt.fit": b"\x0e\x10\x00\x00\x40\x00\x00\x00.FIT" + bytes(range(256)) * 4,
            "empty.gpx": b"",
            "copy.bin": copy,
        },
    )
    return path, sum(1 for s in sessions if s.sport == "running")


def test_engine_streams_every_item_and_reports_a_raise(client: Any) -> None:
    engine = DaskEngine(client=client, max_in_flight_per_thread=2)  # a window of 4: topped up 10 times
    assert dict(engine.map_unordered(square, range(14))) == {i: i * i for i in range(14)}
    assert engine.workers == 2 and engine.submitted == 14
    out = dict(engine.map_unordered(raise_on_two, range(5)))
    assert [out[i] for i in (0, 1, 3, 4)] == [0, 1, 3, 4]
    assert isinstance(out[2], RuntimeError) and str(out[2]) == "boom"
    # several files per task: 14 items in tasks of 3 are 5 tasks; a raise stays with its own item
    batched = DaskEngine(client=client, files_per_task=3)
    assert dict(batched.map_unordered(square, range(14))) == {i: i * i for i in range(14)}
    assert batched.submitted == 5
    out = dict(batched.map_unordered(raise_on_two, range(5)))
    assert [out[i] for i in (0, 1, 3, 4)] == [0, 1, 3, 4] and isinstance(out[2], RuntimeError)


def test_same_report_on_local_and_dask(tmp_path: Path, client: Any, export: tuple[Path, int]) -> None:
    path, runs = export
    local = milepace.block(path, goal_mile="5:30", engine="local", workers=2, cache_dir=tmp_path / "c1")
    ticks: list[tuple[int, int]] = []
    on_dask = block_remote(
        path,
        goal_mile="5:30",
        engine=DaskEngine(client=client),
        cache_dir=tmp_path / "c2",
        progress=lambda done, total, source: ticks.append((done, total)),
    )
    assert len(local.activities) == runs and len(local.errors) == 2  # the comparison is not vacuous
    assert on_dask.stats.engine == "dask" and on_dask.stats.workers == 2
    a, b = _doc(local), _doc(on_dask)
    # the copy of the second session is analysed on a worker too, unless its twin's result reached
    # the cache first (then it is a hit, but not "from the cache": that means before this run)
    assert b["stats"].pop("analysed") - a["stats"].pop("analysed") in (0, 1)
    assert b == a
    total = a["stats"]["files"]
    assert ticks == [(i, total) for i in range(1, total + 1)]  # the progress bar moves once per file
    # the cache the local engine filled serves the Dask workers: nothing is analysed again
    warm = block_remote(path, goal_mile="5:30", engine=DaskEngine(client=client), cache_dir=tmp_path / "c1")
    assert warm.stats.analysed == 0 and warm.stats.from_cache == runs + 2  # runs and the two bad files
    assert [x.kind for x in warm.activities] == [x.kind for x in local.activities]
    assert all(x.from_cache for x in warm.activities)


@pytest.fixture()
def mem() -> Iterator[str]:
    root = f"memory://milepace-dask-{uuid.uuid4().hex}"
    yield root
    fs = fsspec.filesystem("memory")
    if fs.exists(root):
        fs.rm(root, recursive=True)


def test_memory_block_on_thread_workers_and_a_task_that_raises(
    tmp_path: Path, mem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # thread workers share this process's memory:// filesystem, and see the fake reader
    from milepace.block import files as block_files

    monkeypatch.setattr(block_files, "_analyze", FakeReader())
    for name, data in GOOD.items():
        with fsspec.open(f"{mem}/{name}", "wb") as fh:
            fh.write(data)
    _write(tmp_path, GOOD)
    local = milepace.block(tmp_path, goal_mile="5:30", engine="serial", cache=False)
    engine = DaskEngine(workers=2, processes=False)
    on_dask = block_remote(mem, goal_mile="5:30", engine=engine, cache=False)
    assert _doc(on_dask, mem) == _doc(local, str(tmp_path))

    real = remote.analyze_bytes

    def raising(data: bytes, display: str, goal_mile_s: float, *, digest: str | None = None) -> Any:
        if display.endswith("w1/sun.gpx"):
            raise MemoryError("worker out of memory")
        return real(data, display, goal_mile_s, digest=digest)

    monkeypatch.setattr(remote, "analyze_bytes", raising)
    failed = block_remote(mem, goal_mile="5:30", engine=engine, cache=False)
    assert [(e.source, e.error, e.error_type) for e in failed.errors] == [
        (f"{mem}/w1/sun.gpx", "worker out of memory", "MemoryError")
    ]
    assert sorted(a.source for a in failed.activities) == sorted(
        f"{mem}/{n}" for n in GOOD if n != "w1/sun.gpx"
    )


def test_a_file_that_kills_its_worker_is_reported_and_the_rest_analysed(
    tmp_path: Path, client: Any, export: tuple[Path, int]
) -> None:
    # last in the module: it kills workers (the nanny restarts them)
    engine = DaskEngine(client=client)
    out = dict(engine.map_unordered(die_on_three, range(10)))
    assert set(out) == set(range(10))
    assert isinstance(out[3], WorkerDied)
    assert all(out[i] == i * i for i in range(10) if i != 3)

    # end to end: a poisoned file in a block of good ones
    path, runs = export
    (tmp_path / "poison.gpx").write_bytes(b"<gpx/>")
    client.register_plugin(PoisonFiles())
    try:
        report = block_remote([path, tmp_path / "poison.gpx"], goal_mile="5:30", engine=engine, cache=False)
    finally:
        client.unregister_worker_plugin(PoisonFiles.name)
    assert len(report.activities) == runs
    died = [e for e in report.errors if e.source.endswith("poison.gpx")]
    assert [(e.error, e.error_type) for e in died] == [
        ("the Dask worker analysing this file died", "WorkerDied")
    ]
    assert len(report.errors) == 3  # the poison, the corrupt and the empty file
