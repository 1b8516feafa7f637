"""Blocks beyond the local disk: fsspec URLs, manifests, and per-file work that fetches its own bytes.

* **URLs.** An input may be an fsspec URL — ``s3://bucket/athlete/run.fit``,
  ``gs://…``, ``memory://…``, ``file:///…`` — naming a file, a zip (a Strava
  or Garmin export) or a folder. A URL naming an activity file
  (``.fit``/``.gpx``/``.tcx``, optionally ``.gz``) is *not* touched while
  listing: the worker that analyses it fetches it. A URL folder is listed
  once (``find``) and judged by names only (no object is opened to sniff it);
  an ``activities.csv`` in it is read. Credentials come from the filesystem's
  own configuration on each worker (environment, instance role, config file).
* **Manifests.** A CSV with a ``path`` column (and any others, e.g.
  ``athlete``) lists the files, so nothing ever lists a million-object bucket
  serially: listing a manifest is reading one CSV. Relative paths resolve
  against the manifest's own folder. :func:`read_manifest`.
* **Worker-side reads.** :func:`fetch_and_analyze` reads the bytes, hashes
  them, looks the hash up in the result cache, analyses on a miss and stores
  the result — all on the worker. The parent only lists (and looks up files
  it has seen unchanged, by :func:`~milepace.block.sources.source_key`), then
  deduplicates by the hashes that come back (the first file listed is kept)
  and assembles the report with :func:`milepace.block.run.assemble`.
  :func:`fan_out` is that loop, and every block runs it: the local process
  pool of :func:`milepace.block.run.block` as well as :func:`block_remote`,
  which ``milepace.block(..., engine="dask")`` and any URL or manifest input use.

The result cache must be reachable by the workers to be shared: on one
machine (a ``LocalCluster``) it is; on a cluster, pass a ``cache_dir`` on a
shared filesystem, or each worker keeps its own.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import posixpath
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import HostileInput, MilepaceError, ParseError, UsageError
from .cache import ResultCache
from .checks import CheckConfig
from .engine import Engine, get_engine
from .files import analyze_bytes
from .model import BlockReport, FileError, FileResult, SkippedFile
from .sessions import SessionRules
from .sources import (
    ACTIVITY_SUFFIXES,
    MAX_MEMBER_BYTES,
    Source,
    _list_zip,
    _read_member,
    content_hash,
    list_sources,
    load_bytes,
    parse_strava_csv,
    source_key,
)

ProgressCallback = Any  # ``progress(done, total, source)``, as in :mod:`milepace.block.run`

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")

MANIFEST_PATH_COLUMN = "path"
"""The manifest column holding each file's path or URL."""
MANIFEST_GOAL_COLUMN = "goal_mile"
"""Optional manifest column: the athlete's goal mile (``M:SS`` or seconds), overriding the run's goal."""


def is_url(path: str | os.PathLike[str]) -> bool:
    """True for ``protocol://…`` (fsspec) inputs; plain and Windows paths are not URLs.

    >>> is_url("s3://bucket/run.fit"), is_url("memory://x/a.gpx"), is_url("runs/a.fit")
    (True, True, False)
    """
    return bool(_URL.match(os.fspath(path)))


def _fs(url: str) -> tuple[Any, str]:
    """The fsspec filesystem and in-filesystem path of a URL; :class:`UsageError` (no URL in it) if none."""
    try:
        import fsspec
    except ImportError as err:
        raise UsageError("URLs need fsspec, which is not installed (pip install 'milepace[dask]')") from err
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as err:  # e.g. s3:// without s3fs
        raise UsageError(f"this kind of URL needs a package that is not installed ({err})") from None
    except (ValueError, TypeError) as err:
        raise UsageError(f"is not a URL fsspec can open ({err})") from None


