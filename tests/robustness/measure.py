"""Measure what reading one input costs, in a fresh process: wall time, extra peak memory, files touched.

Used by ``test_hostile.py`` and ``benchmarks/fuzz_long.py``. Run as::

    python -m tests.robustness.measure INPUT [INPUT ...]

It prints one JSON object per input (``path``, ``seconds``, ``extra_peak_mib``,
``outcome``: ``ok``/``error``, ``error_type``, ``error``, ``results``).

How memory is measured: before each input the process's peak resident set
(``VmHWM`` in ``/proc/self/status``) is reset to the current resident set by
writing ``5`` to ``/proc/self/clear_refs`` (Linux ≥ 4.0, ``proc(5)``); after
the read, ``VmHWM - VmRSS(before)`` is the extra peak the read needed. Where
the reset is not allowed, ``ru_maxrss`` growth is used instead (a lower bound
for inputs after the first). The address space is capped with
``RLIMIT_AS`` (current size + 1 GiB) so a runaway read fails with
``MemoryError`` instead of taking the machine down. Each input is read in a
child forked from the warmed-up process, so one input's memory cannot
affect the next one's measure.

Every reader is warmed up first (FIT, GPX, TCX, gzip and zip of each), so
lazy imports are not counted as the input's cost.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
import warnings
import zipfile
from typing import Any

KIB = 1024


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def cap_address_space(extra_bytes: int = 1 << 30) -> None:
    """Limit the address space to its current size plus ``extra_bytes`` (a safety net, not the measure)."""
    vm_kib = _status_kib("VmSize")
    if vm_kib is None:
        return
    limit = vm_kib * KIB + extra_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def warm_up() -> None:
    """Read one small file of every kind so imports and caches are paid before measuring."""
    import gzip

    import milepace
    from milepace.synth import simulate, write_fit, write_gpx, write_tcx

    s = simulate("easy", seed=1, duration_s=120.0)
    files = {"w.fit": write_fit(s), "w.gpx": write_gpx(s), "w.tcx": write_tcx(s)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, data in files.items():
            milepace.read_bytes(data, name)
            milepace.read_bytes(gzip.compress(data), name + ".gz")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(name, data)
            milepace.read_bytes(buf.getvalue(), name + ".zip")
        for bad in (
            b"",
            b"<gpx><!ENTITY x 'y'></gpx>",
            b"PK\x03\x04junk",
            b"\x1f\x8bjunk",
            b"\x0e\x10junk.FIT",
        ):
            try:
                milepace.read_bytes(bad, "bad")
            except milepace.MilepaceError:
                pass
    list(milepace.read_many([]))


def measure(path: str) -> dict[str, Any]:
    """Read ``path`` with :func:`milepace.read_many` and report what it cost."""
    import milepace

    reset = _reset_peak()
    before_kib = _status_kib("VmRSS") or 0
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    outcome: dict[str, Any] = {"path": path}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = list(milepace.read_many(path))
        outcome["results"] = [
            {
                "source": r.source,
                "ok": r.ok,
                "error_type": type(r.error).__name__ if r.error is not None else None,
                "error": str(r.error) if r.error is not None else None,
                "records": len(r.activity.records) if r.activity is not None else 0,
                "unexpected": r.unexpected,
            }
            for r in results
        ]
        del results
        outcome["outcome"] = "ok"
    except MemoryError:
        outcome["outcome"] = "memory_error"
    except BaseException as err:  # report, never hide: the test decides
        outcome["outcome"] = "exception"
        outcome["error_type"] = type(err).__name__
        outcome["error"] = str(err)[:300]
    outcome["seconds"] = time.perf_counter() - t0
    if reset:
        peak_kib = _status_kib("VmHWM") or 0
        outcome["extra_peak_mib"] = max(0, peak_kib - before_kib) / KIB
        outcome["memory_basis"] = "VmHWM reset"
    else:
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - maxrss_before
        outcome["extra_peak_mib"] = max(0, grown) / KIB
        outcome["memory_basis"] = "ru_maxrss growth (lower bound)"
    return outcome


def measure_in_child(path: str) -> dict[str, Any]:
    """:func:`measure` in a forked child (its own address-space cap; its memory is gone when it exits)."""
    if not hasattr(os, "fork"):
        return measure(path)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        code = 0
        try:
            cap_address_space()
            payload = json.dumps(measure(path)).encode()
            with os.fdopen(wfd, "wb") as out:
                out.write(payload)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as inp:
        payload = inp.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        return {
            "path": path,
            "outcome": "crashed",
            "status": status,
            "seconds": float("nan"),
            "extra_peak_mib": float("nan"),
        }
    result: dict[str, Any] = json.loads(payload)
    return result


def main(argv: list[str]) -> int:
    warm_up()
    for path in argv:
        print(json.dumps(measure_in_child(path)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
