"""Deflate and gzip decompression and CRC-32 for the readers: zlib-ng when it is installed, else zlib.

``zlib-ng`` (the ``zlib_ng`` package, a dependency) is a drop-in build of the
zlib API on the zlib-ng library, whose inflate and CRC-32 use SIMD. On the
block benchmark's files it inflated a gzipped 1 h TCX about 3x faster than the
standard :mod:`zlib` (1.1 vs 3.3 ms) and a deflated 850 kB GPX zip member
about 2x faster, which is a few percent of a whole block run. The streams and
results are the same (both implement RFC 1950-1952); only the speed differs.
Without the package (a platform without a wheel) the standard :mod:`zlib` is
used and nothing else changes.

>>> import gzip
>>> decompressobj(31).decompress(gzip.compress(b"run"))
b'run'
>>> crc32(b"123456789") == 0xCBF43926  # the CRC catalogue's check value for CRC-32/ISO-HDLC
True
"""

from __future__ import annotations

import zlib
from types import ModuleType
from typing import Protocol

__all__ = ["IMPLEMENTATION", "Decompressor", "ZlibError", "crc32", "decompressobj"]


def _load() -> ModuleType:
    try:
        from zlib_ng import zlib_ng
    except ImportError:  # no wheel for this platform: the standard library does the same, slower
        return zlib
    return zlib_ng


_z: ModuleType = _load()

IMPLEMENTATION: str = "zlib-ng" if _z is not zlib else "zlib"
"""Which library decompresses: ``zlib-ng`` or ``zlib``."""

ZlibError: tuple[type[Exception], ...] = tuple(dict.fromkeys((zlib.error, _z.error)))
"""The exception(s) a damaged stream raises (catch with ``except ZlibError``)."""


class Decompressor(Protocol):
    """What :func:`decompressobj` returns (the :mod:`zlib` decompression object's API)."""

    @property
    def unconsumed_tail(self) -> bytes: ...

    @property
    def unused_data(self) -> bytes: ...

    @property
    def eof(self) -> bool: ...

    def decompress(self, data: bytes, /, max_length: int = 0) -> bytes: ...

    def flush(self, length: int = ..., /) -> bytes: ...


def decompressobj(wbits: int) -> Decompressor:
    """A decompression object, as :func:`zlib.decompressobj` (``wbits`` 31: gzip, -15: raw deflate)."""
    obj: Decompressor = _z.decompressobj(wbits)
    return obj


def crc32(data: bytes, value: int = 0) -> int:
    """CRC-32 of ``data`` (continuing from ``value``), as :func:`zlib.crc32`."""
    result: int = _z.crc32(data, value)
    return result