# ---------------------------------------------------------------------- listing
def list_any(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Source], list[FileError]]:
    """:func:`~milepace.block.sources.list_sources` for local paths and fsspec URLs, in the order given.

    Parameters
    ----------
    paths
        Local files, folders, zips and exports, and URLs of the same.

    Returns
    -------
    (sources, errors)
        As :func:`~milepace.block.sources.list_sources`; a URL source's ``path`` is the URL.
    """
    sources: list[Source] = []
    errors: list[FileError] = []
    local: list[str | os.PathLike[str]] = []

    def flush() -> None:
        if local:
            found, failed = list_sources(local)
            sources.extend(found)
            errors.extend(failed)
            local.clear()

    for raw in paths:
        if not is_url(raw):
            local.append(raw)
            continue
        flush()
        url = os.fspath(raw)
        try:
            sources.extend(_list_url(url))
        except MilepaceError as err:
            errors.append(FileError(url, str(err), type(err).__name__))
        except FileNotFoundError:
            errors.append(FileError(url, "no such file or folder", "FileNotFoundError"))
        except OSError as err:
            errors.append(FileError(url, f"cannot be listed: {err.strerror or err}", type(err).__name__))
    flush()
    return sources, errors


def _named_activity(name: str) -> bool:
    return name.lower().removesuffix(".gz").endswith(ACTIVITY_SUFFIXES)


def _list_url(url: str) -> list[Source]:
    name = url.rstrip("/").rsplit("/", 1)[-1]
    if _named_activity(name):
        return [Source(display=url, path=url)]  # fetched by the worker; nothing read here
    fs, root = _fs(url)
    if name.lower().endswith(".zip"):
        return _list_url_zip(url)
    if fs.isdir(root):
        return _walk_url(fs, root, url)
    if fs.exists(root):
        return [Source(display=url, path=url)]  # no telling suffix: the reader sniffs the content
    raise FileNotFoundError(url)


def _walk_url(fs: Any, root: str, given: str) -> list[Source]:
    """A URL folder: one ``find``, names only; ``activities.csv`` files give Strava rows."""
    found = sorted(fs.find(root))
    base = root.rstrip("/")
    strava: dict[str, dict[str, dict[str, Any]]] = {}
    for p in found:
        if PurePosixPath(p).name.lower() == "activities.csv":
            with fs.open(p, "rb") as fh:
                strava[posixpath.dirname(p)] = parse_strava_csv(fh.read(MAX_MEMBER_BYTES))
    out: list[Source] = []
    for p in found:
        rel = p[len(base) :].lstrip("/") if p.startswith(base) else PurePosixPath(p).name
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        display = given.rstrip("/") + "/" + rel
        if p.lower().endswith(".zip"):
            out.extend(_list_url_zip(display, fs=fs, inner=p))
            continue
        if not _named_activity(p):
            continue
        row: dict[str, Any] = {}
        for folder, mapping in strava.items():
            key = p[len(folder) :].lstrip("/") if p.startswith(folder + "/") else None
            if key is not None and key in mapping:
                row = mapping[key]
                break
        out.append(Source(display=display, path=display, strava=row))
    return out


def _list_url_zip(url: str, *, fs: Any = None, inner: str | None = None) -> list[Source]:
    if fs is None:
        fs, inner = _fs(url)
    try:
        with fs.open(inner, "rb") as fh, zipfile.ZipFile(fh) as zf:
            return _list_zip(zf, url, url, ())
    except zipfile.BadZipFile as err:
        raise ParseError(f"is not a readable zip archive ({err})", path=url) from err


# ---------------------------------------------------------------------- loading
_REMOTE_ZIPS: dict[tuple[str, tuple[str, ...]], tuple[Any, zipfile.ZipFile]] = {}
_REMOTE_LOCK = threading.RLock()


def _forget_remote_zips_in_child() -> None:
    """In a forked child: drop the parent's open remote archives and take a fresh lock."""
    global _REMOTE_LOCK
    _REMOTE_ZIPS.clear()
    _REMOTE_LOCK = threading.RLock()


os.register_at_fork(after_in_child=_forget_remote_zips_in_child)


