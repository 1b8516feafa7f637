"""milepace.io.inflate: zlib-ng when installed, the standard zlib otherwise, with the same results."""

from __future__ import annotations

import gzip
import importlib
import io
import sys
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from types import ModuleType

import pytest

import milepace
from milepace.errors import ParseError
from milepace.io import inflate, registry
from milepace.io.archive import read_member

# a run-like text with structure and noise, so deflate uses both literals and matches
_TEXT = b"".join(
    b'<trkpt lat="45.%06d"><ele>%d.%d</ele></trkpt>\n' % (i * 7919 % 10**6, i % 97, i % 10)
    for i in range(5000)
)


@pytest.fixture(params=["zlib-ng", "zlib"])
def implementation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with each implementation (zlib-ng is skipped where it is not installed)."""
    if request.param == "zlib-ng":
        ng = pytest.importorskip("zlib_ng.zlib_ng")
        monkeypatch.setattr(inflate, "_z", ng)
    else:
        monkeypatch.setattr(inflate, "_z", zlib)
    yield request.param


def test_crc32_check_value(implementation: str) -> None:
    # the CRC catalogue's check value for CRC-32/ISO-HDLC (the zip and gzip CRC): crc("123456789") = 0xCBF43926
    assert inflate.crc32(b"123456789") == 0xCBF43926
    assert inflate.crc32(b"56789", inflate.crc32(b"1234")) == 0xCBF43926  # continued from a running value


def test_gzip_and_raw_deflate_round_trip(implementation: str) -> None:
    assert inflate.decompressobj(31).decompress(gzip.compress(_TEXT)) == _TEXT
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = comp.compress(_TEXT) + comp.flush()
    obj = inflate.decompressobj(-15)
    assert obj.decompress(raw, max_length=1000) == _TEXT[:1000]  # bounded output, the rest kept
    assert obj.unconsumed_tail


def test_damaged_stream_raises_a_zlib_error(implementation: str) -> None:
    data = bytearray(gzip.compress(_TEXT))
    data[20:28] = b"\xff" * 8
    with pytest.raises(inflate.ZlibError):
        inflate.decompressobj(31).decompress(bytes(data))


def test_gunzip_and_zip_members_read_the_same_with_either(implementation: str) -> None:
    out, notes = registry.gunzip(gzip.compress(_TEXT), "x.gpx.gz")
    assert out == _TEXT and notes == []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", _TEXT)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        info = zf.getinfo("a.txt")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert read_member(zf, info, 1 << 24, "a.zip!a.txt") == _TEXT


def test_a_zip_member_whose_crc_does_not_match_is_refused(implementation: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("run.gpx", _TEXT)
    data = bytearray(buf.getvalue())
    cd = data.find(b"PK\x01\x02")
    data[cd + 16] ^= 0x01  # central directory CRC-32 (APPNOTE 4.3.12: offset 16)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        with pytest.raises(ParseError, match="size or CRC does not match"):
            read_member(zf, zf.getinfo("run.gpx"), 1 << 24, "a.zip!run.gpx")


def test_without_zlib_ng_the_standard_zlib_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zlib_ng", None)  # makes ``import zlib_ng`` raise ImportError
    fresh: ModuleType = importlib.reload(inflate)
    try:
        assert fresh.IMPLEMENTATION == "zlib"
        assert fresh.ZlibError == (zlib.error,)
        assert fresh.decompressobj(31).decompress(gzip.compress(b"run")) == b"run"
    finally:
        monkeypatch.delitem(sys.modules, "zlib_ng")
        importlib.reload(inflate)


def test_a_gzipped_activity_reads_the_same_with_either(implementation: str) -> None:
    from milepace.synth import simulate, write_gpx

    gpx = write_gpx(simulate("easy_strides", seed=3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = milepace.read_bytes(gpx, "run.gpx")
        zipped = milepace.read_bytes(gzip.compress(gpx), "run.gpx.gz")
    assert plain.records.equals(zipped.records)
