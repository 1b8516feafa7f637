"""How fast milepace reads FIT, GPX and TCX, against the libraries people use — one run, one Markdown table.

Generates a 1 h and a 4 h session at 1 Hz with ``milepace.synth`` (FIT, GPX,
TCX), then prints in-process medians (after a warm-up run) and ratios:

* ``milepace.read`` FIT vs fitdecode (records + laps → DataFrames; goal ≥ 40×
  on 1 h), vs fitparse and garmin-fit-sdk (benchmark-only installs);
* ``milepace.read`` GPX vs ``gpxpy.parse`` alone (goal ≥ 8×), TCX vs a plain
  lxml element loop — each pair timed alternating (ours, theirs, ours, …), so a
  shared machine's drifting speed falls on both sides of the ratio;
* peak memory reading the 4 h FIT, in fresh subprocesses: one that only
  imports pandas, one that reads (goal ≤ pandas import + 25 MiB);
* ``milepace info one.fit`` wall time vs ``python -c "import pandas"`` (goal ≤ 1.4×).

Run: ``.venv/bin/python benchmarks/bench_read.py`` (about 1–2 minutes; ``--repeat``
sets the timed runs per row). Libraries that are not installed are skipped.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
from _bytecode import compile_milepace

import milepace
from milepace.synth import simulate, write_fit, write_gpx, write_tcx

RECORD_FIELDS = (
    "timestamp",
    "position_lat",
    "position_long",
    "distance",
    "enhanced_speed",
    "enhanced_altitude",
    "heart_rate",
    "cadence",
)
LAP_FIELDS = ("start_time", "timestamp", "total_elapsed_time", "total_distance", "intensity")


class Timing(NamedTuple):
    """Medians of one row: wall time and CPU time of this process [ms]."""

    wall_ms: float
    cpu_ms: float

    def __truediv__(self, other: object) -> Timing:
        if not isinstance(other, Timing):
            return NotImplemented
        return Timing(self.wall_ms / other.wall_ms, self.cpu_ms / other.cpu_ms)


def median_ms(fn: Callable[[], object], repeat: int) -> Timing:
    """Median wall and CPU time [ms] of ``repeat`` calls after one warm-up call.

    CPU time (``time.process_time``) moves less than wall time when other
    processes compete for the cores, so the ratios are given for both.
    """
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return Timing(statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3)


def alternating_ms(
    ours: Callable[[], object], theirs: Callable[[], object], repeat: int
) -> tuple[Timing, Timing]:
    """Medians as :func:`median_ms`, for two functions called in turn (ours, theirs, ours, …).

    On a shared VM the machine's speed drifts by tens of percent within a
    minute; alternating puts both sides of a ratio in the same conditions.
    """
    ours()
    theirs()
    times: list[list[tuple[float, float]]] = [[], []]
    for _ in range(repeat):
        for k, fn in enumerate((ours, theirs)):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            times[k].append((time.perf_counter() - w0, time.process_time() - c0))
    a, b = (
        Timing(statistics.median(w for w, _ in t) * 1e3, statistics.median(c for _, c in t) * 1e3)
        for t in times
    )
    return a, b


# --------------------------------------------------------------------------- the other libraries


def fitdecode_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fitdecode: records and laps into DataFrames (values as fitdecode gives them)."""
    import fitdecode

    records: list[dict[str, Any]] = []
    laps: list[dict[str, Any]] = []
    with fitdecode.FitReader(str(path)) as fit:
        for frame in fit:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "record":
                records.append({f: frame.get_value(f, fallback=None) for f in RECORD_FIELDS})
            elif frame.name == "lap":
                laps.append({f: frame.get_value(f, fallback=None) for f in LAP_FIELDS})
    return pd.DataFrame(records), pd.DataFrame(laps)


