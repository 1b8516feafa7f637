"""Folders, zips and bulk exports: turn what the user points at into activity payloads, in memory.

:func:`expand` walks paths — files, folders (recursively), zips, a Strava bulk
export (folder or zip with ``activities.csv``), a Garmin export (zips of FIT
files nested in a zip) — and yields one :class:`Payload` per activity file:
its source name and its raw bytes (still gzipped when the file is), or the
error that stopped it from being read. Decoding is the registry's job
(:mod:`milepace.io.registry`), so a process pool can decode payloads while
this generator keeps reading.

Safety rules for archives (hostile zips are refused cheaply):

* Members are read into memory with :mod:`zipfile`; nothing is ever
  extracted, and a member name (``../x.fit``, ``/etc/x.gpx``) is only ever a
  label, never a filesystem path.
* Caps, checked first against the sizes the archive declares, then again
  while reading in :data:`CHUNK_BYTES` chunks (declared sizes can lie):
  :data:`MAX_FILE_BYTES` per activity file, :data:`MAX_NESTED_ZIP_BYTES` per
  nested zip, :data:`MAX_TOTAL_BYTES` per archive, :data:`MAX_MEMBERS`
  members per archive, and at most :data:`MAX_RATIO` uncompressed bytes per
  compressed byte for any member over :data:`RATIO_FLOOR_BYTES`. A member
  never costs more than it declares: deflate, bzip2 and LZMA members are
  decompressed here with the output bounded by the declared size (stored
  members are read through :mod:`zipfile` in chunks), and the CRC-32 is
  checked.
* Zips nested one level deep are read (a Garmin export keeps its FIT files in
  ``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_*.zip``); a zip inside
  a nested zip is reported, not opened (:data:`MAX_ZIP_DEPTH`).

Strava bulk exports: ``activities.csv`` maps ``Filename`` (for example
``activities/1234567890.fit.gz``, relative to the CSV's folder) to the
activity's ``Activity ID``, ``Activity Date`` (UTC, written like
``Jan 3, 2024, 6:01:02 AM``), ``Activity Name`` and ``Activity Type``. The
CSV has dozens of columns and repeats some names (``Elapsed Time``,
``Distance``…); only the first column of each name is used. Rows without a
file (manual entries) are ignored; a row naming a file the export does not
hold gives an error payload after the files that are there.
"""

from __future__ import annotations

import bz2
import csv
import io
import lzma
import os
import posixpath
import struct
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO

from ..errors import HostileInput, MilepaceError, ParseError, UnsupportedFormat
from . import inflate
from .sniff import SNIFF_BYTES, activity_suffix, sniff

MIB = 1024 * 1024

MAX_FILE_BYTES = 64 * MIB
"""Largest activity file read into memory, compressed or not [bytes]. A 12-hour
1 Hz GPX with heart rate and cadence is about 20 MB; the largest file in the
project's real-device collection is 4.4 MB uncompressed. Also the cap on
``.gz`` decompression (see :mod:`milepace.io.registry`)."""

MAX_NESTED_ZIP_BYTES = 512 * MIB
"""Largest zip inside a zip that is loaded into memory to be opened [bytes]."""

MAX_TOTAL_BYTES = 4096 * MIB
"""Most uncompressed bytes read out of one archive, nested zips included [bytes]."""

MAX_MEMBERS = 200_000
"""Most entries an archive may list."""

MAX_ZIP_DEPTH = 1
"""How deep zips may nest: 1 reads ``export.zip!inner.zip!run.fit`` but not a zip inside ``inner.zip``."""

CHUNK_BYTES = 1 * MIB
"""Read size while decompressing a member, so a lying size header costs at most one chunk over the cap."""

MAX_RATIO = 200
"""Most uncompressed bytes an archive member (or a gzip stream, see :mod:`milepace.io.registry`) may make
from one compressed byte. The most compressible file of the project's real-device collection (a 300 kB
TCX) reaches 55:1 with deflate and 89:1 with bzip2; a deflate stream of zeros reaches 1,030:1 and bzip2
or LZMA far more, so a bomb of many members each under :data:`MAX_FILE_BYTES` is refused member by member
without being decompressed."""

RATIO_FLOOR_BYTES = 64 * 1024
"""Members (and gzip output) up to this size [bytes] are not held to :data:`MAX_RATIO`."""

