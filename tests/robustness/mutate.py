"""Mutations of valid files for fuzzing the readers (shared by ``test_fuzz.py`` and ``benchmarks/fuzz_long.py``).

A case is a valid seed file (FIT, GPX, TCX, gzip or zip of one, made by
:mod:`milepace.synth`) and a short list of mutations applied in order:

``flip``       one bit flipped at a position
``set``        one byte set to a value (0x00, 0xFF, or anything)
``truncate``   the file cut at a position
``insert``     bytes inserted at a position
``delete``     a chunk removed
``duplicate``  a chunk copied right after itself

Positions are fractions in [0, 1) of the current length, so a mutation list
means the same thing on every seed.
"""

from __future__ import annotations

import functools
import gzip
import io
import zipfile
from dataclasses import dataclass

from milepace.synth import simulate, write_fit, write_gpx, write_tcx

Mutation = tuple[str, float, int]
"""(kind, position as a fraction of the length, argument: bit, byte value, length or count)."""

KINDS = ("flip", "set", "truncate", "insert", "delete", "duplicate")


@functools.cache
def seeds() -> dict[str, bytes]:
    """Small valid files to mutate (about 100 records each, so a damaged one decodes in milliseconds)."""
    s = simulate("easy", seed=11, duration_s=90.0)
    treadmill = simulate("easy", seed=12, treadmill=True, duration_s=60.0)
    fit = write_fit(s)
    out = {
        "fit": fit,
        "fit_compressed_ts": write_fit(s, compressed_timestamps=True, developer_fields=True),
        "fit_big_endian_hr": write_fit(s, big_endian=True, hr_messages=True, local_message_types="rotating"),
        "fit_treadmill": write_fit(treadmill),
        "gpx": write_gpx(s),
        "gpx10": write_gpx(s, version="1.0"),
        "tcx": write_tcx(s),
        "fit.gz": gzip.compress(fit, mtime=0),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("run.fit", fit)
    out["zip"] = buf.getvalue()
    return out


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    """Apply ``mutations`` in order (see the module notes)."""
    buf = bytearray(data)
    for kind, where, arg in mutations:
        n = len(buf)
        i = min(int(where * n), max(n - 1, 0))
        if kind == "flip" and n:
            buf[i] ^= 1 << (arg % 8)
        elif kind == "set" and n:
            buf[i] = arg % 256
        elif kind == "truncate":
            del buf[i:]
        elif kind == "insert":
            buf[i:i] = bytes([(arg * 37 + k) % 256 for k in range(1 + arg % 16)])
        elif kind == "delete":
            del buf[i : i + 1 + arg % 64]
        elif kind == "duplicate":
            buf[i:i] = buf[i : i + 1 + arg % 256]
    return bytes(buf)


@dataclass
class Outcome:
    """What one case did: ``ok`` (an Activity), ``error`` (a MilepaceError) or ``bug`` (anything else)."""

    status: str
    detail: str = ""


def run_case(data: bytes, name: str) -> Outcome:
    """Read ``data`` with :func:`milepace.read_bytes`; only MilepaceError may come out (warnings are fine)."""
    import warnings

    import milepace
    from milepace.activity import validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            act = milepace.read_bytes(data, name)
        except milepace.MilepaceError as err:
            if type(err).__name__ == "UnexpectedReaderError":  # a reader bug the registry wrapped
                return Outcome("bug", f"{err} <- {type(err.__cause__).__name__}")
            return Outcome("error", type(err).__name__)
        except Exception as err:  # the bug the fuzzing looks for
            return Outcome("bug", f"{type(err).__name__}: {err}")
    try:
        validate(act)
    except AssertionError as err:
        return Outcome("bug", f"invalid activity: {err}")
    return Outcome("ok")