def fitparse_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fitparse: records and laps into DataFrames."""
    import fitparse

    fit = fitparse.FitFile(str(path))
    records = [m.get_values() for m in fit.get_messages("record")]
    laps = [m.get_values() for m in fit.get_messages("lap")]
    return pd.DataFrame(records), pd.DataFrame(laps)


def garmin_sdk_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """garmin-fit-sdk: records and laps into DataFrames."""
    from garmin_fit_sdk import Decoder, Stream

    messages, errors = Decoder(Stream.from_file(str(path))).read()
    if errors:
        raise RuntimeError(f"garmin-fit-sdk: {errors[0]}")
    return pd.DataFrame(messages.get("record_mesgs", [])), pd.DataFrame(messages.get("lap_mesgs", []))


def gpxpy_parse(path: Path) -> object:
    """gpxpy: parse only (no DataFrame)."""
    import gpxpy

    with path.open(encoding="utf-8") as fh:
        return gpxpy.parse(fh)


def lxml_tcx_loop(path: Path) -> pd.DataFrame:
    """A plain lxml element loop over TCX trackpoints into a DataFrame."""
    from lxml import etree

    ns = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
    rows = []
    for tp in etree.parse(str(path)).getroot().iter(f"{ns}Trackpoint"):
        rows.append(
            (
                tp.findtext(f"{ns}Time"),
                tp.findtext(f"{ns}Position/{ns}LatitudeDegrees"),
                tp.findtext(f"{ns}Position/{ns}LongitudeDegrees"),
                tp.findtext(f"{ns}AltitudeMeters"),
                tp.findtext(f"{ns}DistanceMeters"),
                tp.findtext(f"{ns}HeartRateBpm/{ns}Value"),
            )
        )
    frame = pd.DataFrame(rows, columns=["time", "lat", "lon", "alt", "dist", "hr"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601")
    for col in ("lat", "lon", "alt", "dist", "hr"):
        frame[col] = pd.to_numeric(frame[col])
    return frame


def _available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- whole-process measurements


def _run(code_or_args: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(code_or_args, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0, out.stdout


_LAUNCHER = (
    "import subprocess, sys\n"
    "print(subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout)"
)
"""Starts the probe from a small interpreter: Linux keeps ``ru_maxrss`` across exec, so a probe
forked straight from this (large) benchmark process would report the benchmark's own size."""


def peak_rss_mib(code: str, runs: int) -> float:
    """Median peak RSS [MiB] of fresh interpreters running ``code`` (``resource`` maxrss)."""
    probe = f"{code}\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    args = [sys.executable, "-c", _LAUNCHER, sys.executable, "-c", probe]
    values = [int(_run(args)[1].split()[-1]) / 1024 for _ in range(runs)]
    return statistics.median(values)


def wall_ms(args: list[str], runs: int) -> float:
    """Median wall time [ms] of a fresh process (after one warm-up run)."""
    _run(args)
    return statistics.median(_run(args)[0] for _ in range(runs)) * 1e3