def _remote_zip(url: str, chain: tuple[str, ...]) -> zipfile.ZipFile:
    """Open (and keep open, per process) a URL zip or a zip nested in it; reads are ranged."""
    key = (url, chain)
    with _REMOTE_LOCK:
        hit = _REMOTE_ZIPS.get(key)
        if hit is not None:
            return hit[1]
        if len(_REMOTE_ZIPS) >= 8:
            for handle, zf in _REMOTE_ZIPS.values():
                zf.close()
                if handle is not None:
                    handle.close()
            _REMOTE_ZIPS.clear()
        if chain:
            outer = _remote_zip(url, chain[:-1])
            data = _read_member(outer, outer.getinfo(chain[-1]), f"{url}!{'!'.join(chain)}")
            handle, zf = None, zipfile.ZipFile(io.BytesIO(data))
        else:
            fs, path = _fs(url)
            handle = fs.open(path, "rb")
            zf = zipfile.ZipFile(handle)
        _REMOTE_ZIPS[key] = (handle, zf)
        return zf


def load_any(source: Source) -> bytes:
    """The file's bytes as stored, from the local disk or through fsspec.

    Raises
    ------
    ParseError
        The object cannot be fetched (missing, no permission, network); :class:`HostileInput`
        when it is larger than :data:`~milepace.block.sources.MAX_MEMBER_BYTES`.
    """
    if not is_url(source.path):
        return load_bytes(source)
    try:
        if source.members:
            zf = _remote_zip(source.path, source.members[:-1])
            return _read_member(zf, zf.getinfo(source.members[-1]), source.display)
        fs, path = _fs(source.path)
        with fs.open(path, "rb") as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    except UsageError as err:  # for one file of a batch, a URL that cannot be opened is a read error
        raise ParseError(str(err), path=source.display) from None
    except MilepaceError:
        raise
    except FileNotFoundError:
        raise ParseError("no such file (it was listed but is not there)", path=source.display) from None
    except KeyError:
        raise ParseError(
            "archive member has gone missing since the archive was listed", path=source.display
        ) from None
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise ParseError(
            f"cannot be fetched: {getattr(err, 'strerror', None) or err}", path=source.display
        ) from err
    if len(data) > MAX_MEMBER_BYTES:
        raise HostileInput(
            f"is larger than the {MAX_MEMBER_BYTES / 2**20:.0f} MiB allowed", path=source.display
        )
    return bytes(data)


# ---------------------------------------------------------------------- manifests
@dataclass(frozen=True)
class ManifestRow:
    """One line of a manifest.

    Attributes
    ----------
    path
        Local path or URL (relative paths already resolved against the manifest's folder).
    group
        The ``group_by`` column's value (the athlete), or ``None`` when not grouping.
    goal_mile
        The row's ``goal_mile`` cell when the manifest has that column and it is filled.
    line
        1-based line number in the manifest (the header is line 1).
    """

    path: str
    group: str | None = None
    goal_mile: str | None = None
    line: int = 0