SKIP_SUFFIXES = frozenset(
    (
        ".csv .json .txt .md .html .htm .pdf .xml .kml .kmz .tsv .log .ini .yaml .yml .py .r .js .css "
        ".jpg .jpeg .png .gif .heic .webp .bmp .svg .mp4 .mov .avi .m4v .webm .mp3 .wav "
        ".db .sqlite .exe .dll .so .bin .img .ds_store"
    ).split()
)
"""Name endings that are obviously not activity files; skipped in folders and archives without being read."""


@dataclass(frozen=True)
class StravaInfo:
    """What a Strava bulk export's ``activities.csv`` says about one activity.

    Attributes
    ----------
    activity_id
        ``Activity ID``.
    date
        ``Activity Date`` as written in the CSV.
    start_utc
        ``date`` as ISO 8601 UTC (``2024-01-03T06:01:02Z``) when it parses, else ``None``.
    name
        ``Activity Name``.
    type
        ``Activity Type`` (``Run``, ``Ride``, ``Walk``…).
    filename
        ``Filename`` as written in the CSV.
    """

    activity_id: str
    date: str
    start_utc: str | None
    name: str | None
    type: str | None
    filename: str

    @property
    def is_run(self) -> bool:
        """True when Strava calls it a run (``Run``, ``Trail Run``, ``Virtual Run``, ``Treadmill``…)."""
        kind = (self.type or "").lower().replace(" ", "")
        return kind in ("", "run", "trailrun", "virtualrun", "treadmill", "track", "running")

    def as_extra(self) -> dict[str, object]:
        """The entries added to :attr:`ActivityMeta.extra <milepace.activity.ActivityMeta.extra>`."""
        return {
            "strava_activity_id": self.activity_id,
            "strava_activity_date": self.date,
            "strava_start_utc": self.start_utc,
            "strava_activity_name": self.name,
            "strava_activity_type": self.type,
            "strava_filename": self.filename,
            "strava_is_run": self.is_run,
        }


@dataclass(frozen=True)
class Payload:
    """One activity file found by :func:`expand`: its bytes, or why they could not be read.

    Attributes
    ----------
    source
        Path as given, ``folder/sub/run.fit`` for folder members, ``archive.zip!member/path.fit``
        for archive members (``a.zip!inner.zip!run.fit`` when nested).
    data
        The raw content (gzip still compressed), or ``None`` when ``error`` is set.
    error
        What went wrong while finding or reading the bytes.
    strava
        The export's ``activities.csv`` row for this file, when there is one.
    """

    source: str
    data: bytes | None
    error: MilepaceError | None = None
    strava: StravaInfo | None = None


# ----------------------------------------------------------------------------- public entry


def expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Payload]:
    """Yield a :class:`Payload` for every activity file under ``paths``, in order.

    Parameters
    ----------
    paths
        Files (plain, gzipped or zips), folders (walked recursively in sorted
        order, hidden entries and obvious non-activity files skipped), Strava
        or Garmin exports (folders or zips).

    Yields
    ------
    Payload
        One per activity file found; a path that does not exist, an archive
        that cannot be opened, a member that breaks a cap, or a folder or
        archive holding no activity file at all gives a payload with
        ``error`` set, and the walk goes on.
    """
    for path in paths:
        given = os.fspath(path)
        found = 0
        walk = _expand_folder(given) if os.path.isdir(given) else _expand_file(given, strava=None)
        for payload in walk:
            found += 1
            yield payload
        if not found:  # an empty folder or archive is worth saying, not silently nothing
            kind = "folder" if os.path.isdir(given) else "archive"
            yield Payload(
                given, None, UnsupportedFormat(f"the {kind} holds no FIT, GPX or TCX files", path=given)
            )


