"""List a block's activity files without reading them, and load one file's bytes on demand.

A block is given as files, folders (walked recursively, in sorted order),
zips (read member by member in memory: nothing is ever extracted), a Strava
bulk export (``activities.csv`` + ``activities/*``, folder or zip) or a
Garmin export (zips of FITs nested one level inside the export zip).
Listing is cheap — names and the Strava CSV only — so the parent can hand
each :class:`Source` (a small picklable value) to a worker process, which
loads its own bytes with :func:`load_bytes`.

Limits (archives can lie about their sizes, so reads are bounded too):
:data:`MAX_MEMBER_BYTES` per member,
:data:`MAX_ARCHIVE_BYTES` declared in total per archive,
:data:`MAX_MEMBERS` per archive; zips nest one level deep (a Garmin export).
"""

from __future__ import annotations

import csv
import io
import os
import threading
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import xxhash

from ..errors import HostileInput, MilepaceError, ParseError
from .model import FileError

MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""Largest single activity file read [bytes] (the registry's ``MAX_FILE_BYTES``; it caps ``.gz`` expansion)."""
MAX_ARCHIVE_BYTES = 4096 * 1024 * 1024
"""Largest total declared uncompressed size of one archive [bytes]."""
MAX_MEMBERS = 100_000
"""Most members listed from one archive."""

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
SKIP_SUFFIXES = frozenset(
    {".csv", ".json", ".txt", ".md", ".html", ".htm", ".jpg", ".jpeg", ".png", ".gif", ".heic", ".pdf", ".mp4",
     ".mov", ".xml", ".log", ".ini", ".yaml", ".yml", ".pyc", ".py"}
)  # fmt: skip
STRAVA_RUN_TYPES = frozenset(
    {"run", "trailrun", "virtualrun", "treadmill", "treadmillrun", "track", "trackrun", "running"}
)
"""Strava ``Activity Type`` values that are runs, spaces removed (others are listed and skipped unread);
the same set as :attr:`milepace.io.archive.StravaInfo.is_run`."""


@dataclass(frozen=True)
class Source:
    """One activity file of a block, not yet read.

    Attributes
    ----------
    display
        The name shown to the user: the path as given, or ``archive.zip!member`` (nested:
        ``export.zip!inner.zip!member``).
    path
        Filesystem path of the file or of the outermost archive.
    members
        The chain of zip members leading to the file (empty for a plain file).
    strava
        ``id``, ``date``, ``name``, ``type`` from a Strava ``activities.csv``, when listed there.
    """

    display: str
    path: str
    members: tuple[str, ...] = ()
    strava: dict[str, Any] = field(default_factory=dict)

    @property
    def strava_non_run(self) -> bool:
        """True when the Strava CSV says this is not a run."""
        kind = str(self.strava.get("type") or "").lower().replace(" ", "")
        return bool(kind) and kind not in STRAVA_RUN_TYPES


def content_hash(data: bytes) -> str:
    """XXH3-128 hex digest of a file's bytes (the cache and duplicate key).

    A non-cryptographic 128-bit hash: accidental collisions are out of reach
    (~1e-27 for a million files), and it hashes ~25 GB/s where BLAKE2b managed
    ~0.4 GB/s here (0.04 vs 2.3 ms for a 1 MiB GPX, ~2 % of a block's per-file
    work). It is not meant to resist a file crafted to collide with another
    one of the same athlete's files.
    """
    return xxhash.xxh3_128_hexdigest(data)


def source_key(source: Source) -> str | None:
    """Who the file is and which version of it, without reading it (the cache's key index).

    The file's (or its outermost archive's) real path, device and inode, size, and
    modification and change times [ns], then the member chain. Any write to the file
    changes its change time, so a key that matches is the same content as when it was
    keyed; a copy or a move gets a new key and is hashed again (and then found in the
    cache by content). ``None`` when the file cannot be stat'ed, or is a URL.
    """
    if "://" in source.path:
        return None
    try:
        st = os.stat(source.path)
        real = os.path.realpath(source.path)
    except (OSError, ValueError):
        return None
    chain = "!".join(source.members)
    return f"{real}|{st.st_dev}:{st.st_ino}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}|{chain}"


# ---------------------------------------------------------------------- listing
def list_sources(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Source], list[FileError]]:
    """Expand paths into activity sources, in order, with listing errors (missing path, bad zip).

    Parameters
    ----------
    paths
        Files, folders, zips, Strava or Garmin exports.

    Returns
    -------
    (sources, errors)
        Sources in the order given (folders and archives sorted by name);
        a path that cannot be listed becomes a :class:`FileError`.
    """
    sources: list[Source] = []
    errors: list[FileError] = []
    for raw in paths:
        given = os.fspath(raw)
        p = Path(given)
        try:
            if p.is_dir():
                sources.extend(_walk(p, given, errors))
            elif p.is_file():
                if _is_zip_file(p):
                    sources.extend(_list_zip_file(p, given, errors))
                else:
                    sources.append(Source(display=given, path=given))
            else:
                errors.append(FileError(given, "no such file or folder", "FileNotFoundError"))
        except MilepaceError as err:
            errors.append(FileError(given, str(err), type(err).__name__))
        except OSError as err:
            errors.append(FileError(given, f"cannot be listed: {err.strerror or err}", type(err).__name__))
    return sources, errors


