"""Archive and gzip limits found by the robustness suite: ratio caps, bounded bzip2/LZMA, no retained bytes.

* A zip member over 64 KiB may declare at most 200 uncompressed bytes per compressed byte (the
  real-device collection's most compressible file reaches 55:1 deflated, 89:1 with bzip2);
* a deflate, bzip2 or LZMA member is decompressed with its output bounded by its declared size
  (zipfile itself decompresses each read of bzip2 and LZMA without a limit);
* a gzip stream is held to the same ratio as it decompresses;
* a batch over many unreadable files does not keep their bytes alive through the errors' tracebacks.
"""

from __future__ import annotations

import gzip
import io
import struct
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import pytest

import milepace
from milepace.errors import HostileInput, ParseError
from tests.robustness import badfiles as bf

MIB = 1 << 20
MAX_RATIO = 200  # milepace.io.archive.MAX_RATIO, written out so this file also runs against older code


def _zip(name: str, data: bytes, method: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def _declare_size(zip_bytes: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size in the central directory entry (APPNOTE 4.3.12: offset 24)."""
    data = bytearray(zip_bytes)
    cd = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, size)
    return bytes(data)


def _results(data: bytes, name: str, tmp_path: Path) -> list[milepace.ReadResult]:
    path = tmp_path / name
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(milepace.read_many(path))


def test_members_more_compressed_than_any_activity_file_are_not_decompressed(tmp_path: Path) -> None:
    # 8 MiB of zeros deflate to about 8 kB (1,000:1); each member is under the 64 MiB per-file cap
    data = bf.bomb_zip(16 * MIB, members=30)
    started = time.perf_counter()
    results = _results(data, "many.zip", tmp_path)
    assert time.perf_counter() - started < 2.0
    assert len(results) == 30
    assert all(isinstance(r.error, HostileInput) for r in results)
    assert f"{MAX_RATIO}:1" in str(results[0].error)


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_real_members_read_with_every_zip_method(method: int, tmp_path: Path) -> None:
    for name, content in (("run.fit", bf.good_fit()), ("run.tcx", bf.good_tcx())):
        (result,) = _results(_zip(name, content, method), f"{method}.zip", tmp_path)
        assert result.ok, result.error
        assert result.activity is not None and len(result.activity.records) == bf.n_records()


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compressed_members_cannot_expand_past_their_declared_size(method: int, tmp_path: Path) -> None:
    # a member of 16 MiB of zeros that declares 1,000 bytes: refused after decompressing 1,001 bytes
    lying = _declare_size(_zip("liar.fit", bytes(16 * MIB), method), 1000)
    tracemalloc.start()
    try:
        (result,) = _results(lying, "liar.zip", tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result.error, HostileInput)
    assert "expands past the 1,000 bytes it declares" in str(result.error)
    assert peak < 12 * MIB  # LZMA's own dictionary is 8 MiB; the 16 MiB of output never exist


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_damaged_compressed_members_are_parse_errors(method: int, tmp_path: Path) -> None:
    data = bytearray(_zip("run.fit", bf.good_fit(), method))
    body = data.find(b"run.fit") + len("run.fit") + 40  # inside the compressed data
    data[body : body + 8] = b"\x00" * 8
    (result,) = _results(bytes(data), "damaged.zip", tmp_path)
    assert isinstance(result.error, ParseError) and not isinstance(result.error, HostileInput)
    assert "damaged" in str(result.error)


def test_gzip_more_compressed_than_any_activity_file_is_refused_early() -> None:
    bomb = gzip.compress(bytes(32 * MIB), compresslevel=9)  # about 32 kB: 1,000:1
    tracemalloc.start()
    try:
        with pytest.raises(HostileInput, match=f"past the {MAX_RATIO}:1 ratio cap"):
            milepace.read_bytes(bomb, "bomb.fit.gz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB  # stopped after the first MiB chunk, not at the 64 MiB cap


def test_real_gzipped_files_are_not_held_to_the_ratio_wrongly() -> None:
    for name, content in (
        ("run.fit.gz", bf.good_fit()),
        ("run.gpx.gz", bf.good_gpx()),
        ("run.tcx.gz", bf.good_tcx()),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            act = milepace.read_bytes(gzip.compress(content, compresslevel=9), name)
        assert len(act.records) == bf.n_records()


def test_unreadable_files_are_not_kept_in_memory_by_their_errors(tmp_path: Path) -> None:
    # 12 files of 4 MiB that every reader refuses: the results must not hold 48 MiB of them
    for i in range(12):
        (tmp_path / f"bad_{i:02d}.fit").write_bytes(bytes([i + 1]) * (4 * MIB))
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = list(milepace.read_many(tmp_path))
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(results) == 12 and not any(r.ok for r in results)
    assert all(isinstance(r.error, ParseError) for r in results)
    assert current < 8 * MIB, f"{current / MIB:.0f} MiB still held by {len(results)} error results"