def read_file_capped(path: str, cap: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole file from disk, refusing one larger than ``cap`` bytes.

    Raises
    ------
    ParseError
        The file is missing, unreadable, or larger than ``cap``.
    """
    try:
        size = os.path.getsize(path)
        if size > cap:
            raise ParseError(
                f"the file is {size / MIB:,.1f} MiB, more than the {cap / MIB:,.0f} MiB an activity file may have",
                path=path,
            )
        with open(path, "rb") as fh:
            # sized to the file: read(cap + 1) allocated 64 MiB for every file and shrank it
            # (1.1 vs 0.3 ms for a 1 MB GPX); a file that grew, or a special file whose size
            # says 0, is read on up to the cap
            data = fh.read(size + 1)
            if len(data) > size:
                data += fh.read(cap + 1 - len(data))
    except FileNotFoundError:
        raise ParseError("no such file", path=path) from None
    except IsADirectoryError:
        raise ParseError("is a folder, not a file", path=path) from None
    except OSError as err:
        raise ParseError(f"could not be read ({err.strerror or err})", path=path) from err
    if len(data) > cap:
        raise ParseError(f"the file grew past the {cap / MIB:,.0f} MiB cap while being read", path=path)
    return data


def open_zip_bytes(data: bytes, source: str) -> zipfile.ZipFile:
    """Open zip content held in memory, turning :mod:`zipfile` failures into :class:`ParseError`."""
    return _open_zip(io.BytesIO(data), source)


def expand_zip(zf: zipfile.ZipFile, source: str, *, depth: int = 0) -> Iterator[Payload]:
    """Yield the activity payloads of an open zip (see the module notes for the caps).

    Parameters
    ----------
    zf
        An open archive (on disk or in memory).
    source
        Name of the archive, used as the prefix of member sources (``source!member``).
    depth
        0 for an archive the user pointed at, 1 for a zip inside it.
    """
    budget = _Budget(MAX_TOTAL_BYTES)
    yield from _expand_zip(zf, source, depth=depth, budget=budget)


# ----------------------------------------------------------------------------- folders and files


def _is_hidden(name: str) -> bool:
    """Dot-files and macOS resource folders; ``.`` and ``..`` are path steps, not hidden names."""
    return (name.startswith(".") and name not in (".", "..")) or name == "__MACOSX"


def _skip_by_name(name: str) -> bool:
    """True for names that are obviously not activity files (checked before reading anything)."""
    lower = name.lower()
    if activity_suffix(lower) or lower.endswith(".zip"):
        return False
    _, ext = posixpath.splitext(lower.removesuffix(".gz"))
    return ext in SKIP_SUFFIXES


def _head_of_file(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES)


def _expand_folder(root: str) -> Iterator[Payload]:
    # List first (cheap), then read in one sorted order: by path components, so "a/1.tcx" comes
    # before "b/2.gpx" and both before "c.fit" exactly as a sorted recursive listing shows them.
    # Strava export folders: an activities.csv whose Filename column is relative to its folder.
    strava_maps: dict[str, dict[str, StravaInfo]] = {}
    found: list[tuple[tuple[str, ...], str]] = []
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        dirnames[:] = [d for d in dirnames if not _is_hidden(d)]
        if "activities.csv" in filenames:
            csv_path = os.path.join(dirpath, "activities.csv")
            try:
                strava_maps[dirpath] = parse_strava_csv(read_file_capped(csv_path), csv_path)
            except MilepaceError as err:
                yield Payload(csv_path, None, err)
        for name in filenames:
            if _is_hidden(name) or _skip_by_name(name):
                continue
            full = os.path.join(dirpath, name)
            if not (activity_suffix(name) or name.lower().endswith(".zip")):
                # unknown ending: read the first bytes and keep it only if it looks like an activity
                try:
                    kind = sniff(_head_of_file(full))
                except OSError:
                    kind = None
                if kind not in ("fit", "gpx", "tcx", "gzip", "zip"):
                    continue
            found.append((tuple(os.path.relpath(full, root).split(os.sep)), full))
    for _, full in sorted(found):
        yield from _expand_file(full, strava=_strava_for(full, strava_maps))
    for walk_error in unreadable:  # a folder the walk could not list is reported, not silently skipped
        where = str(walk_error.filename or root)
        reason = walk_error.strerror or str(walk_error)
        yield Payload(where, None, ParseError(f"folder could not be listed ({reason})", path=where))
    for folder, table in strava_maps.items():
        for key, row in sorted(table.items()):
            if not os.path.isfile(os.path.join(folder, *key.split("/"))):
                yield _missing_from_export(os.path.join(folder, *key.split("/")), row)


def _strava_for(path: str, maps: dict[str, dict[str, StravaInfo]]) -> StravaInfo | None:
    folder = os.path.dirname(path)
    while True:
        table = maps.get(folder)
        if table is not None:
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            return table.get(_norm_member(rel))
        parent = os.path.dirname(folder)
        if parent == folder or not folder:
            return None
        folder = parent


def _expand_file(path: str, *, strava: StravaInfo | None) -> Iterator[Payload]:
    try:
        head = _head_of_file(path)
    except FileNotFoundError:
        yield Payload(path, None, ParseError("no such file or folder", path=path))
        return
    except OSError as err:
        yield Payload(path, None, ParseError(f"could not be read ({err.strerror or err})", path=path))
        return
    if sniff(head) == "zip":
        try:
            zf = _open_zip(path, path)
        except MilepaceError as err:
            yield Payload(path, None, err)
            return
        with zf:
            yield from expand_zip(zf, path)
        return
    try:
        data = read_file_capped(path)
    except MilepaceError as err:
        yield Payload(path, None, err)
        return
    yield Payload(path, data, strava=strava)


# ----------------------------------------------------------------------------- zips


class _Budget:
    """Counts uncompressed bytes read out of one top-level archive."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, n: int, source: str) -> None:
        self.used += n
        if self.used > self.limit:
            raise HostileInput(
                f"the archive expands to more than {self.limit / MIB:,.0f} MiB; reading stopped",
                path=source,
            )


def _open_zip(file: str | IO[bytes], source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except zipfile.BadZipFile as err:
        raise ParseError(f"is not a readable zip archive ({err})", path=source) from err
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as err:
        raise ParseError(
            f"zip archive could not be opened ({type(err).__name__}: {err})", path=source
        ) from err


def _norm_member(name: str) -> str:
    """Member name normalised for matching only (never for the filesystem)."""
    norm = posixpath.normpath(name.replace("\\", "/").lstrip("/"))
    return "" if norm == "." else norm


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, source: str) -> bytes:
    """Decompress one member in :data:`CHUNK_BYTES` chunks, refusing it as soon as it passes ``cap``.

    Raises
    ------
    HostileInput
        The member declares or produces more than ``cap`` bytes.
    ParseError
        The member is damaged, encrypted or uses a compression method zipfile cannot read.
    """
    if info.file_size > cap:
        raise HostileInput(
            f"the archive member declares {info.file_size / MIB:,.1f} MiB uncompressed, "
            f"more than the {cap / MIB:,.0f} MiB cap; not read",
            path=source,
        )
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * info.compress_size:
        raise HostileInput(
            f"the archive member declares {info.file_size:,} bytes from {info.compress_size:,} compressed, "
            f"past the {MAX_RATIO}:1 ratio cap (a ratio no activity file reaches); not read",
            path=source,
        )
    if info.compress_type in _BOUNDED_METHODS and not info.flag_bits & 0x1:
        return _read_bounded(zf, info, source)
    buf = bytearray()
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK_BYTES)
                if not chunk:
                    break
                buf += chunk
                if len(buf) > cap:
                    raise HostileInput(
                        f"the archive member expands past the {cap / MIB:,.0f} MiB cap "
                        f"although it declares {info.file_size:,} bytes; not read",
                        path=source,
                    )
    except MilepaceError:
        raise
    except RuntimeError as err:  # zipfile raises RuntimeError for encrypted members
        raise ParseError(f"the archive member could not be read ({err})", path=source) from err
    except Exception as err:  # BadZipFile (CRC), zlib.error, EOFError, NotImplementedError…
        raise ParseError(
            f"the archive member is damaged and could not be decompressed ({type(err).__name__}: {err})",
            path=source,
        ) from err
    return bytes(buf)


