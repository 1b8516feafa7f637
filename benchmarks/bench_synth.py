"""How fast the synthetic-session generator and writers are (they build 500-file benchmark blocks).

Run: ``.venv/bin/python benchmarks/bench_synth.py``. Prints the median of
repeated runs for a 1-hour and a 4-hour 1 Hz session: simulate, write FIT
(plain and with compressed timestamps / rotating local types), GPX and TCX.
Goal: simulate + write FIT for 1 hour well under 50 ms.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable

from milepace.synth import simulate, write_fit, write_gpx, write_tcx


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs [ms]."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    write_fit(simulate("easy", seed=0, duration_s=300))  # warm caches (CRC tables)
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}")
    print(
        f"{'session':<12}{'records':>8}{'simulate':>10}{'fit':>8}{'fit c+r':>9}{'sim+fit':>9}{'gpx':>8}{'tcx':>8}   [ms]"
    )
    for label, template, duration in (
        ("1 h easy", "easy", 3600.0),
        ("1 h long", "long", 3600.0),
        ("4 h long", "long", 14400.0),
    ):
        repeat = 21 if duration <= 3600 else 7
        s = simulate(template, seed=1, duration_s=duration)
        sim = median_ms(lambda t=template, d=duration: simulate(t, seed=1, duration_s=d), repeat)
        fit = median_ms(lambda s=s: write_fit(s), repeat)
        fit_cr = median_ms(
            lambda s=s: write_fit(s, compressed_timestamps=True, local_message_types="rotating"), repeat
        )
        both = median_ms(lambda t=template, d=duration: write_fit(simulate(t, seed=1, duration_s=d)), repeat)
        gpx = median_ms(lambda s=s: write_gpx(s), 5)
        tcx = median_ms(lambda s=s: write_tcx(s), 5)
        print(
            f"{label:<12}{len(s.time_s):>8}{sim:>10.1f}{fit:>8.1f}{fit_cr:>9.1f}{both:>9.1f}{gpx:>8.1f}{tcx:>8.1f}"
        )


if __name__ == "__main__":
    main()