def read_manifest(manifest: str | os.PathLike[str], *, group_by: str | None = None) -> list[ManifestRow]:
    """Read a CSV manifest: a ``path`` column, optionally a grouping column and ``goal_mile``.

    Parameters
    ----------
    manifest
        Local path or URL of the CSV (UTF-8, a header line first).
    group_by
        Column naming each row's group (e.g. ``athlete``); every row must fill it.

    Returns
    -------
    list of ManifestRow
        In file order; blank lines skipped.

    Raises
    ------
    UsageError
        The manifest cannot be read, has no ``path`` column, lacks ``group_by`` or leaves it empty.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "m.csv").write_text("path,athlete\\nana/1.fit,ana\\ns3://b/ben/2.fit,ben\\n")
    >>> rows = read_manifest(folder / "m.csv", group_by="athlete")
    >>> [(r.path == str(folder / "ana" / "1.fit"), r.group) for r in rows]
    [(True, 'ana'), (False, 'ben')]
    >>> rows[1].path
    's3://b/ben/2.fit'
    """
    given = os.fspath(manifest)
    try:
        if is_url(given):
            fs, p = _fs(given)
            with fs.open(p, "rb") as fh:
                data = fh.read()
            base = given.rsplit("/", 1)[0] if "/" in given.split("://", 1)[1] else given
        else:
            with open(given, "rb") as fh:
                data = fh.read()
            base = os.path.dirname(os.path.abspath(given))
    except MilepaceError as err:
        raise UsageError(f"manifest {given} cannot be read: {err}") from None
    except OSError as err:
        raise UsageError(f"manifest {given} cannot be read: {err.strerror or err}") from None
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if MANIFEST_PATH_COLUMN not in header:
        raise UsageError(f"manifest {given} needs a {MANIFEST_PATH_COLUMN!r} column, found columns {header}")
    if group_by is not None and group_by not in header:
        raise UsageError(f"--group-by {group_by!r} is not a column of manifest {given} (columns: {header})")
    at = header.index(MANIFEST_PATH_COLUMN)
    group_at = header.index(group_by) if group_by is not None else None
    goal_at = header.index(MANIFEST_GOAL_COLUMN) if MANIFEST_GOAL_COLUMN in header else None
    rows: list[ManifestRow] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        raw = cells[at].strip() if at < len(cells) else ""
        if not raw:
            raise UsageError(f"manifest {given} line {line} has an empty {MANIFEST_PATH_COLUMN!r}")
        group = None
        if group_at is not None:
            group = cells[group_at].strip() if group_at < len(cells) else ""
            if not group:
                raise UsageError(f"manifest {given} line {line} has an empty {group_by!r}")
        goal = cells[goal_at].strip() if goal_at is not None and goal_at < len(cells) else ""
        rows.append(ManifestRow(_resolve(raw, base), group, goal or None, line))
    return rows


def _resolve(path: str, base: str) -> str:
    if is_url(path) or os.path.isabs(path):
        return path
    if is_url(base):
        return base.rstrip("/") + "/" + path.lstrip("./")
    return os.path.join(base, path)


# ---------------------------------------------------------------------- the per-file work, worker side
@dataclass(frozen=True)
class FetchTask:
    """One file for a worker: where it is, the goal, and the cache it may use.

    Attributes
    ----------
    source
        The file (local path, URL, or archive member of either).
    goal_mile_s
        Goal mile [s] (part of the cache key).
    cache_root
        The cache's versioned folder as the parent resolved it (:attr:`ResultCache.root
        <milepace.block.cache.ResultCache>`), or ``None`` for no cache. Every worker keys results
        exactly as the parent does — the local engine's rule — even where a worker's own
        code fingerprint would differ (another machine's install times).
    run_started
        When the run started [s since the epoch]: a cache entry written after it was written
        by a twin of this file in the same run, and is not reported as "from the cache".
    source_key
        The file's identity as the parent saw it (:func:`~milepace.block.sources.source_key`);
        when the file still has it after reading, its content hash is recorded under it, so the
        next run finds the result without reading the file.
    """

    source: Source
    goal_mile_s: float
    cache_root: str | None = None
    run_started: float = 0.0
    source_key: str | None = None


@dataclass(frozen=True)
class Fetched:
    """What :func:`fetch_and_analyze` gives back.

    Attributes
    ----------
    result
        The file's result (``error`` with one sentence when it cannot be fetched).
    from_cache
        The result was in the cache before the run started.
    analysed
        The file was analysed here (not a cache hit, not a fetch error).
    """

    result: FileResult
    from_cache: bool = False
    analysed: bool = False


def fetch_and_analyze(task: FetchTask) -> Fetched:
    """Fetch, hash, look up, analyse and cache one file on the worker; never raises."""
    display = task.source.display
    try:
        data = load_any(task.source)
    except MilepaceError as err:
        return Fetched(_error(display, err, unexpected=False))
    except Exception as err:  # a batch never dies on one file
        return Fetched(_error(display, err, unexpected=True))
    digest = content_hash(data)
    store = _store(task.cache_root)
    if task.source_key is not None and source_key(task.source) == task.source_key:
        store.remember(task.source_key, digest)  # unchanged while it was read: safe to key
    hit = store.get(digest, task.goal_mile_s)
    if hit is not None:
        try:
            before = os.stat(store.path_for(digest, task.goal_mile_s)).st_mtime < task.run_started
        except OSError:
            before = False
        return Fetched(_named(hit, display), before)
    result = analyze_bytes(data, display, task.goal_mile_s, digest=digest)
    store.put(result, task.goal_mile_s)
    return Fetched(result, analysed=True)


