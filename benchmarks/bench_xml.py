"""GPX/TCX reading benchmark: ``milepace.read_bytes`` vs gpxpy and a plain lxml loop.

Generates 1 h and 4 h 1 Hz sessions with the project's generator
(``simulate("long", seed=1)``), then times, alternating in one process,
medians of ``--repeat`` runs after a warm-up:

* ``milepace.read_bytes(gpx, "x.gpx")`` vs ``gpxpy.parse(text)`` alone
  (goal ≥ 8×);
* ``milepace.read_bytes(tcx, "x.tcx")`` vs a plain lxml element loop (parse +
  iterate trackpoints reading time/lat/lon/alt/distance/hr/cadence/speed into
  lists, no conversion).

Usage: ``.venv/bin/python benchmarks/bench_xml.py --repeat 9``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from functools import partial

import gpxpy
from lxml import etree

import milepace
from milepace.synth import simulate, write_gpx, write_tcx

TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
TPX = "{http://www.garmin.com/xmlschemas/ActivityExtension/v2}"


def lxml_tcx_loop(data: bytes) -> list[list[str | None]]:
    """Parse + one Python loop over trackpoints collecting the text of 8 values (no conversion)."""
    root = etree.fromstring(data)
    cols: list[list[str | None]] = [[] for _ in range(8)]
    paths = (
        f"{TCX}Time",
        f"{TCX}Position/{TCX}LatitudeDegrees",
        f"{TCX}Position/{TCX}LongitudeDegrees",
        f"{TCX}AltitudeMeters",
        f"{TCX}DistanceMeters",
        f"{TCX}HeartRateBpm/{TCX}Value",
        f"{TCX}Extensions/{TPX}TPX/{TPX}RunCadence",
        f"{TCX}Extensions/{TPX}TPX/{TPX}Speed",
    )
    for tp in root.iter(f"{TCX}Trackpoint"):
        for col, path in zip(cols, paths, strict=True):
            col.append(tp.findtext(path))
    return cols


def alternate(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time [ms] of each function, calls alternating, after one warm-up call each.

    CPU time (``time.process_time``) is printed too because on a shared,
    overloaded machine wall time mostly measures waiting for a core.
    """
    for fn in fns.values():
        fn()
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            wall[k].append(time.perf_counter() - t0)
            cpu[k].append(time.process_time() - c0)
    return {k: (statistics.median(wall[k]) * 1e3, statistics.median(cpu[k]) * 1e3) for k in fns}


def _row(what: str, ours: tuple[float, float], name: str, theirs: tuple[float, float]) -> str:
    return (
        f"| {what} | {ours[0]:.1f} | {ours[1]:.1f} | {name} | {theirs[0]:.1f} | {theirs[1]:.1f} | "
        f"{theirs[0] / ours[0]:.2f}× | {theirs[1] / ours[1]:.2f}× |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per reader (median), default 9")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}; medians of {args.repeat} alternating runs after a warm-up"
    )
    print(
        "| file | milepace wall [ms] | CPU [ms] | baseline | wall [ms] | CPU [ms] | ratio wall | ratio CPU |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for label, duration_s in (("1 h", 3600.0), ("4 h", 14400.0)):
        session = simulate("long", seed=1, duration_s=duration_s)
        gpx, tcx = write_gpx(session), write_tcx(session)
        text = gpx.decode("utf-8")
        g = alternate(
            {"ours": partial(milepace.read_bytes, gpx, "x.gpx"), "gpxpy": partial(gpxpy.parse, text)},
            args.repeat,
        )
        print(
            _row(f"GPX {label} ({len(gpx) / 1e6:.1f} MB)", g["ours"], "gpxpy.parse", g["gpxpy"]), flush=True
        )
        t = alternate(
            {"ours": partial(milepace.read_bytes, tcx, "x.tcx"), "loop": partial(lxml_tcx_loop, tcx)},
            args.repeat,
        )
        print(_row(f"TCX {label} ({len(tcx) / 1e6:.1f} MB)", t["ours"], "lxml loop", t["loop"]), flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