def wall_ms_pair(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    """Median wall times [ms] of two commands run in turn in fresh processes (after a warm-up of each).

    Alternating, like the in-process GPX/TCX rows: run five of one and then five
    of the other, and the VM's drift alone moved the ``info`` ratio from 1.03x to 1.51x.
    """
    _run(first)
    _run(second)
    a, b = [], []
    for _ in range(runs):
        a.append(_run(first)[0])
        b.append(_run(second)[0])
    return statistics.median(a) * 1e3, statistics.median(b) * 1e3


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("milepace")
    return [str(script)] if script.exists() else [sys.executable, "-m", "milepace"]


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row (median), default 3")
    parser.add_argument(
        "--procs", type=int, default=5, help="fresh processes per whole-process row, default 5"
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    rows: list[tuple[str, str, Timing, Timing | None, str]] = []

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if not compile_milepace():
        log("warning: some milepace modules did not compile to bytecode")

    with tempfile.TemporaryDirectory(prefix="milepace-bench-") as tmp:
        folder = Path(tmp)
        files: dict[tuple[str, str], Path] = {}
        for label, duration_s in (("1 h", 3600.0), ("4 h", 14400.0)):
            session = simulate("long", seed=1, duration_s=duration_s)
            for fmt, writer in (("fit", write_fit), ("gpx", write_gpx), ("tcx", write_tcx)):
                path = folder / f"{label.replace(' ', '')}.{fmt}"
                path.write_bytes(writer(session))
                files[(label, fmt)] = path
            log(f"{label}: {len(session.time_s):,} samples; FIT {files[(label, 'fit')].stat().st_size:,} B")

        n = args.repeat
        for label in ("1 h", "4 h"):
            fit = files[(label, "fit")]
            ours = median_ms(partial(milepace.read, fit), max(n, 5))
            decoder = milepace.read(fit).meta.decoder
            rows.append((f"FIT {label}", f"milepace.read ({decoder})", ours, None, ""))
            others: list[tuple[str, str, Callable[[Path], object], int]] = [
                ("fitdecode", "fitdecode", fitdecode_frames, n),
                ("fitparse", "fitparse", fitparse_frames, n if label == "1 h" else 1),
                ("garmin_fit_sdk", "garmin-fit-sdk", garmin_sdk_frames, n if label == "1 h" else 1),
            ]
            for module, name, fn, reps in others:
                if not _available(module):
                    log(f"{name} not installed; skipped")
                    continue
                log(f"timing {name} on FIT {label} …")
                theirs = median_ms(partial(fn, fit), reps)
                goal = "≥ 40×" if (name == "fitdecode" and label == "1 h") else ""
                rows.append(
                    (f"FIT {label}", f"{name} (records + laps → DataFrame)", theirs, theirs / ours, goal)
                )

            for fmt, baseline, fn_base, goal in (
                ("GPX", "gpxpy.parse alone", gpxpy_parse, "≥ 8×"),
                ("TCX", "lxml element loop → DataFrame", lxml_tcx_loop, ""),
            ):
                path = files[(label, fmt.lower())]
                try:
                    milepace.read(path)
                except milepace.MilepaceError as err:
                    log(f"milepace cannot read {fmt} yet ({err}); {fmt} rows skipped")
                    rows.append(
                        (
                            f"{fmt} {label}",
                            "milepace.read: not available",
                            Timing(math.nan, math.nan),
                            None,
                            goal,
                        )
                    )
                    continue
                if fmt == "GPX" and not _available("gpxpy"):
                    rows.append(
                        (
                            f"{fmt} {label}",
                            "milepace.read",
                            median_ms(partial(milepace.read, path), n),
                            None,
                            "",
                        )
                    )
                    continue
                log(f"timing milepace.read and {baseline} on {fmt} {label}, alternating …")
                ours_xml, theirs = alternating_ms(
                    partial(milepace.read, path), partial(fn_base, path), max(n, 7) if label == "1 h" else n
                )
                rows.append((f"{fmt} {label}", "milepace.read", ours_xml, None, ""))
                rows.append((f"{fmt} {label}", baseline, theirs, theirs / ours_xml, goal))

        log("peak memory in fresh processes …")
        base = peak_rss_mib("import pandas", args.procs)
        fit4 = files[("4 h", "fit")]
        reading = peak_rss_mib(f"import pandas, milepace\nmilepace.read({str(fit4)!r})", args.procs)
        log("CLI wall time in fresh processes …")
        try:
            pandas_ms, info_ms = wall_ms_pair(
                [sys.executable, "-c", "import pandas"],
                [*_cli(), "info", str(files[("1 h", "fit")])],
                max(args.procs, 9),
            )
        except subprocess.CalledProcessError as err:
            log(f"`milepace info` failed: {err.stderr.strip()[-300:]}")
            pandas_ms = wall_ms([sys.executable, "-c", "import pandas"], args.procs)
            info_ms = math.nan

    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"pandas {pd.__version__}; load average {os.getloadavg()[0]:.1f}; medians of {n} runs after a warm-up "
        f"(GPX and TCX: milepace and the baseline alternating, {max(n, 7)} runs on 1 h)\n"
    )
    print("| file | reader | wall [ms] | CPU [ms] | milepace is … faster (wall / CPU) | goal |")
    print("|---|---|---:|---:|---:|---|")
    for what, reader, t, ratio, goal in rows:
        ratio_text = f"{ratio.wall_ms:.1f}× / {ratio.cpu_ms:.1f}×" if ratio is not None else "—"
        print(f"| {what} | {reader} | {t.wall_ms:,.1f} | {t.cpu_ms:,.1f} | {ratio_text} | {goal} |")
    print()
    print("| whole process | value | goal |")
    print("|---|---:|---|")
    print(f"| peak RSS, `import pandas` only | {base:.1f} MiB | |")
    print(f"| peak RSS, `milepace.read` 4 h FIT | {reading:.1f} MiB (+{reading - base:.1f}) | ≤ +25 MiB |")
    print(f'| `python -c "import pandas"` | {pandas_ms:.0f} ms | |')
    print(f"| `milepace info` 1 h FIT | {info_ms:.0f} ms ({info_ms / pandas_ms:.2f}×) | ≤ 1.4× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
