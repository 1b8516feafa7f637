"""The registry: content sniffing, gzip, dispatch to readers, read/read_bytes/read_many contracts.

Readers are replaced by a recording fake (``fake_readers``) so these tests
check the registry alone: which reader gets which bytes under which source.
"""

from __future__ import annotations

import gzip
import os
import pickle
import time
import tracemalloc
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milepace.activity import Activity
from milepace.errors import (
    DataQualityWarning,
    EmptyActivity,
    HostileInput,
    MilepaceError,
    ParseError,
    UnsupportedFormat,
    UsageError,
)
from milepace.io import ReadResult, archive, read, read_bytes, read_many, registry
from milepace.io.archive import MAX_FILE_BYTES, Payload
from milepace.io.sniff import activity_suffix, sniff
from tests.io._fakes import FIT_HEAD_12, FIT_HEAD_14, GPX, TCX, Calls, install_fake_readers


@pytest.fixture
def fake_readers(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return install_fake_readers(monkeypatch)


# ----------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (FIT_HEAD_14, "fit"),
        (FIT_HEAD_12, "fit"),
        (bytes([13]) + FIT_HEAD_14[1:], None),  # header size must be 12 or 14
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"PK\x03\x04rest", "zip"),
        (b"PK\x05\x06" + b"\0" * 18, "zip"),  # empty zip: only the end-of-central-directory record
        (GPX, "gpx"),
        (b"\xef\xbb\xbf  \n" + GPX, "gpx"),  # BOM and leading whitespace
        (TCX, "tcx"),
        (b'<?xml version="1.0"?><!-- c --><kml xmlns="http://www.opengis.net/kml/2.2"/>', "xml"),
        (b"Activity ID,Activity Date\n", None),
        (b"", None),
    ],
)
def test_sniff(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.fit", "fit"),
        ("A.FIT.GZ", "fit"),
        ("x/y.gpx.gz", "gpx"),
        ("r.TCX", "tcx"),
        ("r.csv", None),
        ("gz", None),
    ],
)
def test_activity_suffix(name: str, expected: str | None) -> None:
    assert activity_suffix(name) == expected


# ----------------------------------------------------------------------------- dispatch


def test_fit_named_file_holding_gpx_goes_to_gpx_reader(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "really_gpx.fit"
    path.write_bytes(GPX)
    act = read(path)
    assert fake_readers == [("gpx", GPX, str(path))]
    assert act.meta.format == "gpx"


def test_file_without_extension_is_sniffed(tmp_path: Path, fake_readers: Calls) -> None:
    path = tmp_path / "download"
    path.write_bytes(FIT_HEAD_14 + b"payload")
    read(path)
    assert [c[0] for c in fake_readers] == ["fit"]


def test_unrecognised_content_with_activity_name_goes_to_that_reader(
    tmp_path: Path, fake_readers: Calls
) -> None:
    # a damaged FIT header: the FIT reader is the one that can say precisely what is wrong
    path = tmp_path / "damaged.fit"
    path.write_bytes(b"\x00" * 40)
    read(path)
    assert [c[0] for c in fake_readers] == ["fit"]


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [("a.fit.gz", FIT_HEAD_14 + b"x", "fit"), ("b.gpx.gz", GPX, "gpx"), ("c.tcx.gz", TCX, "tcx")],
)
def test_gz_is_decompressed_in_memory(
    tmp_path: Path, fake_readers: Calls, name: str, content: bytes, fmt: str
) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(content))
    read(path)
    assert fake_readers == [(fmt, content, str(path))]


def test_concatenated_gzip_members_are_joined(fake_readers: Calls) -> None:
    # RFC 1952 2.2: a gzip file is a series of members; the content is their concatenation
    read_bytes(gzip.compress(GPX[:50]) + gzip.compress(GPX[50:]), "two.gpx.gz")
    assert fake_readers[0][1] == GPX


def test_gz_name_without_gzip_content_that_is_gpx_still_reads(fake_readers: Calls) -> None:
    read_bytes(GPX, "mislabelled.gpx.gz")
    assert [c[0] for c in fake_readers] == ["gpx"]


def test_gz_name_with_garbage_content_is_a_parse_error(fake_readers: Calls) -> None:
    with pytest.raises(ParseError, match=r"named \.gz but is not gzip"):
        read_bytes(b"this is not compressed at all", "run.gz")
    assert fake_readers == []