def _raw_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The compressed bytes of one member, found through its local header (PKWARE APPNOTE 4.3.7)."""
    fp = zf.fp
    if fp is None:
        raise ValueError("the archive is closed")
    # zipfile's own readers seek the shared file object under this lock; so do we
    lock: AbstractContextManager[object] = getattr(zf, "_lock", None) or nullcontext()
    with lock:
        fp.seek(info.header_offset)
        head = fp.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("no local file header where the central directory points")
        name_len, extra_len = struct.unpack_from("<HH", head, 26)
        fp.seek(info.header_offset + 30 + name_len + extra_len)
        raw: bytes = fp.read(info.compress_size)
    if len(raw) < info.compress_size:
        raise EOFError("the member's compressed data is cut short")
    return raw


_BOUNDED_METHODS = frozenset({zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
"""Compression methods :func:`_read_bounded` decompresses itself (stored members go through :mod:`zipfile`)."""


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> bytes:
    """Decompress a deflate, bzip2 or LZMA member with its output bounded by its declared size.

    :mod:`zipfile` hands each compressed read to the bzip2 and LZMA
    decompressors without an output limit, and a few bytes of bzip2 expand to
    tens of MiB; here the decompressor itself stops one byte past the declared
    size, so a member that lies about its size costs no more than what it
    declares. Deflate members are inflated in one call the same way, by
    :mod:`milepace.io.inflate` (zlib-ng when installed): on a 1 h GPX member
    that took a third of the time of :mod:`zipfile`'s chunked reads with the
    standard zlib (1.0 vs 2.7–3.6 ms on the block benchmark's export). The CRC-32
    is checked after each.
    """
    limit = info.file_size
    try:
        raw = _raw_member(zf, info)
        decomp: bz2.BZ2Decompressor | lzma.LZMADecompressor | inflate.Decompressor
        if info.compress_type == zipfile.ZIP_DEFLATED:
            decomp, payload = inflate.decompressobj(-15), raw
        elif info.compress_type == zipfile.ZIP_BZIP2:
            decomp, payload = bz2.BZ2Decompressor(), raw
        else:
            # APPNOTE 5.8.8: 2-byte LZMA SDK version, 2-byte properties size, properties, raw LZMA1 data
            # (zipfile decodes the properties with the same lzma helper)
            (props_size,) = struct.unpack_from("<H", raw, 2)
            props = raw[4 : 4 + props_size]
            filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]  # type: ignore[attr-defined]
            decomp, payload = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters), raw[4 + props_size :]
        data = decomp.decompress(payload, max_length=limit + 1)
    except Exception as err:  # BadZipFile, EOFError, OSError (bzip2), LZMAError, struct.error…
        raise ParseError(
            f"the archive member is damaged and could not be decompressed ({type(err).__name__}: {err})",
            path=source,
        ) from err
    if len(data) > limit:
        raise HostileInput(
            f"the archive member expands past the {limit:,} bytes it declares; not read", path=source
        )
    if len(data) < limit or inflate.crc32(data) != info.CRC:
        raise ParseError(
            "the archive member is damaged (its size or CRC does not match the archive's directory)",
            path=source,
        )
    return data


def _member_kind(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """``activity``, ``zip``, ``csv`` or ``None`` (skip) for one archive member."""
    name = info.filename.replace("\\", "/")
    base = name.rsplit("/", 1)[-1]
    if info.is_dir() or not base or _is_hidden(base) or any(_is_hidden(p) for p in name.split("/")[:-1]):
        return None
    lower = base.lower()
    if lower == "activities.csv":
        return "csv"
    if lower.endswith(".zip"):
        return "zip"
    if activity_suffix(lower):
        return "activity"
    if _skip_by_name(lower):
        return None
    # unknown ending: peek at the first bytes (bounded read of a small prefix)
    try:
        with zf.open(info) as fh:
            head = fh.read(SNIFF_BYTES)
    except Exception:
        return "activity"  # let the read report the damage
    kind = sniff(head)
    if kind in ("fit", "gpx", "tcx", "gzip"):
        return "activity"
    if kind == "zip":
        return "zip"
    return None


def _expand_zip(zf: zipfile.ZipFile, prefix: str, *, depth: int, budget: _Budget) -> Iterator[Payload]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        yield Payload(
            prefix,
            None,
            HostileInput(
                f"the archive lists {len(infos):,} entries, more than the {MAX_MEMBERS:,} allowed",
                path=prefix,
            ),
        )
        return
    kinds = [(info, _member_kind(zf, info)) for info in infos]
    wanted = [(info, kind) for info, kind in kinds if kind is not None]
    declared = sum(info.file_size for info, _ in wanted)
    if declared > budget.limit - budget.used:
        yield Payload(
            prefix,
            None,
            HostileInput(
                f"the archive declares {declared / MIB:,.0f} MiB of activity data, more than the "
                f"{budget.limit / MIB:,.0f} MiB cap; not read",
                path=prefix,
            ),
        )
        return

    strava: dict[str, StravaInfo] = {}
    for info, kind in wanted:
        if kind != "csv":
            continue
        source = f"{prefix}!{info.filename}"
        try:
            data = read_member(zf, info, MAX_FILE_BYTES, source)
            budget.spend(len(data), prefix)
            folder = posixpath.dirname(_norm_member(info.filename))
            for rel, row in parse_strava_csv(data, source).items():
                strava[_norm_member(posixpath.join(folder, rel))] = row
        except HostileInput as err:
            yield Payload(source, None, err)
            if err.path == prefix:
                return
        except MilepaceError as err:
            yield Payload(source, None, err)

    for info, kind in sorted(wanted, key=lambda pair: pair[0].filename):
        if kind == "csv":
            continue
        source = f"{prefix}!{info.filename}"
        if kind == "zip":
            if depth >= MAX_ZIP_DEPTH:
                yield Payload(
                    source,
                    None,
                    UnsupportedNesting(
                        f"is a zip nested {depth + 1} levels deep; milepace opens zips nested "
                        f"{MAX_ZIP_DEPTH} level deep only",
                        path=source,
                    ),
                )
                continue
            try:
                data = read_member(zf, info, MAX_NESTED_ZIP_BYTES, source)
                budget.spend(len(data), prefix)
                inner = open_zip_bytes(data, source)
            except HostileInput as err:
                yield Payload(source, None, err)
                if err.path == prefix:
                    return
                continue
            except MilepaceError as err:
                yield Payload(source, None, err)
                continue
            with inner:
                yield from _expand_zip(inner, source, depth=depth + 1, budget=budget)
            del data
            continue
        try:
            data = read_member(zf, info, MAX_FILE_BYTES, source)
            budget.spend(len(data), prefix)
        except HostileInput as err:
            yield Payload(source, None, err)
            if err.path == prefix:  # the whole archive's budget is spent
                return
            continue
        except MilepaceError as err:
            yield Payload(source, None, err)
            continue
        yield Payload(source, data, strava=strava.get(_norm_member(info.filename)))
    present = {_norm_member(info.filename) for info, _ in wanted}
    for key, row in sorted(strava.items()):
        if key not in present:
            yield _missing_from_export(f"{prefix}!{key}", row)


def _missing_from_export(source: str, row: StravaInfo) -> Payload:
    return Payload(
        source,
        None,
        ParseError(
            f"activities.csv lists this file for activity {row.activity_id} ({row.name or 'no name'}) "
            "but the export does not contain it",
            path=source,
        ),
        strava=row,
    )


class UnsupportedNesting(ParseError):
    """A zip nested deeper than :data:`MAX_ZIP_DEPTH`."""


# ----------------------------------------------------------------------------- Strava activities.csv


STRAVA_COLUMNS = ("Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename")
"""Columns of a Strava bulk export's ``activities.csv`` that milepace keeps."""

_STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%b %d, %Y %I:%M:%S %p", "%Y-%m-%d %H:%M:%S")


def _strava_date_utc(text: str) -> str | None:
    # Strava writes the date in UTC, in English, e.g. "Jan 3, 2024, 6:01:02 AM" (some exports use a
    # narrow no-break space before AM/PM).
    clean = " ".join(text.replace("\u202f", " ").split())
    for fmt in _STRAVA_DATE_FORMATS:
        try:
            when = datetime.strptime(clean, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def parse_strava_csv(data: bytes, source: str) -> dict[str, StravaInfo]:
    """Map each ``Filename`` in a Strava ``activities.csv`` (normalised) to its :class:`StravaInfo`.

    Parameters
    ----------
    data
        The CSV bytes (UTF-8, with or without BOM).
    source
        Where it came from, for error messages.

    Raises
    ------
    ParseError
        The CSV lacks the ``Filename`` column or cannot be parsed.
    """
    text = data.decode("utf-8-sig", errors="replace")
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows, None)
        if header is None:
            raise ParseError("activities.csv is empty", path=source)
        position: dict[str, int] = {}
        for i, name in enumerate(header):
            position.setdefault(name.strip(), i)  # first of repeated names
        if "Filename" not in position:
            raise ParseError(
                f"activities.csv needs a 'Filename' column, found {len(header)} columns without it",
                path=source,
            )

        def cell(row: list[str], column: str) -> str | None:
            i = position.get(column)
            if i is None or i >= len(row):
                return None
            value = row[i].strip()
            return value or None

        table: dict[str, StravaInfo] = {}
        for row in rows:
            filename = cell(row, "Filename")
            if not filename:
                continue
            date = cell(row, "Activity Date") or ""
            table[_norm_member(filename)] = StravaInfo(
                activity_id=cell(row, "Activity ID") or "",
                date=date,
                start_utc=_strava_date_utc(date) if date else None,
                name=cell(row, "Activity Name"),
                type=cell(row, "Activity Type"),
                filename=filename,
            )
    except csv.Error as err:
        raise ParseError(f"activities.csv could not be parsed ({err})", path=source) from err
    return table
