"""Time ``milepace.analyze`` on a 1 h and a 4 h session against fitdecode reading the same FIT file.

Run: ``.venv/bin/python benchmarks/bench_detect.py``. Sessions come from
:func:`milepace.synth.simulate`; the activity is read once, then the
detection alone (``analyze`` on the Activity) and fitdecode's full pass over
the file are each timed several times and their medians compared (wall
clock; the analysis is also timed in CPU time, which other processes on a
shared machine do not inflate).
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import fitdecode

from milepace.analysis import analyze
from milepace.io import read_bytes
from milepace.synth import simulate, write_fit


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


def main() -> None:
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


if __name__ == "__main__":
    main()
