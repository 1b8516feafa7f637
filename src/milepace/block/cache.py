"""Per-file results cached on disk, keyed by the file's content hash and the goal mile.

Re-running a block on the same export only analyses new files. One small
JSON file per result under::

    <cache dir>/block-v<milepace version>-s<schema>-<code>/results/<hash>-g<goal>.json

and, so that a re-run need not read and hash every file again, a key index
from each file's identity (path, inode, size, modification and change times:
:func:`~milepace.block.sources.source_key`) to its content hash::

    <cache dir>/block-v…/keys/<blake2b(key)>

Two flat folders: a cold run creates a file or two per activity file, and
sharding them into 256 subfolders cost as many ``mkdir`` calls again.

The cache dir is ``$MILEPACE_CACHE_DIR`` when set, else platformdirs'
user cache dir for ``milepace`` (``~/.cache/milepace`` on Linux). A new
milepace version, a new :data:`~milepace.block.model.SCHEMA_VERSION`, or any
change to the installed package's code (``<code>``: a fingerprint of its
modules' sizes and modification times, so a development checkout whose
detector changed does not serve old results) starts a fresh folder, so stale
results are never read. Results of unexpected errors
(bugs) are never stored. A cache that cannot be written is silently skipped:
caching only ever saves time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from .model import SCHEMA_VERSION, FileResult

CACHE_ENV = "MILEPACE_CACHE_DIR"
_HEX32 = re.compile(r"[0-9a-f]{32}")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """8 hex digits that change whenever any module of the installed milepace changes.

    Computed once per process (the code a process runs is the code it imported).
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=4)
    # Contents, not modification times: the same code on another machine (a Dask worker, a fresh
    # checkout) must find the same cache folder. Reading ~1 MB of source costs a few ms, once.
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(f"{path.relative_to(package).as_posix()}:{len(data)};".encode())
        digest.update(data)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """``$MILEPACE_CACHE_DIR`` or the platform's user cache dir for milepace."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("milepace", appauthor=False))


class ResultCache:
    """Content-addressed store of :class:`FileResult`.

    Parameters
    ----------
    directory
        Cache root; :func:`default_cache_dir` when ``None``.
    enabled
        ``False`` makes every lookup miss and every store a no-op (``--no-cache``).
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, enabled: bool = True) -> None:
        from .. import __version__

        self.enabled = enabled
        base = Path(directory) if directory is not None else default_cache_dir()
        self.root = base / f"block-v{__version__}-s{SCHEMA_VERSION}-{code_fingerprint()}"
        self.hits = 0
        self.stores = 0

    def path_for(self, digest: str, goal_mile_s: float) -> Path:
        """Where the result for this content and goal lives."""
        return self.root / "results" / f"{digest}-g{goal_mile_s:.2f}.json"

    def key_path(self, source_key: str) -> Path:
        """Where the content hash of the file with this :func:`~milepace.block.sources.source_key` lives."""
        name = hashlib.blake2b(source_key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
        return self.root / "keys" / name

    def digest_for(self, source_key: str | None) -> str | None:
        """The content hash recorded for this file identity, or ``None``."""
        if not self.enabled or not source_key:
            return None
        try:
            with open(self.key_path(source_key), encoding="utf-8", errors="surrogateescape") as fh:
                line = fh.read(len(source_key) + 64)
        except (OSError, ValueError):
            return None
        recorded, _, digest = line.rpartition("\n")[0].partition("\t")
        if recorded != source_key or not _HEX32.fullmatch(digest):
            return None
        return digest

    def remember(self, source_key: str | None, digest: str) -> None:
        """Record the content hash of the file with this identity (atomically; failures are skipped)."""
        if not self.enabled or not source_key or not _HEX32.fullmatch(digest or ""):
            return
        _write_atomic(self.key_path(source_key), f"{source_key}\t{digest}\n")

    def get(self, digest: str, goal_mile_s: float) -> FileResult | None:
        """The cached result, or ``None`` (missing, unreadable or from another schema)."""
        if not self.enabled or not digest:
            return None
        try:
            with open(self.path_for(digest, goal_mile_s), encoding="utf-8") as fh:
                data = json.load(fh)
            result = FileResult.from_dict(data)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if result.content_hash != digest:
            return None
        self.hits += 1
        return result

    def put(self, result: FileResult, goal_mile_s: float) -> None:
        """Store a result (atomically); unexpected errors and write failures are skipped."""
        if not self.enabled or result.unexpected or not result.content_hash:
            return
        try:
            text = json.dumps(result.to_dict(), separators=(",", ":"), allow_nan=False)
        except ValueError:
            return
        if _write_atomic(self.path_for(result.content_hash, goal_mile_s), text):
            self.stores += 1


_MADE: set[Path] = set()
"""Folders this process has made (or found) already: one ``mkdir`` per folder, not per write."""


def _write_atomic(target: Path, text: str) -> bool:
    """Write ``text`` to ``target`` through a temporary file in its folder; False when it could not."""
    tmp = None
    try:
        if target.parent not in _MADE:
            target.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)
        os.replace(tmp, target)
        return True
    except OSError:
        _MADE.discard(target.parent)  # perhaps removed under us: make it again next time
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