def _named(result: FileResult, display: str) -> FileResult:
    """A cached result under this run's name for the file."""
    return dataclasses.replace(result, source=display) if result.source != display else result


def _store(cache_root: str | None) -> ResultCache:
    """The cache at the versioned folder the parent resolved (disabled for ``None``)."""
    store = ResultCache(cache_root, enabled=cache_root is not None)
    if cache_root is not None:
        store.root = Path(cache_root)
    return store


def _error(display: str, err: BaseException, *, unexpected: bool) -> FileResult:
    text = " ".join(str(err).split()) or type(err).__name__
    if unexpected:
        text = f"unexpected {type(err).__name__} while fetching: {text}"
    return FileResult(
        source=display,
        content_hash="",
        status="error",
        error=text,
        error_type=type(err).__name__,
        unexpected=unexpected,
    )


# ---------------------------------------------------------------------- the run
@dataclass
class Fanout:
    """Per-file outcomes of one fan-out, in listing order (the input of :func:`~milepace.block.run.assemble`).

    Attributes
    ----------
    results
        One per source; ``None`` for a duplicate by content.
    cached
        One per source: the result came from the cache.
    duplicates
        Duplicates by content (the first listed copy is kept).
    duplicate_at
        The source index of each duplicate.
    fresh
        One per source: it was analysed on the engine, duplicates included (a copy whose twin's
        result reached the cache first is not; so with copies the count can vary run to run).
    engine, workers
        The engine's name and worker count.
    """

    results: list[FileResult | None]
    cached: list[bool]
    duplicates: list[SkippedFile]
    duplicate_at: list[int]
    fresh: list[bool]
    engine: str
    workers: int

    @property
    def analysed(self) -> int:
        """Files analysed on the engine (not from the cache) [files]."""
        return sum(self.fresh)


def fan_out(
    sources: Sequence[Source],
    goal_mile_s: float | Sequence[float],
    *,
    engine: Engine | Callable[[int], Engine],
    cache_root: str | None,
    progress: ProgressCallback | None = None,
    groups: Sequence[str] | None = None,
) -> Fanout:
    """Run :func:`fetch_and_analyze` for every source on ``engine``; dedupe by content in listing order.

    A local file whose identity (:func:`~milepace.block.sources.source_key`) the cache has seen
    is looked up here, without reading it: a re-run of an unchanged block starts no workers.

    Parameters
    ----------
    sources
        The listed files.
    goal_mile_s
        One goal mile [s] for all, or one per source.
    engine
        Any :class:`~milepace.block.engine.Engine`, or a function of the number of files left
        to analyse after the cache lookups that returns one.
    cache_root
        The cache's versioned folder the workers use (:func:`cache_root`), or ``None`` for no cache.
    progress
        ``progress(done, total, source)`` after each file, in completion order.
    groups
        One group name per source (an athlete): duplicates by content are looked for within a
        group only. ``None``: all sources are one block.
    """
    total = len(sources)
    goals = [float(goal_mile_s)] * total if isinstance(goal_mile_s, (int, float)) else list(goal_mile_s)
    results: list[FileResult | None] = [None] * total
    cached = [False] * total
    done = 0

    def tick(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, name)

    started = time.time()
    store = _store(cache_root)
    tasks: list[tuple[int, FetchTask]] = []
    for i, src in enumerate(sources):
        if src.strava_non_run:  # the export says it is not a run: listed, never fetched
            results[i] = FileResult(
                source=src.display, content_hash="", status="not_run", name=src.strava.get("name")
            )
            tick(src.display)
            continue
        ident = source_key(src) if cache_root is not None else None
        digest = store.digest_for(ident)
        hit = store.get(digest, goals[i]) if digest is not None else None
        if hit is not None:
            results[i] = _named(hit, src.display)
            cached[i] = True
            tick(src.display)
            continue
        tasks.append((i, FetchTask(src, goals[i], cache_root, started, ident)))
    eng = engine(len(tasks)) if callable(engine) else engine
    index_of = {id(task): i for i, task in tasks}
    fresh = [False] * total
    for task, outcome in eng.map_unordered(fetch_and_analyze, [t for _, t in tasks]):
        i = index_of[id(task)]
        if isinstance(outcome, BaseException):  # the engine lost the task (a worker died)
            results[i] = FileResult(
                source=task.source.display,
                content_hash="",
                status="error",
                error=" ".join(str(outcome).split()) or type(outcome).__name__,
                error_type=type(outcome).__name__,
                unexpected=True,
            )
            fresh[i] = True
        else:
            results[i], cached[i], fresh[i] = outcome.result, outcome.from_cache, outcome.analysed
        tick(task.source.display)
    # duplicates by content, as the parent-side run finds them: the first listed copy is kept
    duplicates: list[SkippedFile] = []
    duplicate_at: list[int] = []
    first: dict[tuple[str, str], str] = {}
    for i, res in enumerate(results):
        if res is None or not res.content_hash:
            continue
        key = (groups[i] if groups is not None else "", res.content_hash)
        if key in first:
            duplicates.append(SkippedFile(res.source, "duplicate", f"same content as {first[key]}"))
            duplicate_at.append(i)
            results[i] = None
            cached[i] = False
        else:
            first[key] = res.source
    return Fanout(results, cached, duplicates, duplicate_at, fresh, eng.name, int(eng.workers))


