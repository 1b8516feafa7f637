"""Benchmark the squad run on the local engine and on a 2-worker Dask ``LocalCluster``.

Builds (once, then reused) a synthetic archive of ``--files`` activity files
spread over ``--athletes`` athletes — a folder per athlete, one session a
day, a rotation of easy runs (20–25 min), easy runs with strides, track,
threshold and fartlek workouts; FIT (gzipped), GPX (gzipped) and TCX
(gzipped) in turn — and a manifest ``manifest.csv`` (``path,athlete``).
Then measures, cache off throughout:

* **I/O per file** — fetch (:func:`~milepace.block.remote.load_any`) and hash
  every file in this process [ms/file, KiB/file];
* **compute per file** — :func:`~milepace.block.remote.fetch_and_analyze` on
  ``--sample`` files spread over the archive, in this process [ms/file];
* **local engine** — :func:`milepace.block.squad.squad` on the process pool
  (``--workers``) [files/s];
* **Dask** — the same on a ``LocalCluster`` of ``--workers`` single-threaded
  worker processes (start-up timed apart) [files/s];
* **scheduler overhead per file** — a task that does nothing, sent with the
  same :class:`~milepace.block.remote.FetchTask` per file through the same
  engine: wall time per task, and this process's CPU per task (the
  LocalCluster's scheduler and the client run in this process);

and projects throughput for more workers from those numbers.

Usage::

    python benchmarks/bench_scale.py [--files 2000] [--athletes 100] [--workers 2] [--sample 60] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import logging
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

GOAL_MILE_S = 330.0
ROTATION = ("easy", "easy_strides", "track_6x800", "easy", "threshold_2x2mi", "easy", "fartlek")
FORMATS = ("fit", "gpx", "tcx")


def _one(args: tuple[int, int, int, str]) -> tuple[str, str]:
    """Simulate and write file ``i`` (athlete ``a``, day ``d``) under ``root``; returns (path, athlete)."""
    from milepace.synth import simulate
    from milepace.synth.export import encode

    i, a, d, root = args
    template = ROTATION[(d + a) % len(ROTATION)]
    duration = 1200.0 + 60.0 * ((i * 7) % 6) if template.startswith("easy") else None
    session = simulate(
        template,
        seed=i,
        goal_mile_s=GOAL_MILE_S + 5.0 * (a % 9),
        start=1_767_600_000.0 + d * 86_400.0 + 60.0 * (a % 60),  # 2026-01-05 on
        duration_s=duration,
        recording="smart" if i % 5 == 0 else "every_second",
    )
    fmt = FORMATS[i % 3]
    ext, data = encode(session, fmt, gzip_member=fmt != "gpx")
    if fmt == "gpx":  # stored compressed, as an archive would hold it
        ext, data = ext + ".gz", gzip.compress(data, compresslevel=6)
    rel = f"a{a:03d}/{d:03d}-{template}{ext}"
    path = Path(root) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel, f"a{a:03d}"


def build(root: Path, n_files: int, n_athletes: int, workers: int) -> Path:
    """Write the archive and its manifest; returns the manifest's path."""
    jobs = [(i, i % n_athletes, i // n_athletes, str(root)) for i in range(n_files)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(_one, jobs, chunksize=16))
    manifest = root / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "athlete"])
        writer.writerows(rows)
    return manifest