def test_truncated_gzip_reads_what_decompressed_with_a_warning(fake_readers: Calls) -> None:
    body = GPX * 200
    packed = gzip.compress(body)
    with pytest.warns(DataQualityWarning, match="cut short"):
        act = read_bytes(packed[: len(packed) // 2], "half.gpx.gz")
    got = fake_readers[0][1]
    assert 0 < len(got) < len(body) and body.startswith(got)
    assert any("cut short" in w for w in act.warnings)


def test_gzip_with_nothing_decompressible_is_a_parse_error(fake_readers: Calls) -> None:
    with pytest.raises(ParseError, match="gzip"):
        read_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 30, "junk.fit.gz")


def test_gzip_bomb_is_refused_quickly() -> None:
    # 80 MiB of zeros deflates to well under 1 MiB; the cap for one activity file is 64 MiB
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    bomb = b"".join(comp.compress(chunk) for _ in range(80)) + comp.flush()
    assert len(bomb) < 1 << 20 and MAX_FILE_BYTES < 80 << 20
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(HostileInput, match="cap"):
            read_bytes(bomb, "bomb.fit.gz")
        elapsed_s = time.perf_counter() - started
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed_s < 2.0
    assert peak_bytes < 100 << 20  # issue 8: hostile input refused in under 100 MiB of extra memory


def test_empty_file_is_an_empty_activity_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.fit"
    path.write_bytes(b"")
    with pytest.raises(EmptyActivity, match="empty"):
        read(path)


def test_unknown_content_says_what_it_found(fake_readers: Calls) -> None:
    with pytest.raises(UnsupportedFormat, match=r"not a FIT, GPX or TCX file.*'hello world'"):
        read_bytes(b"hello world", "notes")


def test_other_xml_names_its_root(fake_readers: Calls) -> None:
    with pytest.raises(UnsupportedFormat, match="<kml>"):
        read_bytes(b'<?xml version="1.0"?><kml><Document/></kml>', "route.gpx")


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        read(tmp_path / "nope.fit")


def test_unexpected_reader_exception_is_wrapped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(data: bytes, source: str) -> Activity:
        raise ValueError("index 7 is out of bounds")

    monkeypatch.setattr(registry, "_reader", lambda fmt: broken)
    path = tmp_path / "a.gpx"
    path.write_bytes(GPX)
    with pytest.raises(ParseError, match=r"failed unexpectedly \(ValueError: index 7") as info:
        read(path)
    assert isinstance(info.value, registry.UnexpectedReaderError)
    assert info.value.path == str(path)
    [result] = list(read_many([path]))
    assert result.unexpected and isinstance(result.error, ParseError)


# ----------------------------------------------------------------------------- read_many / read


def test_read_many_never_stops_on_a_bad_file(tmp_path: Path, fake_readers: Calls) -> None:
    good1, bad, good2 = tmp_path / "1.gpx", tmp_path / "2.fit", tmp_path / "3.tcx"
    good1.write_bytes(GPX)
    bad.write_bytes(b"")
    good2.write_bytes(TCX)
    results = list(read_many([good1, tmp_path / "missing.fit", bad, good2]))
    assert [r.source for r in results] == [str(good1), str(tmp_path / "missing.fit"), str(bad), str(good2)]
    assert [r.ok for r in results] == [True, False, False, True]
    assert all(isinstance(r.error, MilepaceError) for r in results if not r.ok)
    assert not any(r.unexpected for r in results)


def test_read_many_collects_warnings_instead_of_printing(fake_readers: Calls) -> None:
    packed = gzip.compress(GPX * 100)
    path_data = packed[: len(packed) // 2]
    payload = Payload("cut.gpx.gz", path_data)
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        result = registry.read_payload(payload)
    assert escaped == []
    assert result.ok and len(result.warnings) == 1 and "cut short" in result.warnings[0]


def test_read_many_accepts_a_single_path(tmp_path: Path, fake_readers: Calls) -> None:
    (tmp_path / "a.gpx").write_bytes(GPX)
    assert [r.ok for r in read_many(tmp_path / "a.gpx")] == [True]


def test_folder_walk_is_recursive_sorted_and_skips_non_activity_files(
    tmp_path: Path, fake_readers: Calls
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "2.gpx").write_bytes(GPX)
    (tmp_path / "a" / "1.tcx").write_bytes(TCX)
    (tmp_path / "a" / "notes.txt").write_text("hello")
    (tmp_path / "a" / "MANIFEST.tsv").write_text("x\ty")
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".hidden" / "3.gpx").write_bytes(GPX)
    (tmp_path / "a" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (tmp_path / "c_no_extension").write_bytes(FIT_HEAD_12 + b"x")  # sniffed: FIT
    (tmp_path / "d_no_extension").write_bytes(b"just some text")  # sniffed: nothing, skipped
    results = list(read_many([tmp_path]))
    expected = [tmp_path / "a" / "1.tcx", tmp_path / "b" / "2.gpx", tmp_path / "c_no_extension"]
    assert [r.source for r in results] == [str(p) for p in expected]
    assert all(r.ok for r in results)


def test_unlistable_subfolder_is_reported(
    tmp_path: Path, fake_readers: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.walk reports folders it cannot list through onerror (tests run as root here, so a
    # chmod 0 folder would still be listable): simulate the denial at the walk
    (tmp_path / "ok.gpx").write_bytes(GPX)
    locked = tmp_path / "locked"
    locked.mkdir()
    real_walk = os.walk

    def walk(top: str, onerror: Callable[[OSError], None] | None = None) -> Iterator[Any]:
        for dirpath, dirnames, filenames in real_walk(top):
            if dirpath == str(locked):
                assert onerror is not None
                onerror(PermissionError(13, "Permission denied", dirpath))
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(archive.os, "walk", walk)
    results = list(read_many([tmp_path]))
    assert [r.ok for r in results] == [True, False]
    assert results[1].source == str(locked)
    assert str(results[1].error) == "folder could not be listed (Permission denied)"


def test_read_of_folder_with_one_activity_returns_it(tmp_path: Path, fake_readers: Calls) -> None:
    (tmp_path / "only.gpx").write_bytes(GPX)
    (tmp_path / "readme.md").write_text("x")
    assert read(tmp_path).meta.source == str(tmp_path / "only.gpx")


def test_read_of_folder_with_several_activities_points_to_read_many(
    tmp_path: Path, fake_readers: Calls
) -> None:
    (tmp_path / "1.gpx").write_bytes(GPX)
    (tmp_path / "2.gpx").write_bytes(GPX)
    with pytest.raises(UsageError, match="read_many"):
        read(tmp_path)


def test_folder_without_activities_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("x")
    with pytest.raises(UnsupportedFormat, match="folder holds no FIT, GPX or TCX"):
        read(tmp_path)
    [result] = list(read_many([tmp_path]))
    assert result.source == str(tmp_path) and isinstance(result.error, UnsupportedFormat)


def test_read_result_is_picklable_for_process_pools(fake_readers: Calls) -> None:
    result = registry.read_payload(Payload("x.gpx", GPX))
    back = pickle.loads(pickle.dumps(result))
    assert isinstance(back, ReadResult) and back.source == "x.gpx" and back.ok
    error = registry.read_payload(Payload("y.fit", b""))
    assert isinstance(pickle.loads(pickle.dumps(error)).error, EmptyActivity)


# ----------------------------------------------------------------------------- property: only MilepaceError


PREFIXES = [
    b"",
    FIT_HEAD_14,
    FIT_HEAD_12,
    b"\x1f\x8b\x08\x00",
    b"PK\x03\x04",
    b"PK\x05\x06",
    GPX[:60],
    TCX[:60],
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=300),
    name=st.sampled_from(["x.fit", "x.gpx.gz", "x.tcx", "x.zip", "x", "x.gz"]),
)
def test_arbitrary_content_gives_an_activity_or_a_milepace_error(
    prefix: bytes, body: bytes, name: str
) -> None:
    # the real readers: whatever the bytes, the only exceptions allowed out are MilepaceError subclasses,
    # and never a reader crash that the registry had to wrap
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            read_bytes(prefix + body, name)
        except registry.UnexpectedReaderError as err:
            if isinstance(err.__cause__, ModuleNotFoundError):
                pytest.skip(f"reader not written yet: {err.__cause__.name}")
            raise
        except MilepaceError:
            pass