def _is_zip_file(p: Path) -> bool:
    if p.suffix.lower() == ".zip":
        return True
    try:
        with p.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _looks_like_activity(name: str, head: bytes | None = None) -> bool:
    """Judge by name, and by the first bytes when the name says nothing."""
    lower = name.lower()
    base = lower.rsplit("/", 1)[-1]
    if not base or base.startswith(".") or "__macosx/" in lower:
        return False
    stem = lower.removesuffix(".gz")
    if stem.endswith(ACTIVITY_SUFFIXES) or lower.endswith(".zip"):
        return True
    suffix = PurePosixPath(stem).suffix
    if suffix in SKIP_SUFFIXES:
        return False
    if head is None:
        return False
    return _sniff(head)


def _sniff(head: bytes) -> bool:
    """FIT header magic, gzip/zip magic, or an XML start."""
    if len(head) >= 12 and head[8:12] == b".FIT":
        return True
    if head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04":
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower()
    return text.startswith((b"<?xml", b"<gpx", b"<trai"))


def _walk(root: Path, given: str, errors: list[FileError]) -> list[Source]:
    """Sources under a folder; a zip in it that cannot be listed becomes an entry of ``errors``."""
    out: list[Source] = []
    strava_roots: dict[Path, dict[str, dict[str, Any]]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        if "activities.csv" in filenames:
            try:
                strava_roots[here] = parse_strava_csv((here / "activities.csv").read_bytes())
            except OSError:
                pass
        for name in sorted(filenames):
            full = here / name
            display = os.path.join(given, os.path.relpath(full, root))
            head: bytes | None = None
            lower = name.lower()
            if not lower.removesuffix(".gz").endswith(ACTIVITY_SUFFIXES) and not lower.endswith(".zip"):
                if name.startswith(".") or PurePosixPath(lower).suffix in SKIP_SUFFIXES:
                    continue
                try:
                    with full.open("rb") as fh:
                        head = fh.read(64)
                except OSError:
                    continue
            if not _looks_like_activity(name, head):
                continue
            strava = _strava_for(full, strava_roots)
            if _is_zip_file(full):
                try:
                    out.extend(_list_zip_file(full, display, errors))
                except MilepaceError as err:  # one bad zip must not cost the folder's other files
                    errors.append(FileError(display, str(err), type(err).__name__))
            else:
                out.append(Source(display=display, path=str(full), strava=strava))
    return out


def _strava_for(full: Path, roots: dict[Path, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    for root, mapping in roots.items():
        try:
            rel = full.relative_to(root).as_posix()
        except ValueError:
            continue
        if rel in mapping:
            return mapping[rel]
    return {}


def _list_zip_file(p: Path, display: str, errors: list[FileError] | None = None) -> list[Source]:
    try:
        with zipfile.ZipFile(p) as zf:
            return _list_zip(zf, display, str(p), (), errors)
    except zipfile.BadZipFile as err:
        raise ParseError(f"is not a readable zip archive ({err})", path=display) from err


def _list_zip(
    zf: zipfile.ZipFile,
    display: str,
    path: str,
    chain: tuple[str, ...],
    errors: list[FileError] | None = None,
) -> list[Source]:
    """Sources in a zip; with ``errors``, a nested zip that cannot be listed is recorded there and the
    archive's other members are still listed (without, it raises)."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise HostileInput(
            f"holds {len(infos):,} members, more than the {MAX_MEMBERS:,} allowed", path=display
        )
    declared = sum(i.file_size for i in infos)
    if declared > MAX_ARCHIVE_BYTES:
        raise HostileInput(
            f"declares {declared / 2**30:.1f} GiB uncompressed, more than the {MAX_ARCHIVE_BYTES / 2**30:.0f} GiB allowed",
            path=display,
        )
    strava_roots: dict[str, dict[str, dict[str, Any]]] = {}
    for info in infos:
        if PurePosixPath(info.filename).name.lower() == "activities.csv":
            try:
                data = _read_member(zf, info, f"{display}!{info.filename}")
                parent = str(PurePosixPath(info.filename).parent)
                strava_roots["" if parent == "." else parent + "/"] = parse_strava_csv(data)
            except MilepaceError:
                pass
    out: list[Source] = []
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        member_display = f"{display}!{name}"
        head: bytes | None = None
        stem = name.lower().removesuffix(".gz")
        if not stem.endswith(ACTIVITY_SUFFIXES) and not name.lower().endswith(".zip"):
            if PurePosixPath(stem).suffix in SKIP_SUFFIXES or PurePosixPath(name).name.startswith("."):
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(64)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error):
                head = b""
        if not _looks_like_activity(name, head):
            continue
        if name.lower().endswith(".zip"):
            try:
                if chain:
                    raise HostileInput(f"nests zips more than one level deep at {name!r}", path=display)
                inner = _read_member(zf, info, member_display)
                try:
                    with zipfile.ZipFile(io.BytesIO(inner)) as inner_zf:
                        out.extend(_list_zip(inner_zf, member_display, path, (*chain, name), errors))
                except zipfile.BadZipFile as err:
                    raise ParseError(f"is not a readable zip archive ({err})", path=member_display) from err
            except MilepaceError as err:
                if errors is None:
                    raise
                errors.append(FileError(member_display, str(err), type(err).__name__))
            continue
        strava: dict[str, Any] = {}
        for prefix, mapping in strava_roots.items():
            if name.startswith(prefix) and name[len(prefix) :] in mapping:
                strava = mapping[name[len(prefix) :]]
                break
        out.append(Source(display=member_display, path=path, members=(*chain, name), strava=strava))
    return out


def parse_strava_csv(data: bytes) -> dict[str, dict[str, Any]]:
    """Map each ``Filename`` of a Strava ``activities.csv`` to its id, date, name and type.

    The export's CSV has many columns, some with repeated names; the first
    column of each name is used.

    >>> csv_text = b'Activity ID,Activity Date,Activity Name,Activity Type,Filename\\n'
    >>> csv_text += b'1,"Mar 2, 2026, 1:01:07 PM",Track,Run,activities/1.fit.gz\\n'
    >>> parse_strava_csv(csv_text)["activities/1.fit.gz"]["type"]
    'Run'
    """
    text = data.decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text))
    try:
        header = next(rows)
    except StopIteration:
        return {}
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name.strip(), i)
    wanted = {"id": "Activity ID", "date": "Activity Date", "name": "Activity Name", "type": "Activity Type"}
    if "Filename" not in index:
        return {}
    fn = index["Filename"]
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        if len(row) <= fn or not row[fn].strip():
            continue
        meta = {
            key: row[index[col]].strip()
            for key, col in wanted.items()
            if col in index and index[col] < len(row)
        }
        out[row[fn].strip().removeprefix("./")] = meta
    return out


# ---------------------------------------------------------------------- loading
def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> bytes:
    """Read one member with the registry's bounds (declared sizes can lie): the size cap, the
    compression-ratio cap, chunked reads, bzip2/LZMA output bounded by the declared size."""
    from ..io.archive import read_member

    return read_member(zf, info, MAX_MEMBER_BYTES, display)


_ZIPS: dict[tuple[str, tuple[str, ...]], zipfile.ZipFile] = {}
_ZIPS_LOCK = threading.RLock()


def _forget_zips_in_child() -> None:
    """In a forked child: drop the parent's open archives (a file offset shared between
    processes would interleave their reads) and take a fresh lock."""
    global _ZIPS_LOCK
    _ZIPS.clear()
    _ZIPS_LOCK = threading.RLock()


os.register_at_fork(after_in_child=_forget_zips_in_child)


def _open_zip(path: str, chain: tuple[str, ...]) -> zipfile.ZipFile:
    """Open (and keep open, per process) the archive holding a member; nested zips are read into memory."""
    key = (path, chain)
    with _ZIPS_LOCK:
        zf = _ZIPS.get(key)
        if zf is None:
            if len(_ZIPS) >= 8:
                for old in list(_ZIPS.values()):
                    old.close()
                _ZIPS.clear()
            if chain:
                outer = _open_zip(path, chain[:-1])
                data = _read_member(outer, outer.getinfo(chain[-1]), f"{path}!{'!'.join(chain)}")
                zf = zipfile.ZipFile(io.BytesIO(data))
            else:
                zf = zipfile.ZipFile(path)
            _ZIPS[key] = zf
        return zf


def load_bytes(source: Source) -> bytes:
    """The file's bytes as stored (still gzipped if it is a ``.gz``).

    Raises
    ------
    ParseError
        The file or member cannot be read; :class:`HostileInput` when it is too large.
    """
    try:
        if not source.members:
            size = os.path.getsize(source.path)
            if size > MAX_MEMBER_BYTES:
                raise HostileInput(
                    f"is {size / 2**20:,.0f} MiB, more than the {MAX_MEMBER_BYTES / 2**20:.0f} MiB allowed",
                    path=source.display,
                )
            with open(source.path, "rb") as fh:
                return fh.read()
        zf = _open_zip(source.path, source.members[:-1])
        return _read_member(zf, zf.getinfo(source.members[-1]), source.display)
    except MilepaceError:
        raise
    except KeyError:
        raise ParseError(
            "archive member has gone missing since the archive was listed", path=source.display
        ) from None
    except (OSError, zipfile.BadZipFile) as err:
        raise ParseError(
            f"cannot be read: {getattr(err, 'strerror', None) or err}", path=source.display
        ) from err
