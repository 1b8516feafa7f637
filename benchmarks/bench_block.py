"""Benchmark ``milepace.block`` on a 500-file Strava-style export.

Builds (once, then reused) a Strava bulk-export zip of simulated sessions of
about an hour — a rotation of easy runs, strides, long runs (exactly 60:00)
and track, threshold and fartlek workouts (45–60 min) — written in turn as
FIT (gzipped), GPX and TCX (gzipped), one session a day. Then prints:

* the cold run: ``milepace.block`` with an empty cache (process pool sized
  to the machine) — goal ≤ 15 s on a 2-core machine;
* the same files only *read* with fitdecode (FIT), gpxpy (GPX) and lxml (TCX)
  in one process, for comparison (ratio);
* the warm run: the same block again with the cache filled — goal ≤ 10 % of cold.

``--repeat N`` runs cold + warm N times (a fresh cache each time) and reports the
median cold run with every run listed: on a shared VM one run can be 50 % slower
than the next, and the reference read's time (measured after) shows how fast the
machine was.

Usage::

    python benchmarks/bench_block.py [--files 500] [--baseline-files 100] [--repeat 3] [--out /tmp/bench_block.zip]

``--baseline-files N`` times the reference readers on the first N files and
scales to the whole block (the readers cost the same per file of a kind; all
three kinds are in every stretch of the rotation); ``0`` reads every file.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROTATION = ("easy", "track_6x800", "easy_strides", "threshold_2x2mi", "long", "fartlek")
GOAL_MILE_S = 330.0


def build(path: Path, n_files: int) -> None:
    """Write the export zip of ``n_files`` sessions."""
    from milepace.synth import simulate
    from milepace.synth.export import write_strava_export

    sessions = []
    day0 = 1_767_600_000.0  # 2026-01-05T08:00:00Z
    for i in range(n_files):
        template = ROTATION[i % len(ROTATION)]
        sessions.append(
            simulate(
                template,
                seed=i,
                goal_mile_s=GOAL_MILE_S,
                start=day0 + i * 86_400.0,
                duration_s=3600.0,
                recording="smart" if i % 5 == 0 else "every_second",
            )
        )
    formats = [("fit", "gpx", "tcx")[i % 3] for i in range(n_files)]
    write_strava_export(sessions, path, formats=formats)


def read_reference(path: Path, limit: int) -> tuple[int, float]:
    """Read members with fitdecode / gpxpy / lxml in this process; (files read, seconds)."""
    import fitdecode
    import gpxpy
    from lxml import etree

    t0 = time.perf_counter()
    n = 0
    with zipfile.ZipFile(path) as zf:
        names = [m for m in zf.namelist() if m.startswith("activities/")]
        for name in names[: limit or None]:
            data = zf.read(name)
            if name.endswith(".gz"):
                data = gzip.decompress(data)
            if ".fit" in name:
                with fitdecode.FitReader(io.BytesIO(data)) as fit:
                    for frame in fit:
                        if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "record":
                            frame.get_value("timestamp", fallback=None)
            elif ".gpx" in name:
                gpx = gpxpy.parse(data.decode("utf-8"))
                sum(len(seg.points) for trk in gpx.tracks for seg in trk.segments)
            else:
                tree = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
                len(tree.findall(".//{*}Trackpoint"))
            n += 1
    return n, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--baseline-files", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "milepace_bench_block.zip")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="cold runs, each with a fresh cache; the median is reported"
    )
    args = parser.parse_args(argv)
    from _bytecode import compile_milepace

    if not compile_milepace():  # the installed state: .pyc files written, as pip install does
        print("warning: some milepace modules did not compile to bytecode")

    import milepace
    from milepace.block.engine import available_cpus

    marker = args.out.with_suffix(f".{args.files}.ok")
    if args.rebuild or not marker.exists() or not args.out.exists():
        t0 = time.perf_counter()
        build(args.out, args.files)
        marker.write_text("built\n")
        print(
            f"built {args.files} files into {args.out} ({args.out.stat().st_size / 2**20:.0f} MiB) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
    else:
        print(f"reusing {args.out} ({args.out.stat().st_size / 2**20:.0f} MiB)")

    colds: list[float] = []
    loads: list[float] = []
    for _ in range(args.repeat):
        cache = Path(tempfile.mkdtemp(prefix="milepace-bench-cache-"))
        try:
            loads.append(os.getloadavg()[0])
            t0 = time.perf_counter()
            cold = milepace.block(args.out, goal_mile=GOAL_MILE_S, cache_dir=cache)
            colds.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            warm = milepace.block(args.out, goal_mile=GOAL_MILE_S, cache_dir=cache)
            warm_s = time.perf_counter() - t0
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    cold_s = statistics.median(colds)
    n_files = cold.stats.files
    n_ref, ref_s = read_reference(args.out, args.baseline_files)
    ref_total_s = ref_s / n_ref * n_files

    print(
        f"machine: {available_cpus()} CPUs available, load average {', '.join(f'{x:.1f}' for x in loads)} "
        "at the start of each cold run"
    )
    print(
        f"files: {n_files} ({len(cold.activities)} runs, {len(cold.errors)} failed, {len(cold.skipped)} skipped), "
        f"{cold.stats.workers} workers ({cold.stats.engine})"
    )
    runs = (
        ""
        if len(colds) == 1
        else f"  (median of {len(colds)} cold runs: {', '.join(f'{c:.2f}' for c in colds)} s)"
    )
    print(
        f"cold: {cold_s:6.2f} s  ({cold_s / n_files * 1000:.0f} ms/file, {n_files / cold_s:.0f} files/s)  goal <= 15 s{runs}"
    )
    scope = "all files" if n_ref == n_files else f"{n_ref} files, scaled to {n_files}"
    print(
        f"reference read (fitdecode/gpxpy/lxml, 1 process, {scope}): {ref_total_s:6.2f} s  "
        f"-> block is {ref_total_s / cold_s:.1f}x faster than reading alone"
    )
    print(
        f"warm: {warm_s:6.2f} s  ({warm.stats.from_cache} from cache) = {warm_s / cold_s * 100:.1f} % of cold  goal <= 10 %"
    )
    return 0 if not cold.errors else 1


if __name__ == "__main__":
    sys.exit(main())