def noop(task: Any) -> Any:
    """A task that does nothing but return a small result (the scheduler's share of a file)."""
    from milepace.block.model import FileResult
    from milepace.block.remote import Fetched

    return Fetched(FileResult(source=task.source.display, content_hash="", status="not_run"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--athletes", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--sample", type=int, default=60, help="files analysed in this process for the per-file cost"
    )
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "milepace_bench_scale")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--batch", type=int, default=16, help="files per Dask task for the batched overhead measurement"
    )
    parser.add_argument(
        "--skip-runs",
        action="store_true",
        help="only I/O, per-file cost and scheduler overhead (minutes less)",
    )
    args = parser.parse_args(argv)

    import distributed

    from milepace.block.dask_engine import DaskEngine
    from milepace.block.engine import LocalEngine, available_cpus
    from milepace.block.remote import FetchTask, fetch_and_analyze, list_any, load_any, read_manifest
    from milepace.block.sources import content_hash
    from milepace.block.squad import squad

    root = args.out / f"{args.files}x{args.athletes}"
    manifest = root / "manifest.csv"
    if args.rebuild or not manifest.exists():
        t0 = time.perf_counter()
        build(root, args.files, args.athletes, max(1, available_cpus()))
        print(
            f"built {args.files} files for {args.athletes} athletes into {root} in {time.perf_counter() - t0:.0f} s"
        )
    else:
        print(f"reusing {root}")
    print(f"machine: {available_cpus()} CPUs available, load average {os.getloadavg()[0]:.1f}")

    sources, _ = list_any([r.path for r in read_manifest(manifest)])
    n = len(sources)

    # ---- I/O per file: fetch and hash everything in this process
    t0 = time.perf_counter()
    size = 0
    for src in sources:
        data = load_any(src)
        size += len(data)
        content_hash(data)
    io_s = (time.perf_counter() - t0) / n
    print(
        f"I/O: fetch + hash {io_s * 1000:.2f} ms/file, {size / n / 1024:.0f} KiB/file ({size / 2**20:.0f} MiB)"
    )

    # ---- compute per file, in this process
    step = max(1, n // max(1, args.sample))
    sample = sources[::step][: args.sample]
    fetch_and_analyze(FetchTask(sample[0], GOAL_MILE_S))  # imports and first-call costs out of the timing
    t0 = time.perf_counter()
    for src in sample:
        fetch_and_analyze(FetchTask(src, GOAL_MILE_S))
    file_s = (time.perf_counter() - t0) / len(sample)
    print(
        f"per file (fetch + read + detect + report, 1 process, {len(sample)} files): {file_s * 1000:.0f} ms/file"
    )

    def run(engine: Any) -> tuple[float, Any]:
        t = time.perf_counter()
        result = squad(manifest, goal_mile=GOAL_MILE_S, engine=engine, cache=False)
        return time.perf_counter() - t, result

    # ---- local engine
    if not args.skip_runs:
        local_s, local = run(LocalEngine(args.workers))
        print(
            f"local engine ({args.workers} processes): {local_s:6.1f} s  {n / local_s:6.1f} files/s  "
            f"({local.stats.failed} failed, {len(local.reports)} athletes)"
        )

    # ---- dask
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
        scheduler_kwargs={"dashboard": False, "dashboard_address": ":0"},
    )
    client = distributed.Client(cluster)
    client.wait_for_workers(args.workers)
    start_s = time.perf_counter() - t0
    try:
        engine = DaskEngine(client=client)
        client.run(fetch_and_analyze, FetchTask(sources[0], GOAL_MILE_S))  # warm the workers' imports
        if not args.skip_runs:
            dask_s, on_dask = run(engine)
            print(
                f"dask LocalCluster ({args.workers} workers): {dask_s:6.1f} s  {n / dask_s:6.1f} files/s  "
                f"({on_dask.stats.failed} failed; cluster start {start_s:.1f} s, not included)"
            )
            same = all(
                [a.kind for a in on_dask.reports[k].activities]
                == [a.kind for a in local.reports[k].activities]
                for k in local.reports
            )
            print(f"same session kinds per athlete on both engines: {same}")

        tasks = [FetchTask(s, GOAL_MILE_S) for s in sources]
        overhead: dict[int, float] = {}
        for per_task in (1, args.batch):
            noop_engine = DaskEngine(client=client, files_per_task=per_task)
            c0, t0 = time.process_time(), time.perf_counter()
            for _ in noop_engine.map_unordered(noop, tasks):
                pass
            sched_wall = (time.perf_counter() - t0) / n
            overhead[per_task] = (time.process_time() - c0) / n
            print(
                f"scheduler overhead, {per_task:2d} file(s)/task: {sched_wall * 1000:.2f} ms/file wall "
                f"(no-op tasks, {args.workers} workers), {overhead[per_task] * 1000:.2f} ms/file CPU "
                "in the scheduler + client process"
            )
        sched_cpu = overhead[1]
    finally:
        client.close()
        cluster.close()

    per_worker = file_s  # the fetch is inside the per-file cost (local disk here)
    print(
        f"model: files/s = min(W / {per_worker * 1000:.0f} ms, 1 / {sched_cpu * 1000:.2f} ms scheduler CPU) "
        "on W single-threaded workers (fetch from object storage adds its latency to the per-file cost)"
    )
    batched = overhead[args.batch]
    print(f"  W = workers; {args.batch} files/task: scheduler cap 1 / {batched * 1000:.2f} ms")
    for w in (2, 8, 32, 128, 512, 2048):
        bound = min(w / per_worker, 1.0 / sched_cpu)
        bound_b = min(w / per_worker, 1.0 / batched)
        print(
            f"  W={w:5d}: ~{bound:7.0f} files/s  ({3600 * bound:,.0f} files/h);  "
            f"{args.batch} files/task: ~{bound_b:7.0f} files/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
