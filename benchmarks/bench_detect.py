"""Time ``milepace.analyze`` on a 1 h and a 4 h session against fitdecode reading the same FIT file.

Run: ``.venv/bin/python benchmarks/bench_detect.py``. Sessions come from
:func:`milepace.synth.simulate`; the activity is read once, then the
detection alone (``analyze`` on the Activity) and fitdecode's full pass over
the file are each timed several times and their medians compared (wall
clock; the analysis is also timed in CPU time, which other processes on a
shared machine do not inflate).

It then times ``analyze`` over the training-block mix of
``benchmarks/bench_block.py`` (one-hour easy, track 6x800, easy + strides,
threshold 2x2 mi, long and fartlek sessions, a third each FIT/GPX/TCX, every
fifth smart-recorded), each file freshly read as the block does, and prints
the mean CPU per file (issue 7 asks for at most 12 ms). ``--block 0`` skips it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

import fitdecode

from milepace.analysis import analyze
from milepace.io import read_bytes
from milepace.synth import simulate, write_fit, write_gpx, write_tcx

BLOCK_ROTATION = ("easy", "track_6x800", "easy_strides", "threshold_2x2mi", "long", "fartlek")
"""The session rotation of ``benchmarks/bench_block.py``."""


def _median_s(fn: object, repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t = clock()
        fn()  # type: ignore[operator]
        times.append(clock() - t)
    return statistics.median(times)


def _fitdecode_pass(data: bytes) -> int:
    n = 0
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                n += 1
    return n


def block_mix_cpu_ms(n_files: int, repeat: int = 2) -> float:
    """Mean ``analyze`` CPU per file over ``n_files`` sessions of the block mix [ms].

    Each timing gets a freshly read Activity (as in the block, where every
    file is read once), so first-access costs on its frames are counted.
    """
    writers = (("fit", write_fit), ("gpx", write_gpx), ("tcx", write_tcx))
    files = []
    for i in range(n_files):
        session = simulate(
            BLOCK_ROTATION[i % len(BLOCK_ROTATION)],
            seed=i,
            goal_mile_s=330.0,
            start=1_767_600_000.0 + i * 86_400.0,
            duration_s=3600.0,
            recording="smart" if i % 5 == 0 else "every_second",
        )
        ext, write = writers[i % 3]
        files.append((f"{i}.{ext}", write(session)))
    analyze(read_bytes(files[0][1], files[0][0]), goal_mile=330.0)  # warm imports and caches
    times = []
    for _ in range(repeat):
        for name, data in files:
            activity = read_bytes(data, name)
            t = time.process_time()
            analyze(activity, goal_mile=330.0)
            times.append(time.process_time() - t)
    return 1000 * statistics.mean(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=36, help="block-mix sessions to time (0: skip)")
    args = parser.parse_args(argv)
    for label, template, duration_s in (("1 h", "fartlek", 3600.0), ("4 h", "long", 4 * 3600.0)):
        data = write_fit(simulate(template, seed=7, goal_mile_s=330.0, duration_s=duration_s, laps="none"))
        activity = read_bytes(data, f"{label}.fit")
        t_detect = _median_s(lambda a=activity: analyze(a, goal_mile=330.0), 7)
        # CPU time of this process: the wall clock also counts other processes on a shared machine
        cpu_detect = _median_s(lambda a=activity: analyze(a, goal_mile=330.0), 7, time.process_time)
        t_read_fast = _median_s(lambda d=data, lab=label: read_bytes(d, f"{lab}.fit"), 5)
        t_fitdecode = _median_s(lambda d=data: _fitdecode_pass(d), 3)
        print(
            f"{label}: {len(activity.records):,} records | analyze (detection only) {1000 * t_detect:.1f} ms"
            f" (CPU {1000 * cpu_detect:.1f} ms)"
            f" | milepace.read_bytes {1000 * t_read_fast:.1f} ms | fitdecode pass {1000 * t_fitdecode:.1f} ms"
            f" | fitdecode / analyze = {t_fitdecode / t_detect:.1f}x"
        )
    if args.block > 0:
        print(
            f"block mix: {args.block} one-hour sessions (FIT/GPX/TCX), each freshly read:"
            f" mean analyze CPU {block_mix_cpu_ms(args.block):.1f} ms per file (goal <= 12 ms)"
        )


if __name__ == "__main__":
    main()