def cache_root(cache: bool, cache_dir: str | os.PathLike[str] | None) -> str | None:
    """The cache's versioned folder, resolved in the parent, that every worker reads and writes.

    Resolved here so a LocalCluster shares the parent's cache and every worker of a cluster keys
    results alike; ``None`` when ``cache`` is off.
    """
    if not cache:
        return None
    return str(ResultCache(cache_dir).root)


def block_remote(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (),
    *,
    goal_mile: str | float,
    manifest: str | os.PathLike[str] | None = None,
    checks: CheckConfig | None = None,
    rules: SessionRules | None = None,
    options: Any = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    engine: str | Engine = "dask",
    scheduler: str | None = None,
    workers: int | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    progress: ProgressCallback | None = None,
) -> BlockReport:
    """One training block, its files read on the workers: what :func:`milepace.block.run.block` runs.

    Same parameters and report as :func:`milepace.block.run.block` (which checks nothing of its
    own and calls this), plus:

    Parameters
    ----------
    manifest
        A CSV with a ``path`` column listing (more of) the block's files.
    scheduler
        Dask scheduler address for ``engine="dask"`` (default: a LocalCluster for the run).

    Returns
    -------
    BlockReport
        Activities, weeks, checks, time trials, skipped files and errors. ``stats.analysed``
        counts a duplicate by content too when both copies were analysed before their hashes met.
    """
    from .run import BlockOptions, _as_date, _goal_seconds, assemble

    t0 = time.perf_counter()
    goal_s = _goal_seconds(goal_mile)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    inputs = list(paths)
    if manifest is not None:
        inputs.extend(row.path for row in read_manifest(manifest))
    sources, listing_errors = list_any(inputs)

    def engine_for(n_tasks: int) -> Engine:  # sized once the cache lookups have left n_tasks files
        return get_engine(engine, scheduler=scheduler, workers=workers, n_items=n_tasks)

    out = fan_out(
        sources, goal_s, engine=engine_for, cache_root=cache_root(cache, cache_dir), progress=progress
    )
    report = assemble(
        sources,
        out.results,
        out.cached,
        listing_errors=listing_errors,
        skipped=out.duplicates,
        goal_mile_s=goal_s,
        checks=checks or CheckConfig(),
        rules=rules or SessionRules(),
        options=options or BlockOptions(),
        since=_as_date(since),
        until=_as_date(until),
        stats_extra={"engine": out.engine, "workers": out.workers, "analysed": out.analysed},
    )
    stats = dataclasses.replace(report.stats, wall_s=time.perf_counter() - t0)
    return dataclasses.replace(report, stats=stats)
